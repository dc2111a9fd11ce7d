/**
 * A permit's signed document (names and addresses of the trading parties)
 * stays with the two authorities of the trade (network.md §8, §8.1, r11).
 * Real libp2p on loopback, real ledgers: CH issues to TH; FR is a listed
 * authority that is a party to neither.
 *
 * - the destination gets the document with the delivery, and can fetch it;
 * - the third party is refused NOT_A_PARTY by the issuer and by the
 *   destination, counted and charged as a request an honest node never sends;
 * - a delivery with a tampered document is refused DOCUMENT_HASH_MISMATCH
 *   and nothing is stored; a fetched document that does not hash to what was
 *   asked is DOCUMENT_HASH_MISMATCH at the asker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lpStream } from '@libp2p/utils'
import { peerIdFromString } from '@libp2p/peer-id'
import { hex } from '@cites/ledger'
import {
  DOCUMENT_PROTOCOL, PeerDocumentHashMismatchError, DocumentResponse, Misbehaviour, ProtocolError, RefusalCounts, Status, deliverOnce, fetchDocument,
  handleDeliver, handleDocument, startDelivery, type DeliveryWorker
} from '../src/index.js'
import { NOW, chPermit, parties, startNode, stopNode, type RunningNode } from './kit.js'

const waitFor = async (cond: () => Promise<boolean>, ms = 10_000): Promise<boolean> => {
  for (let t = 0; t < ms; t += 50) {
    if (await cond()) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return await cond()
}

describe('a non-party cannot fetch a document', () => {
  let P: Awaited<ReturnType<typeof parties>>
  let ch: RunningNode
  let th: RunningNode
  let fr: RunningNode
  let worker: DeliveryWorker
  // What CH and TH count and charge.
  const refusals = { CH: new RefusalCounts(), TH: new RefusalCounts() }
  const misbehaviour = { CH: new Misbehaviour({ now: () => NOW }), TH: new Misbehaviour({ now: () => NOW }) }
  const N1 = '26CHP00001'
  const N2 = '26CHP00002'

  beforeAll(async () => {
    P = await parties()
    const listed = [P.CH, P.TH, P.FR]
    ch = await startNode(P.CH, listed)
    th = await startNode(P.TH, listed)
    fr = await startNode(P.FR, listed)
    for (const [n, party] of [[ch, 'CH'], [th, 'TH']] as const) {
      await handleDocument(n.node, { ledger: n.ledger, trust: n.trust, misbehaviour: misbehaviour[party], onRefused: refusals[party].count })
    }
    await handleDeliver(th.node, th.ledger, { trust: th.trust, signer: P.TH.signer, now: () => NOW })
    await ch.node.dial(th.node.getMultiaddrs())
    await fr.node.dial(ch.node.getMultiaddrs())
    await fr.node.dial(th.node.getMultiaddrs())
    await ch.ledger.issue(chPermit(N1))
    worker = startDelivery(ch.node, ch.ledger, ch.trust, { intervalMs: 50, minBackoffMs: 50 })
  }, 60_000)

  afterAll(async () => {
    await worker.stop()
    for (const n of [ch, th, fr]) await stopNode(n)
  })

  it('the destination gets the document with the delivery, and can fetch it from the issuer', async () => {
    expect(await waitFor(async () => (await ch.ledger.delivery('CH', N1))?.state === 'delivered')).toBe(true)
    const issued = await ch.ledger.document('CH', N1)
    expect(issued).toBeDefined()
    expect(await th.ledger.documentStatus('CH', N1)).toBe('held')
    expect(hex((await th.ledger.document('CH', N1))!)).toBe(hex(issued!))
    const sha256 = (await th.ledger.status('CH', N1))!.state.xmlSha256
    const got = await fetchDocument(th.node, peerIdFromString(P.CH.peerId), { party: 'CH', number: N1, sha256 })
    expect(got.status).toBe('OK')
    expect(got.status === 'OK' && hex(got.document)).toBe(hex(issued!))
  })

  it('the third party is refused NOT_A_PARTY by the issuer and by the destination, counted and charged', async () => {
    const sha256 = (await ch.ledger.status('CH', N1))!.state.xmlSha256
    for (const [party, peer] of [['CH', P.CH.peerId], ['TH', P.TH.peerId]] as const) {
      const before = misbehaviour[party].score(P.FR.peerId)
      const got = await fetchDocument(fr.node, peerIdFromString(peer), { party: 'CH', number: N1, sha256 })
      expect(got).toMatchObject({ status: 'REFUSED', code: 'NOT_A_PARTY' })
      expect('document' in got).toBe(false)
      expect(refusals[party].toJSON()).toMatchObject({ NOT_A_PARTY: 1 })
      // Charged as misbehaviour: a penalty point (-10 on its gossip score), not an ordinary refusal.
      expect(misbehaviour[party].score(P.FR.peerId)).toBeLessThanOrEqual(before - 9.9)
    }
    // The parties themselves were never charged.
    expect(misbehaviour.CH.score(P.TH.peerId)).toBe(0)
    expect(await fr.ledger.documentStatus('CH', N1)).toBe('absent')
  })

  it('a permit not known: NOT_FOUND DOCUMENT_NOT_HELD, not charged', async () => {
    const got = await fetchDocument(th.node, peerIdFromString(P.CH.peerId), { party: 'CH', number: '26CHP09999', sha256: 'ab'.repeat(32) })
    expect(got).toMatchObject({ status: 'NOT_FOUND', code: 'DOCUMENT_NOT_HELD' })
    expect(misbehaviour.CH.score(P.TH.peerId)).toBe(0)
  })

  it('a delivery carrying a tampered document is refused DOCUMENT_HASH_MISMATCH, and nothing is stored', async () => {
    await worker.stop()
    await ch.ledger.issue(chPermit(N2))
    const d = (await ch.ledger.delivery('CH', N2))!
    const [event] = await ch.ledger.eventsFrom('CH', d.seq, 1)
    const genuine = (await ch.ledger.document('CH', N2))!
    const tampered = new Uint8Array(genuine)
    // One byte of the signed XML changed (a quantity, a name): another hash.
    const at = Math.floor(tampered.length / 2)
    tampered[at] = tampered[at]! ^ 0x01
    const r = await deliverOnce(ch.node, peerIdFromString(P.TH.peerId), event!, d, ch.trust, { document: tampered })
    expect(r).toMatchObject({ delivered: false, codes: ['DOCUMENT_HASH_MISMATCH'] })
    expect(await th.ledger.documentStatus('CH', N2)).toBe('absent')
    // The genuine one is taken.
    const ok = await deliverOnce(ch.node, peerIdFromString(P.TH.peerId), event!, d, ch.trust, { document: genuine })
    expect(ok).toMatchObject({ delivered: true, codes: [] })
    expect(await th.ledger.documentStatus('CH', N2)).toBe('held')
  })

  it('a fetched document that does not hash to what was asked is DOCUMENT_HASH_MISMATCH at the asker', async () => {
    // FR answers every document request with a tampered copy.
    const genuine = (await ch.ledger.document('CH', N1))!
    const tampered = new Uint8Array(genuine)
    tampered[10] = tampered[10]! ^ 0x01
    await fr.node.handle(DOCUMENT_PROTOCOL, async (stream) => {
      const lp = lpStream(stream)
      await lp.read()
      await lp.write(DocumentResponse.encode({ status: Status.OK, document: tampered, code: '', message: '' }))
      await stream.close()
    })
    const sha256 = (await th.ledger.status('CH', N1))!.state.xmlSha256
    const err = await fetchDocument(th.node, peerIdFromString(P.FR.peerId), { party: 'CH', number: N1, sha256 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PeerDocumentHashMismatchError)
    expect(err).toBeInstanceOf(ProtocolError)
    expect((err as ProtocolError).code).toBe('DOCUMENT_HASH_MISMATCH')
  })
})
