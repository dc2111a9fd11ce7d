/**
 * Gossip of signed log events and checkpoints on `cites/events/2`
 * (protocol-spec/network.md). The topic validator hands every message to the
 * ledger's checks before gossipsub forwards it: anything that fails is
 * `Reject`ed (and counts against the sender's score); only an event that
 * extends the log (or proves a fork) is `Accept`ed and travels on. A
 * duplicate, an event held after a gap and one too far ahead to be held are
 * `Ignore`d: not forwarded, no score credit, so a flood of gapped events
 * stops at the first node. An event ahead of the log starts a sync of that
 * log with the peer that forwarded it, at most one per author at a time and
 * per GAP_SYNC_INTERVAL_MS. Trust-list announcements ride the same
 * topic: the list itself is fetched and verified before one travels on.
 */
import { TopicValidatorResult } from '@libp2p/gossipsub'
import type { PeerId } from '@libp2p/interface'
import { InvalidEventError, type Ledger } from '@cites/ledger'
import { Gossip } from './pb/network.js'
import { AHEAD_EVENT_PENALTY, EVENTS_TOPIC, GAP_SYNC_INTERVAL_MS, MAX_GOSSIP_BYTES } from './constants.js'
import type { AuthorisedNode } from './node.js'
import { syncLog } from './sync.js'
import { fetchTrustList } from './trust.js'
import type { TrustStore } from '@cites/trust-list'
import { errorCode, errorMessage, type Logger } from '@cites/runtime'
import { logFor } from './log.js'

/** Counts of validation outcomes (for tests and metrics). */
export interface GossipStats {
  accepted: number
  ignored: number
  rejected: number
  /** Syncs started because an event arrived after a gap. */
  gapSyncs: number
  /** Events ahead of the log: held back after a gap, or too far ahead to be held (ledger.md §4.2). Counted among `ignored`. */
  ahead: number
  /** Newer trust lists fetched and applied after an announcement. */
  trustListUpdates: number
}

export interface EventGossip {
  stats: GossipStats
  /** Publish a checkpoint of this node's log now. */
  publishCheckpoint: () => Promise<void>
  /** Announce the trust list this node holds (after accepting a newer one). */
  announceTrustList: () => void
  /** Stop validating and publishing; resolves once the validations in progress have finished. */
  stop: () => Promise<void>
}

const EMPTY = new Uint8Array(0)

/** Subscribe, validate through the ledger, and publish this node's own events. */
export interface EventGossipOptions {
  /**
   * With a trust store, trust-list announcements are handled too: a newer
   * sequence is fetched from the announcer, checked against the anchor and
   * applied (withdrawn peers are disconnected) before the announcement travels on.
   */
  trust?: TrustStore
  /** Called after a new trust list was applied from gossip. */
  onTrustList?: (update: { sequence: number, dropped: string[] }) => void
  /**
   * Penalise a peer's application score (e.g. `Misbehaviour.penalise`): an
   * event beyond the window ahead of the log (`ahead`), sent by its own
   * author's node, costs that node AHEAD_EVENT_PENALTY points.
   */
  penalise?: (peerId: string, points: number) => void
  log?: Logger
}

