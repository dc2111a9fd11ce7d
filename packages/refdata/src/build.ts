/**
 * Builds a snapshot's rows from parsed sources. Shared by the two importers:
 * taxa are sorted by kingdom and name so that indices (which listings,
 * quotas and suspensions refer to) are the same whenever the input is.
 */
import type { ListingRow, QuotaRow, SuspensionRow, SynonymRow, TaxonRow } from './snapshot.js'

/** A taxon before indexing: `key` is unique within the import, `parentKey` names its parent's key. */
export interface TaxonIn { key: string, name: string, rank: string, kingdom: string, parentKey: string, status: string, author: string, cites: boolean }
export interface SynonymIn { name: string, rank: string, acceptedKey: string, author: string }

/** Ranks from the top, for display order. */
export const RANKS = ['KINGDOM', 'PHYLUM', 'CLASS', 'ORDER', 'FAMILY', 'SUBFAMILY', 'GENUS', 'SPECIES', 'SUBSPECIES', 'VARIETY'] as const

/** Notes as stored: HTML paragraph marks become line breaks, other tags go (the SAPI texts carry <p> and <i>). */
export function plainText (s: string): string {
  return s.replace(/<\s*p\s*\/?>/gi, '\n').replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]+>/g, '').replace(/\r\n?/g, '\n').replace(/[ \t]+\n/g, '\n').trim()
}

/** Interns strings (notes) so each distinct text is stored once. */
export class Interner<T> {
  readonly values: T[] = []
  private readonly index = new Map<string, number>()
  add (v: T, key: string): number {
    const had = this.index.get(key)
    if (had !== undefined) return had
    this.values.push(v)
    this.index.set(key, this.values.length - 1)
    return this.values.length - 1
  }
}

export function indexTaxa (taxa: TaxonIn[]): { rows: TaxonRow[], indexOf: Map<string, number> } {
  const sorted = [...taxa].sort((a, b) => cmp(a.kingdom, b.kingdom) || cmp(a.name, b.name) || cmp(a.rank, b.rank) || cmp(a.key, b.key))
  const indexOf = new Map<string, number>()
  sorted.forEach((t, i) => indexOf.set(t.key, i))
  const rows = sorted.map((t): TaxonRow => [t.name, t.rank, t.kingdom, indexOf.get(t.parentKey) ?? -1, t.status, t.author, t.cites ? 1 : 0])
  return { rows, indexOf }
}

export function indexSynonyms (synonyms: SynonymIn[], indexOf: Map<string, number>): SynonymRow[] {
  const seen = new Set<string>()
  const rows: SynonymRow[] = []
  for (const s of synonyms) {
    const accepted = indexOf.get(s.acceptedKey) ?? -1
    const k = `${s.name}\u0000${accepted}`
    if (seen.has(k)) continue
    seen.add(k)
    rows.push([s.name, s.rank, accepted, s.author])
  }
  return rows.sort((a, b) => cmp(a[0], b[0]) || a[2] - b[2] || cmp(a[1], b[1]))
}

/** Listing rows per taxon, in date order (stable for equal dates: the input's order decides nothing, the row content does). */
export function sortListings (byTaxon: Map<number, ListingRow[]>): Record<string, ListingRow[]> {
  const out: Record<string, ListingRow[]> = {}
  for (const k of [...byTaxon.keys()].sort((a, b) => a - b)) {
    out[String(k)] = byTaxon.get(k)!.sort((a, b) => cmp(a[1], b[1]) || cmp(JSON.stringify(a), JSON.stringify(b)))
  }
  return out
}

export function sortQuotas (rows: QuotaRow[]): QuotaRow[] {
  return rows.sort((a, b) => a[0] - b[0] || cmp(a[1], b[1]) || a[2] - b[2] || cmp(JSON.stringify(a), JSON.stringify(b)))
}

export function sortSuspensions (rows: SuspensionRow[]): SuspensionRow[] {
  return rows.sort((a, b) => cmp(a[1], b[1]) || a[0] - b[0] || cmp(JSON.stringify(a), JSON.stringify(b)))
}

export function cmp (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The newest of some ISO dates ('' ignored). */
export function newest (dates: Iterable<string>): string {
  let m = ''
  for (const d of dates) if (d > m) m = d
  return m
}
