/**
 * The permit state machine (protocol-spec/ledger.md §3). Pure functions:
 * the same code checks an action before the issuer signs it, applies events
 * to the derived state, and rebuilds every index from the logs.
 */
import {
  AlreadyConsumedError, AlreadyEndorsedError, EndorsementAfterConsumptionError, ExportEndorsedError, InvalidLinesError, NotEndorsedError, PermitCancelledError,
  PermitExpiredError, PermitNotYetValidError, PermitReplacedError, QuantityExceededError, ReplacementExceedsError
} from './errors.js'
import { isMultiUse, minimumQuantity, requiresWholeNumber, sameUnit } from '@cites/permit'

/** Recorded status. `EXPIRED` is never recorded: it is derived from the dates. */
export type RecordedStatus = 'ISSUED' | 'ENDORSED' | 'CONSUMED' | 'CANCELLED' | 'REPLACED'
export type PermitStatus = RecordedStatus | 'EXPIRED'

export interface LineQty { line: string, quantity: number, unit: string }

export interface LineSummary {
  line: string
  scientificName: string
  appendix: string
  source: string
  term: string
  quantity: number
  unit: string
  origin: string
  originPermit: string
}

/** The evidence of a consumption: when, where and by whom. */
export interface Receipt {
  party: string
  number: string
  /** ISO 8601. */
  consumedAt: string
  port: string
  officer: string
  consumingParty: string
  /** The account that asked for the use, at the consuming party (ledger.md §2.3), if the event names one. */
  actor?: string
  lines: LineQty[]
  /** The issuer's log position and the event hash (hex). */
  seq: number
  eventHash: string
  /** When this use confirms a provisional one: the destination's PROVISIONAL_CONSUMED event. */
  claim?: ClaimRef
  /**
   * What the officer should know although the use was recorded: with
   * NOT_ENDORSED_AT_EXPORT, an export or re-export used at import with Box 14
   * empty (the quantity was checked against what was authorised).
   */
  warnings?: UseWarning[]
}

/** Warnings a use carries (receipt, verdict). */
export type UseWarning = 'NOT_ENDORSED_AT_EXPORT'

/** Why a permit was replaced (ledger.proto ReplacementReason). */
export type ReplacementReasonCode = 'lost' | 'stolen' | 'damaged' | 'error'

/** A destination's PROVISIONAL_CONSUMED event, named by its log position and hash (hex). */
export interface ClaimRef { claimant: string, seq: number, hash: string }

/** The issuer's signed refusal of a provisional claim. */
export interface ClaimRefusal extends ClaimRef {
  code: string
  message: string
  /** The issuer's CLAIM_REFUSED event. */
  refusedSeq: number
  time: number
  /** With ALREADY_CONSUMED: the first CONSUMED event. */
  evidenceSeq?: number
}

/** An export endorsement (Box 14) as recorded. */
export interface Endorsement { lines: LineQty[], port: string, officer: string, date: number, seq: number, actor?: string }

/** One crossing of a multi-use certificate (ledger.md §3.7): the endorsement at exit, if made, and the use at entry. */
export interface Crossing { endorsement?: Endorsement, use: Receipt }

export interface PermitState {
  party: string
  number: string
  type: string
  /** r14: for type O, the certificate's kind (permit-profile.md §2.3); absent when the ISSUED event gives none. */
  certificateType?: string
  destination: string
  exporter: string
  validFrom: number
  validUntil: number
  issueTime: number
  purpose: string
  /** SHA-256 (hex) of the signed document (r17: the document itself is held only by the parties). */
  xmlSha256: string
  /** r17: SHA-256 (hex) of the security stamp (Box 5b), when the permit has one: a stamp can be checked, not read. */
  stampSha256?: string
  lines: LineSummary[]
  status: RecordedStatus
  /**
   * The acting accounts (ledger.md §2.3), where the events name them: who
   * issued (`issuedBy`), endorsed, cancelled, replaced, voided. An account ID
   * is the issuer's, except a use's, which is the consuming party's.
   */
  issuedBy?: string
  /** Box 14 of the crossing under way (a multi-use certificate's is moved into `crossings` by its use). */
  endorsement?: Endorsement
  /** The use; for a multi-use certificate the latest one (all are in `crossings`). */
  consumption?: Receipt
  /** Multi-use certificates only (ledger.md §3.7): every crossing, oldest first, the latest use last. */
  crossings?: Crossing[]
  cancellation?: { reason: string, time: number, seq: number, actor?: string }
  replacement?: { number: string, reason: string, reasonCode?: ReplacementReasonCode, time: number, seq: number, actor?: string }
  /** For a replacement: the canonical number of the permit it replaces (REPLACED in the same batch). */
  replaces?: string
  /** Export endorsements recorded as not having happened (EXPORT_VOIDED), oldest first. */
  voidedExports?: Array<{ lines: LineQty[], port: string, date: number, reason: string, time: number, seq: number, actor?: string }>
  /** Provisional claims the issuer refused (CLAIM_REFUSED events). */
  refusedClaims?: ClaimRefusal[]
  /** Uses asked by parties other than the destination, refused (USE_REFUSED events). */
  refusedUses?: Array<{ requester: string, port: string, code: string, time: number, seq: number }>
  /** Positions of this permit's events in the issuer's log, in order. */
  events: number[]
}

