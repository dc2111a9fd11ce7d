/**
 * Issue 18, finding 4: a listed authority signs events of its own log with
 * gaps (1,000 small ones and 30 of about 295 KiB) and sends them to a
 * replica. Before the bounds, every one was kept in PENDING for good (about
 * 10 MB from the 30), and every later event of that author re-read them all.
 * Now (ledger.md §4.2) only events within PENDING_WINDOW of the head are
 * kept, at most MAX_PENDING_EVENTS and MAX_PENDING_BYTES per author, the
 * lowest first; the rest are answered `ahead`; draining reads exactly the
 * held keys that fit; and an exact replay is answered without a signature
 * check.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  IssuedBody, MAX_PENDING_BYTES, MAX_PENDING_EVENTS, PENDING_WINDOW, decodeEvent, signEvent, type Ledger, type LoggedEvent, type PendingView, type TrustSource
} from '../src/index.js'
import { Ledger as LedgerClass } from '../src/ledger.js'
import { NOW, TRUST, chPermit, openLedger, signer, tempDir } from './kit.js'

const SMALL = 1000
const LARGE = 30
const LARGE_BYTES = 295 * 1024

/**
 * CH's log as CH signs it: a genuine ISSUED event copied under new permit
 * numbers and chained, `LARGE` events of about 295 KiB at seqs 3..32 and
 * `SMALL` ordinary ones after them.
 */
async function chChain (template: LoggedEvent): Promise<Uint8Array[]> {
  const key = await signer('CH')
  const body = IssuedBody.decode(template.event.body)
  const out: Uint8Array[] = []
  let prev: Uint8Array = new Uint8Array(0)
  for (let seq = 1; seq <= 2 + LARGE + SMALL; seq++) {
    const large = seq >= 3 && seq < 3 + LARGE
    // r17: no document in an event; a large one is still signable (a long text field).
    const b = large ? IssuedBody.encode({ ...body, purpose: ' '.repeat(LARGE_BYTES - 2048) }) : template.event.body
    const { certSha256: _, version: _v, carriedFrom: _f, carriedAt: _a, ...fields } = template.event
    const le = await signEvent({ ...fields, seq: BigInt(seq), prevHash: prev as Uint8Array<ArrayBuffer>, permitNumber: `26CHF${String(seq).padStart(5, '0')}`, body: b as Uint8Array<ArrayBuffer> }, key)
    out.push(le.bytes)
    prev = le.hash
  }
  return out
}

