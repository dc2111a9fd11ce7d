/**
 * Issue 18, finding 4, over real gossip (SECURITY.md, "Events ahead of the
 * log"; ledger.md §4.2, network.md §3). FR is listed but runs a hostile
 * libp2p node connected to TH only; CH hears FR only through TH. FR
 * publishes its own log with a gap: 1,000 small events and 30 of about
 * 295 KiB, all validly signed by FR. Before the bounds TH kept them all,
 * forwarded them to CH (which kept them too), credited FR's score for them
 * and started a sync of FR's log for almost every one. Now TH keeps at most
 * its caps, forwards none of them (CH never sees one), FR's score falls
 * (each event beyond the window from FR's own node costs it, network.md
 * §7.2) until TH graylists it and drops the rest unread, and the gap syncs
 * are debounced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { multiaddr } from '@multiformats/multiaddr'
import { IssuedBody, MAX_PENDING_BYTES, MAX_PENDING_EVENTS, PENDING_WINDOW, decodeEvent, signEvent, type EventFields, type PendingView } from '@cites/ledger'
import { Gossip, createAuthorisedNode, gossipScore, EVENTS_TOPIC, GAP_SYNC_INTERVAL_MS, GOSSIP_SCORE_THRESHOLDS, type AuthorisedNode } from '@cites/protocol'
import { chPermit, waitFor } from '@cites/test-kit'
import { authorities, basePort, meshFormed, startPermitNode, stopAll, trustListXml, type Authority, type TestNode } from './kit.js'

const SMALL = 1000
const LARGE = 30
const LARGE_BYTES = 295 * 1024
const BURST = 50
const BURST_GAP_MS = 20

describe('a listed peer floods gossip with events of its own log far ahead of what others hold', () => {
  let all: Authority[]
  let nodes: TestNode[] = []
  let flooder: AuthorisedNode | undefined
  const by = (p: string): TestNode => nodes.find((n) => n.a.party === p) as TestNode
  const fr = (): Authority => all.find((a) => a.party === 'FR') as Authority
  const pendingOf = (n: TestNode, author: string): PendingView | undefined => n.node.internals.ledger.pending().find((p) => p.author === author)

  beforeAll(async () => {
    all = await authorities(['CH', 'TH', 'FR'], basePort())
    const xml = await trustListXml(all)
    nodes = await Promise.all(all.filter((a) => a.party !== 'FR').map(async (a) => await startPermitNode(a, xml)))
    // FR talks to TH only (its gater refuses CH), so CH hears FR only through TH.
    flooder = await createAuthorisedNode({ privateKey: fr().peerKey, trust: { isAuthorisedPeer: (id) => id === by('TH').a.peerId }, listen: [fr().address], sharedHost: true })
    await flooder.start()
    flooder.services.pubsub.subscribe(EVENTS_TOPIC)
    await meshFormed(nodes)
    await flooder.dial(multiaddr(by('TH').a.address))
    await waitFor(() => flooder?.services.pubsub.getSubscribers(EVENTS_TOPIC).some((p) => p.toString() === by('TH').a.peerId) === true &&
      by('TH').node.internals.libp2p.services.pubsub.getSubscribers(EVENTS_TOPIC).some((p) => p.toString() === fr().peerId), { timeoutMs: 20_000, what: 'FR and TH to see each other on the topic' })
  }, 120_000)
  afterAll(async () => {
    await flooder?.stop()
    await stopAll(nodes)
  })

  it('1,000 gapped events and 30 of 295 KiB stop at TH: held under its caps, not forwarded to CH, FR graylisted, gap syncs debounced', async () => {
    const th = by('TH'); const ch = by('CH')
    // FR's log, signed by FR: a genuine ISSUED event's body under FR's name, chained.
    await ch.node.issue(chPermit('26CH7GAP1'))
    const template = decodeEvent((await ch.node.internals.ledger.eventsFrom('CH', 1, 1))[0] as Uint8Array).event
    const { certSha256: _, version: _v, carriedFrom: _f, carriedAt: _a, ...fields } = template
    const body = IssuedBody.decode(template.body)
    const chain: Uint8Array[] = []
    let prev: Uint8Array = new Uint8Array(0)
    for (let seq = 1; seq <= 2 + LARGE + SMALL; seq++) {
      const large = seq >= 3 && seq < 3 + LARGE
      const b = large ? IssuedBody.encode({ ...body, purpose: ' '.repeat(LARGE_BYTES - 2048) }) : template.body
      const e: EventFields = { ...fields, author: 'FR', permitParty: 'FR', permitNumber: `26FR${String(seq).padStart(5, '0')}`, seq: BigInt(seq), prevHash: prev as Uint8Array<ArrayBuffer>, body: b as Uint8Array<ArrayBuffer> }
      const le = await signEvent(e, fr().signer)
      chain.push(le.bytes)
      prev = le.hash
    }
    const publish = async (b: Uint8Array): Promise<void> => { await flooder?.services.pubsub.publish(EVENTS_TOPIC, Gossip.encode({ event: b as Uint8Array<ArrayBuffer>, checkpoint: new Uint8Array(0), trustListSequence: 0n })) }

    // FR's #1 is an ordinary event: TH accepts it and it travels on to CH.
    await publish(chain[0]!)
    await waitFor(() => ch.node.internals.ledger.heads().get('FR')?.size === 1, { timeoutMs: 20_000, what: 'FR #1 to reach CH through TH' })

    const thStats = th.node.internals.gossip.stats
    const chStats = ch.node.internals.gossip.stats
    const start = { thAhead: thStats.ahead, thAccepted: thStats.accepted, thGapSyncs: thStats.gapSyncs, chAhead: chStats.ahead, score: gossipScore(th.node.internals.libp2p, fr().peerId) }
    // The flood, #2 withheld: small events first, then the large ones.
    const flood = [...chain.slice(2 + LARGE), ...chain.slice(2, 2 + LARGE)]
    const t0 = performance.now()
    for (let i = 0; i < flood.length; i += BURST) {
      await Promise.all(flood.slice(i, i + BURST).map(async (b) => { await publish(b).catch(() => {}) }))
      await new Promise((resolve) => setTimeout(resolve, BURST_GAP_MS))
    }
    // TH validates the flood until FR's score falls below the graylist threshold; the rest is dropped unread.
    const graylisted = (): boolean => gossipScore(th.node.internals.libp2p, fr().peerId) < GOSSIP_SCORE_THRESHOLDS.graylistThreshold
    await waitFor(() => thStats.ahead - start.thAhead >= flood.length || graylisted(), { timeoutMs: 60_000, what: 'TH to validate the flood or graylist FR' })
    const floodMs = performance.now() - t0
    // gossipsub recomputes scores on its heartbeat: a flood validated within one heartbeat shows in the score at the next.
    await waitFor(graylisted, { timeoutMs: 10_000, what: 'FR\'s score to fall below the graylist threshold' }).catch(() => {})
    const score = gossipScore(th.node.internals.libp2p, fr().peerId)
    const held = pendingOf(th, 'FR')
    const gapSyncs = thStats.gapSyncs - start.thGapSyncs
    // Graylisted, even FR's genuine #2 is dropped unread at TH (FR's log reaches TH by sync).
    await publish(chain[1]!)
    console.log([
      'gapped-event flood by a listed peer (1,000 + 30 × 295 KiB, FR #2 withheld):',
      `  TH validated ${thStats.ahead - start.thAhead} events ahead of its log in ${(floodMs / 1000).toFixed(1)} s, accepted (forwarded) none, and dropped the rest unread once FR was graylisted`,
      `  TH holds of FR: ${held?.events ?? 0} events, ${held?.bytes ?? 0} bytes (caps ${MAX_PENDING_EVENTS}, ${MAX_PENDING_BYTES}; window ${PENDING_WINDOW})`,
      `  gap syncs of FR's log started by TH: ${gapSyncs} (one per ${GAP_SYNC_INTERVAL_MS} ms at most)`,
      `  TH's score for FR: ${start.score.toFixed(2)} before, ${score.toFixed(2)} after; CH validated ${chStats.ahead - start.chAhead} of the flood`
    ].join('\n'))

    // Held under the caps, within the window.
    expect(held).toBeDefined()
    expect(held!.events).toBeLessThanOrEqual(MAX_PENDING_EVENTS)
    expect(held!.bytes).toBeLessThanOrEqual(MAX_PENDING_BYTES)
    expect(held!.highest).toBeLessThanOrEqual(1 + PENDING_WINDOW)
    // None of it was accepted, so none was forwarded: CH never saw one, and holds nothing of it.
    expect(thStats.accepted - start.thAccepted).toBe(0)
    expect(chStats.ahead - start.chAhead).toBe(0)
    expect(pendingOf(ch, 'FR')).toBeUndefined()
    // The flood cost FR: graylisted at TH (its messages, #2 too, dropped unread).
    expect(score).toBeLessThan(start.score)
    expect(score).toBeLessThan(GOSSIP_SCORE_THRESHOLDS.graylistThreshold)
    // One gap sync per interval, not one per event.
    expect(gapSyncs).toBeLessThanOrEqual(1 + Math.ceil((performance.now() - t0) / GAP_SYNC_INTERVAL_MS))
    // TH still judges permits.
    expect((await th.node.verify('CH', '26CH7GAP1')).valid).toBe(true)
  }, 240_000)
})
