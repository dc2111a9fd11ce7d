/**
 * The network end to end with real nodes on loopback: five authorities (CH,
 * TH, FR, US, CN) built with createPermitNode, and a stranger S that is not
 * on the trust list. CH issues a permit to TH; everyone receives it by
 * gossip, TH acknowledges delivery, TH's customs verifies and consumes it; a
 * second use at FR (diverted) and at TH (again) are refused with evidence;
 * S gets nothing in. Forged events from a listed peer never reach a ledger.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import { EventType, decodeEvent, signEvent } from '@cites/ledger'
import { Gossip, createAuthorisedNode, DELIVER_PROTOCOL, EVENTS_TOPIC, type AuthorisedNode } from '@cites/protocol'
import { chPermit, NOW, USE_A, waitFor } from '@cites/test-kit'
import { authorities, basePort, meshFormed, startPermitNode, stopAll, trustListXml, type Authority, type TestNode } from './kit.js'

describe('five authorities and a stranger', () => {
  let all: Authority[]
  let nodes: TestNode[] = []
  let stranger: AuthorisedNode | undefined
  const by = (p: string): TestNode => nodes.find((n) => n.a.party === p) as TestNode

  beforeAll(async () => {
    const port = basePort()
    all = await authorities(['CH', 'TH', 'FR', 'US', 'CN', 'XS'], port)
    const listed = all.filter((a) => a.party !== 'XS')
    const xml = await trustListXml(listed)
    nodes = await Promise.all(listed.map(async (a) => await startPermitNode(a, xml)))
    await meshFormed(nodes)
  })
  afterAll(async () => {
    await stranger?.stop()
    await stopAll(nodes)
  })

  it('gossips an issued permit to every authority and delivers it to the destination, which acknowledges it', async () => {
    const { state } = await by('CH').node.issue(chPermit('26CH70001'))
    expect(state.destination).toBe('TH')
    for (const n of nodes) await waitFor(async () => (await n.node.internals.ledger.status('CH', '26CH70001')) !== undefined, { timeoutMs: 20_000, what: `${n.a.party} to hold the permit` })
    await waitFor(async () => (await by('CH').node.internals.ledger.delivery('CH', '26CH70001'))?.state === 'delivered', { timeoutMs: 20_000, what: 'delivery' })
    const d = await by('CH').node.internals.ledger.delivery('CH', '26CH70001')
    expect(d).toMatchObject({ state: 'delivered', destination: 'TH', codes: [] })
    expect(d?.ack).toMatch(/^[0-9a-f]+$/)
  })

  it('TH customs verifies it with the issuer: valid and confirmed', async () => {
    const v = await by('TH').node.verify('CH', '26CH70001')
    expect(v.valid).toBe(true)
    expect(v.source).toBe('issuer')
    expect(v.checks.map((c) => `${c.name}:${c.status}`)).toEqual(['integrity:VALID', 'issuer:VALID', 'rules:VALID', 'reference:VALID', 'validity:VALID', 'status:VALID', 'use:VALID', 'confirmation:VALID', 'destination:VALID'])
  })

  it('TH consumes it; a diverted use at FR and a second use at TH are refused with the first receipt as evidence', async () => {
    const first = await by('TH').node.consume('CH', '26CH70001', USE_A)
    expect(first).toMatchObject({ outcome: 'CONSUMED', code: 'OK', receipt: { consumingParty: 'TH', port: 'THBKK' } })

    const diverted = await by('FR').node.consume('CH', '26CH70001', { ...USE_A, port: 'FRPAR' })
    expect(diverted).toMatchObject({ outcome: 'REFUSED', code: 'NOT_DESTINATION', receipt: { seq: first.receipt?.seq, port: 'THBKK' } })
    expect((await by('CH').node.alerts()).map((a) => a.kind)).toContain('DIVERTED_USE')
    // The attempt is on CH's signed record (USE_REFUSED), and alerts TH, the destination, too.
    await waitFor(async () => (await by('TH').node.alerts()).some((a) => a.kind === 'DIVERTED_USE' && a.message.includes('FRPAR')), { timeoutMs: 20_000, what: 'the alert at TH' })
    expect((await by('US').node.alerts()).filter((a) => a.kind === 'DIVERTED_USE')).toEqual([])

    const again = await by('TH').node.consume('CH', '26CH70001', USE_A)
    expect(again).toMatchObject({ outcome: 'REFUSED', code: 'ALREADY_CONSUMED', receipt: { seq: first.receipt?.seq, eventHash: first.receipt?.eventHash } })

    // Every authority converges on CONSUMED through gossip.
    for (const n of nodes) await waitFor(async () => (await n.node.internals.ledger.status('CH', '26CH70001'))?.status === 'CONSUMED', { timeoutMs: 20_000, what: `${n.a.party} to see the use` })
    const v = await by('US').node.verify('CH', '26CH70001')
    expect(v.valid).toBe(false)
    expect(v.checks.find((c) => c.name === 'use')?.reason.code).toBe('ALREADY_CONSUMED')
  })

  it('a stranger can neither connect nor deliver nor gossip: 0 connections and 0 accepted messages on the listeners\' side', async () => {
    const xs = all.find((a) => a.party === 'XS') as Authority
    // The stranger's own gater lets it try everyone; ours must refuse it.
    stranger = await createAuthorisedNode({ privateKey: xs.peerKey, trust: { isAuthorisedPeer: () => true }, listen: [xs.address] })
    await stranger.start()
    const before = nodes.map((n) => ({ accepted: n.node.internals.gossip.stats.accepted, size: n.node.internals.ledger.heads().get('CH')?.size ?? 0 }))
    const ch = by('CH')
    for (const n of nodes) {
      await stranger.dial(multiaddr(`${n.a.address}/p2p/${n.a.peerId}`)).catch(() => {})
      await stranger.dialProtocol(peerIdFromString(n.a.peerId), DELIVER_PROTOCOL).then(async (s) => { await s.close() }, () => {})
    }
    const forged = await signEvent({ author: 'XS', seq: 1n, prevHash: new Uint8Array(0), type: EventType.ISSUED, permitParty: 'XS', permitNumber: 'X1', body: new Uint8Array(0), time: BigInt(NOW) }, xs.signer)
    await stranger.services.pubsub.publish(EVENTS_TOPIC, Gossip.encode({ event: forged.bytes as Uint8Array<ArrayBuffer>, checkpoint: new Uint8Array(0), trustListSequence: 0n })).catch(() => {})
    // The stranger's dial "succeeds" before the listener learns who it is
    // (FACTS.md): wait until every listener's gater has judged and refused
    // it, so the checks below look after the decision, not before it.
    await waitFor(() => nodes.every((n) => n.trust.refusals(xs.peerId) >= 1), { timeoutMs: 10_000, what: 'every listener\'s gater to refuse the stranger' })
    for (const [i, n] of nodes.entries()) {
      expect(n.node.internals.libp2p.getConnections(peerIdFromString(xs.peerId))).toHaveLength(0)
      expect(n.node.internals.gossip.stats.accepted).toBe(before[i]?.accepted)
      expect(n.node.internals.ledger.heads().get('XS')).toBeUndefined()
    }
    expect(ch.node.internals.ledger.heads().get('CH')?.size).toBe(before[0]?.size)
  })

  it('forged events injected by a listed peer (bad signature, author not listed) are rejected and never reach a ledger', async () => {
    const fr = by('FR')
    const xs = all.find((a) => a.party === 'XS') as Authority
    const chEvent = decodeEvent((await by('CH').node.internals.ledger.eventsFrom('CH', 1, 1))[0] as Uint8Array)
    // FR signs an event that claims to be CH's next one: FR's key is not CH's.
    const badSig = await signEvent({ ...chEvent.event, seq: BigInt((by('CH').node.internals.ledger.heads().get('CH')?.size ?? 0) + 1), permitNumber: '26CH-FORGED' }, fr.a.signer)
    // An author that is not on the list at all.
    const unlisted = await signEvent({ author: 'XS', seq: 1n, prevHash: new Uint8Array(0), type: EventType.ISSUED, permitParty: 'XS', permitNumber: 'X2', body: new Uint8Array(0), time: BigInt(NOW) }, xs.signer)
    const rejectedBefore = nodes.map((n) => n.node.internals.gossip.stats.rejected)
    for (const ev of [badSig, unlisted]) {
      await fr.node.internals.libp2p.services.pubsub.publish(EVENTS_TOPIC, Gossip.encode({ event: ev.bytes as Uint8Array<ArrayBuffer>, checkpoint: new Uint8Array(0), trustListSequence: 0n }))
    }
    // FR's mesh peers each reject both (a rejected message is not forwarded further).
    const rejectedSince = (): number => nodes.reduce((sum, n, i) => sum + n.node.internals.gossip.stats.rejected - (rejectedBefore[i] ?? 0), 0)
    await waitFor(() => rejectedSince() >= 2, { timeoutMs: 10_000, what: 'the rejections' })
    for (const n of nodes) {
      expect(await n.node.internals.ledger.status('CH', '26CH-FORGED')).toBeUndefined()
      expect(n.node.internals.ledger.heads().get('XS')).toBeUndefined()
    }
  })

  it('reports its status: peers, logs, deliveries', async () => {
    const s = await by('CH').node.status()
    expect(s.peers).toEqual(['CN', 'FR', 'TH', 'US'])
    expect(s.logs.CH).toBeGreaterThanOrEqual(2)
    expect(s.deliveries.delivered).toBe(1)
    expect(s.trustListSequence).toBe(by('CH').node.trust.sequence)
    expect(s.alerts).toBeGreaterThanOrEqual(1) // the diverted use
  })
})
