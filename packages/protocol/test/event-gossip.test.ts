/**
 * Gossip on cites/events/2 between real nodes on loopback: CH's events reach
 * every replica through the ledger's checks; a forged event is rejected by the
 * topic validator and never enters a ledger; a node that missed events closes
 * the gap by sync.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { peerIdFromString } from '@libp2p/peer-id'
import { decodeEvent, signEvent } from '@cites/ledger'
import { EVENTS_TOPIC, Gossip, handleSync, startEventGossip, type EventGossip } from '../src/index.js'
import { chPermit, parties, startNode, stopNode, type Party, type RunningNode } from './kit.js'

const waitFor = async (cond: () => boolean | Promise<boolean>, ms = 15_000): Promise<boolean> => {
  for (let t = 0; t < ms; t += 50) {
    if (await cond()) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return await cond()
}

describe('event gossip (cites/events/2)', () => {
  let P: Awaited<ReturnType<typeof parties>>
  type Gossiping = RunningNode & { gossip?: EventGossip }
  const running: Gossiping[] = []
  const by: Record<string, Gossiping> = {}

  async function start (p: Party, listed: Party[], withGossip = true): Promise<Gossiping> {
    const n: Gossiping = await startNode(p, listed)
    await handleSync(n.node, n.ledger)
    if (withGossip) n.gossip = startEventGossip(n.node, n.ledger)
    running.push(n)
    by[p.party] = n
    return n
  }

  beforeAll(async () => {
    P = await parties()
    const listed = [P.CH, P.TH, P.FR]
    await start(P.CH, listed)
    await start(P.TH, listed)
    await by.TH!.node.dial(by.CH!.node.getMultiaddrs())
    // gossipsub needs the subscription exchanged before publishing reaches a peer (FACTS.md)
    await waitFor(() => by.CH!.node.services.pubsub.getSubscribers(EVENTS_TOPIC).length > 0 && by.TH!.node.services.pubsub.getSubscribers(EVENTS_TOPIC).length > 0)
  }, 60_000)

  afterAll(async () => {
    for (const n of running) { await n.gossip?.stop(); await stopNode(n) }
  })

  it('an issued permit reaches the replica through the topic validator', async () => {
    await by.CH!.ledger.issue(chPermit('26CHG00001'))
    expect(await waitFor(async () => (await by.TH!.ledger.status('CH', '26CHG00001')) !== undefined)).toBe(true)
    expect(by.TH!.gossip!.stats.accepted).toBeGreaterThanOrEqual(1)
    expect(by.TH!.ledger.heads().get('CH')).toEqual(by.CH!.ledger.heads().get('CH'))
  })

  it('a forged event is rejected by the validator and never enters the ledger', async () => {
    // FR joins as a hostile gossiper: no validator of ours, it just publishes.
    const fr = await start(P.FR, [P.CH, P.TH, P.FR], false)
    fr.node.services.pubsub.subscribe(EVENTS_TOPIC)
    await fr.node.dial(by.TH!.node.getMultiaddrs())
    await waitFor(() => fr.node.services.pubsub.getSubscribers(EVENTS_TOPIC).length > 0 && by.TH!.node.services.pubsub.getSubscribers(EVENTS_TOPIC).some((p) => p.equals(peerIdFromString(P.FR.peerId))))
    const [first] = await by.CH!.ledger.eventsFrom('CH', 1, 1)
    const e = decodeEvent(first!).event
    const forged = await signEvent({ ...e, seq: 2n, prevHash: decodeEvent(first!).hash as Uint8Array<ArrayBuffer>, permitNumber: '26CHFORGED' }, P.FR.signer)
    const rejectedBefore = by.TH!.gossip!.stats.rejected
    await fr.node.services.pubsub.publish(EVENTS_TOPIC, Gossip.encode({ event: forged.bytes as Uint8Array<ArrayBuffer>, checkpoint: new Uint8Array(0) }))
    await fr.node.services.pubsub.publish(EVENTS_TOPIC, new Uint8Array([0xde, 0xad, 0xbe, 0xef]))
    expect(await waitFor(() => by.TH!.gossip!.stats.rejected >= rejectedBefore + 2)).toBe(true)
    expect(await by.TH!.ledger.status('CH', '26CHFORGED')).toBeUndefined()
    expect(by.TH!.ledger.heads().get('CH')?.size).toBe(1)
  })

  it('a replica that missed events closes the gap by sync when the next one arrives', async () => {
    // Events 2..4 are written while TH is not listening on the topic.
    await by.TH!.gossip!.stop()
    for (const n of ['26CHG00002', '26CHG00003', '26CHG00004']) await by.CH!.ledger.issue(chPermit(n))
    expect(by.TH!.ledger.heads().get('CH')?.size).toBe(1)
    by.TH!.gossip = startEventGossip(by.TH!.node, by.TH!.ledger)
    await waitFor(() => by.CH!.node.services.pubsub.getSubscribers(EVENTS_TOPIC).some((p) => p.equals(peerIdFromString(P.TH.peerId))))
    await by.CH!.ledger.issue(chPermit('26CHG00005')) // #5 arrives after a gap: held, then sync
    expect(await waitFor(() => by.TH!.ledger.heads().get('CH')?.size === 5)).toBe(true)
    expect(by.TH!.gossip!.stats.gapSyncs).toBeGreaterThanOrEqual(1)
    expect(await by.TH!.ledger.verifyLog('CH')).toMatchObject({ ok: true, size: 5 })
  })
})
