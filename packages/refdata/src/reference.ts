/**
 * The loaded reference data: indexed lookups over one snapshot. Every answer
 * carries the date of the data it came from, because the shipped snapshot
 * is old (2013) and "not in the snapshot" proves nothing stronger than a
 * warning.
 */
import { fileURLToPath } from 'node:url'
import { resolve as resolvePath } from 'node:path'
import { DateInvalidError } from './errors.js'
import { readSnapshotFile, type CodeRow, type ListingRow, type Snapshot } from './snapshot.js'

/** The snapshot shipped with the package (built by scripts/build-snapshot.mjs). */
export const SHIPPED_SNAPSHOT = fileURLToPath(new URL('../data/sapi-2013.json.gz', import.meta.url))

export type Appendix = 'I' | 'II' | 'III'
export type CodeTable = 'terms' | 'units' | 'purposes' | 'sources' | 'countries'

/** A code's names in the three CITES languages. */
export interface CodeName { code: string, en: string, fr: string, es: string }

export interface TaxonResult {
  snapshotDate: string
  query: string
  found: boolean
  /** The accepted name ('' when unknown, or when the source gives a synonym without its accepted name). */
  name: string
  rank: string
  kingdom: string
  author: string
  /** A (accepted), N (not yet in the CITES Checklist) or H (hybrid), as the source says. */
  status: string
  /** The name asked for is a synonym; `name` is the accepted name it resolves to. */
  isSynonym: boolean
  synonyms: string[]
  /** Phylum to genus, for display. */
  higher: Record<string, string>
  /** Other taxa with the same name (homonyms across kingdoms), by accepted name. */
  alsoNamed?: string[]
}

export interface Annotation {
  /** Short note in English, French and Spanish ("Populations of BW, NA, ZA, ZW"). */
  short?: { en: string, fr: string, es: string }
  /** The full annotation text (English). */
  full?: string
  /** The # annotation: its mark (e.g. "CoP15 #5") and the parts and derivatives it designates. */
  hash?: { mark: string, text: string }
}

export interface ListingResult {
  snapshotDate: string
  query: string
  on: string
  party?: string
  /** The accepted name the listing was looked up for. */
  name: string
  found: boolean
  /** The appendix for this population on this date; null when the snapshot has no listing in force. */
  appendix: Appendix | null
  /** The taxon whose listing applies (the species itself, or e.g. the genus "Python" as "Python spp."). */
  listedUnder?: string
  /** Listed as included in this higher taxon ("Included in Pythonidae spp."). */
  includedIn?: string
  /** The date the applying listing took effect. */
  effectiveFrom?: string
  /** The applying row covers only these populations / all but these. */
  populations?: string[]
  excludedPopulations?: string[]
  /** App. III listing parties in force (when the appendix is III). */
  appendixIIIParties?: string[]
  /** Parties with a reservation in force on this appendix (they are non-Parties for it). */
  reservations?: string[]
  /** When the listing is split by population: each part in force on the date. */
  split?: Array<{ appendix: Appendix, populations?: string[], excludedPopulations?: string[] }>
  /** The source lists these appendices by population but not which population is in which: read the annotation. */
  splitUndetermined?: Appendix[]
  annotation?: Annotation
  /** The date asked is after the snapshot's listings: later CoPs may have changed the answer. */
  afterSnapshot: boolean
}

export interface QuotaResult {
  party: string
  year: number
  /** -1: the quota is "in preparation" in the source. */
  quota: number
  /** Trade Database unit ('' = number of specimens). */
  unit: string
  terms: string[]
  sources: string[]
  start: string
  end: string
  notes: string
  current: boolean
  publicDisplay: boolean
}
export interface QuotasResult { snapshotDate: string, query: string, name: string, found: boolean, quotas: QuotaResult[] }

export interface SuspensionResult {
  party: string
  /** The taxon the suspension names (accepted name), or "" for all CITES species of the party. */
  taxon: string
  /** In force at the snapshot's date (the source gives notification numbers, not dates). */
  current: boolean
  startNotification: string
  endNotification: string
  notes: string
}
export interface SuspensionsResult { snapshotDate: string, query: string, name: string, found: boolean, on?: string, afterSnapshot: boolean, suspensions: SuspensionResult[] }

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/

