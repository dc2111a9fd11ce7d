/**
 * Export quotas (issue 14 #5, ledger.md §3.8): a register per party, taxon,
 * year, terms, sources and unit; issuance of an export that would exceed a
 * quota is refused (QUOTA_EXCEEDED) with the figure used to date, taken from
 * this authority's own ledger; Box 11a (used to date, annual quota) is filled
 * in on the permit before it is signed.
 *
 * Where the register lives: one JSON file in the node's data folder
 * (`DIR/data/quotas.json`), like the account store (accounts.ts), not a
 * LevelDB sublevel. The ledger's LevelDB is locked by the running node, and
 * quotas are changed while it runs (`cites quota set` during the year): a
 * file that the node reads at each quota check is changed with no restart and
 * no new admin route, the CLI needs no running node, and the figure that must
 * be tamper-evident (what was used) comes from the signed log, not from this
 * file. The file holds only the operator's decisions; published quotas are
 * read from the reference-data snapshot and are overridden by an operator
 * entry with the same key (taxon, year, unit, terms, sources).
 *
 * What counts against a quota (Res. Conf. 14.7 (Rev. CoP15) and 12.3: quotas
 * count exports, not permits): an export permit of this party issued in the
 * quota's calendar year counts with its Box 14 quantity once endorsed (what
 * actually left), else with the quantity it authorises while it may still be
 * used (an outstanding permit is a possible export: counting only Box 14
 * would let the authority issue permits for ten times the quota before the
 * first one is endorsed). A cancelled or replaced permit, and one that expired
 * unendorsed (nothing left), gives its quantity back.
 */
import { join } from 'node:path'
import { z } from 'zod'
import { derivedStatus, type Ledger, type LineSummary, type PermitState } from '@cites/ledger'
import { canonicalPermitNumber, canonicalUnit, permitParty, type Permit, type PermitLine } from '@cites/permit'
import { nameKey, tradeUnitToRec20, type ReferenceData } from '@cites/refdata'
import { readJsonStore, updateJsonStore, type JsonStore } from './json-store.js'
import { QuotaExceededError, QuotaFileError } from './errors.js'

/** The register's file name in the node's data folder. */
export const QUOTA_FILE = 'quotas.json'
export const quotaFileOf = (dataDir: string): string => join(dataDir, QUOTA_FILE)

const EntrySchema = z.object({
  taxon: z.string().min(1).max(200),
  year: z.number().int().min(1975).max(9999),
  /** The quota; 0 allows no export. */
  quantity: z.number().finite().min(0),
  /** The permit's unit (eCITES, Rec. 20, canonical): '' is number of specimens. */
  unit: z.string().max(16),
  /** Terms (codes) the quota covers together; [] all terms. */
  terms: z.array(z.string().min(1).max(8)).max(50),
  /** Source codes it covers; [] all sources. */
  sources: z.array(z.string().min(1).max(4)).max(20),
  note: z.string().max(500).optional(),
  /** When the operator set it (ISO 8601). */
  set: z.string().datetime().optional()
}).strict()
export type QuotaEntry = z.infer<typeof EntrySchema>
const FileSchema = z.object({ version: z.literal(1), quotas: z.array(EntrySchema).max(100_000) }).strict()
type QuotaFile = z.infer<typeof FileSchema>

/** A quota of the register, with where it came from. */
export interface RegisterEntry extends QuotaEntry {
  /** `operator`: set with `cites quota set` (overrides a published one with the same key); `published`: the reference-data snapshot. */
  origin: 'operator' | 'published'
  /** For a published quota: the date of the snapshot's quota data. */
  snapshotDate?: string
}

const normCodes = (codes: readonly string[]): string[] => [...new Set(codes.map((c) => c.trim().toUpperCase()).filter((c) => c !== ''))].sort()

/** A unit as the register keeps it: the permit's canonical spelling ('' for number of specimens). */
export const quotaUnit = (unit: string | undefined): string => canonicalUnit(unit).toUpperCase()

/** The key an operator entry overrides a published one by. */
export const quotaKey = (e: Pick<QuotaEntry, 'taxon' | 'year' | 'unit' | 'terms' | 'sources'>): string =>
  [nameKey(e.taxon), e.year, quotaUnit(e.unit), normCodes(e.terms).join(','), normCodes(e.sources).join(',')].join('|')

const STORE: JsonStore<QuotaFile> = {
  what: 'the quota register', schema: FileSchema, empty: () => ({ version: 1, quotas: [] }),
  invalid: (message) => new QuotaFileError(message)
}

/** Read the operator's entries; a missing file is an empty register. */
export const readQuotaFile = (path: string): QuotaFile => readJsonStore(path, STORE)

