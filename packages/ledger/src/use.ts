/**
 * THE USE DECISION: the issuer decides a use of one of its own permits, under
 * one permit lock, and writes what it decides (CONSUMED, or the refusal
 * events USE_REFUSED and CLAIM_REFUSED with their alerts). The rules, in
 * order:
 *
 * 1. not this party's permit: NOT_ISSUER;
 * 2. unknown: PERMIT_NOT_FOUND;
 * 3. the requester is not the destination ({@link isDestination}): a
 *    USE_REFUSED event once per requester and a DIVERTED_USE alert; refused
 *    NOT_DESTINATION, with the first CONSUMED as evidence if it was used;
 * 4. a claim that names no event (seq ≥ 1, 64-hex hash): CLAIM_INVALID;
 * 5. the same claim confirmed again: the first receipt (`repeated`);
 * 6. a claim is a claim to check, not a fact (issue 18): the claimant's
 *    PROVISIONAL_CONSUMED event of this permit must be in this node's
 *    replica of its log at the claimed position, with the claimed hash,
 *    lines and time (else CLAIM_UNKNOWN when not held yet, CLAIM_INVALID
 *    when it differs), and its time must fit the claimant's own history: not
 *    in the future, not before the permit was issued, not before the event
 *    before it, nor before a checkpoint the claimant signed without it. Its
 *    time is then the time of use. Nothing is written for these refusals,
 *    so invented claims cannot grow the log;
 * 7. quantities and state (checkConsume at the time of use, or now): for a
 *    claim, a CLAIM_REFUSED event (naming the first CONSUMED when used),
 *    at most one per permit and claimant (a later refusal answers with the
 *    first); otherwise refused with the code (ALREADY_CONSUMED with the
 *    first receipt and its event);
 * 8. a CONSUMED event.
 *
 * `consume` (a use with no destination rule, for the CLI and tests) runs on
 * the same internals, claims included.
 */
import { ClaimRefusedBody, ConsumedBody, EventType, ProvisionalBody, UseRefusedBody } from './pb/ledger.js'
import { AlreadyConsumedError, ClaimInvalidError, ClaimUnknownError, LedgerError } from './errors.js'
import { checkpointKey, logKey, permitKey } from './keys.js'
import { decodeCheckpoint, decodeEvent, hex } from './events.js'
import { canonicalUnit, samePermitNumber } from '@cites/permit'
import { checkConsume, isDestination, recordedLines, usesOf, useWarnings, type ClaimRef, type LineQty, type PermitState, type Receipt } from './state.js'
import { unhex, type OwnLog } from './own-log.js'
import type { LedgerCore } from './context.js'
import type { Commands } from './commands.js'
import type { Indexer } from './indexer.js'
import { checkedActor, isActor, officerBeside } from './actor.js'
import type { ConsumeInput, UseDecision, UseRequest } from './types.js'

const ZERO = new Uint8Array(0)
const HASH_RE = /^[0-9a-f]{64}$/

/** The same quantities per line (order aside); an omitted unit is the line's own. */
function sameLines (a: readonly LineQty[], b: readonly LineQty[]): boolean {
  if (a.length !== b.length) return false
  const key = (l: LineQty): string => `${l.line}\u0000${l.quantity}\u0000${canonicalUnit(l.unit)}`
  const set = new Set(a.map(key))
  return b.every((l) => set.has(key(l)))
}

/** A use to judge and write, once the destination rule has passed (or does not apply). */
interface UseInput {
  consumingParty: string
  lines: LineQty[]
  port: string
  officer?: string
  /** The acting account (checked): the destination's officer asking, or ours. */
  actor?: string
  request?: Uint8Array
  claim?: { seq: number, hash: string }
  usedAt?: number
}

export class UseDecider {
  readonly #core: LedgerCore
  readonly #own: OwnLog
  readonly #indexer: Indexer
  readonly #commands: Commands

  constructor (core: LedgerCore, own: OwnLog, indexer: Indexer, commands: Commands) {
    this.#core = core
    this.#own = own
    this.#indexer = indexer
    this.#commands = commands
  }

