/**
 * Requests to another authority's node go through one bounded lane per
 * issuer and protocol (issue 16, finding 1). Under a burst of 200 uses the
 * node's own per-connection stream limit ("17/16 outbound streams") and
 * streams closed under load were taken for "issuer unreachable", and a use
 * the issuer had just recorded elsewhere was recorded provisionally here
 * too. Now at most ISSUER_LANE_CONCURRENCY requests are in flight per lane,
 * the rest wait their turn (the issuer's timeout runs only while a request
 * is in flight), and a full lane is refused NODE_BUSY (503, retry) rather
 * than judged from the replica.
 */
import PQueue from 'p-queue'
import { TimeoutError } from '@cites/runtime'
import { NodeBusyError } from './errors.js'

/** In flight per issuer and protocol: below the 16 streams a connection allows per protocol. */
export const ISSUER_LANE_CONCURRENCY = 8
/** Waiting per issuer and protocol before NODE_BUSY. */
export const ISSUER_LANE_MAX_WAITING = 2000
/** What a NODE_BUSY answer suggests (seconds). */
export const RETRY_AFTER_S = 2

export type Lane = 'verify' | 'consume'

export class IssuerLanes {
  readonly #lanes = new Map<string, PQueue>()

  /** Run `work` in the lane of `issuer` and `lane`; NODE_BUSY when too many wait already. */
  async run<T> (issuer: string, lane: Lane, work: () => Promise<T>): Promise<T> {
    const key = `${issuer}/${lane}`
    let q = this.#lanes.get(key)
    if (q === undefined) {
      q = new PQueue({ concurrency: ISSUER_LANE_CONCURRENCY })
      this.#lanes.set(key, q)
    }
    if (q.size >= ISSUER_LANE_MAX_WAITING) throw new NodeBusyError(`${q.size} requests to ${issuer}'s node are waiting already; nothing was recorded; retry in ${RETRY_AFTER_S} s`)
    return await q.add(work)
  }

  /** Requests waiting and in flight, per lane (status and tests). */
  depth (): Record<string, { waiting: number, inFlight: number }> {
    return Object.fromEntries([...this.#lanes].map(([k, q]) => [k, { waiting: q.size, inFlight: q.pending }]))
  }
}

/**
 * May a failed request to the issuer be taken as "the issuer is
 * unreachable" (the only case that allows a provisional use or a replica
 * verdict)? Yes for the issuer's own silence (our timeout ran out while the
 * request was in flight) or when no connection to it is open after the
 * failure (the dial failed, or the connection dropped). Anything else
 * happened here, with the issuer connected (a local limit, a stream closed
 * under load): not evidence of a partition.
 */
export function issuerUnreachable (err: unknown, connected: boolean): boolean {
  return err instanceof TimeoutError || !connected
}
