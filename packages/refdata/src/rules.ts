/**
 * CITES rules grounded in the reference data (issue 14 item 3): each line of
 * a permit against the snapshot's taxonomy, listings on the date of grant,
 * # annotations, suspensions, the Trade Database's source-against-kingdom
 * validation and its term–unit and term–purpose pairs. Each rule has a
 * stable code and a severity (permit-profile.md §"Reference-data rules").
 *
 * The snapshot is old (the shipped one is from 2013): what it cannot know
 * is a warning, never a refusal. A name it does not hold is unknown, not
 * unlisted; a permit granted after its listings date can only be told that
 * the appendix differs from the snapshot's (APPENDIX_UNCONFIRMED).
 */
import { defineCodes } from '@cites/runtime'
import { permitParty, type Permit, type PermitLine } from '@cites/permit'
import type { ReferenceData } from './reference.js'
import { rec20ToTradeUnit } from './units.js'

export const REFERENCE_RULE_CODES = defineCodes({
  SPECIES_UNKNOWN: { kind: 'unprocessable', summary: 'the reference-data snapshot does not hold this scientific name (a warning: the snapshot may be older than the name)' },
  SPECIES_SYNONYM: { kind: 'unprocessable', summary: 'the scientific name is a synonym: the accepted name is given' },
  SPECIES_NOT_LISTED: { kind: 'unprocessable', summary: 'the snapshot has no CITES listing in force for this taxon and population on the date of grant' },
  APPENDIX_MISMATCH: { kind: 'unprocessable', summary: 'the appendix differs from the listing, on the date of grant, of the origin\'s population' },
  APPENDIX_UNCONFIRMED: { kind: 'unprocessable', summary: 'the appendix differs from the snapshot\'s listing, but the permit was granted after the snapshot: listings may have changed since' },
  ANNOTATION_NOT_COVERED: { kind: 'unprocessable', summary: 'the term is not among the parts and derivatives the listing\'s # annotation designates' },
  TRADE_SUSPENDED: { kind: 'unprocessable', summary: 'a CITES trade suspension is in force for the exporting country and this taxon' },
  SOURCE_KINGDOM: { kind: 'unprocessable', summary: 'the source code does not fit the taxon\'s kingdom (Trade Database validation: A not for animals, C and R not for plants)' },
  TERM_UNIT_NOT_ALLOWED: { kind: 'unprocessable', summary: 'the Trade Database does not allow this term with this unit' },
  TERM_PURPOSE_NOT_ALLOWED: { kind: 'unprocessable', summary: 'the Trade Database does not allow this term with this purpose' },
  PRE_CONVENTION_AFTER_LISTING: { kind: 'unprocessable', summary: 'a pre-Convention certificate whose specimen was acquired when the species was already listed (Art. VII(2): only specimens acquired before the Convention applied to them)' }
})
export type ReferenceRuleCode = keyof typeof REFERENCE_RULE_CODES

/** One problem found against the reference data. */
export interface ReferenceProblem {
  code: ReferenceRuleCode
  severity: 'error' | 'warning'
  /** The line letter, for per-line problems. */
  line?: string
  /** The box of the standard form ("7/8", "9", "10", "11", "12", "5a"). */
  box: string
  message: string
}

export interface ReferenceCheckOptions {
  /** The date of grant (YYYY-MM-DD or an ISO date-time). @default the permit's issue date, else today */
  on?: string
  /** A suspension in force: a warning, or an error that refuses. @default 'warn' */
  suspensions?: 'warn' | 'refuse'
}

/**
 * The Trade Database's source-against-kingdom validation, as UNEP-WCMC's
 * SAPI applies it to every shipment it is sent
 * (app/models/trade/taxon_concept_source_validation_rule.rb,
 * INVALID_KINGDOM_SOURCE): source A (artificially propagated) is invalid
 * for animals, C (bred in captivity) and R (ranched) for plants. F (born in
 * captivity) is not flagged there for plants, so it is not here either.
 */
const INVALID_SOURCES: Readonly<Record<string, readonly string[]>> = { Animalia: ['A'], Plantae: ['C', 'R'] }

/** Words of # annotation texts and the Trade Database term each designates (only unambiguous ones). */
const ANNOTATION_ITEMS: Readonly<Record<string, readonly string[]>> = {
  logs: ['LOG'],
  'saw-logs': ['LOG'],
  'sawn wood': ['SAW'],
  'veneer sheets': ['VEN'],
  veneers: ['VEN'],
  plywood: ['PLY'],
  'wood-chips': ['CHP'],
  roots: ['ROO'],
  powder: ['POW'],
  extracts: ['EXT'],
  'whole and sliced roots and parts of roots': ['ROO']
}

