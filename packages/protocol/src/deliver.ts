/**
 * Direct delivery (/cites/deliver/1.0.0): each ISSUED event is pushed to the
 * destination party's node, which verifies it in full (event signature and
 * chain through its ledger, the permit's XML-DSig, rules, validity) and
 * answers with a signed acknowledgement, or a signed refusal with the codes.
 * The sender keeps the delivery state in its ledger (pending → delivered |
 * failed), written with the ISSUED event, and retries with backoff across
 * restarts.
 */
import type { Libp2p, PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { IssuedBody, InvalidEventError, decodeEvent, hex, signRecord, verifyRecordSignature, type DeliveryRecord, type Ledger } from '@cites/ledger'
import { verifySignedPermit, type Signer } from '@cites/xml-signature'
import type { TrustStore } from '@cites/trust-list'
import { AckBody, AckOutcome, DeliverRequest, DeliverResponse, SignedAck, Status } from './pb/network.js'
import { DELIVER_PROTOCOL, MAX_DELIVER_REQUEST_BYTES, MAX_DELIVER_RESPONSE_BYTES } from './constants.js'
import { ask, serve } from './rpc.js'

export const DELIVERY_ACK_CONTEXT = new TextEncoder().encode('CITES-DELIVERY-ACK-1\n')
const EMPTY = new Uint8Array(0)

export interface DeliveryServiceOptions {
  trust: TrustStore
  signer: Signer
  /** @default Date.now */
  now?: () => number
}

/** Receive deliveries addressed to this node's party. */
export async function handleDeliver (libp2p: Libp2p, ledger: Ledger, opts: DeliveryServiceOptions): Promise<void> {
  const now = opts.now ?? Date.now
  await serve(libp2p, DELIVER_PROTOCOL, MAX_DELIVER_REQUEST_BYTES, DeliverRequest, DeliverResponse, async (req, _remote, failure) => {
    if (req === undefined) return { status: failure === 'TOO_LARGE' ? Status.TOO_LARGE : Status.MALFORMED, ack: EMPTY, message: 'request unreadable' }
    let le
    try { le = decodeEvent(req.event) } catch { return { status: Status.MALFORMED, ack: EMPTY, message: 'the event does not decode' } }
    const e = le.event
    if (e.type !== 'ISSUED') return { status: Status.MALFORMED, ack: EMPTY, message: 'only ISSUED events are delivered' }
    const sign = async (outcome: AckOutcome, codes: string[]): Promise<DeliverResponse> => {
      const body = AckBody.encode({
        party: e.permitParty, number: e.permitNumber, eventHash: le.hash as Uint8Array<ArrayBuffer>, outcome, codes, receiver: ledger.party,
        time: BigInt(now()), certSha256: Buffer.from(opts.signer.certificate.sha256, 'hex') as unknown as Uint8Array<ArrayBuffer>
      })
      const signature = await signRecord(DELIVERY_ACK_CONTEXT, body, opts.signer)
      return { status: Status.OK, ack: SignedAck.encode({ body, signature: signature as Uint8Array<ArrayBuffer> }), message: '' }
    }
    let body
    try { body = IssuedBody.decode(e.body) } catch { return await sign(AckOutcome.REFUSED, ['EVENT_MALFORMED']) }
    if (body.destination !== ledger.party) return await sign(AckOutcome.REFUSED, ['NOT_DESTINATION'])
    try {
      await ledger.acceptEvents([req.event])
    } catch (err) {
      if (err instanceof InvalidEventError) return await sign(AckOutcome.REFUSED, [err.reason])
      throw err
    }
    const v = await verifySignedPermit(new TextDecoder().decode(body.signedXml), { certificatesFor: (p) => opts.trust.certificatesFor(p), now: new Date(now()) })
    const bad = v.checks.filter((c) => (c.name === 'integrity' || c.name === 'issuer' || c.name === 'rules') && c.status !== 'VALID')
    if (bad.length > 0 || v.permit?.number !== e.permitNumber || v.party !== e.permitParty) return await sign(AckOutcome.REFUSED, bad.length > 0 ? bad.map((c) => c.reason.code) : ['PERMIT_MISMATCH'])
    return await sign(AckOutcome.DELIVERED, [])
  })
}

/** Push one ISSUED event; verify the signed answer. Throws on network trouble (retried). */
export async function deliverOnce (libp2p: Libp2p, peer: PeerId, event: Uint8Array, d: DeliveryRecord, trust: TrustStore): Promise<{ delivered: boolean, codes: string[], ack: Uint8Array }> {
  const res = await ask(libp2p, peer, DELIVER_PROTOCOL, MAX_DELIVER_RESPONSE_BYTES, DeliverRequest, DeliverResponse, { event: event as Uint8Array<ArrayBuffer> })
  if (res.status !== Status.OK) throw new Error(`delivery answered ${res.status}: ${res.message}`)
  const signed = SignedAck.decode(res.ack)
  const body = AckBody.decode(signed.body)
  const sig = await verifyRecordSignature(trust.certificatesFor(d.destination), body.certSha256, Number(body.time), DELIVERY_ACK_CONTEXT, signed.body, signed.signature)
  if (sig !== 'OK' || body.receiver !== d.destination || hex(body.eventHash) !== d.eventHash) throw new Error(`the acknowledgement is not the destination's signed answer for this event (${sig})`)
  return { delivered: body.outcome === AckOutcome.DELIVERED, codes: body.codes, ack: res.ack }
}

export interface DeliveryWorker {
  /** Attempt every due delivery now. */
  runOnce: () => Promise<void>
  stop: () => void
}

/**
 * Work through pending deliveries: due ones are pushed to the destination's
 * node (found by party on the trust list); a network failure backs off
 * (1 s doubling to 5 min); a signed answer settles it as delivered or failed.
 */
export function startDelivery (libp2p: Libp2p, ledger: Ledger, trust: TrustStore, opts: { intervalMs?: number, minBackoffMs?: number } = {}): DeliveryWorker {
  const min = opts.minBackoffMs ?? 1000
  let running: Promise<void> | undefined
  let stopped = false
  const runOnce = async (): Promise<void> => {
    if (running !== undefined) return await running
    running = (async () => {
      for (const d of await ledger.deliveries('pending')) {
        if (stopped) return
        if (d.nextAttempt > Date.now()) continue
        const dest = trust.byParty(d.destination).find((a) => a.role === 'management-authority' && a.status === 'granted')
        const [event] = await ledger.eventsFrom(d.party, d.seq, 1)
        const next: DeliveryRecord = { ...d, attempts: d.attempts + 1 }
        try {
          if (dest === undefined || event === undefined) throw new Error(`no authorised node for ${d.destination}`)
          const r = await deliverOnce(libp2p, peerIdFromString(dest.peerId), event, d, trust)
          next.state = r.delivered ? 'delivered' : 'failed'
          next.ack = hex(r.ack)
          next.codes = r.codes
          delete next.lastError
        } catch (err) {
          next.lastError = (err as Error).message
          next.nextAttempt = Date.now() + Math.min(300_000, min * 2 ** Math.min(next.attempts - 1, 16))
        }
        await ledger.updateDelivery(next)
      }
    })().finally(() => { running = undefined })
    return await running
  }
  const timer = setInterval(() => { void runOnce().catch(() => {}) }, opts.intervalMs ?? 1000)
  timer.unref()
  const unsubscribe = ledger.onOwnEvent((e) => { if (e.event.type === 'ISSUED') void runOnce().catch(() => {}) })
  return { runOnce, stop: () => { stopped = true; clearInterval(timer); unsubscribe() } }
}