  async decide (req: UseRequest): Promise<UseDecision> {
    const c = this.#core
    if (req.party !== c.party) return { kind: 'refused', code: 'NOT_ISSUER', message: `this node writes ${c.party}'s permits, not ${req.party}'s` }
    // Checked before anything is written (a refusal event included): decide never throws a refusal.
    if (req.actor !== undefined && !isActor(req.actor)) return { kind: 'refused', code: 'ACTOR_INVALID', message: 'the acting account is not an account ID (1 to 64 of A-Z a-z 0-9 _ -)' }
    return await c.locks.run('permit', permitKey(req.party, req.number), async () => {
      const prev = await this.#indexer.state(req.party, req.number)
      if (prev === undefined) return { kind: 'refused', code: 'PERMIT_NOT_FOUND', message: `${req.party}/${req.number} is not in the ledger` }
      if (!isDestination(prev, req.requester)) {
        // A permit for TH presented in CN: refused, and the attempt put on the
        // signed record (USE_REFUSED), which alerts the destination too.
        await this.#refuseUse(prev, { requester: req.requester, port: req.port, code: 'NOT_DESTINATION', message: `${req.requester} is not the destination` })
        // A diverted copy of a permit already used: the first receipt is the evidence.
        const used = prev.consumption
        const first = used !== undefined ? await this.#eventAt(used.seq) : undefined
        return {
          kind: 'refused',
          code: 'NOT_DESTINATION',
          message: `${req.party}/${req.number} is for ${prev.destination}, not ${req.requester}${used !== undefined ? `; it was already used on ${used.consumedAt} at ${used.port}` : ''}`,
          ...(first !== undefined ? { event: first } : {})
        }
      }
      const claim = req.claim
      const input: UseInput = {
        consumingParty: req.requester,
        lines: req.lines,
        port: req.port,
        ...(req.officer !== undefined ? { officer: req.officer } : {}),
        ...(req.actor !== undefined ? { actor: req.actor } : {}),
        ...(req.request !== undefined ? { request: req.request } : {}),
        ...(claim !== undefined ? { claim: { seq: claim.seq, hash: claim.hash }, usedAt: claim.usedAt } : {})
      }
      let judged: Receipt | number
      try {
        judged = await this.#judge(prev, input)
      } catch (err) {
        if (!(err instanceof LedgerError)) throw err
        const receipt = err instanceof AlreadyConsumedError ? err.receipt : undefined
        if (claim !== undefined && !(err instanceof ClaimInvalidError) && !(err instanceof ClaimUnknownError)) {
          // A provisional use that cannot be confirmed: refused in a signed
          // CLAIM_REFUSED event (gossiped to all, an alert at both authorities).
          const { event } = await this.#refuseClaim(prev, { claimant: req.requester, seq: claim.seq, hash: claim.hash }, err.code, err.message, receipt?.seq)
          return { kind: 'refused', code: err.code, message: err.message, event, ...(receipt !== undefined ? { receipt } : {}) }
        }
        if (receipt !== undefined) {
          const first = await this.#eventAt(receipt.seq)
          return { kind: 'refused', code: err.code, message: err.message, receipt, ...(first !== undefined ? { event: first } : {}) }
        }
        return { kind: 'refused', code: err.code, message: err.message }
      }
      if (typeof judged !== 'number') {
        const event = await this.#eventAt(judged.seq)
        return { kind: 'consumed', receipt: judged, event: event ?? ZERO, repeated: true }
      }
      try {
        const { receipt, event } = await this.#write(prev, input, judged)
        return { kind: 'consumed', receipt, event, repeated: false }
      } catch (err) {
        // This node cannot write now (read-only, certificate withdrawn).
        if (err instanceof LedgerError) return { kind: 'refused', code: err.code, message: err.message }
        throw err
      }
    })
  }

