/**
 * The v1 ids of the event-carrying protocols, kept only to refuse (network.md
 * r11, "Ledger events v2"). A node on ledger events v1 that asks this one on
 * /cites/{sync,verify,consume,deliver}/1.0.0 gets its protocol's own v1
 * response message, status REFUSED, with EVENT_VERSION_MISMATCH in the text
 * (and in `code` on consume, the only v1 response with one): its operator
 * sees why, where a bare "protocol not supported" would look like an outage.
 * The request is read as one length-prefixed frame and never decoded: a v1
 * request is not ours to interpret, and no v1 event is taken.
 */
import type { Uint8ArrayList } from 'uint8arraylist'
import type { Logger } from '@cites/runtime'
import { ConsumeResponse, DeliverResponse, Status, SyncResponse, VerifyResponse } from './pb/network.js'
import { EVENT_VERSION_MISMATCH, EVENT_VERSION_MISMATCH_MESSAGE, MAX_V1_REQUEST_BYTES, V1_EVENT_PROTOCOLS } from './constants.js'
import { logFor } from './log.js'
import { rpcService, type Codec, type ProtocolService, type ProtocolServiceComponents } from './rpc.js'

const EMPTY = new Uint8Array(0) as Uint8Array<ArrayBuffer>

/** A frame's bytes, as they came: nothing is decoded. */
const opaque: Codec<Uint8Array> = {
  encode: (b) => b,
  decode: (b: Uint8Array | Uint8ArrayList) => b instanceof Uint8Array ? b : b.subarray()
}

/** Each v1 protocol's refusal, in its own (unchanged) v1 response message. */
const REFUSALS: Record<keyof typeof V1_EVENT_PROTOCOLS, () => Uint8Array> = {
  sync: () => SyncResponse.encode({ status: Status.REFUSED, events: [], checkpoint: EMPTY, headSize: 0n, message: EVENT_VERSION_MISMATCH_MESSAGE, conflict: EMPTY, headCheckpoint: EMPTY, heads: [] }),
  verify: () => VerifyResponse.encode({ status: Status.REFUSED, events: [], checkpoint: EMPTY, headSize: 0n, message: EVENT_VERSION_MISMATCH_MESSAGE }),
  consume: () => ConsumeResponse.encode({ status: Status.REFUSED, code: EVENT_VERSION_MISMATCH, event: EMPTY, message: EVENT_VERSION_MISMATCH_MESSAGE }),
  deliver: () => DeliverResponse.encode({ status: Status.REFUSED, ack: EMPTY, message: EVENT_VERSION_MISMATCH_MESSAGE })
}

/** Counts by key (a protocol id, a refusal code): what a node exposes as a labelled counter. */
export class RefusalCounts {
  readonly counts = new Map<string, number>()
  /** Count one (bound: pass `counts.count` as a callback). */
  readonly count = (key: string): void => { this.counts.set(key, (this.counts.get(key) ?? 0) + 1) }
  /** A plain copy, e.g. `{ '/cites/sync/1.0.0': 3 }`. */
  toJSON (): Record<string, number> { return Object.fromEntries(this.counts) }
}

export interface VersionRefusalInit {
  /**
   * Called once per refused v1 request, with the v1 protocol id and the
   * asking peer (e.g. `cites_version_refusals_total{protocol}`; a
   * `RefusalCounts.count` fits: it ignores the peer).
   */
  onRefused?: (protocol: string, peer: string) => void
  log?: Logger
}

/**
 * The refusing services of the four v1 ids, to pass among a node's libp2p
 * services: `{ syncV1, verifyV1, consumeV1, deliverV1 }`.
 */
export function versionRefusalServices (init: VersionRefusalInit = {}): Record<`${keyof typeof V1_EVENT_PROTOCOLS}V1`, (components: ProtocolServiceComponents) => ProtocolService> {
  const log = logFor(init.log, 'version')
  const service = (name: keyof typeof V1_EVENT_PROTOCOLS) => (components: ProtocolServiceComponents): ProtocolService => {
    const protocol = V1_EVENT_PROTOCOLS[name]
    const refuse = (remote: { toString: () => string }): Uint8Array => {
      const peer = remote.toString()
      log.debug({ code: EVENT_VERSION_MISMATCH, protocol, peer }, 'a v1 request refused: this node speaks ledger events v2')
      init.onRefused?.(protocol, peer)
      return REFUSALS[name]()
    }
    return rpcService(components, {
      protocol,
      maxRequest: MAX_V1_REQUEST_BYTES,
      request: opaque,
      response: opaque,
      log,
      // An unreadable or oversized v1 frame gets the same answer: the version is the reason either way.
      unreadable: (_failure, remote) => refuse(remote),
      answer: async (_request, remote) => refuse(remote)
    })
  }
  return { syncV1: service('sync'), verifyV1: service('verify'), consumeV1: service('consume'), deliverV1: service('deliver') }
}