describe('an authority floods a replica with events ahead of its log', () => {
  let dirs: Array<ReturnType<typeof tempDir>>
  let ch: Ledger
  let th: Ledger
  let chain: Uint8Array[]
  beforeEach(async () => {
    dirs = [tempDir('ch'), tempDir('th')]
    ch = await openLedger('CH', dirs[0]!.path)
    th = await openLedger('TH', dirs[1]!.path)
    const { event } = await ch.issue(chPermit('26CHF00000'))
    chain = await chChain(event)
  }, 120_000)
  afterEach(async () => { await ch.close(); await th.close(); for (const d of dirs) d.cleanup() })

  const held = (l: Ledger): PendingView => l.pending().find((p) => p.author === 'CH') ?? { author: 'CH', events: 0, bytes: 0, lowest: 0, highest: 0 }
  const seqOf = (b: Uint8Array): number => Number(decodeEvent(b).event.seq)

  it('1,000 gapped events and 30 of 295 KiB leave PENDING under its caps; the rest is answered `ahead`; the chain then completes from what was held, reading only the keys that fit', async () => {
    expect((await th.acceptEvent(chain[0]!)).status).toBe('accepted')
    // The flood, #2 withheld: the small events first, then the large ones
    // (lower seqs, which displace higher ones to close the gap sooner).
    const small = chain.slice(2 + LARGE)
    const large = chain.slice(2, 2 + LARGE)
    const statuses: Record<string, number> = {}
    const readsBefore = th.storeReads().PENDING
    for (const b of [...small, ...large]) {
      const r = await th.acceptEvent(b)
      statuses[r.status] = (statuses[r.status] ?? 0) + 1
      const p = held(th)
      expect(p.events).toBeLessThanOrEqual(MAX_PENDING_EVENTS)
      expect(p.bytes).toBeLessThanOrEqual(MAX_PENDING_BYTES)
      expect(p.highest).toBeLessThanOrEqual(1 + PENDING_WINDOW)
    }
    const after = held(th)
    // Not one read of PENDING for the whole flood: a new event ahead of the
    // log is placed by the in-memory index (before, each re-read them all).
    const floodReads = th.storeReads().PENDING
    expect({ keys: floodReads.keys - readsBefore.keys, ranges: floodReads.ranges - readsBefore.ranges }).toEqual({ keys: 0, ranges: 0 })
    console.log(`pending flood (1,000 + 30 × 295 KiB, #2 withheld): statuses ${JSON.stringify(statuses)}; held ${after.events} events, ${after.bytes} bytes, seqs ${after.lowest}..${after.highest} (caps ${MAX_PENDING_EVENTS} events, ${MAX_PENDING_BYTES} bytes, window ${PENDING_WINDOW})`)
    // Everything past the window was refused outright, most of the flood.
    expect(statuses.ahead).toBeGreaterThanOrEqual(SMALL + LARGE - PENDING_WINDOW)
    // The lowest seqs won: the large events right after the gap are held.
    expect(after.lowest).toBe(3)
    expect(th.heads().get('CH')?.size).toBe(1)

    // Stable: an event past the window is answered `ahead` again, and kept nowhere.
    const far = chain[500]!
    expect((await th.acceptEvent(far)).status).toBe('ahead')
    expect((await th.acceptEvent(far)).status).toBe('ahead')
    expect(held(th)).toEqual(after)

    // The bounds hold across a restart (the index is reloaded from the store).
    await th.close()
    th = await openLedger('TH', dirs[1]!.path)
    expect(held(th)).toEqual(after)

    // #2 arrives: the held events that now fit are drained by point reads,
    // one per event, and no range of PENDING is read.
    const before = th.storeReads().PENDING
    const r2 = await th.acceptEvent(chain[1]!)
    expect(r2.status).toBe('accepted')
    const head = th.heads().get('CH')?.size ?? 0
    const reads = th.storeReads().PENDING
    expect(head).toBeGreaterThan(2)
    expect(reads.ranges - before.ranges).toBe(0)
    expect(reads.keys - before.keys).toBe(head - 2)

    // The rest arrives in order (a sync): the chain completes from the
    // store and what is still held, and nothing is left pending.
    const rest = chain.slice(head)
    const beforeRest = th.storeReads().PENDING
    for (let i = 0; i < rest.length; i += 100) await th.acceptEvents(rest.slice(i, i + 100))
    expect(th.heads().get('CH')?.size).toBe(chain.length)
    expect(th.pending()).toEqual([])
    expect(th.storeReads().PENDING.ranges - beforeRest.ranges).toBe(0)
    // Each held event was read at most once, when it fitted (the batch may bring it first).
    expect(th.storeReads().PENDING.keys - beforeRest.keys).toBeLessThanOrEqual(after.events)
    expect(await th.verifyLog('CH')).toMatchObject({ ok: true, size: chain.length })
    expect(await th.count({ party: 'CH' })).toBe(chain.length)
  }, 180_000)

  it('an author cannot hold more than its caps by sending only large events within the window', async () => {
    await th.acceptEvent(chain[0]!)
    const results = await th.acceptEvents(chain.slice(2, 2 + LARGE))
    const p = held(th)
    expect(p.bytes).toBeLessThanOrEqual(MAX_PENDING_BYTES)
    expect(p.events).toBe(Math.floor(MAX_PENDING_BYTES / chain[2]!.length))
    expect(results.filter((r) => r.status === 'ahead').map((r) => r.seq)[0]).toBe(3 + p.events)
    // Another author's log is not affected by CH's flood (the caps are per author).
    expect(th.pending().map((v) => v.author)).toEqual(['CH'])
  }, 120_000)

  it('a replica answers 300 replays of an event it holds (in its log or held back) without checking a signature again', async () => {
    let lookups = 0
    const counting: TrustSource = { certificatesFor: (p) => { lookups++; return TRUST.certificatesFor(p) } }
    await th.close()
    th = await LedgerClass.open({ location: dirs[1]!.path, party: 'TH', signer: await signer('TH'), trust: counting, now: () => NOW })
    expect((await th.acceptEvent(chain[0]!)).status).toBe('accepted')
    expect((await th.acceptEvent(chain[3]!)).status).toBe('held')
    const checked = lookups
    expect(checked).toBe(2)
    for (let i = 0; i < 300; i++) {
      expect((await th.acceptEvent(chain[0]!)).status).toBe('duplicate')
      expect((await th.acceptEvent(chain[3]!)).status).toBe('held')
    }
    // Certificates are looked up only to check a signature: none for the 600 replays.
    expect(lookups).toBe(checked)
    expect(seqOf(chain[3]!)).toBe(4)
    expect(held(th).events).toBe(1)
  }, 120_000)
})
