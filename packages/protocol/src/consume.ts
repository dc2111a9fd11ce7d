/**
 * /cites/consume/1.0.0: the destination authority asks the issuer to record
 * the use of a permit at import. The request is signed with the destination's
 * permit-signing key; the issuer runs the ledger's compare-and-set (single
 * writer, synced) and answers with its signed CONSUMED event (the receipt) or
 * a refusal with evidence: for ALREADY_CONSUMED, the first receipt.
 */
import { randomBytes } from 'node:crypto'
import type { Libp2p, PeerId } from '@libp2p/interface'
import { AlreadyConsumedError, LedgerError, decodeEvent, hex, signRecord, verifyEventSignature, verifyRecordSignature, ConsumedBody, type Ledger, type LineQty, type Receipt } from '@cites/ledger'
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
}

/** Sign a consumption request as `requester`'s authority. */
export async function signConsumeRequest (req: ConsumeAsk, requester: string, signer: Signer, now = Date.now()): Promise<Uint8Array> {
  const body = ConsumeRequestBody.encode({
    party: req.party, number: req.number, lines: req.lines, port: req.port, officer: req.officer ?? '', requester,
    time: BigInt(now), certSha256: Buffer.from(signer.certificate.sha256, 'hex') as unknown as Uint8Array<ArrayBuffer>,
    nonce: randomBytes(16) as unknown as Uint8Array<ArrayBuffer>
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
      // A permit for TH presented in CN: refuse, and keep the attempt on record.
      await ledger.recordAlert({ kind: 'DIVERTED_USE', author: body.requester, message: `${body.requester} asked to use ${body.party}/${body.number}, which is for ${state.state.destination}, at ${body.port}` })
      return refuse('NOT_DESTINATION', `${body.party}/${body.number} is for ${state.state.destination}, not ${body.requester}`)
    }
    try {
      const receipt = await ledger.consume(body.party, body.number, {
        lines: body.lines.map((l) => ({ line: l.line, quantity: l.quantity, unit: l.unit })), port: body.port, officer: body.officer,
        consumingParty: body.requester, request: req.request
      })
      const [event] = await ledger.eventsFrom(body.party, receipt.seq, 1)
      return { status: Status.OK, code: 'OK', event: (event ?? EMPTY) as Uint8Array<ArrayBuffer>, message: '' }
    } catch (err) {
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
    if (e.type !== 'CONSUMED' || e.author !== ask_.party || e.permitNumber !== ask_.number) throw new MalformedResponseError('the receipt is not a CONSUMED event of this permit')
    if (await verifyEventSignature(le, opts.trust.certificatesFor(ask_.party)) !== 'OK') throw new MalformedResponseError('the receipt is not validly signed by the issuer')
    const b = ConsumedBody.decode(e.body)
    out.receipt = {
      party: e.permitParty, number: e.permitNumber, consumedAt: new Date(Number(e.time)).toISOString(), port: b.port, officer: b.officer,
      consumingParty: b.consumingParty, lines: b.lines.map((l) => ({ line: l.line, quantity: l.quantity, unit: l.unit })), seq: Number(e.seq), eventHash: hex(le.hash),
      event: res.event
    }
  }
  return out
}
