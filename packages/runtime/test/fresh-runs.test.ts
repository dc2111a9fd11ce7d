import { describe, expect, it } from 'vitest'
import { FreshRuns } from '@cites/runtime'

/** A run whose end the test decides. */
function controlled (): { work: () => Promise<number>, starts: number, finish: (v?: number) => void, fail: (e: Error) => void } {
  const ends: Array<{ resolve: (v: number) => void, reject: (e: Error) => void }> = []
  const c = {
    starts: 0,
    work: async (): Promise<number> => {
      const n = ++c.starts
      return await new Promise<number>((resolve, reject) => { ends.push({ resolve: () => { resolve(n) }, reject }) })
    },
    finish: () => { ends.shift()?.resolve(0) },
    fail: (e: Error) => { ends.shift()?.reject(e) }
  }
  return c
}

const tick = async (): Promise<void> => { await new Promise((resolve) => setImmediate(resolve)) }

describe('FreshRuns (a catch-up sync a caller joins must start after its call)', () => {
  it('a caller arriving during a run never gets that stale run\'s answer: it shares the one run that follows', async () => {
    const runs = new FreshRuns<number>()
    const c = controlled()
    const first = runs.run('US', c.work)
    await tick()
    // Two checks arrive while sync 1 (begun before them) is running.
    const a = runs.run('US', c.work)
    const b = runs.run('US', c.work)
    await tick()
    expect(c.starts).toBe(1)
    c.finish()
    expect(await first).toBe(1)
    await tick()
    expect(c.starts).toBe(2) // one follow-up for both, not one each
    c.finish()
    expect(await a).toBe(2)
    expect(await b).toBe(2)
    expect(runs.pending()).toHaveLength(0)
  })

  it('a caller arriving during the follow-up queues a third run, not the follow-up begun before it', async () => {
    const runs = new FreshRuns<number>()
    const c = controlled()
    const first = runs.run('US', c.work)
    const second = runs.run('US', c.work)
    await tick()
    c.finish()
    await first
    await tick()
    expect(c.starts).toBe(2)
    const third = runs.run('US', c.work)
    c.finish()
    expect(await second).toBe(2)
    await tick()
    c.finish()
    expect(await third).toBe(3)
  })

  it('a failed run still lets the queued callers run their own; keys do not wait for each other', async () => {
    const runs = new FreshRuns<number>()
    const c = controlled()
    const other = controlled()
    const first = runs.run('US', c.work)
    const waiting = runs.run('US', c.work)
    const elsewhere = runs.run('CH', other.work)
    await tick()
    expect(other.starts).toBe(1)
    c.fail(new Error('peer unreachable'))
    await expect(first).rejects.toThrow('peer unreachable')
    await tick()
    c.finish()
    expect(await waiting).toBe(2)
    other.finish()
    expect(await elsewhere).toBe(1)
  })
})
