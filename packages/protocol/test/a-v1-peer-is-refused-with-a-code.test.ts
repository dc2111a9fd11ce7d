/**
 * Ledger events v2 (network.md r11): a node still on v1 exchanges no event
 * with a v2 node, and both sides learn why. TH runs the v2 node; CH runs a
 * real libp2p node that speaks only the v1 ids and the v1 topic (its
 * handlers are the same ports, registered at the v1 ids, as a v1 node had).
 *
 * - CH asks TH on each v1 id: the v1 response message, REFUSED,
 *   EVENT_VERSION_MISMATCH, counted per protocol; TH takes nothing.
 * - TH asks CH (v1 only): protocol negotiation fails, surfaced as
 *   ProtocolError PEER_EVENT_VERSION_MISMATCH; CH is never asked anything.
 * - CH gossips on cites/events/1: nobody is subscribed, TH sees nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLibp2p, type Libp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { gossipsub } from '@libp2p/gossipsub'
import { peerIdFromString } from '@libp2p/peer-id'
import { hex, type DeliveryRecord, type Ledger } from '@cites/ledger'
import {
  CONSUME_PROTOCOL, ConsumeRequest, ConsumeResponse, DELIVER_PROTOCOL, DeliverRequest, DeliverResponse, EVENTS_TOPIC, EVENT_VERSION_MISMATCH, Gossip,
  PeerEventVersionMismatchError, ProtocolError, RefusalCounts, SYNC_PROTOCOL, Status, SyncRequest, SyncResponse, V1_EVENT_PROTOCOLS, VERIFY_PROTOCOL,
  VerifyRequest, VerifyResponse, ask, consumeService, createAuthorisedNode, deliverOnce, deliverService, ledgerConsumePort, ledgerDeliverPort,
  ledgerSyncPort, ledgerVerifyPort, requestConsumption, signConsumeRequest, startEventGossip, syncLog, syncService, verifyRemote, verifyService,
  versionRefusalServices, type AuthorisedNode, type EventGossip, type ProtocolServiceComponents
} from '../src/index.js'
import { NOW, chPermit, ledgerFor, parties, tempDir, trustFor } from './kit.js'

const V1_TOPIC = 'cites/events/1'
const waitFor = async (cond: () => boolean, ms = 10_000): Promise<boolean> => {
  for (let t = 0; t < ms && !cond(); t += 50) await new Promise((resolve) => setTimeout(resolve, 50))
  return cond()
}

describe('a v1 peer is refused with a code, and a v1 peer asked is named as one', () => {
  let P: Awaited<ReturnType<typeof parties>>
  const dirs = { CH: tempDir(), TH: tempDir() }
  // TH: the v2 node under test.
  let th: { node: AuthorisedNode, ledger: Ledger, gossip: EventGossip, refusals: RefusalCounts }
  // CH: a node on ledger events v1 (its wire ids and topic).
  let ch: { node: Libp2p<{ identify: ReturnType<ReturnType<typeof identify>>, pubsub: ReturnType<ReturnType<typeof gossipsub>> }>, ledger: Ledger, asked: string[] }
  let event: Uint8Array

  beforeAll(async () => {
    P = await parties()
    const trust = await trustFor([P.CH, P.TH])
    const thLedger = await ledgerFor(P.TH, trust, dirs.TH.path)
    const refusals = new RefusalCounts()
    const thNode = await createAuthorisedNode({
      privateKey: P.TH.peerKey,
      trust,
      services: {
        sync: syncService({ port: ledgerSyncPort(thLedger) }),
        verify: verifyService({ port: ledgerVerifyPort(thLedger) }),
        consume: consumeService({ port: ledgerConsumePort({ ledger: thLedger, trust, now: () => NOW }) }),
        deliver: deliverService({ port: ledgerDeliverPort(thLedger, { trust, signer: P.TH.signer, now: () => NOW }) }),
        ...versionRefusalServices({ onRefused: (protocol) => { refusals.count(protocol) } })
      }
    })
    await thNode.start()
    th = { node: thNode, ledger: thLedger, gossip: startEventGossip(thNode, thLedger), refusals }

    const chLedger = await ledgerFor(P.CH, trust, dirs.CH.path)
    const chNode = await createLibp2p({
      privateKey: P.CH.peerKey,
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      services: { identify: identify(), pubsub: gossipsub({ globalSignaturePolicy: 'StrictSign', fallbackToFloodsub: false, emitSelf: false }) }
    })
    await chNode.start()
    ch = { node: chNode, ledger: chLedger, asked: [] }
    // CH's handlers at the v1 ids, as a v1 node registered them (the same
    // ports); each request reaching one is noted.
    const atV1Id = (protocol: string): ProtocolServiceComponents => ({
      registrar: {
        handle: async (_v2, handler, options) => { await chNode.handle(protocol, (stream, c) => { ch.asked.push(protocol); return handler(stream, c) }, options) },
        unhandle: async () => { await chNode.unhandle(protocol) }
      }
    })
    await syncService({ port: ledgerSyncPort(chLedger) })(atV1Id(V1_EVENT_PROTOCOLS.sync)).start()
    await verifyService({ port: ledgerVerifyPort(chLedger) })(atV1Id(V1_EVENT_PROTOCOLS.verify)).start()
    await consumeService({ port: ledgerConsumePort({ ledger: chLedger, trust, now: () => NOW }) })(atV1Id(V1_EVENT_PROTOCOLS.consume)).start()
    await deliverService({ port: ledgerDeliverPort(chLedger, { trust, signer: P.CH.signer, now: () => NOW }) })(atV1Id(V1_EVENT_PROTOCOLS.deliver)).start()
    chNode.services.pubsub.subscribe(V1_TOPIC)

    await ch.ledger.issue(chPermit('26CHV00001'))
    ;[event] = await ch.ledger.eventsFrom('CH', 1, 1) as [Uint8Array]
    await ch.node.dial(th.node.getMultiaddrs())
  }, 60_000)

  afterAll(async () => {
    await th.gossip.stop()
    await th.node.stop()
    await ch.node.stop()
    await th.ledger.close()
    await ch.ledger.close()
    for (const d of Object.values(dirs)) d.cleanup()
  })

  it('CH asks TH on each v1 id and gets the v1 answer REFUSED with EVENT_VERSION_MISMATCH, counted per protocol; no event crosses', async () => {
    const thPeer = peerIdFromString(P.TH.peerId)
    const mismatch = expect.stringMatching(/^EVENT_VERSION_MISMATCH: this node speaks ledger events v2 \(ledger\.md r17\)/)
    const sync = await ask(ch.node, thPeer, V1_EVENT_PROTOCOLS.sync, 1 << 20, SyncRequest, SyncResponse,
      { author: 'TH', fromSeq: 1n, limit: 0, knownHash: new Uint8Array(0), checkpoint: new Uint8Array(0), heads: [] })
    expect(sync).toMatchObject({ status: Status.REFUSED, events: [], message: mismatch })
    const verify = await ask(ch.node, thPeer, V1_EVENT_PROTOCOLS.verify, 1 << 20, VerifyRequest, VerifyResponse, { party: 'TH', number: '26THX00001' })
    expect(verify).toMatchObject({ status: Status.REFUSED, events: [], message: mismatch })
    const request = await signConsumeRequest({ party: 'TH', number: '26THX00001', lines: [{ line: 'A', quantity: 1, unit: 'PCS' }], port: 'CHGVA' }, 'CH', P.CH.signer, NOW)
    const consume = await ask(ch.node, thPeer, V1_EVENT_PROTOCOLS.consume, 1 << 20, ConsumeRequest, ConsumeResponse, { request: request as Uint8Array<ArrayBuffer> })
    expect(consume).toMatchObject({ status: Status.REFUSED, code: EVENT_VERSION_MISMATCH, message: mismatch })
    // CH's ISSUED event for TH, pushed on the v1 id: refused unread, not taken.
    const deliver = await ask(ch.node, thPeer, V1_EVENT_PROTOCOLS.deliver, 1 << 20, DeliverRequest, DeliverResponse, { event: event as Uint8Array<ArrayBuffer>, checkpoint: new Uint8Array(0) })
    expect(deliver).toMatchObject({ status: Status.REFUSED, message: mismatch })
    expect(deliver.ack.length).toBe(0)
    expect(th.refusals.toJSON()).toEqual({
      [V1_EVENT_PROTOCOLS.sync]: 1, [V1_EVENT_PROTOCOLS.verify]: 1, [V1_EVENT_PROTOCOLS.consume]: 1, [V1_EVENT_PROTOCOLS.deliver]: 1
    })
    expect(th.ledger.heads().get('CH')).toBeUndefined()
    expect(await th.ledger.status('CH', '26CHV00001')).toBeUndefined()
  })

  it('TH asking CH (v1 only) gets PEER_EVENT_VERSION_MISMATCH on every event protocol; CH is never asked', async () => {
    const chPeer = peerIdFromString(P.CH.peerId)
    const trust = await trustFor([P.CH, P.TH])
    const d: DeliveryRecord = { party: 'CH', number: '26CHV00001', seq: 1, destination: 'CH', eventHash: hex(new Uint8Array(32)), state: 'pending', attempts: 0, nextAttempt: 0 }
    const attempts: Array<[string, () => Promise<unknown>]> = [
      [SYNC_PROTOCOL, async () => await syncLog(th.node, chPeer, th.ledger, 'CH')],
      [VERIFY_PROTOCOL, async () => await verifyRemote(th.node, chPeer, { party: 'CH', number: '26CHV00001', trust, now: new Date(NOW) })],
      [CONSUME_PROTOCOL, async () => await requestConsumption(th.node, chPeer, { party: 'CH', number: '26CHV00001', lines: [{ line: 'A', quantity: 1, unit: 'PCS' }], port: 'THBKK' }, { requester: 'TH', signer: P.TH.signer, trust, now: NOW })],
      [DELIVER_PROTOCOL, async () => await deliverOnce(th.node, chPeer, event, d, trust)]
    ]
    for (const [protocol, attempt] of attempts) {
      const err = await attempt().then(() => undefined, (e: unknown) => e)
      expect(err, protocol).toBeInstanceOf(PeerEventVersionMismatchError)
      expect(err).toBeInstanceOf(ProtocolError)
      expect(err).toMatchObject({ code: 'PEER_EVENT_VERSION_MISMATCH', protocol })
    }
    // Negotiation failed before any request: CH's v1 handlers saw nothing, TH took nothing.
    expect(ch.asked).toEqual([])
    expect(th.ledger.heads().get('CH')).toBeUndefined()
  })

  it('CH gossips its event on cites/events/1: TH is not subscribed there and validates nothing', async () => {
    // TH's subscription has reached CH (so a v2 topic would be delivered), and it is to the v2 topic only.
    expect(await waitFor(() => ch.node.services.pubsub.getSubscribers(EVENTS_TOPIC).length > 0)).toBe(true)
    expect(ch.node.services.pubsub.getSubscribers(V1_TOPIC)).toEqual([])
    const sent = await ch.node.services.pubsub.publish(V1_TOPIC, Gossip.encode({ event: event as Uint8Array<ArrayBuffer>, checkpoint: new Uint8Array(0), trustListSequence: 0n }))
      .then((r) => r.recipients.length, (e: unknown) => (e as Error).message)
    expect(sent === 0 || sent === 'PublishError.NoPeersSubscribedToTopic').toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(th.gossip.stats).toMatchObject({ accepted: 0, rejected: 0, ignored: 0 })
    expect(th.ledger.heads().get('CH')).toBeUndefined()
  })
})
