/**
 * The authorised libp2p node: TCP + Noise + yamux + identify, with a
 * connection gater that admits only peers on the current trust list
 * (ARCHITECTURE.md, "Who may connect").
 */
import { createLibp2p, type Libp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { gossipsub } from '@libp2p/gossipsub'
import { CONNECTION_PING_INTERVAL_MS, CONNECTION_PING_MIN_TIMEOUT_MS, EVENTS_TOPIC, EVENTS_TOPIC_SCORE, GOSSIP_SCORE_THRESHOLDS, MAX_CONNECTIONS, MAX_GOSSIP_BYTES, MAX_PENDING_INBOUND_CONNECTIONS, MAX_STREAMS_PER_CONNECTION } from './constants.js'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import type { ProtocolService, ProtocolServiceComponents } from './rpc.js'

/** What the gater needs to know: a TrustStore fits. */
export interface PeerAuthority {
  isAuthorisedPeer: (peerId: string) => boolean
}

export interface AuthorisedNodeInit {
  privateKey: PrivateKey
  /** @default ['/ip4/127.0.0.1/tcp/0'] */
  listen?: string[]
  trust: PeerAuthority
  /**
   * Connection ceiling. A network of up to 200 authorities needs at most 199
   * peers; the rest is headroom for reconnects.
   * @default 256
   */
  maxConnections?: number
  /**
   * All peers share one host (a pilot on one machine). libp2p refuses more
   * than 5 new inbound connections a second from one host, which is right
   * for authorities on their own hosts but stalls a local mesh forming.
   * @default false
   */
  sharedHost?: boolean
  /**
   * Peers cut off on purpose although listed (fault injection: a partition
   * through the gater). Checked with the trust list on every dial and handshake.
   */
  isolated?: (peerId: string) => boolean
  /**
   * The protocol services to run (`syncService(...)`, `verifyService(...)`,
   * ...): libp2p hands each its registrar, starts it with the node (the
   * handler is registered) and stops it with the node (unregistered).
   * Reachable as `node.services[name]`.
   */
  services?: Record<string, (components: ProtocolServiceComponents) => ProtocolService>
  /**
   * A peer's application score (≤ 0 for misbehaviour, e.g.
   * `Misbehaviour.score`), added to its gossip score: a peer that keeps
   * sending requests no honest node sends is graylisted. @default 0
   */
  appScore?: (peerId: string) => number
}

/** Create (not start) a libp2p node that talks only to authorised peers. */
export type AuthorisedNode = Libp2p<{ identify: ReturnType<ReturnType<typeof identify>>, pubsub: ReturnType<ReturnType<typeof gossipsub>> }>

export async function createAuthorisedNode (init: AuthorisedNodeInit): Promise<AuthorisedNode> {
  const denied = (peerId: PeerId): boolean => !init.trust.isAuthorisedPeer(peerId.toString()) || (init.isolated?.(peerId.toString()) ?? false)
  const node = await createLibp2p({
    privateKey: init.privateKey,
    addresses: { listen: init.listen ?? ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux({ maxInboundStreams: MAX_STREAMS_PER_CONNECTION, maxOutboundStreams: MAX_STREAMS_PER_CONNECTION })],
    services: {
      ...init.services,
      identify: identify(),
      pubsub: gossipsub({
        // Every message carries its publisher's libp2p signature.
        globalSignaturePolicy: 'StrictSign',
        allowedTopics: [EVENTS_TOPIC],
        emitSelf: false,
        fallbackToFloodsub: false,
        maxInboundDataLength: MAX_GOSSIP_BYTES,
        // All pilot nodes share one IP: without this the mesh stops forming
        // past about 10 local peers (FACTS.md).
        // Rejected messages count against their sender (network.md §3.1):
        // a flooding insider is graylisted and its messages dropped unread.
        scoreParams: {
          IPColocationFactorWeight: 0,
          topics: { [EVENTS_TOPIC]: { ...EVENTS_TOPIC_SCORE } },
          ...(init.appScore !== undefined ? { appSpecificScore: init.appScore, appSpecificWeight: 1 } : {})
        },
        scoreThresholds: { ...GOSSIP_SCORE_THRESHOLDS },
        // A narrower mesh than the default (D=6, Dhi=12): every node forwards
        // each signed event to fewer peers, so a 64-node network sends far
        // fewer duplicate copies of a 5 KB event; delivery takes one more hop
        // at most (log4(200) < 4).
        D: 4,
        Dlo: 3,
        Dhi: 6,
        Dlazy: 4
      })
    },
    // Identity is known only once Noise completes, so strangers are refused
    // at the encrypted stage (both directions) and never dialled.
    connectionGater: {
      denyDialPeer: denied,
      denyInboundEncryptedConnection: denied,
      denyOutboundEncryptedConnection: denied
    },
    // libp2p pings every connection every 10 s and drops it when a ping takes
    // longer than an adaptive timeout (at least 5 s). On a saturated host
    // (the 64-node pilot, where gossip p99 reaches 5-17 s) event loops lag
    // that long, so live connections would be dropped and redialled, loading
    // the host further. Ping less often; drop only a connection silent 20 s.
    connectionMonitor: {
      pingInterval: CONNECTION_PING_INTERVAL_MS,
      pingTimeout: { minTimeout: CONNECTION_PING_MIN_TIMEOUT_MS }
    },
    connectionManager: {
      maxConnections: init.maxConnections ?? MAX_CONNECTIONS,
      maxIncomingPendingConnections: MAX_PENDING_INBOUND_CONNECTIONS,
      ...(init.sharedHost === true ? { inboundConnectionThreshold: init.maxConnections ?? MAX_CONNECTIONS } : {})
    }
  })
  // The protocol services are typed by name by their caller (node.services is a plain record at run time).
  return node as unknown as AuthorisedNode
}
