/**
 * Issue 18, finding 3: a listed authority (US; the test holds its keys)
 * writes two different events #3, each validly signed: permit A for TH,
 * delivered only to TH; permit B for CH, delivered only to CH, each with a
 * checkpoint of its own branch. Both are stored. Before the fix, anti-
 * entropy only asked for events after each node's head, so TH kept A, the
 * others took B, and no alert was ever raised.
 *
 * Now one anti-entropy round on each honest node (driven here: the
 * background interval is an hour) compares every log with every connected
 * peer, and every node raises EQUIVOCATION with both signed versions as
 * evidence; its audit says US's log is split; and the customs verdict on the
 * affected permits says so (ISSUER_EQUIVOCATED). Real permit nodes, real
 * libp2p on loopback, real signatures; US itself runs no node.
 */
import { cpSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import { Ledger, decodeEvent, type Alert } from '@cites/ledger'
import { createAuthorisedNode, deliverOnce, type AuthorisedNode } from '@cites/protocol'
import type { Permit } from '@cites/permit'
import { NOW, tempDir, trustStoreFor, vectorPermit } from '@cites/test-kit'
import { authorities, basePort, meshFormed, startPermitNode, stopAll, trustListXml, type Authority, type TestNode } from './kit.js'

/** A US export permit for `destination` (the CH vector permit, re-issued by US). */
function usPermit (number: string, destination: string): Permit {
  const p = vectorPermit('ch-export-th')
  p.number = number
  p.securityStamp = `US-SS-${number.slice(-4)}`
  delete p.issueDate // the issuing node writes the time of signing
  p.issuer.address = { ...p.issuer.address!, country: 'US', countryName: 'United States' }
  p.consignor.address = { ...p.consignor.address!, country: 'US', countryName: 'United States' }
  p.consignee.address = { ...p.consignee.address!, country: destination }
  for (const l of p.lines) l.originCountry = 'US'
  return p
}

describe('a listed authority that shows TH one event #3 and CH another (a split view)', () => {
  let nodes: TestNode[] = []
  const by = (p: string): TestNode => nodes.find((n) => n.a.party === p) as TestNode
  let us: Authority
  let attacker: AuthorisedNode | undefined
  const dirs = [tempDir('us-branch-a'), tempDir('us-branch-b')]
  const equivocations = async (n: TestNode): Promise<Alert[]> => (await n.node.alerts()).filter((a) => a.kind === 'EQUIVOCATION' && a.author === 'US')

  beforeAll(async () => {
    const all = await authorities(['US', 'TH', 'CH', 'FR', 'CN'], basePort())
    us = all[0]!
    const xml = await trustListXml(all)
    // Anti-entropy runs only when the test drives it.
    nodes = await Promise.all(all.slice(1).map(async (a) => await startPermitNode(a, xml, { syncIntervalMs: 3_600_000 })))
    await meshFormed(nodes)

    // US's log as every node holds it: two permits, gossiped long ago.
    const trust = await trustStoreFor(xml)
    const open = async (path: string): Promise<Ledger> => await Ledger.open({ location: path, party: 'US', signer: us.signer, trust, now: () => NOW })
    const branchA = await open(dirs[0]!.path)
    await branchA.issue(usPermit('26US00001', 'FR'))
    await branchA.issue(usPermit('26US00002', 'CN'))
    const shared = await branchA.eventsFrom('US', 1)
    await branchA.close()
    for (const n of nodes) await n.node.internals.ledger.acceptEvents(shared)
    // The fork: the same log, twice, each continued differently at #3.
    cpSync(dirs[0]!.path, dirs[1]!.path, { recursive: true })
    const a = await open(dirs[0]!.path)
    const b = await open(dirs[1]!.path)
    await a.issue(usPermit('26US0000A', 'TH'))
    await b.issue(usPermit('26US0000B', 'CH'))
    const split = {
      TH: { ledger: a, number: '26US0000A', event: (await a.eventsFrom('US', 3, 1))[0]!, checkpoint: (await a.checkpoint()).bytes },
      CH: { ledger: b, number: '26US0000B', event: (await b.eventsFrom('US', 3, 1))[0]!, checkpoint: (await b.checkpoint()).bytes }
    }
    expect(decodeEvent(split.TH.event).event.seq).toBe(decodeEvent(split.CH.event).event.seq)

    // US's keys, speaking /cites/deliver directly: A only to TH, B only to CH.
    attacker = await createAuthorisedNode({ privateKey: us.peerKey, trust })
    await attacker.start()
    for (const [party, s] of Object.entries(split)) {
      const dest = by(party)
      await attacker.dial(multiaddr(`${dest.a.address}/p2p/${dest.a.peerId}`))
      const record = (await s.ledger.delivery('US', s.number))!
      // r11: the document travels beside the event (the attacker holds it: it signed it).
      const r = await deliverOnce(attacker, peerIdFromString(dest.a.peerId), s.event, record, dest.trust, { checkpoint: s.checkpoint, document: (await s.ledger.document('US', s.number))! })
      expect(r.delivered).toBe(true)
    }
    await attacker.stop()
    attacker = undefined
    await a.close()
    await b.close()
  }, 120_000)

  afterAll(async () => {
    await attacker?.stop()
    await stopAll(nodes)
    for (const d of dirs) d.cleanup()
  })

  it('both versions were stored, and nobody has noticed yet', async () => {
    const at = async (p: string): Promise<string> => decodeEvent((await by(p).node.internals.ledger.eventsFrom('US', 3, 1))[0]!).event.permitNumber
    expect(await at('TH')).toBe('26US0000A')
    expect(await at('CH')).toBe('26US0000B')
    for (const p of ['FR', 'CN']) expect(by(p).node.internals.ledger.heads().get('US')?.size).toBe(2)
    for (const n of nodes) expect(await equivocations(n)).toEqual([])
  })

  it('one anti-entropy round on each node: every node raises EQUIVOCATION, with both signed events #3 as evidence', async () => {
    // One round per node, one node after the other (each round compares
    // with every connected peer; FR and CN first take #3 from whichever
    // peer holds it, then meet the other version).
    for (const n of nodes) await n.node.syncAll()
    for (const n of nodes) {
      const found = await equivocations(n)
      expect(found.length, `${n.a.party} raised no EQUIVOCATION`).toBeGreaterThan(0)
      const atThree = found.find((f) => f.seq === 3)
      expect(atThree, `${n.a.party}: no alert at US #3`).toBeDefined()
      const evidence = await Promise.all(atThree!.evidence!.map(async (k) => decodeEvent((await n.node.internals.ledger.evidence(k))!)))
      expect(evidence.map((e) => e.event.permitNumber).sort()).toEqual(['26US0000A', '26US0000B'])
      // The audit no longer says the log is fine.
      const audit = await n.node.audit()
      expect(audit.logs.find((l) => l.author === 'US')).toMatchObject({ ok: false })
    }
  })

  it('a second round raises nothing new', async () => {
    const before = await Promise.all(nodes.map(async (n) => (await n.node.alerts()).length))
    for (const n of nodes) await n.node.syncAll()
    expect(await Promise.all(nodes.map(async (n) => (await n.node.alerts()).length))).toEqual(before)
  })

  it('the customs verdict on the affected permits says the issuer split its log', async () => {
    // US runs no node: each verdict is judged from the replica held there.
    for (const [p, number] of [['TH', '26US0000A'], ['CH', '26US0000B'], ['FR', '26US00001']] as const) {
      const v = await by(p).node.verify('US', number)
      expect(v.valid, `${p} ${number}`).toBe(false)
      const status = v.checks.find((c) => c.name === 'status')
      expect(status?.reason.code, `${p} ${number}`).toBe('ISSUER_EQUIVOCATED')
      expect(status?.reason.message).toContain('#3')
    }
    // On TH, permit A's own event is the one at the split.
    expect((await by('TH').node.verify('US', '26US0000A')).checks.find((c) => c.name === 'status')?.reason.message).toContain('at or after the split')
  })

  it('nothing framed an honest authority: no alert names anyone but US', async () => {
    for (const n of nodes) {
      const others = (await n.node.alerts()).filter((a) => (a.kind === 'EQUIVOCATION' || a.kind === 'CHECKPOINT_MISMATCH') && a.author !== 'US')
      expect(others).toEqual([])
    }
  })
})
