/**
 * The permit-state cache never serves a stale state: random interleavings of
 * every kind of write (issue, endorse, use, cancel, replace, diverted uses,
 * claims and their confirmation, replica events in partial pages, index
 * rebuilds, the clock moving on) and reads, run on a cached ledger and on an
 * uncached one (stateCacheSize 0) side by side; every read must agree. A
 * write that bypassed the store's one write path would leave the cached
 * ledger answering with the state before it.
 *
 * Real LevelDB, real signatures. The two CH ledgers sign their own events
 * separately (ECDSA signatures differ), so hashes are masked before
 * comparing; replica events are the same bytes in both.
 */
import { afterEach, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { permitFromJsonText } from '@cites/permit'
import { Ledger } from '../src/index.js'
import { CONSUME_A, NOW, TRUST, chPermit, read, signer, tempDir, type Clock } from './kit.js'

const CH_NUMBERS = ['26CHP0', '26CHP1', '26CHP2', '26CHP3']
const TH_NUMBERS = ['26THP0', '26THP1', '26THP2']
const USE_TH = { lines: [{ line: 'A', quantity: 1, unit: '' }], port: 'THBKK' }

function thPermit (number: string): ReturnType<typeof permitFromJsonText> {
  const p = permitFromJsonText(read('permits/th-import-ch.json'))
  p.number = number
  return p
}

/**
 * Hashes and signatures differ between the two CH ledgers (and with them
 * signed events and documents); alert ids and times may follow the
 * indexer's timing. States, codes, receipts' places and quantities do not.
 */
const MASKED = new Set(['hash', 'eventHash', 'xmlSha256', 'id', 'time', 'event', 'signedXml'])
function normal (v: unknown): unknown {
  if (v === undefined) return undefined
  return JSON.parse(JSON.stringify(v, (k, x: unknown) => MASKED.has(k) ? '·' : typeof x === 'bigint' ? String(x) : x)) as unknown
}

/** The outcome of a write: what it returned (masked), or its code. */
async function outcome (p: Promise<unknown>): Promise<unknown> {
  try {
    return { ok: normal(await p) }
  } catch (err) {
    const code = (err as { code?: unknown }).code
    if (typeof code !== 'string') throw err
    return { code }
  }
}

type Op =
  | { op: 'issue' | 'endorse' | 'use' | 'divert' | 'cancel' | 'replace' | 'refuseUse', i: number }
  | { op: 'thIssue' | 'thUse' | 'thCancel' | 'thClaim' | 'confirm', i: number }
  | { op: 'feed', n: number }
  | { op: 'rebuild' }
  | { op: 'tick', ms: number }
  | { op: 'read', i: number }

const ops: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constantFrom('issue', 'thIssue'), i: fc.nat(TH_NUMBERS.length - 1) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constantFrom('issue', 'endorse', 'use', 'divert', 'cancel', 'replace', 'refuseUse'), i: fc.nat(CH_NUMBERS.length - 1) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constantFrom('thIssue', 'thUse', 'thCancel', 'thClaim', 'confirm'), i: fc.nat(TH_NUMBERS.length - 1) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('feed'), n: fc.integer({ min: 1, max: 4 }) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('rebuild') }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('tick'), ms: fc.constantFrom(60_000, 86_400_000 * 200) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('read'), i: fc.nat(CH_NUMBERS.length - 1) }), weight: 1 }
) as fc.Arbitrary<Op>

