/**
 * Pure functions over events: applying one to a permit's state (the state
 * machine's transitions, used for own writes, replicas and rebuilds alike),
 * the index entries of a state, and events and claims as people read them.
 */
import {
  ConsumedBody, CancelledBody, ClaimRefusedBody, EndorsedBody, EventType, ExportVoidedBody, IssuedBody, ProvisionalBody, ReplacedBody, ReplacementReason, UseRefusedBody
} from './pb/ledger.js'
import { hex, type LoggedEvent } from './events.js'
import { canonicalPermitNumber } from '@cites/permit'
import { ClaimInvalidError, InvalidEventError, PermitAlreadyIssuedError, PermitNotFoundError, PermitNumberInvalidError } from './errors.js'
import { dateIndexKey, permitKey, speciesIndexKey, statusIndexKey } from './keys.js'
import { checkCancel, checkConsume, checkEndorse, checkReplace, checkVoidExport, multiUse, usesOf, type ClaimRef, type UseWarning, type LineQty, type PermitState, type ReplacementReasonCode } from './state.js'
import { del, put, type WriteOp } from './store.js'
import type { ClaimRecord, ClaimView, EventView } from './types.js'

type Json = Record<string, unknown>

const REASON_CODES: Readonly<Record<ReplacementReasonCode, ReplacementReason>> = {
  lost: ReplacementReason.REPLACEMENT_LOST,
  stolen: ReplacementReason.REPLACEMENT_STOLEN,
  damaged: ReplacementReason.REPLACEMENT_DAMAGED,
  error: ReplacementReason.REPLACEMENT_ERROR
}

/** The wire value of a replacement reason (lost, stolen, damaged, error). */
export function replacementReasonValue (r: ReplacementReasonCode): ReplacementReason {
  return REASON_CODES[r]
}

/** A replacement reason as people read it; undefined for an event written before it existed. */
export function replacementReasonCode (r: ReplacementReason): ReplacementReasonCode | undefined {
  return (Object.keys(REASON_CODES) as ReplacementReasonCode[]).find((k) => REASON_CODES[k] === r)
}

function indexKeysOf (s: PermitState | undefined): Set<string> {
  const keys = new Set<string>()
  if (s === undefined) return keys
  keys.add(statusIndexKey(s.status, s.party, s.number))
  for (const l of s.lines) keys.add(speciesIndexKey(l.scientificName, s.party, s.number))
  keys.add(dateIndexKey(s.issueTime, s.party, s.number))
  return keys
}

function bodyView (type: EventType, body: Uint8Array): Json {
  switch (type) {
    case EventType.ISSUED: {
      const b = IssuedBody.decode(body)
      return { documentType: b.documentType, ...(b.certificateType === '' ? {} : { certificateType: b.certificateType }), destination: b.destination, exporterCountry: b.exporterCountry, validFrom: new Date(Number(b.validFrom)).toISOString(), validUntil: new Date(Number(b.validUntil)).toISOString(), xmlSha256: hex(b.xmlSha256), lines: b.lines.map((l) => ({ line: l.line, scientificName: l.scientificName, appendix: l.appendix, source: l.source, term: l.term, quantity: l.quantity, unit: l.unit, ...(l.origin === '' ? {} : { origin: l.origin }) })), ...(b.replaces === '' ? {} : { replaces: b.replaces }) }
    }
    case EventType.EXPORT_ENDORSED: {
      const b = EndorsedBody.decode(body)
      return { lines: b.lines, port: b.port, officer: b.officer, date: new Date(Number(b.date)).toISOString() }
    }
    case EventType.CONSUMED: {
      const b = ConsumedBody.decode(body)
      return { lines: b.lines, port: b.port, officer: b.officer, consumingParty: b.consumingParty, ...(b.warnings.length > 0 ? { warnings: b.warnings } : {}) }
    }
    case EventType.CANCELLED: return { reason: CancelledBody.decode(body).reason }
    case EventType.REPLACED: {
      const b = ReplacedBody.decode(body)
      return { replacementNumber: b.replacementNumber, reasonCode: replacementReasonCode(b.reasonCode) ?? '', reason: b.reason }
    }
    case EventType.EXPORT_VOIDED: return { reason: ExportVoidedBody.decode(body).reason }
    case EventType.PROVISIONAL_CONSUMED: {
      const b = ProvisionalBody.decode(body)
      return { lines: b.lines, port: b.port, officer: b.officer, reason: b.reason }
    }
    case EventType.USE_REFUSED: {
      const b = UseRefusedBody.decode(body)
      return { requester: b.requester, port: b.port, code: b.code, message: b.message }
    }
    case EventType.CLAIM_REFUSED: {
      const b = ClaimRefusedBody.decode(body)
      return { claimant: b.claimant, claimSeq: Number(b.claimSeq), claimHash: hex(b.claimHash), code: b.code, message: b.message, evidenceSeq: Number(b.evidenceSeq) }
    }
    default: return {}
  }
}

