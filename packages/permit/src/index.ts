/**
 * @cites/permit: the CITES permit model; the eCITES XML reader (Toolkit v1
 * and v2, bare or in a SOAP envelope) and v2 writer; the JSON form; the CITES
 * rule checks; and the safe XML parser the other packages share.
 *
 * @example
 * ```ts
 * import { readPermitXml, checkPermit } from '@cites/permit'
 * const { permit } = readPermitXml(xml)
 * const problems = checkPermit(permit) // every problem, with code and box
 * ```
 *
 * @packageDocumentation
 */
export type { Address, TradeParty, DocumentRef, ExportEndorsement, LangText, LineLanguages, PermitLine, Replacement, Permit } from './model.js'
export { permitParty, permitDestination } from './model.js'
export {
  DOCUMENT_TYPES, CERTIFICATE_TYPES, CERTIFICATE_VALIDITY_MONTHS, MULTI_USE_CERTIFICATES, isMultiUse, certificateTypeFromName, APPENDICES, SOURCE_CODES, PURPOSE_CODES, TERM_CODES, UNIT_CODES, NUMBER_OF_SPECIMENS_UNITS,
  ISO_COUNTRIES, isUserAssignedCountry, minimumQuantity, requiresWholeNumber, canonicalUnit, sameUnit, REPLACEMENT_REASONS,
  DOC_CODE_ORIGIN_PERMIT, DOC_CODE_LAST_REEXPORT
} from './codes.js'
export type { DocumentType, CertificateType, Appendix, ReplacementReason } from './codes.js'
export { SAFE_VALIDITY_ZONE, isTimeZone, isoInZone, isDateOnly, validityInstants, withExplicitValidity } from './dates.js'
export {
  PermitInputError, XmlTooLargeError, XmlTooDeepError, XmlDoctypeError, XmlMalformedError,
  PermitNotFoundError, PermitJsonError, PermitValueError, PERMIT_CODES
} from './errors.js'
export type { JsonIssue, PermitCode } from './errors.js'
export {
  parseXml, scanDepth, childElement, childElements, pathElement, pathText, elementText, escapeXml,
  DEFAULT_MAX_XML_BYTES, DEFAULT_MAX_XML_DEPTH
} from './xml.js'
export type { XmlLimits } from './xml.js'
export {
  readPermitXml, readPermitDocument, readPermitElement, findPermitElement, NS_CITES_V1, NS_CITES_V2, NS_RAM
} from './read.js'
export type { ReadPermit } from './read.js'
export { writePermitXml } from './write.js'
export { canonicalPermitNumber, isCanonicalPermitNumber, samePermitNumber, CANONICAL_PERMIT_NUMBER_RE, MAX_PERMIT_NUMBER_LENGTH } from './number.js'
export { RuleCode, checkPermit, checkIssue, passesRules, parseIsoDate, maxValidityMonths, DEFAULT_ISSUE_DATE_TOLERANCE_MS, DEFAULT_VALIDITY_START_GRACE_MS } from './rules.js'
export type { RuleProblem, RuleOptions, IssueRuleOptions } from './rules.js'
export { permitJsonSchema, permitJsonSchemaDocument, permitFromJson, permitFromJsonText } from './json.js'
export { importPermit } from './import.js'
export type { ImportedPermit } from './import.js'
export { CHECK_NAMES, makeVerdict, check } from './verdict.js'
export type { CheckName, CheckStatus, CheckReason, Check, Verdict } from './verdict.js'
