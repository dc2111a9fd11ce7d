/**
 * Reads the Species+ "CITES listings" CSV export (speciesplus.net, columns
 * in shared/refdata/README.md) into a new snapshot. The export holds the
 * current taxonomy and listings only (no history, no synonyms, no quotas,
 * suspensions or code tables), so those parts come from a base snapshot
 * (default the shipped one), matched by accepted name, each part keeping
 * its own date and source.
 */
import { basename } from 'node:path'
import { cell, codeList, readCsv } from './csv.js'
import { Interner, cmp, indexSynonyms, indexTaxa, plainText, sortListings, sortQuotas, sortSuspensions, type TaxonIn } from './build.js'
import { DateInvalidError } from './errors.js'
import { SNAPSHOT_FORMAT, type ListingRow, type QuotaRow, type Snapshot, type SuspensionRow } from './snapshot.js'

export const SPECIES_PLUS_COLUMNS = ['Id', 'Kingdom', 'Phylum', 'Class', 'Order', 'Family', 'Genus', 'Species', 'Subspecies', 'Scientific Name', 'Author', 'Rank', 'Listing', 'Party', 'Listed under', 'Full note', '# Full note'] as const
const LEVELS = [['Phylum', 'PHYLUM'], ['Class', 'CLASS'], ['Order', 'ORDER'], ['Family', 'FAMILY'], ['Genus', 'GENUS']] as const

export interface SpeciesPlusImportOptions {
  /** The date the export was downloaded (YYYY-MM-DD): its listings are those in force then. */
  date: string
  /** Quotas, suspensions, annotations and code tables come from here. */
  base: Snapshot
}

export interface SpeciesPlusReport { snapshot: Snapshot, taxa: number, listed: number, carried: { quotas: number, suspensions: number }, dropped: { quotas: number, suspensions: number } }

