/**
 * Anti-entropy: every log is caught up from the network, each from its
 * author when connected, else from any peer holding a replica. Then every
 * replica is compared with every connected peer's (one heads exchange per
 * peer, crossCheckPeer): an author that showed different nodes different
 * logs (a split view) is found there, not by asking the author. Runs when a
 * peer connects (its own log, and the claims it owes an answer to), and
 * periodically as a background worker. The heads exchange also measures
 * each peer's clock against ours (network.md §4.2): the latest sample per
 * connected peer is kept in `clocks`, and a peer that disconnects is
 * forgotten.
 */
import type { PeerId } from '@libp2p/interface'
import type { Ledger } from '@cites/ledger'
import type { TrustStore } from '@cites/trust-list'
import { errorCode, errorMessage, FreshRuns, startWorker, within, type Logger, type WorkerStats } from '@cites/runtime'
import { ClockOffsets, crossCheckPeer, logFor, RemoteRefusedError, Status, syncLog, type AuthorisedNode } from '@cites/protocol'
import { InvalidEventError } from '@cites/ledger'

export interface CatchUp {
  /**
   * Catch `author`'s log up from `from`, by a sync that starts after this
   * call (one sync per author and peer at a time: a call during a sync waits
   * for it and shares the one that follows). Resolves true when caught up
   * to the peer's log, false when the sync failed or ended short of it.
   * Never throws: a failure is logged and retried later.
   */
  syncAuthor: (author: string, from: PeerId) => Promise<boolean>
  /**
   * What a check that must see `author`'s log as it is now waits for (the
   * import permit and re-export checks, a claim): syncAuthor, bounded by
   * CHECK_SYNC_TIMEOUT_MS. False, logged for `before`, when not caught up in time.
   */
  caughtUp: (author: string, from: PeerId, before: string) => Promise<boolean>
  /** Catch every listed authority's log up now (joins a round in progress, then runs one more). */
  syncAll: () => Promise<void>
  readonly stats: WorkerStats
  /** The latest clock sample of each connected peer, by party (from the heads exchange). */
  readonly clocks: ClockOffsets
  stop: () => Promise<void>
}

/** How long a check waits for a log to be caught up before it judges the replica as it is. */
export const CHECK_SYNC_TIMEOUT_MS = 3000

export interface CatchUpInit {
  libp2p: AuthorisedNode
  ledger: Ledger
  trust: TrustStore
  party: string
  intervalMs: number
  /** The connected authorised peers, by party. */
  connectedParties: () => Map<string, PeerId>
  /** A listed peer (re)connected (after its log was asked for). */
  onPeer?: (party: string) => void
  /** The node's clock (ms), against which peers' clocks are measured. @default Date.now */
  now?: () => number
  log?: Logger
}

export function startCatchUp (init: CatchUpInit): CatchUp {
  const { libp2p, ledger, trust } = init
  const log = logFor(init.log, 'sync')
  const syncing = new FreshRuns<boolean>()
  // Aborted by stop(): a sync in progress ends at once instead of after its page.
  const abort = new AbortController()
  const clocks = new ClockOffsets()

  // A caller shares only a sync begun after its call (FreshRuns says why).
  const syncAuthor = async (author: string, from: PeerId): Promise<boolean> => await syncing.run(`${author}@${from.toString()}`, async () => {
    if (abort.signal.aborted) return false // stopping: a queued sync does not start
    try {
      const r = await syncLog(libp2p, from, ledger, author, { signal: abort.signal })
      if (r.accepted > 0) log.debug({ author, accepted: r.accepted, pages: r.pages, size: r.size }, 'caught up')
      // A sync can end short of the peer's log (a fork, a hole, a conflict, the page limit): not caught up.
      return r.size >= r.peerSize
    } catch (err) {
      if (abort.signal.aborted) return false // stopping
      // The author's own node (its granted management authority) holds no log of itself: it signed nothing yet, so there is nothing to catch up.
      const answerer = trust.byPeerId(from.toString())
      if (err instanceof RemoteRefusedError && err.status === Status.NOT_FOUND && answerer?.party === author && answerer.role === 'management-authority' && answerer.status === 'granted') return true
      // Unreachable or refused: the next round retries. A forged page is the answerer's fault.
      log[err instanceof InvalidEventError ? 'warn' : 'debug']({ code: errorCode(err, 'SYNC_FAILED'), author, peer: trust.byPeerId(from.toString())?.party }, `sync failed: ${errorMessage(err)}`)
      return false
    }
  })

  const caughtUp = async (author: string, from: PeerId, before: string): Promise<boolean> => {
    try {
      if (await within(CHECK_SYNC_TIMEOUT_MS, syncAuthor(author, from))) return true
      log.info({ code: 'SYNC_FAILED', author }, `${author}'s log could not be caught up before ${before}`)
    } catch (err) {
      log.info({ code: errorCode(err, 'SYNC_FAILED'), author }, `${author}'s log could not be caught up before ${before}: ${errorMessage(err)}`)
    }
    return false
  }

  const syncAll = async (): Promise<void> => {
    const peers = init.connectedParties()
    const anyPeer = [...peers.values()]
    const authors = new Set((trust.current?.list.authorities ?? []).filter((a) => a.role === 'management-authority').map((a) => a.party))
    for (const a of ledger.authors()) authors.add(a)
    authors.delete(init.party)
    await Promise.all([...authors].map(async (author) => {
      const from = peers.get(author) ?? anyPeer[Math.floor(Math.random() * anyPeer.length)]
      if (from !== undefined) await syncAuthor(author, from)
    }))
    // One peer after the other: each comparison sees what the one before took.
    for (const [party, peer] of peers) {
      if (abort.signal.aborted) return
      try {
        const r = await crossCheckPeer(libp2p, peer, ledger, { signal: abort.signal, log, ...(init.now !== undefined ? { now: init.now } : {}) })
        if (r.clock !== undefined) clocks.record(party, r.clock)
        if (r.equivocations > 0) log.warn({ code: 'EQUIVOCATION', peer: party, found: r.equivocations }, 'a split view found by comparing replicas with a peer')
      } catch (err) {
        if (abort.signal.aborted) return
        log.debug({ code: errorCode(err, 'SYNC_FAILED'), peer: party }, `cross-check failed: ${errorMessage(err)}`)
      }
    }
  }

  const onConnect = (evt: CustomEvent<PeerId>): void => {
    const a = trust.byPeerId(evt.detail.toString())
    if (a === undefined || abort.signal.aborted) return
    // A peer that (re)appears: take its own log from it.
    void syncAuthor(a.party, evt.detail)
    init.onPeer?.(a.party)
  }
  // A disconnected peer's clock no longer speaks for the network.
  const onDisconnect = (evt: CustomEvent<PeerId>): void => {
    const a = trust.byPeerId(evt.detail.toString())
    if (a !== undefined) clocks.forget(a.party)
  }
  libp2p.addEventListener('peer:connect', onConnect)
  libp2p.addEventListener('peer:disconnect', onDisconnect)
  const worker = startWorker({ name: 'sync', intervalMs: init.intervalMs, run: syncAll, log })

  return {
    syncAuthor,
    caughtUp,
    syncAll: worker.trigger,
    stats: worker.stats,
    clocks,
    stop: async () => {
      abort.abort()
      libp2p.removeEventListener('peer:connect', onConnect)
      libp2p.removeEventListener('peer:disconnect', onDisconnect)
      await worker.stop()
      await Promise.allSettled(syncing.pending())
    }
  }
}