  /**
   * Record a use, throwing the refusal. No destination rule: the caller
   * names the consuming party (default: the destination).
   */
  async consume (party: string, number: string, input: ConsumeInput): Promise<Receipt> {
    this.#commands.assertOwn(party)
    checkedActor(input.actor)
    return await this.#core.locks.run('permit', permitKey(party, number), async () => {
      const prev = await this.#commands.existing(party, number)
      const u: UseInput = { ...input, consumingParty: input.consumingParty ?? prev.destination }
      const judged = await this.#judge(prev, u)
      if (typeof judged !== 'number') return judged
      return (await this.#write(prev, u, judged)).receipt
    })
  }

  /**
   * Rules 4 to 7 for a use by the destination: the first receipt when the
   * same claim is confirmed again, else the time of use to write; throws
   * the refusal. Caller holds the permit lock.
   */
  async #judge (prev: PermitState, u: UseInput): Promise<Receipt | number> {
    const claim = u.claim
    const now = this.#core.now()
    let usedAt = now
    if (claim !== undefined) {
      if (!(claim.seq >= 1 && Number.isSafeInteger(claim.seq) && HASH_RE.test(claim.hash))) throw new ClaimInvalidError('a claim is named by its sequence number (≥ 1) and 32-byte hash')
      // A time that cannot be written (NaN, fractions, ≤ 0) is no time of use.
      if (u.usedAt !== undefined && !(Number.isSafeInteger(u.usedAt) && u.usedAt > 0)) throw new ClaimInvalidError('the time of use must be a positive whole number of milliseconds')
      // Confirming a provisional use is idempotent: a claimant that lost our
      // answer asks again and gets the same receipt.
      // (For a multi-use certificate, any of its crossings.)
      const had = usesOf(prev).find((r) => r.claim !== undefined && r.claim.claimant === u.consumingParty && r.claim.seq === claim.seq && r.claim.hash === claim.hash)
      if (had !== undefined) return had
      usedAt = await this.#committedClaimTime(prev, u.consumingParty, claim, u.lines, u.usedAt, now)
    }
    checkConsume(prev, u.lines, usedAt)
    return usedAt
  }

  /**
   * Rule 6: the claim as the claimant committed it. Returns the event's time
   * (the time of use); throws CLAIM_UNKNOWN or CLAIM_INVALID. The replica's
   * events were verified (signature, chain) when they were accepted.
   */
  async #committedClaimTime (prev: PermitState, claimant: string, claim: { seq: number, hash: string }, lines: readonly LineQty[], usedAt: number | undefined, now: number): Promise<number> {
    const c = this.#core
    const where = `${claimant}'s log #${claim.seq}`
    const bytes = claimant === c.party ? undefined : await c.store.get('LOG', logKey(claimant, claim.seq))
    if (bytes === undefined) throw new ClaimUnknownError(`${where} is not held here yet: no provisional use is confirmed before its event is`)
    const le = decodeEvent(bytes)
    const e = le.event
    // By its hash, or by the v1 hash it was carried over from (ledger.md §7.1).
    if (hex(le.hash) !== claim.hash && (e.carriedFrom.length === 0 || hex(e.carriedFrom) !== claim.hash)) throw new ClaimInvalidError(`${where} is another event than the one claimed (its hash differs)`)
    if (e.type !== EventType.PROVISIONAL_CONSUMED || e.permitParty !== c.party || !samePermitNumber(e.permitNumber, prev.number)) throw new ClaimInvalidError(`${where} is not a provisional use of ${c.party}/${prev.number}`)
    const body = ProvisionalBody.decode(e.body)
    if (!sameLines(body.lines, lines)) throw new ClaimInvalidError(`the claim's quantities are not those of ${where}`)
    const time = Number(e.time)
    if (usedAt !== undefined && usedAt !== time) throw new ClaimInvalidError(`the time of use must be the time of ${where} (${new Date(time).toISOString()})`)
    if (time > now) throw new ClaimInvalidError(`${where} is dated ${new Date(time).toISOString()}, in the future`)
    if (time < prev.issueTime) throw new ClaimInvalidError(`${where} is dated before ${c.party}/${prev.number} was issued`)
    // A log's times do not run backwards, and a checkpoint the claimant signed
    // at a smaller size says the event did not exist yet at that time: a use
    // cannot be backdated into the claimant's already published history.
    if (claim.seq > 1) {
      const before = await c.store.get('LOG', logKey(claimant, claim.seq - 1))
      if (before !== undefined && Number(decodeEvent(before).event.time) > time) throw new ClaimInvalidError(`${where} is dated before the event that precedes it in that log (backdated)`)
    }
    for await (const v of c.store.values('CHECKPOINT', { gte: checkpointKey(claimant, 0), lt: checkpointKey(claimant, claim.seq), reverse: true, limit: 1 })) {
      const cp = decodeCheckpoint(v).checkpoint
      if (Number(cp.time) > time) throw new ClaimInvalidError(`${where} is dated before ${claimant}'s checkpoint of size ${cp.size}, signed without it on ${new Date(Number(cp.time)).toISOString()} (backdated)`)
    }
    return time
  }

  /** Rule 8: the CONSUMED event. Caller holds the permit lock. */
  async #write (prev: PermitState, u: UseInput, usedAt: number): Promise<{ receipt: Receipt, event: Uint8Array }> {
    const claim = u.claim
    const body = ConsumedBody.encode({
      lines: recordedLines(prev, u.lines), port: u.port, officer: officerBeside(u.actor, u.officer), consumingParty: u.consumingParty,
      request: (u.request ?? ZERO) as Uint8Array<ArrayBuffer>,
      // Only a confirmed claim has a time of use apart from the event's.
      usedAt: claim === undefined ? 0n : BigInt(usedAt),
      claimSeq: BigInt(claim?.seq ?? 0),
      claimHash: (claim === undefined ? ZERO : unhex(claim.hash)) as Uint8Array<ArrayBuffer>,
      // Signed with the use, so the destination's receipt carries them too.
      warnings: useWarnings(prev)
    })
    const { state, event } = await this.#own.appendPermitEvent(EventType.CONSUMED, prev.number, body, prev, { actor: u.actor })
    if (state.consumption === undefined) throw new Error('unreachable: a CONSUMED event without its receipt')
    return { receipt: state.consumption, event: event.bytes }
  }

  /** A USE_REFUSED event and DIVERTED_USE alert, once per permit and requester. Caller holds the permit lock. */
  async #refuseUse (prev: PermitState, r: { requester: string, port: string, code: string, message: string }): Promise<{ event: Uint8Array, state: PermitState }> {
    const c = this.#core
    return await this.#refusalOnce(prev,
      prev.refusedUses?.find((u) => u.requester === r.requester)?.seq,
      EventType.USE_REFUSED,
      UseRefusedBody.encode({ requester: r.requester, port: r.port.slice(0, 16), code: r.code, message: r.message.slice(0, 500) }),
      { kind: 'DIVERTED_USE', code: r.code, author: r.requester, message: `${r.requester} asked to use ${c.party}/${prev.number}, which is for ${prev.destination}, at ${r.port}` })
  }

  /**
   * A CLAIM_REFUSED event and alert, at most once per permit and claimant
   * (issue 18): a later refusal answers with the first, so no claimant can
   * grow this log with refusals. Caller holds the permit lock.
   */
  async #refuseClaim (prev: PermitState, ref: ClaimRef, code: string, message: string, evidenceSeq?: number): Promise<{ event: Uint8Array, state: PermitState }> {
    const c = this.#core
    return await this.#refusalOnce(prev,
      prev.refusedClaims?.find((r) => r.claimant === ref.claimant)?.refusedSeq,
      EventType.CLAIM_REFUSED,
      ClaimRefusedBody.encode({
        claimant: ref.claimant, claimSeq: BigInt(ref.seq), claimHash: unhex(ref.hash) as Uint8Array<ArrayBuffer>, code, message: message.slice(0, 500),
        evidenceSeq: BigInt(evidenceSeq ?? 0)
      }),
      { kind: 'CLAIM_REFUSED', code, author: ref.claimant, seq: ref.seq, message: `${ref.claimant}'s provisional use of ${c.party}/${prev.number} (#${ref.seq}) refused: ${code}` })
  }

  /**
   * Append a refusal event with its alert in the same batch, unless one is
   * on record (`already`, its seq): then that event is returned again (a
   * repeated request gets the first answer).
   */
  async #refusalOnce (prev: PermitState, already: number | undefined, type: EventType, body: Uint8Array, alert: Parameters<LedgerCore['alert']>[0]): Promise<{ event: Uint8Array, state: PermitState }> {
    if (already !== undefined) {
      const first = await this.#eventAt(already)
      if (first === undefined) throw new Error(`event #${already} of the own log is missing`)
      return { event: first, state: prev }
    }
    const { event, state } = await this.#own.appendPermitEvent(type, prev.number, body, prev, { extra: () => [this.#core.alert(alert)] })
    return { event: event.bytes, state }
  }

  async #eventAt (seq: number): Promise<Uint8Array | undefined> {
    return await this.#core.store.get('LOG', logKey(this.#core.party, seq))
  }
}
