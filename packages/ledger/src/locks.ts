/**
 * The ledger's three keyed locks and their order, in one place.
 *
 * | lock   | key            | guards                                                       |
 * |--------|----------------|--------------------------------------------------------------|
 * | permit | `party!number` | get -> check -> write of one permit's state (own commands, a use, a claim) |
 * | index  | author         | deriving one author's log into permit states (catch-up, rebuild) |
 * | log    | author         | one author's log head: appending own events, accepting replica events, checkpoints |
 *
 * Order: permit -> index -> log. A lock may be taken only while every lock
 * held ranks lower; the same kind is never nested (two permits, or two
 * authors' logs, in one section could deadlock against a section taking
 * them the other way round). In practice:
 * - permit -> log: an own command appends its event while holding the permit;
 * - permit -> index: a command reads a replica's state, which first catches up
 *   the author's index;
 * - permit × 2: a replacement holds its original and itself; both are taken
 *   at once by runAll, in sorted key order, never one inside the other;
 * - index and log are never nested with each other: catch-up reads the log
 *   without its lock (events below the head never change), and acceptance
 *   schedules catch-up in the background instead of running it.
 *
 * In tests and development (NODE_ENV=test or development, or VITEST; or
 * CITES_LOCK_CHECK=1, and =0 turns it off) every acquisition checks the
 * order against the locks held by the calling async context
 * (AsyncLocalStorage) and throws LockOrderError when it is broken. In
 * production the check costs nothing.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { KeyedMutex } from './mutex.js'

export type LockKind = 'permit' | 'index' | 'log'
const RANK: Readonly<Record<LockKind, number>> = { permit: 1, index: 2, log: 3 }

/** A lock taken out of order: a bug in the ledger, never a refusal. */
export class LockOrderError extends Error {
  readonly code = 'LOCK_ORDER'
  constructor (message: string) {
    super(message)
    this.name = 'LockOrderError'
  }
}

const env = process.env
const CHECKED = env.CITES_LOCK_CHECK !== undefined ? env.CITES_LOCK_CHECK === '1' : (env.NODE_ENV === 'test' || env.NODE_ENV === 'development' || env.VITEST !== undefined)

/** The locks the current async context holds (checked mode only). */
const held = new AsyncLocalStorage<ReadonlyArray<{ kind: LockKind, key: string }>>()

export class Locks {
  readonly #mutex: Record<LockKind, KeyedMutex> = { permit: new KeyedMutex(), index: new KeyedMutex(), log: new KeyedMutex() }
  readonly checked: boolean

  constructor (checked = CHECKED) {
    this.checked = checked
  }

  /** Run `fn` holding lock `kind` for `key`, after every earlier holder. */
  async run<T> (kind: LockKind, key: string, fn: () => Promise<T>): Promise<T> {
    if (!this.checked) return await this.#mutex[kind].run(key, fn)
    const now = held.getStore() ?? []
    for (const h of now) {
      if (RANK[h.kind] >= RANK[kind]) {
        throw new LockOrderError(`lock order: ${kind} ${key} taken while holding ${h.kind} ${h.key} (order: permit -> index -> log)`)
      }
    }
    const next = [...now, { kind, key }]
    return await this.#mutex[kind].run(key, async () => await held.run(next, fn))
  }

  /**
   * Run `fn` holding lock `kind` for every key (distinct), taken in sorted
   * key order: two sections asking for the same keys cannot deadlock.
   */
  async runAll<T> (kind: LockKind, keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort()
    const now = this.checked ? (held.getStore() ?? []) : []
    for (const h of now) {
      if (RANK[h.kind] >= RANK[kind]) throw new LockOrderError(`lock order: ${kind} ${sorted.join(',')} taken while holding ${h.kind} ${h.key} (order: permit -> index -> log)`)
    }
    const next = [...now, ...sorted.map((key) => ({ kind, key }))]
    const take = async (i: number): Promise<T> => {
      const key = sorted[i]
      if (key === undefined) return this.checked ? await held.run(next, fn) : await fn()
      return await this.#mutex[kind].run(key, async () => await take(i + 1))
    }
    return await take(0)
  }

  /**
   * Run `fn` outside every lock held by the caller: for work that only
   * starts here and runs on after the locks are released (background
   * indexing, listeners), so it is not taken to hold them.
   */
  static detached<T> (fn: () => T): T {
    return held.exit(fn)
  }

  /** Keys with work queued or running, per kind (for tests and metrics). */
  size (kind: LockKind): number {
    return this.#mutex[kind].size
  }
}
