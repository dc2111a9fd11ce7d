/**
 * Issue 18, finding 1: a listed insider got an expired permit consumed with
 * a provisional claim its log does not hold (claim #42 of a 2-event log, a
 * random hash, a time of use just before expiry). A claim is a claim to
 * check: the issuer confirms only the claimant's PROVISIONAL_CONSUMED event
 * held in its replica, at the claimed position, with the claimed hash, lines
 * and time, dated within the claimant's own history. Refusals of that kind
 * write nothing (finding 2: log stuffing), and a claimant gets at most one
 * CLAIM_REFUSED per permit.
 *
 * The claimant's side is the vector `protocol-spec/vectors/ledger/claims.json`
 * (TH's signed log, with a backdated and a future-dated claim and a
 * checkpoint); `UPDATE_VECTORS=1` regenerates it.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EventType, decodeEvent, hex, type Ledger, type UseDecision, type UseRequest } from '../src/index.js'
import { CONSUME_A, NOW, VECTORS, chPermit, openLedger, tempDir, type Clock } from './kit.js'

const FILE = `${VECTORS}ledger/claims.json`

/** One claim to submit to CH, and what CH must answer. */
interface ClaimCase {
  name: string
  number: string
  claim: { seq: number, hash: string, usedAt: number }
  lines?: Array<{ line: string, quantity: number, unit: string }>
  code: string
}
interface ClaimVectors {
  /** CH's clock when it decides (ms). */
  decideAt: number
  /** The permits CH issues first (chPermit(number), at NOW). */
  permits: string[]
  /** TH's log, signed, in order, and the checkpoints it signed. */
  th: Array<{ seq: number, type: string, time: string, signedEvent: string, hash: string }>
  thCheckpoints: Array<{ size: number, time: string, signed: string }>
  cases: ClaimCase[]
}

const use = (number: string, extra: Partial<UseRequest> = {}): UseRequest => ({ party: 'CH', number, requester: 'TH', lines: CONSUME_A.lines, port: 'THBKK', officer: 'Officer T.', ...extra })
const codeOf = (d: UseDecision): string => d.kind === 'consumed' ? 'OK' : d.code
const PERMITS = ['26CHC0001', '26CHC0002', '26CHC0003', '26CHC0004', '26CHC0005', '26CHC0006']

