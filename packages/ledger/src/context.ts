/**
 * What every part of the ledger shares: its party, the store (the one write
 * path), the signer, the trust list, the clock, the logger, the locks, and
 * the in-memory views of the logs (heads, index watermarks, which permits
 * have claims, what is held back after a gap).
 */
import type { Logger } from '@cites/runtime'
import type { Signer } from '@cites/xml-signature'
import { LedgerReadOnlyError } from './errors.js'
import { alertKey } from './keys.js'
import type { Locks } from './locks.js'
import { PendingIndex } from './pending.js'
import { put, type LedgerStore, type WriteOp } from './store.js'
import type { Alert, LogHead, TrustSource } from './types.js'

export type NewAlert = Omit<Alert, 'id' | 'time'>

export class LedgerCore {
  readonly party: string
  readonly store: LedgerStore
  readonly signer: Signer | undefined
  readonly trust: TrustSource
  readonly now: () => number
  readonly log: Logger
  readonly locks: Locks
  /** Per author: size, last hash and frontier of the log held (loaded at open). */
  readonly heads = new Map<string, LogHead>()
  /** Per author: how many of its events the permit states reflect. */
  readonly indexed = new Map<string, number>()
  /**
   * Permits (`party!number`) with at least one claim held. Claims are rare;
   * knowing which permits have none spares the customs hot path a read.
   * Loaded at open, added to with every claim written.
   */
  readonly claimed = new Set<string>()
  /** What is held back after a gap, per author: sequence number → size (loaded at open; pending.ts). */
  readonly pending = new PendingIndex()
  #alertCounter = 0

  constructor (init: { party: string, store: LedgerStore, signer: Signer | undefined, trust: TrustSource, now: () => number, log: Logger, locks: Locks }) {
    this.party = init.party
    this.store = init.store
    this.signer = init.signer
    this.trust = init.trust
    this.now = init.now
    this.log = init.log
    this.locks = init.locks
  }

  head (author: string): LogHead {
    return this.heads.get(author) ?? { size: 0, hash: '', frontier: [] }
  }

  indexedSize (author: string): number {
    return this.indexed.get(author) ?? 0
  }

  /** The write of a new alert (to land in the batch of what raised it). Its code defaults to its kind. */
  alert (a: NewAlert): WriteOp {
    const t = this.now()
    const id = alertKey(t, this.#alertCounter++)
    const alert: Alert = { id, time: new Date(t).toISOString(), ...a }
    if (alert.code === undefined) alert.code = a.kind
    return put('ALERT', id, alert)
  }

  requireSigner (): Signer {
    if (this.signer === undefined) throw new LedgerReadOnlyError(`the ledger of ${this.party} was opened without its signing key`)
    return this.signer
  }
}
