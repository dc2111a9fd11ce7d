/**
 * Resource exhaustion by a listed insider (SECURITY.md §8, network.md §1.1
 * and §3.1). FR is on the trust list but runs a hostile libp2p node: it
 * floods 10,000 invalid gossip messages (faster than 10k a minute) at CH and
 * TH, then opens streams of every protocol past their limits. The real
 * nodes CH and TH must stay up, graylist FR (its score falls under -80 and
 * most of the flood is dropped unread), keep delivering CH's permits to TH
 * during the flood, and hold no more streams than the limits allow. The
 * latency of those deliveries, before and during the flood, is printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Stream } from '@libp2p/interface'
import { decodeEvent, signEvent } from '@cites/ledger'
import {
  Gossip, createAuthorisedNode, gossipScore, EVENTS_TOPIC, GOSSIP_SCORE_THRESHOLDS, STREAM_LIMITS, VERIFY_PROTOCOL,
  type AuthorisedNode
} from '@cites/protocol'
import { chPermit, waitFor } from '@cites/test-kit'
import { authorities, basePort, meshFormed, startPermitNode, stopAll, trustListXml, type Authority, type TestNode } from './kit.js'

const FLOOD = 10_000
/** Messages per burst and the pause between bursts: 50 per 100 ms, 30k a minute, three times the issue's rate. */
const BURST = 50
const BURST_GAP_MS = 100

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] ?? NaN }

