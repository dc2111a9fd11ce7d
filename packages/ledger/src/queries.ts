/**
 * Reads: permit states and their history, claims, lists and counts over
 * the secondary indexes, raw events and checkpoints for sync, alerts and
 * evidence. Every read of derived state waits for the indexer first.
 */
import { IssuedBody } from './pb/ledger.js'
import { decodeCheckpoint, decodeEvent, type LoggedCheckpoint, type LoggedEvent } from './events.js'
import {
  authorEnd, authorRange, checkpointKey, claimRange, dateIndexFrom, dateIndexTo, logKey, partyPrefix, permitKey, prefixEnd, seqOfKey, speciesIndexPrefix, statusIndexPrefix,
  IndexPrefix
} from './keys.js'
import type { Hash } from './merkle.js'
import { resolveClaim, viewEvent } from './apply.js'
import { derivedStatus, type PermitState, type PermitStatus } from './state.js'
import type { LedgerCore } from './context.js'
import type { Indexer } from './indexer.js'
import type { Alert, ClaimRecord, ClaimView, EventView, ListFilter, ListResult, Page, PermitView } from './types.js'

export class Queries {
  readonly #core: LedgerCore
  readonly #indexer: Indexer

  constructor (core: LedgerCore, indexer: Indexer) {
    this.#core = core
    this.#indexer = indexer
  }

