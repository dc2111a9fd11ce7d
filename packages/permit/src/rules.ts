/**
 * CITES rule checks in the "diagnose" style: they return every problem at
 * once, each with a stable code and the box of the standard form it concerns
 * (Res. Conf. 12.3 Annex 2). Codes are listed in protocol-spec/permit-profile.md
 * and are never renumbered or reused.
 */
import { APPENDICES, CERTIFICATE_TYPES, CERTIFICATE_VALIDITY_MONTHS, DOCUMENT_TYPES, ISO_COUNTRIES, isMultiUse, PURPOSE_CODES, REPLACEMENT_REASONS, SOURCE_CODES, TERM_CODES, UNIT_CODES, isUserAssignedCountry, minimumQuantity, requiresWholeNumber } from './codes.js'
import type { Permit } from './model.js'
import { canonicalPermitNumber } from './number.js'

/** Stable rule codes, one doc line each. */
export const RuleCode = {
  /** Box 1 has no permit number. */
  NUMBER_MISSING: 'NUMBER_MISSING',
  /** Box 1 has a number with no canonical form (permit-profile.md §2.1): a character other than letters, digits and separators, or longer than 64. */
  NUMBER_INVALID: 'NUMBER_INVALID',
  /** Box 1 document type is not E, I, R or O. */
  TYPE_INVALID: 'TYPE_INVALID',
  /** Box 2 lacks a start or an end date. */
  VALIDITY_MISSING: 'VALIDITY_MISSING',
  /** A date is not ISO 8601. */
  DATE_INVALID: 'DATE_INVALID',
  /** Box 2 ends before (or when) it starts. */
  VALIDITY_END_BEFORE_START: 'VALIDITY_END_BEFORE_START',
  /** Box 1 "other": the certificate's kind is not one of permit-profile.md §2.3, or is given on an E, I or R document. */
  CERTIFICATE_TYPE_INVALID: 'CERTIFICATE_TYPE_INVALID',
  /** Box 2 ends later after the date of grant than the document type allows (permit-profile.md §3.2: 6 months E/R and Art. VII certificates, 12 I/origin/sea, 36 musical-instrument, travelling-exhibition, ownership). */
  VALIDITY_TOO_LONG: 'VALIDITY_TOO_LONG',
  /** Box 5a purpose code is missing. */
  PURPOSE_MISSING: 'PURPOSE_MISSING',
  /** Box 5a purpose code is not a CITES purpose code. */
  PURPOSE_INVALID: 'PURPOSE_INVALID',
  /** A party's country is missing. */
  COUNTRY_MISSING: 'COUNTRY_MISSING',
  /** A country code is not ISO 3166-1 alpha-2 (or EU). */
  COUNTRY_INVALID: 'COUNTRY_INVALID',
  /** A user-assigned ISO code (XA..XZ): fine for pilots, not for real trade (warning). */
  COUNTRY_USER_ASSIGNED: 'COUNTRY_USER_ASSIGNED',
  /** Consignor (Box 4) and consignee (Box 3) are in the same country. */
  SAME_COUNTRY: 'SAME_COUNTRY',
  /** The issuing MA's country is not the exporting (E, R) or importing (I) country. */
  ISSUER_COUNTRY_MISMATCH: 'ISSUER_COUNTRY_MISMATCH',
  /** No species line. */
  LINES_MISSING: 'LINES_MISSING',
  /** A line has no letter, or two lines share one. */
  LINE_ID_INVALID: 'LINE_ID_INVALID',
  /** A line has no scientific name. */
  SPECIES_MISSING: 'SPECIES_MISSING',
  /** Appendix is not I, II or III (or is missing). */
  APPENDIX_INVALID: 'APPENDIX_INVALID',
  /** Source code is not a CITES source code (or is missing). */
  SOURCE_INVALID: 'SOURCE_INVALID',
  /** Term code is not a CITES term code (or is missing). */
  TERM_INVALID: 'TERM_INVALID',
  /** Unit is not a recognised unit of quantity. */
  UNIT_INVALID: 'UNIT_INVALID',
  /** Box 11 has no quantity. */
  QUANTITY_MISSING: 'QUANTITY_MISSING',
  /** A quantity is zero, negative or not finite. */
  QUANTITY_NOT_POSITIVE: 'QUANTITY_NOT_POSITIVE',
  /** Box 14 quantity exported exceeds Box 11. */
  EXPORTED_EXCEEDS_AUTHORISED: 'EXPORTED_EXCEEDS_AUTHORISED',
  /** An Appendix I export permit, or the re-export certificate of a live Appendix I specimen, does not reference its import permit (Art. III(3), III(4)(c)); source D lines (Art. VII(4)) and certificates are exempt. */
  APPENDIX_I_IMPORT_PERMIT_MISSING: 'APPENDIX_I_IMPORT_PERMIT_MISSING',
  /** An import permit for commercial purposes (T) of a wild (W) or sea-taken (X) Appendix I specimen (Art. III(3)(c), III(5)(c)). */
  APPENDIX_I_COMMERCIAL_WILD: 'APPENDIX_I_COMMERCIAL_WILD',
  /** Box 12b: a pre-Convention certificate line has no date of acquisition (Res. Conf. 13.6 (Rev. CoP18)). */
  ACQUISITION_DATE_MISSING: 'ACQUISITION_DATE_MISSING',
  /** A re-export certificate line gives neither its origin permit nor its last re-export certificate. */
  REEXPORT_ORIGIN_MISSING: 'REEXPORT_ORIGIN_MISSING',
  /** A replacement does not give the number of the permit it replaces. */
  REPLACEMENT_NUMBER_MISSING: 'REPLACEMENT_NUMBER_MISSING',
  /** A quantity counted in specimens (live animals, any term without a measure) is not a whole number. */
  QUANTITY_NOT_WHOLE: 'QUANTITY_NOT_WHOLE',
  // At issue only (checkIssue): the signing node's own rules, never a verifier's.
  /** The issue date given is not the time of signing (backdated, postdated, or a date without a time). */
  ISSUE_DATE_NOT_NOW: 'ISSUE_DATE_NOT_NOW',
  /** Box 2 ended before the permit is issued. */
  VALIDITY_ENDED_AT_ISSUE: 'VALIDITY_ENDED_AT_ISSUE',
  /** Box 2 starts later after the issue than the authority's grace allows. */
  VALIDITY_START_TOO_LATE: 'VALIDITY_START_TOO_LATE',
  /** The signing certificate's grant on the trust list starts after the issue date: every verifier would answer ISSUER_CERT_NOT_GRANTED. */
  CERT_NOT_GRANTED_AT_ISSUE: 'CERT_NOT_GRANTED_AT_ISSUE',
  /** A replacement's reason is not lost, stolen, damaged or error. */
  REPLACEMENT_REASON_INVALID: 'REPLACEMENT_REASON_INVALID'
} as const
export type RuleCode = typeof RuleCode[keyof typeof RuleCode]