/** The key every name is indexed under: case, spacing and a trailing "spp." do not matter. */
export function nameKey (name: string): string {
  // Most names are plain ASCII with single spaces: skip the work then (the index holds ~50k names).
  const n = ASCII_CLEAN.test(name) ? name : name.normalize('NFC').trim().replace(/\s+/g, ' ')
  const l = n.toLowerCase()
  return l.endsWith(' spp.') || l.endsWith(' spp') ? l.replace(/ spp\.?$/, '') : l
}
const ASCII_CLEAN = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/

/** Load a snapshot (default: the shipped 2013 one) and index it. */
export function loadReferenceData (path: string = SHIPPED_SNAPSHOT): ReferenceData {
  return new ReferenceData(readSnapshotFile(path), path)
}

const SHARED = new Map<string, ReferenceData>()

/**
 * One loaded snapshot per path per process (loading the shipped one costs
 * 0.3–1 s and ~50 MiB): every node of a process (a pilot, a test) shares it.
 * The data is read-only once loaded.
 */
export function sharedReferenceData (path: string = SHIPPED_SNAPSHOT): ReferenceData {
  const key = resolvePath(path)
  let rd = SHARED.get(key)
  if (rd === undefined) {
    rd = loadReferenceData(key)
    SHARED.set(key, rd)
  }
  return rd
}

export class ReferenceData {
  readonly snapshot: Snapshot
  readonly path: string | undefined
  /** nameKey → taxon indices; synonym nameKey → synonym row indices. */
  private readonly accepted = new Map<string, number[]>()
  private readonly synonymOf = new Map<string, number[]>()
  private readonly synonymsByTaxon = new Map<number, number[]>()
  private readonly quotasByTaxon = new Map<number, number[]>()
  private readonly synonymNames = new Map<number, string[]>()
  private readonly codeMaps: Record<CodeTable, Map<string, CodeName>>
  private readonly termUnit: Set<string>
  private readonly termPurpose: Set<string>
  private readonly taxonMemo = new Map<string, Readonly<TaxonResult>>()
  private readonly listingMemo = new Map<string, Readonly<ListingResult>>()
  private readonly suspensionMemo = new Map<string, Readonly<SuspensionsResult>>()

  constructor (snapshot: Snapshot, path?: string) {
    this.snapshot = snapshot
    this.path = path
    const s = snapshot
    for (let i = 0; i < s.taxa.length; i++) push(this.accepted, nameKey(s.taxa[i]![0]), i)
    for (let i = 0; i < s.synonyms.length; i++) {
      const syn = s.synonyms[i]!
      push(this.synonymOf, nameKey(syn[0]), i)
      if (syn[2] !== -1) push(this.synonymsByTaxon, syn[2], i)
    }
    for (let i = 0; i < s.quotas.length; i++) push(this.quotasByTaxon, s.quotas[i]![0], i)
    const map = (rows: CodeRow[]): Map<string, CodeName> => new Map(rows.map(([code, en, fr, es]) => [code, { code, en, fr, es }]))
    this.codeMaps = { terms: map(s.codes.terms), units: map(s.codes.units), purposes: map(s.codes.purposes), sources: map(s.codes.sources), countries: map(s.codes.countries) }
    this.termUnit = new Set(s.termUnitPairs.map(([t, u]) => `${t}|${u}`))
    this.termPurpose = new Set(s.termPurposePairs.map(([t, p]) => `${t}|${p}`))
  }

  /** The snapshot's date (YYYY-MM-DD). */
  get snapshotDate (): string { return this.snapshot.snapshotDate }

  /** The taxon a name resolves to: accepted names first, then synonyms; -1 when unknown. */
  private resolve (name: string): { index: number, synonym: boolean, others: number[] } {
    const k = nameKey(name)
    const acc = this.accepted.get(k) ?? []
    const syn = (this.synonymOf.get(k) ?? []).map((i) => this.snapshot.synonyms[i]![2]).filter((i) => i !== -1)
    const taxa = this.snapshot.taxa
    // An accepted CITES name wins; then a synonym of one; then a name
    // accepted only for another convention (the SAPI taxa also hold CMS names).
    const citesAccepted = acc.filter((i) => taxa[i]![6] === 1)
    const pick = citesAccepted[0] ?? syn[0] ?? acc[0]
    if (pick === undefined) return { index: -1, synonym: (this.synonymOf.get(k) ?? []).length > 0, others: [] }
    const synonym = citesAccepted[0] === undefined && syn[0] !== undefined
    const others = [...new Set([...acc, ...syn])].filter((i) => i !== pick && taxa[i]![0] !== taxa[pick]![0])
    return { index: pick, synonym, others }
  }

