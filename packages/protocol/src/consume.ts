/**
 * /cites/consume/2.0.0: the destination authority asks the issuer to record
 * the use of a permit at import. The request is signed with the destination's
 * permit-signing key; the issuer runs the ledger's compare-and-set (single
 * writer, synced) and answers with its signed CONSUMED event (the receipt) or
 * a refusal with evidence: for ALREADY_CONSUMED, the first receipt.
 */
import { randomBytes } from 'node:crypto'
import type { Libp2p, PeerId } from '@libp2p/interface'
import {
  decodeEvent, hex, signRecord, verifyEventSignature, ClaimRefusedBody, ConsumedBody, EventType, type LineQty, type Receipt
} from '@cites/ledger'
import { canonicalPermitNumber, samePermitNumber } from '@cites/permit'
import type { Signer } from '@cites/xml-signature'
import type { TrustStore } from '@cites/trust-list'
import type { Logger } from '@cites/runtime'
import { ConsumeRequest, ConsumeRequestBody, ConsumeResponse, SignedConsumeRequest, Status } from './pb/network.js'
import { CONSUME_PROTOCOL, MAX_CONSUME_REQUEST_BYTES, MAX_CONSUME_RESPONSE_BYTES } from './constants.js'
import { ask, rpcService, type ProtocolService, type ProtocolServiceComponents } from './rpc.js'
import { MalformedResponseError, RemoteRefusedError } from './errors.js'
import { logFor } from './log.js'

export const CONSUME_REQUEST_CONTEXT = new TextEncoder().encode('CITES-CONSUME-REQUEST-1\n')
const EMPTY = new Uint8Array(0)

export interface ConsumeAsk {
  party: string
  number: string
  lines: LineQty[]
  port: string
  /** Free text; not sent when `actor` is given (ledger.md §2.3: the signed request is kept in the issuer's CONSUMED event, gossiped to all). */
  officer?: string
  /** The requesting officer's account ID at the requester: the issuer writes it as the CONSUMED event's actor. */
  actor?: string
  /** Submitting a provisional use: the requester's PROVISIONAL_CONSUMED event and when the goods were cleared. */
  claim?: { seq: number, hash: string, usedAt: number }
}

/** Sign a consumption request as `requester`'s authority. */
export async function signConsumeRequest (req: ConsumeAsk, requester: string, signer: Signer, now = Date.now()): Promise<Uint8Array> {
  const body = ConsumeRequestBody.encode({
    party: req.party, number: req.number, lines: req.lines, port: req.port, officer: req.actor === undefined ? req.officer ?? '' : '', requester,
    ...(req.actor === undefined ? {} : { actor: req.actor }),
    time: BigInt(now), certSha256: Buffer.from(signer.certificate.sha256, 'hex') as unknown as Uint8Array<ArrayBuffer>,
    nonce: randomBytes(16) as unknown as Uint8Array<ArrayBuffer>,
    claimSeq: BigInt(req.claim?.seq ?? 0),
    claimHash: (req.claim === undefined ? EMPTY : Buffer.from(req.claim.hash, 'hex')) as Uint8Array<ArrayBuffer>,
    usedAt: BigInt(req.claim?.usedAt ?? 0)
  })
  const signature = await signRecord(CONSUME_REQUEST_CONTEXT, body, signer)
  return SignedConsumeRequest.encode({ body, signature: signature as Uint8Array<ArrayBuffer> })
}

/** The issuer's decision on a signed consumption request, as the wire answer carries it. */
export type ConsumeDecision =
  | { kind: 'consumed', /** The signed CONSUMED event: the receipt. */ event: Uint8Array }
  | {
    kind: 'refused'
    code: string
    message: string
    /** Evidence: the first CONSUMED event, or the signed CLAIM_REFUSED. */
    event?: Uint8Array
    /** The request broke the protocol (answered MALFORMED rather than REFUSED). */
    malformed?: boolean
  }

/** What /cites/consume answers from: the issuer's decision on the signed request bytes, from the stream's peer. */
export interface ConsumePort {
  decide: (signedRequest: Uint8Array, remote: PeerId) => Promise<ConsumeDecision>
}

export interface ConsumeServiceInit {
  port: ConsumePort
  log?: Logger
}

