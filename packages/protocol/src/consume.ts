/**
 * /cites/consume/1.0.0: the destination authority asks the issuer to record
 * the use of a permit at import. The request is signed with the destination's
 * permit-signing key; the issuer runs the ledger's compare-and-set (single
 * writer, synced) and answers with its signed CONSUMED event (the receipt) or
 * a refusal with evidence: for ALREADY_CONSUMED, the first receipt.
 */
import { randomBytes } from 'node:crypto'
import type { Libp2p, PeerId } from '@libp2p/interface'
import {
  AlreadyConsumedError, ClaimInvalidError, LedgerError, decodeEvent, hex, signRecord, verifyEventSignature, verifyRecordSignature, ClaimRefusedBody, ConsumedBody,
  EventType, type Ledger, type LineQty, type Receipt
} from '@cites/ledger'
import type { Signer } from '@cites/xml-signature'
import type { TrustStore } from '@cites/trust-list'
import { ConsumeRequest, ConsumeRequestBody, ConsumeResponse, SignedConsumeRequest, Status } from './pb/network.js'
import { CONSUME_PROTOCOL, CONSUME_REQUEST_MAX_AGE_MS, MAX_CONSUME_REQUEST_BYTES, MAX_CONSUME_RESPONSE_BYTES } from './constants.js'
import { ask, serve } from './rpc.js'
import { MalformedResponseError, RemoteRefusedError } from './errors.js'

export const CONSUME_REQUEST_CONTEXT = new TextEncoder().encode('CITES-CONSUME-REQUEST-1\n')
const EMPTY = new Uint8Array(0)

export interface ConsumeAsk {
  party: string
  number: string
  lines: LineQty[]
  port: string
  officer?: string
  /** Submitting a provisional use: the requester's PROVISIONAL_CONSUMED event and when the goods were cleared. */
  claim?: { seq: number, hash: string, usedAt: number }
}

/** Sign a consumption request as `requester`'s authority. */
export async function signConsumeRequest (req: ConsumeAsk, requester: string, signer: Signer, now = Date.now()): Promise<Uint8Array> {
  const body = ConsumeRequestBody.encode({
    party: req.party, number: req.number, lines: req.lines, port: req.port, officer: req.officer ?? '', requester,
    time: BigInt(now), certSha256: Buffer.from(signer.certificate.sha256, 'hex') as unknown as Uint8Array<ArrayBuffer>,
    nonce: randomBytes(16) as unknown as Uint8Array<ArrayBuffer>,
    claimSeq: BigInt(req.claim?.seq ?? 0),
    claimHash: (req.claim === undefined ? EMPTY : Buffer.from(req.claim.hash, 'hex')) as Uint8Array<ArrayBuffer>,
    usedAt: BigInt(req.claim?.usedAt ?? 0)
  })
  const signature = await signRecord(CONSUME_REQUEST_CONTEXT, body, signer)
  return SignedConsumeRequest.encode({ body, signature: signature as Uint8Array<ArrayBuffer> })
}

export interface ConsumeServiceOptions {
  trust: TrustStore
  /** @default Date.now */
  now?: () => number
}

