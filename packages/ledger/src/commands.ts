/**
 * The issuer's commands on its own permits (issue, record a permit signed
 * elsewhere, endorse, cancel, replace) and the destination's provisional
 * use. Each runs its check-and-write under the permit's lock. Uses by the
 * issuer are decided in use.ts.
 */
import { canonicalPermitNumber, permitParty, permitDestination, type Permit } from '@cites/permit'
import { signPermit, verifySignedPermit } from '@cites/xml-signature'
import { CancelledBody, EndorsedBody, EventType, IssuedBody, ProvisionalBody, ReplacedBody } from './pb/ledger.js'
import { sha256, type LoggedEvent } from './events.js'
import {
  DuplicateNumberError, NotDestinationError, NotIssuerError, PermitNotFoundError, PermitNotSignedError, PermitNumberInvalidError, ProvisionallyConsumedError
} from './errors.js'
import { claimKey, permitKey } from './keys.js'
import { claimRecordOf } from './apply.js'
import { put } from './store.js'
import { checkCancel, checkConsume, checkEndorse, checkReplace, isDestination, type PermitState } from './state.js'
import type { LedgerCore } from './context.js'
import type { Indexer } from './indexer.js'
import type { OwnLog } from './own-log.js'
import type { ActionInput, ClaimRecord, ClaimView, ProvisionalInput } from './types.js'

/** The canonical number (permit-profile.md §2.1) a new permit is keyed by, or PERMIT_NUMBER_INVALID. */
function ledgerNumber (spelt: string): string {
  const number = canonicalPermitNumber(spelt)
  if (number === undefined) throw new PermitNumberInvalidError(`permit number "${spelt.slice(0, 70)}" has no canonical form (letters A-Z, digits and separators; at most 64 letters and digits)`)
  return number
}

function duplicate (party: string, number: string, spelt: string, held: PermitState): DuplicateNumberError {
  const as = number === spelt ? '' : ` (the canonical form of "${spelt.slice(0, 70)}")`
  return new DuplicateNumberError(`${party}/${number}${as} was already issued; its status is ${held.status}`, held.number)
}

export class Commands {
  readonly #core: LedgerCore
  readonly #own: OwnLog
  readonly #indexer: Indexer
  readonly #claims: (party: string, number: string) => Promise<ClaimView[]>

  constructor (core: LedgerCore, own: OwnLog, indexer: Indexer, claims: (party: string, number: string) => Promise<ClaimView[]>) {
    this.#core = core
    this.#own = own
    this.#indexer = indexer
    this.#claims = claims
  }

  /** Refuse a write on another party's permit. */
  assertOwn (party: string): void {
    const me = this.#core.party
    if (party !== me) throw new NotIssuerError(`only ${party}'s node writes ${party}'s permits; this node is ${me}`)
  }

  /** The permit's state, or PERMIT_NOT_FOUND. */
  async existing (party: string, number: string): Promise<PermitState> {
    const s = await this.#indexer.state(party, number)
    if (s === undefined) throw new PermitNotFoundError(`${party}/${number} is not in the ledger`)
    return s
  }

  async issue (permit: Permit): Promise<{ state: PermitState, event: LoggedEvent, signedXml: string }> {
    const c = this.#core
    // Refused before anything is signed; checked again under the lock.
    const number = ledgerNumber(permit.number)
    const party = permitParty(permit) ?? ''
    const held = party === c.party ? await this.#indexer.state(party, number) : undefined
    if (held !== undefined) throw duplicate(party, number, permit.number, held)
    const signedXml = await signPermit(permit, c.requireSigner(), c.party, undefined, new Date(c.now()))
    const { state, event } = await this.#recordIssued(permit.issueDate === undefined ? { ...permit, issueDate: new Date(c.now()).toISOString() } : permit, signedXml)
    return { state, event, signedXml }
  }

  async recordSigned (signedXml: string): Promise<{ state: PermitState, event: LoggedEvent }> {
    const c = this.#core
    const v = await verifySignedPermit(signedXml, { certificatesFor: (p) => c.trust.certificatesFor(p), now: new Date(c.now()) })
    const bad = v.checks.filter((ch) => (ch.name === 'integrity' || ch.name === 'issuer' || ch.name === 'rules') && ch.status !== 'VALID')
    if (bad.length > 0 || v.permit === undefined) {
      throw new PermitNotSignedError(`the permit is not validly signed: ${bad.map((ch) => ch.reason.code).join(', ')}`, bad.map((ch) => ({ check: ch.name, code: ch.reason.code, message: ch.reason.message })))
    }
    return await this.#recordIssued(v.permit, signedXml)
  }

