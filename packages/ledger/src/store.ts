/**
 * LedgerStore: the LevelDB of a ledger behind typed reads and ONE write
 * path. Every write of every module (own events, replica events, indexing,
 * alerts, the work queues, rebuilds) goes through {@link LedgerStore.write}
 * or {@link LedgerStore.clear}, which keep the permit-state cache coherent:
 * no other module holds the database handle.
 */
import { Level } from 'level'
import { openSublevels, metaNumber, metaString, type Range, type StoreValues, type Sublevels } from './codec.js'
import { MetaKey, SCHEMA_VERSION, Sublevel, UPGRADABLE_SCHEMAS, type SublevelName } from './keys.js'
import { LedgerOpenError } from './errors.js'
import type { PermitState } from './state.js'

/** One write of a batch, typed by its store. */
export type WriteOp =
  | { readonly type: 'put', readonly store: SublevelName, readonly key: string, readonly value: StoreValues[SublevelName] }
  | { readonly type: 'del', readonly store: SublevelName, readonly key: string }

export function put<N extends SublevelName> (store: N, key: string, value: StoreValues[N]): WriteOp {
  return { type: 'put', store, key, value }
}

export function del (store: SublevelName, key: string): WriteOp {
  return { type: 'del', store, key }
}

/** Permit states kept in memory (a few hundred bytes each). */
export const STATE_CACHE = 10_000

/** Cached states are shared by every reader: frozen, so that no reader can change another's. */
function deepFreeze<T> (o: T): T {
  if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o)
    for (const v of Object.values(o)) deepFreeze(v)
  }
  return o
}

export class LedgerStore {
  readonly #db: Level<string, unknown>
  readonly #sub: Sublevels
  readonly #raw: Record<SublevelName, unknown>
  /** Hot permit states: customs ask about the same permits again and again. */
  readonly #cache = new Map<string, PermitState>()
  readonly #cacheSize: number
  #gen = 0
  /**
   * Reads made, per store: keys read by get/getMany, and range reads
   * (iterators) opened. For tests and metrics: draining the pending store,
   * for instance, must read only the keys it needs (ledger.md §4.2).
   */
  readonly reads: Record<SublevelName, { keys: number, ranges: number }> = Object.fromEntries(
    Object.keys(Sublevel).map((n) => [n, { keys: 0, ranges: 0 }])) as Record<SublevelName, { keys: number, ranges: number }>

  private constructor (db: Level<string, unknown>, cacheSize: number) {
    this.#db = db
    const { typed, raw } = openSublevels(db)
    this.#sub = typed
    this.#raw = raw
    this.#cacheSize = cacheSize
  }

  /**
   * Open (or create) the database at `location` and return it with its
   * party: recorded at creation; refused if it differs from `party`.
   */
  static async open (location: string, party: string | undefined, cacheSize = STATE_CACHE): Promise<{ store: LedgerStore, party: string, upgradeFrom?: number }> {
    const db = new Level<string, unknown>(location, { keyEncoding: 'utf8', valueEncoding: 'json' })
    await db.open()
    const store = new LedgerStore(db, cacheSize)
    try {
      const schema = metaNumber(await store.get('META', MetaKey.SCHEMA))
      const stored = metaString(await store.get('META', MetaKey.PARTY))
      const upgrade = schema !== undefined && UPGRADABLE_SCHEMAS.includes(schema)
      if (schema !== undefined && schema !== SCHEMA_VERSION && !upgrade) throw new LedgerOpenError(`ledger schema ${schema} is not ${SCHEMA_VERSION}`)
      if (stored !== undefined && party !== undefined && stored !== party) throw new LedgerOpenError(`this ledger belongs to ${stored}, not ${party}`)
      const p = stored ?? party
      if (p === undefined) throw new LedgerOpenError(`${location} holds no ledger yet; give the party to create one`)
      if (schema === undefined || stored === undefined) await store.write([put('META', MetaKey.SCHEMA, SCHEMA_VERSION), put('META', MetaKey.PARTY, p)])
      // The caller upgrades, then records the new version (Ledger.open).
      return upgrade ? { store, party: p, upgradeFrom: schema } : { store, party: p }
    } catch (err) {
      await db.close()
      throw err
    }
  }

