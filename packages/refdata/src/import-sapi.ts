/**
 * Reads the SAPI CSV layout (UNEP-WCMC's Species+/Trade Database
 * application, `lib/files/`): the files named in shared/refdata/README.md.
 */
import { join } from 'node:path'
import { cell, codeList, isoFromDmy, readCsv, type CsvRecord } from './csv.js'
import {
  Interner, indexSynonyms, indexTaxa, newest, plainText, sortListings, sortQuotas, sortSuspensions,
  type SynonymIn, type TaxonIn
} from './build.js'
import { SNAPSHOT_FORMAT, type CodeRow, type ListingRow, type QuotaRow, type Snapshot, type SuspensionRow } from './snapshot.js'

/** Where the shipped snapshot's files come from (shared/refdata/README.md). */
export const SAPI_SOURCE = 'UNEP-WCMC Species+/CITES Trade Database application, github.com/unepwcmc/SAPI lib/files/ at commit 86a35391c4ae2f70b0e688f5c61755bf147c272f'
export const SAPI_LICENCE = 'BSD-3-Clause, Copyright (c) 2013, UNEP-WCMC (see LICENSE beside the snapshot)'

const KINGDOMS = [['animalia', 'Animalia'], ['plantae', 'Plantae']] as const
const HIGHER = new Set(['KINGDOM', 'PHYLUM', 'CLASS', 'ORDER', 'FAMILY', 'SUBFAMILY', 'GENUS'])

export interface SapiImportOptions {
  /** Overrides the source line (e.g. another SAPI commit). */
  source?: string
  /** Overrides the snapshot date (default: the newest listing or quota date in the files). */
  date?: string
}

/** Also returned: what could not be linked (for the build script to print). */
export interface ImportReport { snapshot: Snapshot, unresolved: Record<string, number> }