describe('a provisional claim is confirmed only as the claimant committed it', () => {
  let dirs: Array<ReturnType<typeof tempDir>>
  let ch: Ledger
  const clock: Clock = { now: NOW }
  beforeEach(async () => {
    clock.now = NOW
    dirs = [tempDir('ch')]
    ch = await openLedger('CH', dirs[0]!.path, clock)
  })
  afterEach(async () => { await ch.close(); for (const d of dirs) d.cleanup() })

  async function ownTypes (): Promise<string[]> {
    return (await ch.eventsFrom('CH', 1, 10_000)).map((b) => decodeEvent(b).event.type)
  }

  if (process.env.UPDATE_VECTORS === '1') {
    it('regenerates the claims vector', async () => {
      const d = tempDir('th')
      const thClock: Clock = { now: NOW }
      const th = await openLedger('TH', d.path, thClock)
      try {
        for (const n of PERMITS) await ch.issue(chPermit(n))
        await th.acceptEvents(await ch.eventsFrom('CH', 1, 1000))
        const claimAt = async (n: string, at: number): Promise<{ seq: number, hash: string, time: number }> => {
          thClock.now = at
          const c = await th.consumeProvisionally('CH', n, { ...CONSUME_A, reason: 'CH unreachable for 5000 ms' })
          return { seq: c.seq, hash: c.hash, time: c.time }
        }
        const genuine = await claimAt('26CHC0001', NOW + 1000)
        const second = await claimAt('26CHC0002', NOW + 5000)
        // TH signs a checkpoint of its 2 events at +7 s, then writes an
        // event dated +6 s: backdated into history it already signed.
        thClock.now = NOW + 7000
        await th.checkpoint()
        const behindCheckpoint = await claimAt('26CHC0003', NOW + 6000)
        // Dated before the event that precedes it in TH's log.
        const behindEvent = await claimAt('26CHC0004', NOW + 2000)
        // Dated an hour after CH decides.
        const future = await claimAt('26CHC0005', NOW + 3_600_000)
        const v: ClaimVectors = {
          decideAt: NOW + 60_000,
          permits: PERMITS,
          th: (await th.eventsFrom('TH', 1)).map((b) => { const e = decodeEvent(b); return { seq: Number(e.event.seq), type: e.event.type, time: new Date(Number(e.event.time)).toISOString(), signedEvent: hex(e.bytes), hash: hex(e.hash) } }),
          thCheckpoints: (await th.checkpoints('TH')).map((c) => ({ size: Number(c.checkpoint.size), time: new Date(Number(c.checkpoint.time)).toISOString(), signed: hex(c.bytes) })),
          cases: [
            { name: 'invented: a position the claimant\'s log does not hold', number: '26CHC0006', claim: { seq: 42, hash: 'e3'.repeat(32), usedAt: NOW + 1000 }, code: 'CLAIM_UNKNOWN' },
            { name: 'invented: a real position with another hash', number: '26CHC0002', claim: { seq: second.seq, hash: 'e3'.repeat(32), usedAt: second.time }, code: 'CLAIM_INVALID' },
            { name: 'another permit\'s claim', number: '26CHC0006', claim: { seq: genuine.seq, hash: genuine.hash, usedAt: genuine.time }, code: 'CLAIM_INVALID' },
            { name: 'another time of use than the event\'s', number: '26CHC0001', claim: { seq: genuine.seq, hash: genuine.hash, usedAt: genuine.time - 1 }, code: 'CLAIM_INVALID' },
            { name: 'other quantities than the event\'s', number: '26CHC0001', claim: { seq: genuine.seq, hash: genuine.hash, usedAt: genuine.time }, lines: [{ line: 'A', quantity: 49, unit: 'PCS' }], code: 'CLAIM_INVALID' },
            { name: 'backdated before a checkpoint the claimant signed without it', number: '26CHC0003', claim: { seq: behindCheckpoint.seq, hash: behindCheckpoint.hash, usedAt: behindCheckpoint.time }, code: 'CLAIM_INVALID' },
            { name: 'backdated before the event that precedes it', number: '26CHC0004', claim: { seq: behindEvent.seq, hash: behindEvent.hash, usedAt: behindEvent.time }, code: 'CLAIM_INVALID' },
            { name: 'dated in the future', number: '26CHC0005', claim: { seq: future.seq, hash: future.hash, usedAt: future.time }, code: 'CLAIM_INVALID' },
            { name: 'genuine', number: '26CHC0001', claim: { seq: genuine.seq, hash: genuine.hash, usedAt: genuine.time }, code: 'OK' },
            { name: 'genuine, asked again', number: '26CHC0001', claim: { seq: genuine.seq, hash: genuine.hash, usedAt: genuine.time }, code: 'OK' },
            { name: 'genuine, on a permit used meanwhile', number: '26CHC0002', claim: { seq: second.seq, hash: second.hash, usedAt: second.time }, code: 'ALREADY_CONSUMED' }
          ]
        }
        writeFileSync(FILE, JSON.stringify(v, null, 2) + '\n')
      } finally {
        await th.close()
        d.cleanup()
      }
    })
    return
  }

  const v = JSON.parse(readFileSync(FILE, 'utf8')) as ClaimVectors
  const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'))

  /** CH's permits at NOW, then TH's signed log and checkpoints as gossip brings them. */
  async function setUp (): Promise<void> {
    for (const n of v.permits) await ch.issue(chPermit(n))
    const accepted = await ch.acceptEvents(v.th.map((e) => bytes(e.signedEvent)))
    expect(accepted.map((r) => r.status)).toEqual(v.th.map(() => 'accepted'))
    for (const c of v.thCheckpoints) expect(await ch.acceptCheckpoint(bytes(c.signed))).toBe('stored')
    clock.now = v.decideAt
  }

  it('the vector\'s cases: invented, misattributed, backdated and future claims refused, the genuine one confirmed', async () => {
    await setUp()
    // Used meanwhile on the issuer's side, so the second genuine claim is refused on its merits.
    expect((await ch.decideUse(use('26CHC0002', { port: 'THLCH' }))).kind).toBe('consumed')
    for (const c of v.cases) {
      const d = await ch.decideUse(use(c.number, { claim: c.claim, ...(c.lines !== undefined ? { lines: c.lines } : {}) }))
      expect({ name: c.name, code: codeOf(d) }).toEqual({ name: c.name, code: c.code })
      if (c.code === 'CLAIM_UNKNOWN' || c.code === 'CLAIM_INVALID') expect(d).not.toHaveProperty('event')
    }
    // The genuine claim is judged at its event's time, not at the time asked.
    const s = await ch.status('CH', '26CHC0001')
    expect(s?.state.consumption).toMatchObject({ consumedAt: v.th[0]!.time, claim: { claimant: 'TH', seq: 1, hash: v.th[0]!.hash } })
    // Only the genuine refusal was written: no event for any invented claim.
    expect((await ownTypes()).slice(v.permits.length)).toEqual([EventType.CONSUMED, EventType.CONSUMED, EventType.CLAIM_REFUSED])
    // No alert either: the claims that name nothing held raise none.
    expect((await ch.alerts()).map((a) => a.kind)).toEqual(['CLAIM_REFUSED'])
  })

  it('an insider cannot get an expired permit consumed with an invented claim dated before expiry', async () => {
    await setUp()
    // 26CHC0006 expires; the insider claims a use 10 s before expiry, as claim #42 of its log.
    const state = (await ch.status('CH', '26CHC0006'))!.state
    clock.now = state.validUntil + 60_000
    expect(codeOf(await ch.decideUse(use('26CHC0006')))).toBe('PERMIT_EXPIRED')
    const d = await ch.decideUse(use('26CHC0006', { claim: { seq: 42, hash: 'ab'.repeat(32), usedAt: state.validUntil - 10_000 } }))
    expect(codeOf(d)).toBe('CLAIM_UNKNOWN')
    // Nor with #999, nor by naming a genuine event of another permit.
    expect(codeOf(await ch.decideUse(use('26CHC0006', { claim: { seq: 999, hash: 'cd'.repeat(32), usedAt: state.validUntil - 10_000 } })))).toBe('CLAIM_UNKNOWN')
    expect(codeOf(await ch.decideUse(use('26CHC0006', { claim: { seq: 1, hash: v.th[0]!.hash, usedAt: state.validUntil - 10_000 } })))).toBe('CLAIM_INVALID')
    expect((await ch.status('CH', '26CHC0006'))?.state.consumption).toBeUndefined()
  })

  it('300 invented claims write no event and raise no alert (log stuffing)', async () => {
    await setUp()
    const before = ch.heads().get('CH')?.size
    const decisions = await Promise.all(Array.from({ length: 300 }, async (_, i) =>
      await ch.decideUse(use(PERMITS[i % PERMITS.length]!, { claim: { seq: 100 + i, hash: (i + 1).toString(16).padStart(64, '0'), usedAt: NOW + 1000 } }))))
    expect(new Set(decisions.map(codeOf))).toEqual(new Set(['CLAIM_UNKNOWN']))
    expect(ch.heads().get('CH')?.size).toBe(before)
    expect(await ch.alerts()).toEqual([])
  })

  it('a claimant gets at most one CLAIM_REFUSED per permit: a later refusal answers with the first', async () => {
    await setUp()
    // All five of TH's claims name permits CH then finds used: only genuine claims reach the ledger rules.
    for (const n of PERMITS.slice(0, 5)) expect((await ch.decideUse(use(n, { port: 'THLCH' }))).kind).toBe('consumed')
    const genuine = v.cases.find((c) => c.name === 'genuine')!
    const first = await ch.decideUse(use('26CHC0001', { claim: genuine.claim }))
    expect(codeOf(first)).toBe('ALREADY_CONSUMED')
    const again = await ch.decideUse(use('26CHC0001', { claim: genuine.claim }))
    expect(Buffer.from((again as { event?: Uint8Array }).event ?? [])).toEqual(Buffer.from((first as { event?: Uint8Array }).event ?? [1]))
    expect((await ownTypes()).filter((t) => t === EventType.CLAIM_REFUSED)).toHaveLength(1)
  })
})
