/**
 * A bounded load test: `bench/http.mjs` (a node with a ledger of 100k
 * permits, autocannon from a second process for 2 s per case) must answer
 * every request with 2xx, with no errors or timeouts, for verify by number
 * and verify of an uploaded document. Timings are the benchmark's business
 * (`npm run bench:http`), never asserted here.
 */
import { describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'

const BENCH = fileURLToPath(new URL('../bench/http.mjs', import.meta.url))

interface Load { requests: number, rps: number, non2xx: number, errors: number, timeouts: number }

describe('HTTP verify under load, 100k permits', () => {
  it('answers every request 2xx, without errors or timeouts', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [BENCH], { env: { ...process.env, BENCH_HTTP_JSON: '1', BENCH_HTTP_SECONDS: '2', BENCH_HTTP_PERMITS: '100000' }, maxBuffer: 1 << 20, timeout: 240_000 })
    const r = JSON.parse(stdout.trim().split('\n').pop() as string) as { permits: number, byNumber: Load, byXml: Load, constant: Load }
    expect(r.permits).toBe(100_200)
    for (const load of [r.byNumber, r.byXml]) {
      expect(load.requests).toBeGreaterThan(100)
      expect({ non2xx: load.non2xx, errors: load.errors, timeouts: load.timeouts }).toEqual({ non2xx: 0, errors: 0, timeouts: 0 })
    }
  }, 300_000)
})
