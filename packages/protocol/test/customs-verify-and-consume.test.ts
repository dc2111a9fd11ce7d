/**
 * The customs flows over the wire, between real nodes: verify a permit with
 * the issuer (or a replica), and use it once through the issuer, with signed
 * requests and signed receipts. Named attacks: a diverted permit used at the
 * wrong destination, a second use, a forged, relayed or stale request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { peerIdFromString } from '@libp2p/peer-id'
import {
  CONSUME_PROTOCOL, ConsumeRequest, ConsumeResponse, handleConsume, handleSync, handleVerify, requestConsumption,
  signConsumeRequest, syncLog, verifyRemote
} from '../src/index.js'
import { lpStream } from '@libp2p/utils'
import { NOW, chPermit, parties, startNode, stopNode, type RunningNode } from './kit.js'

describe('customs verify and consume over the wire', () => {
  let P: Awaited<ReturnType<typeof parties>>
  const by: Record<string, RunningNode> = {}
  const LINES = [{ line: 'A', quantity: 50, unit: 'PCS' }]
  const codes = (v: { checks: Array<{ name: string, reason: { code: string } }> }) => Object.fromEntries(v.checks.map((c) => [c.name, c.reason.code]))

  beforeAll(async () => {
    P = await parties()
    for (const p of [P.CH, P.TH, P.FR]) {
      const n = await startNode(p, [P.CH, P.TH, P.FR])
      await handleSync(n.node, n.ledger)
      await handleVerify(n.node, n.ledger)
      await handleConsume(n.node, n.ledger, { trust: n.trust, now: () => NOW })
      by[p.party] = n
    }
    await by.TH!.node.dial(by.CH!.node.getMultiaddrs())
    await by.FR!.node.dial(by.CH!.node.getMultiaddrs())
    await by.TH!.node.dial(by.FR!.node.getMultiaddrs())
    await by.CH!.ledger.issue(chPermit('26CHC00001'))
    await by.CH!.ledger.issue(chPermit('26CHC00002'))
  }, 60_000)

  afterAll(async () => {
    for (const r of Object.values(by)) await stopNode(r)
  })

  const chPeer = () => peerIdFromString(P.CH.peerId)
  const consumeAs = (who: 'TH' | 'FR', number: string, lines = LINES, now = NOW) =>
    requestConsumption(by[who]!.node, chPeer(), { party: 'CH', number, lines, port: who === 'TH' ? 'THBKK' : 'FRCDG' }, { requester: who, signer: by[who]!.p.signer, trust: by[who]!.trust, now })

  // TH is the destination: it holds the document, delivered beside the ISSUED event (network.md §8, r11).
  const document = async (number: string): Promise<Uint8Array> => (await by.CH!.ledger.document('CH', number))!

  it('TH verifies a permit with its issuer: genuine, in force, unused, confirmed by the issuer', async () => {
    // Without the document, only the issuer's signed summary: never a valid verdict (r17).
    const summary = await verifyRemote(by.TH!.node, chPeer(), { party: 'CH', number: '26CHC00001', trust: by.TH!.trust, now: new Date(NOW) })
    expect([summary.valid, codes(summary).integrity, codes(summary).issuer, codes(summary).status]).toEqual([false, 'DOCUMENT_NOT_PRESENTED', 'REGISTERED_BY_ISSUER', 'OK'])
    const v = await verifyRemote(by.TH!.node, chPeer(), { party: 'CH', number: '26CHC00001', trust: by.TH!.trust, now: new Date(NOW), document: await document('26CHC00001') })
    expect(v.valid).toBe(true)
    // An export permit with Box 14 empty: valid, flagged for the officer (issue 20).
    expect(codes(v)).toEqual({ integrity: 'OK', issuer: 'OK', rules: 'OK', validity: 'OK', status: 'OK', use: 'NOT_ENDORSED_AT_EXPORT', confirmation: 'ISSUER_CONFIRMED' })
    expect(v.answeredBy).toBe('CH')
    const missing = await verifyRemote(by.TH!.node, chPeer(), { party: 'CH', number: 'NOPE', trust: by.TH!.trust, now: new Date(NOW) })
    expect([missing.valid, codes(missing).status]).toEqual([false, 'PERMIT_NOT_FOUND'])
  })

  it('refuses a diverted permit presented at the wrong destination, and records the attempt', async () => {
    const r = await consumeAs('FR', '26CHC00001')
    expect(r.code).toBe('NOT_DESTINATION')
    expect((await by.CH!.ledger.alerts()).map((a) => a.kind)).toContain('DIVERTED_USE')
    expect((await by.CH!.ledger.status('CH', '26CHC00001'))?.status).toBe('ISSUED')
  })

  it('uses a permit once: a signed receipt, then ALREADY_CONSUMED with the first receipt', async () => {
    expect((await consumeAs('TH', '26CHC00001', [{ line: 'A', quantity: 51, unit: 'PCS' }])).code).toBe('QUANTITY_EXCEEDED')
    const first = await consumeAs('TH', '26CHC00001')
    expect(first.code).toBe('OK')
    expect(first.receipt).toMatchObject({ party: 'CH', number: '26CHC00001', port: 'THBKK', consumingParty: 'TH' })
    const again = await consumeAs('TH', '26CHC00001')
    expect(again.code).toBe('ALREADY_CONSUMED')
    expect(again.receipt?.seq).toBe(first.receipt?.seq)
    expect(again.receipt?.eventHash).toBe(first.receipt?.eventHash)
    const v = await verifyRemote(by.TH!.node, chPeer(), { party: 'CH', number: '26CHC00001', trust: by.TH!.trust, now: new Date(NOW) })
    expect([v.valid, codes(v).use]).toEqual([false, 'ALREADY_CONSUMED'])
    expect(v.receipt?.seq).toBe(first.receipt?.seq)
  })

  it('a replica answers too, but says it is not the issuer', async () => {
    await syncLog(by.FR!.node, chPeer(), by.FR!.ledger, 'CH')
    const v = await verifyRemote(by.TH!.node, peerIdFromString(P.FR.peerId), { party: 'CH', number: '26CHC00001', trust: by.TH!.trust, now: new Date(NOW) })
    expect(codes(v)).toMatchObject({ use: 'ALREADY_CONSUMED', confirmation: 'NOT_CONFIRMED_BY_ISSUER' })
    expect(v.answeredBy).toBe('FR')
  })

  it('refuses a forged, a relayed and a stale consumption request', async () => {
    // forged: FR signs a request in TH's name
    const forged = await signConsumeRequest({ party: 'CH', number: '26CHC00002', lines: LINES, port: 'THBKK' }, 'TH', P.FR.signer, NOW)
    const send = async (from: RunningNode, request: Uint8Array) => {
      const stream = await from.node.dialProtocol(chPeer(), CONSUME_PROTOCOL)
      const lp = lpStream(stream)
      await lp.write(ConsumeRequest.encode({ request: request as Uint8Array<ArrayBuffer> }))
      const res = ConsumeResponse.decode(await lp.read())
      await stream.close().catch(() => {})
      return res.code
    }
    expect(await send(by.FR!, forged)).toBe('REQUEST_SIGNATURE_INVALID')
    // relayed: a genuine TH request sent from FR's node
    const genuine = await signConsumeRequest({ party: 'CH', number: '26CHC00002', lines: LINES, port: 'THBKK' }, 'TH', P.TH.signer, NOW)
    expect(await send(by.FR!, genuine)).toBe('REQUESTER_NOT_PEER')
    // stale: signed 20 minutes ago
    expect((await consumeAs('TH', '26CHC00002', LINES, NOW - 20 * 60_000)).code).toBe('REQUEST_STALE')
    // garbage
    expect(await send(by.TH!, new Uint8Array([1, 2, 3]))).toBe('MALFORMED')
    // none of these used the permit
    expect((await by.CH!.ledger.status('CH', '26CHC00002'))?.status).toBe('ISSUED')
    expect((await consumeAs('TH', '26CHC00002')).code).toBe('OK')
  })
})