export function importSpeciesPlusListings (csvFile: string, options: SpeciesPlusImportOptions): SpeciesPlusReport {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.date)) throw new DateInvalidError(`not a date (YYYY-MM-DD): ${options.date}`)
  const base = options.base
  const rows = readCsv(csvFile, SPECIES_PLUS_COLUMNS)
  const taxa = new Map<string, TaxonIn>()
  const add = (t: TaxonIn): void => { if (!taxa.has(t.key)) taxa.set(t.key, t) }
  // Country names to ISO codes, for a Party column that names the party.
  const isoOf = new Map<string, string>()
  for (const [code, en, fr, es] of base.codes.countries) for (const n of [code, en, fr, es]) if (n !== '') isoOf.set(n.toLowerCase(), code)
  const pending: Array<{ key: string, row: ListingRow }> = []
  const fullNotes = new Interner<string>()
  const hashTexts = new Map<string, string>()
  const source = `Species+ CITES listings export ${basename(csvFile)}, downloaded ${options.date}`
  for (const r of rows) {
    const kingdom = cell(r, 'Kingdom') === 'Plantae' ? 'Plantae' : 'Animalia'
    add({ key: `${kingdom}|KINGDOM|${kingdom}`, name: kingdom, rank: 'KINGDOM', kingdom, parentKey: '', status: 'A', author: '', cites: true })
    let parentKey = `${kingdom}|KINGDOM|${kingdom}`
    for (const [col, rank] of LEVELS) {
      const n = cell(r, col)
      if (n === '') continue
      const name = n.charAt(0).toUpperCase() + n.slice(1).toLowerCase()
      const key = `${kingdom}|${rank}|${name}`
      add({ key, name, rank, kingdom, parentKey, status: 'A', author: '', cites: true })
      parentKey = key
    }
    const rank = cell(r, 'Rank').toUpperCase()
    const name = cell(r, 'Scientific Name')
    if (name === '') continue
    const key = `${kingdom}|${rank}|${name}`
    // A species' row names its genus; a subspecies' row its species too.
    const speciesKey = `${kingdom}|SPECIES|${cell(r, 'Genus')} ${cell(r, 'Species')}`
    const parent = (rank === 'SUBSPECIES' || rank === 'VARIETY') && taxa.has(speciesKey) ? speciesKey : parentKey
    if (key !== parent) add({ key, name, rank, kingdom, parentKey: parent, status: 'A', author: cell(r, 'Author'), cites: true })
    const listing = cell(r, 'Listing').replace(/\s+/g, '')
    const appendices = listing.split('/').filter((a) => a === 'I' || a === 'II' || a === 'III')
    if (appendices.length === 0) continue
    const full = plainText(cell(r, 'Full note'))
    const hashText = plainText(cell(r, '# Full note'))
    const mark = /^#\s*\d+/.exec(hashText)?.[0].replace(/\s+/g, '') ?? (hashText === '' ? '' : '#')
    const fullIdx = full === '' ? -1 : fullNotes.add(full, full)
    const parties = codeList(cell(r, 'Party')).map((p) => isoOf.get(p.toLowerCase()) ?? p)
    const kind = appendices.length > 1 ? `SPLIT:${appendices.join('/')}` : appendices[0]!
    if (kind === 'III' && parties.length > 0) for (const p of parties) pending.push({ key, row: ['III', options.date, p, [], [], [], -1, fullIdx, mark === '' ? '' : `S+ ${mark}`, -1] })
    else pending.push({ key, row: [kind, options.date, '', [], [], [], -1, fullIdx, mark === '' ? '' : `S+ ${mark}`, -1] })
    if (mark !== '') hashTexts.set(`S+ ${mark}`, hashText)
  }
  const { rows: taxonRows, indexOf } = indexTaxa([...taxa.values()])
  const byTaxon = new Map<number, ListingRow[]>()
  for (const { key, row } of pending) {
    const i = indexOf.get(key)!
    byTaxon.set(i, [...(byTaxon.get(i) ?? []), row])
  }
  // Carry the base's quotas and suspensions over by accepted name and kingdom.
  const newIndex = new Map<string, number>()
  taxonRows.forEach((t, i) => newIndex.set(`${t[2]}|${t[0]}`, i))
  const remap = (i: number): number => i === -1 ? -1 : newIndex.get(`${base.taxa[i]![2]}|${base.taxa[i]![0]}`) ?? -2
  const quotas: QuotaRow[] = []
  let droppedQ = 0
  for (const q of base.quotas) { const t = remap(q[0]); if (t < 0) droppedQ++; else quotas.push([t, ...q.slice(1)] as QuotaRow) }
  const suspensions: SuspensionRow[] = []
  let droppedS = 0
  for (const x of base.suspensions) {
    const t = remap(x[0])
    if (t === -2) { droppedS++; continue }
    suspensions.push([t, x[1], x[2], x[3], x[4], x[5], x[6].map(remap).filter((e) => e >= 0)])
  }
  const hashAnnotations = { ...base.hashAnnotations, ...Object.fromEntries(hashTexts) }
  const part = { date: options.date, source }
  const snapshot: Snapshot = {
    format: SNAPSHOT_FORMAT,
    snapshotDate: options.date,
    source,
    licence: `${base.licence}; Species+ data under the Species+ terms of use`,
    parts: { taxonomy: part, listings: part, quotas: base.parts.quotas, suspensions: base.parts.suspensions, codes: base.parts.codes },
    taxa: taxonRows,
    synonyms: indexSynonyms([], indexOf),
    listings: sortListings(byTaxon),
    shortNotes: [],
    fullNotes: fullNotes.values,
    hashAnnotations: Object.fromEntries(Object.entries(hashAnnotations).sort((a, b) => cmp(a[0], b[0]))),
    quotas: sortQuotas(quotas),
    quotaNotes: base.quotaNotes,
    suspensions: sortSuspensions(suspensions),
    suspensionNotes: base.suspensionNotes,
    codes: base.codes,
    termUnitPairs: base.termUnitPairs,
    termPurposePairs: base.termPurposePairs
  }
  return { snapshot, taxa: taxonRows.length, listed: byTaxon.size, carried: { quotas: quotas.length, suspensions: suspensions.length }, dropped: { quotas: droppedQ, suspensions: droppedS } }
}
