/**
 * The snapshot file: one gzip'd JSON document, compact (rows as arrays,
 * repeated notes stored once), written deterministically (fixed key order,
 * sorted rows, no timestamps) so that building it twice gives the same bytes.
 */
import { gunzipSync, gzipSync } from 'node:zlib'
import { readFileSync } from 'node:fs'
import { SnapshotUnreadableError } from './errors.js'

export const SNAPSHOT_FORMAT = 'cites-refdata/1'

/** Where a part of the snapshot came from, and how old it is. */
export interface PartProvenance {
  /** The newest date in the data of this part (YYYY-MM-DD), or the date the operator gave. */
  date: string
  source: string
}

/** A code with its English, French and Spanish names. */
export type CodeRow = [code: string, en: string, fr: string, es: string]

/** name, rank (upper case), kingdom, parent index (-1 none), status (A, N, H), author, in CITES (1/0). */
export type TaxonRow = [name: string, rank: string, kingdom: string, parent: number, status: string, author: string, cites: 0 | 1]
/** name, rank, accepted taxon index (-1 when the source names none), author. */
export type SynonymRow = [name: string, rank: string, accepted: number, author: string]
/**
 * One listing change of a taxon: listing (I, II, III, DELI, DELII, DELIII,
 * I/r, II/w ...: /r a reservation, /w its withdrawal), effective date,
 * party (App. III listing party or reserving party, '' none), populations
 * (ISO codes the row covers, [] all), excluded populations, excluded taxa
 * (indices), short-note index (-1), full-note index (-1), # annotation mark
 * ('' none), included-in taxon index (-1).
 */
export type ListingRow = [listing: string, from: string, party: string, populations: string[], excluded: string[], excludedTaxa: number[], shortNote: number, fullNote: number, hash: string, includedIn: number]
/** taxon, party, year, quota (-1 = "in preparation"), unit, terms, sources, start, end, note (-1), current 1/0, public 1/0. */
export type QuotaRow = [taxon: number, party: string, year: number, quota: number, unit: string, terms: string[], sources: string[], start: string, end: string, note: number, current: 0 | 1, publicDisplay: 0 | 1]
/** taxon (-1 = every CITES taxon of the party), party, current 1/0, start notification, end notification, note index, excluded taxa. */
export type SuspensionRow = [taxon: number, party: string, current: 0 | 1, startNotification: string, endNotification: string, note: number, excludedTaxa: number[]]

export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT
  /** The snapshot's date: the newest date of its listings and quotas (YYYY-MM-DD). */
  snapshotDate: string
  /** Where it came from (e.g. the SAPI repository and commit). */
  source: string
  licence: string
  parts: {
    taxonomy: PartProvenance
    listings: PartProvenance
    quotas: PartProvenance
    suspensions: PartProvenance
    codes: PartProvenance
  }
  taxa: TaxonRow[]
  synonyms: SynonymRow[]
  /** Keyed by taxon index (as a string: JSON). */
  listings: Record<string, ListingRow[]>
  /** Short notes: [en, fr, es]. */
  shortNotes: Array<[string, string, string]>
  fullNotes: string[]
  /** '#' annotation mark (e.g. "CoP15 #5") → its text. */
  hashAnnotations: Record<string, string>
  quotas: QuotaRow[]
  quotaNotes: string[]
  suspensions: SuspensionRow[]
  suspensionNotes: string[]
  codes: { terms: CodeRow[], units: CodeRow[], purposes: CodeRow[], sources: CodeRow[], countries: CodeRow[] }
  termUnitPairs: Array<[term: string, unit: string]>
  termPurposePairs: Array<[term: string, purpose: string]>
}

/** The snapshot as gzip'd bytes (deterministic: gzip of the same JSON gives the same bytes; zlib writes no time). */
export function encodeSnapshot (s: Snapshot): Buffer {
  return gzipSync(Buffer.from(JSON.stringify(s) + '\n', 'utf8'), { level: 9 })
}

/** Read a snapshot file (gzip'd or plain JSON). */
export function readSnapshotFile (path: string): Snapshot {
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch (err) {
    throw new SnapshotUnreadableError(`cannot read the reference-data snapshot ${path}: ${(err as Error).message}`, { cause: err })
  }
  let s: Snapshot
  try {
    const text = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8')
    s = JSON.parse(text) as Snapshot
  } catch (err) {
    throw new SnapshotUnreadableError(`the reference-data snapshot ${path} is not gzip'd JSON: ${(err as Error).message}`, { cause: err })
  }
  if (s === null || typeof s !== 'object' || s.format !== SNAPSHOT_FORMAT || !Array.isArray(s.taxa) || typeof s.snapshotDate !== 'string') {
    throw new SnapshotUnreadableError(`${path} is not a ${SNAPSHOT_FORMAT} snapshot`)
  }
  return s
}
