/**
 * Submitting provisional claims (protocol-spec/network.md §7.1): a use this
 * node recorded while the issuer was unreachable is sent to the issuer once
 * it can be reached. The issuer answers with its signed CONSUMED event naming
 * the claim (confirmed) or a signed CLAIM_REFUSED event (refused); either is
 * kept in this node's replica of the issuer's log, where the claim's
 * resolution is read from. Until then the claim stays open and is retried.
 */
import type { Libp2p, PeerId } from '@libp2p/interface'
import type { Ledger } from '@cites/ledger'
import type { Signer } from '@cites/xml-signature'
import type { TrustStore } from '@cites/trust-list'
import { ProtocolError, requestConsumption } from '@cites/protocol'
import { within } from './within.js'

export interface ClaimSubmitter {
  /** Submit every open claim whose issuer is connected now. */
  runOnce: () => Promise<void>
  /** Answers received so far (confirmations and refusals), for tests and metrics. */
  readonly answered: number
  /** Why the last submission did not settle a claim (a refusal code or a network error), for status and logs. */
  readonly lastError: string | undefined
  stop: () => void
}

export interface ClaimSubmitterInit {
  libp2p: Libp2p
  ledger: Ledger
  trust: TrustStore
  signer: Signer
  party: string
  intervalMs: number
  timeoutMs: number
  keepEvent: (event: Uint8Array, author: string, from: PeerId) => Promise<void>
  peerOf: (party: string) => PeerId
  now: () => number
}

export function startClaimSubmitter (init: ClaimSubmitterInit): ClaimSubmitter {
  const { libp2p, ledger } = init
  let running: Promise<void> | undefined
  let stopped = false
  let answered = 0
  let lastError: string | undefined
  const runOnce = async (): Promise<void> => {
    if (running !== undefined) return await running
    running = (async () => {
      for (const c of await ledger.openClaims()) {
        if (stopped) return
        let issuer: PeerId
        try { issuer = init.peerOf(c.party) } catch { continue }
        // Only while connected: keepConnected does the dialling and backoff.
        if (libp2p.getConnections(issuer).length === 0) continue
        try {
          const out = await within(init.timeoutMs, requestConsumption(libp2p, issuer, {
            party: c.party, number: c.number, lines: c.lines, port: c.port, officer: c.officer, claim: { seq: c.seq, hash: c.hash, usedAt: c.time }
          }, { requester: init.party, signer: init.signer, trust: init.trust, now: init.now() }))
          const event = out.refusal ?? (out.code === 'OK' ? out.receipt?.event : undefined)
          if (event !== undefined) {
            answered++
            await init.keepEvent(event, c.party, issuer)
          } else {
            lastError = `${c.party}/${c.number}: ${out.code}: ${out.message}`
          }
          // Any other refusal (e.g. REQUEST_STALE after a clock step) leaves the claim open: retried next round.
        } catch (err) {
          lastError = `${c.party}/${c.number}: ${(err as Error).message}`
          if (!(err instanceof ProtocolError) && stopped) return
          // Unreachable again, or a malformed answer: retried next round.
        }
      }
    })().finally(() => { running = undefined })
    return await running
  }
  const timer = setInterval(() => { if (!stopped) void runOnce().catch(() => {}) }, init.intervalMs)
  timer.unref()
  return {
    runOnce,
    get answered () { return answered },
    get lastError () { return lastError },
    stop: () => { stopped = true; clearInterval(timer) }
  }
}
