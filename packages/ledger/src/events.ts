/**
 * Signed log events and checkpoints: encoding, hashing, signing and
 * verification. Events are protocol records, signed with the authority's
 * permit-signing key over the exact encoded bytes (not XML-DSig), with a
 * domain-separation prefix so that a signature made for one kind of record
 * can never be replayed as another.
 */
import * as crypto from 'node:crypto'
import { createHash } from 'node:crypto'
import { cryptoEngine, certificatePublicKey, parseCertificate, type Signer, type TrustedCertificate, type CertificateInfo } from '@cites/xml-signature'
import { Checkpoint, Event, SignedCheckpoint, SignedEvent } from './pb/ledger.js'
import { leafHash } from './merkle.js'

export const EVENT_CONTEXT = new TextEncoder().encode('CITES-LEDGER-EVENT-1\n')
export const CHECKPOINT_CONTEXT = new TextEncoder().encode('CITES-LEDGER-CHECKPOINT-1\n')

/** Hard cap on one encoded signed event (an ISSUED event carries a ≤ 256 KiB permit). */
export const MAX_EVENT_BYTES = 300 * 1024

// crypto.hash (Node ≥ 20.12) is a one-shot digest without the Hash object:
// several times cheaper per call on the small inputs of a log.
const oneShot = (crypto as unknown as { hash?: (alg: string, data: Uint8Array, enc: 'buffer') => Buffer }).hash

export function sha256 (data: Uint8Array): Uint8Array {
  return new Uint8Array(oneShot !== undefined ? oneShot('sha256', data, 'buffer') : createHash('sha256').update(data).digest())
}

export function hex (b: Uint8Array): string {
  // A view, not a copy: this runs several times per ingested event.
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')
}

function withContext (ctx: Uint8Array, data: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(ctx.length + data.length)
  out.set(ctx, 0)
  out.set(data, ctx.length)
  return out
}

function algorithmFor (info: CertificateInfo): AlgorithmIdentifier | EcdsaParams {
  return info.algorithm === 'ECDSA-P256' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5' }
}

/** A decoded signed event, with its exact bytes and hash kept alongside. */
export interface LoggedEvent {
  event: Event
  /** The encoded Event: what is signed, hashed and used as the Merkle leaf. */
  eventBytes: Uint8Array
  /** The encoded SignedEvent, as stored and sent. */
  bytes: Uint8Array
  signature: Uint8Array
  /**
   * The event's hash: its RFC 6962 leaf hash, SHA-256(0x00 || eventBytes).
   * The next event's prev_hash is this value, and it is the Merkle leaf, so
   * one digest per event serves both the chain and the checkpoints.
   */
  hash: Uint8Array
}

/** The event's Merkle leaf hash (the same as its chain hash). */
export function leafOf (le: LoggedEvent): Uint8Array {
  return le.hash
}

/**
 * The event format this node writes and accepts (ledger.md §2.4, r17): an
 * ISSUED event carries the document's summary and hash, never the document.
 */
export const EVENT_VERSION = 2

/** What a caller gives to sign an event: the version is always {@link EVENT_VERSION}; `carried*` only for the v1 upgrade. */
export type EventFields = Omit<Event, 'certSha256' | 'version' | 'carriedFrom' | 'carriedAt'> & Partial<Pick<Event, 'carriedFrom' | 'carriedAt'>>

/** Sign an event (fields as given) and return it in stored form. */
export async function signEvent (fields: EventFields, signer: Signer): Promise<LoggedEvent> {
  const event: Event = {
    ...fields,
    version: EVENT_VERSION,
    carriedFrom: fields.carriedFrom ?? new Uint8Array(0),
    carriedAt: fields.carriedAt ?? 0n,
    certSha256: Buffer.from(signer.certificate.sha256, 'hex') as unknown as Uint8Array<ArrayBuffer>
  }
  const eventBytes = Event.encode(event)
  const { crypto } = cryptoEngine()
  const signature = new Uint8Array(await crypto.subtle.sign(algorithmFor(signer.certificate), signer.key, withContext(EVENT_CONTEXT, eventBytes)))
  const bytes = SignedEvent.encode({ event: eventBytes, signature: signature as Uint8Array<ArrayBuffer> })
  return { event, eventBytes, bytes, signature, hash: leafHash(eventBytes) }
}

/** Decode stored or received bytes. Throws on malformed input (callers map it to EVENT_MALFORMED). */
export function decodeEvent (bytes: Uint8Array): LoggedEvent {
  if (bytes.length > MAX_EVENT_BYTES) throw new RangeError(`event of ${bytes.length} bytes exceeds ${MAX_EVENT_BYTES}`)
  const se = SignedEvent.decode(bytes)
  const event = Event.decode(se.event)
  return { event, eventBytes: se.event, bytes, signature: se.signature, hash: leafHash(se.event) }
}

// Parsing X.509 costs far more than an ECDSA verify: parse each listed
// certificate once. Bounded, since a trust list holds a few hundred.
const certCache = new Map<string, CertificateInfo | null>()
function parsedCertificate (c: string | Uint8Array): CertificateInfo | null {
  const k = typeof c === 'string' ? c : Buffer.from(c).toString('base64')
  let info = certCache.get(k)
  if (info === undefined) {
    try { info = parseCertificate(c) } catch { info = null } // an unparsable listed certificate verifies nothing
    if (certCache.size > 4096) certCache.clear()
    certCache.set(k, info)
  }
  return info
}

