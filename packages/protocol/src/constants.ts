/**
 * Protocol ids: prefix, name, version (a new version gets a new id). The
 * protocols that carry ledger events are at 2.0.0 since ledger events v2
 * (ledger.md r17, network.md r11): a v1 node cannot read a v2 event (nor a
 * v2 node a v1 one), so the two must not negotiate the same id.
 */
export const PROTOCOL_PREFIX = '/cites'
export const SYNC_PROTOCOL = `${PROTOCOL_PREFIX}/sync/2.0.0`
export const TRUST_LIST_PROTOCOL = `${PROTOCOL_PREFIX}/trust-list/1.0.0`
export const VERIFY_PROTOCOL = `${PROTOCOL_PREFIX}/verify/2.0.0`
export const CONSUME_PROTOCOL = `${PROTOCOL_PREFIX}/consume/2.0.0`
export const DELIVER_PROTOCOL = `${PROTOCOL_PREFIX}/deliver/2.0.0`
/** A permit's signed document, served only to the parties to the trade (network.md §8.1, new with v2). */
export const DOCUMENT_PROTOCOL = `${PROTOCOL_PREFIX}/document/1.0.0`

/**
 * The v1 ids of the event-carrying protocols (network.md r10 and before).
 * They stay registered only to refuse: a v1 peer's request is answered with
 * its protocol's v1 response, REFUSED with EVENT_VERSION_MISMATCH, so its
 * operator learns why instead of seeing "protocol not supported".
 */
export const V1_EVENT_PROTOCOLS = {
  sync: `${PROTOCOL_PREFIX}/sync/1.0.0`,
  verify: `${PROTOCOL_PREFIX}/verify/1.0.0`,
  consume: `${PROTOCOL_PREFIX}/consume/1.0.0`,
  deliver: `${PROTOCOL_PREFIX}/deliver/1.0.0`
} as const
/** The code and text of that refusal (the text is what a v1 node shows: it has no field for a code except on consume). */
export const EVENT_VERSION_MISMATCH = 'EVENT_VERSION_MISMATCH'
export const EVENT_VERSION_MISMATCH_MESSAGE = `${EVENT_VERSION_MISMATCH}: this node speaks ledger events v2 (ledger.md r17)`
/** A v1 request is read (framing only, never decoded) up to this size before the refusal is sent. */
export const MAX_V1_REQUEST_BYTES = 310 * 1024
/** What one peer may hold open at once on a v1 id: each is answered at once. */
export const V1_STREAM_LIMIT = 4

/** Caps per message (protocol-spec/network.md). A heads exchange names up to 1000 logs (about 47 bytes each). */
export const MAX_SYNC_REQUEST_BYTES = 64 * 1024
/** Logs named in one heads exchange, each way. */
export const MAX_SYNC_HEADS = 1000
/** Pages are cut at 4 MiB, whatever the event count. */
export const MAX_SYNC_RESPONSE_BYTES = 4 * 1024 * 1024
export const MAX_SYNC_PAGE_EVENTS = 1000
/** Per-stream timeout. */
export const STREAM_TIMEOUT_MS = 10_000
/** How long an answered stream waits for the asker to close its end before a reset (network.md §2). */
export const STREAM_LINGER_MS = 2_000

export const MAX_TRUST_LIST_REQUEST_BYTES = 64
/** A trust list may be 4 MiB (trust-list.md). */
export const MAX_TRUST_LIST_RESPONSE_BYTES = 4 * 1024 * 1024 + 1024

/** Gossip topic of signed log events (v2, ledger.md r17) and checkpoints. A v1 node's topic is cites/events/1: never joined. */
export const EVENTS_TOPIC = 'cites/events/2'
/** Largest gossip message: one signed event (300 KiB) plus framing. */
export const MAX_GOSSIP_BYTES = 310 * 1024
/**
 * An event that arrives ahead of the log held starts a sync of that log
 * (network.md §3): one at a time per author, and at most one per author in
 * this interval, however many such events arrive.
 */
