/**
 * Keep connections up to every authorised peer: dial the addresses the trust
 * list gives for each granted authority, and when a connection drops, dial
 * again with exponential backoff (with jitter, capped). Peers that leave the
 * list are forgotten; the gater refuses them anyway. The sweep of the whole
 * list is a background worker; each peer's redial has its own backoff.
 */
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Libp2p } from '@libp2p/interface'
import type { Authority } from '@cites/trust-list'
import { errorCode, errorMessage, startWorker, type Logger, type WorkerStats } from '@cites/runtime'
import { logFor, loggedElsewhere } from './log.js'

export interface KeepConnectedOptions {
  /** First retry delay. @default 500 */
  minBackoffMs?: number
  /** Longest delay between retries. @default 30000 */
  maxBackoffMs?: number
  /** How often the whole list is re-checked. @default 5000 */
  sweepMs?: number
  log?: Logger
}

export interface KeepConnected {
  /** Dial attempts made so far (for tests and metrics). */
  readonly attempts: number
  /** Sweeps of the list run and failed. */
  readonly stats: WorkerStats
  /** Re-read the trust list and dial every missing peer now, forgetting backoff (after a new list, or a healed partition). */
  refresh: () => void
  /** Stop dialling and wait for the sweep in progress. */
  stop: () => Promise<void>
}

/** Start keeping `libp2p` connected to the authorities `peers()` returns. */
export function keepConnected (libp2p: Libp2p, peers: () => readonly Authority[], opts: KeepConnectedOptions = {}): KeepConnected {
  const min = opts.minBackoffMs ?? 500
  const max = opts.maxBackoffMs ?? 30_000
  const log = logFor(opts.log, 'keep-connected')
  const self = libp2p.peerId.toString()
  const state = new Map<string, { failures: number, timer?: NodeJS.Timeout, dialling: boolean }>()
  let attempts = 0
  let stopped = false

  const wanted = (): Map<string, Authority> => new Map(peers()
    .filter((a) => a.status === 'granted' && a.peerId !== self && a.addresses.length > 0)
    .map((a) => [a.peerId, a]))

  const schedule = (peerId: string, delay: number): void => {
    const s = state.get(peerId)
    if (s === undefined || stopped || s.timer !== undefined) return
    s.timer = setTimeout(() => { s.timer = undefined; void dial(peerId) }, delay)
    s.timer.unref()
  }

  const dial = async (peerId: string): Promise<void> => {
    const a = wanted().get(peerId)
    const s = state.get(peerId)
    if (a === undefined || s === undefined || stopped || s.dialling) return
    if (libp2p.getConnections(peerIdFromString(peerId)).length > 0) { s.failures = 0; return }
    s.dialling = true
    attempts++
    try {
      await libp2p.dial(a.addresses.map((x) => multiaddr(`${x}/p2p/${peerId}`)), { signal: AbortSignal.timeout(10_000) })
      if (s.failures > 0) log.info({ party: a.party, failures: s.failures }, 'connected again')
      s.failures = 0
    } catch (err) {
      s.failures++
      // Exponential backoff with jitter, so a restarted network does not
      // redial in lockstep.
      const base = Math.min(max, min * 2 ** Math.min(s.failures - 1, 16))
      const delay = base / 2 + Math.random() * base / 2
      // A peer that is down or restarting is churn: debug; one down for long is worth a warning, once.
      log[s.failures === 10 ? 'warn' : 'debug']({ code: errorCode(err, 'DIAL_FAILED'), party: a.party, failures: s.failures, retryMs: Math.round(delay) }, `dial failed: ${errorMessage(err)}`)
      schedule(peerId, delay)
    } finally {
      s.dialling = false
    }
  }

  const sweep = async (): Promise<void> => {
    const w = wanted()
    for (const [id, s] of state) {
      if (!w.has(id)) { clearTimeout(s.timer); state.delete(id) }
    }
    for (const id of w.keys()) {
      const fresh = !state.has(id)
      if (fresh) state.set(id, { failures: 0, dialling: false })
      // Two nodes dialling each other at once make two connections (two
      // handshakes). The node with the lower peer ID dials first; the other
      // gives it a moment, and dials only if no connection came in.
      if (libp2p.getConnections(peerIdFromString(id)).length === 0) schedule(id, fresh && self > id ? 1000 + Math.random() * 1000 : 0)
    }
  }

  const onDisconnect = (evt: CustomEvent<{ toString: () => string }>): void => {
    const id = evt.detail.toString()
    const s = state.get(id)
    if (s !== undefined) schedule(id, Math.min(max, min * 2 ** Math.min(s.failures, 16)))
  }
  libp2p.addEventListener('peer:disconnect', onDisconnect as never)
  const worker = startWorker({ name: 'keep-connected', intervalMs: opts.sweepMs ?? 5000, run: sweep, log, runAtStart: true })

  return {
    get attempts () { return attempts },
    stats: worker.stats,
    refresh: () => {
      // A new list or a healed partition: dial now, not after the backoff.
      for (const s of state.values()) {
        if (s.dialling) continue
        clearTimeout(s.timer)
        s.timer = undefined
        s.failures = 0
      }
      worker.trigger().catch(loggedElsewhere)
    },
    stop: async () => {
      stopped = true
      libp2p.removeEventListener('peer:disconnect', onDisconnect as never)
      for (const s of state.values()) clearTimeout(s.timer)
      state.clear()
      await worker.stop()
    }
  }
}
