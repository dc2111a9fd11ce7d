/**
 * The typed model of a CITES permit or certificate, boxes 1 to 15 of the
 * standard form (Res. Conf. 12.3 Annex 2). Dates are kept as the ISO 8601
 * strings the document carries, so that reading and writing never shift a
 * time zone. Absent values are absent keys, never `undefined` values.
 */
import type { Appendix, CertificateType, DocumentType } from './codes.js'

/** A postal address; only `country` matters to the rules. */
export interface Address {
  street?: string
  city?: string
  postcode?: string
  /** ISO 3166-1 alpha-2 (or `EU`). */
  country?: string
  countryName?: string
}

/** Box 3 (importer), Box 4 (exporter), Box 6 (issuing MA). */
export interface TradeParty {
  name?: string
  address?: Address
}

/** A document a permit or a line refers to. */
export interface DocumentRef {
  /** Document number; absent when the source gives only a date. */
  id?: string
  /** For header references: the CITES document type (`I` for an import permit); for lines: UN/EDIFACT 1001. */
  typeCode?: string
  issueDate?: string
}

/** A text that may be given in several languages (`languageID`). */
export interface LangText {
  text: string
  /** ISO 639 code as the document gives it, e.g. EN. */
  language?: string
}

/**
 * The `languageID` of a line's first text of each kind (issue 14: CITES
 * works in English, French and Spanish). The further texts keep theirs in
 * `moreCommonNames`, `moreDescriptions`, `moreMarks`.
 */
export interface LineLanguages {
  commonName?: string
  description?: string
  marks?: string
}

/** Box 14: the export endorsement, made at the border on export. */
export interface ExportEndorsement {
  date?: string
  /** UN/LOCODE or name of the port of export. */
  port?: string
  /** Name of the endorsing official. */
  officer?: string
}

/** One species line (Boxes 7 to 12b, and the line's part of Box 14). */
export interface PermitLine {
  /** Line letter: A, B, ... */
  id: string
  /** Box 9 / 10: scientific name. */
  scientificName: string
  commonName?: string
  /** Box 9: description of specimens. */
  description?: string
  /** Term code (e.g. LIV, SKI, LPS). */
  term?: string
  /** Box 10: appendix. */
  appendix?: Appendix | string
  /** Box 10: source code. */
  source?: string
  /** Box 11: quantity authorised. */
  quantity?: number
  /** Box 11: unit; absent or empty means number of specimens. */
  unit?: string
  /** Box 11a: quota used to date and annual quota. */
  quotaUsed?: number
  quotaAnnual?: number
  /** Box 12: country of origin. */
  originCountry?: string
  /** Box 12: origin permit (UN/EDIFACT 861). */
  originPermit?: DocumentRef
  /** Box 12a: country of last re-export. */
  exportCountry?: string
  /** Box 12a: last re-export certificate (UN/EDIFACT 811). */
  lastReexport?: DocumentRef
  /** Box 14: quantity actually exported on this line. */
  exportedQuantity?: number
  exportedUnit?: string
  /** Shipping marks. */
  marks?: string
  // Repeated elements, after the first (issue 20: a second origin permit was
  // silently dropped). Nothing the reader finds is lost on the way to the
  // signed XML.
  /** Further origin permits (861), in document order. */
  moreOriginPermits?: DocumentRef[]
  /** Further last re-export certificates (811), in document order. */
  moreLastReexports?: DocumentRef[]
  /** Further common names, e.g. in other languages. */
  moreCommonNames?: LangText[]
  /** Further descriptions, e.g. in other languages. */
  moreDescriptions?: LangText[]
  /** Further shipping marks. */
  moreMarks?: LangText[]
  /** The languages of `commonName`, `description` and `marks`, as the document gives them. */
  languages?: LineLanguages
  /**
   * Box 12b: date of acquisition (ISO 8601 date, as the document gives it):
   * required on a pre-Convention certificate (Res. Conf. 13.6 (Rev. CoP18));
   * eCITES `ApplicableCrossBorderRegulatoryProcedure/AcquisitionDateTime`.
   */
  acquisitionDate?: string
}

/** A replacement's link to the document it replaces (Res. Conf. 12.3). */
export interface Replacement {
  /** Number of the permit being replaced. */
  replaces: string
  /** Why: lost, stolen, damaged or error (REPLACEMENT_REASONS) at issue; older documents may carry free text. */
  reason?: string
  /** The circumstances, in plain words. */
  details?: string
}

/** A CITES permit or certificate. The key is `(issuer country, number)`. */
export interface Permit {
  /** Box 1: permit number. */
  number: string
  /** Box 1: document type. */
  type: DocumentType | string
  /**
   * Box 1 "other": which certificate an `O` document is (permit-profile.md
   * §2.3). Absent on `O` means `other`; absent on E, I, R.
   */
  certificateType?: CertificateType | string
  /** Box 2: valid from (ISO 8601). */
  validFrom?: string
  /** Box 2: valid until (ISO 8601). */
  validUntil?: string
  issueDate?: string
  copy?: boolean
  /** Box 5a: purpose code. */
  purpose?: string
  /** Box 5: special conditions, one entry per paragraph. */
  conditions?: string[]
  /**
   * The `languageID` of each entry of `conditions`, in the same order ('' for
   * one given without), so a condition in English, French and Spanish keeps
   * its three languages. Absent when none has one.
   */
  conditionLanguages?: string[]
  /** Box 5b: security stamp number. */
  securityStamp?: string
  /** Box 6: the issuing Management Authority; its country is the permit's party. */
  issuer: TradeParty
  /** Box 3: importer. */
  consignee: TradeParty
  /** Box 4: exporter / re-exporter. */
  consignor: TradeParty
  /** Box 13: the signing official's name and the place of issue. */
  signatory?: { name?: string, place?: string, date?: string }
  /** Documents the header refers to, e.g. the import permit of an Appendix I export. */
  references?: DocumentRef[]
  /** Set when this permit replaces another one. */
  replacement?: Replacement
  /** Box 15: bill of lading or air waybill number. */
  transportDocument?: string
  /** Box 14 at consignment level. */
  endorsement?: ExportEndorsement
  /** Species lines, at least one. */
  lines: PermitLine[]
}

/** The party (issuing country) of a permit, or undefined when Box 6 has no country. */
export function permitParty (p: Permit): string | undefined {
  return p.issuer.address?.country
}

/** Destination party: the importer's country. */
export function permitDestination (p: Permit): string | undefined {
  return p.consignee.address?.country
}
