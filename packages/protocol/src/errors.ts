/**
 * Errors of the wire protocols: one class per failure, each carrying a stable
 * code from this package's registry. Codes never change meaning and are
 * never reused; messages may change.
 */
import { CodedError, defineCodes } from '@cites/runtime'

/**
 * Every code of the wire protocols, with its kind (which decides the HTTP
 * status wherever it surfaces).
 *
 * REMOTE_REFUSED and MALFORMED_RESPONSE are another node's failures: a
 * customs officer is told 502, never 500. The REQUEST_* codes are refusals
 * the issuer's node sends in a `/cites/consume` answer (network.md §7); the
 * asker's node reports them as the use's refusal code (422, as before).
 */
export const PROTOCOL_CODES = defineCodes({
  REMOTE_REFUSED: { kind: 'bad-gateway', summary: 'another node answered with a non-OK status (MALFORMED, TOO_LARGE, NOT_FOUND, BUSY)' },
  MALFORMED_RESPONSE: { kind: 'bad-gateway', summary: 'another node\'s answer did not decode, broke the protocol or was not validly signed' },
  REQUEST_SIGNATURE_INVALID: { kind: 'unprocessable', summary: 'the consumption request is not validly signed by the requester\'s listed certificate' },
  REQUESTER_NOT_PEER: { kind: 'unprocessable', summary: 'the consumption request did not come from the requesting authority\'s own node' },
  REQUEST_STALE: { kind: 'unprocessable', summary: 'the consumption request is more than 10 minutes from the issuer\'s clock' },
  REQUEST_REPLAYED: { kind: 'unprocessable', summary: 'the consumption request\'s nonce was used before, within the freshness window' },
  PEER_RATE_LIMITED: { kind: 'unavailable', summary: 'the issuer\'s node has refused too many of this node\'s requests lately; it answers again once the budget refills' },
  // Also a ledger code (the same kind: one code, one HTTP status).
  DOCUMENT_HASH_MISMATCH: { kind: 'unprocessable', summary: 'a document whose SHA-256 is not the one its issuer recorded in the ISSUED event' },
  PEER_EVENT_VERSION_MISMATCH: { kind: 'bad-gateway', summary: 'the other node does not speak ledger events v2 (it does not support this protocol\'s v2 id): it must be upgraded before the two exchange events' }
})
export type ProtocolCode = keyof typeof PROTOCOL_CODES

/** Base of every error the wire protocols throw: another node's answer could not be used. */
export abstract class ProtocolError extends CodedError {
  abstract override readonly code: ProtocolCode
}

/** The remote answered with a non-OK status. */
export class RemoteRefusedError extends ProtocolError {
  readonly code = 'REMOTE_REFUSED'
  /** The wire status the remote answered (network.md §9). */
  readonly status: string
  constructor (status: string, message: string) {
    super(message)
    this.status = status
  }
}

/** The remote's answer did not decode, broke the protocol, or was not validly signed. */
export class MalformedResponseError extends ProtocolError {
  readonly code = 'MALFORMED_RESPONSE'
}

/**
 * The peer does not support the protocol's current id (protocol negotiation
 * failed): a node still on ledger events v1, or one without the protocol at
 * all. Nothing was sent.
 */
export class PeerEventVersionMismatchError extends ProtocolError {
  readonly code = 'PEER_EVENT_VERSION_MISMATCH'
  readonly protocol: string
  constructor (protocol: string, message: string) {
    super(message)
    this.protocol = protocol
  }
}

/** A document another node sent (fetched, or pushed with a delivery) does not hash to the registered SHA-256. */
export class PeerDocumentHashMismatchError extends ProtocolError {
  readonly code = 'DOCUMENT_HASH_MISMATCH'
}