/** Pick the listed certificate the record names, if the trust list holds it. */
export function findCertificate (trusted: readonly TrustedCertificate[] | undefined, certSha256: Uint8Array): { info: CertificateInfo, t: TrustedCertificate } | undefined {
  const want = hex(certSha256)
  for (const t of trusted ?? []) {
    const info = parsedCertificate(t.certificate)
    if (info !== null && info.sha256 === want) return { info, t }
  }
  return undefined
}

/** Was this listed certificate granted at `time` (ms)? */
export function grantedAt (t: TrustedCertificate, time: number): boolean {
  const g = Date.parse(t.grantedAt)
  const w = t.withdrawnAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(t.withdrawnAt)
  return !Number.isNaN(g) && g <= time && time < w
}

export type SignatureCheck = 'OK' | 'EVENT_UNKNOWN_AUTHOR' | 'EVENT_SIGNATURE_INVALID' | 'EVENT_CERT_NOT_GRANTED'

/**
 * Verify a record signed with an authority's listed certificate (named by
 * its SHA-256) over `ctx || data`, with the certificate granted at `time`.
 * Shared by events, checkpoints and the network's signed requests.
 */
export async function verifyRecordSignature (trusted: readonly TrustedCertificate[] | undefined, certSha256: Uint8Array, time: number, ctx: Uint8Array, data: Uint8Array, signature: Uint8Array): Promise<SignatureCheck> {
  if (trusted === undefined || trusted.length === 0) return 'EVENT_UNKNOWN_AUTHOR'
  const found = findCertificate(trusted, certSha256)
  if (found === undefined) return 'EVENT_SIGNATURE_INVALID'
  if (!grantedAt(found.t, time)) return 'EVENT_CERT_NOT_GRANTED'
  const { crypto } = cryptoEngine()
  try {
    const ok = await crypto.subtle.verify(algorithmFor(found.info), await certificatePublicKey(found.info), new Uint8Array(signature), withContext(ctx, data))
    return ok ? 'OK' : 'EVENT_SIGNATURE_INVALID'
  } catch {
    return 'EVENT_SIGNATURE_INVALID'
  }
}

/**
 * When the event was signed, for the certificate's grant: its time, or for
 * an event carried over from a version 1 log, when it was carried over
 * (ledger.md §7.1: the act keeps its time; the signature is the upgrade's).
 */
export function signedAt (e: Event): number {
  return e.carriedFrom.length > 0 ? Number(e.carriedAt) : Number(e.time)
}

/** Check an event's signature against the author's certificates at the time it was signed ({@link signedAt}). */
export function verifyEventSignature (e: LoggedEvent, trusted: readonly TrustedCertificate[] | undefined): Promise<SignatureCheck> {
  return verifyRecordSignature(trusted, e.event.certSha256, signedAt(e.event), EVENT_CONTEXT, e.eventBytes, e.signature)
}

/** A decoded signed checkpoint. */
export interface LoggedCheckpoint {
  checkpoint: Checkpoint
  bytes: Uint8Array
  checkpointBytes: Uint8Array
  signature: Uint8Array
}

export async function signCheckpoint (fields: Omit<Checkpoint, 'certSha256'>, signer: Signer): Promise<LoggedCheckpoint> {
  const checkpoint: Checkpoint = { ...fields, certSha256: Buffer.from(signer.certificate.sha256, 'hex') as unknown as Uint8Array<ArrayBuffer> }
  const checkpointBytes = Checkpoint.encode(checkpoint)
  const { crypto } = cryptoEngine()
  const signature = new Uint8Array(await crypto.subtle.sign(algorithmFor(signer.certificate), signer.key, withContext(CHECKPOINT_CONTEXT, checkpointBytes)))
  return { checkpoint, checkpointBytes, signature, bytes: SignedCheckpoint.encode({ checkpoint: checkpointBytes, signature: signature as Uint8Array<ArrayBuffer> }) }
}

export function decodeCheckpoint (bytes: Uint8Array): LoggedCheckpoint {
  if (bytes.length > 4096) throw new RangeError('checkpoint too large')
  const sc = SignedCheckpoint.decode(bytes)
  return { checkpoint: Checkpoint.decode(sc.checkpoint), checkpointBytes: sc.checkpoint, signature: sc.signature, bytes }
}

export function verifyCheckpointSignature (c: LoggedCheckpoint, trusted: readonly TrustedCertificate[] | undefined): Promise<SignatureCheck> {
  return verifyRecordSignature(trusted, c.checkpoint.certSha256, Number(c.checkpoint.time), CHECKPOINT_CONTEXT, c.checkpointBytes, c.signature)
}

/** Sign `ctx || data` with an authority's key (for protocol records other than events). */
export async function signRecord (ctx: Uint8Array, data: Uint8Array, signer: Signer): Promise<Uint8Array> {
  const { crypto } = cryptoEngine()
  return new Uint8Array(await crypto.subtle.sign(algorithmFor(signer.certificate), signer.key, withContext(ctx, data)))
}