export function startEventGossip (node: AuthorisedNode, ledger: Ledger, opts: EventGossipOptions = {}): EventGossip {
  const pubsub = node.services.pubsub
  const stats: GossipStats = { accepted: 0, ignored: 0, rejected: 0, gapSyncs: 0, ahead: 0, trustListUpdates: 0 }
  const log = logFor(opts.log, 'gossip')
  // Gap syncs by author; stop() aborts them and waits for them to end.
  const syncing = new Map<string, Promise<void>>()
  // When the last gap sync of each author started (listed authors only: an
  // event gets here only once its author's signature verified).
  const lastGapSync = new Map<string, number>()
  const abort = new AbortController()

  const syncAfterGap = (author: string, from: PeerId): void => {
    if (syncing.has(author) || abort.signal.aborted) return
    // Debounced: a flood of gapped events costs one sync per interval, not one each.
    const now = Date.now()
    if (now - (lastGapSync.get(author) ?? Number.NEGATIVE_INFINITY) < GAP_SYNC_INTERVAL_MS) return
    lastGapSync.set(author, now)
    stats.gapSyncs++
    log.debug({ author, peer: from.toString() }, 'an event arrived after a gap: syncing the log')
    const p = syncLog(node, from, ledger, author, { signal: abort.signal })
      .then(() => {}, (err: unknown) => {
        if (abort.signal.aborted) return // stopping
        // The next event or a later sync retries; a forged page is the sender's fault.
        log[err instanceof InvalidEventError ? 'warn' : 'debug']({ code: errorCode(err, 'SYNC_FAILED'), author, peer: from.toString() }, `gap sync failed: ${errorMessage(err)}`)
      })
      .finally(() => syncing.delete(author))
    syncing.set(author, p)
  }

  // Validations in progress (ledger writes): stop() lets them finish.
  const validating = new Set<Promise<TopicValidatorResult>>()
  pubsub.topicValidators.set(EVENTS_TOPIC, async (peer, message) => {
    const p = validate(peer, message.data)
    validating.add(p)
    const result = await p.finally(() => validating.delete(p))
    if (result === TopicValidatorResult.Accept) stats.accepted++
    else if (result === TopicValidatorResult.Reject) stats.rejected++
    else stats.ignored++
    return result
  })

  async function validate (peer: PeerId, data: Uint8Array): Promise<TopicValidatorResult> {
    if (data.length > MAX_GOSSIP_BYTES) return TopicValidatorResult.Reject
    let g: Gossip
    try {
      g = Gossip.decode(data)
    } catch (err) {
      log.debug({ code: 'GOSSIP_MALFORMED', peer: peer.toString() }, `rejected: the message does not decode: ${errorMessage(err)}`)
      return TopicValidatorResult.Reject
    }
    const kinds = (g.event.length > 0 ? 1 : 0) + (g.checkpoint.length > 0 ? 1 : 0) + (g.trustListSequence > 0n ? 1 : 0)
    if (kinds !== 1) {
      log.debug({ code: 'GOSSIP_MALFORMED', peer: peer.toString() }, 'rejected: a message must carry exactly one of event, checkpoint, trust-list sequence')
      return TopicValidatorResult.Reject
    }
    if (g.trustListSequence > 0n) return await trustAnnouncement(peer, Number(g.trustListSequence))
    try {
      if (g.checkpoint.length > 0) {
        await ledger.acceptCheckpoint(g.checkpoint)
        return TopicValidatorResult.Accept
      }
      const [r] = await ledger.acceptEvents([g.event])
      if (r === undefined || r.status === 'duplicate') return TopicValidatorResult.Ignore
      if (r.status === 'held' || r.status === 'ahead') {
        // Validly signed but ahead of the log here: it cannot be checked
        // against the chain yet, so it does not travel on (and earns its
        // sender nothing). The gap is closed by sync; the others get the
        // event from their own peers or by sync too.
        stats.ahead++
        // Only the author's own node is charged: a relay forwards what it
        // could accept and may honestly be ahead of us; an honest author
        // sends few events beyond the window between two gap syncs.
        if (r.status === 'ahead' && opts.trust?.byPeerId(peer.toString())?.party === r.author) opts.penalise?.(peer.toString(), AHEAD_EVENT_PENALTY)
        syncAfterGap(r.author, peer)
        return TopicValidatorResult.Ignore
      }
      // Accepted events and fork evidence travel on: the others must see an
      // equivocation too.
      return TopicValidatorResult.Accept
    } catch (err) {
      // Debug only: a flooding insider must not flood the log too (the rejections are counted in stats).
      if (err instanceof InvalidEventError) {
        log.debug({ code: err.code, reason: err.reason, peer: peer.toString() }, 'rejected: the event or checkpoint fails the ledger\'s checks')
        return TopicValidatorResult.Reject
      }
      // Our own trouble (e.g. closing): not the sender's fault.
      log.warn({ code: errorCode(err, 'GOSSIP_VALIDATION_FAILED'), peer: peer.toString() }, `ignored: could not validate a message: ${errorMessage(err)}`)
      return TopicValidatorResult.Ignore
    }
  }

  /**
   * A trust-list announcement travels on only once the list it names is held
   * here, fetched from the announcer and verified against the anchor; one
   * naming a list the announcer cannot produce is rejected.
   */
  async function trustAnnouncement (peer: PeerId, sequence: number): Promise<TopicValidatorResult> {
    const trust = opts.trust
    if (trust === undefined || sequence <= trust.sequence) return TopicValidatorResult.Ignore
    try {
      const r = await fetchTrustList(node, peer, trust)
      if (r.updated) {
        stats.trustListUpdates++
        log.info({ sequence: r.sequence, dropped: r.dropped.length, peer: peer.toString() }, 'a newer trust list was applied from gossip')
        opts.onTrustList?.({ sequence: r.sequence, dropped: r.dropped })
      }
      if (trust.sequence >= sequence) return TopicValidatorResult.Accept
      log.warn({ code: 'TRUST_LIST_NOT_PRODUCED', sequence, held: trust.sequence, peer: peer.toString() }, 'rejected: the announcer did not produce the trust list it announced')
      return TopicValidatorResult.Reject
    } catch (err) {
      log.warn({ code: errorCode(err, 'TRUST_LIST_FETCH_FAILED'), sequence, peer: peer.toString() }, `rejected a trust-list announcement: ${errorMessage(err)}`)
      return TopicValidatorResult.Reject
    }
  }

  const publish = (g: Gossip): void => {
    pubsub.publish(EVENTS_TOPIC, Gossip.encode(g)).catch((err: unknown) => {
      // Usually no subscribed peer yet: the events reach them by sync instead.
      log.debug({ code: errorCode(err, 'GOSSIP_NOT_PUBLISHED') }, `not published: ${errorMessage(err)}`)
    })
  }
  const unsubscribeOwn = ledger.onOwnEvent((e) => publish({ event: e.bytes as Uint8Array<ArrayBuffer>, checkpoint: EMPTY, trustListSequence: 0n }))
  pubsub.subscribe(EVENTS_TOPIC)

  return {
    stats,
    publishCheckpoint: async () => { publish({ event: EMPTY, checkpoint: (await ledger.checkpoint()).bytes as Uint8Array<ArrayBuffer>, trustListSequence: 0n }) },
    announceTrustList: () => { if (opts.trust !== undefined && opts.trust.sequence > 0) publish({ event: EMPTY, checkpoint: EMPTY, trustListSequence: BigInt(opts.trust.sequence) }) },
    stop: async () => {
      unsubscribeOwn()
      pubsub.topicValidators.delete(EVENTS_TOPIC)
      pubsub.unsubscribe(EVENTS_TOPIC)
      abort.abort()
      await Promise.allSettled([...validating, ...syncing.values()])
    }
  }
}

/**
 * This node's gossipsub score for a peer (network.md §3.1): below
 * GOSSIP_SCORE_THRESHOLDS.graylistThreshold its messages are dropped unread.
 * The score function is on gossipsub's implementation, not its interface.
 */
export function gossipScore (node: AuthorisedNode, peerId: string): number {
  const pubsub = node.services.pubsub as unknown as { getScore?: (id: string) => number }
  return pubsub.getScore?.(peerId) ?? 0
}
