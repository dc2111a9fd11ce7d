/**
 * Replica intake: other authorities' events (gossip, delivery, sync) and
 * checkpoints. Each event is checked (signature against the trust list at
 * its time, or one checkpoint signature for a sync page; sequence; previous
 * hash); gaps are held back within a window and caps per author (pending.ts),
 * duplicates ignored before any signature check, forks kept as evidence with
 * an alert. Accepted events land in one batch per author, under the
 * author's log lock; derived state follows in the background (indexer.ts).
 */
import { isActor } from './actor.js'
import { EventType } from './pb/ledger.js'
import {
  decodeCheckpoint, decodeEvent, hex, leafOf, sha256, verifyEventSignature, type LoggedCheckpoint, type LoggedEvent
} from './events.js'
import { InvalidEventError } from './errors.js'
import { decodeEventOrRefuse, verifiedCheckpointOrRefuse } from './decode.js'
import { authorOfKey, checkpointEvidenceKey, checkpointKey, eventEvidenceKey, headKey, logKey, seqOfKey } from './keys.js'
import { frontierAppend, frontierRoot, rootOf, sameBytes, type Hash } from './merkle.js'
import { del, put, type WriteOp } from './store.js'
import { unhex } from './own-log.js'
import { planHold, type HeldEvents } from './pending.js'
import type { LedgerCore } from './context.js'
import type { Indexer } from './indexer.js'
import type { AcceptResult, LogHead } from './types.js'

export class Replica {
  readonly #core: LedgerCore
  readonly #indexer: Indexer
  readonly #leaves: (author: string, size: number) => Promise<Hash[]>

  constructor (core: LedgerCore, indexer: Indexer, leaves: (author: string, size: number) => Promise<Hash[]>) {
    this.#core = core
    this.#indexer = indexer
    this.#leaves = leaves
  }

