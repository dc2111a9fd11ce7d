/**
 * Direct delivery (/cites/deliver/2.0.0): each ISSUED event is pushed to the
 * destination party's node with the signed document (r11: events carry only
 * its SHA-256; the delivery is the one way the document leaves its issuer
 * unasked), which verifies it in full (the document's hash against the
 * summary, event signature and chain through its ledger, the permit's
 * XML-DSig, rules, validity), stores the document once DELIVERED, and
 * answers with a signed acknowledgement, or a signed refusal with the codes.
 * The sender keeps the delivery state in its ledger (pending → delivered |
 * failed), written with the ISSUED event, and retries with backoff across
 * restarts. Each delivery carries the sender's signed checkpoint covering
 * the event, which the receiver keeps and compares (a split view shows as
 * two checkpoints of one size with different roots, network.md §4.1).
 */
import type { Libp2p, PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { IssuedBody, InvalidEventError, LedgerError, decodeCheckpoint, decodeEvent, hex, sha256, signRecord, verifyRecordSignature, type DeliveryRecord, type Ledger } from '@cites/ledger'
import type { Signer } from '@cites/xml-signature'
import { acceptanceCodes, judgeDocument } from '@cites/verdict'
import type { TrustStore } from '@cites/trust-list'
import { errorCode, errorMessage, startWorker, type Logger, type WorkerStats } from '@cites/runtime'
import { AckBody, AckOutcome, DeliverRequest, DeliverResponse, SignedAck, Status } from './pb/network.js'
import { DELIVER_PROTOCOL, MAX_DELIVER_REQUEST_BYTES, MAX_DELIVER_RESPONSE_BYTES } from './constants.js'
import { MalformedResponseError, PeerEventVersionMismatchError, RemoteRefusedError } from './errors.js'
import { logFor, loggedElsewhere } from './log.js'
import { ask, rpcService, startOn, type ProtocolService, type ProtocolServiceComponents } from './rpc.js'

export const DELIVERY_ACK_CONTEXT = new TextEncoder().encode('CITES-DELIVERY-ACK-1\n')
const EMPTY = new Uint8Array(0)

export interface DeliveryServiceOptions {
  trust: TrustStore
  signer: Signer
  /** @default Date.now */
  now?: () => number
  log?: Logger
}

/** What the receiver answers a delivery with: its signed acknowledgement (or signed refusal), "malformed", or "busy" (try again later). */
export type DeliverAnswer = { kind: 'ack', ack: Uint8Array } | { kind: 'malformed', message: string } | { kind: 'busy', message: string }

/** What /cites/deliver answers from. */
export interface DeliverPort {
  /**
   * `checkpoint`: the sender's signed checkpoint covering the event (empty if
   * none came); `document`: the signed permit (r11), whose SHA-256 the event records.
   */
  receive: (event: Uint8Array, checkpoint?: Uint8Array, document?: Uint8Array) => Promise<DeliverAnswer>
}

/** The deliver port of a destination's node: its ledger takes the event, the permit is verified, the answer signed. */
export function ledgerDeliverPort (ledger: Ledger, opts: DeliveryServiceOptions): DeliverPort {
  const now = opts.now ?? Date.now
  const log = logFor(opts.log, 'deliver')
  return {
    receive: async (bytes, checkpoint = EMPTY, document = EMPTY) => {
      let le
      try { le = decodeEvent(bytes) } catch (err) {
        log.debug({ code: 'EVENT_MALFORMED' }, `a delivered event does not decode: ${errorMessage(err)}`)
        return { kind: 'malformed', message: 'the event does not decode' }
      }
      const e = le.event
      if (e.type !== 'ISSUED') return { kind: 'malformed', message: 'only ISSUED events are delivered' }
      const sign = async (outcome: AckOutcome, codes: string[]): Promise<DeliverAnswer> => {
        if (outcome !== AckOutcome.DELIVERED) log.info({ code: codes[0], codes, party: e.permitParty, number: e.permitNumber }, 'delivery refused')
        const body = AckBody.encode({
          party: e.permitParty, number: e.permitNumber, eventHash: le.hash as Uint8Array<ArrayBuffer>, outcome, codes, receiver: ledger.party,
          time: BigInt(now()), certSha256: Buffer.from(opts.signer.certificate.sha256, 'hex') as unknown as Uint8Array<ArrayBuffer>
        })
        const signature = await signRecord(DELIVERY_ACK_CONTEXT, body, opts.signer)
        return { kind: 'ack', ack: SignedAck.encode({ body, signature: signature as Uint8Array<ArrayBuffer> }) }
      }
      let body
      try { body = IssuedBody.decode(e.body) } catch { return await sign(AckOutcome.REFUSED, ['EVENT_MALFORMED']) }
      if (body.destination !== ledger.party) return await sign(AckOutcome.REFUSED, ['NOT_DESTINATION'])
      // The sender's checkpoint must be its own and cover the event.
      if (checkpoint.length > 0) {
        let cp
        try { cp = decodeCheckpoint(checkpoint) } catch { return await sign(AckOutcome.REFUSED, ['CHECKPOINT_INVALID']) }
        if (cp.checkpoint.author !== e.author || cp.checkpoint.size < e.seq) return await sign(AckOutcome.REFUSED, ['CHECKPOINT_INVALID'])
      }
      let kept
      try {
        [kept] = await ledger.acceptEvents([bytes])
        // After the event, so a checkpoint at its size is compared with it:
        // another root at a size held here is a split view (alert, evidence).
        if (checkpoint.length > 0) await ledger.compareCheckpoint(checkpoint)
      } catch (err) {
        if (err instanceof InvalidEventError) return await sign(AckOutcome.REFUSED, [err.reason])
        throw err
      }
      // Too far ahead of the log here to be kept (ledger.md §4.2): not
      // received. BUSY: the sender retries later, when sync has closed the gap.
      if (kept?.status === 'ahead') return { kind: 'busy', message: `${e.author} #${String(e.seq)} is too far ahead of the log held here; retry later` }
      // r11: the document travels beside the event, never inside it; it must be the one the issuer recorded.
      if (document.length === 0) return await sign(AckOutcome.REFUSED, ['DOCUMENT_NOT_PRESENTED'])
      if (hex(sha256(document)) !== hex(body.xmlSha256)) return await sign(AckOutcome.REFUSED, ['DOCUMENT_HASH_MISMATCH'])
      const codes = acceptanceCodes(await judgeDocument(document, { trust: opts.trust, now: new Date(now()) }), { party: e.permitParty, number: e.permitNumber })
      if (codes.length > 0) return await sign(AckOutcome.REFUSED, codes)
      // Kept (encrypted, under its own key) only now: this node is the destination and the document is the issuer's.
      try {
        await ledger.putDocument(le, document)
      } catch (err) {
        // The ledger's own refusal (e.g. DOCUMENT_ERASED: not taken again) is the answer; anything else is our trouble.
        if (err instanceof LedgerError) return await sign(AckOutcome.REFUSED, [err.code])
        throw err
      }
      return await sign(AckOutcome.DELIVERED, [])
    }
  }
}

export interface DeliverServiceInit {
  port: DeliverPort
  log?: Logger
}

/** /cites/deliver/2.0.0 as a libp2p service: decode, ask the port, encode. */
export function deliverService (init: DeliverServiceInit): (components: ProtocolServiceComponents) => ProtocolService {
  const log = logFor(init.log, 'deliver')
  return (components) => rpcService(components, {
    protocol: DELIVER_PROTOCOL,
    maxRequest: MAX_DELIVER_REQUEST_BYTES,
    request: DeliverRequest,
    response: DeliverResponse,
    log,
    unreadable: (failure) => ({ status: failure === 'TOO_LARGE' ? Status.TOO_LARGE : Status.MALFORMED, ack: EMPTY, message: 'request unreadable' }),
    answer: async (req) => {
      const a = await init.port.receive(req.event, req.checkpoint, req.document)
      if (a.kind === 'ack') return { status: Status.OK, ack: a.ack as Uint8Array<ArrayBuffer>, message: '' }
      return { status: a.kind === 'busy' ? Status.BUSY : Status.MALFORMED, ack: EMPTY, message: a.message }
    }
  })
}

/** Receive deliveries addressed to this node's party, on a running node (tests and tools). */
export async function handleDeliver (libp2p: Libp2p, ledger: Ledger, opts: DeliveryServiceOptions): Promise<ProtocolService> {
  return await startOn(libp2p, deliverService({ port: ledgerDeliverPort(ledger, opts) }))
}

/**
 * Push one ISSUED event, with the sender's signed checkpoint that covers it
 * and the signed document; verify the signed answer. Throws on network
 * trouble (retried).
 */
export async function deliverOnce (libp2p: Libp2p, peer: PeerId, event: Uint8Array, d: DeliveryRecord, trust: TrustStore, options: { signal?: AbortSignal, checkpoint?: Uint8Array, document?: Uint8Array } = {}): Promise<{ delivered: boolean, codes: string[], ack: Uint8Array }> {
  const { checkpoint, document, ...askOptions } = options
  const res = await ask(libp2p, peer, DELIVER_PROTOCOL, MAX_DELIVER_RESPONSE_BYTES, DeliverRequest, DeliverResponse, { event: event as Uint8Array<ArrayBuffer>, checkpoint: (checkpoint ?? EMPTY) as Uint8Array<ArrayBuffer>, document: (document ?? EMPTY) as Uint8Array<ArrayBuffer> }, askOptions)
  if (res.status !== Status.OK) throw new RemoteRefusedError(res.status, `delivery answered ${res.status}: ${res.message}`)
  let signed: SignedAck
  let body: AckBody
  try {
    signed = SignedAck.decode(res.ack)
    body = AckBody.decode(signed.body)
  } catch (err) {
    throw new MalformedResponseError(`the acknowledgement does not decode: ${errorMessage(err)}`)
  }
  const sig = await verifyRecordSignature(trust.certificatesFor(d.destination), body.certSha256, Number(body.time), DELIVERY_ACK_CONTEXT, signed.body, signed.signature)
  if (sig !== 'OK' || body.receiver !== d.destination || hex(body.eventHash) !== d.eventHash) throw new MalformedResponseError(`the acknowledgement is not the destination's signed answer for this event (${sig})`)
  return { delivered: body.outcome === AckOutcome.DELIVERED, codes: body.codes, ack: res.ack }
}

/**
 * This node's signed checkpoint covering its own event #seq: the newest one
 * held when it reaches that far, else a new one at the head (signed once:
 * later deliveries reuse it).
 */
async function coveringCheckpoint (ledger: Ledger, seq: number): Promise<Uint8Array> {
  const latest = await ledger.latestCheckpoint(ledger.party)
  if (latest !== undefined && decodeCheckpoint(latest).checkpoint.size >= BigInt(seq)) return latest
  return (await ledger.checkpoint()).bytes
}

export interface DeliveryWorker {
  /** Attempt every due delivery now (joins a run in progress, then runs once more). */
  runOnce: () => Promise<void>
  /** Runs and failed runs of the worker (a failed delivery is not a failed run: it is recorded and retried). */
  readonly stats: WorkerStats
  /** Stop the timer and wait for a run in progress. */
  stop: () => Promise<void>
}

export interface DeliveryWorkerOptions {
  /** @default 1000 */
  intervalMs?: number
  /** First retry delay of one delivery (network.md §8: 1 s doubling to 5 min). @default 1000 */
  minBackoffMs?: number
  log?: Logger
}

/**
 * Work through pending deliveries: due ones are pushed to the destination's
 * node (found by party on the trust list); a network failure backs off
 * (1 s doubling to 5 min); a signed answer settles it as delivered or failed.
 */
export function startDelivery (libp2p: Libp2p, ledger: Ledger, trust: TrustStore, opts: DeliveryWorkerOptions = {}): DeliveryWorker {
  const min = opts.minBackoffMs ?? 1000
  const log = logFor(opts.log, 'delivery')
  const pass = async (signal: AbortSignal): Promise<void> => {
    for (const d of await ledger.deliveries('pending')) {
      if (signal.aborted) return
      if (d.nextAttempt > Date.now()) continue
      const dest = trust.byParty(d.destination).find((a) => a.role === 'management-authority' && a.status === 'granted')
      const [event] = await ledger.eventsFrom(d.party, d.seq, 1)
      const next: DeliveryRecord = { ...d, attempts: d.attempts + 1 }
      try {
        if (dest === undefined || event === undefined) throw new Error(`no authorised node for ${d.destination}`)
        const document = await ledger.document(d.party, d.number)
        // An erased document is not delivered late: the destination is told nothing it could still act on.
        if (document === undefined) throw new Error(`the document of ${d.party}/${d.number} is not held here (${await ledger.documentStatus(d.party, d.number)})`)
        const r = await deliverOnce(libp2p, peerIdFromString(dest.peerId), event, d, trust, { signal, checkpoint: await coveringCheckpoint(ledger, d.seq), document })
        next.state = r.delivered ? 'delivered' : 'failed'
        next.ack = hex(r.ack)
        next.codes = r.codes
        delete next.lastError
        if (r.delivered) log.debug({ party: d.party, number: d.number, destination: d.destination, attempts: next.attempts }, 'delivered')
        else log.warn({ code: r.codes[0] ?? 'DELIVERY_REFUSED', codes: r.codes, party: d.party, number: d.number, destination: d.destination }, 'the destination refused the delivery')
      } catch (err) {
        if (signal.aborted) return // stopping: the attempt is not counted
        next.lastError = (err as Error).message
        next.nextAttempt = Date.now() + Math.min(300_000, min * 2 ** Math.min(next.attempts - 1, 16))
        // An unreachable destination is churn (retried with backoff); a bad
        // answer is the destination's fault, and one still on ledger events
        // v1 needs its operator (retried too, until it is upgraded).
        const level = err instanceof MalformedResponseError || err instanceof RemoteRefusedError || err instanceof PeerEventVersionMismatchError ? 'warn' : 'debug'
        log[level]({ code: errorCode(err, 'DELIVERY_UNREACHABLE'), party: d.party, number: d.number, destination: d.destination, attempts: next.attempts }, `delivery not settled: ${errorMessage(err)}`)
      }
      await ledger.updateDelivery(next)
    }
  }
  const worker = startWorker({ name: 'delivery', intervalMs: opts.intervalMs ?? 1000, run: pass, log, backoff: { minMs: min, maxMs: 300_000 } })
  const unsubscribe = ledger.onOwnEvent((e) => { if (e.event.type === 'ISSUED') worker.trigger().catch(loggedElsewhere) })
  return {
    runOnce: worker.trigger,
    stats: worker.stats,
    stop: async () => { unsubscribe(); await worker.stop() }
  }
}