export const GAP_SYNC_INTERVAL_MS = 5_000

export const MAX_VERIFY_REQUEST_BYTES = 256
/** A permit's events: its ISSUED event (≤ 300 KiB) and a handful more. */
export const MAX_VERIFY_RESPONSE_BYTES = 1024 * 1024
export const MAX_CONSUME_REQUEST_BYTES = 16 * 1024
export const MAX_CONSUME_RESPONSE_BYTES = 16 * 1024
/** A consumption request older (or newer) than this is refused as stale. */
export const CONSUME_REQUEST_MAX_AGE_MS = 10 * 60_000
/**
 * Consume nonces are remembered this long (a request is fresh for
 * ±CONSUME_REQUEST_MAX_AGE_MS, so a replay inside the window is caught), and
 * at most this many at once (the oldest go first beyond it).
 */
export const CONSUME_NONCE_WINDOW_MS = 2 * CONSUME_REQUEST_MAX_AGE_MS
export const MAX_CONSUME_NONCES = 200_000

/**
 * What refused requests cost a peer (network.md §7.2, misbehaviour.ts): a
 * budget of MISBEHAVIOUR_BUDGET, refilled at MISBEHAVIOUR_REFILL_PER_S; an
 * ordinary refusal (ALREADY_CONSUMED, ...) costs 0.25 (a busy honest port
 * may meet 120 a minute), a request an honest
 * node never sends (an invented claim, a replay, a bad signature) costs 10.
 * Spent: PEER_RATE_LIMITED until it refills. Each of the latter also adds a
 * penalty point, worth MISBEHAVIOUR_SCORE_PER_POINT off the peer's gossip
 * score, halving every MISBEHAVIOUR_HALF_LIFE_MS: eight in a row take a
 * peer below the graylist threshold (-80).
 */
export const MISBEHAVIOUR_BUDGET = 60
export const MISBEHAVIOUR_REFILL_PER_S = 0.5
export const REFUSAL_COST = { refusal: 0.25, misbehaviour: 10 } as const
export const MISBEHAVIOUR_SCORE_PER_POINT = 10
export const MISBEHAVIOUR_HALF_LIFE_MS = 10 * 60_000
/** Penalty points a peer can hold (-1000 on its score: far below graylisting, and back above it within about 35 minutes). */
export const MISBEHAVIOUR_MAX_POINTS = 100
/**
 * Penalty points for one event its author's own node sends beyond the
 * window ahead of its log (ledger.md §4.2): an honest author that we are
 * behind sends a few between our gap syncs (5 s); a flood of 1,000 takes it
 * far below the graylist threshold.
 */
export const AHEAD_EVENT_PENALTY = 0.1

/**
 * A delivery: the ISSUED event (a summary since v2, at most 300 KiB by the
 * ledger's cap), the sender's checkpoint and (r11) the signed document (at
 * most MAX_DOCUMENT_BYTES).
 */
export const MAX_DELIVER_REQUEST_BYTES = 310 * 1024 + 320 * 1024
/** A signed permit document (its XML is at most 256 KiB, permit-profile.md) with the rest of its answer. */
export const MAX_DOCUMENT_BYTES = 320 * 1024
export const MAX_DOCUMENT_REQUEST_BYTES = 256
export const MAX_DELIVER_RESPONSE_BYTES = 16 * 1024

/**
 * Stream ceilings per protocol, for a network of up to 200 authorities.
 * Inbound: what one peer may hold open at once, across all its connections
 * (libp2p applies the same figure per connection; rpc.ts per peer); a customs
 * burst from one destination needs the most (verify). Outbound: what this
 * node opens to one peer on one connection.
 */
