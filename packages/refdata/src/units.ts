/**
 * The one table between the units eCITES messages carry (UN/ECE Rec. 20
 * codes, as @cites/permit reads and writes them) and the CITES Trade
 * Database's own unit codes (unit_codes_utf8.csv). The two code lists share
 * three-letter codes that mean different things, so nothing may pass a unit
 * from one side to the other without going through here.
 */
import { canonicalUnit } from '@cites/permit'

/** One row: a Rec. 20 code (or @cites/permit's label), its Trade Database code, and why when it is not obvious. */
interface UnitRow { rec20: string, td: string, note?: string }

const ROWS: readonly UnitRow[] = [
  // Number of specimens. @cites/permit reads every "count" spelling (absent,
  // blank, PCS, NAR, H87 piece, C62 one, NMB) as '' (canonicalUnit); the
  // Trade Database writes a blank unit. TD "PCS" is NOT this: see below.
  { rec20: '', td: '', note: 'number of specimens: no unitCode in eCITES, a blank unit in the Trade Database' },
  // Mass.
  { rec20: 'KGM', td: 'KIL', note: 'kilogram: Rec. 20 KGM, Trade Database KIL' },
  { rec20: 'GRM', td: 'GRM' },
  { rec20: 'MGM', td: 'MGM' },
  { rec20: 'MC', td: 'MYG', note: 'microgram: Rec. 20 MC, Trade Database MYG' },
  { rec20: 'TNE', td: 'TON', note: 'metric tonne: Rec. 20 TNE, Trade Database TON' },
  { rec20: 'LBR', td: 'PND', note: 'pound: Rec. 20 LBR, Trade Database PND' },
  { rec20: 'ONZ', td: 'OUN', note: 'ounce: Rec. 20 ONZ, Trade Database OUN' },
  // Volume.
  { rec20: 'LTR', td: 'LTR' },
  { rec20: 'MLT', td: 'MLT' },
  { rec20: 'MTQ', td: 'CUM', note: 'cubic metre: Rec. 20 MTQ, Trade Database CUM' },
  { rec20: 'CMQ', td: 'CCM', note: 'cubic centimetre: Rec. 20 CMQ, Trade Database CCM' },
  { rec20: 'FTQ', td: 'CUF', note: 'cubic foot: Rec. 20 FTQ, Trade Database CUF' },
  // Length. The trap of the two lists: Trade Database CTM is the
  // centimetre, whose Rec. 20 code is CMT; Rec. 20 CTM is the metric carat.
  { rec20: 'MTR', td: 'MTR' },
  { rec20: 'CMT', td: 'CTM', note: 'centimetre: Rec. 20 CMT, Trade Database CTM (Rec. 20 CTM is the carat)' },
  { rec20: 'FOT', td: 'FEE', note: 'foot: Rec. 20 FOT, Trade Database FEE' },
  { rec20: 'INH', td: 'INC', note: 'inch: Rec. 20 INH, Trade Database INC' },
  { rec20: 'YRD', td: 'YAR', note: 'yard: Rec. 20 YRD, Trade Database YAR' },
  // Area.
  { rec20: 'MTK', td: 'SQM', note: 'square metre: Rec. 20 MTK, Trade Database SQM' },
  { rec20: 'DMK', td: 'SQD', note: 'square decimetre: Rec. 20 DMK, Trade Database SQD' },
  { rec20: 'CMK', td: 'SQC', note: 'square centimetre: Rec. 20 CMK, Trade Database SQC' },
  { rec20: 'FTK', td: 'SQF', note: 'square foot: Rec. 20 FTK, Trade Database SQF' },
  // Counted things other than specimens.
  { rec20: 'PR', td: 'PAI', note: 'pair: Rec. 20 PR, Trade Database PAI' },
  { rec20: 'SET', td: 'SET' },
  // @cites/permit accepts these three labels (no Rec. 20 measure exists for
  // them); they are Trade Database units of their own.
  { rec20: 'bottles', td: 'BOT', note: '@cites/permit\'s label, not a Rec. 20 code' },
  { rec20: 'flasks', td: 'FLA', note: '@cites/permit\'s label, not a Rec. 20 code' },
  { rec20: 'shipments', td: 'SHP', note: '@cites/permit\'s label, not a Rec. 20 code' }
]

/**
 * Units of one side with no counterpart on the other, and why. Mapping them
 * anyway would change the quantity's meaning, so the functions below answer
 * `undefined` and the caller must refuse or ask.
 */
export const UNMAPPED_REC20: Readonly<Record<string, string>> = {
  CTM: 'Rec. 20 CTM is the metric carat; the Trade Database has no carat unit (its CTM is the centimetre)'
}
export const UNMAPPED_TD: Readonly<Record<string, string>> = {
  // TD PCS is "pieces" (e.g. of ivory or coral), a unit of its own; the
  // Rec. 20 piece codes read as number of specimens in @cites/permit, so a
  // TD PCS quantity has no eCITES spelling that keeps its meaning.
  PCS: 'Trade Database PCS means pieces (of a specimen), not number of specimens; eCITES piece codes (H87, C62, NAR, PCS) read as number of specimens',
  BAK: 'backs (a skin part): no Rec. 20 unit', BSK: 'bellyskins: no Rec. 20 unit', HRN: 'hornback skins: no Rec. 20 unit',
  SID: 'sides: no Rec. 20 unit', SKI: 'skins: no Rec. 20 unit', ITE: 'items: no Rec. 20 unit',
  BAG: 'bags: a package, not a Rec. 20 measure', BOX: 'boxes: a package, not a Rec. 20 measure', CAN: 'cans: a package, not a Rec. 20 measure',
  CAS: 'cases: a package, not a Rec. 20 measure', CRT: 'cartons: a package, not a Rec. 20 measure'
}

const BY_REC20 = new Map(ROWS.map((r) => [r.rec20, r]))
const BY_TD = new Map(ROWS.map((r) => [r.td, r]))

/** The table itself (for docs and tests). */
export const UNIT_MAPPING: readonly Readonly<UnitRow>[] = ROWS

/**
 * The Trade Database unit for an eCITES unit (any spelling @cites/permit
 * accepts: kg, KGM, PCS, absent ...), or undefined when there is none.
 */
export function rec20ToTradeUnit (unit: string | undefined): string | undefined {
  const u = canonicalUnit(unit)
  if (UNMAPPED_REC20[u] !== undefined) return undefined
  return BY_REC20.get(u)?.td
}

/** The eCITES (Rec. 20) unit for a Trade Database unit ('' = number of specimens), or undefined when there is none. */
export function tradeUnitToRec20 (unit: string | undefined): string | undefined {
  const u = (unit ?? '').trim().toUpperCase()
  if (UNMAPPED_TD[u] !== undefined) return undefined
  return BY_TD.get(u)?.rec20
}
