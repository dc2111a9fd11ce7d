/**
 * What the Trade Database's upload checks of a row, against the shared code
 * tables and pairs (@cites/refdata's shipped snapshot, from UNEP-WCMC's SAPI
 * files): presence, numbers, the code tables, the term-unit and term-purpose
 * pairs, and exporter != country of origin. A test helper: the report tests
 * run every row they get through it.
 */
import { loadReferenceData, type ReferenceData } from '@cites/refdata'
import { EXPORTS_COLUMNS, IMPORTS_COLUMNS, type ReportKind } from '../src/index.js'

let cached: ReferenceData | undefined
export const refdata = (): ReferenceData => (cached ??= loadReferenceData())

/** RFC 4180 fields of one line. */
export function csvFields (line: string): string[] {
  const out: string[] = []
  let i = 0
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = ''
      i++
      for (;;) {
        const q = line.indexOf('"', i)
        if (q < 0) throw new Error('unterminated quote')
        v += line.slice(i, q)
        if (line[q + 1] === '"') { v += '"'; i = q + 2 } else { i = q + 1; break }
      }
      out.push(v)
      i++
    } else {
      const c = line.indexOf(',', i)
      const end = c < 0 ? line.length : c
      out.push(line.slice(i, end))
      i = end + 1
    }
  }
  return out
}

/** The rows of one report file as objects by column, after checking its header is exactly the template's. */
export function parseReport (csv: string, kind: ReportKind): Array<Record<string, string>> {
  const [head, ...lines] = csv.trimEnd().split('\n')
  const cols = csvFields(head ?? '')
  const want = kind === 'exports' ? EXPORTS_COLUMNS : IMPORTS_COLUMNS
  if (cols.join(',') !== want.join(',')) throw new Error(`header ${cols.join(',')} is not the template's ${want.join(',')}`)
  return lines.map((l) => {
    const f = csvFields(l)
    if (f.length !== cols.length) throw new Error(`row has ${f.length} fields, not ${cols.length}: ${l}`)
    return Object.fromEntries(cols.map((c, i) => [c, f[i]!]))
  })
}

/** Why the Trade Database would refuse (or flag) this row; empty when it accepts it. `reporter` is the file's party. */
export function rowProblems (r: Record<string, string>, kind: ReportKind, reporter: string): string[] {
  const rd = refdata()
  const p: string[] = []
  for (const c of ['appendix', 'species_name', 'term_code', 'quantity', 'trading_partner', 'year']) if ((r[c] ?? '') === '') p.push(`${c} is empty`)
  if (!/^\d{4}$/.test(r.year ?? '')) p.push(`year "${r.year}" is not four digits`)
  if (!/^\d+(\.\d+)?$/.test(r.quantity ?? '') || Number(r.quantity) <= 0) p.push(`quantity "${r.quantity}" is not a positive number`)
  if (!['I', 'II', 'III', 'N'].includes(r.appendix ?? '')) p.push(`appendix "${r.appendix}"`)
  const term = r.term_code ?? ''
  const unit = r.unit_code ?? ''
  const purpose = r.purpose_code ?? ''
  const source = r.source_code ?? ''
  if (!rd.terms.has(term)) p.push(`term "${term}" is not a Trade Database term`)
  if (unit !== '' && !rd.units.has(unit)) p.push(`unit "${unit}" is not a Trade Database unit`)
  if (purpose !== '' && !rd.purposes.has(purpose)) p.push(`purpose "${purpose}"`)
  if (source !== '' && !rd.sources.has(source)) p.push(`source "${source}"`)
  if (!rd.countries.has(r.trading_partner ?? '')) p.push(`trading_partner "${r.trading_partner}"`)
  const origin = r.country_of_origin ?? ''
  if (origin !== '' && !rd.countries.has(origin)) p.push(`country_of_origin "${origin}"`)
  const exporter = kind === 'exports' ? reporter : r.trading_partner
  if (origin !== '' && origin === exporter) p.push('country_of_origin is the exporter')
  if (r.trading_partner === reporter) p.push('trading_partner is the reporter')
  if (!rd.termUnitAllowed(term, unit)) p.push(`term ${term} with unit "${unit}" is not an allowed pair`)
  if (purpose !== '' && !rd.termPurposeAllowed(term, purpose)) p.push(`term ${term} with purpose ${purpose} is not an allowed pair`)
  if (kind === 'exports' && 'import_permit' in r) p.push('an exporter\'s file has an import_permit column')
  return p
}

/** Every row of a file, checked; returns the rows. Throws naming each refused row. */
export function acceptedRows (csv: string, kind: ReportKind, reporter: string): Array<Record<string, string>> {
  const rows = parseReport(csv, kind)
  const bad = rows.map((r, i) => ({ i, p: rowProblems(r, kind, reporter) })).filter((x) => x.p.length > 0)
  if (bad.length > 0) throw new Error(`${kind} rows the Trade Database refuses: ${bad.map((b) => `#${b.i + 1}: ${b.p.join('; ')}`).join(' | ')}`)
  return rows
}
