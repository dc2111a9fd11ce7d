/**
 * The CITES annual trade report, written from the ledger in the CITES Trade
 * Database's annual-report upload template (UNEP-WCMC SAPI
 * `Trade::SandboxTemplate`): two files, exports and imports, one row per
 * shipment line. The report is not a wire format: nothing parses it but the
 * Trade Database's upload, so it lives here and in the READMEs, not in
 * protocol-spec.
 *
 * Rules (issue 14; Res. Conf. 11.17 guidelines: report actual trade):
 * - Exports: this party's own export documents (every type but an import
 *   permit) with a Box 14 endorsement, with the endorsed quantities, in the
 *   year of the endorsement. A permit issued but never endorsed is not trade
 *   and is left out, even when the importer used it (that use is the
 *   importer's row; the exporter's is listed under `leftOut`,
 *   NOT_ENDORSED_AT_EXPORT, for the officer to check). An endorsement later
 *   recorded as not having happened (EXPORT_VOIDED) is not trade either.
 * - Imports: documents of other parties used into this party (CONSUMED by
 *   this party), with the quantities used, in the year of the use; the import
 *   permit number where the export document cited one (Box 5 reference of
 *   type I), and the export (or re-export) document's number.
 * - Paper permits of parties not on the network, entered by the officer
 *   (`cites report add-paper`), are added to the file of their kind.
 * - Codes are Trade Database codes: the unit through @cites/refdata's one
 *   Rec. 20 mapping (a number of specimens is a blank unit); a line whose
 *   unit has no Trade Database counterpart (Rec. 20 CTM, the carat) is left
 *   out and listed, never written with a unit of another meaning.
 * - The country of origin is written only when it differs from the exporter
 *   (the Trade Database refuses exporter = country of origin).
 */
import { readPermitXml } from '@cites/permit'
import { rec20ToTradeUnit } from '@cites/refdata'
import { toCsv, type CsvValue } from './csv.js'
import type { Ledger } from './ledger.js'
import { multiUse, type Endorsement, type PermitState, type Receipt } from './state.js'

/** The upload template's columns, in its order (an importer's file). */
export const REPORT_TEMPLATE_COLUMNS = [
  'appendix', 'species_name', 'term_code', 'quantity', 'unit_code', 'trading_partner', 'country_of_origin',
  'import_permit', 'export_permit', 'origin_permit', 'ifs_permit', 'purpose_code', 'source_code', 'year'
] as const
export type ReportColumn = typeof REPORT_TEMPLATE_COLUMNS[number]
/** An exporter's file: the template without `import_permit`. */
export const EXPORTS_COLUMNS: readonly ReportColumn[] = REPORT_TEMPLATE_COLUMNS.filter((c) => c !== 'import_permit')
export const IMPORTS_COLUMNS: readonly ReportColumn[] = REPORT_TEMPLATE_COLUMNS

export type ReportKind = 'exports' | 'imports'
export const REPORT_KINDS: readonly ReportKind[] = ['exports', 'imports']

/** One row; `import_permit` is '' in the exports file's rows (the column is not written). */
export type ReportRow = Record<ReportColumn, CsvValue>

/**
 * A paper permit of a party not on the network, entered by hand so the
 * report is complete. `import`: goods that came into the reporting party
 * under `partner`'s paper export (or re-export) permit `permit`; `export`:
 * goods this party exported to `partner` under a paper permit `permit`.
 * Codes are Trade Database codes (`unit` '' = number of specimens).
 */
export interface PaperPermit {
  id: string
  kind: 'import' | 'export'
  partner: string
  /** The export or re-export permit's number. */
  permit: string
  /** With `import`: this party's import permit, when there was one. */
  importPermit?: string
  species: string
  term: string
  quantity: number
  unit: string
  source: string
  purpose: string
  appendix: string
  /** The year the goods crossed the border. */
  year: number
  origin?: string
  originPermit?: string
  /** When it was entered (ISO 8601). */
  recorded: string
}

/** A shipment line the report could not write, and why (no trader data). */
export interface LeftOut {
  kind: ReportKind
  party: string
  number: string
  line: string
  code: 'NOT_ENDORSED_AT_EXPORT' | 'UNIT_NOT_IN_TRADE_DATABASE'
  message: string
}

export interface AnnualReport {
  reporter: string
  year: number
  exports: ReportRow[]
  imports: ReportRow[]
  leftOut: LeftOut[]
}

export interface AnnualReportOptions {
  /** The reporting party. @default the ledger's party */
  reporter?: string
  /** Paper permits entered for this party (any year; those of `year` are used). */
  paper?: readonly PaperPermit[]
}

const yearOf = (ms: number): number => new Date(ms).getUTCFullYear()
const isExportDocument = (s: PermitState): boolean => s.type !== 'I'

/** The import permit an export document cites (a header reference of type I), or ''. */
async function citedImportPermit (ledger: Ledger, s: PermitState): Promise<string> {
  const xml = await ledger.signedXml(s.party, s.number)
  if (xml === undefined) return ''
  try {
    return readPermitXml(xml).permit.references?.find((r) => r.typeCode?.toUpperCase() === 'I' && r.id !== undefined)?.id ?? ''
  } catch {
    return '' // the XML was checked when recorded; an unreadable one cites nothing we can report
  }
}

/**
 * The report's rows for `year` as `reporter`. Pure reading: the ledger is
 * not changed. Use `annualReportCsv` for the files.
 */
