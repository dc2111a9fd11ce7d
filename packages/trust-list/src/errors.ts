/** One error class per failure, each with a stable code from this package's registry. */
import { CodedError, defineCodes } from '@cites/runtime'

/** Every code this package throws, with its kind (which decides the HTTP status). */
export const TRUST_LIST_CODES = defineCodes({
  TRUST_LIST_FORMAT: { kind: 'bad-request', summary: 'the trust list XML or a field in it cannot be read' },
  TRUST_LIST_SIGNATURE: { kind: 'unprocessable', summary: 'the anchor\'s signature on the list does not verify' },
  TRUST_LIST_NOT_NEWER: { kind: 'conflict', summary: 'the list\'s sequence number is not higher than the current one' },
  DUPLICATE_PEER_ID: { kind: 'bad-request', summary: 'an edit would list one peer ID twice' },
  DUPLICATE_CERTIFICATE: { kind: 'bad-request', summary: 'an edit would list one certificate twice' },
  NOT_FOUND: { kind: 'not-found', summary: 'an edit names an entry the list does not hold' },
  INVALID_FIELD: { kind: 'bad-request', summary: 'an edit gives a field a value it cannot hold' },
  ALREADY_WITHDRAWN: { kind: 'conflict', summary: 'the certificate is withdrawn already' }
})
export type TrustListCode = keyof typeof TRUST_LIST_CODES
type EditCode = 'DUPLICATE_PEER_ID' | 'DUPLICATE_CERTIFICATE' | 'NOT_FOUND' | 'INVALID_FIELD' | 'ALREADY_WITHDRAWN'

export abstract class TrustListError extends CodedError {
  abstract override readonly code: TrustListCode
}

/** The trust list XML or a field in it cannot be read. */
export class TrustListFormatError extends TrustListError { readonly code = 'TRUST_LIST_FORMAT' }

/** A list whose sequence number is not higher than the current one (rollback or replay). */
export class TrustListSequenceError extends TrustListError { readonly code = 'TRUST_LIST_NOT_NEWER' }

/** The anchor's signature on the list does not verify. `checks` says why. */
export class TrustListSignatureError extends TrustListError {
  readonly code = 'TRUST_LIST_SIGNATURE'
  readonly reasons: Array<{ check: string, code: string, message: string }>
  constructor (message: string, reasons: Array<{ check: string, code: string, message: string }>) {
    super(message)
    this.reasons = reasons
  }
}

/** An edit that would make the list inconsistent (duplicate peer ID or certificate, unknown entry). */
export class TrustListEditError extends TrustListError {
  readonly code: EditCode
  constructor (code: EditCode, message: string) {
    super(message)
    this.code = code
  }
}
