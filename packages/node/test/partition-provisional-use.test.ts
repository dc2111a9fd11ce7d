/**
 * Partitions with real nodes: TH (the destination) is cut off from CH (the
 * issuer) and FR through the gater while all stay up; CH and FR still talk. TH's customs records uses
 * provisionally ("not confirmed by issuer"); after the heal the claims are
 * submitted: one is confirmed, the other (used meanwhile on CH's side) is
 * refused with a signed CLAIM_REFUSED event and an alert at both authorities.
 * With the policy off, nothing is recorded and the use is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chPermit, USE_A, waitFor } from '@cites/test-kit'
import { authorities, basePort, meshFormed, startPermitNode, stopAll, trustListXml, type TestNode } from './kit.js'

describe('a partition between the issuer and the destination', () => {
  let nodes: TestNode[] = []
  const by = (p: string): TestNode => nodes.find((n) => n.a.party === p) as TestNode
  const cut = async (): Promise<void> => {
    await by('TH').node.partition(['CH', 'FR'])
    await by('CH').node.partition(['TH'])
    await by('FR').node.partition(['TH'])
    await waitFor(() => by('TH').node.internals.libp2p.getConnections().length === 0, { timeoutMs: 10_000, what: 'the partition' })
  }
  const heal = (): void => { for (const n of nodes) n.node.heal() }

  beforeAll(async () => {
    const all = await authorities(['CH', 'TH', 'FR'], basePort())
    const xml = await trustListXml(all)
    nodes = await Promise.all(all.map(async (a) => await startPermitNode(a, xml, a.party === 'TH' ? { provisional: { allow: true, issuerTimeoutMs: 1500 } } : {})))
    await meshFormed(nodes)
    for (const n of ['26CH80001', '26CH80002', '26CH80003']) await by('CH').node.issue(chPermit(n))
    await waitFor(async () => (await by('TH').node.internals.ledger.status('CH', '26CH80003')) !== undefined, { timeoutMs: 20_000, what: 'TH to hold the permits' })
    // r17: TH judges a permit from its replica before a provisional use, so it needs the documents, delivered beside the events.
    await waitFor(async () => (await Promise.all(['26CH80001', '26CH80002', '26CH80003'].map(async (n) => await by('TH').node.internals.ledger.documentStatus('CH', n)))).every((s) => s === 'held'), { timeoutMs: 20_000, what: 'the deliveries to TH' })
  })
  afterAll(async () => { await stopAll(nodes) })

  it('records a provisional use while the issuer is unreachable; the verdict says it is not confirmed by the issuer', async () => {
    await cut()
    const v = await by('TH').node.verify('CH', '26CH80001')
    expect(v).toMatchObject({ valid: true, source: 'replica' })
    expect(v.checks.find((c) => c.name === 'confirmation')?.reason.code).toBe('NOT_CONFIRMED_BY_ISSUER')

    const use = await by('TH').node.consume('CH', '26CH80001', USE_A)
    expect(use).toMatchObject({ outcome: 'PROVISIONAL', code: 'PROVISIONAL', claim: { claimant: 'TH', resolution: 'provisional', port: 'THBKK' } })
    const after = await by('TH').node.verify('CH', '26CH80001')
    expect(after.valid).toBe(false)
    expect(after.checks.find((c) => c.name === 'use')?.reason.code).toBe('ALREADY_CONSUMED_PROVISIONALLY')
    // A copy presented again at TH during the partition is refused too.
    expect(await by('TH').node.consume('CH', '26CH80001', USE_A)).toMatchObject({ outcome: 'REFUSED', code: 'ALREADY_CONSUMED_PROVISIONALLY' })
    // The claim is in TH's own signed log.
    expect((await by('TH').node.internals.ledger.verifyLog('TH')).ok).toBe(true)
    expect((await by('TH').node.internals.ledger.eventsFrom('TH', 1)).length).toBe(1)
  })

  it('meanwhile the issuer records a use of another permit from a paper return; TH, cut off, claims it too', async () => {
    await by('CH').node.internals.ledger.consume('CH', '26CH80002', { ...USE_A, port: 'THLCH', consumingParty: 'TH' })
    await waitFor(async () => (await by('FR').node.internals.ledger.status('CH', '26CH80002'))?.status === 'CONSUMED', { timeoutMs: 10_000, what: 'FR to see the use' })
    expect(await by('TH').node.consume('CH', '26CH80002', USE_A)).toMatchObject({ outcome: 'PROVISIONAL' })
    expect(await by('TH').node.internals.ledger.openClaims()).toHaveLength(2)
  })

  it('after the heal the claims are submitted: one confirmed, one refused with a signed CLAIM_REFUSED and an alert at both authorities', async () => {
    heal()
    await waitFor(async () => (await by('TH').node.internals.ledger.openClaims()).length === 0, { timeoutMs: 30_000, what: 'both claims to be resolved' })
    expect(await by('TH').node.internals.ledger.claims('CH', '26CH80001')).toMatchObject([{ resolution: 'confirmed' }])
    expect(await by('TH').node.internals.ledger.claims('CH', '26CH80002')).toMatchObject([{ resolution: 'refused', code: 'ALREADY_CONSUMED' }])

    // TH's claims reach FR once TH is back.
    await waitFor(async () => (await by('FR').node.internals.ledger.claims('CH', '26CH80001')).length === 1, { timeoutMs: 10_000, what: 'FR to see the claim' })
    const ch = by('CH').node
    const confirmed = await ch.internals.ledger.status('CH', '26CH80001')
    expect(confirmed?.state.consumption).toMatchObject({ consumingParty: 'TH', port: 'THBKK', claim: { claimant: 'TH' } })
    expect((await ch.internals.ledger.status('CH', '26CH80002'))?.state.refusedClaims).toMatchObject([{ claimant: 'TH', code: 'ALREADY_CONSUMED' }])
    expect((await ch.alerts()).filter((a) => a.kind === 'CLAIM_REFUSED')).toHaveLength(1)
    expect((await by('TH').node.alerts()).filter((a) => a.kind === 'CLAIM_REFUSED')).toHaveLength(1)

    // Confirmed now by the issuer: the verdict at TH says consumed, from CH's node.
    const v = await by('TH').node.verify('CH', '26CH80001')
    expect(v.source).toBe('issuer')
    expect(v.checks.find((c) => c.name === 'use')?.reason.code).toBe('ALREADY_CONSUMED')
    // No permit is consumed twice anywhere: one CONSUMED event each.
    for (const n of nodes) {
      await waitFor(async () => (await n.node.internals.ledger.getPermit('CH', '26CH80002'))?.history.length === 3, { timeoutMs: 10_000, what: `${n.a.party} to hold the refusal` })
      const h = (await n.node.internals.ledger.getPermit('CH', '26CH80002'))?.history.map((e) => e.type)
      expect(h).toEqual(['ISSUED', 'CONSUMED', 'CLAIM_REFUSED'])
    }
  })

  it('with the policy off, an unreachable issuer means the use is refused and nothing is written', async () => {
    await by('FR').node.partition(['CH'])
    const fr = by('FR').node
    expect(fr.policy.allow).toBe(false)
    const before = fr.internals.ledger.heads().get('FR')?.size ?? 0
    await expect(fr.consume('CH', '26CH80003', USE_A)).rejects.toMatchObject({ code: 'ISSUER_UNREACHABLE' })
    expect(fr.internals.ledger.heads().get('FR')?.size ?? 0).toBe(before)
    fr.heal()
  })
})
