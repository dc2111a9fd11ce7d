/**
 * Behaviour stays the same: for every kind of answer a customs verify can
 * meet, the new `judgePermitEvents` returns exactly (deep, strict) what the
 * one in @cites/protocol returns today, whoever answered and wherever the
 * events came from. Real ledgers, real signatures. Kept until the lead
 * removes the old function.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EventType, IssuedBody, decodeEvent, hex, sha256, signEvent, type ClaimView, type Ledger } from '@cites/ledger'
import type { TrustStore } from '@cites/trust-list'
import { judgePermitEvents as judgeToday } from '@cites/protocol'
import { judgePermitEvents, withValidityAt } from '../src/index.js'
import { LINES, NOW, chPermit, openLedger, read, signer, tempDir, trustOf } from './kit.js'

interface Case {
  name: string
  events: () => Uint8Array[]
  number: string
  party?: string
  now?: number
  claims?: () => ClaimView[]
  untrusted?: boolean
  /** What the case is about, checked on the answer from the issuer with every signature checked. */
  expect: Record<string, string>
}

describe('judgePermitEvents gives today\'s verdict', () => {
  const dirs = [tempDir(), tempDir()]
  let trust: TrustStore
  let untrusted: TrustStore
  let ch: Ledger
  let th: Ledger
  const events: Record<string, Uint8Array[]> = {}
  const claims: Record<string, ClaimView[]> = {}
  const crafted: Record<string, Uint8Array> = {}

  beforeAll(async () => {
    trust = await trustOf(['CH', 'TH', 'FR'])
    untrusted = await trustOf(['TH', 'FR'])
    ch = await openLedger('CH', trust, dirs[0]!.path)
    th = await openLedger('TH', trust, dirs[1]!.path)
    for (const n of ['V1', 'E1', 'C1', 'R1', 'U1', 'P1', 'P2', 'P3', 'W1', 'W2']) await ch.issue(chPermit(`26CHQ${n}`))
    await ch.endorse('CH', '26CHQE1', { lines: LINES, port: 'CHZRH' })
    await ch.cancel('CH', '26CHQC1', 'issued in error')
    await ch.replace('CH', '26CHQR1', '26CHQR2', 'quantity corrected')
    await ch.consume('CH', '26CHQU1', { lines: LINES, port: 'THBKK', consumingParty: 'TH' })
    // TH holds CH's log and records provisional uses while "partitioned".
    await th.acceptEvents(await ch.eventsFrom('CH', 1, 1000))
    for (const n of ['P1', 'P2', 'P3']) claims[n] = [await th.consumeProvisionally('CH', `26CHQ${n}`, { lines: LINES, port: 'THBKK', reason: 'CH unreachable' })]
    await ch.acceptEvents(await th.eventsFrom('TH', 1, 1000))
    const p2 = claims.P2![0]!
    await ch.refuseClaim('26CHQP2', { claimant: 'TH', seq: p2.seq, hash: p2.hash }, 'PERMIT_CANCELLED', 'cancelled meanwhile')
    const p3 = claims.P3![0]!
    await ch.consume('CH', '26CHQP3', { lines: LINES, port: 'THBKK', consumingParty: 'TH', usedAt: p3.time, claim: { seq: p3.seq, hash: p3.hash } })
    await th.acceptEvents(await ch.eventsFrom('CH', 1, 1000))
    claims.P2refused = await th.claims('CH', '26CHQP2')
    for (const n of ['V1', 'E1', 'C1', 'R1', 'U1', 'P1', 'P2', 'P3', 'W1', 'W2']) events[n] = (await ch.permitEvents('CH', `26CHQ${n}`))!

    // Crafted ISSUED events, validly signed by CH as events.
    const chSigner = await signer('CH')
    const issuedW1 = decodeEvent(events.W1![0]!)
    const bodyW1 = IssuedBody.decode(issuedW1.event.body)
    const bodyW2 = IssuedBody.decode(decodeEvent(events.W2![0]!).event.body)
    const reissue = async (body: IssuedBody): Promise<Uint8Array> => (await signEvent({ ...issuedW1.event, body: IssuedBody.encode(body) }, chSigner)).bytes
    // W1's event carrying W2's signed document (a second permit under the number).
    crafted.wrongPermit = await reissue({ ...bodyW1, signedXml: bodyW2.signedXml, xmlSha256: bodyW2.xmlSha256 })
    crafted.hashMismatch = await reissue({ ...bodyW1, xmlSha256: sha256(new TextEncoder().encode('another document')) as Uint8Array<ArrayBuffer> })
    // V1's ISSUED event signed with FR's key (the ATTACKER pair) as if it were CH's.
    crafted.forged = (await signEvent({ ...decodeEvent(events.V1![0]!).event }, await signer('FR'))).bytes
    const rogue = JSON.parse(read('ledger/rogue-issued-document.json')) as { events: Array<{ signedEvent: string }> }
    crafted.rogue = new Uint8Array(Buffer.from(rogue.events[1]!.signedEvent, 'hex'))
  }, 60_000)

  afterAll(async () => {
    await ch.close()
    await th.close()
    for (const d of dirs) d.cleanup()
  })

  const cases: Case[] = [
    { name: 'valid', events: () => events.V1!, number: '26CHQV1', expect: { integrity: 'OK', issuer: 'OK', rules: 'OK', validity: 'OK', status: 'OK', use: 'OK', confirmation: 'ISSUER_CONFIRMED' } },
    { name: 'export endorsed', events: () => events.E1!, number: '26CHQE1', expect: { status: 'OK', use: 'OK' } },
    { name: 'cancelled', events: () => events.C1!, number: '26CHQC1', expect: { status: 'PERMIT_CANCELLED' } },
    { name: 'replaced', events: () => events.R1!, number: '26CHQR1', expect: { status: 'PERMIT_REPLACED' } },
    { name: 'consumed', events: () => events.U1!, number: '26CHQU1', expect: { use: 'ALREADY_CONSUMED' } },
    { name: 'provisionally claimed', events: () => events.P1!, number: '26CHQP1', claims: () => claims.P1!, expect: { use: 'ALREADY_CONSUMED_PROVISIONALLY' } },
    { name: 'claim refused (the claimant\'s stale view)', events: () => events.P2!, number: '26CHQP2', claims: () => claims.P2!, expect: { use: 'OK' } },
    { name: 'claim refused (resolved)', events: () => events.P2!, number: '26CHQP2', claims: () => claims.P2refused!, expect: { use: 'OK' } },
    { name: 'claim confirmed', events: () => events.P3!, number: '26CHQP3', claims: () => claims.P3!, expect: { use: 'ALREADY_CONSUMED' } },
    { name: 'expired', events: () => events.V1!, number: '26CHQV1', now: Date.parse('2027-06-01T00:00:00Z'), expect: { validity: 'PERMIT_EXPIRED', status: 'OK' } },
    { name: 'expired and cancelled', events: () => events.C1!, number: '26CHQC1', now: Date.parse('2027-06-01T00:00:00Z'), expect: { validity: 'PERMIT_EXPIRED', status: 'PERMIT_CANCELLED' } },
    { name: 'not yet valid', events: () => events.V1!, number: '26CHQV1', now: Date.parse('2026-10-01T00:00:00Z'), expect: { validity: 'PERMIT_NOT_YET_VALID' } },
    { name: 'tampered XML (renumbered after signing)', events: () => [crafted.rogue!], number: '26CHV00666', expect: { integrity: 'SIG_DIGEST_MISMATCH' } },
    { name: 'XML not matching its recorded hash', events: () => [crafted.hashMismatch!], number: '26CHQW1', expect: { integrity: 'XML_HASH_MISMATCH' } },
    { name: 'hash mismatch, then an event of another log', events: () => [crafted.hashMismatch!, events.V1![0]!], number: '26CHQW1', expect: { integrity: 'XML_HASH_MISMATCH' } },
    { name: 'wrong permit under the number', events: () => [crafted.wrongPermit!], number: '26CHQW1', expect: { integrity: 'OK', status: 'PERMIT_MISMATCH' } },
    { name: 'untrusted certificate (issuer not on the list)', events: () => events.V1!, number: '26CHQV1', untrusted: true, expect: { integrity: 'EVENT_UNKNOWN_AUTHOR' } },
    { name: 'event signed with another key', events: () => [crafted.forged!], number: '26CHQV1', expect: { integrity: 'EVENT_SIGNATURE_INVALID' } },
    { name: 'event of another permit', events: () => events.V1!, number: '26CHQE1', expect: { integrity: 'EVENT_WRONG_LOG' } },
    { name: 'event of another log', events: () => events.V1!, party: 'TH', number: '26CHQV1', expect: { integrity: 'EVENT_WRONG_LOG' } },
    { name: 'a valid ISSUED, then another permit\'s event', events: () => [events.V1![0]!, events.C1![1]!], number: '26CHQV1', expect: { integrity: 'EVENT_WRONG_LOG' } },
    { name: 'malformed event', events: () => [new Uint8Array([1, 2, 3])], number: '26CHQV1', expect: { integrity: 'EVENT_MALFORMED' } },
    { name: 'no events', events: () => [], number: '26CHQV1', expect: { integrity: 'REMOTE_ERROR' } },
    { name: 'events out of order', events: () => [...events.C1!].reverse(), number: '26CHQC1', expect: { status: 'PERMIT_NOT_FOUND' } },
    { name: 'ISSUED twice', events: () => [events.V1![0]!, events.V1![0]!], number: '26CHQV1', expect: { status: 'PERMIT_ALREADY_ISSUED' } }
  ]
  const sources: Array<{ answeredBy?: string, eventsFromOwnLedger?: boolean }> = [
    { answeredBy: 'CH' }, { answeredBy: 'FR' }, {}, { eventsFromOwnLedger: true }, { answeredBy: 'CH', eventsFromOwnLedger: true }
  ]
  const codes = (v: { checks: Array<{ name: string, reason: { code: string } }> }): Record<string, string> => Object.fromEntries(v.checks.map((c) => [c.name, c.reason.code]))

  for (const c of cases) {
    it(c.name, async () => {
      for (const source of sources) {
        const opts = {
          party: c.party ?? 'CH',
          number: c.number,
          trust: c.untrusted === true ? untrusted : trust,
          now: new Date(c.now ?? NOW),
          ...(c.claims !== undefined ? { claims: c.claims() } : {}),
          ...source
        }
        const today = await judgeToday(c.events(), opts)
        const now = await judgePermitEvents(c.events(), opts)
        expect(now, `${c.name} ${JSON.stringify(source)}`).toStrictEqual(today)
        if (source.answeredBy === 'CH' && source.eventsFromOwnLedger !== true) expect(codes(now)).toMatchObject(c.expect)
      }
    })
  }

  it('a memoised verdict with its validity recomputed is the verdict judged afresh at that time', async () => {
    const later = [Date.parse('2026-10-01T00:00:00Z'), NOW + 86_400_000, Date.parse('2027-06-01T00:00:00Z')]
    for (const n of ['V1', 'C1', 'U1', 'P1']) {
      const opts = { party: 'CH', number: `26CHQ${n}`, trust, claims: claims[n] ?? [], eventsFromOwnLedger: true, answeredBy: 'CH' }
      const memo = await judgePermitEvents(events[n]!, { ...opts, now: new Date(NOW) })
      for (const t of later) {
        const fresh = await judgePermitEvents(events[n]!, { ...opts, now: new Date(t) })
        expect(withValidityAt(memo, new Date(t)), `${n} at ${new Date(t).toISOString()}`).toStrictEqual(fresh)
      }
    }
  })

  it('the events of the cases are what they claim to be', () => {
    expect(decodeEvent(crafted.wrongPermit!).event).toMatchObject({ type: EventType.ISSUED, permitNumber: '26CHQW1' })
    expect(hex(IssuedBody.decode(decodeEvent(crafted.wrongPermit!).event.body).xmlSha256)).not.toBe(hex(IssuedBody.decode(decodeEvent(events.W1![0]!).event.body).xmlSha256))
    expect(claims.P2refused).toMatchObject([{ resolution: 'refused' }])
    expect(claims.P3).toMatchObject([{ resolution: 'provisional' }])
  })
})
