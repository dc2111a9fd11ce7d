/**
 * Gossip of signed log events and checkpoints on `cites/events/1`
 * (protocol-spec/network.md). The topic validator hands every message to the
 * ledger's checks before gossipsub forwards it: anything that fails is
 * `Reject`ed (and counts against the sender's score); duplicates are
 * `Ignore`d. An event that arrives after a gap triggers a sync of that log
 * with the peer that forwarded it.
 */
import { TopicValidatorResult } from '@libp2p/gossipsub'
import type { PeerId } from '@libp2p/interface'
import { InvalidEventError, type Ledger } from '@cites/ledger'
import { Gossip } from './pb/network.js'
import { EVENTS_TOPIC, MAX_GOSSIP_BYTES } from './constants.js'
import type { AuthorisedNode } from './node.js'
import { syncLog } from './sync.js'

/** Counts of validation outcomes (for tests and metrics). */
export interface GossipStats {
  accepted: number
  ignored: number
  rejected: number
  /** Syncs started because an event arrived after a gap. */
  gapSyncs: number
}

export interface EventGossip {
  stats: GossipStats
  /** Publish a checkpoint of this node's log now. */
  publishCheckpoint: () => Promise<void>
  stop: () => void
}

const EMPTY = new Uint8Array(0)

/** Subscribe, validate through the ledger, and publish this node's own events. */
export function startEventGossip (node: AuthorisedNode, ledger: Ledger): EventGossip {
  const pubsub = node.services.pubsub
  const stats: GossipStats = { accepted: 0, ignored: 0, rejected: 0, gapSyncs: 0 }
  const syncing = new Set<string>()

  const syncAfterGap = (author: string, from: PeerId): void => {
    if (syncing.has(author)) return
    syncing.add(author)
    stats.gapSyncs++
    syncLog(node, from, ledger, author)
      .catch(() => { /* the next event or a later sync will retry */ })
      .finally(() => syncing.delete(author))
  }

  pubsub.topicValidators.set(EVENTS_TOPIC, async (peer, message) => {
    const result = await validate(peer, message.data)
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
    } catch {
      return TopicValidatorResult.Reject
    }
    if ((g.event.length > 0) === (g.checkpoint.length > 0)) return TopicValidatorResult.Reject
    try {
      if (g.checkpoint.length > 0) {
        await ledger.acceptCheckpoint(g.checkpoint)
        return TopicValidatorResult.Accept
      }
      const [r] = await ledger.acceptEvents([g.event])
      if (r === undefined || r.status === 'duplicate') return TopicValidatorResult.Ignore
      if (r.status === 'held') syncAfterGap(r.author, peer)
      // Accepted, held (validly signed, ahead of us) and fork evidence all
      // travel on: the others must see an equivocation too.
      return TopicValidatorResult.Accept
    } catch (err) {
      if (err instanceof InvalidEventError) return TopicValidatorResult.Reject
      return TopicValidatorResult.Ignore // our own trouble (e.g. closing): not the sender's fault
    }
  }

  const publish = (g: Gossip): void => {
    pubsub.publish(EVENTS_TOPIC, Gossip.encode(g)).catch(() => {
      // No subscribed peer yet: the events reach them by sync instead.
    })
  }
  const unsubscribeOwn = ledger.onOwnEvent((e) => publish({ event: e.bytes as Uint8Array<ArrayBuffer>, checkpoint: EMPTY }))
  pubsub.subscribe(EVENTS_TOPIC)

  return {
    stats,
    publishCheckpoint: async () => { publish({ event: EMPTY, checkpoint: (await ledger.checkpoint()).bytes as Uint8Array<ArrayBuffer> }) },
    stop: () => {
      unsubscribeOwn()
      pubsub.topicValidators.delete(EVENTS_TOPIC)
      pubsub.unsubscribe(EVENTS_TOPIC)
    }
  }
}
