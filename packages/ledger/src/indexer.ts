/**
 * The indexer: derives permit states, secondary indexes, claims and the
 * alerts found on the way from the logs, in the background, after the
 * events are durable. Every read of derived state waits for it (see
 * {@link Indexer.state}), so nothing is ever read stale.
 */
import { errorCode, errorMessage } from '@cites/runtime'
import { canonicalPermitNumber } from '@cites/permit'
import { ClaimRefusedBody, EventType, UseRefusedBody } from './pb/ledger.js'
import { decodeEvent, type LoggedEvent } from './events.js'
import { LedgerError } from './errors.js'
import { MetaKey, claimKey, logKey, permitKey } from './keys.js'
import { Locks } from './locks.js'
import { applyEvent, claimRecordOf, stateOps } from './apply.js'
import { put, type WriteOp } from './store.js'
import type { LedgerCore } from './context.js'
import type { PermitState } from './state.js'

/** Events derived per batch. */
const PAGE = 2000
/** A burst of incoming events must pause this long before indexing starts (ms). */
const SETTLE_MS = 25

export class Indexer {
  readonly #core: LedgerCore
  readonly #running = new Map<string, Promise<void>>()
  readonly #timers = new Map<string, NodeJS.Timeout>()
  #error: Error | undefined

  constructor (core: LedgerCore) {
    this.#core = core
  }

  /** Resume indexing interrupted by a stop or crash (at open). */
  resume (): void {
    const c = this.#core
    for (const a of c.heads.keys()) if (c.head(a).size > c.indexedSize(a)) this.schedule(a)
  }