/** Serve /cites/consume/1.0.0 for this node's own permits. */
export async function handleConsume (libp2p: Libp2p, ledger: Ledger, opts: ConsumeServiceOptions): Promise<void> {
  const now = opts.now ?? Date.now
  await serve(libp2p, CONSUME_PROTOCOL, MAX_CONSUME_REQUEST_BYTES, ConsumeRequest, ConsumeResponse, async (req, remote, failure) => {
    const refuse = (code: string, message: string, status = Status.REFUSED, event: Uint8Array = EMPTY): ConsumeResponse =>
      ({ status, code, message, event: event as Uint8Array<ArrayBuffer> })
    if (req === undefined) return refuse(failure ?? 'MALFORMED', 'request unreadable', failure === 'TOO_LARGE' ? Status.TOO_LARGE : Status.MALFORMED)
    let signed: SignedConsumeRequest
    let body: ConsumeRequestBody
    try {
      signed = SignedConsumeRequest.decode(req.request)
      body = ConsumeRequestBody.decode(signed.body, { limits: { lines: 100 } })
    } catch {
      return refuse('MALFORMED', 'the signed request does not decode', Status.MALFORMED)
    }
    // The request must be signed by the requester's authority, and come from
    // that authority's node: a relay cannot ask in someone else's name.
    const sig = await verifyRecordSignature(opts.trust.certificatesFor(body.requester), body.certSha256, Number(body.time), CONSUME_REQUEST_CONTEXT, signed.body, signed.signature)
    if (sig !== 'OK') return refuse('REQUEST_SIGNATURE_INVALID', `the request is not validly signed by ${body.requester} (${sig})`)
    if (opts.trust.byPeerId(remote.toString())?.party !== body.requester) return refuse('REQUESTER_NOT_PEER', 'the request must come from the requesting authority\'s own node')
    if (Math.abs(now() - Number(body.time)) > CONSUME_REQUEST_MAX_AGE_MS) return refuse('REQUEST_STALE', 'the request is too old (or from the future)')
    if (body.party !== ledger.party) return refuse('NOT_ISSUER', `this node writes ${ledger.party}'s permits, not ${body.party}'s`)
    const state = await ledger.status(body.party, body.number)
    if (state === undefined) return refuse('PERMIT_NOT_FOUND', `${body.party}/${body.number} is not in the ledger`)
    if (state.state.destination !== body.requester) {
      // A permit for TH presented in CN: refuse, and put the attempt on the
      // signed record (USE_REFUSED), which alerts the destination too.
      await ledger.refuseUse(body.number, { requester: body.requester, port: body.port, code: 'NOT_DESTINATION', message: `${body.requester} is not the destination` })
      // A diverted copy of a permit already used: the first receipt is the evidence.
      const used = state.state.consumption
      const [first] = used !== undefined ? await ledger.eventsFrom(body.party, used.seq, 1) : []
      return refuse('NOT_DESTINATION', `${body.party}/${body.number} is for ${state.state.destination}, not ${body.requester}${used !== undefined ? `; it was already used on ${used.consumedAt} at ${used.port}` : ''}`, Status.REFUSED, first ?? EMPTY)
    }
    const isClaim = body.claimSeq !== 0n || body.claimHash.length > 0 || body.usedAt !== 0n
    if (isClaim && (body.claimSeq === 0n || body.claimHash.length !== 32 || body.usedAt === 0n)) return refuse('CLAIM_INVALID', 'a claim names its event (seq, 32-byte hash) and its time of use', Status.MALFORMED)
    const claim = isClaim ? { seq: Number(body.claimSeq), hash: hex(body.claimHash) } : undefined
    try {
      const receipt = await ledger.consume(body.party, body.number, {
        lines: body.lines.map((l) => ({ line: l.line, quantity: l.quantity, unit: l.unit })), port: body.port, officer: body.officer,
        consumingParty: body.requester, request: req.request,
        ...(claim !== undefined ? { claim, usedAt: Number(body.usedAt) } : {})
      })
      const [event] = await ledger.eventsFrom(body.party, receipt.seq, 1)
      return { status: Status.OK, code: 'OK', event: (event ?? EMPTY) as Uint8Array<ArrayBuffer>, message: '' }
    } catch (err) {
      if (claim !== undefined && err instanceof LedgerError && !(err instanceof ClaimInvalidError)) {
        // A provisional use the ledger cannot confirm: refused in a signed
        // CLAIM_REFUSED event (gossiped to all, an alert at both authorities).
        const evidence = err instanceof AlreadyConsumedError ? err.receipt.seq : undefined
        const { event } = await ledger.refuseClaim(body.number, { claimant: body.requester, ...claim }, err.code, err.message, evidence)
        return refuse(err.code, err.message, Status.REFUSED, event)
      }
      if (err instanceof AlreadyConsumedError) {
        const [first] = await ledger.eventsFrom(body.party, err.receipt.seq, 1)
        return refuse(err.code, err.message, Status.REFUSED, first ?? EMPTY)
      }
      if (err instanceof LedgerError) return refuse(err.code, err.message)
      throw err
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
export async function requestConsumption (libp2p: Libp2p, issuerPeer: PeerId, ask_: ConsumeAsk, opts: { requester: string, signer: Signer, trust: TrustStore, now?: number }): Promise<ConsumeOutcome> {
  const request = await signConsumeRequest(ask_, opts.requester, opts.signer, opts.now)
  const res = await ask(libp2p, issuerPeer, CONSUME_PROTOCOL, MAX_CONSUME_RESPONSE_BYTES, ConsumeRequest, ConsumeResponse, { request: request as Uint8Array<ArrayBuffer> })
  if (res.status !== Status.OK && res.status !== Status.REFUSED) throw new RemoteRefusedError(res.status, `consumption request refused: ${res.status} ${res.message}`)
  const out: ConsumeOutcome = { code: res.code, message: res.message }
  if (res.event.length > 0) {
    let le
    try { le = decodeEvent(res.event) } catch { throw new MalformedResponseError('the receipt does not decode') }
    const e = le.event
    if (e.author !== ask_.party || e.permitParty !== ask_.party || e.permitNumber !== ask_.number) throw new MalformedResponseError('the answer holds an event of another permit')
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
      event: res.event
    }
    if (b.claimSeq !== 0n) out.receipt.claim = { claimant: b.consumingParty, seq: Number(b.claimSeq), hash: hex(b.claimHash) }
  }
  return out
}