  /**
   * The accepted name, rank, kingdom and synonyms of a name; a synonym
   * resolves to its accepted name, flagged. The answer is memoised per name
   * and frozen (shared between callers): building it (the line of higher
   * taxa, the sorted synonyms) cost tens of µs and made the p99 of a lookup
   * hundreds of µs under GC; the same few species are looked up again and
   * again at issuance and in verdicts.
   */
  taxon (name: string): Readonly<TaxonResult> {
    const hit = this.taxonMemo.get(name)
    if (hit !== undefined) return hit
    const r = deepFreeze(this.buildTaxon(name))
    remember(this.taxonMemo, name, r)
    return r
  }

  private buildTaxon (name: string): TaxonResult {
    const { index, synonym, others } = this.resolve(name)
    const base = { snapshotDate: this.snapshot.parts.taxonomy.date, query: name }
    if (index === -1) return { ...base, found: false, name: '', rank: '', kingdom: '', author: '', status: '', isSynonym: synonym, synonyms: [], higher: {} }
    const t = this.snapshot.taxa[index]!
    const higher: Record<string, string> = {}
    for (let p = t[3], n = 0; p !== -1 && n < 20; n++) {
      const pt = this.snapshot.taxa[p]!
      if (pt[1] !== 'KINGDOM') higher[pt[1].toLowerCase()] = pt[0]
      p = pt[3]
    }
    let synonyms = this.synonymNames.get(index)
    if (synonyms === undefined) {
      // Sorted once per taxon (a genus can have hundreds of synonyms).
      synonyms = [...new Set((this.synonymsByTaxon.get(index) ?? []).map((i) => this.snapshot.synonyms[i]![0]))].sort()
      this.synonymNames.set(index, synonyms)
    }
    return {
      ...base, found: true, name: t[0], rank: t[1], kingdom: t[2], author: t[5], status: t[4], isSynonym: synonym, synonyms, higher,
      ...(others.length > 0 ? { alsoNamed: others.map((i) => this.snapshot.taxa[i]![0]) } : {})
    }
  }

  /**
   * The appendix for a population on a date. `party` is the population's
   * country (the origin); without it, the answer is for populations that no
   * population-specific listing names ("elsewhere").
   */
  listing (name: string, opts: { on: string, party?: string }): Readonly<ListingResult> {
    // Memoised per name, date and population, frozen, as taxon() (the reference rules ask it per line).
    const key = `${name}\u0000${opts.on}\u0000${opts.party ?? ''}`
    const hit = this.listingMemo.get(key)
    if (hit !== undefined) return hit
    const r = deepFreeze(this.buildListing(name, opts))
    remember(this.listingMemo, key, r)
    return r
  }

  private buildListing (name: string, opts: { on: string, party?: string }): ListingResult {
    checkDate(opts.on)
    const party = opts.party?.toUpperCase()
    const { index } = this.resolve(name)
    const s = this.snapshot
    const base: ListingResult = {
      snapshotDate: s.parts.listings.date, query: name, on: opts.on, ...(party !== undefined ? { party } : {}),
      name: index === -1 ? '' : s.taxa[index]![0], found: index !== -1, appendix: null,
      afterSnapshot: opts.on > s.parts.listings.date
    }
    if (index === -1) return base
    // The nearest taxon (itself, then its genus, family ...) with a listing
    // in force for this population on this date, unless that listing
    // excludes the taxon or the line between them.
    const line: number[] = []
    for (let t = index, n = 0; t !== -1 && n < 20; n++, t = s.taxa[t]![3]) {
      line.push(t)
      const rows = s.listings[String(t)]
      if (rows === undefined) continue
      const state = listingState(rows, opts.on, party)
      const applying = state.main ?? (state.iii.size > 0 ? [...state.iii.values()][0]! : undefined)
      if (applying === undefined) continue
      if (applying[5].some((x) => line.includes(x))) continue
      // A Species+ import knows "I/II" but not which populations are in which (only the note says).
      if (state.main?.[0].startsWith('SPLIT:') === true) {
        return { ...base, appendix: null, listedUnder: s.taxa[t]![0] + (t === index ? '' : ' spp.'), effectiveFrom: applying[1], splitUndetermined: state.main[0].slice(6).split('/') as Appendix[], annotation: this.annotationOf(applying) }
      }
      const appendix = (state.main !== undefined ? state.main[0] : 'III') as Appendix
      const reservations = [...(state.reservations.get(appendix)?.keys() ?? [])].sort()
      const split = splitOf(rows, state.main)
      return {
        ...base,
        appendix,
        listedUnder: s.taxa[t]![0] + (t === index ? '' : ' spp.'),
        ...(applying[9] !== -1 ? { includedIn: s.taxa[applying[9]]![0] + ' spp.' } : {}),
        effectiveFrom: applying[1],
        ...(applying[3].length > 0 ? { populations: applying[3] } : {}),
        ...(applying[4].length > 0 ? { excludedPopulations: applying[4] } : {}),
        ...(appendix === 'III' ? { appendixIIIParties: [...state.iii.keys()].filter((p) => p !== '').sort() } : {}),
        ...(reservations.length > 0 ? { reservations } : {}),
        ...(split.length > 1 ? { split } : {}),
        annotation: this.annotationOf(applying)
      }
    }
    return base
  }

