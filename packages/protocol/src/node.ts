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
import {
  CONNECTION_PING_INTERVAL_MS, CONNECTION_PING_MIN_TIMEOUT_MS, EVENTS_TOPIC, EVENTS_TOPIC_SCORE, GOSSIP_SCORE_THRESHOLDS, INBOUND_UPGRADE_TIMEOUT_MS, LISTED_PENDING_RESERVE,
  MAX_CONNECTIONS, MAX_CONNECTIONS_PER_PEER, MAX_GOSSIP_BYTES, MAX_PENDING_INBOUND_CONNECTIONS, MAX_PENDING_UPGRADES_PER_IP, MAX_STREAMS_PER_CONNECTION
} from './constants.js'
import { PendingUpgrades, type ListedAddresses, type PendingUpgradeStats } from './admission.js'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import type { TCPSocketOptions } from '@libp2p/tcp'
import type { ProtocolService, ProtocolServiceComponents } from './rpc.js'

/**
 * What the gater needs to know: a TrustStore fits. `current` (the list with
 * its authorities' addresses) lets sockets from listed addresses use the
 * pending-upgrade slots kept for them; without it every address is an outsider's.
 */
export interface PeerAuthority extends ListedAddresses {
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
   * The local IP to dial from (a host with several addresses): peers
   * recognise a listed authority's sockets by the address the trust list
   * gives for it, so dial from that one. @default the system's choice
   */
  dialFrom?: string
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

const doors = new WeakMap<object, PendingUpgrades>()

/** What an authorised node's door did with inbound sockets before their upgrade (network.md §1.1). */
export function pendingUpgradeStats (node: object): PendingUpgradeStats | undefined {
  return doors.get(node)?.stats
}

export async function createAuthorisedNode (init: AuthorisedNodeInit): Promise<AuthorisedNode> {
  const denied = (peerId: PeerId): boolean => !init.trust.isAuthorisedPeer(peerId.toString()) || (init.isolated?.(peerId.toString()) ?? false)
  const door = new PendingUpgrades({ total: MAX_PENDING_INBOUND_CONNECTIONS, reserve: LISTED_PENDING_RESERVE, perIp: MAX_PENDING_UPGRADES_PER_IP }, init.trust)
  // The gater runs inside libp2p: it reaches the node's connections once built.
  let self: Libp2p | undefined
  const node = await createLibp2p({
    privateKey: init.privateKey,
    addresses: { listen: init.listen ?? ['/ip4/127.0.0.1/tcp/0'] },
    // localAddress goes through to net.connect, though TCPSocketOptions does not name it.
    transports: [tcp(init.dialFrom === undefined ? {} : { dialOpts: { localAddress: init.dialFrom } as TCPSocketOptions })],
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
    // at the encrypted stage (both directions) and never dialled. Before
    // that, the door limits what sockets from unlisted addresses may hold
    // (admission.ts); and one peer may hold only a few connections at once,
    // since libp2p's stream limits are per connection.
    connectionGater: {
      denyDialPeer: denied,
      denyInboundConnection: (maConn) => door.deny(maConn),
      denyInboundEncryptedConnection: (peerId, maConn) => { door.settle(maConn); return denied(peerId) },
      denyOutboundEncryptedConnection: denied,
      denyInboundUpgradedConnection: (peerId) => (self?.getConnections(peerId).length ?? 0) >= MAX_CONNECTIONS_PER_PEER
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
      // A silent socket holds its slot this long (libp2p's default: 10 s).
      inboundUpgradeTimeout: INBOUND_UPGRADE_TIMEOUT_MS,
      ...(init.sharedHost === true ? { inboundConnectionThreshold: init.maxConnections ?? MAX_CONNECTIONS } : {})
    }
  })
  self = node
  doors.set(node, door)
  // The protocol services are typed by name by their caller (node.services is a plain record at run time).
  return node as unknown as AuthorisedNode
}
