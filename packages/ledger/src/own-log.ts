/**
 * The node's own log: signing and appending its events (each with the
 * derived writes it causes, in one synced batch), its checkpoints, and the
 * listeners told of each event once it is durable.
 */
import { errorCode } from '@cites/runtime'
import { EventType } from './pb/ledger.js'
import { hex, signCheckpoint, signEvent, verifyEventSignature, type EventFields, type LoggedCheckpoint, type LoggedEvent } from './events.js'
import { SignerNotTrustedError } from './errors.js'
import { MetaKey, checkpointKey, deliveryKey, headKey, logKey } from './keys.js'
import { frontierAppend, frontierRoot } from './merkle.js'
import { Locks } from './locks.js'
import { applyEvent, stateOps } from './apply.js'
import { put, type WriteOp } from './store.js'
import type { LedgerCore } from './context.js'
import type { PermitState } from './state.js'
import type { DeliveryRecord, LogHead } from './types.js'

const ZERO = new Uint8Array(0)
export const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'))

export class OwnLog {
  readonly #core: LedgerCore
  readonly #interval: number
  readonly #listeners = new Set<(e: LoggedEvent) => void>()

  constructor (core: LedgerCore, checkpointInterval: number) {
    this.#core = core
    this.#interval = checkpointInterval
  }

