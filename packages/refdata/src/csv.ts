/** CSV reading shared by the importers (csv-parse: quoted fields with newlines, CR-only line ends). */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { parse } from 'csv-parse/sync'
import { ImportInvalidError } from './errors.js'

export type CsvRecord = Record<string, string>

/** Every record of a CSV file with a header row; fails when a required column is missing. */
export function readCsv (path: string, required: readonly string[]): CsvRecord[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new ImportInvalidError(`cannot read ${path}: ${(err as Error).message}`, { cause: err })
  }
  // A UTF-8 byte-order mark (Species+ downloads carry one) is not part of the first column's name.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  let rows: CsvRecord[]
  try {
    rows = parse(text, {
      columns: (header: string[]) => header.map((h, i) => h.trim() === '' ? `_${i}` : h.trim()),
      skip_empty_lines: true,
      relax_column_count: true,
      trim: false
    }) as CsvRecord[]
  } catch (err) {
    throw new ImportInvalidError(`${basename(path)} is not readable CSV: ${(err as Error).message}`, { cause: err })
  }
  const first = rows[0]
  if (first !== undefined) {
    const missing = required.filter((c) => !(c in first))
    if (missing.length > 0) throw new ImportInvalidError(`${basename(path)} lacks the column(s) ${missing.join(', ')}`)
  }
  return rows
}

/** A CSV cell, trimmed ('' when absent). */
export function cell (r: CsvRecord, column: string): string {
  return (r[column] ?? '').trim()
}

/** dd/mm/yyyy (the SAPI files) to YYYY-MM-DD; '' when blank or malformed. */
export function isoFromDmy (s: string): string {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s.trim())
  if (m === null) return ''
  return `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`
}

/** A comma-separated list of codes ("BW,NA, ZA") as a sorted, de-duplicated array. */
export function codeList (s: string): string[] {
  return [...new Set(s.split(/[,;]/).map((x) => x.trim()).filter((x) => x !== ''))].sort()
}