describe('a listed peer floods gossip and exhausts streams', () => {
  let all: Authority[]
  let nodes: TestNode[] = []
  let flooder: AuthorisedNode | undefined
  const by = (p: string): TestNode => nodes.find((n) => n.a.party === p) as TestNode
  const fr = (): Authority => all.find((a) => a.party === 'FR') as Authority
  let serial = 0

  /** Issue a CH permit for TH and time it until TH's ledger holds it (the gossip path). */
  const deliveryMs = async (): Promise<number> => {
    const number = `26CH9${String(++serial).padStart(4, '0')}`
    await by('CH').node.issue(chPermit(number))
    const t0 = performance.now()
    await waitFor(async () => (await by('TH').node.internals.ledger.status('CH', number)) !== undefined, { timeoutMs: 30_000, what: `TH to hold ${number}` })
    return performance.now() - t0
  }

  beforeAll(async () => {
    all = await authorities(['CH', 'TH', 'FR'], basePort())
    const xml = await trustListXml(all)
    nodes = await Promise.all(all.filter((a) => a.party !== 'FR').map(async (a) => await startPermitNode(a, xml)))
    // FR's own gater lets it reach everyone; it is listed, so CH and TH admit it.
    flooder = await createAuthorisedNode({ privateKey: fr().peerKey, trust: { isAuthorisedPeer: () => true }, listen: [fr().address], sharedHost: true })
    await flooder.start()
    flooder.services.pubsub.subscribe(EVENTS_TOPIC)
    await meshFormed(nodes)
    for (const n of nodes) await flooder.dial(multiaddr(n.a.address))
    await waitFor(() => nodes.every((n) => flooder?.services.pubsub.getSubscribers(EVENTS_TOPIC).some((p) => p.toString() === n.a.peerId) === true), { timeoutMs: 20_000, what: 'FR to see both subscriptions' })
  })
  afterAll(async () => {
    await flooder?.stop()
    await stopAll(nodes)
  })

  it('a flood of 10,000 invalid gossip messages: FR is graylisted, most of the flood is dropped unread, and CH\'s permits still reach TH', async () => {
    const quiet: number[] = []
    for (let i = 0; i < 5; i++) quiet.push(await deliveryMs())

    // Three kinds of invalid message: bytes that do not decode, a Gossip with
    // no field set, and a well-formed event signed with FR's key but naming CH
    // as author (the costly kind: a signature check). Every publish carries a
    // new gossipsub sequence number, so none is a duplicate.
    const chEvent = decodeEvent((await by('CH').node.internals.ledger.eventsFrom('CH', 1, 1))[0] as Uint8Array)
    const forged = await signEvent({ ...chEvent.event, seq: 999_999n, permitNumber: '26CH-FLOOD' }, fr().signer)
    const kinds = [
      crypto.getRandomValues(new Uint8Array(200)),
      Gossip.encode({ event: new Uint8Array(0), checkpoint: new Uint8Array(0), trustListSequence: 0n }),
      Gossip.encode({ event: forged.bytes as Uint8Array<ArrayBuffer>, checkpoint: new Uint8Array(0), trustListSequence: 0n })
    ]
    const th = by('TH'); const ch = by('CH')
    const rejectedBefore = th.node.internals.gossip.stats.rejected
    let minScore = Infinity
    let sent = 0
    const t0 = performance.now()
    const flood = (async () => {
      while (sent < FLOOD) {
        for (let i = 0; i < BURST && sent < FLOOD; i++, sent++) {
          flooder?.services.pubsub.publish(EVENTS_TOPIC, kinds[sent % kinds.length]).catch(() => {})
        }
        minScore = Math.min(minScore, gossipScore(th.node.internals.libp2p, fr().peerId))
        await new Promise((resolve) => setTimeout(resolve, BURST_GAP_MS))
      }
    })()
    const during: number[] = []
    // Valid permits issued while the flood runs (about 20 s).
    await new Promise((resolve) => setTimeout(resolve, 1000))
    while (sent < FLOOD * 0.9) during.push(await deliveryMs())
    await flood
    const floodMs = performance.now() - t0
    minScore = Math.min(minScore, gossipScore(th.node.internals.libp2p, fr().peerId))

    const validated = th.node.internals.gossip.stats.rejected - rejectedBefore
    console.log([
      'gossip flood by a listed peer (10,000 invalid messages):',
      `  sent ${sent} in ${(floodMs / 1000).toFixed(1)} s (${Math.round(sent / floodMs * 60_000)} a minute)`,
      `  TH validated and rejected ${validated}; dropped unread while FR was graylisted: ${sent - validated}`,
      `  TH's lowest score for FR: ${minScore.toFixed(1)} (graylist threshold ${GOSSIP_SCORE_THRESHOLDS.graylistThreshold}); for CH: ${gossipScore(th.node.internals.libp2p, ch.a.peerId).toFixed(1)}`,
      `  CH→TH gossip delivery, quiet: median ${median(quiet).toFixed(0)} ms (n=${quiet.length}); during the flood: median ${median(during).toFixed(0)} ms, max ${Math.max(...during).toFixed(0)} ms (n=${during.length})`
    ].join('\n'))

    // The rate (paced at 30k a minute, three times the issue's 10k) is
    // reported above, not asserted: timing belongs in benchmarks.
    expect(sent).toBe(FLOOD)
    // The score fell below the graylist threshold, and gossipsub dropped most
    // of the flood before our validator saw it.
    expect(minScore).toBeLessThan(GOSSIP_SCORE_THRESHOLDS.graylistThreshold)
    expect(validated).toBeGreaterThan(0)
    expect(validated).toBeLessThan(FLOOD / 2)
    // CH is honest: its score is not touched; CH graylisted FR too.
    expect(gossipScore(th.node.internals.libp2p, ch.a.peerId)).toBeGreaterThanOrEqual(0)
    expect(gossipScore(ch.node.internals.libp2p, fr().peerId)).toBeLessThan(0)
    // Every valid permit arrived during the flood, and nothing forged got in.
    expect(during.length).toBeGreaterThanOrEqual(3)
    for (const n of nodes) expect(await n.node.internals.ledger.status('CH', '26CH-FLOOD')).toBeUndefined()
    expect((await th.node.status()).peerScores.FR).toBeLessThan(0)
    // TH is up and still judges permits.
    expect((await th.node.verify('CH', '26CH90001')).valid).toBe(true)
  }, 120_000)

  it('streams past every per-protocol limit are refused; the node keeps serving others and frees held streams after the 10 s timeout', async () => {
    const th = by('TH')
    const target = peerIdFromString(th.a.peerId)
    const held: Stream[] = []
    const heldBy: Record<string, Stream[]> = {}
    // FR opens 10 more streams than allowed on each protocol and sends nothing (a slowloris).
    for (const [protocol, limit] of Object.entries(STREAM_LIMITS)) {
      // Negotiation can complete before the listener counts the stream: one
      // over the limit is then reset by TH.
      const opened = await Promise.allSettled(Array.from({ length: limit.inbound + 10 }, async () => await flooder?.dialProtocol(target, protocol, { maxOutboundStreams: 1000 }) as Stream))
      heldBy[protocol] = opened.flatMap((o) => o.status === 'fulfilled' ? [o.value] : [])
      held.push(...heldBy[protocol])
    }
    const heldOnTh = (): Record<string, number> => {
      const out: Record<string, number> = {}
      for (const c of th.node.internals.libp2p.getConnections(peerIdFromString(fr().peerId))) {
        for (const s of c.streams) if (s.protocol !== undefined && s.protocol in STREAM_LIMITS) out[s.protocol] = (out[s.protocol] ?? 0) + 1
      }
      return out
    }
    // Negotiation can finish before TH counts a stream, and TH then resets
    // those over a limit: wait until TH holds exactly its limit on each.
    await waitFor(() => Object.entries(STREAM_LIMITS).every(([p, l]) => (heldOnTh()[p] ?? 0) === l.inbound), { timeoutMs: 8_000, what: 'TH to hold exactly each protocol\'s limit (well before its 10 s idle timeout)' })
    const atPeak = heldOnTh()
    const refusedOf = (): Record<string, number> => Object.fromEntries(Object.entries(heldBy).map(([p, ss]) => [p, ss.filter((s) => s.status !== 'open').length + (STREAM_LIMITS[p]?.inbound ?? 0) + 10 - ss.length]))
    // TH's resets reach FR a moment after TH counts its streams: wait for FR's side to see them (it cannot see more than TH refused).
    await waitFor(() => Object.keys(STREAM_LIMITS).every((p) => refusedOf()[p] === 10), { timeoutMs: 5_000, what: 'FR to see the streams over each limit refused' }).catch(() => {})
    const refusedBy = refusedOf()
    console.log(`stream exhaustion by FR (each limit + 10, held silent): open on TH per protocol ${JSON.stringify(atPeak)}; refused or reset ${JSON.stringify(refusedBy)}`)
    for (const [protocol, limit] of Object.entries(STREAM_LIMITS)) expect(atPeak[protocol] ?? 0, protocol).toBe(limit.inbound)

    // CH's verify through TH's node is unaffected (its own connection).
    const v = await by('CH').node.verify('CH', '26CH90001')
    expect(v.valid).toBe(true)
    // TH answers its own customs with CH meanwhile, too.
    expect((await th.node.verify('CH', '26CH90002')).valid).toBe(true)

    // Exactly the 10 over each limit were refused: the limit, not FR, stopped it.
    for (const protocol of Object.keys(STREAM_LIMITS)) expect(refusedBy[protocol], protocol).toBe(10)

    // Held streams time out (10 s), are answered MALFORMED, and are reset
    // when FR does not close its end within the linger (2 s): the slots are
    // free again, although FR never closes anything.
    await waitFor(() => Object.values(heldOnTh()).every((n) => n === 0), { timeoutMs: 20_000, what: 'TH to close the idle streams' })
    expect(held.every((s) => s.status !== 'open')).toBe(true)
    // FR (which is listed) can be served again once it behaves.
    const again = await flooder?.dialProtocol(target, VERIFY_PROTOCOL) as Stream
    expect(again.status).toBe('open')
    again.abort(new Error('done'))
  }, 60_000)
})
