/**
 * The issuer's side of `/cites/consume` (network.md §7): the checks of the
 * signed request, in the spec's order (the requester's budget, signature,
 * requester = the stream's peer, staleness, a nonce not seen before, the
 * shape of a claim), then the ledger's one use decision (`Ledger.decideUse`:
 * the destination rule, the compare-and-set, claims checked against the
 * claimant's log, confirmed or refused, the refusal events). Every refusal
 * is charged to the requesting peer (misbehaviour.ts).
 */
import type { Libp2p, PeerId } from '@libp2p/interface'
import { hex, isActor, verifyRecordSignature, type Ledger } from '@cites/ledger'
import type { TrustStore } from '@cites/trust-list'
import { errorMessage, type Logger } from '@cites/runtime'
import { ConsumeRequestBody, SignedConsumeRequest } from './pb/network.js'
import { CONSUME_NONCE_WINDOW_MS, CONSUME_REQUEST_MAX_AGE_MS, MAX_CONSUME_NONCES } from './constants.js'
import { CONSUME_REQUEST_CONTEXT, consumeService, type ConsumeDecision, type ConsumePort } from './consume.js'
import { Misbehaviour } from './misbehaviour.js'
import { logFor } from './log.js'
import { startOn, type ProtocolService } from './rpc.js'

export interface LedgerConsumePortInit {
  ledger: Ledger
  trust: TrustStore
  /** @default Date.now */
  now?: () => number
  log?: Logger
  /**
   * The per-peer refusal budget and penalties; pass the node's own to share
   * it with the gossip score. @default a new one
   */
  misbehaviour?: Misbehaviour
  /**
   * Bring `author`'s log up to date from `peer` (its own node): called once
   * when a claim names an event not held yet, before answering CLAIM_UNKNOWN.
   */
  catchUp?: (author: string, peer: PeerId) => Promise<void>
}