describe('state cache coherence (property)', () => {
  const cleanups: Array<() => Promise<void> | void> = []
  afterEach(async () => { for (const c of cleanups.splice(0)) await c() })

  it('a cached ledger answers every read as an uncached one, whatever the writes in between', async () => {
    await fc.assert(fc.asyncProperty(fc.array(ops, { minLength: 8, maxLength: 24 }), async (steps) => {
      const clock: Clock = { now: NOW }
      const dirs = [tempDir('cached'), tempDir('uncached'), tempDir('th')]
      const open = async (party: 'CH' | 'TH', path: string, stateCacheSize?: number): Promise<Ledger> =>
        await Ledger.open({ location: path, party, signer: await signer(party), trust: TRUST, now: () => clock.now, ...(stateCacheSize !== undefined ? { stateCacheSize } : {}) })
      const cached = await open('CH', dirs[0]!.path)
      const uncached = await open('CH', dirs[1]!.path, 0)
      const th = await open('TH', dirs[2]!.path)
      let fed = 0
      let chFedToTh = 0
      try {
        const both = async (f: (l: Ledger) => Promise<unknown>): Promise<void> => {
          const [a, b] = [await outcome(f(cached)), await outcome(f(uncached))]
          expect(a).toEqual(b)
        }
        const readAll = async (): Promise<void> => {
          const view = async (l: Ledger): Promise<unknown> => normal({
            ch: await Promise.all(CH_NUMBERS.map(async (n) => await l.status('CH', n))),
            th: await Promise.all(TH_NUMBERS.map(async (n) => await l.status('TH', n))),
            claims: await Promise.all(CH_NUMBERS.map(async (n) => await l.claims('CH', n)))
          })
          expect(await view(cached)).toEqual(await view(uncached))
        }
        for (const s of steps) {
          switch (s.op) {
            case 'issue': await both(async (l) => await l.issue({ ...chPermit(CH_NUMBERS[s.i]!), issueDate: new Date(NOW).toISOString() })); break
            case 'endorse': await both(async (l) => await l.endorse('CH', CH_NUMBERS[s.i]!, { ...CONSUME_A, port: 'CHZRH' })); break
            case 'use': await both(async (l) => await l.decideUse({ party: 'CH', number: CH_NUMBERS[s.i]!, requester: 'TH', ...CONSUME_A })); break
            case 'divert': await both(async (l) => await l.decideUse({ party: 'CH', number: CH_NUMBERS[s.i]!, requester: 'FR', ...CONSUME_A, port: 'FRPAR' })); break
            case 'cancel': await both(async (l) => await l.cancel('CH', CH_NUMBERS[s.i]!, 'lost')); break
            case 'replace': await both(async (l) => await l.replace('CH', CH_NUMBERS[s.i]!, { ...chPermit(`${CH_NUMBERS[s.i]!}R`), lines: [{ ...chPermit('X').lines[0]!, quantity: 1 }] }, 'error', 'amended')); break
            case 'refuseUse': await both(async (l) => await l.decideUse({ party: 'CH', number: CH_NUMBERS[s.i]!, requester: 'CN', ...CONSUME_A, port: 'CNSHA' })); break
            case 'thIssue': await outcome(th.issue({ ...thPermit(TH_NUMBERS[s.i]!), issueDate: new Date(NOW).toISOString() })); break
            case 'thUse': await th.decideUse({ party: 'TH', number: TH_NUMBERS[s.i]!, requester: 'TH', ...USE_TH }); break
            case 'thCancel': await outcome(th.cancel('TH', TH_NUMBERS[s.i]!, 'withdrawn')); break
            case 'thClaim': {
              // TH claims a use of a CH permit (as it knows it from the cached ledger's log).
              const evs = await cached.eventsFrom('CH', chFedToTh + 1, 1000)
              await th.acceptEvents(evs)
              chFedToTh += evs.length
              await outcome(th.consumeProvisionally('CH', CH_NUMBERS[s.i]!, { ...CONSUME_A, reason: 'CH unreachable' }))
              break
            }
            case 'confirm': {
              for (const c of await th.openClaims()) {
                await both(async (l) => await l.decideUse({ party: 'CH', number: c.number, requester: 'TH', ...CONSUME_A, claim: { seq: c.seq, hash: c.hash, usedAt: c.time } }))
              }
              break
            }
            case 'feed': {
              // Part of TH's log, the same bytes to both: indexed in the background, or forced by a read.
              const evs = await th.eventsFrom('TH', fed + 1, s.n)
              fed += evs.length
              await both(async (l) => await l.acceptEvents(evs))
              break
            }
            case 'rebuild': await both(async (l) => await l.rebuildIndexes()); break
            case 'tick': clock.now += s.ms; break
            case 'read': {
              await both(async (l) => await l.getPermit('CH', CH_NUMBERS[s.i]!))
              await both(async (l) => await l.list({ party: 'CH' }))
              await both(async (l) => await l.list({ status: 'CONSUMED' }))
              await both(async (l) => await l.count({ species: 'Python regius' }))
              await both(async (l) => await l.openClaims())
              await both(async (l) => await l.alerts())
              break
            }
          }
          await readAll()
        }
      } finally {
        await cached.close(); await uncached.close(); await th.close()
        for (const d of dirs) d.cleanup()
      }
    }), {
      numRuns: 15,
      // Always tried first: each write path once, with the state read (and cached) before it.
      examples: [[[
        { op: 'issue', i: 0 }, { op: 'endorse', i: 0 }, { op: 'use', i: 0 }, { op: 'divert', i: 0 },
        { op: 'thIssue', i: 0 }, { op: 'feed', n: 4 }, { op: 'thUse', i: 0 }, { op: 'feed', n: 4 },
        { op: 'issue', i: 1 }, { op: 'thClaim', i: 1 }, { op: 'feed', n: 4 }, { op: 'confirm', i: 0 },
        { op: 'issue', i: 2 }, { op: 'cancel', i: 2 }, { op: 'rebuild' }, { op: 'tick', ms: 86_400_000 * 200 }, { op: 'read', i: 1 }
      ]]]
    })
  })
})