/** The status a customs officer sees at `now`. */
export function derivedStatus (s: PermitState, now: number): PermitStatus {
  if ((s.status === 'ISSUED' || s.status === 'ENDORSED' || (s.status === 'CONSUMED' && multiUse(s))) && now > s.validUntil) return 'EXPIRED'
  return s.status
}

/**
 * Is this permit used for many crossings until it expires (ledger.md §3.7)?
 * Musical-instrument, travelling-exhibition and ownership certificates
 * (`isMultiUse` in @cites/permit); every other document is used once.
 */
export function multiUse (s: Pick<PermitState, 'type' | 'certificateType'>): boolean {
  return isMultiUse(s.type, s.certificateType)
}

const label = (s: PermitState): string => `${s.party}/${s.number}`

/** Refusals common to every action: cancelled, replaced. */
function assertActive (s: PermitState): void {
  if (s.status === 'CANCELLED') throw new PermitCancelledError(`${label(s)} was cancelled: ${s.cancellation?.reason ?? ''}`)
  if (s.status === 'REPLACED') throw new PermitReplacedError(`${label(s)} was replaced by ${s.replacement?.number ?? '?'}`)
}

function assertConsumable (s: PermitState): void {
  assertActive(s)
  // One use, the core promise (Art. VI(5), (6)), unless the permit is a
  // multi-use certificate: then each crossing is a use, until it expires.
  if (s.status === 'CONSUMED' && s.consumption !== undefined && !multiUse(s)) {
    const r = s.consumption
    throw new AlreadyConsumedError(`${label(s)} was already used on ${r.consumedAt} at ${r.port} (for ${r.consumingParty})`, r)
  }
}

function assertInForce (s: PermitState, at: number): void {
  if (at < s.validFrom) throw new PermitNotYetValidError(`${label(s)} is valid only from ${new Date(s.validFrom).toISOString()}`)
  if (at > s.validUntil) throw new PermitExpiredError(`${label(s)} expired on ${new Date(s.validUntil).toISOString()}`)
}

/**
 * The lines as recorded: each in its permit line's own spelling of the unit
 * (issue 20: an omitted unit is the line's own; PCS and a blank unit are one
 * "number of specimens"). Call after assertLines.
 */
export function recordedLines (s: PermitState, lines: readonly LineQty[]): LineQty[] {
  return lines.map((l) => ({ line: l.line, quantity: l.quantity, unit: s.lines.find((x) => x.line === l.line)?.unit ?? l.unit ?? '' }))
}

/** Check quantities per line against `allowed`. */
function assertLines (s: PermitState, lines: readonly LineQty[], allowed: (line: string) => number, what: string): void {
  if (lines.length === 0) throw new InvalidLinesError(`${what} of ${label(s)} names no line`)
  const seen = new Set<string>()
  for (const l of lines) {
    const permitLine = s.lines.find((x) => x.line === l.line)
    if (permitLine === undefined) throw new InvalidLinesError(`${label(s)} has no line ${l.line}`)
    if (seen.has(l.line)) throw new InvalidLinesError(`line ${l.line} is given twice`)
    seen.add(l.line)
    if (!(Number.isFinite(l.quantity) && l.quantity > 0)) throw new InvalidLinesError(`line ${l.line}: quantity must be positive`)
    // No vanishing quantity (1e-300 PCS) can use a permit up.
    if (l.quantity < minimumQuantity(permitLine.unit)) throw new InvalidLinesError(`line ${l.line}: ${l.quantity} is below the smallest quantity of its unit (${minimumQuantity(permitLine.unit)})`)
    // The one unit rule (permit-profile.md §3.4): omitted means the line's own; one spelling per unit.
    if (l.unit !== '' && !sameUnit(l.unit ?? undefined, permitLine.unit)) throw new InvalidLinesError(`line ${l.line}: unit "${l.unit}" is not the permit line's unit (${permitLine.unit === '' ? 'number of specimens' : permitLine.unit})`)
    if (requiresWholeNumber(permitLine.unit) && !Number.isInteger(l.quantity)) throw new InvalidLinesError(`line ${l.line}: ${l.quantity} is counted in specimens: a whole number`)
    const max = allowed(l.line)
    if (l.quantity > max) throw new QuantityExceededError(`line ${l.line}: ${l.quantity} exceeds the ${max} ${s.endorsement !== undefined && what === 'consumption' ? 'endorsed' : 'authorised'}`, l.line, max)
  }
}

