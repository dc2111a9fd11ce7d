/**
 * Partitions at the ledger level: a destination records a provisional use in
 * its own log; the issuer confirms it (CONSUMED naming the claim, judged at
 * the time of use) or refuses it (CLAIM_REFUSED), and both authorities get
 * the alert. Two ledgers, real LevelDB, real signatures.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EventType, InvalidEventError, decodeEvent, signEvent, type Ledger } from '../src/index.js'
import { CONSUME_A, NOW, chPermit, openLedger, signer, tempDir, type Clock } from './kit.js'

describe('provisional consumption while the issuer is unreachable', () => {
  let dirs: Array<ReturnType<typeof tempDir>>
  let ch: Ledger
  let th: Ledger
  const clock: Clock = { now: NOW }
  beforeEach(async () => {
    clock.now = NOW
    dirs = [tempDir('ch'), tempDir('th')]
    ch = await openLedger('CH', dirs[0]!.path, clock)
    th = await openLedger('TH', dirs[1]!.path, clock)
  })
  afterEach(async () => { await ch.close(); await th.close(); for (const d of dirs) d.cleanup() })

  /** CH issues; TH's replica receives it (as gossip would bring it). */
  async function issued (number: string): Promise<void> {
    await ch.issue(chPermit(number))
    await th.acceptEvents(await ch.eventsFrom('CH', 1, 1000))
  }

  it('records the claim in the destination\'s own log and refuses a second one there', async () => {
    await issued('26CH50001')
    const claim = await th.consumeProvisionally('CH', '26CH50001', { ...CONSUME_A, reason: 'CH unreachable for 5000 ms' })
    expect(claim).toMatchObject({ party: 'CH', number: '26CH50001', claimant: 'TH', seq: 1, resolution: 'provisional', port: 'THBKK' })
    const [ev] = await th.eventsFrom('TH', 1, 1)
    expect(decodeEvent(ev!).event).toMatchObject({ author: 'TH', type: EventType.PROVISIONAL_CONSUMED, permitParty: 'CH', permitNumber: '26CH50001' })
    await expect(th.consumeProvisionally('CH', '26CH50001', { ...CONSUME_A, reason: 'again' })).rejects.toMatchObject({ code: 'ALREADY_CONSUMED_PROVISIONALLY' })
    expect(await th.openClaims()).toHaveLength(1)
    expect((await th.getPermit('CH', '26CH50001'))?.claims).toMatchObject([{ claimant: 'TH', resolution: 'provisional' }])
    expect(await th.verifyLog('TH')).toMatchObject({ ok: true, size: 1 })
  })

  it('refuses a provisional use by a party that is not the destination, of an unknown permit, or above the quantity', async () => {
    await issued('26CH50002')
    await expect(ch.consumeProvisionally('CH', '26CH50002', { ...CONSUME_A, reason: 'x' })).rejects.toMatchObject({ code: 'NOT_ISSUER' })
    await expect(th.consumeProvisionally('CH', 'NOPE', { ...CONSUME_A, reason: 'x' })).rejects.toMatchObject({ code: 'PERMIT_NOT_FOUND' })
    await expect(th.consumeProvisionally('CH', '26CH50002', { lines: [{ line: 'A', quantity: 1e6, unit: 'PCS' }], port: 'THBKK', reason: 'x' })).rejects.toMatchObject({ code: 'QUANTITY_EXCEEDED' })
    expect(th.heads().get('TH')).toBeUndefined()
  })

  it('is confirmed by the issuer: CONSUMED names the claim and is judged at the time of use', async () => {
    await issued('26CH50003')
    const claim = await th.consumeProvisionally('CH', '26CH50003', { ...CONSUME_A, reason: 'partition' })
    // The issuer hears of it an hour later.
    clock.now = NOW + 3600_000
    await ch.acceptEvents(await th.eventsFrom('TH', 1))
    const receipt = await ch.consume('CH', '26CH50003', { ...CONSUME_A, consumingParty: 'TH', usedAt: claim.time, claim: { seq: claim.seq, hash: claim.hash } })
    expect(receipt).toMatchObject({ consumedAt: new Date(NOW).toISOString(), claim: { claimant: 'TH', seq: claim.seq, hash: claim.hash } })
    // Asking again (the answer was lost) gives the same receipt, not a refusal.
    expect(await ch.consume('CH', '26CH50003', { ...CONSUME_A, consumingParty: 'TH', usedAt: claim.time, claim: { seq: claim.seq, hash: claim.hash } })).toEqual(receipt)
    await th.acceptEvents(await ch.eventsFrom('CH', 1, 1000))
    expect(await th.claims('CH', '26CH50003')).toMatchObject([{ resolution: 'confirmed' }])
    expect(await ch.claims('CH', '26CH50003')).toMatchObject([{ resolution: 'confirmed' }])
    expect(await th.openClaims()).toEqual([])
    expect(await th.alerts()).toEqual([])
  })

  it('is refused by the issuer when the permit was used meanwhile: a signed CLAIM_REFUSED, and an alert at both authorities', async () => {
    await issued('26CH50004')
    const claim = await th.consumeProvisionally('CH', '26CH50004', { ...CONSUME_A, reason: 'partition' })
    // Meanwhile, on the issuer's side of the partition, the permit is used (e.g. recorded from a paper return).
    const first = await ch.consume('CH', '26CH50004', { ...CONSUME_A, port: 'THLCH' })
    // The claim reaches the issuer with TH's log (the issuer confirms only what TH's log holds).
    await ch.acceptEvents(await th.eventsFrom('TH', 1))
    const ask = { party: 'CH', number: '26CH50004', requester: 'TH', ...CONSUME_A, claim: { seq: claim.seq, hash: claim.hash, usedAt: claim.time } }
    const refused = await ch.decideUse(ask)
    if (refused.kind !== 'refused' || refused.event === undefined) throw new Error('expected a signed refusal')
    expect(refused).toMatchObject({ code: 'ALREADY_CONSUMED', receipt: { seq: first.seq } })
    expect(decodeEvent(refused.event).event.type).toBe(EventType.CLAIM_REFUSED)
    expect((await ch.status('CH', '26CH50004'))?.status).toBe('CONSUMED')
    // Asking again returns the same signed refusal.
    const again = await ch.decideUse(ask)
    expect(again.kind === 'refused' ? Buffer.from(again.event ?? []) : undefined).toEqual(Buffer.from(refused.event))
    // And TH may not record another provisional use of it: only an online use is possible now.
    await th.acceptEvents(await ch.eventsFrom('CH', 1, 1000))
    await expect(th.consumeProvisionally('CH', '26CH50004', { ...CONSUME_A, reason: 'again' })).rejects.toMatchObject({ code: 'ALREADY_CONSUMED_PROVISIONALLY' })
    expect((await ch.alerts()).map((a) => a.kind)).toEqual(['CLAIM_REFUSED'])
    expect(await th.claims('CH', '26CH50004')).toMatchObject([{ resolution: 'refused', code: 'ALREADY_CONSUMED' }])
    expect((await th.alerts()).map((a) => a.kind)).toEqual(['CLAIM_REFUSED'])
    expect(await th.openClaims()).toEqual([])
    // The refusal is on the permit's history, signed by the issuer.
    expect((await th.getPermit('CH', '26CH50004'))?.history.map((h) => h.type)).toEqual(['ISSUED', 'CONSUMED', 'CLAIM_REFUSED'])
  })

  it('rejects a replica event that refers to another party\'s permit unless it is a provisional use (log-hijack attack)', async () => {
    await issued('26CH50005')
    const s = await signer('TH')
    // TH signs a CONSUMED event of CH's permit in TH's own log: not TH's to write.
    const forged = await signEvent({ author: 'TH', seq: 1n, prevHash: new Uint8Array(0), type: EventType.CONSUMED, permitParty: 'CH', permitNumber: '26CH50005', body: new Uint8Array(0), time: BigInt(NOW) }, s)
    await expect(ch.acceptEvent(forged.bytes)).rejects.toBeInstanceOf(InvalidEventError)
    await expect(ch.acceptEvent(forged.bytes)).rejects.toMatchObject({ reason: 'EVENT_WRONG_LOG' })
    // A provisional use of TH's own permit is refused the same way.
    const own = await signEvent({ author: 'TH', seq: 1n, prevHash: new Uint8Array(0), type: EventType.PROVISIONAL_CONSUMED, permitParty: 'TH', permitNumber: 'X', body: new Uint8Array(0), time: BigInt(NOW) }, s)
    await expect(ch.acceptEvent(own.bytes)).rejects.toMatchObject({ reason: 'EVENT_WRONG_LOG' })
    expect((await ch.status('CH', '26CH50005'))?.status).toBe('ISSUED')
  })

  it('records a diverted use once per requester (USE_REFUSED) and alerts the destination when it arrives', async () => {
    await issued('26CH50008')
    const divert = { party: 'CH', number: '26CH50008', requester: 'FR', ...CONSUME_A, port: 'FRPAR' }
    expect(await ch.decideUse(divert)).toMatchObject({ kind: 'refused', code: 'NOT_DESTINATION' })
    expect(await ch.decideUse({ ...divert, port: 'FRLEH' })).toMatchObject({ kind: 'refused', code: 'NOT_DESTINATION' })
    const types = (await ch.eventsFrom('CH', 1, 1000)).map((b) => decodeEvent(b).event.type)
    expect(types).toEqual([EventType.ISSUED, EventType.USE_REFUSED])
    const state = (await ch.status('CH', '26CH50008'))?.state
    expect(state?.status).toBe('ISSUED')
    expect(state?.refusedUses).toMatchObject([{ requester: 'FR', port: 'FRPAR' }])
    expect((await ch.alerts()).map((a) => a.kind)).toEqual(['DIVERTED_USE'])
    await th.acceptEvents(await ch.eventsFrom('CH', 1, 1000))
    await th.waitForIndex()
    expect((await th.alerts()).map((a) => a.kind)).toEqual(['DIVERTED_USE'])
    // The use by the destination is still possible.
    expect((await ch.consume('CH', '26CH50008', CONSUME_A)).consumingParty).toBe('TH')
  })

  it('rebuilds claims from the logs', async () => {
    await issued('26CH50007')
    await th.consumeProvisionally('CH', '26CH50007', { ...CONSUME_A, reason: 'partition' })
    await th.rebuildIndexes()
    expect(await th.claims('CH', '26CH50007')).toMatchObject([{ claimant: 'TH', resolution: 'provisional' }])
  })
})
