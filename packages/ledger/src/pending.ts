/**
 * Events held back after a gap (the PENDING store), bounded (ledger.md §4.2).
 *
 * Only the author can sign its events, so a listed authority can fill only
 * its own pending store: every bound here is per author. An event more than
 * {@link PENDING_WINDOW} ahead of the log held is not kept at all; within the
 * window at most {@link MAX_PENDING_EVENTS} events and
 * {@link MAX_PENDING_BYTES} bytes are kept, the lowest sequence numbers first
 * (they close the gap soonest). The index of what is held (sequence number →
 * size) lives in memory, so that draining after the missing event arrives
 * reads exactly the keys that now fit, never the whole store.
 */

/** How far ahead of an author's head an event may be and still be held (seq ≤ head + window). */
export const PENDING_WINDOW = 64
/** Events held per author at most. */
export const MAX_PENDING_EVENTS = 32
/** Bytes (signed events) held per author at most: three of the largest events, or dozens of ordinary ones. */
export const MAX_PENDING_BYTES = 1024 * 1024

/** What is held back of one author's log. */
export interface PendingView {
  author: string
  events: number
  bytes: number
  /** Lowest and highest sequence number held (0 when none). */
  lowest: number
  highest: number
}

/** One author's held events: sequence number → size of the signed event. */
export type HeldEvents = Map<number, number>

export function heldBytes (held: HeldEvents): number {
  let n = 0
  for (const b of held.values()) n += b
  return n
}

/**
 * Whether an event of `size` bytes at `seq` may be held, given the author's
 * head and what is held already; and which held events (all above `seq`)
 * must go to make room. Pure: the caller applies the plan.
 */
export function planHold (held: HeldEvents, headSize: number, seq: number, size: number): { hold: boolean, evict: number[] } {
  if (seq > headSize + PENDING_WINDOW || size > MAX_PENDING_BYTES) return { hold: false, evict: [] }
  let count = held.size + 1
  let bytes = heldBytes(held) + size
  const evict: number[] = []
  const higher = [...held.keys()].filter((s) => s > seq).sort((a, b) => b - a)
  for (const s of higher) {
    if (count <= MAX_PENDING_EVENTS && bytes <= MAX_PENDING_BYTES) break
    evict.push(s)
    count--
    bytes -= held.get(s) ?? 0
  }
  if (count > MAX_PENDING_EVENTS || bytes > MAX_PENDING_BYTES) return { hold: false, evict: [] }
  return { hold: true, evict }
}

/** The in-memory index of the PENDING store, per author. */
export class PendingIndex {
  readonly #by = new Map<string, HeldEvents>()

  /** A copy of what is held of `author` (to plan a batch on; {@link set} it once the batch is written). */
  copy (author: string): HeldEvents {
    return new Map(this.#by.get(author))
  }

  set (author: string, held: HeldEvents): void {
    if (held.size === 0) this.#by.delete(author)
    else this.#by.set(author, held)
  }

  /** Whether anything of `author` is held (or, with `seq`, that event). */
  has (author: string, seq?: number): boolean {
    const held = this.#by.get(author)
    return held !== undefined && (seq === undefined || held.has(seq))
  }

  view (author: string): PendingView {
    const held = this.#by.get(author) ?? new Map<number, number>()
    const seqs = [...held.keys()]
    return { author, events: held.size, bytes: heldBytes(held), lowest: seqs.length > 0 ? Math.min(...seqs) : 0, highest: seqs.length > 0 ? Math.max(...seqs) : 0 }
  }

  authors (): string[] {
    return [...this.#by.keys()].sort()
  }
}
