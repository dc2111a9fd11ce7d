/**
 * Import permits checked across the network (ledger.md §3.6, issue 20 #3).
 * An export or re-export that cites the destination's import permit (a
 * header reference of type `I`) is checked, before it is signed, against the
 * issuing node's replica of the destination's log: the import permit exists
 * there (so the destination issued it), it is an import permit for this
 * exporting country, it covers every species and quantity, it is in force,
 * and it is not used. Any failure refuses the issue with its code. A
 * destination that is not on the network cannot be checked: the issue
 * answer carries the warning IMPORT_PERMIT_UNCHECKED.
 *
 * The replica is caught up from the destination's node first, by a sync
 * begun after the request (bounded), so an import permit issued a moment
 * ago, or used a moment ago, is seen. When that fails, a permit the replica
 * does not hold is IMPORT_PERMIT_CHECK_UNAVAILABLE (retry), not NOT_FOUND.
 *
 * At the destination, the use of such an export also records the use of
 * the import permit it cites (useCitedImportPermits).
 */
import { derivedStatus, type Ledger, type LineSummary } from '@cites/ledger'
import { importPermit, permitDestination, permitParty, type Permit } from '@cites/permit'
import type { TrustStore } from '@cites/trust-list'
import { errorCode, errorMessage, type Logger } from '@cites/runtime'
import {
  ImportPermitCheckUnavailableError, ImportPermitNotFoundError, ImportPermitNotInForceError, ImportPermitOtherExporterError, ImportPermitQuantityExceededError,
  ImportPermitSpeciesNotCoveredError, ImportPermitUsedError
} from './errors.js'

/** A warning in the issue answer: the permit was signed, but something could not be checked. */
export interface IssueWarning { code: 'IMPORT_PERMIT_UNCHECKED', message: string }

export interface ImportPermitCheckInit {
  party: string
  ledger: Ledger
  trust: TrustStore
  /** Catch the replica of the destination's log up by a sync begun after the call, bounded: true when caught up (CatchUp.caughtUp). */
  caughtUp: (destination: string) => Promise<boolean>
  now: () => number
  log: Logger
}

/** The document types whose import permit reference is checked: export permits and re-export certificates. */
const CHECKED_TYPES = new Set(['E', 'R'])

const species = (name: string): string => name.trim().replace(/\s+/g, ' ').toLowerCase()

/**
 * One spelling for "number of specimens" when comparing quantities: blank,
 * PCS and UN/ECE Rec. 20 NAR. Other units compare as written (upper case).
 */
const unitKey = (unit: string | undefined): string => {
  const u = (unit ?? '').trim().toUpperCase()
  return u === '' || u === 'PCS' || u === 'NAR' ? '' : u
}
const unitLabel = (u: string): string => u === '' ? 'specimens' : u

/** Quantity per species and unit. */
function totals (lines: ReadonlyArray<{ scientificName: string, quantity?: number, unit?: string }>): Map<string, { name: string, unit: string, quantity: number }> {
  const out = new Map<string, { name: string, unit: string, quantity: number }>()
  for (const l of lines) {
    const unit = unitKey(l.unit)
    const key = `${species(l.scientificName)}\u0000${unit}`
    const t = out.get(key) ?? { name: l.scientificName.trim(), unit, quantity: 0 }
    t.quantity += l.quantity ?? 0
    out.set(key, t)
  }
  return out
}

/** The node's check of a permit's import permit references before it is signed. */
export function importPermitCheck (init: ImportPermitCheckInit): (permit: Permit) => Promise<IssueWarning[]> {
  const { ledger, trust, log } = init
  const listed = (p: string): boolean => trust.byParty(p).some((a) => a.role === 'management-authority' && a.status === 'granted')

  return async (permit) => {
    const destination = permitDestination(permit) ?? ''
    const exporter = permitParty(permit) ?? ''
    const refs = (permit.references ?? []).filter((r) => r.typeCode === 'I' && (r.id ?? '').trim() !== '').map((r) => (r.id as string).trim())
    if (!CHECKED_TYPES.has(permit.type) || refs.length === 0 || destination === '' || destination === init.party) return []
    if (!listed(destination)) {
      return refs.map((id) => ({ code: 'IMPORT_PERMIT_UNCHECKED', message: `${destination} is not on the network: its import permit ${id} could not be checked; check it with ${destination}'s Management Authority` }))
    }
    const caughtUp = await init.caughtUp(destination)
    for (const id of refs) {
      const label = `${destination}/${id}`
      const held = await ledger.status(destination, id)
      if (held === undefined) {
        // Absent from a replica that could not be caught up is not "never issued": one issued a moment ago may not have reached it.
        if (!caughtUp) throw new ImportPermitCheckUnavailableError(`${label} is not in this node's replica of ${destination}'s log, and ${destination}'s node could not be reached to catch it up: nothing was signed; retry`)
        throw new ImportPermitNotFoundError(`${label} is not in ${destination}'s log: ${destination} issued no import permit with that number`)
      }
      const s = held.state
      if (s.type !== 'I') throw new ImportPermitNotFoundError(`${label} is not an import permit (its type is ${s.type})`)
      if (s.exporter !== '' && s.exporter !== exporter) throw new ImportPermitOtherExporterError(`${label} is for imports from ${s.exporter}, not from ${exporter}`)
      if (s.status === 'CONSUMED' || s.consumption !== undefined) throw new ImportPermitUsedError(`${label} was already used${s.consumption !== undefined ? ` on ${s.consumption.consumedAt} at ${s.consumption.port}` : ''}`)
      const status = derivedStatus(s, init.now())
      if (status === 'CANCELLED' || status === 'REPLACED' || status === 'EXPIRED') {
        throw new ImportPermitNotInForceError(`${label} is ${status.toLowerCase()}${status === 'REPLACED' && s.replacement !== undefined ? ` (by ${s.replacement.number})` : ''}`)
      }
      const covered = totals(s.lines.map((l: LineSummary) => ({ scientificName: l.scientificName, quantity: l.quantity, unit: l.unit })))
      for (const need of totals(permit.lines).values()) {
        const have = covered.get(`${species(need.name)}\u0000${need.unit}`)
        if (have === undefined) {
          const names = [...covered.values()].map((c) => `${c.name} (${unitLabel(c.unit)})`).join(', ')
          throw new ImportPermitSpeciesNotCoveredError(`${label} does not cover ${need.name} in ${unitLabel(need.unit)}: it covers ${names}`)
        }
        if (need.quantity > have.quantity) throw new ImportPermitQuantityExceededError(`${label} covers ${have.quantity} ${unitLabel(have.unit)} of ${have.name}; this permit asks ${need.quantity}`)
      }
    }
    return []
  }
}