const lineQty = (l: { line: string, quantity: number, unit: string }): LineQty => ({ line: l.line, quantity: l.quantity, unit: l.unit })

/** `{ actor }` when the event names its acting account (ledger.md §2.3), else nothing: states of events before r13 stay as they were. */
const by = (actor: string | undefined): { actor?: string } => actor === undefined ? {} : { actor }

/** An event as people read it: type, time, hash and the body's fields. */
export function viewEvent (le: LoggedEvent): EventView {
  const e = le.event
  return { author: e.author, seq: Number(e.seq), type: e.type, time: new Date(Number(e.time)).toISOString(), hash: hex(le.hash), ...by(e.actor), body: bodyView(e.type, e.body) }
}

/**
 * The permit number an event is about, canonical (permit-profile.md §2.1): an
 * event written before ledger.md r8 may carry another spelling, which counts
 * as its canonical form; one with none names no permit (PERMIT_NUMBER_INVALID).
 */
export function eventNumber (e: { permitParty: string, permitNumber: string }): string {
  const n = canonicalPermitNumber(e.permitNumber)
  if (n === undefined) throw new PermitNumberInvalidError(`${e.permitParty}/${e.permitNumber.slice(0, 70)}: the permit number has no canonical form`)
  return n
}

export function claimRecordOf (le: LoggedEvent): ClaimRecord {
  const e = le.event
  const b = ProvisionalBody.decode(e.body)
  return {
    party: e.permitParty, number: eventNumber(e), claimant: e.author, seq: Number(e.seq), hash: hex(le.hash), time: Number(e.time),
    lines: b.lines.map(lineQty), port: b.port, officer: b.officer, ...by(e.actor), reason: b.reason,
    ...(e.carriedFrom.length === 0 ? {} : { carriedFrom: hex(e.carriedFrom) })
  }
}

/** A claim's resolution, from the issuer's log as held here. */
export function resolveClaim (r: ClaimRecord, issuer: PermitState | undefined): ClaimView {
  // A claim names the claimant's event by its hash, or by its carried_from (ledger.md §7.1).
  const same = (c: ClaimRef | undefined): boolean => c !== undefined && c.claimant === r.claimant && c.seq === r.seq && (c.hash === r.hash || c.hash === r.carriedFrom)
  if (issuer !== undefined && usesOf(issuer).some((u) => same(u.claim))) return { ...r, resolution: 'confirmed' }
  const refused = issuer?.refusedClaims?.find(same)
  if (refused !== undefined) return { ...r, resolution: 'refused', code: refused.code, message: refused.message }
  return { ...r, resolution: 'provisional' }
}

/**
 * Apply one event of the issuer's log to the permit's state. Throws the
 * ledger refusal when the transition is illegal. Pure: used for own writes,
 * replicas and index rebuilds alike.
 */
