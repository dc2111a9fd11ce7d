/**
 * Issue 15 §3 through real nodes: CH's issuer issues with its account, TH's
 * customs officer uses the permit with theirs. CH's signed CONSUMED names
 * TH's account (from TH's signed request), not the officer's name, so the
 * use traces back to the officer through TH's own account store, and no
 * name travels to other authorities. A use recorded provisionally during a
 * partition keeps the account through the issuer's confirmation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConsumedBody, EventType, decodeEvent } from '@cites/ledger'
import { ConsumeRequestBody, SignedConsumeRequest } from '@cites/protocol'
import { chPermit, waitFor } from '@cites/test-kit'
import { permitViewJson } from '../src/index.js'
import { authorities, basePort, meshFormed, startPermitNode, stopAll, trustListXml, type TestNode } from './kit.js'

const CH_ISSUER = 'u_3kq9x7a2mf'
const TH_CUSTOMS = 'u_8hd2p0wz4c'
const NAME = 'Somchai P., Bangkok airport'
const USE = { lines: [{ line: 'A', quantity: 50, unit: 'PCS' }], port: 'THBKK', officer: NAME }

describe('the acting account across authorities', () => {
  let nodes: TestNode[] = []
  const by = (p: string): TestNode => nodes.find((n) => n.a.party === p)!

  beforeAll(async () => {
    const all = await authorities(['CH', 'TH'], basePort())
    const xml = await trustListXml(all)
    nodes = await Promise.all(all.map(async (a) => await startPermitNode(a, xml, a.party === 'TH' ? { provisional: { allow: true, issuerTimeoutMs: 1500 } } : {})))
    await meshFormed(nodes)
  })
  afterAll(async () => { await stopAll(nodes) })

  it('a use at TH is signed into CH\'s log with TH\'s account, and no officer name travels', async () => {
    await by('CH').node.issue(chPermit('26CHU00001'), { actor: CH_ISSUER })
    await waitFor(async () => (await by('TH').node.permit('CH', '26CHU00001')) !== undefined)
    const used = await by('TH').node.consume('CH', '26CHU00001', { ...USE, actor: TH_CUSTOMS })
    expect(used).toMatchObject({ outcome: 'CONSUMED', receipt: { actor: TH_CUSTOMS, officer: '', consumingParty: 'TH' } })

    // CH's log: the CONSUMED event names TH's account; its body and TH's signed request inside it hold no name.
    const events = (await by('CH').node.internals.ledger.eventsFrom('CH', 1)).map((b) => decodeEvent(b).event)
    const consumed = events.find((e) => e.type === EventType.CONSUMED && e.permitNumber === '26CHU00001')!
    expect(consumed.actor).toBe(TH_CUSTOMS)
    const body = ConsumedBody.decode(consumed.body)
    expect(body.officer).toBe('')
    const request = ConsumeRequestBody.decode(SignedConsumeRequest.decode(body.request).body)
    expect(request).toMatchObject({ requester: 'TH', actor: TH_CUSTOMS, officer: '' })
    expect(Buffer.from(consumed.body).includes(Buffer.from('Somchai'))).toBe(false)

    // What an auditor reads at either authority: who issued (CH's account) and who used (TH's).
    for (const p of ['CH', 'TH']) {
      await waitFor(async () => (await by(p).node.permit('CH', '26CHU00001'))?.status === 'CONSUMED')
      const view = permitViewJson((await by(p).node.permit('CH', '26CHU00001'))!) as { state: Record<string, unknown>, history: Array<{ type: string, actor?: string }> }
      expect(view.state).toMatchObject({ issuedBy: CH_ISSUER, consumption: { actor: TH_CUSTOMS } })
      expect(view.history.map((h) => [h.type, h.actor])).toEqual([['ISSUED', CH_ISSUER], ['CONSUMED', TH_CUSTOMS]])
    }
  })

  it('a malformed account is refused before the issuer is asked', async () => {
    await by('CH').node.issue(chPermit('26CHU00002'), { actor: CH_ISSUER })
    await waitFor(async () => (await by('TH').node.permit('CH', '26CHU00002')) !== undefined)
    const size = by('CH').node.logSizes().CH
    await expect(by('TH').node.consume('CH', '26CHU00002', { ...USE, actor: NAME })).rejects.toMatchObject({ code: 'ACTOR_INVALID' })
    await expect(by('CH').node.issue(chPermit('26CHU00003'), { actor: NAME })).rejects.toMatchObject({ code: 'ACTOR_INVALID' })
    await expect(by('CH').node.cancel('CH', '26CHU00002', 'x', { actor: NAME })).rejects.toMatchObject({ code: 'ACTOR_INVALID' })
    expect(by('CH').node.logSizes().CH).toBe(size)
  })

  it('a provisional use during a partition keeps the officer\'s account through the issuer\'s confirmation', async () => {
    await by('CH').node.issue(chPermit('26CHU00004'), { actor: CH_ISSUER })
    await waitFor(async () => (await by('TH').node.permit('CH', '26CHU00004')) !== undefined)
    // r17: TH judges the permit from its replica before a provisional use, so it needs the document, delivered beside the event.
    await waitFor(async () => await by('TH').node.internals.ledger.documentStatus('CH', '26CHU00004') === 'held', { what: 'the delivery to TH' })
    await by('TH').node.partition(['CH'])
    await by('CH').node.partition(['TH'])
    try {
      await waitFor(() => by('TH').node.internals.libp2p.getConnections().length === 0, { timeoutMs: 10_000, what: 'the partition' })
      const use = await by('TH').node.consume('CH', '26CHU00004', { ...USE, actor: TH_CUSTOMS })
      expect(use).toMatchObject({ outcome: 'PROVISIONAL', claim: { actor: TH_CUSTOMS, officer: '' } })
    } finally {
      by('TH').node.heal()
      by('CH').node.heal()
    }
    // The claim submitter asks CH with the claim's account: CH's CONSUMED confirming it names it.
    await waitFor(async () => (await by('CH').node.permit('CH', '26CHU00004'))?.state.consumption?.claim !== undefined, { timeoutMs: 60_000, what: 'the claim confirmed' })
    expect((await by('CH').node.permit('CH', '26CHU00004'))?.state.consumption).toMatchObject({ actor: TH_CUSTOMS, officer: '', consumingParty: 'TH' })
  })
})
