/**
 * Clock offsets against peers (network.md §4.2), measured NTP-style on the
 * heads exchange each anti-entropy round already makes: the answer carries
 * the answerer's clock (`SyncResponse.time`). With `sent` and `received` our
 * clock around the exchange, the peer's clock read somewhere in between, so
 * its offset from ours is `time − (sent + received) / 2`, within ± half the
 * round trip (for an honest peer).
 *
 * A listed authority can lie about its time, so the node's verdict is a
 * median over its peers, never one peer's word.
 */

/** One measurement of a peer's clock against ours. */
export interface ClockSample {
  /** The peer's clock minus ours (ms): positive when the peer is ahead. */
  offsetMs: number
  /** The exchange's round trip (ms). The true offset of an honest peer is within `offsetMs ± roundTripMs / 2`. */
  roundTripMs: number
  /** Our clock when the answer arrived (ms since the epoch). */
  at: number
}

/**
 * A sample from one exchange: `sent` is our clock when asking, `roundTripMs`
 * the elapsed time measured on a monotonic clock (a wall-clock step during
 * the exchange must not pass for a round trip), `peerTime` the answer's `time`.
 */
export function clockSample (sent: number, roundTripMs: number, peerTime: number): ClockSample {
  const rtt = Math.max(0, roundTripMs)
  return { offsetMs: peerTime - (sent + rtt / 2), roundTripMs: rtt, at: sent + rtt }
}

/** A peer's latest sample, by party. */
export interface PeerClockOffset extends ClockSample {
  party: string
}

/** What the node's peers say of its clock. */
export interface ClockEstimate {
  /** Peers with a current sample. */
  peers: number
  /**
   * The median of their offsets (ms; positive: the peers are ahead of us,
   * our clock is slow). With an even count, the point between the two middle
   * samples nearest zero. Absent with no peer measured.
   */
  medianOffsetMs?: number
  /** Half the round trip of the median's sample (the larger of the two middle ones' with an even count): its error bound (ms). */
  errorMs?: number
}

/**
 * The median of the samples' offsets. With an even count every point
 * between the two middle offsets is a median: the one nearest zero is taken.
 * So the median lies beyond a bound on one side only when more than half of
 * the peers say so (one liar among two or three cannot make it fail), and a
 * skew more than half of them see cannot be hidden.
 */
export function medianOffset (samples: readonly ClockSample[]): ClockEstimate {
  if (samples.length === 0) return { peers: 0 }
  const sorted = [...samples].sort((a, b) => a.offsetMs - b.offsetMs)
  const hi = sorted[Math.floor(sorted.length / 2)]!
  const lo = sorted[Math.floor((sorted.length - 1) / 2)]!
  const median = Math.min(Math.max(0, lo.offsetMs), hi.offsetMs)
  return { peers: samples.length, medianOffsetMs: median, errorMs: Math.max(lo.roundTripMs, hi.roundTripMs) / 2 }
}

export interface ClockOffsetsOptions {
  /** At most this many peers are remembered (the trust list names ~200). @default 1024 */
  maxPeers?: number
  /** A sample older than this no longer counts. @default 300000 (5 minutes: ten anti-entropy rounds of 30 s) */
  maxAgeMs?: number
}

/**
 * The latest sample of each peer, bounded: a disconnected peer is forgotten
 * (`forget`), an old sample stops counting, and past `maxPeers` the oldest
 * sample makes room.
 */
export class ClockOffsets {
  readonly #byParty = new Map<string, ClockSample>()
  readonly #maxPeers: number
  readonly #maxAgeMs: number

  constructor (o: ClockOffsetsOptions = {}) {
    this.#maxPeers = o.maxPeers ?? 1024
    this.#maxAgeMs = o.maxAgeMs ?? 300_000
  }

  record (party: string, sample: ClockSample): void {
    // Re-inserted last: the map's order is the order of the latest samples.
    this.#byParty.delete(party)
    this.#byParty.set(party, sample)
    while (this.#byParty.size > this.#maxPeers) {
      const oldest = this.#byParty.keys().next().value
      if (oldest === undefined) break
      this.#byParty.delete(oldest)
    }
  }

  forget (party: string): void {
    this.#byParty.delete(party)
  }

  /** The current samples (at most `maxAgeMs` old at `now`), of `parties` only when given. */
  current (now: number, parties?: Iterable<string>): PeerClockOffset[] {
    const only = parties === undefined ? undefined : new Set(parties)
    const out: PeerClockOffset[] = []
    for (const [party, s] of this.#byParty) {
      if (only !== undefined && !only.has(party)) continue
      if (now - s.at > this.#maxAgeMs) continue
      out.push({ party, ...s })
    }
    return out.sort((a, b) => a.party.localeCompare(b.party))
  }

  /** The median over the current samples (of `parties` only when given). */
  estimate (now: number, parties?: Iterable<string>): ClockEstimate {
    return medianOffset(this.current(now, parties))
  }
}
