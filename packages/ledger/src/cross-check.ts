/**
 * Cross-checks between replicas (ledger.md §4.3): what another node holds of
 * an author's log, compared with what this node holds at the same position.
 * A malicious author can show each node a different, validly signed log (a
 * split view); no node sees both versions unless replicas compare notes.
 * A peer's event at a sequence number we hold, or its copy of the author's
 * checkpoint, is checked against the author's key first (a liar cannot
 * frame an honest author), then compared; two different signed records at
 * one position are kept as evidence with an EQUIVOCATION alert, once (a
 * later round that meets the same pair raises nothing new).
 *
 * Also the bounded read a sync answer needs: events are read one at a time
 * and the read stops at the byte cut.
 */
import { checkpointEvidenceKey, checkpointKey, authorEnd, authorRange, eventEvidenceKey, logKey, seqOfKey } from './keys.js'
import { decodeCheckpoint, decodeEvent, hex, sha256, verifyEventSignature, type LoggedCheckpoint, type LoggedEvent } from './events.js'
import { InvalidEventError } from './errors.js'
import { checkpointSignatureOrRefuse, decodeCheckpointOrRefuse, decodeEventOrRefuse } from './decode.js'
import { frontierRoot, rootOf, sameBytes, type Hash } from './merkle.js'
import { put } from './store.js'
import { unhex } from './own-log.js'
import type { LedgerCore } from './context.js'

/** What a comparison found. */
export type CrossCheckOutcome =
  /** The peer holds exactly what we hold there. */
  | 'same'
  /** A new equivocation: evidence stored, alert raised. */
  | 'equivocation'
  /** A checkpoint that does not match the events the author signed: evidence stored, alert raised. */
  | 'mismatch'
  /** This conflict was recorded before: nothing new. */
  | 'known'
  /** We hold nothing at that position to compare with (a checkpoint beyond our head is kept). */
  | 'beyond'

/** Where an author is proven to have signed two different things (evidence held here). */
export interface Equivocations {
  author: string
  /** Sequence numbers (events) or sizes (checkpoints) with conflicting signed records, ascending. */
  positions: number[]
}


/** Evidence positions listed per author at most (an author with more is no less under alert). */
const MAX_POSITIONS = 100

export class CrossCheck {
  readonly #core: LedgerCore
  readonly #leaves: (author: string, size: number) => Promise<Hash[]>

  constructor (core: LedgerCore, leaves: (author: string, size: number) => Promise<Hash[]>) {
    this.#core = core
    this.#leaves = leaves
  }

  /**
   * Compare a peer's copy of event #seq of another author's log with ours.
   * Throws {@link InvalidEventError} when it is not validly signed by its
   * author (evidence must be the author's own signature).
   */
  async compareEvent (bytes: Uint8Array): Promise<CrossCheckOutcome> {
    const c = this.#core
    const le = decodeEventOrRefuse(bytes)
    const { author } = le.event
    const seq = Number(le.event.seq)
    if (author === c.party) throw new InvalidEventError('EVENT_WRONG_LOG', `an event claiming to be from this node's own log (${author} #${seq}) offered as a peer's copy`, seq)
    if (seq < 1 || seq > c.head(author).size) return 'beyond'
    const newKey = eventEvidenceKey(author, seq, hex(le.hash))
    if (await c.store.get('EVIDENCE', newKey) !== undefined) return 'known'
    const heldBytes = await c.store.get('LOG', logKey(author, seq))
    if (heldBytes === undefined) return 'beyond'
    const held = decodeEvent(heldBytes)
    if (sameBytes(held.eventBytes, le.eventBytes)) return 'same'
    // Only now the signature: a peer's copy that differs must be the author's own.
    const sig = await verifyEventSignature(le, c.trust.certificatesFor(author))
    if (sig !== 'OK') throw new InvalidEventError(sig, `${author} #${seq} offered by a peer: ${sig}`, seq)
    return await c.locks.run('log', author, async () => {
      if (await c.store.get('EVIDENCE', newKey) !== undefined) return 'known'
      const heldKey = eventEvidenceKey(author, seq, hex(held.hash))
      await c.store.write([
        put('EVIDENCE', heldKey, held.bytes),
        put('EVIDENCE', newKey, le.bytes),
        c.alert({ kind: 'EQUIVOCATION', author, seq, message: `${author} equivocated at #${seq}: a peer holds a different event, signed by ${author}, at the same position (split view)`, evidence: [heldKey, newKey] })
      ])
      return 'equivocation' as const
    })
  }

