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
 * 6. a time of use in the future (or not a time at all): CLAIM_INVALID;
 * 7. quantities and state (checkConsume at the time of use, or now): for a
 *    claim, a CLAIM_REFUSED event (naming the first CONSUMED when used) and
 *    refused with it; otherwise refused with the code (ALREADY_CONSUMED with
 *    the first receipt and its event);
 * 8. a CONSUMED event.
 *
 * `consume`, `refuseUse` and `refuseClaim` (the older entry points) run on
 * the same internals.
 */
import { ClaimRefusedBody, ConsumedBody, EventType, UseRefusedBody } from './pb/ledger.js'
import { AlreadyConsumedError, ClaimInvalidError, LedgerError } from './errors.js'
import { logKey, permitKey } from './keys.js'
import { checkConsume, isDestination, type ClaimRef, type LineQty, type PermitState, type Receipt } from './state.js'
import { unhex, type OwnLog } from './own-log.js'
import type { LedgerCore } from './context.js'
import type { Commands } from './commands.js'
import type { Indexer } from './indexer.js'
import type { ConsumeInput, UseDecision, UseRequest } from './types.js'

const ZERO = new Uint8Array(0)
const HASH_RE = /^[0-9a-f]{64}$/

/** A use to judge and write, once the destination rule has passed (or does not apply). */
interface UseInput {
  consumingParty: string
  lines: LineQty[]
  port: string
  officer?: string
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
        ...(req.request !== undefined ? { request: req.request } : {}),
        ...(claim !== undefined ? { claim: { seq: claim.seq, hash: claim.hash }, usedAt: claim.usedAt } : {})
      }
      let judged: Receipt | number
      try {
        judged = this.#judge(prev, input)
      } catch (err) {
        if (!(err instanceof LedgerError)) throw err
        const receipt = err instanceof AlreadyConsumedError ? err.receipt : undefined
        if (claim !== undefined && !(err instanceof ClaimInvalidError)) {
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
    return await this.#core.locks.run('permit', permitKey(party, number), async () => {
      const prev = await this.#commands.existing(party, number)
      const u: UseInput = { ...input, consumingParty: input.consumingParty ?? prev.destination }
      const judged = this.#judge(prev, u)
      if (typeof judged !== 'number') return judged
      return (await this.#write(prev, u, judged)).receipt
    })
  }

  async refuseClaim (number: string, ref: ClaimRef, code: string, message: string, evidenceSeq?: number): Promise<{ event: Uint8Array, state: PermitState }> {
    if (!(ref.seq >= 1 && HASH_RE.test(ref.hash) && ref.claimant !== this.#core.party)) throw new ClaimInvalidError('a claim is named by its claimant, sequence number (≥ 1) and 32-byte hash')
    const party = this.#core.party
    return await this.#core.locks.run('permit', permitKey(party, number), async () => {
      return await this.#refuseClaim(await this.#commands.existing(party, number), ref, code, message, evidenceSeq)
    })
  }

  async refuseUse (number: string, r: { requester: string, port: string, code: string, message: string }): Promise<{ event: Uint8Array, state: PermitState }> {
    const party = this.#core.party
    return await this.#core.locks.run('permit', permitKey(party, number), async () => {
      return await this.#refuseUse(await this.#commands.existing(party, number), r)
    })
  }

  /**
   * Rules 4 to 7 for a use by the destination: the first receipt when the
   * same claim is confirmed again, else the time of use to write; throws
   * the refusal. Caller holds the permit lock.
   */
  #judge (prev: PermitState, u: UseInput): Receipt | number {
    const claim = u.claim
    if (claim !== undefined) {
      if (!(claim.seq >= 1 && HASH_RE.test(claim.hash))) throw new ClaimInvalidError('a claim is named by its sequence number (≥ 1) and 32-byte hash')
      // Confirming a provisional use is idempotent: a claimant that lost our
      // answer asks again and gets the same receipt.
      const had = prev.consumption
      const cl = had?.claim
      if (had !== undefined && cl !== undefined && cl.claimant === u.consumingParty && cl.seq === claim.seq && cl.hash === claim.hash) return had
    }
    // A time that cannot be written (NaN, fractions, ≤ 0) is no time of use.
    if (u.usedAt !== undefined && !(Number.isSafeInteger(u.usedAt) && u.usedAt > 0)) throw new ClaimInvalidError('the time of use must be a positive whole number of milliseconds')
    const now = this.#core.now()
    const usedAt = u.usedAt ?? now
    if (usedAt > now) throw new ClaimInvalidError(`the time of use ${new Date(usedAt).toISOString()} is in the future`)
    checkConsume(prev, u.lines, usedAt)
    return usedAt
  }

  /** Rule 8: the CONSUMED event. Caller holds the permit lock. */
  async #write (prev: PermitState, u: UseInput, usedAt: number): Promise<{ receipt: Receipt, event: Uint8Array }> {
    const claim = u.claim
    const body = ConsumedBody.encode({
      lines: u.lines, port: u.port, officer: u.officer ?? '', consumingParty: u.consumingParty,
      request: (u.request ?? ZERO) as Uint8Array<ArrayBuffer>,
      usedAt: u.usedAt === undefined ? 0n : BigInt(usedAt),
      claimSeq: BigInt(claim?.seq ?? 0),
      claimHash: (claim === undefined ? ZERO : unhex(claim.hash)) as Uint8Array<ArrayBuffer>
    })
    const { state, event } = await this.#own.appendPermitEvent(EventType.CONSUMED, prev.number, body, prev)
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

  /** A CLAIM_REFUSED event and alert, once per claim. Caller holds the permit lock. */
  async #refuseClaim (prev: PermitState, ref: ClaimRef, code: string, message: string, evidenceSeq?: number): Promise<{ event: Uint8Array, state: PermitState }> {
    const c = this.#core
    return await this.#refusalOnce(prev,
      prev.refusedClaims?.find((r) => r.claimant === ref.claimant && r.seq === ref.seq && r.hash === ref.hash)?.refusedSeq,
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
    const { event, state } = await this.#own.appendPermitEvent(type, prev.number, body, prev, () => [this.#core.alert(alert)])
    return { event: event.bytes, state }
  }

  async #eventAt (seq: number): Promise<Uint8Array | undefined> {
    return await this.#core.store.get('LOG', logKey(this.#core.party, seq))
  }
}