export async function annualReport (ledger: Ledger, year: number, opts: AnnualReportOptions = {}): Promise<AnnualReport> {
  const reporter = opts.reporter ?? ledger.party
  const out: AnnualReport = { reporter, year, exports: [], imports: [], leftOut: [] }
  for await (const s of ledger.permits()) {
    // A multi-use certificate (ledger.md §3.7) crossed many times: each crossing is one export and one import.
    for (const j of journeys(s)) {
      const e = j.endorsement
      const c = j.use
      if (s.party === reporter && isExportDocument(s)) {
        if (e === undefined) {
          // Used at import with Box 14 empty: trade the exporter's own record does not show.
          if (c !== undefined && yearOf(Date.parse(c.consumedAt)) === year) {
            for (const q of c.lines) out.leftOut.push({ kind: 'exports', party: s.party, number: s.number, line: q.line, code: 'NOT_ENDORSED_AT_EXPORT', message: 'used at import without a Box 14 endorsement: not reported as an export; check with the importing party' })
          }
        } else if (yearOf(e.date) === year) {
          const partner = multiUse(s) && c !== undefined ? c.consumingParty : s.destination
          for (const q of e.lines) {
            const l = s.lines.find((x) => x.line === q.line)
            if (l === undefined) continue
            const row = lineRow(out, 'exports', s, l, q.quantity, { partner, exporter: reporter, exportPermit: s.number, importPermit: '' })
            if (row !== undefined) out.exports.push(row)
          }
        }
      }
      if (c !== undefined && (s.destination === reporter || multiUse(s)) && c.consumingParty === reporter && s.party !== reporter && isExportDocument(s) && yearOf(Date.parse(c.consumedAt)) === year) {
        const importPermit = await citedImportPermit(ledger, s)
        const exporter = s.exporter !== '' ? s.exporter : s.party
        for (const q of c.lines) {
          const l = s.lines.find((x) => x.line === q.line)
          if (l === undefined) continue
          const row = lineRow(out, 'imports', s, l, q.quantity, { partner: exporter, exporter, exportPermit: s.number, importPermit })
          if (row !== undefined) out.imports.push(row)
        }
      }
    }
  }
  for (const p of opts.paper ?? []) {
    if (p.year !== year) continue
    const kind: ReportKind = p.kind === 'export' ? 'exports' : 'imports'
    const exporter = p.kind === 'export' ? reporter : p.partner
    out[kind].push(row({
      appendix: p.appendix, species: p.species, term: p.term, quantity: p.quantity, unit: p.unit, partner: p.partner,
      origin: p.origin ?? '', exporter, importPermit: p.kind === 'import' ? p.importPermit ?? '' : '', exportPermit: p.permit,
      originPermit: p.originPermit ?? '', purpose: p.purpose, source: p.source, year
    }))
  }
  return out
}

/** A permit's journeys: one (its Box 14 and its use) for a single-use document; every crossing, then the one under way, for a multi-use certificate. */
function journeys (s: PermitState): Array<{ endorsement?: Endorsement, use?: Receipt }> {
  const now = { ...(s.endorsement !== undefined ? { endorsement: s.endorsement } : {}), ...(s.consumption !== undefined && !multiUse(s) ? { use: s.consumption } : {}) }
  if (!multiUse(s)) return [now]
  return [...(s.crossings ?? []).map((c) => ({ ...(c.endorsement !== undefined ? { endorsement: c.endorsement } : {}), use: c.use })), ...(s.endorsement !== undefined ? [{ endorsement: s.endorsement }] : [])]
}

function lineRow (
  out: AnnualReport, kind: ReportKind, s: PermitState, l: PermitState['lines'][number], quantity: number,
  side: { partner: string, exporter: string, exportPermit: string, importPermit: string }
): ReportRow | undefined {
  const unit = rec20ToTradeUnit(l.unit)
  if (unit === undefined) {
    out.leftOut.push({ kind, party: s.party, number: s.number, line: l.line, code: 'UNIT_NOT_IN_TRADE_DATABASE', message: `unit ${JSON.stringify(l.unit)} has no Trade Database code (see @cites/refdata units.ts)` })
    return undefined
  }
  return row({
    appendix: l.appendix, species: l.scientificName, term: l.term, quantity, unit, partner: side.partner, origin: l.origin, exporter: side.exporter,
    importPermit: side.importPermit, exportPermit: side.exportPermit, originPermit: l.originPermit, purpose: s.purpose, source: l.source, year: out.year
  })
}

function row (r: {
  appendix: string, species: string, term: string, quantity: number, unit: string, partner: string, origin: string, exporter: string,
  importPermit: string, exportPermit: string, originPermit: string, purpose: string, source: string, year: number
}): ReportRow {
  const up = (v: string): string => v.trim().toUpperCase()
  const origin = up(r.origin)
  return {
    appendix: up(r.appendix),
    species_name: r.species,
    term_code: up(r.term),
    quantity: r.quantity,
    unit_code: up(r.unit),
    trading_partner: up(r.partner),
    // The Trade Database refuses a country of origin equal to the exporter: it is for re-exports.
    country_of_origin: origin === up(r.exporter) ? '' : origin,
    import_permit: r.importPermit,
    export_permit: r.exportPermit,
    origin_permit: r.originPermit,
    ifs_permit: '',
    purpose_code: up(r.purpose),
    source_code: up(r.source),
    year: r.year
  }
}

/** One of the report's two files, as CSV text: the template's header, then the rows, every cell through the one writer. */
export function annualReportCsv (report: AnnualReport, kind: ReportKind): string {
  const cols = kind === 'exports' ? EXPORTS_COLUMNS : IMPORTS_COLUMNS
  // Every cell through the one writer (csv.ts): names and codes come from other authorities' logs.
  return toCsv([[...cols], ...report[kind].map((r) => cols.map((c) => r[c]))])
}

/** The file name of one of the report's files: `cites-annual-report-CH-2026-exports.csv`. */
export const annualReportFileName = (reporter: string, year: number, kind: ReportKind): string => `cites-annual-report-${reporter}-${year}-${kind}.csv`