/** /cites/consume/2.0.0 as a libp2p service: decode, ask the port, encode. */
export function consumeService (init: ConsumeServiceInit): (components: ProtocolServiceComponents) => ProtocolService {
  const log = logFor(init.log, 'consume')
  const refuse = (code: string, message: string, status: Status, event: Uint8Array = EMPTY): ConsumeResponse =>
    ({ status, code, message, event: event as Uint8Array<ArrayBuffer> })
  return (components) => rpcService(components, {
    protocol: CONSUME_PROTOCOL,
    maxRequest: MAX_CONSUME_REQUEST_BYTES,
    request: ConsumeRequest,
    response: ConsumeResponse,
    log,
    unreadable: (failure) => refuse(failure, 'request unreadable', failure === 'TOO_LARGE' ? Status.TOO_LARGE : Status.MALFORMED),
    answer: async (req, remote) => {
      const d = await init.port.decide(req.request, remote)
      if (d.kind === 'consumed') return { status: Status.OK, code: 'OK', event: d.event as Uint8Array<ArrayBuffer>, message: '' }
      return refuse(d.code, d.message, d.malformed === true ? Status.MALFORMED : Status.REFUSED, d.event)
    }
  })
}

/** The issuer's answer to a consumption request, checked. */
export interface ConsumeOutcome {
  /** 'OK', or the refusal code (ALREADY_CONSUMED, QUANTITY_EXCEEDED, NOT_DESTINATION, ...). */
  code: string
  message: string
  /** The issuer's signed CONSUMED event: this use's receipt, or for ALREADY_CONSUMED the first one. */
  receipt?: Receipt & { event: Uint8Array }
  /** A refused claim: the issuer's signed CLAIM_REFUSED event, checked. */
  refusal?: Uint8Array
}

/**
 * Ask the issuer's node to record a use. The receipt is the issuer's signed
 * CONSUMED event, verified here against the trust list before it is believed.
 */
export async function requestConsumption (libp2p: Libp2p, issuerPeer: PeerId, ask_: ConsumeAsk, opts: { requester: string, signer: Signer, trust: TrustStore, now?: number, signal?: AbortSignal }): Promise<ConsumeOutcome> {
  // Asked by the canonical number (permit-profile.md §2.1), which every node keys by.
  const request = await signConsumeRequest({ ...ask_, number: canonicalPermitNumber(ask_.number) ?? ask_.number }, opts.requester, opts.signer, opts.now)
  const res = await ask(libp2p, issuerPeer, CONSUME_PROTOCOL, MAX_CONSUME_RESPONSE_BYTES, ConsumeRequest, ConsumeResponse, { request: request as Uint8Array<ArrayBuffer> }, opts.signal !== undefined ? { signal: opts.signal } : {})
  if (res.status !== Status.OK && res.status !== Status.REFUSED) throw new RemoteRefusedError(res.status, `consumption request refused: ${res.status} ${res.message}`)
  const out: ConsumeOutcome = { code: res.code, message: res.message }
  if (res.event.length > 0) {
    let le
    try { le = decodeEvent(res.event) } catch { throw new MalformedResponseError('the receipt does not decode') }
    const e = le.event
    if (e.author !== ask_.party || e.permitParty !== ask_.party || !samePermitNumber(e.permitNumber, ask_.number)) throw new MalformedResponseError('the answer holds an event of another permit')
    if (await verifyEventSignature(le, opts.trust.certificatesFor(ask_.party)) !== 'OK') throw new MalformedResponseError('the receipt is not validly signed by the issuer')
    if (e.type === EventType.CLAIM_REFUSED && ask_.claim !== undefined && res.status === Status.REFUSED) {
      const b = ClaimRefusedBody.decode(e.body)
      if (b.claimant !== opts.requester || Number(b.claimSeq) !== ask_.claim.seq || hex(b.claimHash) !== ask_.claim.hash) throw new MalformedResponseError('the refusal names another claim')
      out.refusal = res.event
      return out
    }
    if (e.type !== EventType.CONSUMED) throw new MalformedResponseError('the receipt is not a CONSUMED event of this permit')
    const b = ConsumedBody.decode(e.body)
    out.receipt = {
      party: e.permitParty, number: e.permitNumber, consumedAt: new Date(Number(b.usedAt === 0n ? e.time : b.usedAt)).toISOString(), port: b.port, officer: b.officer,
      consumingParty: b.consumingParty, lines: b.lines.map((l) => ({ line: l.line, quantity: l.quantity, unit: l.unit })), seq: Number(e.seq), eventHash: hex(le.hash),
      ...(e.actor === undefined ? {} : { actor: e.actor }),
      event: res.event
    }
    if (b.claimSeq !== 0n) out.receipt.claim = { claimant: b.consumingParty, seq: Number(b.claimSeq), hash: hex(b.claimHash) }
    if (b.warnings.length > 0) out.receipt.warnings = b.warnings.filter((w) => w === 'NOT_ENDORSED_AT_EXPORT')
  }
  return out
}