/** Read a directory in the SAPI CSV layout into a snapshot. */
export function importSapiCsv (dir: string, options: SapiImportOptions = {}): ImportReport {
  const unresolved: Record<string, number> = {}
  const miss = (what: string): void => { unresolved[what] = (unresolved[what] ?? 0) + 1 }
  const taxa: TaxonIn[] = []
  const synonyms: SynonymIn[] = []
  const listingIn: Array<{ kingdom: string, r: CsvRecord }> = []
  for (const [file, kingdom] of KINGDOMS) {
    const taxonRows = readCsv(join(dir, `${file}_taxa_utf8.csv`), ['Scientific name', 'Rank', 'RecID', 'ParentRank', 'ParentRecID', 'Status'])
    const synonymRows = readCsv(join(dir, `${file}_synonyms_utf8.csv`), ['Scientific name', 'Rank', 'RecID', 'ParentRank', 'Parent recID', 'AcceptedRank', 'AcceptedRecID'])
    // Ranks and record IDs are per kingdom and per rank (RecID 12392 is an
    // elephant among animals and an orchid among plants).
    const key = (rank: string, id: string): string => `${kingdom}|${rank.toUpperCase()}|${id}`
    // A name the synonyms file lists as a synonym is one, even when the taxa
    // file also carries it as accepted for another convention (CMS).
    const synonymKeys = new Set(synonymRows.map((r) => key(cell(r, 'Rank'), cell(r, 'RecID'))))
    const raw = new Map<string, { name: string, rank: string, parentKey: string }>()
    for (const r of synonymRows) raw.set(key(cell(r, 'Rank'), cell(r, 'RecID')), { name: cell(r, 'Scientific name'), rank: cell(r, 'Rank').toUpperCase(), parentKey: key(cell(r, 'ParentRank'), cell(r, 'Parent recID')) })
    for (const r of taxonRows) raw.set(key(cell(r, 'Rank'), cell(r, 'RecID')), { name: cell(r, 'Scientific name'), rank: cell(r, 'Rank').toUpperCase(), parentKey: key(cell(r, 'ParentRank'), cell(r, 'ParentRecID')) })
    // The files give species and lower ranks as bare epithets under their parent.
    const names = new Map<string, string>()
    const fullName = (k: string, depth = 0): string => {
      const had = names.get(k)
      if (had !== undefined) return had
      const t = raw.get(k)
      if (t === undefined || depth > 12) return ''
      let n: string
      if (t.rank === 'KINGDOM') n = kingdom
      else if (HIGHER.has(t.rank)) n = t.name.charAt(0).toUpperCase() + t.name.slice(1).toLowerCase()
      else {
        const parent = fullName(t.parentKey, depth + 1)
        if (parent === '') miss('parent of a species-rank name')
        n = `${parent}${t.rank === 'VARIETY' ? ' var.' : ''} ${t.name}`.trim()
      }
      names.set(k, n)
      return n
    }
    for (const r of taxonRows) {
      const k = key(cell(r, 'Rank'), cell(r, 'RecID'))
      if (synonymKeys.has(k) || cell(r, 'Scientific name') === '') continue
      const designation = cell(r, 'Designation')
      taxa.push({
        key: k, name: fullName(k), rank: cell(r, 'Rank').toUpperCase(), kingdom, parentKey: key(cell(r, 'ParentRank'), cell(r, 'ParentRecID')),
        status: cell(r, 'Status'), author: cleanAuthor(cell(r, 'Species Author')), cites: designation === '' || designation.includes('CITES')
      })
    }
    for (const r of synonymRows) {
      const k = key(cell(r, 'Rank'), cell(r, 'RecID'))
      if (cell(r, 'Scientific name') === '' || cell(r, 'Rank') === '') continue
      synonyms.push({ name: fullName(k), rank: cell(r, 'Rank').toUpperCase(), acceptedKey: key(cell(r, 'AcceptedRank'), cell(r, 'AcceptedRecID')), author: cleanAuthor(cell(r, 'Species Author')) })
    }
    for (const r of readCsv(join(dir, `${file}_legislation_utf8.csv`), ['rank_name', 'rec_id', 'listing', 'effective_from', 'party_iso2', 'populations_iso2', 'EXCLUDEDpopulations_iso'])) listingIn.push({ kingdom, r })
  }
  const { rows: taxonRows, indexOf } = indexTaxa(taxa)
  const synonymRows = indexSynonyms(synonyms, indexOf)
  for (const s of synonymRows) if (s[2] === -1) miss('synonym without an accepted name in the files')
  const taxonIndex = (kingdom: string, rank: string, id: string): number => indexOf.get(`${kingdom}|${rank.toUpperCase()}|${id}`) ?? -1
  // "SPECIES:98436", "Subspecies: 5323"
  const taxonRefs = (kingdom: string, s: string): number[] => codeList(s).map((x) => {
    const [rank, id] = x.split(':').map((y) => y.trim())
    const i = taxonIndex(kingdom, rank ?? '', id ?? '')
    if (i === -1) miss('excluded taxon')
    return i
  }).filter((i) => i !== -1).sort((a, b) => a - b)

  // # annotations: the legislation's hash_note ("CoP15 #5") is the file's "For Display".
  const hashAnnotations: Record<string, string> = {}
  for (const r of readCsv(join(dir, 'hash_annotations_cites_utf8.csv'), ['For Display', 'Text'])) {
    const mark = normMark(cell(r, 'For Display'))
    if (mark !== '' && hashAnnotations[mark] === undefined) hashAnnotations[mark] = plainText(cell(r, 'Text'))
  }

  const shortNotes = new Interner<[string, string, string]>()
  const fullNotes = new Interner<string>()
  const byTaxon = new Map<number, ListingRow[]>()
  for (const { kingdom, r } of listingIn) {
    const t = taxonIndex(kingdom, cell(r, 'rank_name'), cell(r, 'rec_id'))
    if (t === -1) { miss('listing of a taxon not in the taxa files'); continue }
    const sn: [string, string, string] = [plainText(cell(r, 'short_note_en')), plainText(cell(r, 'short_note_fr')), plainText(cell(r, 'short_note_es'))]
    const fn = plainText(cell(r, 'full_note_en'))
    const hash = normMark(cell(r, 'hash_note'))
    if (hash !== '' && hashAnnotations[hash] === undefined) miss('# annotation mark not in the annotations file')
    const included = cell(r, 'is_inclusion') === '1' ? taxonIndex(kingdom, cell(r, 'RankforInclusions'), cell(r, 'included_in_RecID')) : -1
    const row: ListingRow = [
      cell(r, 'listing'), isoFromDmy(cell(r, 'effective_from')), cell(r, 'party_iso2'),
      codeList(cell(r, 'populations_iso2')), codeList(cell(r, 'EXCLUDEDpopulations_iso')), taxonRefs(kingdom, cell(r, 'excluded_rec_ids')),
      sn.join('') === '' ? -1 : shortNotes.add(sn, sn.join('\u0000')), fn === '' ? -1 : fullNotes.add(fn, fn), hash, included
    ]
    const list = byTaxon.get(t) ?? []
    list.push(row)
    byTaxon.set(t, list)
  }

  const quotaNotes = new Interner<string>()
  const quotas: QuotaRow[] = []
  const quotaDates: string[] = []
  for (const r of readCsv(join(dir, 'quotas_utf8.csv'), ['Kingdom', 'RecId', 'Rank', 'ISO code', 'Quota', 'Unit', 'Year', 'Terms', 'Sources'])) {
    const kingdom = cell(r, 'Kingdom') === 'Plantae' ? 'Plantae' : 'Animalia'
    const t = taxonIndex(kingdom, cell(r, 'Rank'), cell(r, 'RecId'))
    if (t === -1) { miss('quota for a taxon not in the taxa files'); continue }
    const note = plainText(cell(r, 'Notes'))
    quotaDates.push(isoFromDmy(cell(r, 'QuoAdded')))
    quotas.push([
      t, cell(r, 'ISO code'), Number(cell(r, 'Year')), Number(cell(r, 'Quota')), cell(r, 'Unit'), codeList(cell(r, 'Terms')), codeList(cell(r, 'Sources')),
      isoFromDmy(cell(r, 'StartDate')), isoFromDmy(cell(r, 'EndDate')), note === '' ? -1 : quotaNotes.add(note, note),
      cell(r, 'IsCurrent') === '1' ? 1 : 0, cell(r, 'PublicDisplay') === '0' ? 0 : 1
    ])
  }

  const suspensionNotes = new Interner<string>()
  const suspensions: SuspensionRow[] = []
  for (const r of readCsv(join(dir, 'cites_suspensions_utf8.csv'), ['IsCurrent', 'Kingdom', 'Rank', 'RecID', 'ISO code', 'Notes'])) {
    let t = -1
    let kingdom = cell(r, 'Kingdom')
    if (cell(r, 'RecID') !== '') {
      // A few rows name a species but no kingdom; each such RecID is tried
      // among animals first (all of them are animal species in the 2013 file).
      if (kingdom === '') kingdom = taxonIndex('Animalia', cell(r, 'Rank'), cell(r, 'RecID')) !== -1 ? 'Animalia' : 'Plantae'
      t = taxonIndex(kingdom, cell(r, 'Rank'), cell(r, 'RecID'))
      if (t === -1) { miss('suspension of a taxon not in the taxa files'); continue }
    }
    const note = plainText(cell(r, 'Notes'))
    suspensions.push([
      t, cell(r, 'ISO code'), cell(r, 'IsCurrent') === '1' ? 1 : 0, cell(r, 'StartNotificationID'), cell(r, 'EndNotificationID'),
      suspensionNotes.add(note, note), taxonRefs(kingdom === '' ? 'Animalia' : kingdom, cell(r, 'ExcludedTaxa'))
    ])
  }

  const codes = (file: string, cols: [string, string, string, string]): CodeRow[] =>
    readCsv(join(dir, file), cols).map((r): CodeRow => [cell(r, cols[0]), cell(r, cols[1]), cell(r, cols[2]), cell(r, cols[3])])
      .filter((c) => c[0] !== '').sort((a, b) => a[0] < b[0] ? -1 : 1)
  const regionEn = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' })
  const countries = readCsv(join(dir, 'country_codes_en_es_fr_utf8.csv'), ['iso_country_code', 'iso_french_short_name', 'iso_spanish_short_name'])
    .map((r): CodeRow => {
      const code = cell(r, 'iso_country_code')
      // The SAPI file has French and Spanish names only; English comes from
      // CLDR through Node's ICU (PROVENANCE.md says so).
      let en = ''
      try { en = regionEn.of(code) ?? '' } catch { en = '' }
      return [code, en, cell(r, 'iso_french_short_name'), cell(r, 'iso_spanish_short_name')]
    }).filter((c) => c[0] !== '').sort((a, b) => a[0] < b[0] ? -1 : 1)

  const pairs = (file: string, a: string, b: string): Array<[string, string]> =>
    readCsv(join(dir, file), [a, b]).map((r): [string, string] => [cell(r, a).toUpperCase(), cell(r, b).toUpperCase()])
      .filter((p) => p[0] !== '').sort((x, y) => x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0)

  const listingsDate = newest(listingIn.map(({ r }) => isoFromDmy(cell(r, 'effective_from'))))
  const quotasDate = newest(quotaDates)
  const source = options.source ?? SAPI_SOURCE
  const snapshot: Snapshot = {
    format: SNAPSHOT_FORMAT,
    snapshotDate: options.date ?? newest([listingsDate, quotasDate]),
    source,
    licence: SAPI_LICENCE,
    parts: {
      taxonomy: { date: listingsDate, source },
      listings: { date: listingsDate, source },
      quotas: { date: quotasDate, source },
      // The suspensions file gives notification numbers, not dates: it is as old as the rest.
      suspensions: { date: newest([listingsDate, quotasDate]), source },
      codes: { date: '2018', source: `${source}; term-unit and term-purpose pairs 2018, code names 2013; English country names from CLDR (Node ${process.versions.node}, ICU ${process.versions.icu ?? '?'})` }
    },
    taxa: taxonRows,
    synonyms: synonymRows,
    listings: sortListings(byTaxon),
    shortNotes: shortNotes.values,
    fullNotes: fullNotes.values,
    hashAnnotations: Object.fromEntries(Object.entries(hashAnnotations).sort((a, b) => a[0] < b[0] ? -1 : 1)),
    quotas: sortQuotas(quotas),
    quotaNotes: quotaNotes.values,
    suspensions: sortSuspensions(suspensions),
    suspensionNotes: suspensionNotes.values,
    codes: {
      terms: codes('term_codes_utf8.csv', ['Term_code', 'English_Term_Name', 'French_Term_name', 'Spanish_Term_Name']),
      units: codes('unit_codes_utf8.csv', ['Unit_code', 'English_Unit_Name', 'French_Unit_name', 'Spanish_Unit_name']),
      purposes: codes('purpose_codes_utf8.csv', ['Purpose_code', 'English_Purpose_Name', 'French_Purpose_Name', 'Spanish_Purpose_Name']),
      sources: codes('source_codes_utf8.csv', ['Source_code', 'Source_English_Name', 'Source_French_Name', 'Source_Spanish_Name']),
      countries
    },
    termUnitPairs: pairs('term_unit_pairs_utf8.csv', 'TERM_CODE', 'UNIT_CODE'),
    termPurposePairs: pairs('term_purpose_pairs_utf8.csv', 'TERM_CODE', 'PURPOSE_CODE')
  }
  return { snapshot, unresolved }
}

/** "CoP5 #1  " and "CoP5 #1" are one mark. */
export function normMark (s: string): string {
  return s.replace(/\s+/g, ' ').trim()
}

function cleanAuthor (s: string): string {
  return s === 'NULL' ? '' : s
}
