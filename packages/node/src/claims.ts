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
import { errorCode, errorMessage, startWorker, within, type Logger, type WorkerStats } from '@cites/runtime'
import { logFor, ProtocolError, requestConsumption } from '@cites/protocol'

export interface ClaimSubmitter {
  /** Submit every open claim whose issuer is connected now (joins a round in progress, then runs one more). */
  runOnce: () => Promise<void>
  /** Answers received so far (confirmations and refusals), for tests and metrics. */
  readonly answered: number
  /** Why the last submission did not settle a claim (a refusal code or a network error), for status and logs. */
  readonly lastError: string | undefined
  readonly stats: WorkerStats
  /** Stop the worker and wait for a round in progress. */
  stop: () => Promise<void>
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
  log?: Logger
}

export function startClaimSubmitter (init: ClaimSubmitterInit): ClaimSubmitter {
  const { libp2p, ledger } = init
  const log = logFor(init.log, 'claims')
  let answered = 0
  let lastError: string | undefined

  const pass = async (signal: AbortSignal): Promise<void> => {
    for (const c of await ledger.openClaims()) {
      if (signal.aborted) return
      let issuer: PeerId
      try {
        issuer = init.peerOf(c.party)
      } catch (err) {
        log.debug({ code: errorCode(err), party: c.party, number: c.number }, 'the issuer is not on the trust list: the claim waits')
        continue
      }
      // Only while connected: keepConnected does the dialling and backoff.
      if (libp2p.getConnections(issuer).length === 0) continue
      try {
        const out = await within(init.timeoutMs, requestConsumption(libp2p, issuer, {
          // The account that recorded the claim asks for its confirmation: the issuer's CONSUMED names it (ledger.md §2.3).
          party: c.party, number: c.number, lines: c.lines, port: c.port, ...(c.actor !== undefined ? { actor: c.actor } : { officer: c.officer }), claim: { seq: c.seq, hash: c.hash, usedAt: c.time }
        }, { requester: init.party, signer: init.signer, trust: init.trust, now: init.now(), signal }))
        const event = out.refusal ?? (out.code === 'OK' ? out.receipt?.event : undefined)
        if (event !== undefined) {
          answered++
          log.info({ code: out.code, party: c.party, number: c.number, seq: c.seq }, out.code === 'OK' ? 'claim confirmed by the issuer' : 'claim refused by the issuer')
          await init.keepEvent(event, c.party, issuer)
        } else {
          // Any other refusal (e.g. REQUEST_STALE after a clock step) leaves the claim open: retried next round.
          lastError = `${c.party}/${c.number}: ${out.code}: ${out.message}`
          log.warn({ code: out.code, party: c.party, number: c.number, seq: c.seq }, `claim not settled: ${out.message}`)
        }
      } catch (err) {
        lastError = `${c.party}/${c.number}: ${errorMessage(err)}`
        if (signal.aborted) return
        // A malformed answer is the issuer's fault (warn); unreachable again is churn. Either way retried next round.
        log[err instanceof ProtocolError ? 'warn' : 'debug']({ code: errorCode(err, 'ISSUER_UNREACHABLE'), party: c.party, number: c.number, seq: c.seq }, `claim not submitted: ${errorMessage(err)}`)
      }
    }
  }
  const worker = startWorker({ name: 'claims', intervalMs: init.intervalMs, run: pass, log })
  return {
    runOnce: worker.trigger,
    get answered () { return answered },
    get lastError () { return lastError },
    stats: worker.stats,
    stop: async () => { await worker.stop() }
  }
}
