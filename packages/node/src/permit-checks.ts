/**
 * Background XML-DSig checks of replicated permits (ledger.md §4.1).
 *
 * Catch-up accepts other authorities' events on their signatures or a signed
 * checkpoint, never on permit documents, so that a new node catches up at
 * close to disk speed. This worker then gives every replicated ISSUED
 * event's document that this node holds (r17: it is the destination; a
 * node that is not a party holds a summary only) its full XML-DSig check
 * in the background, at a bounded
 * rate so customs requests keep the CPU. It warms the verdict cache (the
 * first customs verify of a permit then finds its document's XML-DSig
 * verdict there, as a repeated one does) and
 * records a PERMIT_SIGNATURE_INVALID alert for a document that fails: an
 * issuer that signed a bad document into its log is on record early. A
 * verdict never relies on this: it always checks the document itself.
 */
import { decodeEvent, EventType, IssuedBody, type Event, type Ledger } from '@cites/ledger'
import { logFor } from '@cites/protocol'
import { documentFailures, judgeDocument } from '@cites/verdict'
import type { TrustStore } from '@cites/trust-list'
import { startWorker, type Logger, type WorkerStats } from '@cites/runtime'
import { performance } from 'node:perf_hooks'

export interface PermitCheckStats {
  /** ISSUED documents checked since start. */
  checked: number
  /** Of those, documents that failed (each an alert). */
  invalid: number
  /** Events of other authorities' logs not yet looked at. */
  behind: number
}

export interface PermitChecker {
  readonly stats: PermitCheckStats
  /** Runs of the background worker and their failures. */
  readonly workerStats: WorkerStats
  /** Check everything held now (tests, and a node about to serve a burst). */
  drain: () => Promise<void>
  /** Stop the worker and wait for a step in progress. */
  stop: () => Promise<void>
}

export interface PermitCheckerOptions {
  ledger: Ledger
  trust: TrustStore
  /** This node's party: its own log is checked when written. */
  party: string
  /** @default Date.now */
  now?: () => number
  /** Documents per second at most, while the node is not busy; 0 turns the worker off. @default 50 */
  perSecond?: number
  log?: Logger
}

/** Events read from a log per step. */
const PAGE = 100
/**
 * How long the check waits at a permit made out to this node whose document
 * has not arrived yet (its delivery follows the event): past it, the
 * permit is passed over (the document, if it comes later, was judged at
 * delivery before it was kept).
 */
const DELIVERY_GRACE_MS = 60_000

export function startPermitChecker (o: PermitCheckerOptions): PermitChecker {
  const perSecond = o.perSecond ?? 50
  const log = logFor(o.log, 'permit-checks')
  const stats: PermitCheckStats = { checked: 0, invalid: 0, behind: 0 }
  let stopped = false

  const now = o.now ?? Date.now
  const awaitingDelivery = (e: Event): boolean => IssuedBody.decode(e.body).destination === o.party && now() - Number(e.time) < DELIVERY_GRACE_MS
  const others = (): Array<[string, number]> => [...o.ledger.heads()].filter(([a]) => a !== o.party).map(([a, h]) => [a, h.size])

  // The durable cursors, read once per log and then kept here (this worker is their only writer).
  const cursors = new Map<string, number>()
  const cursorOf = async (author: string): Promise<number> => {
    let c = cursors.get(author)
    if (c === undefined) { c = await o.ledger.permitCheckCursor(author); cursors.set(author, c) }
    return c
  }

  /** Up to `budget` ISSUED documents, a page of each log at most; each page's cursor moves with its alerts. Returns the documents checked. */
  async function step (budget: number): Promise<number> {
    let done = 0
    for (const [author, size] of others()) {
      const from = await cursorOf(author) + 1
      if (from > size || done >= budget || stopped) continue
      const page = await o.ledger.eventsFrom(author, from, PAGE)
      const invalid: Array<{ seq: number, number: string, codes: string[] }> = []
      let last = from - 1
      for (const bytes of page) {
        if (stopped || done >= budget) break
        const { event } = decodeEvent(bytes)
        // r17: only where the document is held (this node is the destination); elsewhere there is only a summary.
        const document = event.type === EventType.ISSUED ? await o.ledger.document(author, event.permitNumber) : undefined
        if (event.type === EventType.ISSUED && document === undefined && awaitingDelivery(event)) break
        if (document !== undefined) {
          // Who signed it is what an issuer answers for; the rules are judged again at every use.
          const v = await judgeDocument(document, { trust: o.trust })
          const failing = documentFailures(v.checks, { only: ['integrity', 'issuer'] }).map((c) => c.reason.code)
          if (failing.length > 0) invalid.push({ seq: Number(event.seq), number: event.permitNumber, codes: failing })
          done++
          // Let requests in between documents.
          await new Promise((resolve) => setImmediate(resolve))
        }
        last = Number(event.seq)
      }
      if (last >= from) {
        await o.ledger.recordPermitChecks(author, last, invalid)
        cursors.set(author, last)
        stats.invalid += invalid.length
        for (const bad of invalid) log.warn({ code: 'PERMIT_SIGNATURE_INVALID', author, seq: bad.seq, number: bad.number, codes: bad.codes }, 'a replicated permit document fails its XML-DSig check (alert recorded)')
      }
    }
    stats.behind = others().reduce((sum, [a, size]) => sum + Math.max(0, size - (cursors.get(a) ?? 0)), 0)
    return done
  }

  // Background work yields to serving: a run is skipped while this node's
  // event loop was more than half busy since the last look. The rate may be
  // fractional (a pilot's nodes share one machine): credit accrues per tick
  // (5 a second) and a run checks as many documents as whole credits.
  let elu = performance.eventLoopUtilization()
  let credit = 0
  // While drain() waits, runs check everything held (credit untouched).
  let draining = 0
  let lastRun = 0
  const shouldRun = (): boolean => {
    if (perSecond <= 0) return false
    const now = performance.eventLoopUtilization()
    const busyShare = performance.eventLoopUtilization(now, elu).utilization
    elu = now
    credit = Math.min(credit + perSecond / 5, Math.max(1, perSecond))
    return busyShare <= 0.5 && credit >= 1
  }
  // One step at a time (the worker's): a tick and a drain must not check one page twice.
  const pass = async (): Promise<void> => {
    const full = draining > 0
    const n = await step(full ? Number.POSITIVE_INFINITY : Math.floor(credit))
    stats.checked += n
    lastRun = n
    if (!full) credit -= n
  }
  const worker = startWorker({
    name: 'permit-checks',
    // Off (0 a second): no ticks worth having; drain() still runs on demand.
    intervalMs: perSecond > 0 ? 200 : 3_600_000,
    log,
    shouldRun,
    run: pass
  })

  return {
    stats,
    workerStats: worker.stats,
    drain: async () => {
      draining++
      try {
        while (!stopped) {
          await worker.trigger()
          if (lastRun === 0 && stats.behind === 0) return
        }
      } finally {
        draining--
      }
    },
    stop: async () => {
      stopped = true
      await worker.stop()
    }
  }
}
