/**
 * CITES code lists used by the rule checks (FACTS.md, "CITES facts"; the
 * CITES annual report guidelines, Res. Conf. 11.17, Dec. 2019 edition).
 */

/** Document types (Box 1 / `HeaderExchangedDocument/TypeCode`). */
export const DOCUMENT_TYPES = {
  E: 'export permit',
  I: 'import permit',
  R: 're-export certificate',
  O: 'other certificate (e.g. certificate of origin)'
} as const
export type DocumentType = keyof typeof DOCUMENT_TYPES

/**
 * The kinds of document Box 1's "other" (`O`) stands for (issue 14): the
 * Article VII certificates and the certificates of Res. Conf. 12.3. eCITES
 * has one type code for all of them, so the kind travels beside it
 * (permit-profile.md §2.3): in the XML as the document's name
 * (`HeaderExchangedDocument/Name`), in the JSON form as `certificateType`.
 * An `O` document without a known kind is `other`.
 */
export const CERTIFICATE_TYPES = {
  /** Art. VII(2); the acquisition date is required (Res. Conf. 13.6 (Rev. CoP18)). */
  'pre-convention': { label: 'Pre-Convention certificate', fr: 'Certificat pré-Convention', es: 'Certificado preconvención' },
  /** Art. VII(4) and VII(5): bred in captivity or artificially propagated. */
  'captive-bred': { label: 'Certificate of captive breeding or artificial propagation', fr: "Certificat d'élevage en captivité ou de reproduction artificielle", es: 'Certificado de cría en cautividad o reproducción artificial' },
  /** Art. III(5), IV(6); Res. Conf. 14.6 (Rev. CoP16). */
  'introduction-from-the-sea': { label: 'Certificate of introduction from the sea', fr: "Certificat d'introduction en provenance de la mer", es: 'Certificado de introducción procedente del mar' },
  /** Res. Conf. 12.3, section on travelling exhibitions: one certificate for many crossings. */
  'travelling-exhibition': { label: 'Travelling-exhibition certificate', fr: 'Certificat pour exposition itinérante', es: 'Certificado de exhibición itinerante' },
  /** Res. Conf. 16.8 (Rev. CoP17): a passport-like certificate for many crossings. */
  'musical-instrument': { label: 'Musical instrument certificate', fr: 'Certificat pour instrument de musique', es: 'Certificado de instrumento musical' },
  /** Res. Conf. 10.20: certificate of ownership of a personally owned live animal, many crossings. */
  'personal-ownership': { label: 'Certificate of ownership', fr: 'Certificat de propriété', es: 'Certificado de propiedad' },
  /** Art. V(3): Appendix III specimens from a State that did not list the species. */
  origin: { label: 'Certificate of origin', fr: "Certificat d'origine", es: 'Certificado de origen' },
  other: { label: 'Other certificate', fr: 'Autre certificat', es: 'Otro certificado' }
} as const
export type CertificateType = keyof typeof CERTIFICATE_TYPES

/**
 * Longest validity in calendar months, from the date of grant (Res. Conf.
 * 12.3 (Rev. CoP19), section on validity): export permits, re-export
 * certificates and the Art. VII(2), (4), (5) certificates 6 (Art. VI(2));
 * import permits, certificates of origin and of introduction from the sea
 * 12 (FACTS.md); travelling-exhibition (Res. Conf. 12.3), musical-instrument
 * (Res. Conf. 16.8) and ownership (Res. Conf. 10.20) certificates 3 years.
 * `other` keeps the 12 months every `O` had before issue 14, so old
 * documents read and check as they did.
 */
export const CERTIFICATE_VALIDITY_MONTHS: Readonly<Record<CertificateType, number>> = {
  'pre-convention': 6,
  'captive-bred': 6,
  'introduction-from-the-sea': 12,
  'travelling-exhibition': 36,
  'musical-instrument': 36,
  'personal-ownership': 36,
  origin: 12,
  other: 12
}

/**
 * The certificates used for many crossings until they expire, each crossing
 * recorded (ledger.md §3.7): the holder travels with the specimen and
 * presents the same certificate at every border (Res. Conf. 16.8, 12.3,
 * 10.20). Every other document is used once (Art. VI(5), (6)).
 */
