/**
 * Comparing a peer's copy of a log position with ours (split views): two
 * signed versions raise EQUIVOCATION once, with both as evidence; a liar
 * cannot frame the author; the audit (verifyLog) then says the log is split;
 * and the bounded read of a sync answer stops at its byte cut.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { decodeEvent, signCheckpoint, signEvent, type Ledger } from '../src/index.js'
import { NOW, chPermit, openLedger, signer, tempDir } from './kit.js'

describe('a peer\'s copy of a log position compared with ours', () => {
  let dirs: Array<ReturnType<typeof tempDir>>
  let ch: Ledger
  let th: Ledger
  beforeEach(async () => {
    dirs = [tempDir('ch'), tempDir('th')]
    ch = await openLedger('CH', dirs[0]!.path)
    th = await openLedger('TH', dirs[1]!.path)
    for (let i = 0; i < 3; i++) await ch.issue(chPermit(`26CH4000${i}`))
    await th.acceptEvents(await ch.eventsFrom('CH', 1))
  })
  afterEach(async () => { await ch.close(); await th.close(); for (const d of dirs) d.cleanup() })

  it('an author that signed another event #3 for someone else is caught once, with both events as evidence', async () => {
    const held = decodeEvent((await ch.eventsFrom('CH', 3, 1))[0]!)
    expect(await th.compareEvent(held.bytes)).toBe('same')
    const other = await signEvent({ ...held.event, permitNumber: '26CHOTHER' }, await signer('CH'))
    expect(await th.compareEvent(other.bytes)).toBe('equivocation')
    // Every later round meets the same pair: nothing new.
    expect(await th.compareEvent(other.bytes)).toBe('known')
    const alerts = await th.alerts()
    expect(alerts.map((a) => [a.kind, a.author, a.seq])).toEqual([['EQUIVOCATION', 'CH', 3]])
    const evidence = await Promise.all(alerts[0]!.evidence!.map(async (k) => decodeEvent((await th.evidence(k))!)))
    expect(evidence.map((e) => e.event.permitNumber).sort()).toEqual(['26CH40002', '26CHOTHER'])
    expect(await th.equivocations('CH')).toEqual({ author: 'CH', positions: [3] })
    // The log held here is unchanged, and its audit says the author split it.
    expect(th.heads().get('CH')?.size).toBe(3)
    const v = await th.verifyLog('CH')
    expect(v.ok).toBe(false)
    expect(v.problems.map((p) => [p.seq, p.code])).toEqual([[3, 'EQUIVOCATION']])
  })

  it('a liar cannot frame an honest author: a different #3 it signed itself is refused and raises nothing', async () => {
    const held = decodeEvent((await ch.eventsFrom('CH', 3, 1))[0]!)
    const forged = await signEvent({ ...held.event, permitNumber: '26CHFRAMED' }, await signer('ATTACKER'))
    await expect(th.compareEvent(forged.bytes)).rejects.toMatchObject({ reason: 'EVENT_SIGNATURE_INVALID' })
    const badCheckpoint = await signCheckpoint({ author: 'CH', size: 3n, root: new Uint8Array(32).fill(9) as Uint8Array<ArrayBuffer>, time: BigInt(NOW) }, await signer('ATTACKER'))
    await expect(th.compareCheckpoint(badCheckpoint.bytes)).rejects.toMatchObject({ reason: 'CHECKPOINT_INVALID' })
    expect(await th.alerts()).toEqual([])
    expect(await th.equivocations('CH')).toEqual({ author: 'CH', positions: [] })
    expect((await th.verifyLog('CH')).ok).toBe(true)
  })

  it('checkpoints: another root at a size held is an equivocation, a root that does not match the events a mismatch, each raised once', async () => {
    const real = await ch.checkpoint()
    expect(await th.compareCheckpoint(real.bytes)).toBe('same')
    const other = await signCheckpoint({ ...real.checkpoint, root: new Uint8Array(32).fill(7) as Uint8Array<ArrayBuffer> }, await signer('CH'))
    expect(await th.compareCheckpoint(other.bytes)).toBe('equivocation')
    expect(await th.compareCheckpoint(other.bytes)).toBe('known')
    const atTwo = await signCheckpoint({ author: 'CH', size: 2n, root: new Uint8Array(32).fill(5) as Uint8Array<ArrayBuffer>, time: BigInt(NOW) }, await signer('CH'))
    expect(await th.compareCheckpoint(atTwo.bytes)).toBe('mismatch')
    expect(await th.compareCheckpoint(atTwo.bytes)).toBe('known')
    expect((await th.alerts()).map((a) => [a.kind, a.size])).toEqual([['EQUIVOCATION', 3], ['CHECKPOINT_MISMATCH', 2]])
    expect((await th.equivocations('CH')).positions).toEqual([2, 3])
  })

  it('the read of a sync answer stops at its byte cut', async () => {
    const all = await th.eventsFrom('CH', 1)
    const one = all[0]!.length
    const r = await th.eventsWithin('CH', 1, 1000, one + all[1]!.length + 1)
    expect(r.events).toHaveLength(2)
    // The third was read to learn it does not fit; nothing after it.
    expect(r.read).toBe(3)
    expect((await th.eventsWithin('CH', 2, 1, 10 * 1024 * 1024)).events).toEqual([all[1]])
  })
})
