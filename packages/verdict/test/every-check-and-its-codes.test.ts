/**
 * Every check file on its own: each code it can report, under the check
 * name users see, and each code either in the file's registry, one of its
 * pass codes, or from the registry of the package it passes through.
 * Real permit states from a real ledger.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SigCode } from '@cites/xml-signature'
import { RuleCode, type Check, type Permit } from '@cites/permit'
import { decodeEvent, type Ledger, type PermitState } from '@cites/ledger'
import type { TrustStore } from '@cites/trust-list'
import {
  CHECKS, applyFragment, composeVerdict, confirmation, confirmationFragment, decodeFragment, documentRegisteredFragment, eventSignatureFragment,
  integrity, integrityFragment, issuer, issuerFragment, judgeDocument, lifecycle, lifecycleFragment, log, noEventsFragment, notConsulted,
  notConsultedFragments, summary, summaryFragments, summaryValidityFragment, permitMismatchFragment, permitNotFoundFragment, registered, remoteErrorFragment, rules, rulesFragment, stamp,
  stampFragment, use, useFragment, validity, validityFragment, withStamp, withValidityAt, wrongLogFragment, xmlHashFragment, equivocation,
  equivocationFragment, withEquivocation, destination, destinationFragment, withDestination, type CheckInfo
} from '../src/index.js'
import { LINES, NOW, chPermit, openLedger, read, tempDir, trustOf } from './kit.js'

/** Codes other packages register, passed through unchanged. */
const PASSED_THROUGH = new Set<string>([
  ...Object.values(SigCode), ...Object.values(RuleCode),
  'XML_TOO_LARGE', 'XML_TOO_DEEP', 'XML_DOCTYPE', 'XML_MALFORMED', 'PERMIT_NOT_FOUND', 'PERMIT_VALUE_INVALID', // the permit reader's
  'EVENT_UNKNOWN_AUTHOR', 'EVENT_SIGNATURE_INVALID', 'EVENT_CERT_NOT_GRANTED', 'PERMIT_ALREADY_ISSUED' // the ledger's
])

function expectCheck (info: CheckInfo, c: Check | undefined, name: Check['name'], status: Check['status'], code: string): void {
  expect(c, `${info.name}: ${code}`).toBeDefined()
  expect([c!.name, c!.status, c!.reason.code]).toEqual([name, status, code])
  expect(info.reportedAs, info.name).toContain(name)
  const known = Object.hasOwn(info.codes, code) || info.passCodes.includes(code) || PASSED_THROUGH.has(code)
  expect(known, `${info.name} reports ${code}, which no registry holds`).toBe(true)
}

