/**
 * Ledger refusals: one class per failure, each with a stable code
 * (protocol-spec/ledger.md, "Codes"). Codes never change meaning.
 */
import type { Receipt } from './state.js'

export abstract class LedgerError extends Error {
  abstract readonly code: string
}

/** No such permit in the ledger. */
export class PermitNotFoundError extends LedgerError {
  static override name = 'PermitNotFoundError'
  override name = 'PermitNotFoundError'
  readonly code = 'PERMIT_NOT_FOUND'
}

/** The permit number was already issued by this party. */
export class PermitAlreadyIssuedError extends LedgerError {
  static override name = 'PermitAlreadyIssuedError'
  override name = 'PermitAlreadyIssuedError'
  readonly code = 'PERMIT_ALREADY_ISSUED'
}

/** Any action on a cancelled permit. */
export class PermitCancelledError extends LedgerError {
  static override name = 'PermitCancelledError'
  override name = 'PermitCancelledError'
  readonly code = 'PERMIT_CANCELLED'
}

/** Any action on a permit that was replaced by another. */
export class PermitReplacedError extends LedgerError {
  static override name = 'PermitReplacedError'
  override name = 'PermitReplacedError'
  readonly code = 'PERMIT_REPLACED'
}

/** A second consumption. `receipt` is the first one: when, where and by whom. */
export class AlreadyConsumedError extends LedgerError {
  static override name = 'AlreadyConsumedError'
  override name = 'AlreadyConsumedError'
  readonly code = 'ALREADY_CONSUMED'
  readonly receipt: Receipt
  constructor (message: string, receipt: Receipt) {
    super(message)
    this.receipt = receipt
  }
}

/** An export endorsement after the permit was consumed. */
export class EndorsementAfterConsumptionError extends LedgerError {
  static override name = 'EndorsementAfterConsumptionError'
  override name = 'EndorsementAfterConsumptionError'
  readonly code = 'ENDORSEMENT_AFTER_CONSUMPTION'
}

/** A second export endorsement. */
export class AlreadyEndorsedError extends LedgerError {
  static override name = 'AlreadyEndorsedError'
  override name = 'AlreadyEndorsedError'
  readonly code = 'ALREADY_ENDORSED'
}

/** Consumption or endorsement outside the validity dates (expiry is derived, never recorded). */
export class PermitExpiredError extends LedgerError {
  static override name = 'PermitExpiredError'
  override name = 'PermitExpiredError'
  readonly code = 'PERMIT_EXPIRED'
}

/** Consumption or endorsement before the permit is valid. */
export class PermitNotYetValidError extends LedgerError {
  static override name = 'PermitNotYetValidError'
  override name = 'PermitNotYetValidError'
  readonly code = 'PERMIT_NOT_YET_VALID'
}

/** A line's quantity above what was endorsed (or, without endorsement, authorised). */
export class QuantityExceededError extends LedgerError {
  static override name = 'QuantityExceededError'
  override name = 'QuantityExceededError'
  readonly code = 'QUANTITY_EXCEEDED'
  readonly line: string
  readonly allowed: number
  constructor (message: string, line: string, allowed: number) {
    super(message)
    this.line = line
    this.allowed = allowed
  }
}

/** A quantity for a line the permit does not have, a non-positive quantity, or no lines at all. */
export class InvalidLinesError extends LedgerError {
  static override name = 'InvalidLinesError'
  override name = 'InvalidLinesError'
  readonly code = 'INVALID_LINES'
}

/** Only the issuing party writes a permit's events. */
export class NotIssuerError extends LedgerError {
  static override name = 'NotIssuerError'
  override name = 'NotIssuerError'
  readonly code = 'NOT_ISSUER'
}

/** The permit XML to record is not validly signed by this party, or breaks the rules. */
export class PermitNotSignedError extends LedgerError {
  static override name = 'PermitNotSignedError'
  override name = 'PermitNotSignedError'
  readonly code = 'PERMIT_SIGNATURE_INVALID'
  readonly reasons: Array<{ check: string, code: string, message: string }>
  constructor (message: string, reasons: Array<{ check: string, code: string, message: string }>) {
    super(message)
    this.reasons = reasons
  }
}

/** An event from another authority that cannot be accepted. `reason` is the stable event code. */
export class InvalidEventError extends LedgerError {
  static override name = 'InvalidEventError'
  override name = 'InvalidEventError'
  readonly code = 'EVENT_INVALID'
  readonly reason: EventRejection
  readonly seq?: number
  constructor (reason: EventRejection, message: string, seq?: number) {
    super(message)
    this.reason = reason
    if (seq !== undefined) this.seq = seq
  }
}

/** Why an event or checkpoint is refused (protocol-spec/ledger.md). */
export type EventRejection =
  | 'EVENT_MALFORMED' | 'EVENT_UNKNOWN_AUTHOR' | 'EVENT_SIGNATURE_INVALID' | 'EVENT_CERT_NOT_GRANTED'
  | 'EVENT_PREV_HASH_MISMATCH' | 'EVENT_TRANSITION_INVALID' | 'EVENT_WRONG_LOG' | 'CHECKPOINT_INVALID'

/** The ledger cannot be opened as asked (another party's, newer schema, not created). */
export class LedgerOpenError extends LedgerError {
  static override name = 'LedgerOpenError'
  override name = 'LedgerOpenError'
  readonly code = 'LEDGER_OPEN'
}

/** A write on a ledger opened without the party's signing key. */
export class LedgerReadOnlyError extends LedgerError {
  static override name = 'LedgerReadOnlyError'
  override name = 'LedgerReadOnlyError'
  readonly code = 'LEDGER_READ_ONLY'
}

/** A permit number with characters a ledger key cannot hold. */
export class PermitNumberInvalidError extends LedgerError {
  static override name = 'PermitNumberInvalidError'
  override name = 'PermitNumberInvalidError'
  readonly code = 'PERMIT_NUMBER_INVALID'
}

/** This node's own signing certificate is not granted on the trust list: it may not write events. */
export class SignerNotTrustedError extends LedgerError {
  static override name = 'SignerNotTrustedError'
  override name = 'SignerNotTrustedError'
  readonly code = 'SIGNER_NOT_TRUSTED'
}

/** A permit may be used (or claimed) only by its destination authority. */
export class NotDestinationError extends LedgerError {
  static override name = 'NotDestinationError'
  override name = 'NotDestinationError'
  readonly code = 'NOT_DESTINATION'
}

/** The destination already holds an unresolved provisional use of this permit. */
export class ProvisionallyConsumedError extends LedgerError {
  static override name = 'ProvisionallyConsumedError'
  override name = 'ProvisionallyConsumedError'
  readonly code = 'ALREADY_CONSUMED_PROVISIONALLY'
}

/** A claim reference or time of use that cannot be right (e.g. a use after the confirming event). */
export class ClaimInvalidError extends LedgerError {
  static override name = 'ClaimInvalidError'
  override name = 'ClaimInvalidError'
  readonly code = 'CLAIM_INVALID'
}
