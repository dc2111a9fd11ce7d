/**
 * Background XML-DSig checks of replicated permits (ledger.md §4.1).
 *
 * Catch-up accepts other authorities' events on their signatures or a signed
 * checkpoint, never on the permit documents inside, so that a new node
 * catches up at close to disk speed. This worker then gives every replicated
 * ISSUED document its full XML-DSig check in the background, at a bounded
 * rate so customs requests keep the CPU. It warms the verdict cache (the
 * first customs verify of a permit then finds its document's XML-DSig
 * verdict there, as a repeated one does) and
 * records a PERMIT_SIGNATURE_INVALID alert for a document that fails: an
 * issuer that signed a bad document into its log is on record early. A
 * verdict never relies on this: it always checks the document itself.
 */
import { decodeEvent, EventType, IssuedBody, type Ledger } from '@cites/ledger'
import { cachedPermitVerdict } from '@cites/protocol'
import type { TrustStore } from '@cites/trust-list'
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
  /** Check everything held now (tests, and a node about to serve a burst). */
  drain: () => Promise<void>
  stop: () => void
}

export interface PermitCheckerOptions {
  ledger: Ledger
  trust: TrustStore
  /** This node's party: its own log is checked when written. */
  party: string
  /** Documents per second at most, while the node is not busy; 0 turns the worker off. @default 50 */
  perSecond?: number
}

/** Events read from a log per step. */
const PAGE = 100

export function startPermitChecker (o: PermitCheckerOptions): PermitChecker {
  const perSecond = o.perSecond ?? 50
  const stats: PermitCheckStats = { checked: 0, invalid: 0, behind: 0 }
  let stopped = false
  let timer: NodeJS.Timeout | undefined

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
        if (event.type === EventType.ISSUED) {
          const v = await cachedPermitVerdict(IssuedBody.decode(event.body).signedXml, o.trust)
          const failing = v.checks.filter((c) => (c.name === 'integrity' || c.name === 'issuer') && c.status !== 'VALID').map((c) => c.reason.code)
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
      }
    }
    stats.behind = others().reduce((sum, [a, size]) => sum + Math.max(0, size - (cursors.get(a) ?? 0)), 0)
    return done
  }

  // Steps run one at a time (a tick and a drain must not check one page twice).
  let chain: Promise<unknown> = Promise.resolve()
  let busy = false
  const runStep = async (budget: number): Promise<number> => {
    const p = chain.then(async () => await step(budget))
    chain = p.catch(() => {})
    const n = await p
    stats.checked += n
    return n
  }
  // Background work yields to serving: a tick is skipped while this node's
  // event loop was more than half busy since the last tick. The rate may be
  // fractional (a pilot's nodes share one machine): credit accrues per tick.
  let elu = performance.eventLoopUtilization()
  let credit = 0
  const tick = (): void => {
    const now = performance.eventLoopUtilization()
    const busyShare = performance.eventLoopUtilization(now, elu).utilization
    elu = now
    if (stopped || busy) return
    credit = Math.min(credit + perSecond / 5, Math.max(1, perSecond))
    if (busyShare > 0.5 || credit < 1) return
    const budget = Math.floor(credit)
    busy = true
    runStep(budget)
      .then((n) => { credit -= n })
      .catch(() => { /* closing, or a read racing a restart: the cursor is unchanged, the next tick retries */ })
      .finally(() => { busy = false })
  }
  if (perSecond > 0) {
    timer = setInterval(tick, 200)
    timer.unref()
  }

  return {
    stats,
    drain: async () => {
      while (!stopped) {
        const n = await runStep(Number.POSITIVE_INFINITY)
        if (n === 0 && stats.behind === 0) return
      }
    },
    stop: () => {
      stopped = true
      clearInterval(timer)
    }
  }
}
