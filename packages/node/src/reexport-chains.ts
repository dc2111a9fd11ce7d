/**
 * Re-export chains (issue 14 #6, ledger.md §3.9). A re-export line cites the
 * permit its specimens were imported under: the last re-export certificate
 * (Box 12a, UN/EDIFACT 811, issued by the country of last re-export) when
 * there is one, else the origin permit (Box 12, 861, issued by the country of
 * origin). When that permit is on the network (in this node's replica of the
 * issuer's log, caught up first, bounded), the node checks the link before
 * signing: the permit was for this party and was used here at import, it has
 * a line of the same species in the same unit, and the quantity re-exported
 * under it, this permit's lines with every earlier re-export of this party
 * citing it (not cancelled or replaced, not expired unendorsed), stays within
 * what was imported under it (the use's quantities). A cited permit whose
 * issuer is not on the network, or that is not in its issuer's log (a paper
 * permit), cannot be checked: the issue answer carries the warning
 * REEXPORT_ORIGIN_UNCHECKED, as IMPORT_PERMIT_UNCHECKED does (import-permits.ts).
 */
import { derivedStatus, type Ledger, type PermitState } from '@cites/ledger'
import { canonicalPermitNumber, canonicalUnit, importPermit, type Permit, type PermitLine } from '@cites/permit'
import { nameKey, type ReferenceData } from '@cites/refdata'
import type { Logger } from '@cites/runtime'
import { ReexportExceedsImportedError, ReexportOriginNotUsedError, ReexportOriginOtherPartyError, ReexportOriginSpeciesMismatchError } from './errors.js'

export interface ReexportChainInit {
  party: string
  ledger: Ledger
  /** Is `party` a granted management authority on the trust list (on the network)? */
  listed: (party: string) => boolean
  /** Catch the replica of `issuer`'s log up by a sync begun after the call, bounded: true when caught up (CatchUp.caughtUp). */
  caughtUp: (issuer: string) => Promise<boolean>
  now: () => number
  log: Logger
  /** Synonyms compare as their accepted name when given. */
  refdata?: ReferenceData
}

export interface ReexportWarning { code: 'REEXPORT_ORIGIN_UNCHECKED', message: string }

/** The permit a re-export line cites, and its issuing party. */
export interface CitedPermit { party: string, number: string, kind: 'last re-export' | 'origin permit' }

/** What a re-export line cites: its last re-export certificate, else its origin permit; undefined when it names no number. */
export function citedPermit (l: PermitLine): CitedPermit | undefined {
  const last = (l.lastReexport?.id ?? '').trim()
  if (last !== '') return { party: (l.exportCountry ?? '').trim().toUpperCase(), number: last, kind: 'last re-export' }
  const origin = (l.originPermit?.id ?? '').trim()
  if (origin !== '') return { party: (l.originCountry ?? '').trim().toUpperCase(), number: origin, kind: 'origin permit' }
  return undefined
}

const unitLabel = (u: string): string => u === '' ? 'specimens' : u

/** What an earlier re-export line counts against the balance: Box 14 once endorsed, else what it authorises while it may be used. */
function counted (s: PermitState, line: string, authorised: number, now: number): number {
  const status = derivedStatus(s, now)
  if (status === 'CANCELLED' || status === 'REPLACED') return 0
  if (s.endorsement !== undefined) return s.endorsement.lines.find((x) => x.line === line)?.quantity ?? 0
  if (status === 'EXPIRED') return 0
  return s.consumption?.lines.find((x) => x.line === line)?.quantity ?? authorised
}

