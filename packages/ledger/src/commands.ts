/**
 * The issuer's commands on its own permits (issue, record a permit signed
 * elsewhere, endorse, cancel, replace) and the destination's provisional
 * use. Each runs its check-and-write under the permit's lock. Uses by the
 * issuer are decided in use.ts.
 */
import {
  SAFE_VALIDITY_ZONE, canonicalPermitNumber, checkIssue, importPermit, permitParty, permitDestination, validityInstants, withExplicitValidity, type Permit, type ReplacementReason
} from '@cites/permit'
import { PermitRefusedError, signPermit, verifySignedPermit } from '@cites/xml-signature'
import { CancelledBody, EndorsedBody, EventType, ExportVoidedBody, IssuedBody, ProvisionalBody, ReplacedBody } from './pb/ledger.js'
import { findCertificate, sha256, type LoggedEvent } from './events.js'
import {
  DuplicateNumberError, NotDestinationError, NotIssuerError, PermitNotFoundError, PermitNotSignedError, PermitNumberInvalidError, ProvisionallyConsumedError
} from './errors.js'
import { claimKey, permitKey } from './keys.js'
import { claimRecordOf, replacementReasonValue } from './apply.js'
import { put } from './store.js'
import { checkCancel, checkConsume, checkEndorse, checkReplace, checkReplacementLines, checkVoidExport, isDestination, recordedLines, type PermitState } from './state.js'
import type { LedgerCore } from './context.js'
import type { Indexer } from './indexer.js'
import type { OwnLog } from './own-log.js'
import type { Documents } from './documents.js'
import { assertNoTraderData } from './free-text.js'
import { checkedActor, officerBeside, type ActOptions } from './actor.js'
import type { ActionInput, ClaimRecord, ClaimView, IssuePolicy, ProvisionalInput } from './types.js'

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
  readonly #policy: IssuePolicy
  readonly #documents: Documents

  constructor (core: LedgerCore, own: OwnLog, indexer: Indexer, documents: Documents, claims: (party: string, number: string) => Promise<ClaimView[]>, policy: IssuePolicy = {}) {
    this.#core = core
    this.#documents = documents
    this.#own = own
    this.#indexer = indexer
    this.#claims = claims
    this.#policy = policy
  }

  /** When this node's signing certificate is granted on the trust list (ms), if listed. */
  #grantedAt (): number | undefined {
    const signer = this.#core.signer
    if (signer === undefined) return undefined
    const found = findCertificate(this.#core.trust.certificatesFor(this.#core.party), Buffer.from(signer.certificate.sha256, 'hex'))
    const t = found === undefined ? Number.NaN : Date.parse(found.t.grantedAt)
    return Number.isNaN(t) ? undefined : t
  }

  /** Refuse a write on another party's permit. */
  assertOwn (party: string): void {
    const me = this.#core.party
    if (party !== me) throw new NotIssuerError(`only ${party}'s node writes ${party}'s permits; this node is ${me}`)
  }

  /** The permit as its document says (its traders), or undefined when the document is not held here (erased). */
  async #heldPermit (party: string, number: string): Promise<Permit | undefined> {
    const bytes = await this.#documents.get(party, number)
    if (bytes === undefined) return undefined
    try {
      return importPermit(Buffer.from(bytes).toString('utf8')).permit
    } catch {
      return undefined
    }
  }

  /** The permit's state, or PERMIT_NOT_FOUND. */
  async existing (party: string, number: string): Promise<PermitState> {
    const s = await this.#indexer.state(party, number)
    if (s === undefined) throw new PermitNotFoundError(`${party}/${number} is not in the ledger`)
    return s
  }

  /**
   * Sign and record a permit. The rules of the act of issuing (issue 20) come
   * first, before anything is signed: the issue date is now, Box 2 has not
   * ended and starts within the grace, the certificate is granted. A date-
   * only Box 2 is signed as the instants it means in this authority's zone.
   * A permit with `replacement` is a replacement: see #replace.
   */
  async issue (permit: Permit, opts: ActOptions = {}): Promise<{ state: PermitState, event: LoggedEvent, signedXml: string }> {
    const c = this.#core
    const actor = checkedActor(opts.actor)
    const now = c.now()
    const zone = this.#policy.timeZone ?? SAFE_VALIDITY_ZONE
    const problems = checkIssue(permit, {
      now,
      validity: validityInstants(permit, zone),
      ...(this.#policy.issueDateToleranceMs === undefined ? {} : { issueDateToleranceMs: this.#policy.issueDateToleranceMs }),
      ...(this.#policy.validityStartGraceMs === undefined ? {} : { validityStartGraceMs: this.#policy.validityStartGraceMs }),
      ...((g) => g === undefined ? {} : { certificateGrantedAt: g })(this.#grantedAt())
    })
    if (problems.length > 0) throw new PermitRefusedError(`permit ${permit.number.slice(0, 70)} refused: ${problems.map((p) => p.code).join(', ')}`, problems)
    // Refused before anything is signed; checked again under the lock.
    const number = ledgerNumber(permit.number)
    const party = permitParty(permit) ?? ''
    // The original first: replacing a replaced permit is PERMIT_REPLACED, whatever the new number.
    const replaces = permit.replacement === undefined ? undefined : await this.#replaceable(party, permit)
    const held = party === c.party ? await this.#indexer.state(party, number) : undefined
    if (held !== undefined) throw duplicate(party, number, permit.number, held)
    const toSign = { ...withExplicitValidity(permit, zone), issueDate: permit.issueDate ?? new Date(now).toISOString() }
    const signedXml = await signPermit(toSign, c.requireSigner(), c.party, undefined, new Date(now))
    const { state, event } = await this.#recordIssued(toSign, signedXml, actor, replaces)
    return { state, event, signedXml }
  }

  /**
   * The original a replacement may replace (issue 20): this issuer's own,
   * known, not used, not cancelled or replaced, and the replacement covers
   * no more than what remains of it. Checked again under both locks.
   */
  async #replaceable (party: string, permit: Permit): Promise<{ original: PermitState, reason: ReplacementReason, details: string }> {
    const r = permit.replacement
    if (r === undefined) throw new Error('unreachable: not a replacement')
    this.assertOwn(party)
    const number = canonicalPermitNumber(r.replaces)
    if (number === undefined) throw new PermitNotFoundError(`${party}/${r.replaces.slice(0, 70)}, which this permit would replace, is not in the ledger (the number has no canonical form)`)
    const original = await this.existing(party, number)
    checkReplace(original)
    checkReplacementLines(original, permit.lines.map((l) => ({ line: l.id, scientificName: l.scientificName, quantity: l.quantity ?? 0, unit: l.unit ?? '' })))
    // The details are signed into the REPLACED event, which every listed authority receives.
    assertNoTraderData(r.details ?? '', 'replacement details', [permit, await this.#heldPermit(party, number)])
    return { original, reason: r.reason as ReplacementReason, details: r.details ?? '' }
  }

  async recordSigned (signedXml: string, opts: ActOptions = {}): Promise<{ state: PermitState, event: LoggedEvent }> {
    const c = this.#core
    const actor = checkedActor(opts.actor)
    const v = await verifySignedPermit(signedXml, { certificatesFor: (p) => c.trust.certificatesFor(p), now: new Date(c.now()) })
    const bad = v.checks.filter((ch) => (ch.name === 'integrity' || ch.name === 'issuer' || ch.name === 'rules') && ch.status !== 'VALID')
    if (bad.length > 0 || v.permit === undefined) {
      throw new PermitNotSignedError(`the permit is not validly signed: ${bad.map((ch) => ch.reason.code).join(', ')}`, bad.map((ch) => ({ check: ch.name, code: ch.reason.code, message: ch.reason.message })))
    }
    // A replacement signed elsewhere is still one act here: the original is replaced in the same batch.
    if (v.permit.replacement === undefined) return await this.#recordIssued(v.permit, signedXml, actor)
    const reasonProblems = checkIssue(v.permit, { now: c.now(), validity: {} }).filter((p) => p.code === 'REPLACEMENT_REASON_INVALID')
    if (reasonProblems.length > 0) throw new PermitRefusedError(`permit ${v.permit.number.slice(0, 70)} refused: REPLACEMENT_REASON_INVALID`, reasonProblems)
    return await this.#recordIssued(v.permit, signedXml, actor, await this.#replaceable(permitParty(v.permit) ?? '', v.permit))
  }

  async #recordIssued (permit: Permit, signedXml: string, actor: string | undefined, replaces?: { original: PermitState, reason: ReplacementReason, details: string }): Promise<{ state: PermitState, event: LoggedEvent }> {
    const party = permitParty(permit) ?? ''
    this.assertOwn(party)
    // The ledger key is the canonical number (permit-profile.md §2.1); the
    // signed XML keeps the issuer's spelling of Box 1.
    const number = ledgerNumber(permit.number)
    const t = (ms: number | undefined): bigint => BigInt(ms === undefined || Number.isNaN(ms) ? 0 : Math.max(0, ms))
    // Box 2 as instants: what this node signed is explicit already; a date-
    // only Box 2 signed elsewhere counts at UTC+14, as every verifier reads it.
    const validity = validityInstants(permit)
    const xmlBytes = new TextEncoder().encode(signedXml)
    const stamp = permit.securityStamp?.trim() ?? ''
    // r17: the event carries the public summary and the document's hash; the
    // document itself is stored apart, encrypted, in the same batch (ledger.md §2.4).
    const body = IssuedBody.encode({
      xmlSha256: sha256(xmlBytes) as Uint8Array<ArrayBuffer>,
      documentType: permit.type,
      destination: permitDestination(permit) ?? '',
      exporterCountry: permit.consignor.address?.country ?? '',
      validFrom: t(validity.from),
      validUntil: t(validity.until),
      issueTime: t(Date.parse(permit.issueDate ?? permit.validFrom ?? '')),
      purpose: permit.purpose ?? '',
      lines: permit.lines.map((l) => ({
        line: l.id, scientificName: l.scientificName, appendix: l.appendix ?? '', source: l.source ?? '', term: l.term ?? '',
        quantity: l.quantity ?? 0, unit: l.unit ?? '', origin: l.originCountry ?? '', originPermit: l.originPermit?.id ?? ''
      })),
      replaces: replaces?.original.number ?? '',
      // r14: the kind of an O certificate, which decides single or multi-use (ledger.md §3.7).
      certificateType: permit.type === 'O' ? permit.certificateType ?? '' : '',
      stampSha256: (stamp === '' ? new Uint8Array(0) : sha256(new TextEncoder().encode(stamp))) as Uint8Array<ArrayBuffer>
    })
    const document = this.#documents.storeOps(party, number, xmlBytes)
    const extra = (): typeof document => document
    if (replaces === undefined) {
      return await this.#core.locks.run('permit', permitKey(party, number), async () => {
        const held = await this.#indexer.state(party, number)
        if (held !== undefined) throw duplicate(party, number, permit.number, held)
        return await this.#own.appendPermitEvent(EventType.ISSUED, number, body, undefined, { actor, extra })
      })
    }
    // One act: REPLACED on the original, then the replacement's ISSUED, in
    // one synced batch under both permits' locks. Never two permits in force.
    const was = replaces.original.number
    return await this.#core.locks.runAll('permit', [permitKey(party, number), permitKey(party, was)], async () => {
      const original = await this.existing(party, was)
      checkReplace(original)
      checkReplacementLines(original, permit.lines.map((l) => ({ line: l.id, scientificName: l.scientificName, quantity: l.quantity ?? 0, unit: l.unit ?? '' })))
      const held = await this.#indexer.state(party, number)
      if (held !== undefined) throw duplicate(party, number, permit.number, held)
      const replaced = ReplacedBody.encode({ replacementNumber: number, reason: replaces.details.slice(0, 500), reasonCode: replacementReasonValue(replaces.reason) })
      const [, issued] = await this.#own.appendPermitEvents([
        { type: EventType.REPLACED, number: was, body: replaced, prev: original, actor },
        { type: EventType.ISSUED, number, body, prev: undefined, actor, extra }
      ])
      if (issued === undefined) throw new Error('unreachable: the replacement was appended without its ISSUED event')
      return issued
    })
  }

  async endorse (party: string, number: string, input: ActionInput): Promise<PermitState> {
    this.assertOwn(party)
    const c = this.#core
    const actor = checkedActor(input.actor)
    return await c.locks.run('permit', permitKey(party, number), async () => {
      const prev = await this.existing(party, number)
      const date = input.date ?? c.now()
      checkEndorse(prev, input.lines, c.now())
      const body = EndorsedBody.encode({ lines: recordedLines(prev, input.lines), port: input.port, officer: officerBeside(actor, input.officer), date: BigInt(date) })
      return (await this.#own.appendPermitEvent(EventType.EXPORT_ENDORSED, number, body, prev, { actor })).state
    })
  }

  async cancel (party: string, number: string, reason: string, opts: ActOptions = {}): Promise<PermitState> {
    this.assertOwn(party)
    const actor = checkedActor(opts.actor)
    return await this.#core.locks.run('permit', permitKey(party, number), async () => {
      const prev = await this.existing(party, number)
      checkCancel(prev)
      assertNoTraderData(reason, 'cancellation reason', [await this.#heldPermit(party, number)])
      return (await this.#own.appendPermitEvent(EventType.CANCELLED, number, CancelledBody.encode({ reason }), prev, { actor })).state
    })
  }

  /** Record that the endorsed export did not happen (EXPORT_VOIDED): Box 14 cleared, kept in the report. */
  async voidExport (party: string, number: string, reason: string, opts: ActOptions = {}): Promise<PermitState> {
    this.assertOwn(party)
    const actor = checkedActor(opts.actor)
    return await this.#core.locks.run('permit', permitKey(party, number), async () => {
      const prev = await this.existing(party, number)
      checkVoidExport(prev)
      assertNoTraderData(reason, 'export void reason', [await this.#heldPermit(party, number)])
      return (await this.#own.appendPermitEvent(EventType.EXPORT_VOIDED, number, ExportVoidedBody.encode({ reason: reason.slice(0, 500) }), prev, { actor })).state
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
    const actor = checkedActor(input.actor)
    return await c.locks.run('permit', permitKey(party, number), async () => {
      const prev = await this.existing(party, number)
      if (!isDestination(prev, c.party)) throw new NotDestinationError(`${party}/${number} is for ${prev.destination}, not ${c.party}`)
      // One provisional use per permit and destination, ever: after the
      // issuer refused one, only a use the issuer decides online is possible
      // (the issuer writes at most one CLAIM_REFUSED per permit and claimant).
      const earlier = (await this.#claims(party, number)).find((cl) => cl.claimant === c.party)
      if (earlier !== undefined) throw new ProvisionallyConsumedError(`${party}/${number} was already used provisionally on ${new Date(earlier.time).toISOString()} at ${earlier.port} (${earlier.resolution})${earlier.resolution === 'refused' ? '; the issuer refused it, so only a use it confirms online is possible' : ''}`)
      checkConsume(prev, input.lines, c.now())
      const body = ProvisionalBody.encode({ lines: recordedLines(prev, input.lines), port: input.port, officer: officerBeside(actor, input.officer), reason: input.reason.slice(0, 500) })
      let record: ClaimRecord | undefined
      await this.#own.append(EventType.PROVISIONAL_CONSUMED, party, number, body, (event) => {
        const r = claimRecordOf(event)
        record = r
        c.claimed.add(permitKey(party, number))
        return [put('CLAIM', claimKey(party, number, c.party, r.seq), r)]
      }, actor)
      if (record === undefined) throw new Error('unreachable: the claim was appended without its record')
      return { ...record, resolution: 'provisional' }
    })
  }
}
