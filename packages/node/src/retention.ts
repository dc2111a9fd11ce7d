/**
 * The retention rule for permit documents (ledger.md §7.2, SECURITY.md §28):
 * a document is kept for `documentYears` after the later of its permit's
 * Box 2 end and its last event (5 years by default: Decision 18.125's
 * archive), then erased with its key. Run at start (a restored backup is
 * purged before it serves) and every hour.
 */
import { startWorker, type Logger, type WorkerStats } from '@cites/runtime'
import type { Ledger } from '@cites/ledger'

export const DEFAULT_DOCUMENT_YEARS = 5
const HOUR_MS = 3_600_000

/** The erasure cut-off at `now` for a retention period in years (a year of 365.25 days). */
export function retentionCutoff (now: number, documentYears: number): Date {
  return new Date(now - Math.round(documentYears * 365.25 * 86_400_000))
}

export interface RetentionWorker {
  readonly stats: WorkerStats
  /** Documents erased by this worker since start. */
  readonly erased: () => number
  runOnce: () => Promise<void>
  stop: () => Promise<void>
}

export function startRetention (o: { ledger: Ledger, documentYears: number, now: () => number, log: Logger, intervalMs?: number }): RetentionWorker {
  let erased = 0
  const worker = startWorker({
    name: 'retention',
    intervalMs: o.intervalMs ?? HOUR_MS,
    runAtStart: true,
    log: o.log,
    run: async () => {
      const r = await o.ledger.purgeDocuments(retentionCutoff(o.now(), o.documentYears))
      erased += r.erased
      // Counts only: never a number, a name or anything from a document.
      if (r.erased > 0) o.log.info({ code: 'DOCUMENTS_ERASED', erased: r.erased, held: r.held, documentYears: o.documentYears }, 'permit documents past their retention period erased')
    }
  })
  return { stats: worker.stats, erased: () => erased, runOnce: worker.trigger, stop: worker.stop }
}