export const MULTI_USE_CERTIFICATES: ReadonlySet<string> = new Set<CertificateType>(['musical-instrument', 'travelling-exhibition', 'personal-ownership'])

/** Is `type` (with its certificate kind) a multi-use document? Only `O` certificates of a multi-use kind are. */
export function isMultiUse (type: string, certificateType: string | undefined): boolean {
  return type === 'O' && certificateType !== undefined && MULTI_USE_CERTIFICATES.has(certificateType)
}

const fold = (s: string): string => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[\s\u2019']+/g, ' ').trim().toLowerCase()
const BY_LABEL: ReadonlyMap<string, CertificateType> = new Map(
  (Object.entries(CERTIFICATE_TYPES) as Array<[CertificateType, { label: string, fr: string, es: string }]>)
    .flatMap(([k, v]) => [[fold(v.label), k], [fold(v.fr), k], [fold(v.es), k], [fold(k), k]] as Array<[string, CertificateType]>)
)

/**
 * The certificate kind a document name means (English, French or Spanish
 * label, or the code itself; case, accents and spacing aside), or undefined.
 */
export function certificateTypeFromName (name: string | undefined): CertificateType | undefined {
  return name === undefined ? undefined : BY_LABEL.get(fold(name))
}

/** CITES Appendices. */
export const APPENDICES = ['I', 'II', 'III'] as const
export type Appendix = typeof APPENDICES[number]

/** Source codes (Res. Conf. 12.3). */
export const SOURCE_CODES = {
  W: 'wild',
  R: 'ranched',
  D: 'Appendix-I animals bred in captivity or plants artificially propagated for commercial purposes',
  A: 'artificially propagated plants',
  C: 'bred in captivity',
  F: 'born in captivity (F1)',
  I: 'confiscated or seized',
  O: 'pre-Convention',
  X: 'taken in the marine environment not under the jurisdiction of any State',
  Y: 'assisted production',
  U: 'unknown'
} as const

/** Purpose codes (Res. Conf. 12.3). */
export const PURPOSE_CODES = {
  B: 'breeding in captivity or artificial propagation',
  E: 'educational',
  G: 'botanical gardens',
  H: 'hunting trophies',
  L: 'law enforcement / judicial / forensic',
  M: 'biomedical research',
  N: 'reintroduction or introduction into the wild',
  P: 'personal',
  Q: 'circuses and travelling exhibitions',
  S: 'scientific',
  T: 'commercial',
  Z: 'zoos'
} as const

/**
 * Term codes (description of specimens) from the annual report guidelines.
 * Kept as one list so the report writer and the rules agree.
 */
export const TERM_CODES: ReadonlySet<string> = new Set([
  'BAL', 'BAR', 'BEL', 'BOC', 'BOD', 'BON', 'BOP', 'BPR', 'CAL', 'CAP', 'CAR', 'CAV', 'CHP', 'CLA', 'CLO',
  'COR', 'CPR', 'CST', 'CUL', 'CUT', 'DER', 'DPL', 'EAR', 'EGG', 'EGL', 'EXT', 'FEA', 'FIB', 'FIG', 'FIN',
  'FLO', 'FOO', 'FPT', 'FRN', 'FRU', 'GAB', 'GAL', 'GAR', 'GEN', 'GRS', 'HAI', 'HAP', 'HOC', 'HOP', 'HOR',
  'HPR', 'IJW', 'IVC', 'IVP', 'KEY', 'LEA', 'LIV', 'LOG', 'LPL', 'LPS', 'LVS', 'MEA', 'MED', 'MUS', 'OIL',
  'PKY', 'PLA', 'PLY', 'POW', 'QUI', 'RFR', 'ROO', 'SAW', 'SCA', 'SDL', 'SEE', 'SHE', 'SHO', 'SID', 'SKE',
  'SKI', 'SKP', 'SKS', 'SKU', 'SOU', 'SPE', 'STE', 'SWI', 'TAI', 'TEE', 'TIM', 'TRO', 'TUS', 'VEN', 'VNM',
  'WAX', 'WOO', 'WPR'
])

/**
 * Units of quantity. Empty (or a UN/ECE Rec. 20 "piece" code) means a number
 * of specimens; the rest are the guidelines' measures, in their short form
 * and their Rec. 20 code, since both occur in eCITES exchanges.
 */
export const NUMBER_OF_SPECIMENS_UNITS: ReadonlySet<string> = new Set(['', 'NAR', 'PCS', 'H87', 'C62', 'NMB'])
export const UNIT_CODES: ReadonlySet<string> = new Set([
  ...NUMBER_OF_SPECIMENS_UNITS,
  'g', 'GRM', 'kg', 'KGM', 'mg', 'MGM', 'l', 'LTR', 'ml', 'MLT', 'cm3', 'CMQ', 'm3', 'MTQ',
  'm', 'MTR', 'cm', 'CMT', 'm2', 'MTK', 'cm2', 'CMK', 'pairs', 'PR', 'sets', 'SET', 'bottles', 'flasks', 'shipments'
])

/**
 * The smallest quantity a line may state, issue to use (issue 18: 1e-300
 * PCS was accepted and used the permit up). Counts are of whole specimens
 * at least; a measure at least one thousandth of its unit (1 g of KGM, 1 ml
 * of LTR), which no real consignment goes below. One decision, read by the
 * rules at issue and by the ledger at endorsement and use.
 */
export function minimumQuantity (unit: string): number {
  return NUMBER_OF_SPECIMENS_UNITS.has(canonicalUnit(unit)) ? 1 : 0.001
}

/**
 * Whole numbers only (issue 20: 2.5 live pythons were issued and used): a
 * quantity counted in specimens, which is how live animals (LIV) and every
 * other term stated without a measure are counted. One decision, read by
 * the rules at issue and by the ledger at endorsement and use.
 */
export function requiresWholeNumber (unit: string | undefined): boolean {
  return canonicalUnit(unit) === ''
}

// The guidelines' short forms and their Rec. 20 codes name the same measure.
const SAME_MEASURE: Readonly<Record<string, string>> = {
  g: 'GRM', kg: 'KGM', mg: 'MGM', l: 'LTR', ml: 'MLT', cm3: 'CMQ', m3: 'MTQ', m: 'MTR', cm: 'CMT', m2: 'MTK', cm2: 'CMK', pairs: 'PR', sets: 'SET'
}

/**
 * The one spelling of a unit (issue 20): every "number of specimens"
 * spelling (absent, blank, PCS, NAR and the Rec. 20 piece codes) is '', a
 * measure's short form is its Rec. 20 code, anything else stays as given.
 */
export function canonicalUnit (unit: string | undefined): string {
  const u = (unit ?? '').trim()
  if (NUMBER_OF_SPECIMENS_UNITS.has(u) || NUMBER_OF_SPECIMENS_UNITS.has(u.toUpperCase())) return ''
  return SAME_MEASURE[u] ?? u
}

/**
 * The unit rule across issue, endorsement and use: a quantity's unit is the
 * line's own when it is omitted (undefined), and two spellings of one unit
 * are the same unit.
 */
export function sameUnit (given: string | undefined, lineUnit: string | undefined): boolean {
  return given === undefined || canonicalUnit(given) === canonicalUnit(lineUnit)
}

/**
 * ISO 3166-1 alpha-2 codes officially assigned, as of 2024 (249 codes).
 * `EU` is added by the rules where a party may be the European Union.
 */
export const ISO_COUNTRIES: ReadonlySet<string> = new Set((
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
  'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
  'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
  'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
  'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
  'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' '))

/**
 * ISO 3166 user-assigned codes `XA`..`XZ`. The EPIX samples and pilot
 * networks use them for fictitious parties, so they are accepted with a
 * warning rather than refused.
 */
export function isUserAssignedCountry (code: string): boolean {
  return /^X[A-Z]$/.test(code)
}

/** Why a permit is replaced (Res. Conf. 12.3); the replacement states one. */
export const REPLACEMENT_REASONS = ['lost', 'stolen', 'damaged', 'error'] as const
export type ReplacementReason = typeof REPLACEMENT_REASONS[number]

/** UN/EDIFACT 1001 codes for a line's associated documents (FACTS.md). */
export const DOC_CODE_ORIGIN_PERMIT = '861'
export const DOC_CODE_LAST_REEXPORT = '811'