  async status (party: string, number: string): Promise<{ state: PermitState, status: PermitStatus } | undefined> {
    const s = await this.#indexer.state(party, number)
    return s === undefined ? undefined : { state: s, status: derivedStatus(s, this.#core.now()) }
  }

  async getPermit (party: string, number: string): Promise<PermitView | undefined> {
    const s = await this.#indexer.state(party, number)
    if (s === undefined) return undefined
    const history: EventView[] = []
    for (const seq of s.events) {
      const le = await this.logEvent(party, seq)
      if (le === undefined) continue
      history.push(viewEvent(le))
    }
    return { state: s, status: derivedStatus(s, this.#core.now()), history, claims: await this.claims(party, number) }
  }

  async claims (party: string, number: string): Promise<ClaimView[]> {
    // Claims come from any destination's log: never read them stale.
    await this.#indexer.waitForAll()
    if (!this.#core.claimed.has(permitKey(party, number))) return []
    const records: ClaimRecord[] = []
    for await (const r of this.#core.store.values('CLAIM', claimRange(party, number))) records.push(r)
    if (records.length === 0) return []
    const state = await this.#indexer.state(party, number)
    return records.map((r) => resolveClaim(r, state))
  }

  async openClaims (): Promise<ClaimView[]> {
    await this.#indexer.waitForAll()
    const out: ClaimView[] = []
    for await (const r of this.#core.store.values('CLAIM')) {
      if (r.claimant !== this.#core.party) continue
      const cl = resolveClaim(r, await this.#indexer.state(r.party, r.number))
      if (cl.resolution === 'provisional') out.push(cl)
    }
    return out
  }

  async list (filter: ListFilter = {}, page: Page = {}): Promise<ListResult> {
    await this.#indexer.waitFor()
    const limit = Math.min(Math.max(page.limit ?? 50, 1), 1000)
    const items: ListResult['items'] = []
    let lastKey: string | undefined
    for await (const [key, state, status] of this.#scan(filter, page.after)) {
      // One more match than the page holds means there is a next page,
      // which resumes after the last key returned.
      if (items.length === limit && lastKey !== undefined) return { items, next: lastKey }
      items.push({ state, status })
      lastKey = key
    }
    return { items }
  }

  async count (filter: ListFilter = {}): Promise<number> {
    await this.#indexer.waitFor()
    let n = 0
    for await (const _ of this.#scan(filter)) n++
    return n
  }

  /** Choose the most selective index for a filter: [prefix, sublevel is INDEX]. */
  #plan (f: ListFilter): [string, boolean] {
    // EXPIRED is derived: scan the recorded statuses that can expire.
    if (f.status !== undefined && f.status !== 'EXPIRED') return [statusIndexPrefix(f.status), true]
    if (f.species !== undefined) return [speciesIndexPrefix(f.species), true]
    if (f.party !== undefined) return [partyPrefix(f.party), false]
    return [IndexPrefix.DATE, true]
  }

  async * #scan (f: ListFilter, after?: string): AsyncGenerator<[string, PermitState, PermitStatus]> {
    const store = this.#core.store
    const now = this.#core.now()
    const [prefix, viaIndex] = this.#plan(f)
    let lo = prefix
    let hi = prefixEnd(prefix)
    if (prefix === IndexPrefix.DATE) {
      if (f.from !== undefined) lo = dateIndexFrom(f.from)
      if (f.to !== undefined) hi = dateIndexTo(f.to)
    }
    const range = after !== undefined && after >= lo ? { gt: after, lt: hi } : { gte: lo, lt: hi }
    const species = f.species?.toLowerCase()
    const matches = (s: PermitState, status: PermitStatus): boolean =>
      (f.party === undefined || s.party === f.party) &&
      (f.status === undefined || status === f.status) &&
      (species === undefined || s.lines.some((l) => l.scientificName.toLowerCase() === species)) &&
      (f.from === undefined || s.issueTime >= f.from) &&
      (f.to === undefined || s.issueTime <= f.to)
    if (viaIndex) {
      for await (const [key, pk] of store.entries('INDEX', range)) {
        const s = await store.get('PERMIT', pk)
        if (s === undefined) continue
        const status = derivedStatus(s, now)
        if (matches(s, status)) yield [key, s, status]
      }
    } else {
      for await (const [key, s] of store.entries('PERMIT', range)) {
        const status = derivedStatus(s, now)
        if (matches(s, status)) yield [key, s, status]
      }
    }
  }

  async * permits (): AsyncGenerator<PermitState> {
    await this.#indexer.waitFor()
    for await (const s of this.#core.store.values('PERMIT')) yield s
  }

  // ---- logs and checkpoints -------------------------------------------------

  async logEvent (author: string, seq: number): Promise<LoggedEvent | undefined> {
    const b = await this.#core.store.get('LOG', logKey(author, seq))
    return b === undefined ? undefined : decodeEvent(b)
  }

  async eventsFrom (author: string, fromSeq: number, limit = 1000): Promise<Uint8Array[]> {
    const out: Uint8Array[] = []
    for await (const v of this.#core.store.values('LOG', { gte: logKey(author, Math.max(1, fromSeq)), lt: authorEnd(author), limit })) out.push(v)
    return out
  }

  async permitEvents (party: string, number: string): Promise<Uint8Array[] | undefined> {
    const s = await this.#indexer.state(party, number)
    if (s === undefined) return undefined
    // One read for all of them: this is the customs hot path.
    const got = await this.#core.store.getMany('LOG', s.events.map((seq) => logKey(party, seq)))
    return got.filter((b): b is Uint8Array => b !== undefined)
  }

  /** The leaf hashes of the first `size` events of a log. */
  async leaves (author: string, size: number): Promise<Hash[]> {
    const out: Hash[] = []
    for await (const v of this.#core.store.values('LOG', { ...authorRange(author), limit: size })) out.push(decodeEvent(v).hash)
    return out
  }

  async storedCheckpoint (author: string, size: number): Promise<Uint8Array | undefined> {
    return await this.#core.store.get('CHECKPOINT', checkpointKey(author, size))
  }

  async checkpointSizes (author: string, from: number, to: number): Promise<number[]> {
    const out: number[] = []
    for await (const k of this.#core.store.keys('CHECKPOINT', { gte: checkpointKey(author, from), lte: checkpointKey(author, to) })) out.push(seqOfKey(author, k))
    return out
  }

  async latestCheckpoint (author: string): Promise<Uint8Array | undefined> {
    for await (const v of this.#core.store.values('CHECKPOINT', { ...authorRange(author), reverse: true, limit: 1 })) return v
    return undefined
  }

  async checkpoints (author: string): Promise<LoggedCheckpoint[]> {
    const out: LoggedCheckpoint[] = []
    for await (const v of this.#core.store.values('CHECKPOINT', authorRange(author))) out.push(decodeCheckpoint(v))
    return out
  }

  // ---- alerts ------------------------------------------------------------------

  async alerts (): Promise<Alert[]> {
    // Refused transitions are found while indexing: include them.
    await this.#indexer.waitFor()
    const out: Alert[] = []
    for await (const a of this.#core.store.values('ALERT')) out.push(a)
    return out
  }

  async evidence (key: string): Promise<Uint8Array | undefined> {
    return await this.#core.store.get('EVIDENCE', key)
  }
}
