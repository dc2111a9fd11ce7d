/**
 * Crash safety: a child process consumes 10,000 permits and is killed with
 * SIGKILL at a random point, 20 times over the same ledger. After every
 * reopen: each acknowledged consumption is present, none is doubled, and
 * the log verifies end to end.
 */
import { beforeAll, afterAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { decodeEvent, type Ledger } from '../src/index.js'
import { VECTORS, chPermit, openLedger, tempDir } from './kit.js'

const CHILD = fileURLToPath(new URL('./crash-child.mjs', import.meta.url))
const PERMITS = 10_000
const RUNS = 20

describe('kill -9 during consumption', () => {
  let dir: ReturnType<typeof tempDir>
  const numbers = Array.from({ length: PERMITS }, (_, i) => `26CHK${String(i).padStart(6, '0')}`)
  beforeAll(async () => {
    dir = tempDir('crash')
    const ch = await openLedger('CH', join(dir.path, 'db'), undefined, 500)
    // Issue in parallel batches; the log lock orders the appends.
    for (let i = 0; i < PERMITS; i += 200) await Promise.all(numbers.slice(i, i + 200).map(async (n) => await ch.issue(chPermit(n))))
    await ch.close()
  }, 300_000)
  afterAll(() => dir.cleanup())

  function runChild (orderFile: string, killAfterMs: number): Promise<{ acked: Map<string, number>, done: boolean, killed: boolean }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CHILD, join(dir.path, 'db'), VECTORS, orderFile], { stdio: ['ignore', 'pipe', 'pipe'] })
      const acked = new Map<string, number>()
      let buf = ''
      let err = ''
      let done = false
      let timer: NodeJS.Timeout | undefined
      child.stdout.setEncoding('utf8')
      child.stdout.on('data', (d: string) => {
        buf += d
        let i: number
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i)
          buf = buf.slice(i + 1)
          if (line === 'READY') timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs)
          else if (line === 'DONE') done = true
          else if (line.startsWith('OK ')) { const [, n, seq] = line.split(' '); acked.set(n!, Number(seq)) }
        }
      })
      child.stderr.on('data', (d: Buffer) => { err += d.toString() })
      child.on('error', reject)
      child.on('exit', (code, signal) => {
        if (timer !== undefined) clearTimeout(timer)
        if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`child failed (${code}): ${err}`))
        else resolve({ acked, done, killed: signal === 'SIGKILL' })
      })
    })
  }

  it(`survives ${RUNS} kills without losing or doubling an acknowledged consumption`, async () => {
    const allAcked = new Map<string, number>()
    const rng = fc.sample(fc.tuple(fc.integer({ min: 30, max: 1500 }), fc.integer()), { numRuns: RUNS, seed: Date.now() })
    let kills = 0
    for (let run = 0; run < RUNS; run++) {
      const [killAfter, seed] = rng[run]!
      // A fresh random order each run, so kills land on new and old permits.
      const order = fc.sample(fc.shuffledSubarray(numbers, { minLength: PERMITS, maxLength: PERMITS }), { numRuns: 1, seed })[0]!
      const orderFile = join(dir.path, `order-${run}.txt`)
      writeFileSync(orderFile, order.join('\n'))
      const { acked, killed } = await runChild(orderFile, killAfter)
      if (killed) kills++
      for (const [n, seq] of acked) {
        expect(allAcked.has(n), `${n} acknowledged twice`).toBe(false)
        allAcked.set(n, seq)
      }
      let ch: Ledger | undefined
      try {
        ch = await openLedger('CH', join(dir.path, 'db'), undefined, 500)
        // every acknowledged consumption is present, at the acknowledged position
        for (const [n, seq] of allAcked) {
          const s = await ch.status('CH', n)
          expect(s?.state.consumption?.seq, n).toBe(seq)
        }
        // none is doubled: at most one CONSUMED event per permit in the log
        const consumed = new Map<string, number>()
        let from = 1
        for (;;) {
          const page = await ch.eventsFrom('CH', from, 5000)
          if (page.length === 0) break
          for (const b of page) {
            const e = decodeEvent(b).event
            if (e.type === 'CONSUMED') consumed.set(e.permitNumber, (consumed.get(e.permitNumber) ?? 0) + 1)
          }
          from += page.length
        }
        expect([...consumed.values()].filter((c) => c > 1)).toEqual([])
        expect(consumed.size).toBeGreaterThanOrEqual(allAcked.size)
        // the log verifies end to end
        const v = await ch.verifyLog('CH')
        expect(v.problems).toEqual([])
      } finally {
        await ch?.close()
      }
    }
    expect(kills).toBeGreaterThan(RUNS / 2)
    expect(allAcked.size).toBeGreaterThan(0)
  }, 600_000)
})
