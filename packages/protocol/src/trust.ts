/**
 * Keeping the trust list current on a running node: `/cites/trust-list/1.0.0`
 * to fetch a newer list from a peer, and enforcement when a list changes:
 * peers no longer authorised are disconnected at once (the gater keeps them
 * out afterwards).
 */
import type { Libp2p, PeerId } from '@libp2p/interface'
import { TrustListSequenceError, type TrustStore, type VerifiedTrustList } from '@cites/trust-list'
import { Status, TrustListRequest, TrustListResponse } from './pb/network.js'
import { MAX_TRUST_LIST_REQUEST_BYTES, MAX_TRUST_LIST_RESPONSE_BYTES, TRUST_LIST_PROTOCOL } from './constants.js'
import type { Logger } from '@cites/runtime'
import { RemoteRefusedError } from './errors.js'
import { logFor } from './log.js'
import { ask, rpcService, startOn, type ProtocolService, type ProtocolServiceComponents } from './rpc.js'

const EMPTY = new Uint8Array(0)

/** Close every connection to a peer the trust list no longer authorises. Returns the peers dropped. */
export async function disconnectUnauthorised (libp2p: Libp2p, trust: Pick<TrustStore, 'isAuthorisedPeer'>): Promise<string[]> {
  const dropped = new Set<string>()
  for (const conn of libp2p.getConnections()) {
    const id = conn.remotePeer.toString()
    if (!trust.isAuthorisedPeer(id)) {
      dropped.add(id)
      // A close that fails (the peer went away meanwhile) becomes an abort: either way it is gone.
      await conn.close().catch(() => { conn.abort(new Error('peer withdrawn from the trust list')) })
    }
  }
  return [...dropped]
}

/**
 * Accept a trust list (anchor-signed, higher sequence) and enforce it.
 * Throws the trust-list errors for a list that is refused.
 */
export async function applyTrustList (libp2p: Libp2p, trust: TrustStore, xml: string): Promise<{ list: VerifiedTrustList, dropped: string[] }> {
  const list = await trust.accept(xml)
  return { list, dropped: await disconnectUnauthorised(libp2p, trust) }
}

/** What /cites/trust-list answers from: the newest anchor-signed list this node holds. */
export interface TrustListPort {
  /** The list's sequence (0 for none) and its XML exactly as signed. */
  current: () => { sequence: number, xml?: string }
}

/** The trust-list port backed by this node's trust store. */
export function trustStorePort (trust: TrustStore): TrustListPort {
  return { current: () => trust.current === undefined ? { sequence: 0 } : { sequence: trust.current.list.sequence, xml: trust.current.xml } }
}

export interface TrustListServiceInit {
  port: TrustListPort
  log?: Logger
}

/** /cites/trust-list/1.0.0 as a libp2p service: the list when the asker's is older, else an empty OK. */
export function trustListService (init: TrustListServiceInit): (components: ProtocolServiceComponents) => ProtocolService {
  const log = logFor(init.log, 'trust-list')
  return (components) => rpcService(components, {
    protocol: TRUST_LIST_PROTOCOL,
    maxRequest: MAX_TRUST_LIST_REQUEST_BYTES,
    request: TrustListRequest,
    response: TrustListResponse,
    log,
    // network.md §2: a request over its 64-byte cap is TOO_LARGE, one that does not decode MALFORMED.
    unreadable: (failure) => ({
      status: failure === 'TOO_LARGE' ? Status.TOO_LARGE : Status.MALFORMED,
      trustList: EMPTY,
      sequence: BigInt(init.port.current().sequence),
      message: failure === 'TOO_LARGE' ? 'request too large' : 'request unreadable'
    }),
    answer: async (req) => {
      const { sequence, xml } = init.port.current()
      return xml === undefined || req.haveSequence >= BigInt(sequence)
        ? { status: Status.OK, trustList: EMPTY, sequence: BigInt(sequence), message: '' }
        : { status: Status.OK, trustList: new TextEncoder().encode(xml), sequence: BigInt(sequence), message: '' }
    }
  })
}

/** Serve the newest trust list this node holds, on a running node (tests and tools). */
export async function handleTrustList (libp2p: Libp2p, trust: TrustStore): Promise<ProtocolService> {
  return await startOn(libp2p, trustListService({ port: trustStorePort(trust) }))
}

/**
 * Ask a peer for a newer trust list and apply it if there is one. The list
 * is accepted only if the anchor signed it and it is newer: a peer can delay
 * an update but never forge or roll one back.
 */
export async function fetchTrustList (libp2p: Libp2p, peer: PeerId, trust: TrustStore): Promise<{ updated: boolean, sequence: number, dropped: string[] }> {
  const res = await ask(libp2p, peer, TRUST_LIST_PROTOCOL, MAX_TRUST_LIST_RESPONSE_BYTES, TrustListRequest, TrustListResponse, { haveSequence: BigInt(trust.sequence) })
  if (res.status !== Status.OK) throw new RemoteRefusedError(res.status, `trust list refused: ${res.status} ${res.message}`)
  if (res.trustList.length === 0) return { updated: false, sequence: trust.sequence, dropped: [] }
  try {
    const { dropped } = await applyTrustList(libp2p, trust, new TextDecoder().decode(res.trustList))
    return { updated: true, sequence: trust.sequence, dropped }
  } catch (err) {
    // A peer offering an older list is not news; anything else propagates.
    if (err instanceof TrustListSequenceError) return { updated: false, sequence: trust.sequence, dropped: [] }
    throw err
  }
}
