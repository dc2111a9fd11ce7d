/** One error class per failure, each with a stable code. */
export abstract class TrustListError extends Error {
  abstract readonly code: string
}

/** The trust list XML or a field in it cannot be read. */
export class TrustListFormatError extends TrustListError {
  static override name = 'TrustListFormatError'
  override name = 'TrustListFormatError'
  readonly code = 'TRUST_LIST_FORMAT'
}

/** The anchor's signature on the list does not verify. `checks` says why. */
export class TrustListSignatureError extends TrustListError {
  static override name = 'TrustListSignatureError'
  override name = 'TrustListSignatureError'
  readonly code = 'TRUST_LIST_SIGNATURE'
  readonly reasons: Array<{ check: string, code: string, message: string }>
  constructor (message: string, reasons: Array<{ check: string, code: string, message: string }>) {
    super(message)
    this.reasons = reasons
  }
}

/** A list whose sequence number is not higher than the current one (rollback or replay). */
export class TrustListSequenceError extends TrustListError {
  static override name = 'TrustListSequenceError'
  override name = 'TrustListSequenceError'
  readonly code = 'TRUST_LIST_NOT_NEWER'
}

/** An edit that would make the list inconsistent (duplicate peer ID or certificate, unknown entry). */
export class TrustListEditError extends TrustListError {
  static override name = 'TrustListEditError'
  override name = 'TrustListEditError'
  readonly code: string
  constructor (code: 'DUPLICATE_PEER_ID' | 'DUPLICATE_CERTIFICATE' | 'NOT_FOUND' | 'INVALID_FIELD' | 'ALREADY_WITHDRAWN', message: string) {
    super(message)
    this.code = code
  }
}