/**
 * What an annotation says of a term: the terms it designates (a closed
 * list), or terms it excludes; undefined when the text cannot be mapped
 * reliably (then nothing is checked). Mapped: "Designates X, Y and Z"
 * lists whose every item is in ANNOTATION_ITEMS (logs, sawn wood, veneer,
 * plywood, wood-chips, roots, powder, extracts; #3 ginseng roots, whose
 * "excluding manufactured parts" clause only narrows it), and the
 * unconditional "seeds" exception of "all parts and derivatives, except"
 * annotations. Not mapped: "timber", "trunks", "underground parts", oils,
 * the kernel, conditional exceptions (seeds of Mexican cacti, cut flowers
 * of artificially propagated plants, finished products).
 */
export function annotationTerms (text: string): { covers: ReadonlySet<string> } | { excludes: ReadonlySet<string> } | undefined {
  const t = text.replace(/\s+/g, ' ').trim().replace(/^designates /i, '')
  const lower = t.toLowerCase()
  if (lower.startsWith('whole and sliced roots and parts of roots')) return { covers: new Set(['ROO']) }
  if (lower.startsWith('all parts and derivatives, except')) {
    const excludes = new Set<string>()
    // "a) seeds and pollen;" / "a) seeds, spores and pollen (including pollinia);" — but not "a) seeds, except those ...".
    if (/\ba\) seeds\b(?![^;]*\bexcept\b)/i.test(t)) excludes.add('SEE')
    return excludes.size > 0 ? { excludes } : undefined
  }
  if (/[():;.]|including|excluding/i.test(t)) return undefined
  const items = lower.split(/, | and /).map((x) => x.trim()).filter((x) => x !== '')
  const covers = new Set<string>()
  for (const item of items) {
    const terms = ANNOTATION_ITEMS[item]
    if (terms === undefined) return undefined
    for (const term of terms) covers.add(term)
  }
  return covers.size > 0 ? { covers } : undefined
}
const annotationMemo = new Map<string, ReturnType<typeof annotationTerms>>()

/**
 * Check a permit against the reference data. The origin of a line is its
 * Box 12 country, else the exporting country (Box 4, else the issuer's);
 * the date of grant is `opts.on`, else the permit's issue date.
 */
