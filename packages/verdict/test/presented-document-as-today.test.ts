/**
 * Behaviour stays the same at the border: a signed document presented to
 * POST /v1/verify, and a verify by number with the paper's security stamp,
 * give exactly what @cites/node's verifyDocument and verifyByNumber give
 * today. Both sides get the same ledger verdict (today's judgePermitEvents
 * over a real CH ledger); what is compared is the merge: the document's
 * checks, DOCUMENT_NOT_REGISTERED, the stamp. Kept until the lead switches
 * http.ts to @cites/verdict.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Ledger } from '@cites/ledger'
import { signPermit } from '@cites/xml-signature'
import type { TrustStore } from '@cites/trust-list'
import { judgePermitEvents as judgeToday } from '@cites/protocol'
import { permitSummary, verifyByNumber, verifyDocument, type NodeVerdict, type PermitNode, type VerifyAnswer } from '@cites/node'
import { judgePresentedDocument, withStamp } from '../src/index.js'
import { LINES, NOW, chPermit, openLedger, read, signer, tempDir, trustOf } from './kit.js'

describe('presented documents and stamps give today\'s answers', () => {
  const dir = tempDir()
  let trust: TrustStore
  let ch: Ledger
  let node: Pick<PermitNode, 'trust' | 'verify'>
  const docs: Record<string, string> = {}

  /** PermitNode.verify's local path, as today: the issuer's own ledger. */
  const verify = async (party: string, number: string): Promise<NodeVerdict> => {
    const events = await ch.permitEvents(party, number)
    if (events === undefined) return { valid: false, party, number, source: 'none', claims: [], checks: [{ name: 'status', status: 'INVALID', reason: { code: 'PERMIT_NOT_FOUND', message: `${party}/${number} is not known here` } }] }
    const v = await judgeToday(events, { party, number, trust, now: new Date(NOW), claims: [], eventsFromOwnLedger: true, answeredBy: 'CH' })
    const out: NodeVerdict = { valid: v.valid, checks: v.checks, party, number, source: 'issuer', claims: [] }
    if (v.state !== undefined) out.state = v.state
    if (v.receipt !== undefined) out.receipt = v.receipt
    if (v.permit !== undefined) out.permit = v.permit
    if (v.history !== undefined) out.history = v.history
    return out
  }
  /** The API's shape of a verdict (http.ts answer()). */
  const answer = (v: NodeVerdict): VerifyAnswer => {
    const { permit, history, ...rest } = v
    const out: VerifyAnswer = rest
    if (permit !== undefined) out.permit = permitSummary(permit)
    if (history !== undefined) out.history = history.map((h) => ({ seq: h.seq, type: h.type, time: h.time, body: h.type === 'ISSUED' ? { destination: h.body.destination, validUntil: h.body.validUntil } : h.body }))
    return out
  }
  const codes = (v: { checks: Array<{ name: string, reason: { code: string } }> }): Record<string, string> => Object.fromEntries(v.checks.map((c) => [c.name, c.reason.code]))

  beforeAll(async () => {
    trust = await trustOf(['CH', 'TH'])
    ch = await openLedger('CH', trust, dir.path)
    for (const n of ['D1', 'C1', 'U1']) docs[n] = (await ch.issue(chPermit(`26CHP${n}`))).signedXml
    await ch.cancel('CH', '26CHPC1', 'issued in error')
    await ch.consume('CH', '26CHPU1', { lines: LINES, port: 'THBKK', consumingParty: 'TH' })
    // A second document signed under D1's number, never recorded; and one for a number no ledger holds.
    const second = chPermit('26CHPD1')
    second.lines[0]!.quantity = 49
    docs.second = await signPermit(second, await signer('CH'), 'CH', undefined, new Date(NOW))
    docs.unknown = await signPermit(chPermit('26CHPZZ'), await signer('CH'), 'CH', undefined, new Date(NOW))
    docs.tampered = read('signature/attacks/tampered-quantity.xml')
    docs.otherMa = read('signature/attacks/other-ma-resign.xml')
    docs.notXml = 'not a permit'
    node = { trust, verify } as Pick<PermitNode, 'trust' | 'verify'>
  }, 60_000)
  afterAll(async () => { await ch.close(); dir.cleanup() })

  const presented: Array<[string, Record<string, string>, string]> = [
    ['D1', { integrity: 'OK', status: 'OK', use: 'OK', confirmation: 'ISSUER_CONFIRMED' }, 'issuer'],
    ['C1', { status: 'PERMIT_CANCELLED' }, 'issuer'],
    ['U1', { use: 'ALREADY_CONSUMED' }, 'issuer'],
    ['second', { integrity: 'OK', status: 'DOCUMENT_NOT_REGISTERED' }, 'issuer'],
    ['unknown', { integrity: 'OK', status: 'PERMIT_NOT_FOUND' }, 'none'],
    ['tampered', { integrity: 'SIG_DIGEST_MISMATCH' }, 'none'],
    ['otherMa', { issuer: 'ISSUER_CERT_NOT_TRUSTED' }, 'none'],
    ['notXml', { integrity: 'XML_MALFORMED' }, 'none']
  ]
  for (const [name, expected, source] of presented) {
    it(`a presented document: ${name}`, async () => {
      const today = await verifyDocument(node as PermitNode, docs[name]!)
      const now = answer(await judgePresentedDocument(docs[name]!, { trust, verify }))
      expect(now).toStrictEqual(today)
      expect(codes(now)).toMatchObject(expected)
      expect(now.source).toBe(source)
    })
  }

  const stamps: Array<[string, string | undefined, string]> = [
    ['26CHPD1', undefined, 'OK'], ['26CHPD1', '', 'OK'], ['26CHPD1', 'CH-SS-0042', 'OK'], ['26CHPD1', '  CH-SS-0042 ', 'OK'],
    ['26CHPD1', 'CH-SS-0043', 'SECURITY_STAMP_MISMATCH'], ['26CHPC1', 'CH-SS-0043', 'SECURITY_STAMP_MISMATCH'], ['26CHPZZ', 'CH-SS-0043', 'PERMIT_NOT_FOUND']
  ]
  for (const [number, stamp, code] of stamps) {
    it(`verify by number ${number} with stamp ${JSON.stringify(stamp)}`, async () => {
      const q = { party: 'CH', number, ...(stamp !== undefined ? { securityStamp: stamp } : {}) }
      const today = await verifyByNumber(node as PermitNode, q)
      const now = answer(withStamp(await verify('CH', number), stamp))
      expect(now).toStrictEqual(today)
      expect(codes(now).integrity ?? codes(now).status).toBe(code)
    })
  }
})