export const STREAM_LIMITS: Readonly<Record<string, { inbound: number, outbound: number }>> = {
  [VERIFY_PROTOCOL]: { inbound: 64, outbound: 64 },
  [CONSUME_PROTOCOL]: { inbound: 16, outbound: 16 },
  [DELIVER_PROTOCOL]: { inbound: 16, outbound: 16 },
  [SYNC_PROTOCOL]: { inbound: 4, outbound: 4 },
  [TRUST_LIST_PROTOCOL]: { inbound: 2, outbound: 2 },
  // A destination fetches the documents of its permits one by one (catch-up after a lost delivery).
  [DOCUMENT_PROTOCOL]: { inbound: 8, outbound: 8 },
  // Refusals only (V1_EVENT_PROTOCOLS): never asked by this node.
  ...Object.fromEntries(Object.values(V1_EVENT_PROTOCOLS).map((id) => [id, { inbound: V1_STREAM_LIMIT, outbound: 1 }]))
}
/** Yamux streams per connection, all protocols together (gossipsub and identify included). */
export const MAX_STREAMS_PER_CONNECTION = 256
/** Connections: 199 peers in a 200-authority network, plus headroom for reconnects. */
export const MAX_CONNECTIONS = 256
/** libp2p's connection monitor: ping each connection this often (network.md §1.1). */
export const CONNECTION_PING_INTERVAL_MS = 30_000
/** ... and drop it only when a ping has had no answer for this long. */
export const CONNECTION_PING_MIN_TIMEOUT_MS = 20_000
/** Inbound connections still in their Noise/yamux upgrade (bounds the cost of strangers, refused only after Noise). */
export const MAX_PENDING_INBOUND_CONNECTIONS = 32
/**
 * Of those, slots only sockets from a listed peer's address may take: an
 * outsider's sockets share the other 24, so they cannot hold the door shut
 * on a listed peer that reconnects (network.md §1.1).
 */
export const LISTED_PENDING_RESERVE = 8
/** Upgrades pending at once from one IP address that is no listed peer's (an honest peer needs one or two). */
export const MAX_PENDING_UPGRADES_PER_IP = 4
/**
 * A socket must finish Noise and yamux within this (libp2p's default is
 * 10 s). A silent socket holds a pending slot this long; a handshake is a few
 * round trips, well under a second even between continents.
 */
export const INBOUND_UPGRADE_TIMEOUT_MS = 5_000
/** Connections one peer may hold to this node at once: two dialling each other at once make two; a reconnect may overlap a closing one. */
export const MAX_CONNECTIONS_PER_PEER = 4

/**
 * Gossip scoring of the events topic (`cites/events/2`) (network.md §3.1). Only invalid messages
 * count against a peer: a listed peer whose messages the validator rejects
 * falls below the graylist threshold after about ten of them (positive
 * topic credit is capped at 10), and gossipsub
 * then drops its messages unread, before any decoding or signature check.
 * Mesh-delivery quotas stay off: permits are few and bursty, so an honest
 * peer often delivers nothing for hours.
 */
export const EVENTS_TOPIC_SCORE = {
  topicWeight: 1,
  timeInMeshWeight: 0.01,
  timeInMeshQuantum: 1000,
  timeInMeshCap: 3600,
  firstMessageDeliveriesWeight: 1,
  firstMessageDeliveriesDecay: 0.9,
  firstMessageDeliveriesCap: 10,
  meshMessageDeliveriesWeight: 0,
  meshMessageDeliveriesDecay: 0.5,
  meshMessageDeliveriesCap: 100,
  meshMessageDeliveriesThreshold: 20,
  meshMessageDeliveriesWindow: 10,
  meshMessageDeliveriesActivation: 5000,
  meshFailurePenaltyWeight: 0,
  meshFailurePenaltyDecay: 0.5,
  // P4 = -(count²): one rejection costs 1, nine cost 81. The count decays by
  // 10% a second, so a single honest mistake is forgotten in under a minute.
  invalidMessageDeliveriesWeight: -1,
  invalidMessageDeliveriesDecay: 0.9
} as const
/** gossipsub's default thresholds, named here because the spec fixes them. */
export const GOSSIP_SCORE_THRESHOLDS = {
  gossipThreshold: -10,
  publishThreshold: -50,
  graylistThreshold: -80,
  acceptPXThreshold: 10,
  opportunisticGraftThreshold: 20
} as const