/** Nonces seen within the freshness window, oldest first (Map keeps insertion order). */
class NonceWindow {
  readonly #seen = new Map<string, number>()
  /** True the first time a nonce is offered within the window. */
  fresh (key: string, now: number): boolean {
    for (const [k, at] of this.#seen) {
      if (at > now - CONSUME_NONCE_WINDOW_MS && this.#seen.size < MAX_CONSUME_NONCES) break
      this.#seen.delete(k)
    }
    if (this.#seen.has(key)) return false
    this.#seen.set(key, now)
    return true
  }
}

/** The consume port of an issuer's node: the request's checks, then `Ledger.decideUse`. */
export function ledgerConsumePort (init: LedgerConsumePortInit): ConsumePort {
  const now = init.now ?? Date.now
  const log = logFor(init.log, 'consume')
  const misbehaviour = init.misbehaviour ?? new Misbehaviour({ now })
  const nonces = new NonceWindow()

  const decide = async (request: Uint8Array, remote: PeerId): Promise<ConsumeDecision> => {
    const refuse = (code: string, message: string, malformed = false): ConsumeDecision => ({ kind: 'refused', code, message, ...(malformed ? { malformed } : {}) })
    let signed: SignedConsumeRequest
    let body: ConsumeRequestBody
    try {
      signed = SignedConsumeRequest.decode(request)
      body = ConsumeRequestBody.decode(signed.body, { limits: { lines: 100 } })
    } catch (err) {
      log.debug({ code: 'MALFORMED', peer: remote.toString() }, `the signed request does not decode: ${(err as Error).message}`)
      return refuse('MALFORMED', 'the signed request does not decode', true)
    }
    // The request must be signed by the requester's authority, and come from
    // that authority's node: a relay cannot ask in someone else's name.
    const sig = await verifyRecordSignature(init.trust.certificatesFor(body.requester), body.certSha256, Number(body.time), CONSUME_REQUEST_CONTEXT, signed.body, signed.signature)
    if (sig !== 'OK') {
      log.warn({ code: 'REQUEST_SIGNATURE_INVALID', requester: body.requester, peer: remote.toString(), signature: sig }, 'a consumption request is not validly signed')
      return refuse('REQUEST_SIGNATURE_INVALID', `the request is not validly signed by ${body.requester} (${sig})`)
    }
    if (init.trust.byPeerId(remote.toString())?.party !== body.requester) {
      log.warn({ code: 'REQUESTER_NOT_PEER', requester: body.requester, peer: remote.toString() }, 'a consumption request came from another node than the requester\'s')
      return refuse('REQUESTER_NOT_PEER', 'the request must come from the requesting authority\'s own node')
    }
    const at = now()
    if (Math.abs(at - Number(body.time)) > CONSUME_REQUEST_MAX_AGE_MS) {
      log.info({ code: 'REQUEST_STALE', requester: body.requester, skewMs: at - Number(body.time) }, 'a consumption request is stale (clocks apart?)')
      return refuse('REQUEST_STALE', 'the request is too old (or from the future)')
    }
    // A request is used once (network.md §7): a replay within the window is refused.
    if (body.nonce.length !== 16) return refuse('MALFORMED', 'the nonce must be 16 bytes', true)
    if (!nonces.fresh(`${body.requester}:${hex(body.nonce)}`, at)) {
      log.warn({ code: 'REQUEST_REPLAYED', requester: body.requester }, 'a consumption request was replayed')
      return refuse('REQUEST_REPLAYED', 'this request was received before (its nonce is spent)')
    }
    // An actor is an account ID (ledger.md §2.3), never free text the issuer would sign into its log.
    if (body.actor !== undefined && !isActor(body.actor)) return refuse('MALFORMED', 'the actor must be an account ID (1 to 64 of A-Z a-z 0-9 _ -)', true)
    const isClaim = body.claimSeq !== 0n || body.claimHash.length > 0 || body.usedAt !== 0n
    if (isClaim && (body.claimSeq === 0n || body.claimHash.length !== 32 || body.usedAt === 0n)) return refuse('CLAIM_INVALID', 'a claim names its event (seq, 32-byte hash) and its time of use', true)
    const ask = {
      party: body.party, number: body.number, requester: body.requester, port: body.port, officer: body.officer, request,
      ...(body.actor === undefined ? {} : { actor: body.actor }),
      lines: body.lines.map((l) => ({ line: l.line, quantity: l.quantity, unit: l.unit })),
      ...(isClaim ? { claim: { seq: Number(body.claimSeq), hash: hex(body.claimHash), usedAt: Number(body.usedAt) } } : {})
    }
    let outcome = await init.ledger.decideUse(ask)
    if (outcome.kind === 'refused' && outcome.code === 'CLAIM_UNKNOWN' && init.catchUp !== undefined) {
      // The claim may be newer than our replica of the claimant's log: fetch it from the claimant's node, then judge once more.
      try {
        await init.catchUp(body.requester, remote)
        outcome = await init.ledger.decideUse(ask)
      } catch (err) {
        log.debug({ code: 'CLAIM_UNKNOWN', requester: body.requester }, `could not sync the claimant's log: ${errorMessage(err)}`)
      }
    }
    if (outcome.kind === 'consumed') {
      log.debug({ party: body.party, number: body.number, requester: body.requester, claim: isClaim }, 'use recorded')
      return { kind: 'consumed', event: outcome.event }
    }
    log.info({ code: outcome.code, party: body.party, number: body.number, requester: body.requester, claim: isClaim }, 'use refused')
    return { kind: 'refused', code: outcome.code, message: outcome.message, ...(outcome.event !== undefined ? { event: outcome.event } : {}) }
  }

  return {
    decide: async (request: Uint8Array, remote: PeerId): Promise<ConsumeDecision> => {
      const peer = remote.toString()
      // A peer whose refusals spent its budget is not served until it refills: no decoding, no ledger work.
      if (!misbehaviour.admits(peer)) return { kind: 'refused', code: 'PEER_RATE_LIMITED', message: 'too many of this node\'s requests were refused lately; ask again later' }
      const d = await decide(request, remote)
      if (d.kind === 'refused') misbehaviour.refused(peer, d.code)
      return d
    }
  }
}

/** Serve /cites/consume/2.0.0 for this node's own permits on a running node (tests and tools). */
export async function handleConsume (libp2p: Libp2p, ledger: Ledger, opts: { trust: TrustStore, now?: () => number }): Promise<ProtocolService> {
  return await startOn(libp2p, consumeService({ port: ledgerConsumePort({ ledger, ...opts }) }))
}