export function checkAgainstReference (permit: Permit, rd: ReferenceData, opts: ReferenceCheckOptions = {}): ReferenceProblem[] {
  const out: ReferenceProblem[] = []
  const on = (opts.on ?? permit.issueDate ?? new Date().toISOString()).slice(0, 10)
  if (!/^\d{4}-\d{2}-\d{2}$/.test(on)) return out // a malformed issue date is the permit rules' (DATE_INVALID)
  const exporter = (permit.consignor.address?.country ?? permitParty(permit) ?? '').toUpperCase()
  const suspensionSeverity = opts.suspensions === 'refuse' ? 'error' : 'warning'
  const purpose = permit.purpose?.trim().toUpperCase() ?? ''
  for (const [i, l] of permit.lines.entries()) {
    const lid = l.id === '' ? `#${i + 1}` : l.id
    const add = (code: ReferenceRuleCode, severity: ReferenceProblem['severity'], box: string, message: string): void => { out.push({ code, severity, line: lid, box, message }) }
    checkPairs(l, purpose, rd, add)
    const name = l.scientificName.trim()
    if (name === '') continue // SPECIES_MISSING is the permit rules'
    const taxon = rd.taxon(name)
    if (!taxon.found) {
      add('SPECIES_UNKNOWN', 'warning', '7/8', `"${name}" is not in the reference data of ${rd.snapshotDate}: the species could not be checked`)
      continue
    }
    if (taxon.isSynonym) add('SPECIES_SYNONYM', 'warning', '7/8', `"${name}" is a synonym: the accepted name is ${taxon.name}`)
    const source = l.source?.trim().toUpperCase() ?? ''
    if ((INVALID_SOURCES[taxon.kingdom] ?? []).includes(source)) {
      add('SOURCE_KINGDOM', 'error', '10', `source ${source} does not fit ${taxon.name} (${taxon.kingdom === 'Animalia' ? 'an animal: A is for plants' : 'a plant: C and R are for animals'})`)
    }
    const origin = (l.originCountry?.trim() !== undefined && l.originCountry.trim() !== '' ? l.originCountry : exporter).trim().toUpperCase()
    const listing = rd.listing(taxon.name, { on, ...(origin !== '' ? { party: origin } : {}) })
    const appendix = l.appendix?.trim().toUpperCase() ?? ''
    const population = origin !== '' ? `the population of ${origin}` : 'populations elsewhere'
    if (listing.appendix === null) {
      if (listing.splitUndetermined !== undefined) {
        add('APPENDIX_UNCONFIRMED', 'warning', '10', `${taxon.name} is split between Appendices ${listing.splitUndetermined.join(' and ')} by population and the reference data of ${listing.snapshotDate} does not say which: read the annotation`)
      } else {
        add('SPECIES_NOT_LISTED', 'warning', '10', `the reference data of ${listing.snapshotDate} has no CITES listing of ${taxon.name} in force on ${on} for ${population}`)
      }
    } else if (appendix !== '' && appendix !== listing.appendix) {
      if (listing.afterSnapshot) {
        add('APPENDIX_UNCONFIRMED', 'warning', '10', `Appendix ${appendix}: the reference data (listings of ${listing.snapshotDate}, before this permit's grant on ${on}) has ${taxon.name} in Appendix ${listing.appendix} for ${population}; listings may have changed since`)
      } else {
        add('APPENDIX_MISMATCH', 'error', '10', `Appendix ${appendix}, but ${taxon.name} was in Appendix ${listing.appendix} for ${population} on ${on} (listed under ${listing.listedUnder ?? taxon.name} from ${listing.effectiveFrom ?? '?'})`)
      }
    }
    // Art. VII(2), Res. Conf. 13.6: pre-Convention means acquired before the species was first listed (for this population).
    const acquired = l.acquisitionDate?.slice(0, 10)
    if (permit.type === 'O' && permit.certificateType === 'pre-convention' && acquired !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(acquired)) {
      const then = rd.listing(taxon.name, { on: acquired, ...(origin !== '' ? { party: origin } : {}) })
      if (then.appendix !== null) add('PRE_CONVENTION_AFTER_LISTING', 'error', '12b', `acquired on ${acquired}, when ${taxon.name} was already in Appendix ${then.appendix} (from ${then.effectiveFrom ?? '?'}): not a pre-Convention specimen`)
    }
    const hash = listing.annotation?.hash
    const term = l.term?.trim().toUpperCase() ?? ''
    if (hash !== undefined && term !== '') {
      let a = annotationMemo.get(hash.text)
      if (a === undefined && !annotationMemo.has(hash.text)) { a = annotationTerms(hash.text); annotationMemo.set(hash.text, a) }
      if (a !== undefined && ('covers' in a ? !a.covers.has(term) : a.excludes.has(term))) {
        add('ANNOTATION_NOT_COVERED', 'warning', '9', `term ${term} is not covered by ${taxon.name}'s annotation ${hash.mark} ("${hash.text.replace(/\s+/g, ' ').slice(0, 120)}"): such specimens are not regulated by this listing`)
      }
    }
    if (exporter !== '') {
      const sus = rd.suspensions(taxon.name, { party: exporter }).suspensions.filter((s) => s.current)
      if (sus.length > 0) {
        const s = sus[0]!
        add('TRADE_SUSPENDED', suspensionSeverity, '7/8', `a trade suspension for ${exporter} covers ${taxon.name}${s.taxon !== '' && s.taxon !== taxon.name ? ` (as ${s.taxon})` : s.taxon === '' ? ' (all CITES species)' : ''}, in force at the reference data's date ${rd.snapshot.parts.suspensions.date} (notification ${s.startNotification})`)
      }
    }
  }
  return out
}

/** Term–unit (Trade Database unit, mapped from the eCITES one) and term–purpose pairs: warnings. */
function checkPairs (l: PermitLine, purpose: string, rd: ReferenceData, add: (code: ReferenceRuleCode, severity: 'warning', box: string, message: string) => void): void {
  const term = l.term?.trim().toUpperCase() ?? ''
  // An unknown term is the permit rules' (TERM_INVALID); the pairs say nothing of it.
  if (term === '' || !rd.terms.has(term)) return
  const td = rec20ToTradeUnit(l.unit)
  if (td === undefined) add('TERM_UNIT_NOT_ALLOWED', 'warning', '11', `unit ${l.unit ?? ''} has no Trade Database unit (src/units.ts): the term–unit pair cannot be allowed`)
  else if (!rd.termUnitAllowed(term, td)) add('TERM_UNIT_NOT_ALLOWED', 'warning', '11', `the Trade Database does not allow term ${term} with unit ${td === '' ? '(number of specimens)' : td}`)
  if (purpose !== '' && !rd.termPurposeAllowed(term, purpose)) add('TERM_PURPOSE_NOT_ALLOWED', 'warning', '5a', `the Trade Database does not allow term ${term} with purpose ${purpose}`)
}

/** Any error among the problems (an error refuses at issuance and fails the verdict's `reference` check). */
export function referenceRefuses (problems: readonly ReferenceProblem[]): boolean {
  return problems.some((p) => p.severity === 'error')
}