/** One problem found in a permit. */
export interface RuleProblem {
  code: RuleCode
  /** The box of the standard form, e.g. "1", "5a", "11". */
  box: string
  severity: 'error' | 'warning'
  message: string
  /** The line letter, for per-line problems. */
  line?: string
}

/** Options for {@link checkPermit}. */
export interface RuleOptions {
  /**
   * Accept ISO user-assigned codes XA..XZ with a warning (pilot networks and
   * the EPIX samples use them). When false they are errors.
   * @default true
   */
  allowUserAssignedCountries?: boolean
}

const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/

/** Parse an ISO 8601 date or date-time to epoch ms, or undefined when it is not one. */
export function parseIsoDate (s: string | undefined): number | undefined {
  if (s === undefined || !ISO_DATE_RE.test(s)) return undefined
  const t = Date.parse(s)
  return Number.isNaN(t) ? undefined : t
}

/**
 * Longest validity, in calendar months from the date of grant, by document
 * type and, for `O`, certificate kind (Art. VI(2); Res. Conf. 12.3 (Rev.
 * CoP19); codes.ts CERTIFICATE_VALIDITY_MONTHS gives each source). An `O`
 * of no known kind is `other`: 12 months, as before issue 14.
 */
export function maxValidityMonths (type: string, certificateType?: string): number {
  if (type === 'E' || type === 'R') return 6
  if (type === 'O' && certificateType !== undefined && Object.hasOwn(CERTIFICATE_VALIDITY_MONTHS, certificateType)) {
    return CERTIFICATE_VALIDITY_MONTHS[certificateType as keyof typeof CERTIFICATE_VALIDITY_MONTHS]
  }
  return 12
}