/**
 * Set (add or replace) an operator quota, under the file's lock (read,
 * change, write a new file and rename it into place, as accounts.ts does):
 * a running node reads it at its next quota check.
 */
export async function setQuota (path: string, entry: Omit<QuotaEntry, 'set'>, now = Date.now()): Promise<QuotaEntry> {
  const e = EntrySchema.parse({ ...entry, unit: quotaUnit(entry.unit), terms: normCodes(entry.terms), sources: normCodes(entry.sources), set: new Date(now).toISOString() })
  const key = quotaKey(e)
  return await updateJsonStore(path, STORE, (f) => {
    f.quotas = [...f.quotas.filter((q) => quotaKey(q) !== key), e]
    return e
  })
}

/**
 * The register of `party`: the snapshot's published quotas of the party
 * (those with a figure: "in preparation" is skipped, and so is a Trade
 * Database unit with no eCITES spelling, which no permit line could match),
 * each overridden by an operator entry with the same key, and the operator's
 * other entries. Sorted by year, taxon.
 */
export function quotaRegister (o: { party: string, file: string, refdata?: ReferenceData, year?: number, taxon?: string }): RegisterEntry[] {
  const byKey = new Map<string, RegisterEntry>()
  const rd = o.refdata
  const taxonKey = o.taxon !== undefined ? nameKey(acceptedName(o.taxon, rd)) : undefined
  const wanted = (e: QuotaEntry): boolean => (o.year === undefined || e.year === o.year) && (taxonKey === undefined || nameKey(acceptedName(e.taxon, rd)) === taxonKey)
  if (rd !== undefined) {
    const s = rd.snapshot
    const party = o.party.toUpperCase()
    for (const q of s.quotas) {
      if (q[1] !== party || q[3] < 0) continue
      const unit = tradeUnitToRec20(q[4])
      if (unit === undefined) continue
      const e: RegisterEntry = {
        taxon: s.taxa[q[0]]![0], year: q[2], quantity: q[3], unit: quotaUnit(unit), terms: normCodes(q[5]), sources: normCodes(q[6]),
        ...(q[9] !== -1 ? { note: s.quotaNotes[q[9]]! } : {}), origin: 'published', snapshotDate: s.parts.quotas.date
      }
      if (wanted(e)) byKey.set(quotaKey(e), e)
    }
  }
  for (const q of readQuotaFile(o.file).quotas) if (wanted(q)) byKey.set(quotaKey(q), { ...q, origin: 'operator' })
  return [...byKey.values()].sort((a, b) => a.year - b.year || a.taxon.localeCompare(b.taxon) || quotaKey(a).localeCompare(quotaKey(b)))
}

/** The accepted name of a taxon when the snapshot knows it (a synonym counts against its accepted name's quota). */
function acceptedName (name: string, rd: ReferenceData | undefined): string {
  if (rd === undefined) return name
  const t = rd.taxon(name)
  return t.found && t.name !== '' ? t.name : name
}

/** Does a permit line (of the quota's year) fall under a quota? */
function covers (q: QuotaEntry, taxonKey: string, line: { term?: string, source?: string, unit?: string }): boolean {
  if (q.terms.length > 0 && !q.terms.includes((line.term ?? '').trim().toUpperCase())) return false
  if (q.sources.length > 0 && !q.sources.includes((line.source ?? '').trim().toUpperCase())) return false
  return quotaUnit(q.unit) === quotaUnit(line.unit) && nameKey(q.taxon) === taxonKey
}

/** The calendar year of a time in a time zone (the authority's: a permit issued at 00:30 on 1 January counts in the new year). */
export function yearOf (ms: number, timeZone?: string): number {
  return Number(new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: timeZone ?? 'UTC' }).format(ms))
}

/** What one line of an earlier export counts against a quota; see the module comment. */
function countedQuantity (s: PermitState, l: LineSummary, now: number): number {
  const status = derivedStatus(s, now)
  if (status === 'CANCELLED' || status === 'REPLACED') return 0
  const endorsed = s.endorsement?.lines.find((x) => x.line === l.line)
  if (endorsed !== undefined) return endorsed.quantity
  if (s.endorsement !== undefined) return 0 // endorsed without this line: it did not leave
  if (status === 'EXPIRED') return 0
  const used = s.consumption?.lines.find((x) => x.line === l.line)
  return used?.quantity ?? l.quantity
}

/** Box 11a of one line and the quota it was checked against (the 201 answer carries these). */
export interface QuotaFigure {
  line: string
  taxon: string
  year: number
  terms: string[]
  sources: string[]
  /** The permit's unit ('' number of specimens). */
  unit: string
  quota: number
  origin: RegisterEntry['origin']
  /** Counted before this permit (the issuer's ledger). */
  usedBefore: number
  /** Box 11a "used to date": including this permit's lines up to this one. */
  usedToDate: number
}