/** What became of the destination's own import permit when an export citing it was used here. */
export interface ImportPermitUse {
  number: string
  /** `CONSUMED`, or the ledger's refusal code (e.g. ALREADY_CONSUMED), or `NO_MATCHING_LINES`. */
  outcome: string
  message?: string
}

/**
 * After this node (the destination) recorded the use of another authority's
 * export at import, record the use of this authority's own import permit(s)
 * the export cites (ledger.md §3.6): the same ports and officer, on the
 * import permit's lines of the species used, up to what each line allows, in
 * the import permit's own unit. The export's use stands whatever the
 * outcome; the outcome is reported with it.
 */
export async function useCitedImportPermits (init: { party: string, ledger: Ledger, log: Logger }, exportParty: string, exportNumber: string, used: { lines: ReadonlyArray<{ line: string, quantity: number, unit?: string }>, port: string, officer?: string, actor?: string }): Promise<ImportPermitUse[]> {
  const { party, ledger, log } = init
  const xml = await ledger.signedXml(exportParty, exportNumber)
  // Most permits cite no document: skip the parse (this runs on every confirmed use here).
  if (xml === undefined || !xml.includes('ReferenceReferencedDocument')) return []
  let permit: Permit
  try {
    permit = importPermit(xml).permit
  } catch (err) {
    log.warn({ code: errorCode(err, 'PERMIT_UNREADABLE'), party: exportParty, number: exportNumber }, `the used permit's XML does not read: ${errorMessage(err)}`)
    return []
  }
  if (!CHECKED_TYPES.has(permit.type) || permitDestination(permit) !== party) return []
  const refs = (permit.references ?? []).filter((r) => r.typeCode === 'I' && (r.id ?? '').trim() !== '').map((r) => (r.id as string).trim())
  const out: ImportPermitUse[] = []
  for (const id of refs) {
    const held = await ledger.status(party, id)
    if (held === undefined || held.state.type !== 'I') continue
    // Quantity used per species (in the export's lines' units).
    const usedBySpecies = new Map<string, number>()
    for (const u of used.lines) {
      const l = permit.lines.find((x) => x.id === u.line)
      if (l === undefined) continue
      const key = `${species(l.scientificName)}\u0000${unitKey(u.unit ?? l.unit)}`
      usedBySpecies.set(key, (usedBySpecies.get(key) ?? 0) + u.quantity)
    }
    const lines: Array<{ line: string, quantity: number, unit: string }> = []
    for (const l of held.state.lines) {
      const key = `${species(l.scientificName)}\u0000${unitKey(l.unit)}`
      const left = usedBySpecies.get(key) ?? 0
      if (left <= 0) continue
      const q = Math.min(left, l.quantity)
      lines.push({ line: l.line, quantity: q, unit: l.unit })
      usedBySpecies.set(key, left - q)
    }
    if (lines.length === 0) {
      out.push({ number: held.state.number, outcome: 'NO_MATCHING_LINES', message: `no line of ${party}/${held.state.number} matches the species used` })
      continue
    }
    // The same officer's act: by account when there is one (ledger.md §2.3), else the officer text.
    const who = used.actor !== undefined ? { actor: used.actor } : used.officer !== undefined ? { officer: used.officer } : {}
    const d = await ledger.decideUse({ party, number: held.state.number, requester: party, lines, port: used.port, ...who })
    if (d.kind === 'consumed') out.push({ number: held.state.number, outcome: 'CONSUMED' })
    else {
      log.info({ code: d.code, number: held.state.number }, 'the import permit cited by a used export was not recorded as used')
      out.push({ number: held.state.number, outcome: d.code, message: d.message })
    }
  }
  return out
}
