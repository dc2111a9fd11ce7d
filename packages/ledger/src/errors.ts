/**
 * Ledger refusals: one class per failure, each with a stable code from this
 * package's registry (protocol-spec/ledger.md, "Codes"). Codes never change
 * meaning and are never reused.
 */
import { CodedError, defineCodes } from '@cites/runtime'
import type { Receipt } from './state.js'

/**
 * Every code the ledger raises, returns (in a use decision, a log
 * verification, an alert) or writes into an event (USE_REFUSED,
 * CLAIM_REFUSED), with its kind (which decides the HTTP status).
 */
export const LEDGER_CODES = defineCodes({
  // The permit's state forbids it.
  PERMIT_NOT_FOUND: { kind: 'not-found', summary: 'no such permit in the ledger' },
  ALREADY_CONSUMED: { kind: 'conflict', summary: 'the permit was used already; the first receipt is the evidence' },
  ALREADY_CONSUMED_PROVISIONALLY: { kind: 'conflict', summary: 'the destination already recorded a provisional use of this permit (unresolved, confirmed or refused)' },
  PERMIT_ALREADY_ISSUED: { kind: 'conflict', summary: 'a second ISSUED event for a permit in one log (the state machine\'s refusal; at issue: DUPLICATE_NUMBER)' },
  DUPLICATE_NUMBER: { kind: 'conflict', summary: 'this party already issued a permit whose number has the same canonical form (permit-profile.md §2.1)' },
  ALREADY_ENDORSED: { kind: 'conflict', summary: 'a second export endorsement' },
  ENDORSEMENT_AFTER_CONSUMPTION: { kind: 'conflict', summary: 'an export endorsement after the permit was used' },
  PERMIT_CANCELLED: { kind: 'conflict', summary: 'the permit was cancelled' },
  PERMIT_REPLACED: { kind: 'conflict', summary: 'the permit was replaced by another (the message names it)' },
  EXPORT_ENDORSED: { kind: 'conflict', summary: 'a cancellation of a permit whose export was endorsed (Box 14): void the export first' },
  NOT_ENDORSED: { kind: 'conflict', summary: 'an export void of a permit with no export endorsement' },
  // Well-formed, refused by a rule.
  QUANTITY_EXCEEDED: { kind: 'unprocessable', summary: 'a line\'s quantity above what was endorsed or authorised' },
  INVALID_LINES: { kind: 'unprocessable', summary: 'no lines, an unknown or repeated line, a non-positive quantity, a fraction of a specimen, or another unit' },
  REPLACEMENT_EXCEEDS_ORIGINAL: { kind: 'unprocessable', summary: 'a replacement line that is not the original\'s, in another unit, or above what remains of it' },
  PERMIT_EXPIRED: { kind: 'unprocessable', summary: 'used or endorsed after the validity period' },
  PERMIT_NOT_YET_VALID: { kind: 'unprocessable', summary: 'used or endorsed before the validity period' },
  PERMIT_NUMBER_INVALID: { kind: 'unprocessable', summary: 'a permit number with no canonical form (permit-profile.md §2.1)' },
  PERMIT_SIGNATURE_INVALID: { kind: 'unprocessable', summary: 'the permit XML is not validly signed by this party, or breaks the rules (also: the background check\'s alert)' },
  FREE_TEXT_NAMES_TRADER: { kind: 'unprocessable', summary: 'a reason or details text to be signed into an event holds a trader\'s name or address from the permit (every listed authority receives events; ledger.md §2.4)' },
  ACTOR_INVALID: { kind: 'unprocessable', summary: 'an acting account ID that is not 1 to 64 of A-Z a-z 0-9 _ - (ledger.md §2.3)' },
  NOT_DESTINATION: { kind: 'unprocessable', summary: 'a use (or claim) asked by an authority that is not the permit\'s destination' },
  CLAIM_INVALID: { kind: 'unprocessable', summary: 'a claim reference or time of use that cannot be right, or that is not what the claimant\'s log holds' },
  CLAIM_UNKNOWN: { kind: 'unavailable', summary: 'the claimant\'s log, as held here, has no event at the claimed position yet (sync, then ask again)' },
  // Who may do it.
  NOT_ISSUER: { kind: 'forbidden', summary: 'only the issuing party writes a permit\'s events' },
  // This node cannot do it now.
  SIGNER_NOT_TRUSTED: { kind: 'unavailable', summary: 'this node\'s signing certificate is not granted on the trust list now' },
  LEDGER_READ_ONLY: { kind: 'unavailable', summary: 'the ledger was opened without the party\'s signing key' },
  LEDGER_OPEN: { kind: 'unavailable', summary: 'the ledger cannot be opened as asked (another party\'s, newer schema, not created)' },
  // Another authority's event or checkpoint refused (InvalidEventError: code EVENT_INVALID, the reason one of the
  // EVENT_* / CHECKPOINT_INVALID codes). They come from another node: bad-gateway, as the verdict's log check has them.
  EVENT_INVALID: { kind: 'bad-gateway', summary: 'an event or checkpoint from another authority that cannot be accepted' },
  EVENT_MALFORMED: { kind: 'bad-gateway', summary: 'an event that does not decode, seq < 1, no type, or an actor that is not an account ID' },
  EVENT_UNKNOWN_AUTHOR: { kind: 'bad-gateway', summary: 'an author not on the trust list' },
  EVENT_SIGNATURE_INVALID: { kind: 'bad-gateway', summary: 'an event signature that does not verify' },
  EVENT_CERT_NOT_GRANTED: { kind: 'bad-gateway', summary: 'signed with a certificate not granted at the event\'s time' },
  EVENT_PREV_HASH_MISMATCH: { kind: 'bad-gateway', summary: 'an event that does not chain to the one before it' },
  EVENT_TRANSITION_INVALID: { kind: 'bad-gateway', summary: 'an event whose transition the state machine refuses' },
  EVENT_WRONG_LOG: { kind: 'bad-gateway', summary: 'an event in a log it cannot belong to' },
  CHECKPOINT_INVALID: { kind: 'bad-gateway', summary: 'a checkpoint that does not decode or is not validly signed' },
  EVENT_VERSION_UNSUPPORTED: { kind: 'bad-gateway', summary: 'an event of another format than version 2 (a version 1 event carries a whole permit document; ledger.md §2.4)' },
  // Documents (ledger.md §2.4, §7): held only by the parties of the trade.
  DOCUMENT_HASH_MISMATCH: { kind: 'unprocessable', summary: 'a document whose SHA-256 is not the one its issuer recorded in the ISSUED event' },
  NOT_A_PARTY: { kind: 'forbidden', summary: 'a permit document asked for, or offered to, an authority that is neither its issuer nor its destination' },
  DOCUMENT_NOT_HELD: { kind: 'not-found', summary: 'this node does not hold the permit\'s document (it is not a party, or it has not received it)' },
  DOCUMENT_ERASED: { kind: 'gone', summary: 'the permit\'s document was erased under the retention rule; its summary and hash remain' },
  // Found by verifyLog (with the EVENT_* codes above) or by a checkpoint received.
  EVENT_MISSING: { kind: 'unprocessable', summary: 'a hole in a stored log' },
  CHECKPOINT_MISMATCH: { kind: 'unprocessable', summary: 'a signed checkpoint whose root does not match the events held' },
  HEAD_MISMATCH: { kind: 'unprocessable', summary: 'the recorded head does not match the stored log' },
  // Alerts (Alert.kind; Alert.code holds the ledger code they are about).
  EQUIVOCATION: { kind: 'conflict', summary: 'an author signed two different events or checkpoints at one position' },
  TRANSITION_REFUSED: { kind: 'conflict', summary: 'an author signed an illegal transition; the state keeps the first outcome' },
  DIVERTED_USE: { kind: 'conflict', summary: 'a permit presented by an authority that is not its destination' },
  CLAIM_REFUSED: { kind: 'conflict', summary: 'the issuer refused a provisional use' }
})
export type LedgerCode = keyof typeof LEDGER_CODES