/** Document type and kind as people read them, e.g. "musical instrument certificate". */
function documentName (p: Permit): string {
  if (p.type === 'O' && p.certificateType !== undefined && Object.hasOwn(CERTIFICATE_TYPES, p.certificateType)) {
    return CERTIFICATE_TYPES[p.certificateType as keyof typeof CERTIFICATE_TYPES].label.toLowerCase()
  }
  return DOCUMENT_TYPES[p.type as keyof typeof DOCUMENT_TYPES]
}

function addMonths (t: number, months: number): number {
  const d = new Date(t)
  d.setUTCMonth(d.getUTCMonth() + months)
  return d.getTime()
}

/** Check a permit against the CITES rules. Returns every problem; empty when it passes. */
export function checkPermit (p: Permit, opts: RuleOptions = {}): RuleProblem[] {
  const out: RuleProblem[] = []
  const allowX = opts.allowUserAssignedCountries ?? true
  const err = (code: RuleCode, box: string, message: string, line?: string): void => {
    out.push(line === undefined ? { code, box, severity: 'error', message } : { code, box, severity: 'error', message, line })
  }
  const country = (code: string | undefined, box: string, what: string, required: boolean, line?: string): void => {
    if (code === undefined || code === '') {
      if (required) err(RuleCode.COUNTRY_MISSING, box, `${what}: country is missing`, line)
      return
    }
    if (ISO_COUNTRIES.has(code) || code === 'EU') return
    if (isUserAssignedCountry(code)) {
      const w: RuleProblem = { code: RuleCode.COUNTRY_USER_ASSIGNED, box, severity: allowX ? 'warning' : 'error', message: `${what}: ${code} is a user-assigned ISO code` }
      if (line !== undefined) w.line = line
      out.push(w)
      return
    }
    err(RuleCode.COUNTRY_INVALID, box, `${what}: "${code}" is not an ISO 3166-1 alpha-2 code`, line)
  }
  const positive = (q: number | undefined, box: string, what: string, line: string, unit?: string): void => {
    if (q === undefined) return
    if (!(Number.isFinite(q) && q > 0)) err(RuleCode.QUANTITY_NOT_POSITIVE, box, `${what} must be positive, got ${q}`, line)
    else if (unit !== undefined && q < minimumQuantity(unit)) err(RuleCode.QUANTITY_NOT_POSITIVE, box, `${what} ${q} is below the smallest quantity of its unit (${minimumQuantity(unit)})`, line)
    else if (unit !== undefined && requiresWholeNumber(unit) && !Number.isInteger(q)) err(RuleCode.QUANTITY_NOT_WHOLE, box, `${what} ${q} is counted in specimens: a whole number`, line)
  }

  // Box 1
  if (p.number.trim() === '') err(RuleCode.NUMBER_MISSING, '1', 'permit number is missing')
  else if (canonicalPermitNumber(p.number) === undefined) err(RuleCode.NUMBER_INVALID, '1', 'permit number has no canonical form: use letters A-Z, digits and separators, at most 64 of letters and digits')
  const typeOk = Object.hasOwn(DOCUMENT_TYPES, p.type)
  if (!typeOk) err(RuleCode.TYPE_INVALID, '1', `document type "${p.type}" is not one of E, I, R, O`)
  if (p.certificateType !== undefined) {
    if (p.type !== 'O') err(RuleCode.CERTIFICATE_TYPE_INVALID, '1', `a certificate kind is given only with document type O ("other"), not ${p.type}`)
    else if (!Object.hasOwn(CERTIFICATE_TYPES, p.certificateType)) err(RuleCode.CERTIFICATE_TYPE_INVALID, '1', `"${p.certificateType.slice(0, 40)}" is not one of ${Object.keys(CERTIFICATE_TYPES).join(', ')}`)
  }

  // Box 2
  if (p.validFrom === undefined || p.validUntil === undefined) {
    err(RuleCode.VALIDITY_MISSING, '2', 'validity start and end dates are required')
  }
  const from = parseIsoDate(p.validFrom)
  const until = parseIsoDate(p.validUntil)
  if (p.validFrom !== undefined && from === undefined) err(RuleCode.DATE_INVALID, '2', `valid-from "${p.validFrom}" is not an ISO 8601 date`)
  if (p.validUntil !== undefined && until === undefined) err(RuleCode.DATE_INVALID, '2', `valid-until "${p.validUntil}" is not an ISO 8601 date`)
  if (from !== undefined && until !== undefined) {
    if (until <= from) {
      err(RuleCode.VALIDITY_END_BEFORE_START, '2', 'validity ends before it starts')
    } else if (typeOk) {
      // Validity counts from the date of grant (Art. VI(2): "valid for a
      // period of six months from the date on which it was granted"), not
      // from Box 2's start, which may be later; Box 2's start only when the
      // document gives no issue date.
      const granted = parseIsoDate(p.issueDate) ?? from
      const months = maxValidityMonths(p.type, p.certificateType)
      if (until > addMonths(granted, months)) {
        err(RuleCode.VALIDITY_TOO_LONG, '2', `a ${documentName(p)} is valid for at most ${months} months from the date of grant${granted !== from ? ` (${p.issueDate ?? ''})` : ''}`)
      }
    }
  }
  if (p.issueDate !== undefined && parseIsoDate(p.issueDate) === undefined) err(RuleCode.DATE_INVALID, '2', `issue date "${p.issueDate}" is not an ISO 8601 date`)
  const multiUse = isMultiUse(p.type, p.certificateType)

  // Box 5, 5a
  if (p.purpose === undefined) err(RuleCode.PURPOSE_MISSING, '5a', 'purpose code is missing')
  else if (!Object.hasOwn(PURPOSE_CODES, p.purpose)) err(RuleCode.PURPOSE_INVALID, '5a', `"${p.purpose}" is not a CITES purpose code`)
  if (p.replacement !== undefined && p.replacement.replaces.trim() === '') {
    err(RuleCode.REPLACEMENT_NUMBER_MISSING, '5', 'a replacement must give the number of the permit it replaces')
  }

  // Boxes 3, 4, 6
  const issuerC = p.issuer.address?.country
  const consigneeC = p.consignee.address?.country
  const consignorC = p.consignor.address?.country
  country(issuerC, '6', 'issuing Management Authority', true)
  country(consigneeC, '3', 'importer', true)
  country(consignorC, '4', 'exporter', true)
  // A passport-like certificate names its holder in Boxes 3 and 4, often at
  // home in the issuing country: one country is right there.
  if (!multiUse && consigneeC !== undefined && consigneeC !== '' && consigneeC === consignorC) {
    err(RuleCode.SAME_COUNTRY, '3', `importer and exporter are both in ${consigneeC}`)
  }
  if (issuerC !== undefined && issuerC !== '') {
    const expected = p.type === 'I' ? consigneeC : (p.type === 'E' || p.type === 'R') ? consignorC : undefined
    if (expected !== undefined && expected !== '' && expected !== issuerC) {
      const role = p.type === 'I' ? 'importer (Box 3)' : 'exporter (Box 4)'
      err(RuleCode.ISSUER_COUNTRY_MISMATCH, '6', `issuing MA is in ${issuerC} but the ${role} is in ${expected}`)
    }
  }

  // Lines
  if (p.lines.length === 0) err(RuleCode.LINES_MISSING, '7/8', 'a permit needs at least one species line')
  const seen = new Set<string>()
  // Lines that need an import permit under Art. III: Appendix I, except
  // source D (Art. VII(4): treated as Appendix II); on a re-export only live
  // specimens (Art. III(4)(c)). Certificates (O, e.g. Art. VII(5)) never.
  let needsImportPermit = false
  const preConvention = p.type === 'O' && p.certificateType === 'pre-convention'
  for (const [i, l] of p.lines.entries()) {
    const lid = l.id === '' ? `#${i + 1}` : l.id
    if (l.id === '' || seen.has(l.id)) err(RuleCode.LINE_ID_INVALID, '7/8', l.id === '' ? 'line has no letter' : `line letter ${l.id} is used twice`, lid)
    seen.add(l.id)
    if (l.scientificName.trim() === '') err(RuleCode.SPECIES_MISSING, '7/8', 'scientific name is missing', lid)
    if (l.appendix === undefined || !(APPENDICES as readonly string[]).includes(l.appendix)) err(RuleCode.APPENDIX_INVALID, '10', `appendix "${l.appendix ?? ''}" is not I, II or III`, lid)
    if (l.appendix === 'I' && l.source !== 'D' && (p.type === 'E' || (p.type === 'R' && l.term === 'LIV'))) needsImportPermit = true
    if (p.type === 'I' && p.purpose === 'T' && l.appendix === 'I' && (l.source === 'W' || l.source === 'X')) {
      err(RuleCode.APPENDIX_I_COMMERCIAL_WILD, '5a', `an Appendix I specimen from the ${l.source === 'W' ? 'wild' : 'sea'} (source ${l.source}) is not imported for primarily commercial purposes (Art. III(${l.source === 'W' ? '3' : '5'})(c))`, lid)
    }
    if (l.acquisitionDate !== undefined && parseIsoDate(l.acquisitionDate) === undefined) err(RuleCode.DATE_INVALID, '12b', `date of acquisition "${l.acquisitionDate.slice(0, 40)}" is not an ISO 8601 date`, lid)
    else if (preConvention && l.acquisitionDate === undefined) err(RuleCode.ACQUISITION_DATE_MISSING, '12b', 'a pre-Convention certificate gives the date of acquisition of each specimen (Res. Conf. 13.6 (Rev. CoP18))', lid)
    if (l.source === undefined || !Object.hasOwn(SOURCE_CODES, l.source)) err(RuleCode.SOURCE_INVALID, '10', `source "${l.source ?? ''}" is not a CITES source code`, lid)
    if (l.term === undefined || !TERM_CODES.has(l.term)) err(RuleCode.TERM_INVALID, '9', `term "${l.term ?? ''}" is not a CITES term code`, lid)
    if (l.quantity === undefined) err(RuleCode.QUANTITY_MISSING, '11', 'quantity is missing', lid)
    positive(l.quantity, '11', 'quantity', lid, l.unit ?? '')
    if (l.unit !== undefined && !UNIT_CODES.has(l.unit)) err(RuleCode.UNIT_INVALID, '11', `unit "${l.unit}" is not a recognised unit`, lid)
    positive(l.exportedQuantity, '14', 'quantity exported', lid, l.exportedUnit ?? l.unit ?? '')
    if (l.exportedUnit !== undefined && !UNIT_CODES.has(l.exportedUnit)) err(RuleCode.UNIT_INVALID, '14', `unit "${l.exportedUnit}" is not a recognised unit`, lid)
    if (l.exportedQuantity !== undefined && l.quantity !== undefined && l.exportedQuantity > l.quantity) {
      err(RuleCode.EXPORTED_EXCEEDS_AUTHORISED, '14', `exported ${l.exportedQuantity} exceeds the ${l.quantity} authorised`, lid)
    }
    positive(l.quotaAnnual, '11a', 'annual quota', lid)
    country(l.originCountry, '12', 'country of origin', false, lid)
    country(l.exportCountry, '12a', 'country of last re-export', false, lid)
    if (p.type === 'R' && (l.originPermit?.id ?? '') === '' && (l.lastReexport?.id ?? '') === '') {
      err(RuleCode.REEXPORT_ORIGIN_MISSING, '12', 'a re-export certificate must give the origin permit or the last re-export certificate', lid)
    }
  }
  if (needsImportPermit && !(p.references ?? []).some((r) => r.typeCode === 'I' && (r.id ?? '') !== '')) {
    err(RuleCode.APPENDIX_I_IMPORT_PERMIT_MISSING, '5', p.type === 'E' ? 'an Appendix I export permit must reference the import permit (Art. III(3))' : 'a re-export certificate of a live Appendix I specimen must reference the import permit (Art. III(4)(c))')
  }
  return out
}

