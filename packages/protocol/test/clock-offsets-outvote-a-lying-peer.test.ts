/**
 * Clock offsets against peers (network.md §4.2): the NTP-style estimate
 * holds the true offset within half the round trip, and the median the
 * node judges by cannot be moved past the middle by one listed authority
 * lying about its time (issue 15 §6). The answer's `time` comes from the
 * answerer's clock on every sync answer, and a heads exchange with no heads
 * (an asker holding no other log) is answered, not refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { Ledger } from '@cites/ledger'
import { ClockOffsets, Status, SyncResponse, clockSample, ledgerSyncPort, medianOffset, type ClockSample, type SyncRequest } from '../src/index.js'
import { NOW, ledgerFor, parties, tempDir, trustFor } from './kit.js'

const MIN = 60_000
const s = (offsetMs: number, roundTripMs = 10): ClockSample => ({ offsetMs, roundTripMs, at: NOW })

describe('the NTP-style estimate', () => {
  it('holds the true offset within half the round trip, wherever in the exchange the peer read its clock', () => {
    fc.assert(fc.property(
      fc.integer({ min: -3_600_000, max: 3_600_000 }), fc.integer({ min: 0, max: 30_000 }), fc.double({ min: 0, max: 1, noNaN: true }),
      (trueOffset, rtt, when) => {
        const sent = NOW
        // The peer answers at some instant of the round trip, on its own clock.
        const peerTime = sent + when * rtt + trueOffset
        const e = clockSample(sent, rtt, peerTime)
        expect(Math.abs(e.offsetMs - trueOffset)).toBeLessThanOrEqual(e.roundTripMs / 2 + 1e-6)
        expect(e.at).toBe(sent + rtt)
      }))
  })

  it('a wall-clock step backwards during the exchange does not pass for a negative round trip', () => {
    expect(clockSample(NOW, -5, NOW).roundTripMs).toBe(0)
  })
})

describe('the median a node judges its clock by', () => {
  it('is the middle offset, with its own error bound', () => {
    expect(medianOffset([s(3), s(-1, 40), s(100)])).toEqual({ peers: 3, medianOffsetMs: 3, errorMs: 5 })
    expect(medianOffset([])).toEqual({ peers: 0 })
  })

  it('one lying peer among three cannot make an honest node look skewed', () => {
    for (const lie of [-10 * MIN, 10 * MIN, Number.MAX_SAFE_INTEGER]) {
      expect(Math.abs(medianOffset([s(2), s(-3), s(lie)]).medianOffsetMs!)).toBeLessThanOrEqual(3)
    }
  })

  it('one lying peer among three cannot hide a node\'s own skew', () => {
    // Our clock is 10 minutes fast: honest peers read −10 min; the liar pretends to agree with us.
    expect(medianOffset([s(-10 * MIN), s(-10 * MIN + 5), s(0)]).medianOffsetMs).toBeLessThan(-9 * MIN)
  })

  it('with two peers, one liar cannot make the node fail: between the two middle offsets, the point nearest zero', () => {
    expect(medianOffset([s(1), s(10 * MIN)]).medianOffsetMs).toBe(1)
    expect(medianOffset([s(-10 * MIN), s(-2)]).medianOffsetMs).toBe(-2)
    expect(medianOffset([s(-10 * MIN), s(10 * MIN)]).medianOffsetMs).toBe(0)
    // Both agree: it fails as it should.
    expect(medianOffset([s(-10 * MIN), s(-10 * MIN - 7)]).medianOffsetMs).toBe(-10 * MIN)
  })

  it('fails only when more than half of the peers agree, for any count and any lies', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -100 * MIN, max: 100 * MIN }), { minLength: 1, maxLength: 40 }), (offsets) => {
      const m = medianOffset(offsets.map((o) => s(o))).medianOffsetMs!
      const beyond = offsets.filter((o) => Math.abs(o) > MIN && Math.sign(o) === Math.sign(m)).length
      if (Math.abs(m) > MIN) expect(beyond).toBeGreaterThan(offsets.length / 2)
      // And a real skew seen by more than half stays seen, whatever the others say.
      const ahead = offsets.filter((o) => o < -MIN).length
      if (ahead > offsets.length / 2) expect(m).toBeLessThan(-MIN)
    }))
  })
})

describe('the latest sample of each peer', () => {
  it('keeps one per peer, forgets a disconnected one, ignores an old one, and stays bounded', () => {
    const c = new ClockOffsets({ maxPeers: 3, maxAgeMs: 5 * MIN })
    c.record('CH', s(1))
    c.record('CH', s(2))
    c.record('TH', s(3))
    expect(c.current(NOW).map((x) => [x.party, x.offsetMs])).toEqual([['CH', 2], ['TH', 3]])
    c.forget('TH')
    expect(c.estimate(NOW)).toMatchObject({ peers: 1, medianOffsetMs: 2 })
    // Only the parties asked about (the connected listed peers).
    expect(c.estimate(NOW, ['US']).peers).toBe(0)
    // Older than maxAgeMs: no longer counts.
    expect(c.estimate(NOW + 6 * MIN).peers).toBe(0)
    for (const p of ['US', 'KE', 'BR', 'IN']) c.record(p, s(0))
    expect(c.current(NOW).map((x) => x.party)).toEqual(['BR', 'IN', 'KE'])
  })
})

describe('the time on the wire (SyncResponse.time, r9)', () => {
  const dir = tempDir('clock-wire')
  let th: Ledger
  const EMPTY = new Uint8Array(0) as Uint8Array<ArrayBuffer>
  const req = (r: Partial<SyncRequest>): SyncRequest => ({ author: '', fromSeq: 0n, limit: 0, knownHash: EMPTY, checkpoint: EMPTY, heads: [], ...r })

  beforeAll(async () => {
    const P = await parties()
    th = await ledgerFor(P.TH, await trustFor([P.CH, P.TH]), dir.path)
  })
  afterAll(async () => { await th.close(); dir.cleanup() })

  it('every answer, a refusal too, carries the answerer\'s clock; a heads exchange with no heads is answered OK', async () => {
    const port = ledgerSyncPort(th, undefined, () => NOW + 10 * MIN)
    const none = await port.answerSync(req({}))
    expect(none).toMatchObject({ status: Status.OK, heads: [], time: BigInt(NOW + 10 * MIN) })
    const refused = await port.answerSync(req({ author: 'xx', fromSeq: 1n }))
    expect(refused).toMatchObject({ status: Status.MALFORMED, time: BigInt(NOW + 10 * MIN) })
  })

  it('an older answerer\'s answer (no time) still decodes, without a time: the asker measures nothing', () => {
    // An r8 heads-exchange answer (vectors/network/sync.json crossChecks).
    const old = SyncResponse.decode(Buffer.from('086442280a02555310031a20' + 'ef'.repeat(32), 'hex'))
    expect(old.status).toBe(Status.OK)
    expect(old.time).toBeUndefined()
  })
})
