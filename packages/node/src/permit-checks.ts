/**
 * Background XML-DSig checks of replicated permits (ledger.md §4.1).
 *
 * Catch-up accepts other authorities' events on their signatures or a signed
 * checkpoint, never on the permit documents inside, so that a new node
 * catches up at close to disk speed. This worker then gives every replicated
 * ISSUED document its full XML-DSig check in the background, at a bounded
 * rate so customs requests keep the CPU. It warms the verdict cache (the
 * first customs verify of a permit is then as fast as a repeated one) and
 * records a PERMIT_SIGNATURE_INVALID alert for a document that fails: an
 * issuer that signed a bad document into its log is on record early. A
 * verdict never relies on this: it always checks the document itself.
 */
import { decodeEvent, EventType, IssuedBody, type Ledger } from '@cites/ledger'
import { cachedPermitVerdict } from '@cites/protocol'
import type { TrustStore } from '@cites/trust-list'

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
  /** Documents per second at most; 0 turns the worker off. @default 50 */
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

  /** One page of one log: check its ISSUED documents, then move the cursor. Returns the documents checked. */
  async function step (budget: number): Promise<number> {
    let behind = 0
    let done = 0
    for (const [author, size] of others()) {
      const from = await o.ledger.permitCheckCursor(author) + 1
      behind += Math.max(0, size - from + 1)
      if (from > size || done >= budget) continue
      const page = await o.ledger.eventsFrom(author, from, PAGE)
      const invalid: Array<{ seq: number, number: string, codes: string[] }> = []
      let last = from - 1
      for (const bytes of page) {
        if (stopped || done >= budget) break
        const { event } = decodeEvent(bytes)
        last = Number(event.seq)
        if (event.type !== EventType.ISSUED) continue
        const v = await cachedPermitVerdict(IssuedBody.decode(event.body).signedXml, o.trust)
        const failing = v.checks.filter((c) => (c.name === 'integrity' || c.name === 'issuer') && c.status !== 'VALID').map((c) => c.reason.code)
        if (failing.length > 0) invalid.push({ seq: last, number: event.permitNumber, codes: failing })
        done++
        // Let requests in between documents.
        await new Promise((resolve) => setImmediate(resolve))
      }
      if (last >= from) {
        await o.ledger.recordPermitChecks(author, last, invalid)
        behind -= last - from + 1
      }
      stats.invalid += invalid.length
    }
    stats.behind = behind
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
  const tick = (): void => {
    if (stopped || busy) return
    busy = true
    // A fifth of a second's budget every 200 ms.
    runStep(Math.max(1, Math.round(perSecond / 5)))
      .catch(() => { /* closing, or a read racing a restart: the cursor is unchanged, the next tick retries */ })
      .finally(() => { busy = false })
  }
  if (perSecond > 0) timer = setInterval(tick, 200)

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