/** True when no problem is an error (warnings allowed). */
export function passesRules (problems: readonly RuleProblem[]): boolean {
  return problems.every((p) => p.severity !== 'error')
}

/** Options for {@link checkIssue}: the signing node's clock, zone and policy. */
export interface IssueRuleOptions {
  /** The time of signing (ms). */
  now: number
  /** How far a given issue date may be from the time of signing (clock skew). @default 5 minutes */
  issueDateToleranceMs?: number
  /** How long after the issue Box 2 may start. @default 30 days */
  validityStartGraceMs?: number
  /** When the signing certificate's grant on the trust list starts (ms), if known. */
  certificateGrantedAt?: number
  /** Box 2 as instants (dates.ts `validityInstants` in the issuer's zone). */
  validity: { from?: number, until?: number }
}

export const DEFAULT_ISSUE_DATE_TOLERANCE_MS = 5 * 60_000
export const DEFAULT_VALIDITY_START_GRACE_MS = 30 * 86_400_000

/**
 * The rules a node applies before it signs (issue 20), on top of
 * {@link checkPermit}: the issue date is the time of signing; Box 2 has not
 * ended and starts within the grace; the signing certificate is granted at
 * the issue date; a replacement states why. A verifier never applies them:
 * they are about the act of issuing, not the document.
 */