/** The node's re-export chain check before a re-export certificate is signed. The caller serialises it with the signing. */
export function reexportChainCheck (init: ReexportChainInit): (permit: Permit) => Promise<ReexportWarning[]> {
  const { ledger, party, log } = init
  const speciesKey = (name: string): string => {
    if (init.refdata !== undefined) {
      const t = init.refdata.taxon(name)
      if (t.found && t.name !== '') return nameKey(t.name)
    }
    return nameKey(name)
  }
  /** Earlier re-exports of this party (lines of `species` citing `cited`), other than `except`. */
  const reexportedBefore = async (cited: { party: string, number: string }, species: string, unit: string, except: string | undefined): Promise<number> => {
    let total = 0
    let after: string | undefined
    const now = init.now()
    do {
      const page = await ledger.list({ party }, { limit: 500, ...(after !== undefined ? { after } : {}) })
      for (const { state } of page.items) {
        if (state.type !== 'R' || state.number === except) continue
        // Most re-exports are of other species: skip their XML.
        if (!state.lines.some((l) => speciesKey(l.scientificName) === species)) continue
        const xml = await ledger.signedXml(party, state.number)
        if (xml === undefined) continue
        let p: Permit
        try {
          p = importPermit(xml).permit
        } catch {
          continue
        }
        for (const l of p.lines) {
          const c = citedPermit(l)
          if (c === undefined || c.party !== cited.party || canonicalPermitNumber(c.number) !== cited.number) continue
          if (speciesKey(l.scientificName) !== species || canonicalUnit(l.unit) !== unit) continue
          total += counted(state, l.id, l.quantity ?? 0, now)
        }
      }
      after = page.next
    } while (after !== undefined)
    return total
  }

  return async (permit) => {
    if (permit.type !== 'R') return []
    const warnings: ReexportWarning[] = []
    // Per issuer: was its log caught up (once per permit)?
    const synced = new Map<string, boolean>()
    // Lines grouped by the permit they cite, then by species and unit.
    const groups = new Map<string, { cited: CitedPermit, lines: PermitLine[] }>()
    for (const l of permit.lines) {
      const c = citedPermit(l)
      if (c === undefined) continue
      const key = `${c.party}\u0000${canonicalPermitNumber(c.number) ?? c.number}`
      const g = groups.get(key) ?? { cited: c, lines: [] }
      g.lines.push(l)
      groups.set(key, g)
    }
    const except = permit.replacement !== undefined ? canonicalPermitNumber(permit.replacement.replaces) : undefined
    for (const { cited, lines } of groups.values()) {
      const label = `${cited.party === '' ? '?' : cited.party}/${cited.number}`
      const ids = lines.map((l) => l.id).join(', ')
      if (cited.party === '' || !init.listed(cited.party) || cited.party === party) {
        warnings.push({ code: 'REEXPORT_ORIGIN_UNCHECKED', message: `line ${ids}: the ${cited.kind} ${label} could not be checked: ${cited.party === '' ? 'the line names no issuing country for it' : cited.party === party ? 'it names this party as its issuer' : `${cited.party} is not on the network`}; check it with the issuing Management Authority` })
        continue
      }
      let caughtUp = synced.get(cited.party)
      if (caughtUp === undefined) { caughtUp = await init.caughtUp(cited.party); synced.set(cited.party, caughtUp) }
      const held = await ledger.status(cited.party, cited.number)
      if (held === undefined) {
        const why = caughtUp ? `is not in ${cited.party}'s log (a paper permit, or one issued before ${cited.party} joined the network)` : `is not in this node's replica of ${cited.party}'s log, and ${cited.party}'s node could not be reached to catch it up`
        warnings.push({ code: 'REEXPORT_ORIGIN_UNCHECKED', message: `line ${ids}: the ${cited.kind} ${label} ${why}: check it with ${cited.party}'s Management Authority` })
        continue
      }
      const s = held.state
      const full = `${s.party}/${s.number}`
      if (s.destination !== party) throw new ReexportOriginOtherPartyError(`line ${ids}: the ${cited.kind} ${full} was issued for ${s.destination === '' ? 'no named destination' : s.destination}, not ${party}`)
      if (s.consumption === undefined) throw new ReexportOriginNotUsedError(`line ${ids}: the ${cited.kind} ${full} was not used at import (its status is ${held.status}): nothing was imported under it`)
      if (s.consumption.consumingParty !== party) throw new ReexportOriginOtherPartyError(`line ${ids}: the ${cited.kind} ${full} was used into ${s.consumption.consumingParty}, not ${party}`)

      // This permit's quantities per species and unit, against what was imported of each.
      const asked = new Map<string, { name: string, unit: string, quantity: number }>()
      for (const l of lines) {
        const k = `${speciesKey(l.scientificName)}\u0000${canonicalUnit(l.unit)}`
        const a = asked.get(k) ?? { name: l.scientificName.trim(), unit: canonicalUnit(l.unit), quantity: 0 }
        a.quantity += l.quantity ?? 0
        asked.set(k, a)
      }
      for (const [k, a] of asked) {
        const species = k.split('\u0000')[0]!
        const originLines = s.lines.filter((ol) => speciesKey(ol.scientificName) === species && canonicalUnit(ol.unit) === a.unit)
        if (originLines.length === 0) {
          throw new ReexportOriginSpeciesMismatchError(`line ${ids}: the ${cited.kind} ${full} has no line of ${a.name} in ${unitLabel(a.unit)} (it has ${s.lines.map((ol) => `${ol.scientificName} (${unitLabel(canonicalUnit(ol.unit))})`).join(', ')})`)
        }
        const imported = originLines.reduce((n, ol) => n + (s.consumption!.lines.find((x) => x.line === ol.line)?.quantity ?? 0), 0)
        const before = await reexportedBefore({ party: s.party, number: s.number }, species, a.unit, except)
        if (before + a.quantity > imported) {
          throw new ReexportExceedsImportedError(
            `line ${ids}: ${imported} ${unitLabel(a.unit)} of ${a.name} were imported under ${full}; ${party}'s earlier re-exports citing it take ${before}; this one's ${a.quantity} would make ${before + a.quantity}`,
            { origin: full, species: a.name, unit: a.unit, imported, reexportedBefore: before, requested: a.quantity }
          )
        }
      }
    }
    return warnings
  }
}