  /**
   * Compare a peer's copy of an author's signed checkpoint with ours: two
   * roots for one size is an EQUIVOCATION; a root that does not match the
   * author's events we hold is a CHECKPOINT_MISMATCH (both with evidence,
   * raised once). A checkpoint beyond our head is kept, as acceptCheckpoint
   * would. Throws {@link InvalidEventError} when it is not validly signed.
   */
  async compareCheckpoint (bytes: Uint8Array): Promise<CrossCheckOutcome> {
    const c = this.#core
    const cp = decodeCheckpointOrRefuse(bytes)
    const { author } = cp.checkpoint
    const size = Number(cp.checkpoint.size)
    // The common case costs one read and no signature: we hold the very same checkpoint.
    const held = await c.store.get('CHECKPOINT', checkpointKey(author, size))
    if (held !== undefined && sameBytes(held, cp.bytes)) return 'same'
    const newKey = checkpointEvidenceKey(author, size, hex(sha256(cp.bytes)))
    if (await c.store.get('EVIDENCE', newKey) !== undefined) return 'known'
    await checkpointSignatureOrRefuse(cp, c.trust)
    return await c.locks.run('log', author, async () => {
      const key = checkpointKey(author, size)
      const existing = await c.store.get('CHECKPOINT', key)
      if (existing !== undefined) {
        const old = decodeCheckpoint(existing)
        if (sameBytes(old.checkpoint.root, cp.checkpoint.root)) return 'same'
        const oldKey = checkpointEvidenceKey(author, size, hex(sha256(old.bytes)))
        await c.store.write([
          put('EVIDENCE', oldKey, old.bytes),
          put('EVIDENCE', newKey, cp.bytes),
          c.alert({ kind: 'EQUIVOCATION', author, size, message: `${author} signed two different checkpoints of size ${size} (one held by a peer: split view)`, evidence: [oldKey, newKey] })
        ])
        return 'equivocation'
      }
      const head = c.head(author)
      if (size > head.size || author === c.party || size < 1) {
        if (author !== c.party && size >= 1) await c.store.write([put('CHECKPOINT', key, cp.bytes)])
        return 'beyond'
      }
      const root = size === head.size ? frontierRoot(head.frontier.map(unhex)) : rootOf(await this.#leaves(author, size))
      if (sameBytes(root, cp.checkpoint.root)) {
        await c.store.write([put('CHECKPOINT', key, cp.bytes)])
        return 'same'
      }
      // The author signed events whose root is one value and a checkpoint
      // of another: the checkpoint is the evidence (the events are in LOG).
      await c.store.write([
        put('EVIDENCE', newKey, cp.bytes),
        c.alert({ kind: 'CHECKPOINT_MISMATCH', author, size, message: `${author}'s checkpoint at ${size}, held by a peer, does not match the ${size} events ${author} signed that we hold (split view)`, evidence: [newKey] })
      ])
      return 'mismatch'
    })
  }

  /** Positions of an author's log where this node holds evidence of two signed versions (a range read; no alert scan). */
  async equivocations (author: string): Promise<Equivocations> {
    const positions = new Set<number>()
    for await (const k of this.#core.store.keys('EVIDENCE', { ...authorRange(author), limit: MAX_POSITIONS * 2 })) positions.add(seqOfKey(author, k.slice(0, k.lastIndexOf('!'))))
    return { author, positions: [...positions].sort((a, b) => a - b) }
  }

  /**
   * Consecutive events of a log from `fromSeq`, read one at a time, stopping
   * before the event that would take the total over `maxBytes`, or after
   * `limit` events; each event counts `perEvent` bytes of framing too.
   * `read` counts the events read from the store (the cut one included).
   */
  async eventsWithin (author: string, fromSeq: number, limit: number, maxBytes: number, perEvent = 0): Promise<{ events: Uint8Array[], bytes: number, read: number }> {
    const events: Uint8Array[] = []
    let bytes = 0
    let read = 0
    for await (const v of this.#core.store.values('LOG', { gte: logKey(author, Math.max(1, fromSeq)), lt: authorEnd(author), limit })) {
      read++
      if (bytes + v.length + perEvent > maxBytes) break
      bytes += v.length + perEvent
      events.push(v)
    }
    return { events, bytes, read }
  }
}
