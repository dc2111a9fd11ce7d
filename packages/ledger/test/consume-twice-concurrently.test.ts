/**
 * The attack: the same permit presented at several borders (or twice at
 * one) at the same moment, hoping two checks pass before either write lands.
 * LevelDB has no isolation, so without the per-permit critical section this
 * double-consumes (FACTS.md saw 1000 of 1000). fast-check's scheduler
 * shuffles the order in which the attempts start and settle.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { AlreadyConsumedError, type Ledger } from '../src/index.js'
import { CONSUME_A, chPermit, openLedger, tempDir } from './kit.js'

describe('consume twice concurrently', () => {
  let dir: ReturnType<typeof tempDir>
  let ch: Ledger
  let issued = 0
  beforeAll(async () => { dir = tempDir(); ch = await openLedger('CH', dir.path) })
  afterAll(async () => { await ch.close(); dir.cleanup() })

  async function issueBatch (n: number): Promise<string[]> {
    const numbers = Array.from({ length: n }, () => `26CH9${String(issued++).padStart(6, '0')}`)
    // Issue in parallel: the log lock serialises the appends.
    await Promise.all(numbers.map(async (num) => await ch.issue(chPermit(num))))
    return numbers
  }

  it('1000 permits, 2-8 concurrent attempts each, shuffled: exactly one use per permit, none doubled', async () => {
    const numbers = await issueBatch(1000)
    await fc.assert(fc.asyncProperty(
      fc.scheduler(),
      fc.array(fc.integer({ min: 2, max: 8 }), { minLength: numbers.length, maxLength: numbers.length }),
      async (s, attempts) => {
        const outcomes = new Map<string, { ok: number, refused: number }>()
        const tasks: Array<Promise<void>> = []
        for (const [i, num] of numbers.entries()) {
          outcomes.set(num, { ok: 0, refused: 0 })
          for (let a = 0; a < attempts[i]!; a++) {
            tasks.push(s.schedule(Promise.resolve(), `${num}#${a}`).then(async () => {
              try {
                await ch.consume('CH', num, { ...CONSUME_A, port: `PORT${a}` })
                outcomes.get(num)!.ok++
              } catch (e) {
                if (!(e instanceof AlreadyConsumedError)) throw e
                outcomes.get(num)!.refused++
              }
            }))
          }
        }
        await s.waitAll()
        await Promise.all(tasks)
        for (const [i, num] of numbers.entries()) {
          expect(outcomes.get(num), num).toEqual({ ok: 1, refused: attempts[i]! - 1 })
        }
      }
    ), { numRuns: 1 })
    // The log agrees: one CONSUMED event per permit.
    const consumed = new Map<string, number>()
    for (const b of await ch.eventsFrom('CH', 1, 100_000)) {
      const { decodeEvent } = await import('../src/index.js')
      const e = decodeEvent(b).event
      if (e.type === 'CONSUMED') consumed.set(e.permitNumber, (consumed.get(e.permitNumber) ?? 0) + 1)
    }
    expect(consumed.size).toBe(1000)
    expect([...consumed.values()].every((n) => n === 1)).toBe(true)
    expect(await ch.count({ status: 'CONSUMED' })).toBe(1000)
  })

  it('many small shuffled rounds: still exactly one use per permit', async () => {
    await fc.assert(fc.asyncProperty(fc.scheduler(), fc.integer({ min: 2, max: 8 }), async (s, n) => {
      const [num] = await issueBatch(1)
      const results = await Promise.allSettled(Array.from({ length: n }, async (_, a) => {
        await s.schedule(Promise.resolve(), `attempt ${a}`)
        return ch.consume('CH', num!, { ...CONSUME_A, port: `PORT${a}` })
      }).map(async (p) => { const r = p; await s.waitAll(); return await r }))
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
      expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason instanceof AlreadyConsumedError)).toBe(true)
    }), { numRuns: 30 })
  })
})
