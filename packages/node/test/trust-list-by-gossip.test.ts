/**
 * Trust-list updates travel by gossip: CH's operator installs a newer list
 * that withdraws FR; CH announces it, TH fetches it from CH over
 * /cites/trust-list/1.0.0, verifies it against the anchor and applies it, and
 * FR is disconnected and kept out everywhere. A forged announcement (a
 * sequence nobody can produce) changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { peerIdFromString } from '@libp2p/peer-id'
import { Gossip, EVENTS_TOPIC } from '@cites/protocol'
import { waitFor } from '@cites/test-kit'
import { authorities, basePort, meshFormed, startPermitNode, stopAll, trustListXml, type Authority, type TestNode } from './kit.js'

describe('trust-list updates by gossip', () => {
  let all: Authority[]
  let nodes: TestNode[] = []
  const by = (p: string): TestNode => nodes.find((n) => n.a.party === p) as TestNode

  beforeAll(async () => {
    all = await authorities(['CH', 'TH', 'FR'], basePort())
    const xml = await trustListXml(all)
    nodes = await Promise.all(all.map(async (a) => await startPermitNode(a, xml)))
    await meshFormed(nodes)
  })
  afterAll(async () => { await stopAll(nodes) })

  it('a forged announcement (a list nobody holds) is rejected and changes nothing', async () => {
    const rejected = (): number => by('TH').node.internals.gossip.stats.rejected + by('CH').node.internals.gossip.stats.rejected
    const before = rejected()
    await by('FR').node.internals.libp2p.services.pubsub.publish(EVENTS_TOPIC, Gossip.encode({ event: new Uint8Array(0), checkpoint: new Uint8Array(0), trustListSequence: 99n }))
    await waitFor(() => rejected() >= before + 2, { timeoutMs: 10_000, what: 'both receivers to reject it' })
    expect(by('TH').node.trust.sequence).toBe(1)
    expect(by('CH').node.trust.sequence).toBe(1)
  })

  it('a newer list installed at CH reaches TH by gossip; FR, withdrawn, is disconnected everywhere', async () => {
    // The task force signs list 2 without FR (a later signing raises the sequence).
    const xml2 = await trustListXml(all.filter((a) => a.party !== 'FR'), 2)
    const r = await by('CH').node.acceptTrustList(xml2)
    expect(r.sequence).toBe(2)
    await waitFor(() => by('TH').node.trust.sequence === 2, { timeoutMs: 15_000, what: 'TH to fetch list 2' })
    expect(by('TH').node.internals.gossip.stats.trustListUpdates).toBe(1)
    const fr = peerIdFromString(by('FR').a.peerId)
    await waitFor(() => by('CH').node.internals.libp2p.getConnections(fr).length === 0 && by('TH').node.internals.libp2p.getConnections(fr).length === 0, { timeoutMs: 10_000, what: 'FR to be dropped' })
    // And kept out: FR's redials are refused by TH's gater. Once FR has seen
    // the close (before that its dial returns the old connection and never
    // reaches TH), wait until TH has judged and refused an attempt made after
    // this point (FR, still on list 1, also redials by itself), then look.
    const th = peerIdFromString(by('TH').a.peerId)
    await waitFor(() => by('FR').node.internals.libp2p.getConnections(th).length === 0, { timeoutMs: 10_000, what: 'FR to see TH close the connection' })
    const refusedBefore = by('TH').trust.refusals(fr.toString())
    await by('FR').node.internals.libp2p.dial(th).catch(() => {})
    await waitFor(() => by('TH').trust.refusals(fr.toString()) > refusedBefore, { timeoutMs: 10_000, what: 'TH\'s gater to refuse FR\'s redial' })
    expect(by('TH').node.internals.libp2p.getConnections(fr)).toHaveLength(0)
  })
})