export function checkIssue (p: Permit, opts: IssueRuleOptions): RuleProblem[] {
  const out: RuleProblem[] = []
  const err = (code: RuleCode, box: string, message: string): void => { out.push({ code, box, severity: 'error', message }) }
  const tolerance = opts.issueDateToleranceMs ?? DEFAULT_ISSUE_DATE_TOLERANCE_MS
  const grace = opts.validityStartGraceMs ?? DEFAULT_VALIDITY_START_GRACE_MS
  const now = new Date(opts.now).toISOString()
  let issued = opts.now
  if (p.issueDate !== undefined) {
    const t = parseIsoDate(p.issueDate)
    if (t !== undefined && (!p.issueDate.includes('T') || Math.abs(t - opts.now) > tolerance)) {
      err(RuleCode.ISSUE_DATE_NOT_NOW, '2', `the issue date ${p.issueDate} is not the time of signing (${now}); leave it out and the node writes the time of signing`)
    } else if (t !== undefined) issued = t
  }
  const { from, until } = opts.validity
  if (until !== undefined && until < opts.now) err(RuleCode.VALIDITY_ENDED_AT_ISSUE, '2', `the validity ended on ${p.validUntil ?? ''}, before the permit is issued (${now})`)
  if (from !== undefined && from > issued + grace) err(RuleCode.VALIDITY_START_TOO_LATE, '2', `the validity starts on ${p.validFrom ?? ''}, more than ${Math.round(grace / 86_400_000)} days after the issue`)
  if (opts.certificateGrantedAt !== undefined && opts.certificateGrantedAt > issued) {
    err(RuleCode.CERT_NOT_GRANTED_AT_ISSUE, '6', `this node's signing certificate is granted on the trust list only from ${new Date(opts.certificateGrantedAt).toISOString()}, after the issue date ${new Date(issued).toISOString()}: every verifier would refuse the permit (ISSUER_CERT_NOT_GRANTED)`)
  }
  const reason = p.replacement?.reason
  if (p.replacement !== undefined && !(REPLACEMENT_REASONS as readonly string[]).includes(reason ?? '')) {
    err(RuleCode.REPLACEMENT_REASON_INVALID, '5', `a replacement states its reason as one of ${REPLACEMENT_REASONS.join(', ')}${reason === undefined ? '' : ` (got "${reason.slice(0, 40)}")`}; the circumstances go in details`)
  }
  return out
}