describe('every check and its codes', () => {
  const dir = tempDir()
  let trust: TrustStore
  let ch: Ledger
  const state: Record<string, PermitState> = {}
  let permit: Permit

  beforeAll(async () => {
    trust = await trustOf(['CH', 'TH'])
    ch = await openLedger('CH', trust, dir.path)
    for (const n of ['A', 'E', 'C', 'R', 'U']) await ch.issue(chPermit(`26CHK${n}`))
    await ch.endorse('CH', '26CHKE', { lines: LINES, port: 'CHZRH' })
    await ch.cancel('CH', '26CHKC', 'issued in error')
    await ch.replace('CH', '26CHKR', chPermit('26CHKR2'), 'error', 'corrected')
    await ch.consume('CH', '26CHKU', { lines: LINES, port: 'THBKK', consumingParty: 'TH' })
    for (const n of ['A', 'E', 'C', 'R', 'U']) state[n] = (await ch.status('CH', `26CHK${n}`))!.state
    permit = chPermit('26CHKA')
  }, 60_000)
  afterAll(async () => { await ch.close(); dir.cleanup() })

  it('integrity, issuer and rules: from the signature verdict', async () => {
    const ok = await judgeDocument(read('signature/valid/ch-export-th.xml'), { trust, now: new Date(NOW) })
    expectCheck(integrity, integrityFragment(ok), 'integrity', 'VALID', 'OK')
    expectCheck(issuer, issuerFragment(ok), 'issuer', 'VALID', 'OK')
    expectCheck(rules, rulesFragment(ok), 'rules', 'VALID', 'OK')
    const tampered = await judgeDocument(read('signature/attacks/tampered-quantity.xml'), { trust, now: new Date(NOW) })
    expectCheck(integrity, integrityFragment(tampered), 'integrity', 'INVALID', 'SIG_DIGEST_MISMATCH')
    const other = await judgeDocument(read('signature/attacks/other-ma-resign.xml'), { trust, now: new Date(NOW) })
    expectCheck(integrity, integrityFragment(other), 'integrity', 'SKIPPED', 'NO_TRUSTED_KEY')
    expectCheck(issuer, issuerFragment(other), 'issuer', 'INVALID', 'ISSUER_CERT_NOT_TRUSTED')
    const doctype = await judgeDocument(read('signature/attacks/doctype.xml'), { trust, now: new Date(NOW) })
    expectCheck(integrity, integrityFragment(doctype), 'integrity', 'INVALID', 'XML_DOCTYPE')
    expectCheck(issuer, issuerFragment(doctype), 'issuer', 'SKIPPED', 'NOT_CHECKED')
    expect(rulesFragment(doctype)).toBeUndefined()
  })

  it('validity: in force, not yet, expired, no dates; recomputed on a memoised verdict', () => {
    expectCheck(validity, validityFragment(permit, new Date(NOW)), 'validity', 'VALID', 'OK')
    expectCheck(validity, validityFragment(permit, new Date('2026-10-01T00:00:00Z')), 'validity', 'INVALID', 'PERMIT_NOT_YET_VALID')
    expectCheck(validity, validityFragment(permit, new Date('2027-06-01T00:00:00Z')), 'validity', 'INVALID', 'PERMIT_EXPIRED')
    const { validUntil: _u, ...undated } = permit
    expectCheck(validity, validityFragment(undated, new Date(NOW)), 'validity', 'INVALID', 'VALIDITY_MISSING')
    expect(validityFragment(undefined, new Date(NOW))).toBeUndefined()
    const v = { ...composeVerdict([validityFragment(permit, new Date(NOW))]), permit }
    const later = withValidityAt(v, new Date('2027-06-01T00:00:00Z'))
    expect(later.checks.map((c) => c.reason.code)).toEqual(['PERMIT_EXPIRED'])
    expect(v.checks.map((c) => c.reason.code)).toEqual(['OK'])
    const noPermit = composeVerdict([permitNotFoundFragment('x')])
    expect(withValidityAt(noPermit, new Date())).toEqual(noPermit)
    expect(withValidityAt(noPermit, new Date()).checks).not.toBe(noPermit.checks)
  })

  it('registered by the issuer: recorded hash, the permit asked about, the document recorded', () => {
    expectCheck(registered, xmlHashFragment('aa', 'bb'), 'integrity', 'INVALID', 'XML_HASH_MISMATCH')
    expect(xmlHashFragment('aa', 'aa')).toBeUndefined()
    expect(permitMismatchFragment({ permit, party: 'CH' }, 'CH', '26CHKA')).toBeUndefined()
    expectCheck(registered, permitMismatchFragment({ permit, party: 'CH' }, 'CH', '26CHKB'), 'status', 'INVALID', 'PERMIT_MISMATCH')
    expectCheck(registered, permitMismatchFragment({ permit, party: 'TH' }, 'CH', '26CHKA'), 'status', 'INVALID', 'PERMIT_MISMATCH')
    expectCheck(registered, permitMismatchFragment({}, 'CH', '26CHKA'), 'status', 'INVALID', 'PERMIT_MISMATCH')
    expect(documentRegisteredFragment(state.A, state.A!.xmlSha256)).toBeUndefined()
    expect(documentRegisteredFragment(undefined, 'ff')).toBeUndefined()
    expectCheck(registered, documentRegisteredFragment(state.A, 'ff'.repeat(32)), 'status', 'INVALID', 'DOCUMENT_NOT_REGISTERED')
  })

  it('lifecycle: in force, endorsed, cancelled, replaced, unknown', () => {
    const at = new Date(NOW)
    expectCheck(lifecycle, lifecycleFragment(state.A!, at), 'status', 'VALID', 'OK')
    expect(lifecycleFragment(state.A!, at).reason.message).toBe('in force')
    expect(lifecycleFragment(state.E!, at).reason.message).toBe('in force; export endorsed')
    expectCheck(lifecycle, lifecycleFragment(state.C!, at), 'status', 'INVALID', 'PERMIT_CANCELLED')
    expect(lifecycleFragment(state.C!, at).reason.message).toBe('cancelled: issued in error')
    expectCheck(lifecycle, lifecycleFragment(state.R!, at), 'status', 'INVALID', 'PERMIT_REPLACED')
    expect(lifecycleFragment(state.R!, at).reason.message).toBe('replaced by 26CHKR2')
    // Expiry is the validity check's: the status stays "in force".
    expectCheck(lifecycle, lifecycleFragment(state.A!, new Date('2027-06-01T00:00:00Z')), 'status', 'VALID', 'OK')
    expectCheck(lifecycle, permitNotFoundFragment('CH/X is not known here'), 'status', 'INVALID', 'PERMIT_NOT_FOUND')
  })

  it('use: consumed, provisionally consumed, refused claim, not used; an export not endorsed is flagged, not failed', () => {
    expectCheck(use, useFragment(state.U!, []), 'use', 'INVALID', 'ALREADY_CONSUMED')
    // Issue 20: an export permit with Box 14 empty: valid, with the warning the officer sees.
    expectCheck(use, useFragment(state.A!, []), 'use', 'VALID', 'NOT_ENDORSED_AT_EXPORT')
    expectCheck(use, useFragment(state.E!, []), 'use', 'VALID', 'OK')
    const claim = { party: 'CH', number: '26CHKA', claimant: 'TH', seq: 1, hash: 'ab'.repeat(32), time: NOW, lines: LINES, port: 'THBKK', officer: '', reason: 'x', resolution: 'provisional' as const }
    expectCheck(use, useFragment(state.A!, [claim]), 'use', 'INVALID', 'ALREADY_CONSUMED_PROVISIONALLY')
    expectCheck(use, useFragment(state.A!, [{ ...claim, resolution: 'refused' }]), 'use', 'VALID', 'NOT_ENDORSED_AT_EXPORT')
    const refusedInLog: PermitState = { ...state.A!, refusedClaims: [{ claimant: 'TH', seq: 1, hash: claim.hash, code: 'X', message: 'y', refusedSeq: 9, time: NOW }] }
    expectCheck(use, useFragment(refusedInLog, [claim]), 'use', 'VALID', 'NOT_ENDORSED_AT_EXPORT')
    // A musical-instrument certificate used at three borders is still usable at the next (ledger.md §3.7); a single-use O certificate is not.
    const crossed: PermitState = { ...state.U!, type: 'O', certificateType: 'musical-instrument', crossings: [] }
    expectCheck(use, useFragment(crossed, []), 'use', 'VALID', 'MULTI_USE')
    expectCheck(use, useFragment({ ...state.U!, type: 'O', certificateType: 'pre-convention' }, []), 'use', 'INVALID', 'ALREADY_CONSUMED')
  })

  it('stamp: a mismatch replaces integrity; a match, a blank or no permit changes nothing', () => {
    const v = { ...composeVerdict([integrityFragment({ checks: [{ name: 'integrity', status: 'VALID', reason: { code: 'OK', message: '' } }] })]), permit }
    expectCheck(stamp, stampFragment(permit, 'CH-SS-9999'), 'integrity', 'INVALID', 'SECURITY_STAMP_MISMATCH')
    expect(stampFragment(permit, ' CH-SS-0042 ')).toBeUndefined()
    expect(stampFragment(permit, '')).toBeUndefined()
    expect(stampFragment(permit, undefined)).toBeUndefined()
    expect(stampFragment(undefined, 'CH-SS-9999')).toBeUndefined()
    const wrong = withStamp(v, 'CH-SS-9999')
    expect([wrong.valid, wrong.checks.map((c) => c.reason.code)]).toEqual([false, ['SECURITY_STAMP_MISMATCH']])
    expect(withStamp(v, 'CH-SS-0042')).toBe(v)
  })

  it('equivocation: a split issuer log fails status in place of lifecycle, naming the positions and whether this permit\'s events are after the split', () => {
    expect(equivocationFragment('CH', [], state.A!)).toBeUndefined()
    const touching = equivocationFragment('CH', [1], state.A!)
    expectCheck(equivocation, touching, 'status', 'INVALID', 'ISSUER_EQUIVOCATED')
    expect(touching!.reason.message).toContain('at or after the split')
    expect(equivocationFragment('CH', [999], state.A!)!.reason.message).toContain('another version of the log may record a different status')
    const v = { ...composeVerdict([lifecycleFragment(state.A!, new Date(NOW)), useFragment(state.A!, [])]), state: state.A! }
    const split = withEquivocation(v, 'CH', [3])
    expect(split.valid).toBe(false)
    expect(split.checks.map((c) => [c.name, c.reason.code])).toEqual([['status', 'ISSUER_EQUIVOCATED'], ['use', 'NOT_ENDORSED_AT_EXPORT']])
    expect(split.state).toBe(state.A)
    expect(withEquivocation(v, 'CH', [])).toBe(v)
  })

  it('confirmation: by the issuer, from a replica, from this node\'s own replica', () => {
    expectCheck(confirmation, confirmationFragment('CH', 'CH'), 'confirmation', 'VALID', 'ISSUER_CONFIRMED')
    expectCheck(confirmation, confirmationFragment('CH', 'FR'), 'confirmation', 'SKIPPED', 'NOT_CONFIRMED_BY_ISSUER')
    expect(confirmationFragment('CH', 'FR').reason.message).toBe('answered from FR\'s replica, not by the issuer')
    expectCheck(confirmation, confirmationFragment('CH', undefined), 'confirmation', 'SKIPPED', 'NOT_CONFIRMED_BY_ISSUER')
  })

  it('the issuer\'s log: malformed, another log, bad signature, inconsistent, none, refused', async () => {
    const bad = decodeFragment(new Uint8Array([9, 9, 9]))
    expectCheck(log, 'failure' in bad ? bad.failure : undefined, 'integrity', 'INVALID', 'EVENT_MALFORMED')
    const [issuedBytes] = (await ch.permitEvents('CH', '26CHKA'))!
    const le = decodeEvent(issuedBytes!)
    expect(wrongLogFragment(le, 'CH', '26CHKA')).toBeUndefined()
    expectCheck(log, wrongLogFragment(le, 'CH', '26CHKB'), 'integrity', 'INVALID', 'EVENT_WRONG_LOG')
    expect(await eventSignatureFragment(le, trust.certificatesFor('CH'), 'CH')).toBeUndefined()
    expectCheck(log, await eventSignatureFragment(le, undefined, 'CH'), 'integrity', 'INVALID', 'EVENT_UNKNOWN_AUTHOR')
    expectCheck(log, await eventSignatureFragment(le, trust.certificatesFor('TH'), 'CH'), 'integrity', 'INVALID', 'EVENT_SIGNATURE_INVALID')
    const first = applyFragment(undefined, le)
    expect('state' in first).toBe(true)
    const twice = applyFragment('state' in first ? first.state : undefined, le)
    expectCheck(log, 'failure' in twice ? twice.failure : undefined, 'status', 'INVALID', 'PERMIT_ALREADY_ISSUED')
    expectCheck(log, noEventsFragment(), 'integrity', 'ERROR', 'REMOTE_ERROR')
    expectCheck(log, remoteErrorFragment('MALFORMED', 'bad request'), 'integrity', 'ERROR', 'REMOTE_ERROR')
  })

  it('destination: a diverted copy (made out to TH, judged at US) fails; at TH and at the issuer CH it passes', async () => {
    expectCheck(destination, destinationFragment('CH', 'TH', 'TH'), 'destination', 'VALID', 'OK')
    expectCheck(destination, destinationFragment('CH', 'TH', 'CH'), 'destination', 'VALID', 'ISSUED_HERE')
    const diverted = destinationFragment('CH', 'TH', 'US')
    expectCheck(destination, diverted, 'destination', 'INVALID', 'NOT_FOR_THIS_PARTY')
    expect(diverted?.reason.message).toBe('Not for import into US — made out to TH')
    expect(destinationFragment('CH', undefined, 'US')).toBeUndefined()
    // A certificate that travels with its holder may cross into any country.
    expectCheck(destination, destinationFragment('CH', 'TH', 'US', true), 'destination', 'VALID', 'ANY_PARTY')
    // On a whole verdict: every other check passes, the verdict does not.
    const ok = await judgeDocument(read('signature/valid/ch-export-th.xml'), { trust, now: new Date(NOW) })
    const base = { ...composeVerdict(ok.checks), permit: ok.permit!, party: 'CH' }
    expect(base.valid).toBe(true)
    const atUs = withDestination(base, 'US')
    expect(atUs.valid).toBe(false)
    expect(atUs.checks.at(-1)?.reason.code).toBe('NOT_FOR_THIS_PARTY')
    expect(withDestination(base, 'TH').valid).toBe(true)
    expect(withDestination(base, 'CH').valid).toBe(true)
    // The issuer's recorded destination wins over the document's Box 3.
    expect(withDestination({ ...base, state: { party: 'CH', destination: 'US' } }, 'US').valid).toBe(true)
  })

  it('not consulted: status, use and confirmation SKIPPED offline', () => {
    for (const c of notConsultedFragments()) expectCheck(notConsulted, c, c.name, 'SKIPPED', 'LEDGER_NOT_CONSULTED')
    expect(notConsultedFragments().map((c) => c.name)).toEqual(['status', 'use', 'confirmation'])
  })

  it('summary: without the document a node judges the issuer\'s signed summary, and the verdict is never valid', () => {
    const [i, by] = summaryFragments('CH', false)
    expectCheck(summary, i, 'integrity', 'SKIPPED', 'DOCUMENT_NOT_PRESENTED')
    expectCheck(summary, by, 'issuer', 'VALID', 'REGISTERED_BY_ISSUER')
    expectCheck(summary, summaryFragments('CH', true)[0], 'integrity', 'SKIPPED', 'DOCUMENT_ERASED')
    const window = { validFrom: NOW - 1000, validUntil: NOW + 1000 }
    expectCheck(validity, summaryValidityFragment(window, new Date(NOW)), 'validity', 'VALID', 'OK')
    expectCheck(validity, summaryValidityFragment(window, new Date(NOW + 2000)), 'validity', 'INVALID', 'PERMIT_EXPIRED')
    expectCheck(validity, summaryValidityFragment(window, new Date(NOW - 2000)), 'validity', 'INVALID', 'PERMIT_NOT_YET_VALID')
    // Fail closed: a genuine registration, in force and unused, is still not a valid verdict on the content.
    const v = composeVerdict([...summaryFragments('CH', false), summaryValidityFragment(window, new Date(NOW)), lifecycleFragment(state.A!, new Date(NOW)), useFragment(state.A!, [])])
    expect(v.valid).toBe(false)
  })

  it('the composer is fail-closed and orders the checks users see', () => {
    expect(composeVerdict([]).valid).toBe(false)
    const v = composeVerdict([confirmationFragment('CH', 'CH'), undefined, useFragment(state.A!, []), lifecycleFragment(state.A!, new Date(NOW)), validityFragment(permit, new Date(NOW))])
    expect(v.checks.map((c) => c.name)).toEqual(['validity', 'status', 'use', 'confirmation'])
    expect(v.valid).toBe(false) // no integrity, no issuer
    expect(CHECKS.map((c) => c.name)).toEqual(['log', 'integrity', 'issuer', 'rules', 'registered', 'validity', 'lifecycle', 'equivocation', 'use', 'stamp', 'confirmation', 'destination', 'reference', 'not-consulted', 'summary'])
    // A code means one thing wherever a check registers it.
    const kinds = new Map<string, string>()
    for (const c of CHECKS) {
      for (const [code, { kind }] of Object.entries(c.codes)) {
        expect(kinds.get(code) ?? kind, code).toBe(kind)
        kinds.set(code, kind)
      }
    }
  })
})