  private annotationOf (row: ListingRow): Annotation {
    const s = this.snapshot
    const a: Annotation = {}
    const sn = row[6] === -1 ? undefined : s.shortNotes[row[6]]
    if (sn !== undefined) a.short = { en: sn[0], fr: sn[1], es: sn[2] }
    if (row[7] !== -1) a.full = s.fullNotes[row[7]]!
    if (row[8] !== '') a.hash = { mark: row[8], text: s.hashAnnotations[row[8]] ?? '' }
    return a
  }

  /** Published export quotas of a taxon, optionally of one party and year. */
  quotas (name: string, opts: { party?: string, year?: number } = {}): QuotasResult {
    const { index } = this.resolve(name)
    const s = this.snapshot
    const party = opts.party?.toUpperCase()
    const quotas = index === -1
      ? []
      : (this.quotasByTaxon.get(index) ?? []).map((i) => s.quotas[i]!)
          .filter((q) => (party === undefined || q[1] === party) && (opts.year === undefined || q[2] === opts.year))
          .map((q): QuotaResult => ({
            party: q[1], year: q[2], quota: q[3], unit: q[4], terms: q[5], sources: q[6], start: q[7], end: q[8],
            notes: q[9] === -1 ? '' : s.quotaNotes[q[9]]!, current: q[10] === 1, publicDisplay: q[11] === 1
          }))
    return { snapshotDate: s.parts.quotas.date, query: name, name: index === -1 ? '' : s.taxa[index]![0], found: index !== -1, quotas }
  }

  /**
   * Trade suspensions that cover a taxon (named for it or a higher taxon, or
   * for all CITES species of a party), optionally of one party. The source
   * dates them by notification number only, so `current` is "in force at the
   * snapshot's date"; `on` after that date sets `afterSnapshot`.
   */
  suspensions (name: string, opts: { party?: string, on?: string } = {}): Readonly<SuspensionsResult> {
    // Memoised and frozen as taxon(): the reference rules ask it for every line (it scans every suspension).
    const key = `${name}\u0000${opts.party ?? ''}\u0000${opts.on ?? ''}`
    const hit = this.suspensionMemo.get(key)
    if (hit !== undefined) return hit
    const r = deepFreeze(this.buildSuspensions(name, opts))
    remember(this.suspensionMemo, key, r)
    return r
  }

  private buildSuspensions (name: string, opts: { party?: string, on?: string }): SuspensionsResult {
    if (opts.on !== undefined) checkDate(opts.on)
    const { index } = this.resolve(name)
    const s = this.snapshot
    const party = opts.party?.toUpperCase()
    const line: number[] = []
    for (let t = index, n = 0; t !== -1 && n < 20; n++, t = s.taxa[t]![3]) line.push(t)
    const suspensions = s.suspensions
      .filter((x) => (party === undefined || x[1] === party) && (x[0] === -1 || line.includes(x[0])) && !x[6].some((e) => line.includes(e)))
      .map((x): SuspensionResult => ({
        party: x[1], taxon: x[0] === -1 ? '' : s.taxa[x[0]]![0], current: x[2] === 1, startNotification: x[3], endNotification: x[4], notes: s.suspensionNotes[x[5]] ?? ''
      }))
    return {
      snapshotDate: s.parts.suspensions.date, query: name, name: index === -1 ? '' : s.taxa[index]![0], found: index !== -1,
      ...(opts.on !== undefined ? { on: opts.on } : {}), afterSnapshot: opts.on !== undefined && opts.on > s.parts.suspensions.date, suspensions
    }
  }

