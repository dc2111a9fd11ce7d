/**
 * @cites/refdata: CITES reference data from a dated snapshot: the taxonomy
 * with synonyms, listings by date and population (split listings, App. III
 * listing parties, reservations, # annotations), export quotas, trade
 * suspensions, the Trade Database code tables in English, French and
 * Spanish with their term-unit and term-purpose pairs, and the one mapping
 * between eCITES (UN/ECE Rec. 20) and Trade Database units. The shipped
 * snapshot is from 2013 (UNEP-WCMC's SAPI files, BSD licence): every answer
 * carries its date.
 *
 * @packageDocumentation
 */
export { loadReferenceData, sharedReferenceData, LOOKUP_MEMO_ENTRIES, ReferenceData, SHIPPED_SNAPSHOT, nameKey, listingState } from './reference.js'
export type {
  Appendix, CodeTable, CodeName, TaxonResult, Annotation, ListingResult, QuotaResult, QuotasResult, SuspensionResult, SuspensionsResult
} from './reference.js'
export { importSapiCsv, SAPI_SOURCE, SAPI_LICENCE } from './import-sapi.js'
export type { SapiImportOptions, ImportReport } from './import-sapi.js'
export { importSpeciesPlusListings, SPECIES_PLUS_COLUMNS } from './import-species-plus.js'
export type { SpeciesPlusImportOptions, SpeciesPlusReport } from './import-species-plus.js'
export { encodeSnapshot, readSnapshotFile, SNAPSHOT_FORMAT } from './snapshot.js'
export type { Snapshot, PartProvenance } from './snapshot.js'
export { rec20ToTradeUnit, tradeUnitToRec20, UNIT_MAPPING, UNMAPPED_REC20, UNMAPPED_TD } from './units.js'
export { REFDATA_CODES, RefdataError, SnapshotUnreadableError, ImportInvalidError, DateInvalidError } from './errors.js'
export type { RefdataCode } from './errors.js'
export { checkAgainstReference, referenceRefuses, annotationTerms, REFERENCE_RULE_CODES } from './rules.js'
export type { ReferenceProblem, ReferenceCheckOptions, ReferenceRuleCode } from './rules.js'
