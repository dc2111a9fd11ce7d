/**
 * THE use decision (Ledger.decideUse): every branch, in order, with what it
 * writes; and 100 concurrent requests for one permit (destination, diverted
 * requesters, claims genuine and invented) decided under one lock: exactly
 * one use. Claims are TH's real PROVISIONAL_CONSUMED events, held in CH's
 * replica (invented-claims-are-refused.test.ts has the claims that are not).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ClaimRefusedBody, EventType, decodeEvent, type Ledger, type UseDecision, type UseRequest } from '../src/index.js'
import { CONSUME_A, NOW, chPermit, openLedger, tempDir, type Clock } from './kit.js'

const HASH = (n: number): string => n.toString(16).padStart(64, '0')
const use = (number: string, extra: Partial<UseRequest> = {}): UseRequest => ({ party: 'CH', number, requester: 'TH', lines: CONSUME_A.lines, port: 'THBKK', officer: 'Officer T.', ...extra })

function refused (d: UseDecision): Extract<UseDecision, { kind: 'refused' }> {
  if (d.kind !== 'refused') throw new Error(`expected a refusal, got ${d.kind}`)
  return d
}
function consumed (d: UseDecision): Extract<UseDecision, { kind: 'consumed' }> {
  if (d.kind !== 'consumed') throw new Error(`expected a use, got ${d.code}: ${d.message}`)
  return d
}

describe('decideUse: the use decided in one place', () => {
  let dirs: Array<ReturnType<typeof tempDir>>
  let ch: Ledger
  let th: Ledger
  const clock: Clock = { now: NOW }
  beforeEach(async () => {
    clock.now = NOW
    dirs = [tempDir('decide'), tempDir('claimant')]
    ch = await openLedger('CH', dirs[0]!.path, clock)
    th = await openLedger('TH', dirs[1]!.path, clock)
  })
  afterEach(async () => { await ch.close(); await th.close(); for (const d of dirs) d.cleanup() })

  /** TH records a provisional use (its replica of CH's log as now), and CH receives TH's log: the claim to submit. */
  async function claimOf (number: string, lines = CONSUME_A.lines): Promise<{ seq: number, hash: string, usedAt: number }> {
    await th.acceptEvents(await ch.eventsFrom('CH', 1, 10_000))
    const c = await th.consumeProvisionally('CH', number, { lines, port: 'THBKK', officer: 'Officer T.', reason: 'CH unreachable for 5000 ms' })
    await ch.acceptEvents(await th.eventsFrom('TH', 1, 10_000))
    return { seq: c.seq, hash: c.hash, usedAt: c.time }
  }

  /** The types of the own log's events, in order. */
  async function logTypes (): Promise<EventType[]> {
    return (await ch.eventsFrom('CH', 1, 10_000)).map((b) => decodeEvent(b).event.type)
  }

  it('refuses another party\'s permit (NOT_ISSUER) and an unknown one (PERMIT_NOT_FOUND), writing nothing', async () => {
    expect(refused(await ch.decideUse(use('X', { party: 'TH' })))).toMatchObject({ code: 'NOT_ISSUER', message: 'this node writes CH\'s permits, not TH\'s' })
    expect(refused(await ch.decideUse(use('NOPE')))).toMatchObject({ code: 'PERMIT_NOT_FOUND', message: 'CH/NOPE is not in the ledger' })
    expect(ch.heads().get('CH')).toBeUndefined()
  })

  it('uses the permit for its destination: the signed CONSUMED event and its receipt', async () => {
    await ch.issue(chPermit('26CHD0001'))
    const d = consumed(await ch.decideUse(use('26CHD0001')))
    expect(d.repeated).toBe(false)
    expect(d.receipt).toMatchObject({ party: 'CH', number: '26CHD0001', port: 'THBKK', consumingParty: 'TH', seq: 2 })
    const e = decodeEvent(d.event)
    expect(e.event).toMatchObject({ type: EventType.CONSUMED, seq: 2n, permitNumber: '26CHD0001' })
    expect((await ch.status('CH', '26CHD0001'))?.status).toBe('CONSUMED')
  })

  it('a second use is refused ALREADY_CONSUMED with the first receipt and its signed event', async () => {
    await ch.issue(chPermit('26CHD0002'))
    const first = consumed(await ch.decideUse(use('26CHD0002')))
    const again = refused(await ch.decideUse(use('26CHD0002', { port: 'THLCH' })))
    expect(again.code).toBe('ALREADY_CONSUMED')
    expect(again.receipt).toEqual(first.receipt)
    expect(Buffer.from(again.event ?? [])).toEqual(Buffer.from(first.event))
    expect(await logTypes()).toEqual([EventType.ISSUED, EventType.CONSUMED])
  })

  it('a requester that is not the destination: one USE_REFUSED per requester, a DIVERTED_USE alert, NOT_DESTINATION', async () => {
    await ch.issue(chPermit('26CHD0003'))
    const d = refused(await ch.decideUse(use('26CHD0003', { requester: 'FR', port: 'FRPAR' })))
    expect(d).toMatchObject({ code: 'NOT_DESTINATION', message: 'CH/26CHD0003 is for TH, not FR' })
    expect(d.event).toBeUndefined()
    await ch.decideUse(use('26CHD0003', { requester: 'FR', port: 'FRPAR' }))
    await ch.decideUse(use('26CHD0003', { requester: 'CN', port: 'CNSHA' }))
    expect(await logTypes()).toEqual([EventType.ISSUED, EventType.USE_REFUSED, EventType.USE_REFUSED])
    const alerts = await ch.alerts()
    expect(alerts.map((a) => [a.kind, a.code, a.author])).toEqual([['DIVERTED_USE', 'NOT_DESTINATION', 'FR'], ['DIVERTED_USE', 'NOT_DESTINATION', 'CN']])
    // The destination may still use it.
    consumed(await ch.decideUse(use('26CHD0003')))
  })

  it('a diverted copy of a used permit: NOT_DESTINATION with the first CONSUMED as evidence', async () => {
    await ch.issue(chPermit('26CHD0004'))
    const first = consumed(await ch.decideUse(use('26CHD0004')))
    const d = refused(await ch.decideUse(use('26CHD0004', { requester: 'CN', port: 'CNSHA' })))
    expect(d.code).toBe('NOT_DESTINATION')
    expect(d.message).toContain('it was already used on')
    expect(Buffer.from(d.event ?? [])).toEqual(Buffer.from(first.event))
  })

  it('refuses a claim that names no event (CLAIM_INVALID) or no event held (CLAIM_UNKNOWN), writing nothing', async () => {
    await ch.issue(chPermit('26CHD0005'))
    expect(refused(await ch.decideUse(use('26CHD0005', { claim: { seq: 0, hash: HASH(1), usedAt: NOW } }))).code).toBe('CLAIM_INVALID')
    expect(refused(await ch.decideUse(use('26CHD0005', { claim: { seq: 1, hash: 'xyz', usedAt: NOW } }))).code).toBe('CLAIM_INVALID')
    expect(refused(await ch.decideUse(use('26CHD0005', { claim: { seq: 1, hash: HASH(1), usedAt: Number.NaN } }))).code).toBe('CLAIM_INVALID')
    expect(refused(await ch.decideUse(use('26CHD0005', { claim: { seq: 1, hash: HASH(1), usedAt: NOW } }))).code).toBe('CLAIM_UNKNOWN')
    expect(await logTypes()).toEqual([EventType.ISSUED])
  })

  it('confirms a claim, judged at the time of use, and confirms it again without writing (repeated)', async () => {
    await ch.issue(chPermit('26CHD0007'))
    const claim = await claimOf('26CHD0007')
    clock.now = NOW + 3600_000
    const d = consumed(await ch.decideUse(use('26CHD0007', { claim })))
    expect(d.receipt).toMatchObject({ consumedAt: new Date(NOW).toISOString(), claim: { claimant: 'TH', seq: claim.seq, hash: claim.hash } })
    const again = consumed(await ch.decideUse(use('26CHD0007', { claim })))
    expect(again.repeated).toBe(true)
    expect(again.receipt).toEqual(d.receipt)
    expect(Buffer.from(again.event)).toEqual(Buffer.from(d.event))
    expect(await logTypes()).toEqual([EventType.ISSUED, EventType.CONSUMED])
  })

  it('refuses a claim on a used permit with a signed CLAIM_REFUSED naming the first use, once per claim', async () => {
    await ch.issue(chPermit('26CHD0008'))
    const claim = await claimOf('26CHD0008')
    const first = consumed(await ch.decideUse(use('26CHD0008')))
    const d = refused(await ch.decideUse(use('26CHD0008', { claim })))
    expect(d.code).toBe('ALREADY_CONSUMED')
    expect(d.receipt).toEqual(first.receipt)
    const e = decodeEvent(d.event ?? new Uint8Array(0))
    expect(e.event.type).toBe(EventType.CLAIM_REFUSED)
    expect(ClaimRefusedBody.decode(e.event.body)).toMatchObject({ claimant: 'TH', claimSeq: BigInt(claim.seq), code: 'ALREADY_CONSUMED', evidenceSeq: BigInt(first.receipt.seq) })
    const again = refused(await ch.decideUse(use('26CHD0008', { claim })))
    expect(Buffer.from(again.event ?? [])).toEqual(Buffer.from(d.event ?? []))
    expect(await logTypes()).toEqual([EventType.ISSUED, EventType.CONSUMED, EventType.CLAIM_REFUSED])
    expect((await ch.alerts()).map((a) => [a.kind, a.code])).toEqual([['CLAIM_REFUSED', 'ALREADY_CONSUMED']])
  })

  it('refuses a claim above the endorsed quantity with CLAIM_REFUSED (QUANTITY_EXCEEDED); without a claim, only the code', async () => {
    await ch.issue(chPermit('26CHD0009'))
    // TH used 50 while CH was out of reach; meanwhile CH's customs endorsed only 30 as exported (Box 14).
    const claim = await claimOf('26CHD0009')
    await ch.endorse('CH', '26CHD0009', { lines: [{ line: 'A', quantity: 30, unit: 'PCS' }], port: 'CHZRH' })
    const plain = refused(await ch.decideUse(use('26CHD0009')))
    expect(plain.code).toBe('QUANTITY_EXCEEDED')
    expect(plain.event).toBeUndefined()
    const claimed = refused(await ch.decideUse(use('26CHD0009', { claim })))
    expect(claimed.code).toBe('QUANTITY_EXCEEDED')
    expect(decodeEvent(claimed.event ?? new Uint8Array(0)).event.type).toBe(EventType.CLAIM_REFUSED)
    expect(await logTypes()).toEqual([EventType.ISSUED, EventType.EXPORT_ENDORSED, EventType.CLAIM_REFUSED])
  })

  it('refuses a cancelled permit (PERMIT_CANCELLED)', async () => {
    await ch.issue(chPermit('26CHD0010'))
    await ch.cancel('CH', '26CHD0010', 'lost')
    expect(refused(await ch.decideUse(use('26CHD0010'))).code).toBe('PERMIT_CANCELLED')
  })

  it('100 concurrent requests for one permit: exactly one use, the rest refused with the right codes', async () => {
    await ch.issue(chPermit('26CHD0100'))
    const genuine = await claimOf('26CHD0100')
    const diverted = ['FR', 'CN', 'US', 'DE', 'JP']
    const requests: Array<{ req: UseRequest, kind: 'plain' | 'diverted' | 'claim' | 'invented' }> = []
    for (let i = 0; i < 100; i++) {
      if (i % 4 === 0) requests.push({ kind: 'diverted', req: use('26CHD0100', { requester: diverted[i % diverted.length], port: 'XXPRT' }) })
      else if (i % 4 === 1) requests.push({ kind: 'claim', req: use('26CHD0100', { claim: genuine }) })
      else if (i % 4 === 2) requests.push({ kind: 'invented', req: use('26CHD0100', { claim: { seq: i + 10, hash: HASH(i + 10), usedAt: NOW } }) })
      else requests.push({ kind: 'plain', req: use('26CHD0100') })
    }
    // Shuffled, all at once.
    requests.sort(() => Math.random() - 0.5)
    const decisions = await Promise.all(requests.map(async (r) => ({ kind: r.kind, d: await ch.decideUse(r.req) })))
    // The genuine claim may win; asked again, it gets the same receipt (repeated), never a second use.
    const uses = decisions.filter((x) => x.d.kind === 'consumed' && !x.d.repeated)
    expect(uses).toHaveLength(1)
    expect(['plain', 'claim']).toContain(uses[0]?.kind)
    for (const { kind, d } of decisions) {
      if (d.kind === 'consumed') {
        expect(kind).toBe(uses[0]?.kind)
        continue
      }
      if (kind === 'diverted') expect(d.code).toBe('NOT_DESTINATION')
      else if (kind === 'invented') expect(d.code).toBe('CLAIM_UNKNOWN')
      else expect(d.code).toBe('ALREADY_CONSUMED')
      // A refused genuine claim gets the signed CLAIM_REFUSED; an invented one nothing.
      if (kind === 'claim') expect(decodeEvent(d.event ?? new Uint8Array(0)).event.type).toBe(EventType.CLAIM_REFUSED)
      if (kind === 'invented') expect(d.event).toBeUndefined()
    }
    const types = await logTypes()
    expect(types.filter((t) => t === EventType.CONSUMED)).toHaveLength(1)
    expect(types.filter((t) => t === EventType.USE_REFUSED)).toHaveLength(diverted.length)
    // At most one refusal per permit and claimant, however often it asks.
    expect(types.filter((t) => t === EventType.CLAIM_REFUSED)).toHaveLength(uses[0]?.kind === 'plain' ? 1 : 0)
    expect(await ch.verifyLog('CH')).toMatchObject({ ok: true })
    const s = await ch.status('CH', '26CHD0100')
    expect(s?.state.refusedUses?.map((u) => u.requester).sort()).toEqual([...diverted].sort())
  })
})