  /** Call `fn` with each own event once it is on disk; returns the function that stops the calls. */
  onEvent (fn: (e: LoggedEvent) => void): () => void {
    this.#listeners.add(fn)
    return () => { this.#listeners.delete(fn) }
  }

  /**
   * Append an event of one of this party's permits: sign it, apply it to the
   * permit's state, and write log, head, state, indexes (and the delivery
   * owed for an ISSUED event) in one synced batch. Caller holds the permit's
   * lock. `actor`: the acting account, checked already (actor.ts).
   */
  async appendPermitEvent (type: EventType, number: string, body: Uint8Array, prev: PermitState | undefined, opts: { extra?: ((state: PermitState) => WriteOp[]) | undefined, actor?: string | undefined } = {}): Promise<{ event: LoggedEvent, state: PermitState }> {
    const [r] = await this.appendPermitEvents([{ type, number, body, prev, ...opts }])
    if (r === undefined) throw new Error('unreachable: the event was appended without its state')
    return r
  }

  /**
   * Append several events of this party's permits, in order, in ONE synced
   * batch: all are on disk or none (a replacement's REPLACED and ISSUED, issue
   * 20). Each names a different permit; caller holds their locks.
   */
  async appendPermitEvents (items: ReadonlyArray<{ type: EventType, number: string, body: Uint8Array, prev: PermitState | undefined, extra?: ((state: PermitState) => WriteOp[]) | undefined, actor?: string | undefined }>): Promise<Array<{ event: LoggedEvent, state: PermitState }>> {
    const c = this.#core
    const states: PermitState[] = []
    const events = await this.appendAll(items.map((it) => ({
      type: it.type,
      permitParty: c.party,
      number: it.number,
      body: it.body,
      actor: it.actor,
      derive: (event: LoggedEvent) => {
        const next = applyEvent(it.prev, event)
        states.push(next)
        const ops: WriteOp[] = [...stateOps(it.prev, next), ...(it.extra?.(next) ?? [])]
        if (it.type === EventType.ISSUED && next.destination !== '' && next.destination !== c.party) {
          // The push to the destination is owed from the moment the event is
          // durable: queued in the same batch, so a crash cannot lose it.
          const d: DeliveryRecord = { party: c.party, number: it.number, destination: next.destination, seq: Number(event.event.seq), eventHash: hex(event.hash), state: 'pending', attempts: 0, nextAttempt: 0 }
          ops.push(put('DELIVERY', deliveryKey(c.party, it.number), d))
        }
        return ops
      }
    })))
    return events.map((event, i) => {
      const state = states[i]
      if (state === undefined) throw new Error('unreachable: the event was appended without its state')
      return { event, state }
    })
  }

  /**
   * Sign and append one event to the own log; `derive` gives the derived-
   * state writes that land in the same synced batch (it may throw the
   * ledger's refusal, and then nothing is written).
   */
  async append (type: EventType, permitParty: string, number: string, body: Uint8Array, derive: (event: LoggedEvent) => WriteOp[], actor?: string): Promise<LoggedEvent> {
    const [event] = await this.appendAll([{ type, permitParty, number, body, derive, actor }])
    if (event === undefined) throw new Error('unreachable: nothing appended')
    return event
  }

  /** Sign and append events, chained in order, in one synced batch with their derived writes. */
  async appendAll (items: ReadonlyArray<{ type: EventType, permitParty: string, number: string, body: Uint8Array, derive: (event: LoggedEvent) => WriteOp[], actor?: string | undefined, carried?: { from: Uint8Array, time: number } | undefined }>): Promise<LoggedEvent[]> {
    const c = this.#core
    return await c.locks.run('log', c.party, async () => {
      let head = c.head(c.party)
      const ops: WriteOp[] = []
      const events: LoggedEvent[] = []
      for (const it of items) {
        const seq = head.size + 1
        const fields: EventFields = {
          author: c.party,
          seq: BigInt(seq),
          prevHash: (head.hash === '' ? ZERO : unhex(head.hash)) as Uint8Array<ArrayBuffer>,
          type: it.type,
          permitParty: it.permitParty,
          permitNumber: it.number,
          body: it.body as Uint8Array<ArrayBuffer>,
          // An event carried over from a version 1 log keeps its act's time (ledger.md §7.1).
          time: BigInt(it.carried?.time ?? c.now()),
          // Absent, not empty, without one: the event's bytes are then those of before r13.
          ...(it.actor === undefined ? {} : { actor: it.actor }),
          ...(it.carried === undefined ? {} : { carriedFrom: it.carried.from as Uint8Array<ArrayBuffer>, carriedAt: BigInt(c.now()) })
        }
        const event = await signEvent(fields, c.requireSigner())
        // The same check a replica makes: our own key must be on the trust
        // list, granted now. A node whose certificate was withdrawn stops writing.
        const check = await verifyEventSignature(event, c.trust.certificatesFor(c.party))
        if (check !== 'OK') throw new SignerNotTrustedError(`this node's signing certificate does not verify on the trust list now (${check})`)
        const derived = it.derive(event)
        const frontier = frontierAppend(head.frontier.map(unhex), head.size, event.hash)
        head = { size: seq, hash: hex(event.hash), frontier: frontier.map(hex) }
        ops.push(put('LOG', logKey(c.party, seq), event.bytes), ...derived)
        if (seq % this.#interval === 0) {
          const cp = await this.#sign(head)
          ops.push(put('CHECKPOINT', checkpointKey(c.party, seq), cp.bytes))
        }
        events.push(event)
      }
      const newHead = head
      // Own events update the state in the same batch: always indexed.
      ops.push(put('HEAD', headKey(c.party), newHead), put('META', MetaKey.indexed(c.party), newHead.size))
      // Nobody is answered before the batch is on disk (sync), and log,
      // head and state land together or not at all.
      await c.store.write(ops, { sync: true })
      c.heads.set(c.party, newHead)
      c.indexed.set(c.party, newHead.size)
      // Tell the network layer (gossip), after the event is durable, outside
      // the locks held here (what a listener starts runs on after them).
      Locks.detached(() => {
        for (const event of events) {
          for (const fn of this.#listeners) {
            try {
              fn(event)
            } catch (err) {
              // A listener's failure never undoes a durable write.
              c.log.warn({ code: errorCode(err, 'LISTENER_FAILED'), seq: Number(event.event.seq) }, 'an own-event listener failed')
            }
          }
        }
      })
      return events
    })
  }

  /** Sign a checkpoint of this node's log now, and keep it. */
  async checkpoint (): Promise<LoggedCheckpoint> {
    const c = this.#core
    return await c.locks.run('log', c.party, async () => {
      const head = c.head(c.party)
      const cp = await this.#sign(head)
      await c.store.write([put('CHECKPOINT', checkpointKey(c.party, head.size), cp.bytes)])
      return cp
    })
  }

  async #sign (head: LogHead): Promise<LoggedCheckpoint> {
    const c = this.#core
    return await signCheckpoint({ author: c.party, size: BigInt(head.size), root: frontierRoot(head.frontier.map(unhex)) as Uint8Array<ArrayBuffer>, time: BigInt(c.now()) }, c.requireSigner())
  }
}