export function applyEvent (prev: PermitState | undefined, le: LoggedEvent): PermitState {
  const e = le.event
  const seq = Number(e.seq)
  const time = Number(e.time)
  const number = eventNumber(e)
  const label = `${e.permitParty}/${number}`
  if (e.type === EventType.ISSUED) {
    if (prev !== undefined) throw new PermitAlreadyIssuedError(`${label} was already issued`)
    const b = IssuedBody.decode(e.body)
    return {
      party: e.permitParty,
      number,
      type: b.documentType,
      destination: b.destination,
      exporter: b.exporterCountry,
      validFrom: Number(b.validFrom),
      validUntil: Number(b.validUntil),
      issueTime: Number(b.issueTime),
      purpose: b.purpose,
      xmlSha256: hex(b.xmlSha256),
      lines: b.lines.map((l) => ({ line: l.line, scientificName: l.scientificName, appendix: l.appendix, source: l.source, term: l.term, quantity: l.quantity, unit: l.unit, origin: l.origin, originPermit: l.originPermit })),
      status: 'ISSUED',
      ...(e.actor === undefined ? {} : { issuedBy: e.actor }),
      ...(b.replaces === '' ? {} : { replaces: b.replaces }),
      ...(b.certificateType === '' ? {} : { certificateType: b.certificateType }),
      ...(b.stampSha256.length === 0 ? {} : { stampSha256: hex(b.stampSha256) }),
      events: [seq]
    }
  }
  if (prev === undefined) throw new PermitNotFoundError(`${label} is not in the ledger`)
  const next: PermitState = { ...prev, events: [...prev.events, seq] }
  switch (e.type) {
    case EventType.EXPORT_ENDORSED: {
      const b = EndorsedBody.decode(e.body)
      const lines = b.lines.map(lineQty)
      checkEndorse(prev, lines, time)
      next.status = 'ENDORSED'
      next.endorsement = { lines, port: b.port, officer: b.officer, date: Number(b.date), seq, ...by(e.actor) }
      return next
    }
    case EventType.CONSUMED: {
      const b = ConsumedBody.decode(e.body)
      const lines = b.lines.map(lineQty)
      // A confirmed provisional use is judged when the goods were cleared,
      // which cannot be after the issuer wrote it.
      const usedAt = b.usedAt === 0n ? time : Number(b.usedAt)
      if (usedAt > time) throw new ClaimInvalidError(`${label}: a use at ${new Date(usedAt).toISOString()} cannot be confirmed earlier, at ${new Date(time).toISOString()}`)
      checkConsume(prev, lines, usedAt)
      // As the issuer signed them (events before ledger.md r10 carry none).
      const warnings = b.warnings.filter((w): w is UseWarning => w === 'NOT_ENDORSED_AT_EXPORT')
      next.status = 'CONSUMED'
      next.consumption = {
        party: e.permitParty, number, consumedAt: new Date(usedAt).toISOString(), port: b.port, officer: b.officer,
        consumingParty: b.consumingParty, ...by(e.actor), lines, seq, eventHash: hex(le.hash)
      }
      if (b.claimSeq !== 0n) next.consumption.claim = { claimant: b.consumingParty, seq: Number(b.claimSeq), hash: hex(b.claimHash) }
      if (warnings.length > 0) next.consumption.warnings = warnings
      if (multiUse(prev)) {
        // A crossing of a multi-use certificate (ledger.md §3.7): recorded
        // with its export endorsement, which is cleared for the next one.
        const { endorsement, ...rest } = next
        return { ...rest, crossings: [...(prev.crossings ?? []), { ...(endorsement === undefined ? {} : { endorsement }), use: next.consumption }] }
      }
      return next
    }
    case EventType.USE_REFUSED: {
      // A diverted copy presented elsewhere: on record, the state otherwise unchanged.
      const b = UseRefusedBody.decode(e.body)
      next.refusedUses = [...(prev.refusedUses ?? []), { requester: b.requester, port: b.port, code: b.code, time, seq }]
      return next
    }
    case EventType.CLAIM_REFUSED: {
      // The issuer's answer to a destination's provisional claim: on record,
      // the permit's state is otherwise unchanged.
      const b = ClaimRefusedBody.decode(e.body)
      const refusal = { claimant: b.claimant, seq: Number(b.claimSeq), hash: hex(b.claimHash), code: b.code, message: b.message, refusedSeq: seq, time, ...(b.evidenceSeq === 0n ? {} : { evidenceSeq: Number(b.evidenceSeq) }) }
      next.refusedClaims = [...(prev.refusedClaims ?? []), refusal]
      return next
    }
    case EventType.CANCELLED: {
      checkCancel(prev)
      next.status = 'CANCELLED'
      next.cancellation = { reason: CancelledBody.decode(e.body).reason, time, seq, ...by(e.actor) }
      return next
    }
    case EventType.REPLACED: {
      checkReplace(prev)
      const b = ReplacedBody.decode(e.body)
      next.status = 'REPLACED'
      const reasonCode = replacementReasonCode(b.reasonCode)
      next.replacement = { number: b.replacementNumber, reason: b.reason, ...(reasonCode === undefined ? {} : { reasonCode }), time, seq, ...by(e.actor) }
      return next
    }
    case EventType.EXPORT_VOIDED: {
      // The export did not happen: Box 14 is cleared (the permit may be
      // endorsed again, or cancelled), and the void stays on record.
      checkVoidExport(prev)
      const voided = prev.endorsement
      if (voided === undefined) throw new Error('unreachable: checkVoidExport passed without an endorsement')
      const { endorsement: _e, ...rest } = next
      return {
        ...rest,
        status: 'ISSUED',
        voidedExports: [...(prev.voidedExports ?? []), { lines: voided.lines, port: voided.port, date: voided.date, reason: ExportVoidedBody.decode(e.body).reason, time, seq, ...by(e.actor) }]
      }
    }
    default:
      throw new InvalidEventError('EVENT_MALFORMED', `unknown event type ${String(e.type)}`, seq)
  }
}

/** The writes that move a permit from `prev` to `next`: its state and the index entries that change. */
export function stateOps (prev: PermitState | undefined, next: PermitState): WriteOp[] {
  const key = permitKey(next.party, next.number)
  const ops: WriteOp[] = [put('PERMIT', key, next)]
  const before = indexKeysOf(prev)
  const after = indexKeysOf(next)
  for (const k of before) if (!after.has(k)) ops.push(del('INDEX', k))
  for (const k of after) if (!before.has(k)) ops.push(put('INDEX', k, key))
  return ops
}