  async #recordIssued (permit: Permit, signedXml: string): Promise<{ state: PermitState, event: LoggedEvent }> {
    const party = permitParty(permit) ?? ''
    this.assertOwn(party)
    // The ledger key is the canonical number (permit-profile.md §2.1); the
    // signed XML keeps the issuer's spelling of Box 1.
    const number = ledgerNumber(permit.number)
    const t = (s: string | undefined): bigint => BigInt(s === undefined ? 0 : Math.max(0, Date.parse(s) || 0))
    const xmlBytes = new TextEncoder().encode(signedXml)
    const body = IssuedBody.encode({
      signedXml: xmlBytes,
      xmlSha256: sha256(xmlBytes) as Uint8Array<ArrayBuffer>,
      documentType: permit.type,
      destination: permitDestination(permit) ?? '',
      exporterCountry: permit.consignor.address?.country ?? '',
      validFrom: t(permit.validFrom),
      validUntil: t(permit.validUntil),
      issueTime: t(permit.issueDate ?? permit.validFrom),
      purpose: permit.purpose ?? '',
      lines: permit.lines.map((l) => ({
        line: l.id, scientificName: l.scientificName, appendix: l.appendix ?? '', source: l.source ?? '', term: l.term ?? '',
        quantity: l.quantity ?? 0, unit: l.unit ?? '', origin: l.originCountry ?? '', originPermit: l.originPermit?.id ?? ''
      }))
    })
    return await this.#core.locks.run('permit', permitKey(party, number), async () => {
      const held = await this.#indexer.state(party, number)
      if (held !== undefined) throw duplicate(party, number, permit.number, held)
      return await this.#own.appendPermitEvent(EventType.ISSUED, number, body, undefined)
    })
  }

  async endorse (party: string, number: string, input: ActionInput): Promise<PermitState> {
    this.assertOwn(party)
    const c = this.#core
    return await c.locks.run('permit', permitKey(party, number), async () => {
      const prev = await this.existing(party, number)
      const date = input.date ?? c.now()
      checkEndorse(prev, input.lines, c.now())
      const body = EndorsedBody.encode({ lines: input.lines, port: input.port, officer: input.officer ?? '', date: BigInt(date) })
      return (await this.#own.appendPermitEvent(EventType.EXPORT_ENDORSED, number, body, prev)).state
    })
  }

  async cancel (party: string, number: string, reason: string): Promise<PermitState> {
    this.assertOwn(party)
    return await this.#core.locks.run('permit', permitKey(party, number), async () => {
      const prev = await this.existing(party, number)
      checkCancel(prev)
      return (await this.#own.appendPermitEvent(EventType.CANCELLED, number, CancelledBody.encode({ reason }), prev)).state
    })
  }

  async replace (party: string, number: string, replacementNumber: string, reason: string): Promise<PermitState> {
    this.assertOwn(party)
    return await this.#core.locks.run('permit', permitKey(party, number), async () => {
      const prev = await this.existing(party, number)
      checkReplace(prev)
      // The replacement is named by its canonical number, as every look-up of it is.
      return (await this.#own.appendPermitEvent(EventType.REPLACED, number, ReplacedBody.encode({ replacementNumber: canonicalPermitNumber(replacementNumber) ?? replacementNumber, reason }), prev)).state
    })
  }

  /**
   * The destination records a use at import while the issuer cannot be
   * reached: a PROVISIONAL_CONSUMED event in this node's own log, judged
   * against its replica of the issuer's log. At most one unresolved claim
   * per permit here.
   */
  async consumeProvisionally (party: string, number: string, input: ProvisionalInput): Promise<ClaimView> {
    const c = this.#core
    if (party === c.party) throw new NotIssuerError(`${party}'s own permits are consumed directly, not provisionally`)
    return await c.locks.run('permit', permitKey(party, number), async () => {
      const prev = await this.existing(party, number)
      if (!isDestination(prev, c.party)) throw new NotDestinationError(`${party}/${number} is for ${prev.destination}, not ${c.party}`)
      // One provisional use per permit and destination, ever: after the
      // issuer refused one, only a use the issuer decides online is possible
      // (the issuer writes at most one CLAIM_REFUSED per permit and claimant).
      const earlier = (await this.#claims(party, number)).find((cl) => cl.claimant === c.party)
      if (earlier !== undefined) throw new ProvisionallyConsumedError(`${party}/${number} was already used provisionally on ${new Date(earlier.time).toISOString()} at ${earlier.port} (${earlier.resolution})${earlier.resolution === 'refused' ? '; the issuer refused it, so only a use it confirms online is possible' : ''}`)
      checkConsume(prev, input.lines, c.now())
      const body = ProvisionalBody.encode({ lines: input.lines, port: input.port, officer: input.officer ?? '', reason: input.reason.slice(0, 500) })
      let record: ClaimRecord | undefined
      await this.#own.append(EventType.PROVISIONAL_CONSUMED, party, number, body, (event) => {
        const r = claimRecordOf(event)
        record = r
        c.claimed.add(permitKey(party, number))
        return [put('CLAIM', claimKey(party, number, c.party, r.seq), r)]
      })
      if (record === undefined) throw new Error('unreachable: the claim was appended without its record')
      return { ...record, resolution: 'provisional' }
    })
  }
}