export abstract class LedgerError extends CodedError {
  abstract override readonly code: LedgerCode
}

/** No such permit in the ledger. */
export class PermitNotFoundError extends LedgerError { readonly code = 'PERMIT_NOT_FOUND' }

/** A second ISSUED event for one permit in a log (the state machine's refusal; a command to issue gets DUPLICATE_NUMBER). */
export class PermitAlreadyIssuedError extends LedgerError { readonly code = 'PERMIT_ALREADY_ISSUED' }

/**
 * Issue (or record) refused: this party already holds a permit whose number
 * has the same canonical form, however it was spelt (issue 16).
 */
export class DuplicateNumberError extends LedgerError {
  readonly code = 'DUPLICATE_NUMBER'
  /** The number already held, canonical. */
  readonly existing: string
  constructor (message: string, existing: string) {
    super(message)
    this.existing = existing
  }
}

/** Any action on a cancelled permit. */
export class PermitCancelledError extends LedgerError { readonly code = 'PERMIT_CANCELLED' }

/** Any action on a permit that was replaced by another. */
export class PermitReplacedError extends LedgerError { readonly code = 'PERMIT_REPLACED' }

/** Cancelling a permit whose export was endorsed, before the export is voided. */
export class ExportEndorsedError extends LedgerError { readonly code = 'EXPORT_ENDORSED' }

/** Voiding an export that was never endorsed. */
export class NotEndorsedError extends LedgerError { readonly code = 'NOT_ENDORSED' }

/** A replacement that covers more than what remains of the original, or other goods. */
export class ReplacementExceedsError extends LedgerError { readonly code = 'REPLACEMENT_EXCEEDS_ORIGINAL' }

