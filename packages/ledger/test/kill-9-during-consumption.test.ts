/**
 * Crash safety: a child process consumes 2,500 permits (CITES_KILL9_PERMITS) and is killed with
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
// 2,500 by default: each of the 20 kills still lands among consumptions in
// flight; issuing the permits (synced, XML-DSig signed) was most of this
// test's 300 s at 10,000. CITES_KILL9_PERMITS=10000 for the longer soak.
const PERMITS = Number(process.env.CITES_KILL9_PERMITS ?? 2_500)
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

  /** Run the child; SIGKILL it as soon as it has acknowledged `killAtAck` consumptions (more may be in flight). */
  function runChild (orderFile: string, killAtAck: number): Promise<{ acked: Map<string, number>, done: boolean, killed: boolean }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CHILD, join(dir.path, 'db'), VECTORS, orderFile], { stdio: ['ignore', 'pipe', 'pipe'] })
      const acked = new Map<string, number>()
      let buf = ''
      let err = ''
      let done = false
      child.stdout.setEncoding('utf8')
      child.stdout.on('data', (d: string) => {
        buf += d
        let i: number
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i)
          buf = buf.slice(i + 1)
          if (line === 'DONE') done = true
          else if (line.startsWith('OK ')) {
            const [, n, seq] = line.split(' ')
            acked.set(n!, Number(seq))
            if (acked.size === killAtAck) child.kill('SIGKILL')
          }
        }
      })
      child.stderr.on('data', (d: Buffer) => { err += d.toString() })
      child.on('error', reject)
      child.on('exit', (code, signal) => {
        if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`child failed (${code}): ${err}`))
        else resolve({ acked, done, killed: signal === 'SIGKILL' })
      })
    })
  }

  it(`survives ${RUNS} kills without losing or doubling an acknowledged consumption`, async () => {
    const allAcked = new Map<string, number>()
    let kills = 0
    for (let run = 0; run < RUNS; run++) {
      const remaining = numbers.filter((n) => !allAcked.has(n))
      // Kill after a random number of acknowledgements, sized so that the
      // children perform about all the consumptions over the runs; a few
      // already-used permits are mixed in, to be refused.
      const share = Math.ceil(remaining.length / (RUNS - run))
      const [killAtAck, seed] = fc.sample(fc.tuple(fc.integer({ min: 1, max: Math.max(1, 2 * share - 1) }), fc.integer()), { numRuns: 1, seed: Date.now() + run })[0]!
      const used = [...allAcked.keys()].slice(0, 100)
      const order = fc.sample(fc.shuffledSubarray([...remaining, ...used], { minLength: remaining.length + used.length, maxLength: remaining.length + used.length }), { numRuns: 1, seed })[0]!
      const orderFile = join(dir.path, `order-${run}.txt`)
      writeFileSync(orderFile, order.join('\n'))
      const { acked, killed } = await runChild(orderFile, Math.min(killAtAck, remaining.length))
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
    // every run was killed mid-work (the last one may finish its share first)
    expect(kills).toBeGreaterThanOrEqual(RUNS - 1)
    // A last, unkilled run finishes the work: every permit used exactly once.
    const rest = numbers.filter((n) => !allAcked.has(n))
    const lastOrder = join(dir.path, 'order-last.txt')
    writeFileSync(lastOrder, numbers.join('\n'))
    const last = await runChild(lastOrder, Number.MAX_SAFE_INTEGER)
    expect(last.done).toBe(true)
    // A use written just before a kill but never acknowledged is durable: the
    // last run is refused it. Every other unacknowledged permit it uses now.
    for (const n of last.acked.keys()) expect(allAcked.has(n), `${n} used twice`).toBe(false)
    const unacknowledgedButDurable = rest.length - last.acked.size
    const ch = await openLedger('CH', join(dir.path, 'db'), undefined, 500)
    try {
      expect(await ch.count({ status: 'CONSUMED' })).toBe(PERMITS)
      expect((await ch.verifyLog('CH')).ok).toBe(true)
    } finally {
      await ch.close()
    }
    console.info(`kill -9 campaign: ${RUNS} runs, ${kills} killed, ${allAcked.size} consumptions acknowledged before the kills (+${unacknowledgedButDurable} written but not yet acknowledged when killed), ${last.acked.size} in the last run; 0 lost, 0 doubled`)
  }, 600_000)
})