/** May this endorsement be written at `at`? Throws the refusal. */
export function checkEndorse (s: PermitState, lines: readonly LineQty[], at: number): void {
  assertActive(s)
  if (s.status === 'CONSUMED' && !multiUse(s)) throw new EndorsementAfterConsumptionError(`${label(s)} was already consumed; it cannot be endorsed`)
  if (s.endorsement !== undefined) throw new AlreadyEndorsedError(`${label(s)} was already endorsed at ${s.endorsement.port}`)
  assertInForce(s, at)
  assertLines(s, lines, (line) => s.lines.find((x) => x.line === line)?.quantity ?? 0, 'endorsement')
}

/** May this consumption be written at `at`? Throws the refusal (ALREADY_CONSUMED carries the first receipt). */
export function checkConsume (s: PermitState, lines: readonly LineQty[], at: number): void {
  assertConsumable(s)
  assertInForce(s, at)
  const e = s.endorsement
  // Only what was actually exported (Box 14) may be imported; without an
  // endorsement, what was authorised (Box 11).
  assertLines(s, lines, (line) => e !== undefined ? (e.lines.find((x) => x.line === line)?.quantity ?? 0) : (s.lines.find((x) => x.line === line)?.quantity ?? 0), 'consumption')
}

/** The warnings a use of `s` carries: see {@link Receipt.warnings}. */
export function useWarnings (s: PermitState): UseWarning[] {
  return (s.type === 'E' || s.type === 'R') && s.endorsement === undefined ? ['NOT_ENDORSED_AT_EXPORT'] : []
}

/**
 * Cancelling: refused once used, and once Box 14 is endorsed (the goods
 * left: cancelling would erase an export that happened), unless the export
 * was first recorded as not having happened (EXPORT_VOIDED).
 */
export function checkCancel (s: PermitState): void {
  assertConsumable(s)
  if (s.endorsement !== undefined) throw new ExportEndorsedError(`${label(s)} was export endorsed at ${s.endorsement.port} on ${new Date(s.endorsement.date).toISOString()}; record first that the export did not happen (void the export), then cancel`)
}

/** Recording that the endorsed export did not happen: only an endorsed, unused permit. */
export function checkVoidExport (s: PermitState): void {
  assertConsumable(s)
  if (s.endorsement === undefined) throw new NotEndorsedError(`${label(s)} has no export endorsement to void`)
}

/** Replacing: only an active permit not used (and, for the command, the issuer's own). */
export function checkReplace (s: PermitState): void {
  assertConsumable(s)
}

/**
 * The part of the use rules that the permit's recorded state alone decides
 * (cancelled, replaced, used), with no time or quantities: what any replica
 * holding the issuer's signed events can refuse without asking it.
 */
export function checkConsumable (s: PermitState): void {
  assertConsumable(s)
}

/**
 * A replacement covers no more than what remains of the original (issue
 * 20): each of its lines is a line of the original, same species, same unit,
 * at most the quantity endorsed (if Box 14 was) or authorised.
 */
export function checkReplacementLines (original: PermitState, lines: ReadonlyArray<{ line: string, scientificName: string, quantity: number, unit: string }>): void {
  for (const l of lines) {
    const o = original.lines.find((x) => x.line === l.line)
    if (o === undefined || o.scientificName.trim().toLowerCase() !== l.scientificName.trim().toLowerCase()) {
      throw new ReplacementExceedsError(`line ${l.line} (${l.scientificName}) is not a line of ${label(original)}: a replacement covers only what the original did`)
    }
    if (!sameUnit(l.unit, o.unit)) throw new ReplacementExceedsError(`line ${l.line}: unit "${l.unit}" is not the original's (${o.unit === '' ? 'number of specimens' : o.unit})`)
    const remains = original.endorsement !== undefined ? (original.endorsement.lines.find((x) => x.line === l.line)?.quantity ?? 0) : o.quantity
    if (l.quantity > remains) throw new ReplacementExceedsError(`line ${l.line}: ${l.quantity} exceeds the ${remains} that remain of ${label(original)}`)
  }
}

/**
 * The destination rule, written once: only a permit's destination authority
 * may use it at import or record a provisional use of it.
 */
export function isDestination (s: PermitState, party: string): boolean {
  // A multi-use certificate travels with its holder: each crossing enters
  // another party, so any listed authority may record one (ledger.md §3.7).
  return s.destination === party || multiUse(s)
}

/** The uses of a permit, oldest first: every crossing's for a multi-use certificate, else the one use. */
export function usesOf (s: PermitState): Receipt[] {
  if (s.crossings !== undefined) return s.crossings.map((c) => c.use)
  return s.consumption === undefined ? [] : [s.consumption]
}
