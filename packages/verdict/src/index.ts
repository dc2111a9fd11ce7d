/**
 * @cites/verdict: the customs verdict, in one module. Each check is one file
 * under `checks/` (its name, its stable codes, and functions that return a
 * fragment: a check, or nothing when it does not apply); one composer
 * (`composeVerdict`) makes every verdict; and the entry points below are what
 * every verifier calls: the HTTP API, /cites/verify, the CLI, delivery
 * acceptance and the background permit checks.
 *
 * The checks users see keep their names, order, codes and messages
 * (permit-profile.md): integrity, issuer, rules, validity, status, use,
 * confirmation, destination. A split issuer log (equivocation.ts) fails
 * `status`; a permit made out to another country than the judging node's
 * fails `destination` (destination.ts).
 *
 * @example
 * ```ts
 * import { judgeDocument, judgePermitEvents, withStamp } from '@cites/verdict'
 * const doc = await judgeDocument(signedXml, { trust })             // offline, cached by hash
 * const v = await judgePermitEvents(events, { party: 'CH', number, trust, answeredBy: 'CH' })
 * const onPaper = withStamp(v, 'CH-SS-0042')                        // integrity fails on a wrong stamp
 * ```
 *
 * @packageDocumentation
 */
import { integrity } from './checks/integrity.js'
import { issuer } from './checks/issuer.js'
import { rules } from './checks/rules.js'
import { registered } from './checks/registered.js'
import { validity } from './checks/validity.js'
import { lifecycle } from './checks/lifecycle.js'
import { use } from './checks/use.js'
import { stamp } from './checks/stamp.js'
import { confirmation } from './checks/confirmation.js'
import { log } from './checks/log.js'
import { notConsulted } from './checks/not-consulted.js'
import { equivocation } from './checks/equivocation.js'
import { destination } from './checks/destination.js'
import { reference } from './checks/reference.js'
import { summary } from './checks/summary.js'
import type { CheckInfo } from './compose.js'

export { composeVerdict, replaceCheck } from './compose.js'
export type { Fragment, CheckInfo } from './compose.js'

export {
  judgeDocument, documentChecks, documentVerifications, offlineVerdict, documentFailures, acceptanceCodes, DOCUMENT_CACHE_ENTRIES
} from './document.js'
export type { TrustView, DocumentVerdict, JudgeDocumentOptions, OfflineVerdict, FailureOptions } from './document.js'
export { judgePermitEvents, notFoundVerdict, remoteErrorVerdict } from './events.js'
export type { RemoteVerdict, JudgeOptions } from './events.js'
export { judgePresentedDocument, mergePresentedDocument, unregisteredDocument } from './presented.js'
export type { LedgerVerdict, UnregisteredDocument, PresentedOptions } from './presented.js'

export { integrity, integrityFragment, INTEGRITY_CODES } from './checks/integrity.js'
export { issuer, issuerFragment, ISSUER_CODES } from './checks/issuer.js'
export { rules, rulesFragment, RULES_CODES } from './checks/rules.js'
export { registered, xmlHashFragment, permitMismatchFragment, documentRegisteredFragment, REGISTERED_CODES } from './checks/registered.js'
export { validity, validityFragment, withValidityAt, VALIDITY_CODES } from './checks/validity.js'
export { lifecycle, lifecycleFragment, permitNotFoundFragment, LIFECYCLE_CODES } from './checks/lifecycle.js'
export { use, useFragment, USE_CODES } from './checks/use.js'
export { stamp, stampFragment, withStamp, STAMP_CODES } from './checks/stamp.js'
export { confirmation, confirmationFragment, CONFIRMATION_CODES } from './checks/confirmation.js'
export {
  log, decodeFragment, wrongLogFragment, eventSignatureFragment, applyFragment, noEventsFragment, remoteErrorFragment, LOG_CODES
} from './checks/log.js'
export { notConsulted, notConsultedFragments, NOT_CONSULTED_CODES } from './checks/not-consulted.js'
export { summary, summaryFragments, summaryValidityFragment, SUMMARY_CODES } from './checks/summary.js'
export { equivocation, equivocationFragment, withEquivocation, EQUIVOCATION_CODES } from './checks/equivocation.js'
export { destination, destinationFragment, withDestination, DESTINATION_CODES } from './checks/destination.js'
export { reference, referenceFragment, withReference, REFERENCE_CHECK } from './checks/reference.js'
export type { ReferenceCheck } from './checks/reference.js'

/** Every check of the verdict, in the order they are judged. */
export const CHECKS: readonly CheckInfo[] = [log, integrity, issuer, rules, registered, validity, lifecycle, equivocation, use, stamp, confirmation, destination, reference, notConsulted, summary]
