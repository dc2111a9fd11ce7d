/**
 * The CITES annual trade report, written from the ledger: one row per
 * shipment line, in the column layout of the CITES Trade Database's bulk
 * shipment files (Res. Conf. 11.17, annual report guidelines, 2019 edition).
 * The quantity is what was actually traded where the ledger knows it
 * (consumed at import, else endorsed at export, Box 14), otherwise what was
 * authorised (Box 11).
 */
import { toCsv, type CsvValue } from './csv.js'
import type { Ledger } from './ledger.js'
import type { PermitState } from './state.js'

/** Columns, in order, with their meaning (documented in protocol-spec/ledger.md). */
export const ANNUAL_REPORT_COLUMNS = [
  'Year', 'Appendix', 'Taxon', 'Term', 'Quantity', 'Unit', 'Importer', 'Exporter', 'Origin', 'Purpose', 'Source',
  'Reporter.type', 'Import.permit', 'Export.permit', 'Origin.permit', 'Quantity.basis'
] as const

/** The year a shipment counts in: when it was traded if known, else when the permit was issued. */
function tradeYear (s: PermitState): number {
  const t = s.consumption !== undefined ? Date.parse(s.consumption.consumedAt) : s.endorsement?.date ?? s.issueTime
  return new Date(t).getUTCFullYear()
}

/**
 * Write the report for `year` as `reporter` (default: the ledger's party):
 * exports and re-exports it issued (Reporter.type E) and imports consumed at
 * its borders (Reporter.type I). Cancelled and replaced permits, and permits
 * never used or endorsed, are left out unless `includeUnused` is set (then
 * with the authorised quantity). An export endorsement recorded as not having
 * happened (EXPORT_VOIDED) stays as a row of its own, Quantity.basis
 * `export voided`, whatever became of the permit.
 */
export async function annualReport (ledger: Ledger, year: number, opts: { reporter?: string, includeUnused?: boolean } = {}): Promise<string> {
  const reporter = opts.reporter ?? ledger.party
  const rows: CsvValue[][] = [[...ANNUAL_REPORT_COLUMNS]]
  for await (const s of ledger.permits()) {
    // An export recorded as not having happened stays in the report, as such
    // (issue 20: a cancellation after Box 14 made the export vanish).
    if (s.party === reporter && (s.type === 'E' || s.type === 'R' || s.type === 'O')) {
      for (const v of s.voidedExports ?? []) {
        const y = new Date(v.date).getUTCFullYear()
        if (y !== year) continue
        for (const q of v.lines) {
          const l = s.lines.find((x) => x.line === q.line)
          if (l === undefined) continue
          rows.push([
            year, l.appendix, l.scientificName, l.term, q.quantity, l.unit === '' ? 'Number of specimens' : l.unit,
            s.destination, s.exporter, l.origin, s.purpose, l.source, 'E', '', s.number, l.originPermit, 'export voided'
          ])
        }
      }
    }
    if (s.status === 'CANCELLED' || s.status === 'REPLACED') continue
    const traded = s.consumption !== undefined || s.endorsement !== undefined
    if (!traded && opts.includeUnused !== true) continue
    if (tradeYear(s) !== year) continue
    const exporterSide = s.party === reporter && (s.type === 'E' || s.type === 'R' || s.type === 'O')
    const importerSide = s.destination === reporter && s.consumption !== undefined
    if (!exporterSide && !importerSide) continue
    for (const l of s.lines) {
      const consumed = s.consumption?.lines.find((x) => x.line === l.line)
      const endorsed = s.endorsement?.lines.find((x) => x.line === l.line)
      const [quantity, basis] = consumed !== undefined ? [consumed.quantity, 'consumed'] : endorsed !== undefined ? [endorsed.quantity, 'endorsed'] : [l.quantity, 'authorised']
      if (traded && consumed === undefined && endorsed === undefined) continue // line not shipped
      if (!exporterSide && consumed === undefined) continue // the importer reports only what it let in
      rows.push([
        year, l.appendix, l.scientificName, l.term, quantity, l.unit === '' ? 'Number of specimens' : l.unit,
        s.destination, s.exporter, l.origin, s.purpose, l.source, exporterSide ? 'E' : 'I',
        s.type === 'I' ? s.number : '', s.type === 'I' ? '' : s.number, l.originPermit, basis
      ])
    }
  }
  // Every cell through the one writer: names and codes come from other authorities' logs.
  return toCsv(rows)
}
