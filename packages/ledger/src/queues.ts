/**
 * The node's work queues kept in the ledger, so that they survive a crash
 * with the events that caused them: the delivery outbox (own ISSUED events
 * owed to their destination), the background permit-check cursors, and
 * alerts raised outside the ledger's own checks.
 */
import { MetaKey, deliveryKey } from './keys.js'
import { metaNumber } from './codec.js'
import { put, type WriteOp } from './store.js'
import type { LedgerCore, NewAlert } from './context.js'
import type { DeliveryRecord, DeliveryState } from './types.js'

export class WorkQueues {
  readonly #core: LedgerCore

  constructor (core: LedgerCore) {
    this.#core = core
  }

  async deliveries (state?: DeliveryState): Promise<DeliveryRecord[]> {
    const out: DeliveryRecord[] = []
    for await (const d of this.#core.store.values('DELIVERY')) if (state === undefined || d.state === state) out.push(d)
    return out
  }

  async delivery (party: string, number: string): Promise<DeliveryRecord | undefined> {
    return await this.#core.store.get('DELIVERY', deliveryKey(party, number))
  }

  /** Synced: an acknowledgement is evidence. */
  async updateDelivery (d: DeliveryRecord): Promise<void> {
    await this.#core.store.write([put('DELIVERY', deliveryKey(d.party, d.number), d)], { sync: true })
  }

  async permitCheckCursor (author: string): Promise<number> {
    return metaNumber(await this.#core.store.get('META', MetaKey.checked(author))) ?? 0
  }

  async recordPermitChecks (author: string, seq: number, invalid: ReadonlyArray<{ seq: number, number: string, codes: string[] }> = []): Promise<void> {
    const c = this.#core
    const ops: WriteOp[] = [put('META', MetaKey.checked(author), seq)]
    for (const f of invalid) {
      ops.push(c.alert({ kind: 'PERMIT_SIGNATURE_INVALID', author, seq: f.seq, message: `${author}/${f.number} (#${f.seq}): the signed document recorded by ${author} fails its XML-DSig check (${f.codes.join(', ')})` }))
    }
    await c.store.write(ops)
  }

  async recordAlert (alert: NewAlert): Promise<void> {
    await this.#core.store.write([this.#core.alert(alert)])
  }
}