  /** Let background indexing finish its page: it resumes on the next open anyway. */
  async close (): Promise<void> {
    for (const t of this.#timers.values()) clearTimeout(t)
    this.#timers.clear()
    await Promise.allSettled([...this.#running.values()])
  }

  /** A permit's state, once it reflects every event held of its issuer's log. */
  async state (party: string, number: string): Promise<PermitState | undefined> {
    // A replica's state is derived after its events land: never read it stale.
    const c = this.#core
    if (c.head(party).size > c.indexedSize(party)) await this.waitFor(party)
    return await c.store.state(permitKey(party, number))
  }

  /**
   * Index in the background once a burst of incoming events pauses, so a
   * catch-up streams pages to disk first and derives state after; any read
   * forces the catch-up at once.
   */
  schedule (author: string): void {
    clearTimeout(this.#timers.get(author))
    // Started outside the caller's locks: it runs on after they are released.
    const t = Locks.detached(() => setTimeout(() => {
      this.#timers.delete(author)
      if (this.#running.has(author)) return
      const p = this.catchUp(author)
        .catch((err: unknown) => {
          // Kept for the next reader (waitFor throws it), and logged now.
          this.#error = err instanceof Error ? err : new Error(String(err))
          this.#core.log.error({ code: errorCode(err, 'INDEX_FAILED'), author }, `indexing ${author}'s log failed: ${errorMessage(err)}`)
        })
        .finally(() => {
          this.#running.delete(author)
          if (this.#core.head(author).size > this.#core.indexedSize(author)) this.schedule(author)
        })
      this.#running.set(author, p)
    }, SETTLE_MS))
    t.unref() // indexing resumes on the next open; it must not hold the process
    this.#timers.set(author, t)
  }

  /**
   * Apply the author's log to the permit states and indexes, from the last
   * indexed event to the head, in pages; each page and the new watermark land
   * in one batch, so a crash resumes where it stopped.
   */
  async catchUp (author: string): Promise<void> {
    const c = this.#core
    await c.locks.run('index', author, async () => {
      for (;;) {
        const from = c.indexedSize(author) + 1
        const to = c.head(author).size
        if (from > to) return
        const page: LoggedEvent[] = []
        for await (const v of c.store.values('LOG', { gte: logKey(author, from), lte: logKey(author, Math.min(to, from + PAGE - 1)) })) page.push(decodeEvent(v))
        // A provisional claim names another party's permit: it is indexed as a claim, not as a state change.
        const numbers = [...new Set(page.filter((le) => le.event.type !== EventType.PROVISIONAL_CONSUMED).map((le) => canonicalPermitNumber(le.event.permitNumber)).filter((n) => n !== undefined))]
        const got = await c.store.getMany('PERMIT', numbers.map((n) => permitKey(author, n)))
        const states = new Map<string, PermitState | undefined>(numbers.map((n, i) => [n, got[i]]))
        const before = new Map(states)
        const ops: WriteOp[] = []
        let last = from - 1
        for (const le of page) {
          const seq = Number(le.event.seq)
          if (seq !== last + 1) break // a hole in the log: verifyLog reports it; index what is contiguous
          last = seq
          this.#derive(author, le, states, ops)
        }
        for (const [n, next] of states) if (next !== undefined && next !== before.get(n)) ops.push(...stateOps(before.get(n), next))
        ops.push(put('META', MetaKey.indexed(author), last))
        await c.store.write(ops)
        c.indexed.set(author, last)
        if (last < from || last < Math.min(to, from + PAGE - 1)) return
      }
    })
  }

  /** One event's effect on the page's states, and the claims and alerts it raises. */
  #derive (author: string, le: LoggedEvent, states: Map<string, PermitState | undefined>, ops: WriteOp[]): void {
    const c = this.#core
    const seq = Number(le.event.seq)
    // Keyed by the canonical number (permit-profile.md §2.1): two spellings of
    // one number in a log are one permit, so a second ISSUED is refused below.
    const number = canonicalPermitNumber(le.event.permitNumber)
    if (number === undefined) {
      ops.push(c.alert({ kind: 'TRANSITION_REFUSED', code: 'PERMIT_NUMBER_INVALID', author, seq, message: `${author} #${seq}: the permit number "${le.event.permitNumber.slice(0, 70)}" has no canonical form; the event names no permit` }))
      return
    }
    if (le.event.type === EventType.PROVISIONAL_CONSUMED) {
      const r = claimRecordOf(le)
      c.claimed.add(permitKey(r.party, r.number))
      ops.push(put('CLAIM', claimKey(r.party, r.number, r.claimant, r.seq), r))
      return
    }
    if (le.event.type === EventType.USE_REFUSED && states.get(number)?.destination === c.party) {
      // A copy of a permit for us was presented elsewhere: the alert reaches the destination too.
      const b = UseRefusedBody.decode(le.event.body)
      ops.push(c.alert({ kind: 'DIVERTED_USE', code: b.code, author, seq, message: `${b.requester} tried to use ${author}/${number}, which is for this authority, at ${b.port}; ${author} refused it (${b.code})` }))
    }
    if (le.event.type === EventType.CLAIM_REFUSED) {
      const b = ClaimRefusedBody.decode(le.event.body)
      // The issuer refused our claim: the alert reaches the claimant too.
      if (b.claimant === c.party) ops.push(c.alert({ kind: 'CLAIM_REFUSED', code: b.code, author, seq, message: `${author} refused this node's provisional use of ${author}/${number} (#${b.claimSeq}): ${b.code}: ${b.message}` }))
    }
    try {
      states.set(number, applyEvent(states.get(number), le))
    } catch (err) {
      if (!(err instanceof LedgerError)) throw err
      // The author signed an illegal transition (e.g. consumed twice). It
      // stays in its log as evidence; the state keeps the first outcome.
      ops.push(c.alert({ kind: 'TRANSITION_REFUSED', code: err.code, author, seq, message: `${author}/${number}: ${err.code}: ${err.message}` }))
    }
  }

  /** Wait until every log held is indexed. */
  async waitForAll (): Promise<void> {
    const c = this.#core
    for (const a of c.heads.keys()) if (c.head(a).size > c.indexedSize(a)) await this.waitFor(a)
  }

  /** Wait until derived state reflects every event held (of one author, or all). */
  async waitFor (author?: string): Promise<void> {
    const c = this.#core
    const authors = author === undefined ? [...c.heads.keys()] : [author]
    for (const a of authors) {
      if (c.head(a).size > c.indexedSize(a)) await this.catchUp(a)
      await this.#running.get(a)
    }
    if (this.#error !== undefined) {
      const e = this.#error
      this.#error = undefined
      throw e
    }
  }

  /**
   * Recreate every derived index (permit states, secondary indexes, claims)
   * from the logs alone.
   */
  async rebuild (): Promise<{ permits: number, events: number }> {
    const c = this.#core
    await this.waitFor()
    await c.store.clear(['PERMIT', 'INDEX', 'CLAIM'])
    c.claimed.clear()
    let events = 0
    for (const author of [...c.heads.keys()].sort()) {
      await c.locks.run('index', author, async () => {
        await c.store.write([put('META', MetaKey.indexed(author), 0)])
        c.indexed.set(author, 0)
      })
      await this.catchUp(author)
      events += c.head(author).size
    }
    let permits = 0
    for await (const _ of c.store.keys('PERMIT')) permits++
    return { permits, events }
  }
}