export interface QuotaCheckInit {
  party: string
  ledger: Ledger
  /** The operator's register file (quotaFileOf(dataDir)). */
  file: string
  refdata?: ReferenceData
  /** The authority's time zone for the quota year (issuePolicy.timeZone). @default UTC */
  timeZone?: string
  now: () => number
}

/**
 * The node's quota check of an export permit before it is signed. Returns
 * the permit with Box 11a filled in (the node's figures replace any the
 * officer typed) and the figures; throws QUOTA_EXCEEDED. The caller holds
 * one lock around this check and the signing, so two exports cannot both
 * take the last of a quota.
 */
export function quotaCheck (init: QuotaCheckInit): (permit: Permit) => Promise<{ permit: Permit, quotas: QuotaFigure[] }> {
  const { ledger, party } = init
  return async (permit) => {
    if (permit.type !== 'E' || (permitParty(permit) ?? party) !== party) return { permit, quotas: [] }
    const now = init.now()
    const year = yearOf(now, init.timeZone)
    const register = quotaRegister({ party, file: init.file, year, ...(init.refdata !== undefined ? { refdata: init.refdata } : {}) })
    if (register.length === 0) return { permit, quotas: [] }
    const keyOf = new Map<string, string>()
    const taxonKeyOf = (name: string): string => {
      let k = keyOf.get(name)
      if (k === undefined) keyOf.set(name, k = nameKey(acceptedName(name, init.refdata)))
      return k
    }
    const applicable = register.filter((q) => permit.lines.some((l) => covers(q, taxonKeyOf(l.scientificName), l)))
    if (applicable.length === 0) return { permit, quotas: [] }

    // Used to date: this party's exports issued this year (a day of margin each side for the time zone, then the year exactly).
    const replaced = permit.replacement !== undefined ? canonicalPermitNumber(permit.replacement.replaces) : undefined
    const used = new Map<RegisterEntry, number>(applicable.map((q) => [q, 0]))
    let after: string | undefined
    do {
      const page = await ledger.list({ party, from: Date.UTC(year, 0, 1) - 86_400_000, to: Date.UTC(year + 1, 0, 1) + 86_400_000 }, { limit: 1000, ...(after !== undefined ? { after } : {}) })
      for (const { state } of page.items) {
        if (state.type !== 'E' || yearOf(state.issueTime, init.timeZone) !== year || state.number === replaced) continue
        for (const l of state.lines) {
          for (const q of applicable) if (covers(q, taxonKeyOf(l.scientificName), l)) used.set(q, used.get(q)! + countedQuantity(state, l, now))
        }
      }
      after = page.next
    } while (after !== undefined)

    const running = new Map(used)
    const figures: QuotaFigure[] = []
    const lines: PermitLine[] = permit.lines.map((l) => {
      const qs = applicable.filter((q) => covers(q, taxonKeyOf(l.scientificName), l))
      if (qs.length === 0) return l
      let box: { used: number, quota: number } | undefined
      for (const q of qs) {
        const before = running.get(q)!
        const after = before + (l.quantity ?? 0)
        if (after > q.quantity) {
          throw new QuotaExceededError(
            `line ${l.id} (${l.scientificName}${q.terms.length > 0 ? `, ${q.terms.join('/')}` : ''}${q.sources.length > 0 ? `, source ${q.sources.join('/')}` : ''}): ` +
            `the ${year} ${q.origin} quota is ${q.quantity} ${q.unit === '' ? 'specimens' : q.unit}; ${used.get(q)!} used to date by ${party}'s exports this year` +
            `${before > used.get(q)! ? ` and ${before - used.get(q)!} on this permit's earlier lines` : ''}; this line's ${l.quantity ?? 0} would make ${after}`,
            { year, taxon: q.taxon, quota: q.quantity, unit: q.unit, usedToDate: used.get(q)!, requested: l.quantity ?? 0 }
          )
        }
        running.set(q, after)
        figures.push({ line: l.id, taxon: q.taxon, year, terms: q.terms, sources: q.sources, unit: q.unit, quota: q.quantity, origin: q.origin, usedBefore: before, usedToDate: after })
        // Box 11a holds one pair: the tightest quota (least left).
        if (box === undefined || q.quantity - after < box.quota - box.used) box = { used: after, quota: q.quantity }
      }
      return box === undefined ? l : { ...l, quotaUsed: box.used, quotaAnnual: box.quota }
    })
    return { permit: { ...permit, lines }, quotas: figures }
  }
}