/** A second consumption. `receipt` is the first one: when, where and by whom. */
export class AlreadyConsumedError extends LedgerError {
  readonly code = 'ALREADY_CONSUMED'
  readonly receipt: Receipt
  constructor (message: string, receipt: Receipt) {
    super(message)
    this.receipt = receipt
  }
}

/** An export endorsement after the permit was consumed. */
export class EndorsementAfterConsumptionError extends LedgerError { readonly code = 'ENDORSEMENT_AFTER_CONSUMPTION' }

/** A second export endorsement. */
export class AlreadyEndorsedError extends LedgerError { readonly code = 'ALREADY_ENDORSED' }

/** Consumption or endorsement outside the validity dates (expiry is derived, never recorded). */
export class PermitExpiredError extends LedgerError { readonly code = 'PERMIT_EXPIRED' }

/** Consumption or endorsement before the permit is valid. */
export class PermitNotYetValidError extends LedgerError { readonly code = 'PERMIT_NOT_YET_VALID' }

/** A line's quantity above what was endorsed (or, without endorsement, authorised). */
export class QuantityExceededError extends LedgerError {
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
export class InvalidLinesError extends LedgerError { readonly code = 'INVALID_LINES' }

/** Only the issuing party writes a permit's events. */
export class NotIssuerError extends LedgerError { readonly code = 'NOT_ISSUER' }

/** The permit XML to record is not validly signed by this party, or breaks the rules. */
export class PermitNotSignedError extends LedgerError {
  readonly code = 'PERMIT_SIGNATURE_INVALID'
  readonly reasons: Array<{ check: string, code: string, message: string }>
  constructor (message: string, reasons: Array<{ check: string, code: string, message: string }>) {
    super(message)
    this.reasons = reasons
  }
}

/** Why an event or checkpoint is refused (protocol-spec/ledger.md). */
export type EventRejection =
  | 'EVENT_MALFORMED' | 'EVENT_UNKNOWN_AUTHOR' | 'EVENT_SIGNATURE_INVALID' | 'EVENT_CERT_NOT_GRANTED'
  | 'EVENT_PREV_HASH_MISMATCH' | 'EVENT_TRANSITION_INVALID' | 'EVENT_WRONG_LOG' | 'CHECKPOINT_INVALID' | 'EVENT_VERSION_UNSUPPORTED'

/** An event from another authority that cannot be accepted. `reason` is the stable event code. */
export class InvalidEventError extends LedgerError {
  readonly code = 'EVENT_INVALID'
  readonly reason: EventRejection
  readonly seq?: number
  constructor (reason: EventRejection, message: string, seq?: number) {
    super(message)
    this.reason = reason
    if (seq !== undefined) this.seq = seq
  }
}

/** A document whose SHA-256 is not the one in its ISSUED event. */
export class DocumentHashMismatchError extends LedgerError { readonly code = 'DOCUMENT_HASH_MISMATCH' }

/** A document for a permit this node is neither the issuer nor the destination of. */
export class NotAPartyError extends LedgerError { readonly code = 'NOT_A_PARTY' }

/** A document erased under the retention rule: it is not taken again. */
export class DocumentErasedError extends LedgerError { readonly code = 'DOCUMENT_ERASED' }

/** The ledger cannot be opened as asked (another party's, newer schema, not created). */
export class LedgerOpenError extends LedgerError { readonly code = 'LEDGER_OPEN' }

/** A write on a ledger opened without the party's signing key. */
export class LedgerReadOnlyError extends LedgerError { readonly code = 'LEDGER_READ_ONLY' }

/** A permit number with no canonical form (permit-profile.md §2.1). */
export class PermitNumberInvalidError extends LedgerError { readonly code = 'PERMIT_NUMBER_INVALID' }

/** This node's own signing certificate is not granted on the trust list: it may not write events. */
export class SignerNotTrustedError extends LedgerError { readonly code = 'SIGNER_NOT_TRUSTED' }

/** A permit may be used (or claimed) only by its destination authority. */
export class NotDestinationError extends LedgerError { readonly code = 'NOT_DESTINATION' }

/** The destination already holds an unresolved provisional use of this permit. */
export class ProvisionallyConsumedError extends LedgerError { readonly code = 'ALREADY_CONSUMED_PROVISIONALLY' }

/** A claim reference or time of use that cannot be right (e.g. a use after the confirming event). */
export class ClaimInvalidError extends LedgerError { readonly code = 'CLAIM_INVALID' }

/** An acting account ID (the event's `actor`) that is not 1 to 64 of A-Z a-z 0-9 _ - (ledger.md §2.3). */
export class ActorInvalidError extends LedgerError { readonly code = 'ACTOR_INVALID' }

/** The claimed PROVISIONAL_CONSUMED event is not (yet) in this node's replica of the claimant's log. */
export class ClaimUnknownError extends LedgerError { readonly code = 'CLAIM_UNKNOWN' }

/** A free text to be signed into an event names a trader of the permit (ledger.md §2.4). */
export class FreeTextNamesTraderError extends LedgerError { readonly code = 'FREE_TEXT_NAMES_TRADER' }