  async acceptEvents (list: readonly Uint8Array[], opts: { checkpoint?: Uint8Array } = {}): Promise<AcceptResult[]> {
    const c = this.#core
    const decoded: LoggedEvent[] = []
    const echoes: AcceptResult[] = []
    for (const bytes of list) {
      const le = decodeEventOrRefuse(bytes)
      const e = le.event
      if (e.author === c.party) {
        // Our own log is written only by us: compare, never accept.
        const mine = await c.store.get('LOG', logKey(e.author, Number(e.seq)))
        if (mine !== undefined && sameBytes(mine, bytes)) {
          echoes.push({ status: 'duplicate', author: e.author, seq: Number(e.seq) })
          continue
        }
        throw new InvalidEventError('EVENT_WRONG_LOG', `an event claiming to be from this node's own log (${e.author} #${e.seq}) that it did not write`, Number(e.seq))
      }
      // Only a provisional use refers to another party's permit; and it always does.
      if ((e.permitParty !== e.author) !== (e.type === EventType.PROVISIONAL_CONSUMED)) throw new InvalidEventError('EVENT_WRONG_LOG', `${e.author} cannot write a ${String(e.type)} event of ${e.permitParty}'s permit`, Number(e.seq))
      if (e.seq < 1n || e.type === EventType.EVENT_TYPE_UNSPECIFIED) throw new InvalidEventError('EVENT_MALFORMED', 'sequence numbers start at 1 and the type must be set', Number(e.seq))
      // An actor is an account ID, never free text (a name) carried to every authority (ledger.md §2.3).
      if (e.actor !== undefined && !isActor(e.actor)) throw new InvalidEventError('EVENT_MALFORMED', 'the actor must be an account ID (1 to 64 of A-Z a-z 0-9 _ -)', Number(e.seq))
      decoded.push(le)
    }
    let cp: LoggedCheckpoint | undefined
    if (opts.checkpoint !== undefined) {
      cp = await verifiedCheckpointOrRefuse(opts.checkpoint, c.trust)
    }
    const byAuthor = new Map<string, LoggedEvent[]>()
    for (const le of decoded) {
      const arr = byAuthor.get(le.event.author) ?? []
      arr.push(le)
      byAuthor.set(le.event.author, arr)
    }
    const results: AcceptResult[] = [...echoes]
    for (const [author, all] of byAuthor) {
      results.push(...await c.locks.run('log', author, async () => {
        // A replay of an event held already, byte for byte, is answered
        // before any signature check: replays cost a read, not a verify.
        const { events, unchecked, replays } = await this.#replays(author, all)
        if (events.length === 0) return replays
        const covered = cp !== undefined && cp.checkpoint.author === author ? this.#coveredBy(author, events, cp) : undefined
        if (covered === undefined) {
          // Signatures are independent of each other: check them
          // concurrently (WebCrypto runs on the thread pool).
          const trusted = unchecked.length > 0 ? c.trust.certificatesFor(author) : undefined
          const sigs = await Promise.all(unchecked.map(async (le) => await verifyEventSignature(le, trusted)))
          for (const [i, verdict] of sigs.entries()) {
            if (verdict === 'OK') continue
            const seq = Number(unchecked[i]?.event.seq ?? 0)
            throw new InvalidEventError(verdict, `${author} #${seq}: ${verdict}`, seq)
          }
        }
        // Keep the author's checkpoint, in the page's batch: it lets this
        // node serve the same page, verified by one signature, to the next
        // node that catches up.
        const extra = covered !== undefined && cp !== undefined ? [put('CHECKPOINT', checkpointKey(author, Number(cp.checkpoint.size)), cp.bytes)] : []
        return [...replays, ...await this.#acceptForAuthor(author, events, covered, extra)]
      }))
    }
    return results
  }

  /**
   * Sort out the events this replica holds already with exactly these bytes:
   * one in the log is a duplicate (answered here); one held back after a gap
   * had its signature checked when it was held, so it goes on unchecked.
   * Neither costs a signature check. One point read per event at or below
   * the head or at a held position; none for an event that is new. Caller
   * holds the author's log lock.
   */
  async #replays (author: string, all: readonly LoggedEvent[]): Promise<{ events: LoggedEvent[], unchecked: LoggedEvent[], replays: AcceptResult[] }> {
    const c = this.#core
    const head = c.head(author)
    const events: LoggedEvent[] = []
    const unchecked: LoggedEvent[] = []
    const replays: AcceptResult[] = []
    for (const le of all) {
      const seq = Number(le.event.seq)
      const store = seq <= head.size ? 'LOG' : c.pending.has(author, seq) ? 'PENDING' : undefined
      const stored = store === undefined ? undefined : await c.store.get(store, logKey(author, seq))
      const same = stored !== undefined && sameBytes(stored, le.bytes)
      if (same && store === 'LOG') {
        replays.push({ status: 'duplicate', author, seq })
        continue
      }
      events.push(le)
      if (!same) unchecked.push(le)
    }
    return { events, unchecked, replays }
  }

