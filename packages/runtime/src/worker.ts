/**
 * The one skeleton of every background loop (delivery, claims, permit
 * checks, anti-entropy sync, keep-connected): one run at a time, a run every
 * `intervalMs`, capped exponential backoff with jitter after a failure, and a
 * log line with a code for every failure. Nothing is swallowed silently.
 */
import { errorCode, errorMessage, silentLogger, type Logger } from './log.js'

export interface WorkerInit {
  /** For log lines and status. */
  name: string
  /** Pause between runs (ms). */
  intervalMs: number
  /**
   * One pass of work. Throwing counts as a failure: the next run waits the
   * backoff instead of the interval. `signal` is aborted by stop().
   */
  run: (signal: AbortSignal) => Promise<void>
  log?: Logger
  /** After n failures in a row the next run waits min(maxMs, minMs·2ⁿ⁻¹), times a jitter in [0.5, 1]. */
  backoff?: { minMs?: number, maxMs?: number }
  /** Run once as soon as started. @default false */
  runAtStart?: boolean
  /** Optional gate checked before each scheduled run (e.g. "the event loop is not busy"); false skips the run. */
  shouldRun?: () => boolean
}

export interface WorkerStats {
  runs: number
  failures: number
  /** Failures in a row now (0 after a success). */
  failing: number
  lastError?: { code: string, message: string, at: string }
}

export interface Worker {
  readonly name: string
  readonly stats: WorkerStats
  /**
   * Run now. A run in progress is joined, and one more run follows it (work
   * that arrived during the run is not left for the next interval).
   * Resolves when that run ends; rejects with its failure.
   */
  trigger: () => Promise<void>
  /** Stop the timer, abort the signal and wait for a run in progress. */
  stop: () => Promise<void>
}

export function startWorker (init: WorkerInit): Worker {
  const log = init.log ?? silentLogger
  const min = init.backoff?.minMs ?? init.intervalMs
  const max = init.backoff?.maxMs ?? Math.max(min, 300_000)
  const stats: WorkerStats = { runs: 0, failures: 0, failing: 0 }
  const abort = new AbortController()
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let again: Promise<void> | undefined
  let stopped = false

  const delay = (): number => {
    if (stats.failing === 0) return init.intervalMs
    const base = Math.min(max, min * 2 ** Math.min(stats.failing - 1, 30))
    return Math.round(base * (0.5 + Math.random() / 2))
  }
  const schedule = (): void => {
    if (stopped) return
    clearTimeout(timer)
    timer = setTimeout(() => {
      if (init.shouldRun !== undefined && !init.shouldRun()) { schedule(); return }
      // Through trigger(), like every run: a timed run must never overlap a triggered one.
      trigger().catch(() => { /* logged in runNow */ })
    }, delay())
    timer.unref()
  }
  const runNow = async (): Promise<void> => {
    if (stopped) return
    stats.runs++
    try {
      await init.run(abort.signal)
      stats.failing = 0
    } catch (err) {
      if (stopped) return
      stats.failures++
      stats.failing++
      const code = errorCode(err, 'WORKER_RUN_FAILED')
      stats.lastError = { code, message: errorMessage(err), at: new Date().toISOString() }
      log.warn({ worker: init.name, code, failing: stats.failing }, `${init.name}: ${stats.lastError.message}`)
      throw err
    } finally {
      schedule()
    }
  }
  const trigger = async (): Promise<void> => {
    if (stopped) return
    if (running === undefined) {
      running = runNow().finally(() => { running = undefined })
      return await running
    }
    // A run is in progress: one more after it, shared by every caller meanwhile.
    again ??= running.catch(() => {}).then(async () => { again = undefined; await trigger() })
    return await again
  }
  if (init.runAtStart === true) trigger().catch(() => {})
  else schedule()
  return {
    name: init.name,
    stats,
    trigger,
    stop: async () => {
      stopped = true
      clearTimeout(timer)
      abort.abort()
      await running?.catch(() => {})
    }
  }
}