  async close (): Promise<void> {
    await this.#db.close()
  }

  // ---- typed reads --------------------------------------------------------

  async get<N extends SublevelName> (store: N, key: string): Promise<StoreValues[N] | undefined> {
    this.reads[store].keys++
    return await this.#sub[store].get(key)
  }

  async getMany<N extends SublevelName> (store: N, keys: string[]): Promise<Array<StoreValues[N] | undefined>> {
    this.reads[store].keys += keys.length
    return await this.#sub[store].getMany(keys)
  }

  entries<N extends SublevelName> (store: N, range: Range = {}): AsyncIterable<[string, StoreValues[N]]> {
    this.reads[store].ranges++
    return this.#sub[store].iterator(range)
  }

  keys (store: SublevelName, range: Range = {}): AsyncIterable<string> {
    this.reads[store].ranges++
    return this.#sub[store].keys(range)
  }

  values<N extends SublevelName> (store: N, range: Range = {}): AsyncIterable<StoreValues[N]> {
    this.reads[store].ranges++
    return this.#sub[store].values(range)
  }

  /** A permit state (`party!number`), from the cache when it holds it. */
  async state (key: string): Promise<PermitState | undefined> {
    const hit = this.#cache.get(key)
    if (hit !== undefined) return hit
    const gen = this.#gen
    const s = await this.#sub.PERMIT.get(key)
    // Cached only if no write of states landed meanwhile.
    if (s !== undefined && gen === this.#gen && this.#cacheSize > 0) {
      if (this.#cache.size >= this.#cacheSize) {
        const oldest = this.#cache.keys().next()
        if (oldest.done !== true) this.#cache.delete(oldest.value)
      }
      this.#cache.set(key, deepFreeze(s))
    }
    return s
  }

  // ---- the one write path ---------------------------------------------------

  /**
   * Write a batch atomically; once it has landed (or failed), drop the
   * permit states it wrote from the cache and move the generation on, so
   * that a read which raced the batch does not cache what it read. (A reader
   * served the old state while the batch is in flight saw the write before
   * it completed: allowed.)
   */
  async write (ops: readonly WriteOp[], opts: { sync?: boolean } = {}): Promise<void> {
    if (ops.length === 0) return
    const batch = ops.map((o) => o.type === 'put'
      ? { type: 'put' as const, sublevel: this.#raw[o.store], key: o.key, value: o.value }
      : { type: 'del' as const, sublevel: this.#raw[o.store], key: o.key })
    try {
      await this.#db.batch(batch as never, opts)
    } finally {
      let states = false
      for (const o of ops) {
        if (o.store === 'PERMIT') {
          states = true
          this.#cache.delete(o.key)
        }
      }
      if (states) this.#gen++
    }
  }

  /**
   * Compact the files of whole stores, so that deleted values (an erased
   * document and its key) leave the LevelDB files, not only its index.
   * Sublevel keys are `!name!key` in the database (abstract-level).
   */
  async compact (stores: readonly SublevelName[]): Promise<void> {
    const db = this.#db as unknown as { compactRange?: (start: string, end: string) => Promise<void> }
    if (db.compactRange === undefined) return
    for (const s of stores) await db.compactRange(`!${Sublevel[s]}!`, `!${Sublevel[s]}!\xff`)
  }

  /** Empty whole stores (a rebuild of derived state), keeping the cache coherent. */
  async clear (stores: readonly SublevelName[]): Promise<void> {
    try {
      for (const s of stores) await this.#sub[s].clear()
    } finally {
      if (stores.includes('PERMIT')) {
        this.#gen++
        this.#cache.clear()
      }
    }
  }
}
