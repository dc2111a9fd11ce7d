import { describe, expect, it } from 'vitest'
import { Writable } from 'node:stream'
import { createLogger, componentLogger, debugEnabled, httpStatusTable, defineCodes, startWorker, within, TimeoutError } from '@cites/runtime'

function capture (): { lines: Array<Record<string, unknown>>, stream: Writable } {
  const lines: Array<Record<string, unknown>> = []
  const stream = new Writable({ write (chunk, _enc, cb) { lines.push(JSON.parse(String(chunk))); cb() } })
  return { lines, stream }
}

describe('startWorker', () => {
  it('never runs twice at once, and a trigger during a run is followed by exactly one more run', async () => {
    let active = 0
    let maxActive = 0
    let runs = 0
    let release: () => void = () => {}
    const w = startWorker({
      name: 'test', intervalMs: 60_000,
      run: async () => {
        active++; maxActive = Math.max(maxActive, active); runs++
        if (runs === 1) await new Promise<void>((resolve) => { release = resolve })
        active--
      }
    })
    const first = w.trigger()
    const during = [w.trigger(), w.trigger(), w.trigger()]
    release()
    await Promise.all([first, ...during])
    expect(maxActive).toBe(1)
    expect(runs).toBe(2)
    await w.stop()
  })

  it('logs every failure with its code and backs off instead of running at the interval', async () => {
    const { lines, stream } = capture()
    const log = componentLogger(createLogger({ level: 'info', destination: stream }), 'delivery')
    let calls = 0
    const w = startWorker({
      name: 'delivery', intervalMs: 5, backoff: { minMs: 400, maxMs: 400 }, log,
      run: async () => { calls++; throw Object.assign(new Error('peer gone'), { code: 'PEER_UNREACHABLE' }) }
    })
    await expect(w.trigger()).rejects.toThrow('peer gone')
    // With a 5 ms interval and no backoff there would be ~20 runs in 100 ms.
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(calls).toBe(1)
    expect(w.stats.failing).toBe(1)
    expect(w.stats.lastError?.code).toBe('PEER_UNREACHABLE')
    await w.stop()
    await new Promise((resolve) => setImmediate(resolve))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ level: 40, component: 'delivery', worker: 'delivery', code: 'PEER_UNREACHABLE' })
  })

  it('stop() waits for the run in progress and aborts its signal', async () => {
    let aborted = false
    let finished = false
    const w = startWorker({
      name: 'slow', intervalMs: 60_000,
      run: async (signal) => {
        await new Promise<void>((resolve) => { signal.addEventListener('abort', () => { aborted = true; resolve() }) })
        finished = true
      }
    })
    const run = w.trigger()
    await w.stop()
    expect(aborted).toBe(true)
    expect(finished).toBe(true)
    await run
  })
})

describe('logs and codes', () => {
  it('DEBUG=cites:<component> lowers only the named components to debug', () => {
    expect(debugEnabled('ledger', 'cites:ledger,libp2p:*')).toBe(true)
    expect(debugEnabled('sync', 'cites:ledger')).toBe(false)
    expect(debugEnabled('sync', 'cites:*')).toBe(true)
  })

  it('derives HTTP statuses from the registries and refuses a code registered with two kinds', () => {
    const a = defineCodes({ PERMIT_NOT_FOUND: { kind: 'not-found', summary: 'x' }, MALFORMED_RESPONSE: { kind: 'bad-gateway', summary: 'y' } })
    const b = defineCodes({ PERMIT_NOT_FOUND: { kind: 'conflict', summary: 'z' } })
    expect(httpStatusTable(a).get('MALFORMED_RESPONSE')).toBe(502)
    expect(() => httpStatusTable(a, b)).toThrow(/PERMIT_NOT_FOUND/)
  })

  it('within() rejects with a TimeoutError', async () => {
    await expect(within(10, new Promise(() => {}))).rejects.toBeInstanceOf(TimeoutError)
  })
})

describe('startWorker timing', () => {
  it('a run started by the interval never overlaps a triggered run', async () => {
    let active = 0
    let maxActive = 0
    let runs = 0
    const w = startWorker({
      name: 'overlap', intervalMs: 1,
      run: async () => {
        active++; maxActive = Math.max(maxActive, active); runs++
        await new Promise((resolve) => setTimeout(resolve, 20))
        active--
      }
    })
    // Triggers while the 1 ms interval keeps firing during each 20 ms run.
    for (let i = 0; i < 5; i++) { await w.trigger(); }
    await w.stop()
    expect(runs).toBeGreaterThanOrEqual(5)
    expect(maxActive).toBe(1)
  })
})
