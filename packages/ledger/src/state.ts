/**
 * The permit state machine (protocol-spec/ledger.md §3). Pure functions:
 * the same code checks an action before the issuer signs it, applies events
 * to the derived state, and rebuilds every index from the logs.
 */
import {
  AlreadyConsumedError, AlreadyEndorsedError, EndorsementAfterConsumptionError, InvalidLinesError, PermitCancelledError,
  PermitExpiredError, PermitNotYetValidError, PermitReplacedError, QuantityExceededError
} from './errors.js'
import { minimumQuantity } from '@cites/permit'

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
  lines: LineQty[]
  /** The issuer's log position and the event hash (hex). */
  seq: number
  eventHash: string
  /** When this use confirms a provisional one: the destination's PROVISIONAL_CONSUMED event. */
  claim?: ClaimRef
}

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

export interface PermitState {
  party: string
  number: string
  type: string
  destination: string
  exporter: string
  validFrom: number
  validUntil: number
  issueTime: number
  purpose: string
  xmlSha256: string
  lines: LineSummary[]
  status: RecordedStatus
  endorsement?: { lines: LineQty[], port: string, officer: string, date: number, seq: number }
  consumption?: Receipt
  cancellation?: { reason: string, time: number, seq: number }
  replacement?: { number: string, reason: string, time: number, seq: number }
  /** Provisional claims the issuer refused (CLAIM_REFUSED events). */
  refusedClaims?: ClaimRefusal[]
  /** Uses asked by parties other than the destination, refused (USE_REFUSED events). */
  refusedUses?: Array<{ requester: string, port: string, code: string, time: number, seq: number }>
  /** Positions of this permit's events in the issuer's log, in order. */
  events: number[]
}

/** The status a customs officer sees at `now`. */
export function derivedStatus (s: PermitState, now: number): PermitStatus {
  if ((s.status === 'ISSUED' || s.status === 'ENDORSED') && now > s.validUntil) return 'EXPIRED'
  return s.status
}

const label = (s: PermitState): string => `${s.party}/${s.number}`

/** Refusals common to every action: cancelled, replaced. */
function assertActive (s: PermitState): void {
  if (s.status === 'CANCELLED') throw new PermitCancelledError(`${label(s)} was cancelled: ${s.cancellation?.reason ?? ''}`)
  if (s.status === 'REPLACED') throw new PermitReplacedError(`${label(s)} was replaced by ${s.replacement?.number ?? '?'}`)
}

function assertConsumable (s: PermitState): void {
  assertActive(s)
  if (s.status === 'CONSUMED' && s.consumption !== undefined) {
    const r = s.consumption
    throw new AlreadyConsumedError(`${label(s)} was already used on ${r.consumedAt} at ${r.port} (for ${r.consumingParty})`, r)
  }
}

function assertInForce (s: PermitState, at: number): void {
  if (at < s.validFrom) throw new PermitNotYetValidError(`${label(s)} is valid only from ${new Date(s.validFrom).toISOString()}`)
  if (at > s.validUntil) throw new PermitExpiredError(`${label(s)} expired on ${new Date(s.validUntil).toISOString()}`)
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
    if (l.unit !== '' && l.unit !== permitLine.unit) throw new InvalidLinesError(`line ${l.line}: unit "${l.unit}" does not match the permit's "${permitLine.unit}"`)
    const max = allowed(l.line)
    if (l.quantity > max) throw new QuantityExceededError(`line ${l.line}: ${l.quantity} exceeds the ${max} ${s.endorsement !== undefined && what === 'consumption' ? 'endorsed' : 'authorised'}`, l.line, max)
  }
}

/** May this endorsement be written at `at`? Throws the refusal. */
export function checkEndorse (s: PermitState, lines: readonly LineQty[], at: number): void {
  assertActive(s)
  if (s.status === 'CONSUMED') throw new EndorsementAfterConsumptionError(`${label(s)} was already consumed; it cannot be endorsed`)
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

export function checkCancel (s: PermitState): void {
  assertConsumable(s)
}

export function checkReplace (s: PermitState): void {
  assertConsumable(s)
}

/**
 * The destination rule, written once: only a permit's destination authority
 * may use it at import or record a provisional use of it.
 */
export function isDestination (s: PermitState, party: string): boolean {
  return s.destination === party
}
