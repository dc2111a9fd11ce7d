/**
 * The issuer's side of `/cites/consume` (network.md §7): the checks of the
 * signed request, in the spec's order (signature, requester = the stream's
 * peer, staleness, the shape of a claim), then the one ledger decision.
 */
import type { Libp2p, PeerId } from '@libp2p/interface'
import { AlreadyConsumedError, ClaimInvalidError, LedgerError, hex, verifyRecordSignature, type Ledger, type LineQty, type Receipt } from '@cites/ledger'
import type { TrustStore } from '@cites/trust-list'
import type { Logger } from '@cites/runtime'
import { ConsumeRequestBody, SignedConsumeRequest } from './pb/network.js'
import { CONSUME_REQUEST_MAX_AGE_MS } from './constants.js'
import { CONSUME_REQUEST_CONTEXT, consumeService, type ConsumeDecision, type ConsumePort } from './consume.js'
import { logFor } from './log.js'
import { startOn, type ProtocolService } from './rpc.js'

/** A use request for one of this node's own permits, as the ledger decides it. */
export interface UseRequest {
  party: string
  number: string
  /** The authority asking (the consuming party). */
  requester: string
  lines: LineQty[]
  /** UN/LOCODE of the port. */
  port: string
  officer?: string
  /** The requester's signed request bytes, kept in the CONSUMED event. */
  request?: Uint8Array
  /** Confirming a provisional use: the requester's PROVISIONAL_CONSUMED event and when the goods were cleared (ms). */
  claim?: { seq: number, hash: string, usedAt: number }
}

/** What the issuer decided about a use request, and wrote. */
export type UseOutcome =
  | { kind: 'consumed', receipt: Receipt, event: Uint8Array, repeated: boolean }
  | { kind: 'refused', code: string, message: string, event?: Uint8Array, receipt?: Receipt }

/**
 * The ledger's decision on a use request: the one place a use of this node's
 * own permits is decided (`/cites/consume` and the node's local path call
 * it). The destination rule, the compare-and-set, and the refusal events
 * (USE_REFUSED for a diverted copy, CLAIM_REFUSED for a claim the ledger
 * cannot confirm). Refusals are decided by error class, never by message.
 */
export async function decideUse (ledger: Ledger, req: UseRequest): Promise<UseOutcome> {
  if (req.party !== ledger.party) return { kind: 'refused', code: 'NOT_ISSUER', message: `this node writes ${ledger.party}'s permits, not ${req.party}'s` }
  const state = await ledger.status(req.party, req.number)
  if (state === undefined) return { kind: 'refused', code: 'PERMIT_NOT_FOUND', message: `${req.party}/${req.number} is not in the ledger` }
  if (state.state.destination !== req.requester) {
    // A permit for TH presented in CN: refuse, and put the attempt on the
    // signed record (USE_REFUSED), which alerts the destination too.
    await ledger.refuseUse(req.number, { requester: req.requester, port: req.port, code: 'NOT_DESTINATION', message: `${req.requester} is not the destination` })
    // A diverted copy of a permit already used: the first receipt is the evidence.
    const used = state.state.consumption
    const [first] = used !== undefined ? await ledger.eventsFrom(req.party, used.seq, 1) : []
    return {
      kind: 'refused',
      code: 'NOT_DESTINATION',
      message: `${req.party}/${req.number} is for ${state.state.destination}, not ${req.requester}${used !== undefined ? `; it was already used on ${used.consumedAt} at ${used.port}` : ''}`,
      ...(first !== undefined ? { event: first } : {})
    }
  }
  const claim = req.claim !== undefined ? { seq: req.claim.seq, hash: req.claim.hash } : undefined
  try {
    const receipt = await ledger.consume(req.party, req.number, {
      lines: req.lines, port: req.port, ...(req.officer !== undefined ? { officer: req.officer } : {}), consumingParty: req.requester,
      ...(req.request !== undefined ? { request: req.request } : {}),
      ...(claim !== undefined && req.claim !== undefined ? { claim, usedAt: req.claim.usedAt } : {})
    })
    const [event] = await ledger.eventsFrom(req.party, receipt.seq, 1)
    // Today's ledger does not say whether a claim was confirmed before (it answers the first receipt again).
    return { kind: 'consumed', receipt, event: event ?? new Uint8Array(0), repeated: false }
  } catch (err) {
    if (!(err instanceof LedgerError)) throw err
    if (claim !== undefined && !(err instanceof ClaimInvalidError)) {
      // A provisional use the ledger cannot confirm: refused in a signed
      // CLAIM_REFUSED event (gossiped to all, an alert at both authorities).
      const evidence = err instanceof AlreadyConsumedError ? err.receipt.seq : undefined
      const { event } = await ledger.refuseClaim(req.number, { claimant: req.requester, ...claim }, err.code, err.message, evidence)
      return { kind: 'refused', code: err.code, message: err.message, event }
    }
    if (err instanceof AlreadyConsumedError) {
      const [first] = await ledger.eventsFrom(req.party, err.receipt.seq, 1)
      return { kind: 'refused', code: err.code, message: err.message, receipt: err.receipt, ...(first !== undefined ? { event: first } : {}) }
    }
    return { kind: 'refused', code: err.code, message: err.message }
  }
}

