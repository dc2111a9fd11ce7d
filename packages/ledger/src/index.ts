/**
 * @cites/ledger: the LevelDB ledger of permit events. One signed, hash-
 * chained, append-only log per authority; RFC 6962 checkpoints with
 * inclusion and consistency proofs; the permit state machine with single
 * use enforced under concurrency and crashes; derived, rebuildable indexes;
 * and the CITES annual trade report.
 *
 * @example
 * ```ts
 * const ledger = await Ledger.open({ location, party: 'CH', signer, trust: trustStore })
 * const { state } = await ledger.issue(permit)
 * const receipt = await ledger.consume('CH', state.number, { lines: [{ line: 'A', quantity: 50, unit: 'PCS' }], port: 'THBKK' })
 * ```
 *
 * @packageDocumentation
 */
export { Ledger } from './ledger.js'
export type { CrossCheckOutcome, Equivocations } from './cross-check.js'
export { applyEvent, viewEvent } from './apply.js'
export type {
  LedgerInit, TrustSource, LogHead, Alert, AlertKind, DeliveryState, DeliveryRecord, AcceptStatus, AcceptResult, ActionInput, ConsumeInput, ProvisionalInput, ClaimRecord, ClaimView, EventView, PermitView,
  ListFilter, Page, ListResult, LogProblem, LogVerification, UseRequest, UseDecision, IssuePolicy, DocumentRecord, DocumentStatus
} from './types.js'
export { derivedStatus, checkConsume, checkEndorse, checkCancel, checkReplace, checkConsumable, checkReplacementLines, checkVoidExport, recordedLines, useWarnings, isDestination, multiUse } from './state.js'
export type { UseWarning, ReplacementReasonCode, RecordedStatus, PermitStatus, LineQty, LineSummary, Receipt, PermitState, ClaimRef, ClaimRefusal } from './state.js'
export {
  LEDGER_CODES, LedgerError, PermitNotFoundError, PermitAlreadyIssuedError, PermitCancelledError, PermitReplacedError, AlreadyConsumedError,
  EndorsementAfterConsumptionError, AlreadyEndorsedError, PermitExpiredError, PermitNotYetValidError, QuantityExceededError,
  InvalidLinesError, NotIssuerError, PermitNotSignedError, InvalidEventError, LedgerOpenError, LedgerReadOnlyError,
  PermitNumberInvalidError, DuplicateNumberError, ExportEndorsedError, NotEndorsedError, ReplacementExceedsError, SignerNotTrustedError, NotDestinationError, ProvisionallyConsumedError, ClaimInvalidError, ClaimUnknownError, ActorInvalidError, FreeTextNamesTraderError
} from './errors.js'
export type { EventRejection, LedgerCode } from './errors.js'
export { ACTOR_PATTERN, isActor, checkedActor } from './actor.js'
export type { ActOptions } from './actor.js'
export {
  leafHash, nodeHash, rootOf, frontierAppend, frontierRoot, inclusionProof, consistencyProof, verifyInclusion, verifyConsistency
} from './merkle.js'
export type { Hash } from './merkle.js'
export {
  signEvent, decodeEvent, verifyEventSignature, verifyRecordSignature, signRecord, findCertificate, grantedAt, signCheckpoint, decodeCheckpoint, verifyCheckpointSignature, sha256, hex,
  EVENT_CONTEXT, CHECKPOINT_CONTEXT, MAX_EVENT_BYTES, EVENT_VERSION, signedAt
} from './events.js'
export type { LoggedEvent, LoggedCheckpoint, EventFields } from './events.js'
export { isPartyTo } from './documents.js'
export { decodeEventOrRefuse } from './decode.js'
export { Sublevel, SCHEMA_VERSION, logKey, permitKey, claimKey } from './keys.js'
export type { SublevelName } from './keys.js'
export { PENDING_WINDOW, MAX_PENDING_EVENTS, MAX_PENDING_BYTES } from './pending.js'
export type { PendingView } from './pending.js'
export { KeyedMutex } from './mutex.js'
export { LockOrderError } from './locks.js'
export {
  annualReport, annualReportCsv, annualReportFileName, REPORT_TEMPLATE_COLUMNS, EXPORTS_COLUMNS, IMPORTS_COLUMNS, REPORT_KINDS
} from './report.js'
export type { AnnualReport, AnnualReportOptions, ReportRow, ReportColumn, ReportKind, PaperPermit, LeftOut } from './report.js'
export { csvCell, toCsv } from './csv.js'
export type { CsvValue } from './csv.js'
export {
  EventType, Event, SignedEvent, IssuedBody, EndorsedBody, ConsumedBody, CancelledBody, ReplacedBody, ReplacementReason, ExportVoidedBody, ProvisionalBody, ClaimRefusedBody, UseRefusedBody, LineQuantity, PermitLineSummary, IssuedBodyV1,
  Checkpoint, SignedCheckpoint
} from './pb/ledger.js'