  /** A code table: code → names in English, French and Spanish. */
  codes (table: CodeTable): ReadonlyMap<string, CodeName> { return this.codeMaps[table] }
  get terms (): ReadonlyMap<string, CodeName> { return this.codeMaps.terms }
  get units (): ReadonlyMap<string, CodeName> { return this.codeMaps.units }
  get purposes (): ReadonlyMap<string, CodeName> { return this.codeMaps.purposes }
  get sources (): ReadonlyMap<string, CodeName> { return this.codeMaps.sources }
  get countries (): ReadonlyMap<string, CodeName> { return this.codeMaps.countries }

  /** Whether the Trade Database allows this term with this Trade Database unit ('' = number of specimens). */
  termUnitAllowed (term: string, unit: string): boolean {
    return this.termUnit.has(`${term.trim().toUpperCase()}|${unit.trim().toUpperCase()}`)
  }

  /** Whether the Trade Database allows this term with this purpose. */
  termPurposeAllowed (term: string, purpose: string): boolean {
    return this.termPurpose.has(`${term.trim().toUpperCase()}|${purpose.trim().toUpperCase()}`)
  }
}

/** Memo entries kept per kind of lookup: bounded, oldest first out (a flood of distinct names cannot grow the heap). */
export const LOOKUP_MEMO_ENTRIES = 20_000

function remember<V> (m: Map<string, V>, k: string, v: V): void {
  if (m.size >= LOOKUP_MEMO_ENTRIES) m.delete(m.keys().next().value as string)
  m.set(k, v)
}

function deepFreeze<T> (o: T): T {
  if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o)
    for (const v of Object.values(o as Record<string, unknown>)) deepFreeze(v)
  }
  return o
}

function push<K> (m: Map<K, number[]>, k: K, v: number): void {
  const a = m.get(k)
  if (a === undefined) m.set(k, [v])
  else a.push(v)
}

function checkDate (d: string): void {
  if (!ISO_DATE.test(d)) throw new DateInvalidError(`not a date (YYYY-MM-DD): ${d}`)
}

/** Does a listing row apply to this population? A row naming populations covers only them; otherwise all but its excluded ones. */
function applies (row: ListingRow, party: string | undefined): boolean {
  if (row[3].length > 0) return party !== undefined && row[3].includes(party)
  return party === undefined || !row[4].includes(party)
}

interface State {
  /** The I or II listing in force. */
  main: ListingRow | undefined
  /** App. III listings in force, by listing party. */
  iii: Map<string, ListingRow>
  /** Reservations in force, by appendix then party. */
  reservations: Map<string, Map<string, ListingRow>>
}

/**
 * Replays a taxon's listing changes up to a date for one population. An
 * amendment restates only the populations it moves (CoP8 moved some
 * Crocodylus niloticus populations to II without restating the rest), so
 * each change applies to the populations it covers and leaves the others
 * as they were; a DEL removes its appendix only if that is the one in force.
 */
export function listingState (rows: readonly ListingRow[], on: string, party: string | undefined): State {
  const st: State = { main: undefined, iii: new Map(), reservations: new Map() }
  for (const row of rows) {
    if (row[1] > on || row[1] === '') break
    if (!applies(row, party)) continue
    const [listing, , p] = row
    const slash = listing.indexOf('/')
    if (slash !== -1 && (listing.endsWith('/r') || listing.endsWith('/w'))) {
      const app = listing.slice(0, slash)
      const byParty = st.reservations.get(app) ?? new Map<string, ListingRow>()
      if (listing.endsWith('/r')) byParty.set(p, row)
      else byParty.delete(p)
      st.reservations.set(app, byParty)
    } else if (listing === 'I' || listing === 'II' || listing.startsWith('SPLIT:')) st.main = row
    else if (listing === 'III') st.iii.set(p, row)
    else if (listing === 'DELI' || listing === 'DELII') { if (st.main?.[0] === listing.slice(3)) st.main = undefined }
    else if (listing === 'DELIII') { if (p === '') st.iii.clear(); else st.iii.delete(p) }
  }
  return st
}

/** The population parts of the I/II listing that took effect with the applying one (same date). */
function splitOf (rows: readonly ListingRow[], main: ListingRow | undefined): NonNullable<ListingResult['split']> {
  if (main === undefined) return []
  return rows.filter((r) => r[1] === main[1] && (r[0] === 'I' || r[0] === 'II'))
    .map((r) => ({ appendix: r[0] as Appendix, ...(r[3].length > 0 ? { populations: r[3] } : {}), ...(r[4].length > 0 ? { excludedPopulations: r[4] } : {}) }))
}