export interface LedgerConsumePortInit {
  ledger: Ledger
  trust: TrustStore
  /** @default Date.now */
  now?: () => number
  log?: Logger
}

/** The consume port of an issuer's node: the request's checks, then {@link decideUse}. */
export function ledgerConsumePort (init: LedgerConsumePortInit): ConsumePort {
  const now = init.now ?? Date.now
  const log = logFor(init.log, 'consume')
  const refuse = (code: string, message: string, malformed = false): ConsumeDecision => ({ kind: 'refused', code, message, ...(malformed ? { malformed } : {}) })
  return {
    decide: async (request: Uint8Array, remote: PeerId): Promise<ConsumeDecision> => {
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
      if (Math.abs(now() - Number(body.time)) > CONSUME_REQUEST_MAX_AGE_MS) {
        log.info({ code: 'REQUEST_STALE', requester: body.requester, skewMs: now() - Number(body.time) }, 'a consumption request is stale (clocks apart?)')
        return refuse('REQUEST_STALE', 'the request is too old (or from the future)')
      }
      const isClaim = body.claimSeq !== 0n || body.claimHash.length > 0 || body.usedAt !== 0n
      if (isClaim && (body.claimSeq === 0n || body.claimHash.length !== 32 || body.usedAt === 0n)) return refuse('CLAIM_INVALID', 'a claim names its event (seq, 32-byte hash) and its time of use', true)
      const outcome = await decideUse(init.ledger, {
        party: body.party, number: body.number, requester: body.requester, port: body.port, officer: body.officer, request,
        lines: body.lines.map((l) => ({ line: l.line, quantity: l.quantity, unit: l.unit })),
        ...(isClaim ? { claim: { seq: Number(body.claimSeq), hash: hex(body.claimHash), usedAt: Number(body.usedAt) } } : {})
      })
      if (outcome.kind === 'consumed') {
        log.debug({ party: body.party, number: body.number, requester: body.requester, claim: isClaim }, 'use recorded')
        return { kind: 'consumed', event: outcome.event }
      }
      log.info({ code: outcome.code, party: body.party, number: body.number, requester: body.requester, claim: isClaim }, 'use refused')
      return { kind: 'refused', code: outcome.code, message: outcome.message, ...(outcome.event !== undefined ? { event: outcome.event } : {}) }
    }
  }
}

/** Serve /cites/consume/1.0.0 for this node's own permits on a running node (tests and tools). */
export async function handleConsume (libp2p: Libp2p, ledger: Ledger, opts: { trust: TrustStore, now?: () => number }): Promise<ProtocolService> {
  return await startOn(libp2p, consumeService({ port: ledgerConsumePort({ ledger, ...opts }) }))
}