  /**
   * A page is covered by a signed checkpoint when it is exactly the events
   * that follow our head up to the checkpoint's size and the Merkle root over
   * our held events plus the page equals the signed root. Each event is then
   * exactly what the author committed to, so the per-event signature checks
   * are skipped (the events keep their signatures, and verifyLog still checks
   * them). Caller holds the author's log lock.
   */
  #coveredBy (author: string, events: readonly LoggedEvent[], cp: LoggedCheckpoint): Hash[] | undefined {
    const head = this.#core.head(author)
    if (Number(cp.checkpoint.size) !== head.size + events.length) return undefined
    let frontier = head.frontier.map(unhex)
    let size = head.size
    let prev = unhex(head.hash)
    for (const le of events) {
      if (Number(le.event.seq) !== size + 1 || !sameBytes(le.event.prevHash, prev)) return undefined
      frontier = frontierAppend(frontier, size++, leafOf(le))
      prev = le.hash
    }
    // The frontier is handed on, so the accepted page is not hashed twice.
    return sameBytes(frontierRoot(frontier), cp.checkpoint.root) ? frontier : undefined
  }

  async #acceptForAuthor (author: string, events: LoggedEvent[], precomputed: Hash[] | undefined, extra: WriteOp[]): Promise<AcceptResult[]> {
    const c = this.#core
    const results: AcceptResult[] = []
    const ops: WriteOp[] = []
    const had = c.head(author)
    let head: LogHead = had
    // The frontier stays binary through the page; hex only for the stored head.
    let frontier = head.frontier.map(unhex)
    // A checkpoint-verified page is exactly the events after the head.
    const coveredUpTo = precomputed === undefined ? 0 : head.size + events.length
    const incoming = new Map<number, LoggedEvent>()
    for (const le of events) incoming.set(Number(le.event.seq), le)
    // What is held back of this author (sequence number → size), planned on
    // a copy and installed once the batch is on disk.
    const held = c.pending.copy(author)
    const written = new Map<number, LoggedEvent>()
    const handled = new Set<number>()
    // The chain is followed in binary; the head's hex form is made once, at the end.
    let headHash = unhex(head.hash)
    let last: LoggedEvent | undefined
    for (;;) {
      const seq = head.size + 1
      if (handled.has(seq)) break // a fork at seq: nothing more fits
      let le = incoming.get(seq)
      if (held.has(seq)) {
        // Indexed drain: read exactly the held event that now fits (unless
        // the batch brings it), never the author's whole pending store.
        if (le === undefined) {
          const b = await c.store.get('PENDING', logKey(author, seq))
          if (b !== undefined) le = decodeEvent(b)
        }
        held.delete(seq)
        ops.push(del('PENDING', logKey(author, seq)))
      }
      if (le === undefined) break
      handled.add(seq)
      if (!sameBytes(le.event.prevHash, headHash)) {
        // Signed by the author, but it does not follow what the author told
        // us before: a fork of its log.
        ops.push(...this.#forkOps(author, seq, le, undefined, 'its previous-hash does not match the event we hold before it'))
        results.push({ status: 'fork', author, seq })
        continue
      }
      // For a checkpoint-verified page the frontier is already known.
      if (seq <= coveredUpTo) {
        if (seq === coveredUpTo && precomputed !== undefined) frontier = precomputed
      } else {
        frontier = frontierAppend(frontier, head.size, leafOf(le))
      }
      head = { size: seq, hash: '', frontier: [] }
      headHash = le.hash
      last = le
      ops.push(put('LOG', logKey(author, seq), le.bytes))
      written.set(seq, le)
      results.push({ status: 'accepted', author, seq })
    }
    // The rest in ascending order, so that an event of this batch is never
    // evicted for a higher one of the same batch.
    const rest = events.filter((le) => !handled.has(Number(le.event.seq))).sort((a, b) => Number(a.event.seq - b.event.seq))
    for (const le of rest) {
      const seq = Number(le.event.seq)
      if (seq <= head.size) {
        const prior = written.get(seq) ?? await this.#logEvent(author, seq)
        if (prior !== undefined && sameBytes(prior.eventBytes, le.eventBytes)) {
          results.push({ status: 'duplicate', author, seq })
        } else {
          ops.push(...this.#forkOps(author, seq, le, prior, 'two different events with the same sequence number'))
          results.push({ status: 'fork', author, seq })
        }
        continue
      }
      // A second event for a position held already: the first stays (when
      // the gap closes, the chain shows which one fits; a misfit is a fork).
      if (held.has(seq)) {
        results.push({ status: 'held', author, seq })
        continue
      }
      // Within the window and the caps, the lowest sequence numbers win:
      // they close the gap soonest (ledger.md §4.2).
      const plan = planHold(held, head.size, seq, le.bytes.length)
      if (!plan.hold) {
        results.push({ status: 'ahead', author, seq })
        continue
      }
      for (const s of plan.evict) {
        held.delete(s)
        ops.push(del('PENDING', logKey(author, s)))
      }
      held.set(seq, le.bytes.length)
      ops.push(put('PENDING', logKey(author, seq), le.bytes))
      results.push({ status: 'held', author, seq })
    }
    if (last !== undefined) head.hash = hex(last.hash)
    if (head.size !== had.size) {
      head.frontier = frontier.map(hex)
      ops.push(put('HEAD', headKey(author), head))
    } else {
      head = had
    }
    await c.store.write([...ops, ...extra])
    c.pending.set(author, held)
    c.heads.set(author, head)
    // The log is the truth and is now on disk; derived state follows in the
    // background, and every read waits for it (Indexer.state).
    if (head.size > c.indexedSize(author)) this.#indexer.schedule(author)
    return results
  }

  /**
   * Load the index of the pending store at open, and trim it to the bounds
   * (a store written before them, or with other constants, may hold more):
   * events at or below the head and those past the window or the caps are
   * deleted, the lowest sequence numbers kept. Reads the store once.
   */
  async loadPending (): Promise<void> {
    const c = this.#core
    const found = new Map<string, Array<[number, number]>>()
    for await (const [k, v] of c.store.entries('PENDING')) {
      const author = authorOfKey(k)
      const list = found.get(author) ?? []
      list.push([seqOfKey(author, k), v.length])
      found.set(author, list)
    }
    const ops: WriteOp[] = []
    const kept = new Map<string, HeldEvents>()
    for (const [author, list] of found) {
      const headSize = c.head(author).size
      const held: HeldEvents = new Map()
      for (const [seq, size] of list.sort((a, b) => a[0] - b[0])) {
        if (seq > headSize && planHold(held, headSize, seq, size).hold) held.set(seq, size)
        else ops.push(del('PENDING', logKey(author, seq)))
      }
      kept.set(author, held)
    }
    await c.store.write(ops)
    for (const [author, held] of kept) c.pending.set(author, held)
  }

  #forkOps (author: string, seq: number, le: LoggedEvent, held: LoggedEvent | undefined, why: string): WriteOp[] {
    const keys = [eventEvidenceKey(author, seq, hex(le.hash))]
    const ops: WriteOp[] = [put('EVIDENCE', eventEvidenceKey(author, seq, hex(le.hash)), le.bytes)]
    if (held !== undefined) {
      const k = eventEvidenceKey(author, seq, hex(held.hash))
      keys.push(k)
      ops.push(put('EVIDENCE', k, held.bytes))
    }
    ops.push(this.#core.alert({ kind: 'EQUIVOCATION', author, seq, message: `${author} equivocated at #${seq}: ${why}`, evidence: keys }))
    return ops
  }

  async #logEvent (author: string, seq: number): Promise<LoggedEvent | undefined> {
    const b = await this.#core.store.get('LOG', logKey(author, seq))
    return b === undefined ? undefined : decodeEvent(b)
  }

  /**
   * Accept another authority's signed checkpoint. Two different roots for
   * the same size from one author is an equivocation alert; a root that does
   * not match the events we hold is a checkpoint mismatch alert.
   */
  async acceptCheckpoint (bytes: Uint8Array): Promise<'stored' | 'equivocation' | 'mismatch'> {
    const c = this.#core
    const cp = await verifiedCheckpointOrRefuse(bytes, c.trust)
    const { author } = cp.checkpoint
    const size = Number(cp.checkpoint.size)
    return await c.locks.run('log', author, async () => {
      const key = checkpointKey(author, size)
      const existing = await c.store.get('CHECKPOINT', key)
      if (existing !== undefined) {
        const old = decodeCheckpoint(existing)
        if (!sameBytes(old.checkpoint.root, cp.checkpoint.root)) {
          const oldKey = checkpointEvidenceKey(author, size, hex(sha256(old.bytes)))
          const newKey = checkpointEvidenceKey(author, size, hex(sha256(cp.bytes)))
          await c.store.write([
            put('EVIDENCE', oldKey, old.bytes),
            put('EVIDENCE', newKey, cp.bytes),
            c.alert({ kind: 'EQUIVOCATION', author, size, message: `${author} signed two different checkpoints of size ${size}`, evidence: [oldKey, newKey] })
          ])
          return 'equivocation'
        }
        return 'stored'
      }
      const head = c.head(author)
      if (size <= head.size && author !== c.party) {
        const root = size === head.size ? frontierRoot(head.frontier.map(unhex)) : rootOf(await this.#leaves(author, size))
        if (!sameBytes(root, cp.checkpoint.root)) {
          await c.store.write([c.alert({ kind: 'CHECKPOINT_MISMATCH', author, size, message: `${author}'s checkpoint at ${size} does not match the events it sent us` })])
          return 'mismatch'
        }
      }
      await c.store.write([put('CHECKPOINT', key, cp.bytes)])
      return 'stored'
    })
  }
}
