/**
 * The ledger: one LevelDB per node holding one append-only, signed, hash-
 * chained log per authority (its own, and verified replicas of the others),
 * checkpoints over them, and indexes derived from the logs.
 *
 * Every check-and-write on a permit runs inside a single-writer section for
 * that permit and lands in one atomic batch; the node's own events are
 * written with `sync: true` before anyone is answered.
 */
import { Level } from 'level'
import { permitParty, permitDestination, type Permit } from '@cites/permit'
import { signPermit, verifySignedPermit, type Signer, type TrustedCertificate } from '@cites/xml-signature'
import {
  ConsumedBody, CancelledBody, ClaimRefusedBody, EndorsedBody, EventType, IssuedBody, ProvisionalBody, ReplacedBody, UseRefusedBody, type Event
} from './pb/ledger.js'
import {
  decodeCheckpoint, decodeEvent, hex, leafOf, sha256, signCheckpoint, signEvent, verifyCheckpointSignature, verifyEventSignature,
  type LoggedCheckpoint, type LoggedEvent
} from './events.js'
import {
  InvalidEventError, LedgerError, NotIssuerError, PermitAlreadyIssuedError, PermitNotFoundError, PermitNotSignedError,
  LedgerOpenError, LedgerReadOnlyError, PermitNumberInvalidError, SignerNotTrustedError, NotDestinationError, ProvisionallyConsumedError,
  ClaimInvalidError, type EventRejection
} from './errors.js'
import { KeyedMutex } from './mutex.js'
import { consistencyProof, frontierAppend, frontierRoot, inclusionProof, rootOf, type Hash } from './merkle.js'
import {
  SCHEMA_VERSION, Sublevel, checkpointKey, claimKey, dateIndexKey, logKey, pad, permitKey, prefixEnd, speciesIndexKey, statusIndexKey
} from './keys.js'
import {
  checkCancel, checkConsume, checkEndorse, checkReplace, derivedStatus, type ClaimRef, type LineQty, type PermitState, type PermitStatus, type Receipt
} from './state.js'

/** Where the ledger gets trusted certificates: a TrustStore fits. */
export interface TrustSource {
  certificatesFor: (party: string) => readonly TrustedCertificate[] | undefined
}

export interface LedgerInit {
  /** Folder of the LevelDB. */
  location: string
  /**
   * This node's party (the author of its own log). Recorded at creation;
   * optional when opening an existing ledger, and refused if it differs.
   */
  party?: string
  /** This authority's permit-signing key. Without it the ledger is read-only (reports, queries, verification). */
  signer?: Signer
  trust: TrustSource
  /** Sign a checkpoint every K own events. @default 1000 */
  checkpointInterval?: number
  /** Clock (ms), injectable for tests. @default Date.now */
  now?: () => number
}

/** What a node records about a log it holds. */
export interface LogHead {
  size: number
  /** Hex SHA-256 of the last Event's bytes ('' when empty). */
  hash: string
  /** Hex Merkle frontier (compact range) of the log. */
  frontier: string[]
}

/** Delivery states, as the ePhyto hub tracks them. */
export type DeliveryState = 'pending' | 'delivered' | 'failed'

/** The push of an own ISSUED event to the destination authority. */
export interface DeliveryRecord {
  party: string
  number: string
  destination: string
  seq: number
  /** Hex hash of the ISSUED event. */
  eventHash: string
  state: DeliveryState
  attempts: number
  /** When to try next (ms); 0: now. */
  nextAttempt: number
  lastError?: string
  /** The destination's signed acknowledgement or refusal (hex), once received. */
  ack?: string
  /** With a refusal: the destination's verdict codes. */
  codes?: string[]
}

export type AlertKind = 'EQUIVOCATION' | 'TRANSITION_REFUSED' | 'CHECKPOINT_MISMATCH' | 'DIVERTED_USE' | 'CLAIM_REFUSED' | 'PERMIT_SIGNATURE_INVALID'

export interface Alert {
  id: string
  time: string
  kind: AlertKind
  author: string
  seq?: number
  size?: number
  message: string
  /** EVIDENCE sublevel keys of the conflicting records. */
  evidence?: string[]
}

export type AcceptStatus = 'accepted' | 'duplicate' | 'held' | 'fork'
export interface AcceptResult { status: AcceptStatus, author: string, seq: number }

export interface ActionInput {
  lines: LineQty[]
  /** UN/LOCODE of the port. */
  port: string
  officer?: string
  /** When the endorsement was made (ms); defaults to now. */
  date?: number
}

export interface ConsumeInput extends ActionInput {
  /** The destination party asking. @default the permit's destination */
  consumingParty?: string
  /** The destination's signed request bytes, when it came over the network. */
  request?: Uint8Array
  /**
   * Confirming a provisional use: when the goods were cleared (ms). The
   * permit is judged at that time, not now. @default now
   */
  usedAt?: number
  /** Confirming a provisional use: the destination's PROVISIONAL_CONSUMED event (log position, hex hash). */
  claim?: { seq: number, hash: string }
}

export interface ProvisionalInput extends ActionInput {
  /** Why the issuer was not asked, in plain words (kept in the event). */
  reason: string
}

/** A destination's PROVISIONAL_CONSUMED event, as derived from its log. */
export interface ClaimRecord extends ClaimRef {
  party: string
  number: string
  /** When the goods were cleared (ms): the event's time. */
  time: number
  lines: LineQty[]
  port: string
  officer: string
  reason: string
}

/** A claim with what the issuer's log says of it. */
export interface ClaimView extends ClaimRecord {
  /** `provisional` until the issuer's log confirms (CONSUMED naming it) or refuses it (CLAIM_REFUSED). */
  resolution: 'provisional' | 'confirmed' | 'refused'
  /** For `refused`: the issuer's code. */
  code?: string
  message?: string
}

export interface EventView {
  author: string
  seq: number
  type: string
  time: string
  hash: string
  body: Record<string, unknown>
}

export interface PermitView {
  state: PermitState
  status: PermitStatus
  history: EventView[]
  /** Provisional uses recorded by destinations, with their resolution. */
  claims: ClaimView[]
}

export interface ListFilter {
  party?: string
  species?: string
  status?: PermitStatus
  /** Issue time range, inclusive, ms. */
  from?: number
  to?: number
}

export interface Page { limit?: number, after?: string }
export interface ListResult { items: Array<{ state: PermitState, status: PermitStatus }>, next?: string }

export interface LogProblem { seq: number, code: string, message: string }
export interface LogVerification { author: string, size: number, ok: boolean, problems: LogProblem[], checkpointsChecked: number }

const PERMIT_NUMBER_RE = /^[A-Za-z0-9][A-Za-z0-9./_ -]{0,63}$/
const ZERO = new Uint8Array(0)
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'))
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0

type Json = Record<string, unknown>
type SubMap = Record<keyof typeof Sublevel, ReturnType<Level<string, unknown>['sublevel']>>
/** Permit states kept in memory (a few hundred bytes each). */
const STATE_CACHE = 10_000

/** Cached states are shared by every reader: frozen, so that no reader can change another's. */
function deepFreeze<T> (o: T): T {
  if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o)
    for (const v of Object.values(o)) deepFreeze(v)
  }
  return o
}

type BatchOp = { type: 'put', sublevel: unknown, key: string, value: unknown } | { type: 'del', sublevel: unknown, key: string }

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
      return { documentType: b.documentType, destination: b.destination, exporterCountry: b.exporterCountry, validFrom: new Date(Number(b.validFrom)).toISOString(), validUntil: new Date(Number(b.validUntil)).toISOString(), xmlSha256: hex(b.xmlSha256), lines: b.lines.map((l) => ({ line: l.line, scientificName: l.scientificName, quantity: l.quantity, unit: l.unit })) }
    }
    case EventType.EXPORT_ENDORSED: {
      const b = EndorsedBody.decode(body)
      return { lines: b.lines, port: b.port, officer: b.officer, date: new Date(Number(b.date)).toISOString() }
    }
    case EventType.CONSUMED: {
      const b = ConsumedBody.decode(body)
      return { lines: b.lines, port: b.port, officer: b.officer, consumingParty: b.consumingParty }
    }
    case EventType.CANCELLED: return { reason: CancelledBody.decode(body).reason }
    case EventType.REPLACED: {
      const b = ReplacedBody.decode(body)
      return { replacementNumber: b.replacementNumber, reason: b.reason }
    }
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

/** An event as people read it: type, time, hash and the body's fields. */
export function viewEvent (le: LoggedEvent): EventView {
  const e = le.event
  return { author: e.author, seq: Number(e.seq), type: e.type, time: new Date(Number(e.time)).toISOString(), hash: hex(le.hash), body: bodyView(e.type, e.body) }
}

function claimRecordOf (le: LoggedEvent): ClaimRecord {
  const e = le.event
  const b = ProvisionalBody.decode(e.body)
  return {
    party: e.permitParty, number: e.permitNumber, claimant: e.author, seq: Number(e.seq), hash: hex(le.hash), time: Number(e.time),
    lines: b.lines.map(lineQty), port: b.port, officer: b.officer, reason: b.reason
  }
}

/** A claim's resolution, from the issuer's log as held here. */
function resolveClaim (r: ClaimRecord, issuer: PermitState | undefined): ClaimView {
  const same = (c: ClaimRef | undefined): boolean => c !== undefined && c.claimant === r.claimant && c.seq === r.seq && c.hash === r.hash
  if (same(issuer?.consumption?.claim)) return { ...r, resolution: 'confirmed' }
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
  const label = `${e.permitParty}/${e.permitNumber}`
  if (e.type === EventType.ISSUED) {
    if (prev !== undefined) throw new PermitAlreadyIssuedError(`${label} was already issued`)
    const b = IssuedBody.decode(e.body)
    return {
      party: e.permitParty,
      number: e.permitNumber,
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
      next.endorsement = { lines, port: b.port, officer: b.officer, date: Number(b.date), seq }
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
      next.status = 'CONSUMED'
      next.consumption = {
        party: e.permitParty, number: e.permitNumber, consumedAt: new Date(usedAt).toISOString(), port: b.port, officer: b.officer,
        consumingParty: b.consumingParty, lines, seq, eventHash: hex(le.hash)
      }
      if (b.claimSeq !== 0n) next.consumption.claim = { claimant: b.consumingParty, seq: Number(b.claimSeq), hash: hex(b.claimHash) }
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
      next.cancellation = { reason: CancelledBody.decode(e.body).reason, time, seq }
      return next
    }
    case EventType.REPLACED: {
      checkReplace(prev)
      const b = ReplacedBody.decode(e.body)
      next.status = 'REPLACED'
      next.replacement = { number: b.replacementNumber, reason: b.reason, time, seq }
      return next
    }
    default:
      throw new InvalidEventError('EVENT_MALFORMED', `unknown event type ${String(e.type)}`, seq)
  }
}

export class Ledger {
  readonly party: string
  readonly #db: Level<string, unknown>
  readonly #sub: SubMap
  readonly #signer: Signer | undefined
  readonly #trust: TrustSource
  readonly #interval: number
  readonly #now: () => number
  readonly #heads = new Map<string, LogHead>()
  readonly #permitLock = new KeyedMutex()
  readonly #logLock = new KeyedMutex()
  readonly #indexLock = new KeyedMutex()
  /** Per author: how many of its events the permit states reflect. */
  readonly #indexed = new Map<string, number>()
  readonly #indexing = new Map<string, Promise<void>>()
  readonly #indexTimers = new Map<string, NodeJS.Timeout>()
  readonly #ownListeners = new Set<(e: LoggedEvent) => void>()
  /** Authors with events held back after a gap (loaded at open). */
  readonly #pendingAuthors = new Set<string>()
  #indexError: Error | undefined
  #alertCounter = 0
  /**
   * Permits (`party!number`) with at least one claim held. Claims are rare;
   * knowing which permits have none spares the customs hot path a read.
   * Loaded at open, added to with every claim written.
   */
  readonly #claimed = new Set<string>()
  /** Hot permit states: customs ask about the same permits again and again (see #state and #batch). */
  readonly #stateCache = new Map<string, PermitState>()
  #stateGen = 0

  private constructor (init: LedgerInit, party: string, db: Level<string, unknown>) {
    this.party = party
    this.#db = db
    this.#signer = init.signer
    this.#trust = init.trust
    this.#interval = init.checkpointInterval ?? 1000
    this.#now = init.now ?? Date.now
    const bin = { keyEncoding: 'utf8', valueEncoding: 'view' } as const
    const json = { keyEncoding: 'utf8', valueEncoding: 'json' } as const
    this.#sub = {
      LOG: db.sublevel(Sublevel.LOG, bin),
      HEAD: db.sublevel(Sublevel.HEAD, json),
      CHECKPOINT: db.sublevel(Sublevel.CHECKPOINT, bin),
      PENDING: db.sublevel(Sublevel.PENDING, bin),
      EVIDENCE: db.sublevel(Sublevel.EVIDENCE, bin),
      PERMIT: db.sublevel(Sublevel.PERMIT, json),
      INDEX: db.sublevel(Sublevel.INDEX, { keyEncoding: 'utf8', valueEncoding: 'utf8' }),
      ALERT: db.sublevel(Sublevel.ALERT, json),
      DELIVERY: db.sublevel(Sublevel.DELIVERY, json),
      CLAIM: db.sublevel(Sublevel.CLAIM, json),
      META: db.sublevel(Sublevel.META, json)
    } as unknown as SubMap
  }

  /** Open (or create) a ledger. */
  static async open (init: LedgerInit): Promise<Ledger> {
    const db = new Level<string, unknown>(init.location, { keyEncoding: 'utf8', valueEncoding: 'json' })
    await db.open()
    let l: Ledger
    try {
      const meta = db.sublevel<string, unknown>(Sublevel.META, { keyEncoding: 'utf8', valueEncoding: 'json' })
      const schema = await meta.get('schema') as number | undefined
      const stored = await meta.get('party') as string | undefined
      if (schema !== undefined && schema !== SCHEMA_VERSION) throw new LedgerOpenError(`ledger schema ${schema} is not ${SCHEMA_VERSION}`)
      if (stored !== undefined && init.party !== undefined && stored !== init.party) throw new LedgerOpenError(`this ledger belongs to ${stored}, not ${init.party}`)
      const party = stored ?? init.party
      if (party === undefined) throw new LedgerOpenError(`${init.location} holds no ledger yet; give the party to create one`)
      if (schema === undefined || stored === undefined) await meta.batch([{ type: 'put', key: 'schema', value: SCHEMA_VERSION }, { type: 'put', key: 'party', value: party }])
      l = new Ledger(init, party, db)
    } catch (err) {
      await db.close()
      throw err
    }
    for await (const [author, head] of l.#sub.HEAD.iterator()) l.#heads.set(author as string, head as LogHead)
    for await (const [k, v] of l.#sub.META.iterator({ gt: 'indexed!', lt: 'indexed!\xff' })) l.#indexed.set((k as string).slice(8), v as number)
    for await (const k of l.#sub.PENDING.keys()) l.#pendingAuthors.add((k as string).split('!')[0] as string)
    for await (const v of l.#sub.CLAIM.values()) l.#claimed.add(permitKey((v as ClaimRecord).party, (v as ClaimRecord).number))
    // Resume indexing interrupted by a stop or crash.
    for (const a of l.#heads.keys()) if (l.#head(a).size > l.#indexedSize(a)) l.#scheduleIndex(a)
    return l
  }

  async close (): Promise<void> {
    // Let background indexing finish its page: it resumes on the next open anyway.
    for (const t of this.#indexTimers.values()) clearTimeout(t)
    this.#indexTimers.clear()
    await Promise.allSettled([...this.#indexing.values()])
    await this.#db.close()
  }

  /**
   * Call `fn` with each event this node appends to its own log, once it is
   * on disk. Returns the function that stops the calls.
   */
  onOwnEvent (fn: (e: LoggedEvent) => void): () => void {
    this.#ownListeners.add(fn)
    return () => { this.#ownListeners.delete(fn) }
  }

  /** Size and last hash of every log held. */
  heads (): Map<string, LogHead> {
    return new Map(this.#heads)
  }

  #head (author: string): LogHead {
    return this.#heads.get(author) ?? { size: 0, hash: '', frontier: [] }
  }

  async #state (party: string, number: string): Promise<PermitState | undefined> {
    // A replica's state is derived after its events land: never read it stale.
    if (this.#head(party).size > this.#indexedSize(party)) await this.waitForIndex(party)
    const key = permitKey(party, number)
    const hit = this.#stateCache.get(key)
    if (hit !== undefined) return hit
    const gen = this.#stateGen
    const s = await this.#sub.PERMIT.get(key) as PermitState | undefined
    // Cached only if no batch writing states landed meanwhile.
    if (s !== undefined && gen === this.#stateGen) {
      if (this.#stateCache.size >= STATE_CACHE) this.#stateCache.delete(this.#stateCache.keys().next().value as string)
      this.#stateCache.set(key, deepFreeze(s))
    }
    return s
  }

  /**
   * Write a batch; once it has landed, drop the permit states it wrote from
   * the cache and move the generation on, so that a read which raced the
   * batch does not cache what it read. (A reader served the old state while
   * the batch is in flight saw the write before it completed: allowed.)
   */
  async #batch (ops: BatchOp[], opts: { sync?: boolean } = {}): Promise<void> {
    try {
      await this.#db.batch(ops as never, opts)
    } finally {
      const keys = ops.filter((o) => o.sublevel === this.#sub.PERMIT).map((o) => o.key)
      if (keys.length > 0) {
        this.#stateGen++
        for (const k of keys) this.#stateCache.delete(k)
      }
    }
  }

  #stateOps (prev: PermitState | undefined, next: PermitState): BatchOp[] {
    const ops: BatchOp[] = [{ type: 'put', sublevel: this.#sub.PERMIT, key: permitKey(next.party, next.number), value: next }]
    const before = indexKeysOf(prev)
    const after = indexKeysOf(next)
    for (const k of before) if (!after.has(k)) ops.push({ type: 'del', sublevel: this.#sub.INDEX, key: k })
    for (const k of after) if (!before.has(k)) ops.push({ type: 'put', sublevel: this.#sub.INDEX, key: k, value: permitKey(next.party, next.number) })
    return ops
  }

  #alertOp (a: Omit<Alert, 'id' | 'time'>): BatchOp {
    const t = this.#now()
    const id = `${pad(t, 13)}!${pad(this.#alertCounter++ % 1_000_000, 6)}`
    return { type: 'put', sublevel: this.#sub.ALERT, key: id, value: { id, time: new Date(t).toISOString(), ...a } }
  }

  // ---- own writes ------------------------------------------------------

  /**
   * Append an event to this node's own log: sign it, apply it to the
   * permit's state, and write log, head, state, indexes (and a checkpoint
   * every K events) in one synced batch. Caller holds the permit's lock.
   */
  async #appendOwn (type: EventType, number: string, body: Uint8Array, prev: PermitState | undefined, extra: (state: PermitState) => BatchOp[] = () => []): Promise<{ event: LoggedEvent, state: PermitState }> {
    let state: PermitState | undefined
    const event = await this.#appendOwnEvent(type, this.party, number, body, (event) => {
      state = applyEvent(prev, event)
      const ops: BatchOp[] = [...this.#stateOps(prev, state), ...extra(state)]
      if (type === EventType.ISSUED && state.destination !== '' && state.destination !== this.party) {
        // The push to the destination is owed from the moment the event is
        // durable: queued in the same batch, so a crash cannot lose it.
        const d: DeliveryRecord = { party: this.party, number, destination: state.destination, seq: Number(event.event.seq), eventHash: hex(event.hash), state: 'pending', attempts: 0, nextAttempt: 0 }
        ops.push({ type: 'put', sublevel: this.#sub.DELIVERY, key: permitKey(this.party, number), value: d })
      }
      return ops
    })
    return { event, state: state as PermitState }
  }

  /**
   * Sign and append one event to the own log; `derive` gives the derived-
   * state writes that land in the same synced batch (it may throw the
   * ledger's refusal, and then nothing is written).
   */
  async #appendOwnEvent (type: EventType, permitParty: string, number: string, body: Uint8Array, derive: (event: LoggedEvent) => BatchOp[]): Promise<LoggedEvent> {
    return await this.#logLock.run(this.party, async () => {
      const head = this.#head(this.party)
      const seq = head.size + 1
      const fields: Omit<Event, 'certSha256'> = {
        author: this.party,
        seq: BigInt(seq),
        prevHash: (head.hash === '' ? ZERO : unhex(head.hash)) as Uint8Array<ArrayBuffer>,
        type,
        permitParty,
        permitNumber: number,
        body: body as Uint8Array<ArrayBuffer>,
        time: BigInt(this.#now())
      }
      const event = await signEvent(fields, this.#requireSigner())
      // The same check a replica makes: our own key must be on the trust
      // list, granted now. A node whose certificate was withdrawn stops writing.
      const check = await verifyEventSignature(event, this.#trust.certificatesFor(this.party))
      if (check !== 'OK') throw new SignerNotTrustedError(`this node's signing certificate does not verify on the trust list now (${check})`)
      const derived = derive(event)
      const frontier = frontierAppend(head.frontier.map(unhex), head.size, event.hash)
      const newHead: LogHead = { size: seq, hash: hex(event.hash), frontier: frontier.map(hex) }
      const ops: BatchOp[] = [
        { type: 'put', sublevel: this.#sub.LOG, key: logKey(this.party, seq), value: event.bytes },
        { type: 'put', sublevel: this.#sub.HEAD, key: this.party, value: newHead },
        ...derived,
        // Own events update the state in the same batch: always indexed.
        { type: 'put', sublevel: this.#sub.META, key: `indexed!${this.party}`, value: seq }
      ]
      if (seq % this.#interval === 0) {
        const cp = await this.#signCheckpoint(newHead)
        ops.push({ type: 'put', sublevel: this.#sub.CHECKPOINT, key: checkpointKey(this.party, seq), value: cp.bytes })
      }
      // Nobody is answered before the batch is on disk (sync), and log,
      // head and state land together or not at all.
      await this.#batch(ops, { sync: true })
      this.#heads.set(this.party, newHead)
      this.#indexed.set(this.party, seq)
      // Tell the network layer (gossip), after the event is durable.
      for (const fn of this.#ownListeners) {
        try { fn(event) } catch { /* a listener's failure never undoes a durable write */ }
      }
      return event
    })
  }

  async #signCheckpoint (head: LogHead): Promise<LoggedCheckpoint> {
    return signCheckpoint({ author: this.party, size: BigInt(head.size), root: frontierRoot(head.frontier.map(unhex)) as Uint8Array<ArrayBuffer>, time: BigInt(this.#now()) }, this.#requireSigner())
  }

  #requireSigner (): Signer {
    if (this.#signer === undefined) throw new LedgerReadOnlyError(`the ledger of ${this.party} was opened without its signing key`)
    return this.#signer
  }

  #own (party: string): void {
    if (party !== this.party) throw new NotIssuerError(`only ${party}'s node writes ${party}'s permits; this node is ${this.party}`)
  }

  async #existing (party: string, number: string): Promise<PermitState> {
    const s = await this.#state(party, number)
    if (s === undefined) throw new PermitNotFoundError(`${party}/${number} is not in the ledger`)
    return s
  }

  /** Sign a permit as this party's MA (rules enforced) and record its issuance. */
  async issue (permit: Permit): Promise<{ state: PermitState, event: LoggedEvent, signedXml: string }> {
    const signedXml = await signPermit(permit, this.#requireSigner(), this.party, undefined, new Date(this.#now()))
    const { state, event } = await this.#recordIssued(permit.issueDate === undefined ? { ...permit, issueDate: new Date(this.#now()).toISOString() } : permit, signedXml)
    return { state, event, signedXml }
  }

  /**
   * Record a permit this party signed elsewhere (its own permit system).
   * The XML must verify against the trust list as this party's.
   */
  async recordSigned (signedXml: string): Promise<{ state: PermitState, event: LoggedEvent }> {
    const v = await verifySignedPermit(signedXml, { certificatesFor: (p) => this.#trust.certificatesFor(p), now: new Date(this.#now()) })
    const bad = v.checks.filter((c) => (c.name === 'integrity' || c.name === 'issuer' || c.name === 'rules') && c.status !== 'VALID')
    if (bad.length > 0 || v.permit === undefined) {
      throw new PermitNotSignedError(`the permit is not validly signed: ${bad.map((c) => c.reason.code).join(', ')}`, bad.map((c) => ({ check: c.name, code: c.reason.code, message: c.reason.message })))
    }
    return await this.#recordIssued(v.permit, signedXml)
  }

  async #recordIssued (permit: Permit, signedXml: string): Promise<{ state: PermitState, event: LoggedEvent }> {
    const party = permitParty(permit) ?? ''
    this.#own(party)
    if (!PERMIT_NUMBER_RE.test(permit.number)) throw new PermitNumberInvalidError(`permit number "${permit.number.slice(0, 70)}" has characters a ledger key cannot hold (use letters, digits, . / _ - and spaces)`)
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
    return await this.#permitLock.run(permitKey(party, permit.number), async () => {
      if (await this.#state(party, permit.number) !== undefined) throw new PermitAlreadyIssuedError(`${party}/${permit.number} was already issued`)
      return await this.#appendOwn(EventType.ISSUED, permit.number, body, undefined)
    })
  }

  /** Record the export endorsement (Box 14). */
  async endorse (party: string, number: string, input: ActionInput): Promise<PermitState> {
    this.#own(party)
    return await this.#permitLock.run(permitKey(party, number), async () => {
      const prev = await this.#existing(party, number)
      const date = input.date ?? this.#now()
      checkEndorse(prev, input.lines, this.#now())
      const body = EndorsedBody.encode({ lines: input.lines, port: input.port, officer: input.officer ?? '', date: BigInt(date) })
      return (await this.#appendOwn(EventType.EXPORT_ENDORSED, number, body, prev)).state
    })
  }

  /**
   * Record the use of a permit at import. Exactly once: a second attempt is
   * refused with ALREADY_CONSUMED and the first receipt as evidence.
   */
  async consume (party: string, number: string, input: ConsumeInput): Promise<Receipt> {
    this.#own(party)
    return await this.#permitLock.run(permitKey(party, number), async () => {
      const prev = await this.#existing(party, number)
      const now = this.#now()
      const consumingParty = input.consumingParty ?? prev.destination
      const claim = input.claim
      if (claim !== undefined) {
        // Confirming a provisional use is idempotent: a claimant that lost our
        // answer asks again and gets the same receipt.
        const c = prev.consumption?.claim
        if (c !== undefined && c.claimant === consumingParty && c.seq === claim.seq && c.hash === claim.hash) return prev.consumption as Receipt
        if (!(claim.seq >= 1 && /^[0-9a-f]{64}$/.test(claim.hash))) throw new ClaimInvalidError('a claim is named by its sequence number (≥ 1) and 32-byte hash')
      }
      const usedAt = input.usedAt ?? now
      if (usedAt > now) throw new ClaimInvalidError(`the time of use ${new Date(usedAt).toISOString()} is in the future`)
      checkConsume(prev, input.lines, usedAt)
      const body = ConsumedBody.encode({
        lines: input.lines, port: input.port, officer: input.officer ?? '', consumingParty,
        request: (input.request ?? ZERO) as Uint8Array<ArrayBuffer>,
        usedAt: input.usedAt === undefined ? 0n : BigInt(usedAt),
        claimSeq: BigInt(claim?.seq ?? 0),
        claimHash: (claim === undefined ? ZERO : unhex(claim.hash)) as Uint8Array<ArrayBuffer>
      })
      const { state } = await this.#appendOwn(EventType.CONSUMED, number, body, prev)
      return state.consumption as Receipt
    })
  }

  /**
   * The issuer refuses a destination's provisional claim (for example the
   * permit was used or cancelled meanwhile): a signed CLAIM_REFUSED event in
   * its own log, gossiped to every authority, and an alert here. Refusing the
   * same claim again returns the first refusal.
   */
  async refuseClaim (number: string, ref: ClaimRef, code: string, message: string, evidenceSeq?: number): Promise<{ event: Uint8Array, state: PermitState }> {
    if (!(ref.seq >= 1 && /^[0-9a-f]{64}$/.test(ref.hash) && ref.claimant !== this.party)) throw new ClaimInvalidError('a claim is named by its claimant, sequence number (≥ 1) and 32-byte hash')
    return await this.#recordRefusalOnce(number,
      (prev) => prev.refusedClaims?.find((r) => r.claimant === ref.claimant && r.seq === ref.seq && r.hash === ref.hash)?.refusedSeq,
      EventType.CLAIM_REFUSED,
      ClaimRefusedBody.encode({
        claimant: ref.claimant, claimSeq: BigInt(ref.seq), claimHash: unhex(ref.hash) as Uint8Array<ArrayBuffer>, code, message: message.slice(0, 500),
        evidenceSeq: BigInt(evidenceSeq ?? 0)
      }),
      () => ({ kind: 'CLAIM_REFUSED', author: ref.claimant, seq: ref.seq, message: `${ref.claimant}'s provisional use of ${this.party}/${number} (#${ref.seq}) refused: ${code}` }))
  }

  /**
   * The issuer records that a listed authority other than the destination
   * asked to use one of its permits (a diverted copy): a signed USE_REFUSED
   * event, gossiped to every authority, and a DIVERTED_USE alert here; the
   * destination raises its own alert when the event reaches it. One event per
   * permit and requester: a repeated attempt only returns the first.
   */
  async refuseUse (number: string, r: { requester: string, port: string, code: string, message: string }): Promise<{ event: Uint8Array, state: PermitState }> {
    return await this.#recordRefusalOnce(number,
      (prev) => prev.refusedUses?.find((u) => u.requester === r.requester)?.seq,
      EventType.USE_REFUSED,
      UseRefusedBody.encode({ requester: r.requester, port: r.port.slice(0, 16), code: r.code, message: r.message.slice(0, 500) }),
      (prev) => ({ kind: 'DIVERTED_USE', author: r.requester, message: `${r.requester} asked to use ${this.party}/${number}, which is for ${prev.destination}, at ${r.port}` }))
  }

  /**
   * Append a refusal event to one of this node's permits, with its alert in
   * the same batch, unless `already` finds it on record: then its event is
   * returned again (a repeated request gets the first answer).
   */
  async #recordRefusalOnce (number: string, already: (prev: PermitState) => number | undefined, type: EventType, body: Uint8Array, alert: (prev: PermitState) => Omit<Alert, 'id' | 'time'>): Promise<{ event: Uint8Array, state: PermitState }> {
    return await this.#permitLock.run(permitKey(this.party, number), async () => {
      const prev = await this.#existing(this.party, number)
      const seq = already(prev)
      if (seq !== undefined) {
        const [first] = await this.eventsFrom(this.party, seq, 1)
        return { event: first as Uint8Array, state: prev }
      }
      const { event, state } = await this.#appendOwn(type, number, body, prev, () => [this.#alertOp(alert(prev))])
      return { event: event.bytes, state }
    })
  }

  /**
   * The destination records a use at import while the issuer cannot be
   * reached: a PROVISIONAL_CONSUMED event in this node's own log, judged
   * against its replica of the issuer's log. At most one unresolved claim per
   * permit here; the issuer confirms or refuses it later.
   */
  async consumeProvisionally (party: string, number: string, input: ProvisionalInput): Promise<ClaimView> {
    if (party === this.party) throw new NotIssuerError(`${party}'s own permits are consumed directly, not provisionally`)
    return await this.#permitLock.run(permitKey(party, number), async () => {
      const prev = await this.#existing(party, number)
      if (prev.destination !== this.party) throw new NotDestinationError(`${party}/${number} is for ${prev.destination}, not ${this.party}`)
      const open = (await this.claims(party, number)).find((c) => c.resolution !== 'refused')
      if (open !== undefined) throw new ProvisionallyConsumedError(`${party}/${number} was already used provisionally on ${new Date(open.time).toISOString()} at ${open.port} (${open.resolution})`)
      checkConsume(prev, input.lines, this.#now())
      const body = ProvisionalBody.encode({ lines: input.lines, port: input.port, officer: input.officer ?? '', reason: input.reason.slice(0, 500) })
      let record: ClaimRecord | undefined
      await this.#appendOwnEvent(EventType.PROVISIONAL_CONSUMED, party, number, body, (event) => {
        record = claimRecordOf(event)
        this.#claimed.add(permitKey(party, number))
        return [{ type: 'put', sublevel: this.#sub.CLAIM, key: claimKey(party, number, this.party, record.seq), value: record }]
      })
      return { ...(record as ClaimRecord), resolution: 'provisional' }
    })
  }

  /** Provisional claims on a permit (from every destination log held here), with their resolution in the issuer's log. */
  async claims (party: string, number: string): Promise<ClaimView[]> {
    // Claims come from any destination's log: never read them stale.
    await this.#indexedAll()
    if (!this.#claimed.has(permitKey(party, number))) return []
    const prefix = `${party}!${number}!`
    const records: ClaimRecord[] = []
    for await (const v of this.#sub.CLAIM.values({ gt: prefix, lt: prefixEnd(prefix) })) records.push(v as ClaimRecord)
    if (records.length === 0) return []
    const state = await this.#state(party, number)
    return records.map((r) => resolveClaim(r, state))
  }

  /** This node's own claims the issuer has not yet confirmed or refused: what to submit when it is reachable. */
  async openClaims (): Promise<ClaimView[]> {
    await this.#indexedAll()
    const out: ClaimView[] = []
    for await (const v of this.#sub.CLAIM.values()) {
      const r = v as ClaimRecord
      if (r.claimant !== this.party) continue
      const c = resolveClaim(r, await this.#state(r.party, r.number))
      if (c.resolution === 'provisional') out.push(c)
    }
    return out
  }

  async cancel (party: string, number: string, reason: string): Promise<PermitState> {
    this.#own(party)
    return await this.#permitLock.run(permitKey(party, number), async () => {
      const prev = await this.#existing(party, number)
      checkCancel(prev)
      return (await this.#appendOwn(EventType.CANCELLED, number, CancelledBody.encode({ reason }), prev)).state
    })
  }

  async replace (party: string, number: string, replacementNumber: string, reason: string): Promise<PermitState> {
    this.#own(party)
    return await this.#permitLock.run(permitKey(party, number), async () => {
      const prev = await this.#existing(party, number)
      checkReplace(prev)
      return (await this.#appendOwn(EventType.REPLACED, number, ReplacedBody.encode({ replacementNumber, reason }), prev)).state
    })
  }

  /**
   * Background permit checks (ledger.md §4.1): the last sequence number of
   * `author`'s log whose ISSUED documents have had their full XML-DSig check.
   */
  async permitCheckCursor (author: string): Promise<number> {
    return (await this.#sub.META.get(`checked!${author}`) as number | undefined) ?? 0
  }

  /**
   * Move the permit-check cursor of `author`'s log to `seq`, and record a
   * PERMIT_SIGNATURE_INVALID alert for each ISSUED document that failed, in
   * one batch (so a crash neither skips a check nor alerts twice).
   */
  async recordPermitChecks (author: string, seq: number, invalid: ReadonlyArray<{ seq: number, number: string, codes: string[] }> = []): Promise<void> {
    const ops: BatchOp[] = [{ type: 'put', sublevel: this.#sub.META, key: `checked!${author}`, value: seq }]
    for (const f of invalid) ops.push(this.#alertOp({ kind: 'PERMIT_SIGNATURE_INVALID', author, seq: f.seq, message: `${author}/${f.number} (#${f.seq}): the signed document recorded by ${author} fails its XML-DSig check (${f.codes.join(', ')})` }))
    await this.#db.batch(ops as never)
  }

  /** Sign a checkpoint of this node's log now. */
  async checkpoint (): Promise<LoggedCheckpoint> {
    return await this.#logLock.run(this.party, async () => {
      const head = this.#head(this.party)
      const cp = await this.#signCheckpoint(head)
      await this.#sub.CHECKPOINT.put(checkpointKey(this.party, head.size), cp.bytes as never)
      return cp
    })
  }

  // ---- replicas --------------------------------------------------------

  /** Accept one event of another authority's log. See {@link acceptEvents}. */
  async acceptEvent (bytes: Uint8Array): Promise<AcceptResult> {
    const [r] = await this.acceptEvents([bytes])
    if (r === undefined) throw new InvalidEventError('EVENT_MALFORMED', 'no event')
    return r
  }

  /**
   * Accept events of other authorities' logs (gossip, delivery, sync). Each
   * is checked: signature against the trust list at the event's time,
   * sequence number, previous hash. A gap is held back (status `held`) until
   * the missing events arrive; a duplicate is a no-op; a second, different
   * event at a sequence number already held is an equivocation: both are kept
   * as evidence and an alert is raised (status `fork`). Accepted events are
   * written in one batch per author. Throws {@link InvalidEventError} for an
   * event that is malformed or not signed by its author.
   *
   * With `checkpoint` (a sync page): when the page is exactly the events up to
   * the checkpoint's size and the Merkle root matches, one checkpoint
   * signature stands for the page's per-event signatures.
   */
  async acceptEvents (list: readonly Uint8Array[], opts: { checkpoint?: Uint8Array } = {}): Promise<AcceptResult[]> {
    const decoded: LoggedEvent[] = []
    const echoes: AcceptResult[] = []
    for (const bytes of list) {
      let le: LoggedEvent
      try {
        le = decodeEvent(bytes)
      } catch (err) {
        throw new InvalidEventError('EVENT_MALFORMED', `event does not decode: ${(err as Error).message}`)
      }
      const e = le.event
      if (e.author === this.party) {
        // Our own log is written only by us: compare, never accept.
        const mine = await this.#sub.LOG.get(logKey(e.author, Number(e.seq))) as Uint8Array | undefined
        if (mine !== undefined && Buffer.compare(Buffer.from(mine), Buffer.from(bytes)) === 0) {
          echoes.push({ status: 'duplicate', author: e.author, seq: Number(e.seq) })
          continue
        }
        throw new InvalidEventError('EVENT_WRONG_LOG', `an event claiming to be from this node's own log (${e.author} #${e.seq}) that it did not write`, Number(e.seq))
      }
      // Only a provisional use refers to another party's permit; and it always does.
      if ((e.permitParty !== e.author) !== (e.type === EventType.PROVISIONAL_CONSUMED)) throw new InvalidEventError('EVENT_WRONG_LOG', `${e.author} cannot write a ${String(e.type)} event of ${e.permitParty}'s permit`, Number(e.seq))
      if (e.seq < 1n || e.type === EventType.EVENT_TYPE_UNSPECIFIED) throw new InvalidEventError('EVENT_MALFORMED', 'sequence numbers start at 1 and the type must be set', Number(e.seq))
      decoded.push(le)
    }
    let cp: LoggedCheckpoint | undefined
    if (opts.checkpoint !== undefined) {
      try {
        cp = decodeCheckpoint(opts.checkpoint)
      } catch (err) {
        throw new InvalidEventError('CHECKPOINT_INVALID', `checkpoint does not decode: ${(err as Error).message}`)
      }
      const sig = await verifyCheckpointSignature(cp, this.#trust.certificatesFor(cp.checkpoint.author))
      if (sig !== 'OK') throw new InvalidEventError(sig === 'EVENT_UNKNOWN_AUTHOR' ? 'EVENT_UNKNOWN_AUTHOR' : 'CHECKPOINT_INVALID', `checkpoint of ${cp.checkpoint.author}: ${sig}`)
    }
    const byAuthor = new Map<string, LoggedEvent[]>()
    for (const le of decoded) {
      const arr = byAuthor.get(le.event.author) ?? []
      arr.push(le)
      byAuthor.set(le.event.author, arr)
    }
    const results: AcceptResult[] = [...echoes]
    for (const [author, events] of byAuthor) {
      results.push(...await this.#logLock.run(author, async () => {
        const covered = cp !== undefined && cp.checkpoint.author === author ? this.#coveredBy(author, events, cp) : undefined
        if (covered === undefined) {
          // Signatures are independent of each other: check them
          // concurrently (WebCrypto runs on the thread pool).
          const trusted = this.#trust.certificatesFor(author)
          const sigs = await Promise.all(events.map(async (le) => await verifyEventSignature(le, trusted)))
          for (const [i, verdict] of sigs.entries()) {
            const le = events[i] as LoggedEvent
            if (verdict !== 'OK') throw new InvalidEventError(verdict as EventRejection, `${author} #${le.event.seq}: ${String(verdict)}`, Number(le.event.seq))
          }
        }
        const r = await this.#acceptForAuthor(author, events, covered)
        // Keep the author's checkpoint: it lets this node serve the same
        // page, verified by one signature, to the next node that catches up.
        if (covered !== undefined && cp !== undefined) await this.#sub.CHECKPOINT.put(checkpointKey(author, Number(cp.checkpoint.size)), cp.bytes as never)
        return r
      }))
    }
    return results
  }

  /**
   * A page is covered by a signed checkpoint when it is exactly the events
   * that follow our head up to the checkpoint's size and the Merkle root over
   * our held events plus the page equals the signed root. Each event is then
   * exactly what the author committed to, so the per-event signature checks
   * are skipped (the events keep their signatures, and verifyLog still checks
   * them). Caller holds the author's log lock.
   */
  #coveredBy (author: string, events: readonly LoggedEvent[], cp: LoggedCheckpoint): Hash[] | undefined {
    const head = this.#head(author)
    if (Number(cp.checkpoint.size) !== head.size + events.length) return undefined
    let frontier = head.frontier.map(unhex)
    let size = head.size
    let prev = unhex(head.hash)
    for (const le of events) {
      if (Number(le.event.seq) !== size + 1 || !sameBytes(le.event.prevHash, prev)) return undefined
      frontier = frontierAppend(frontier, size++, leafOf(le))
      prev = le.hash
    }
    // The frontier is handed on, so the accepted page is not hashed twice.
    return Buffer.compare(Buffer.from(frontierRoot(frontier)), Buffer.from(cp.checkpoint.root)) === 0 ? frontier : undefined
  }

  async #acceptForAuthor (author: string, events: LoggedEvent[], precomputed?: Hash[]): Promise<AcceptResult[]> {
    const results: AcceptResult[] = []
    const ops: BatchOp[] = []
    let head = this.#head(author)
    // The frontier stays binary through the page; hex only for the stored head.
    let frontier = head.frontier.map(unhex)
    // A checkpoint-verified page is exactly the events after the head.
    const coveredUpTo = precomputed === undefined ? 0 : head.size + events.length
    const pending = new Map<number, LoggedEvent>()
    for (const le of events) pending.set(Number(le.event.seq), le)
    // Events held back earlier may now fit (and must then leave PENDING).
    const stored = new Set<number>()
    if (this.#pendingAuthors.has(author)) {
      for await (const [, v] of this.#sub.PENDING.iterator({ gt: `${author}!`, lt: prefixEnd(`${author}!`) })) {
        const le = decodeEvent(v as Uint8Array)
        const seq = Number(le.event.seq)
        stored.add(seq)
        if (!pending.has(seq)) pending.set(seq, le)
      }
    }
    const written = new Map<number, LoggedEvent>()
    const handled = new Set<number>()
    // The chain is followed in binary; the head's hex form is made once, at the end.
    let headHash = unhex(head.hash)
    let last: LoggedEvent | undefined
    for (;;) {
      const le = pending.get(head.size + 1)
      if (le === undefined) break
      const seq = head.size + 1
      pending.delete(seq)
      handled.add(seq)
      if (stored.has(seq)) ops.push({ type: 'del', sublevel: this.#sub.PENDING, key: logKey(author, seq) })
      if (!sameBytes(le.event.prevHash, headHash)) {
        // Signed by the author, but it does not follow what the author told
        // us before: a fork of its log.
        ops.push(...this.#forkOps(author, seq, le, undefined, 'its previous-hash does not match the event we hold before it'))
        results.push({ status: 'fork', author, seq })
        continue
      }
      // For a checkpoint-verified page the frontier is already known.
      if (seq <= coveredUpTo) {
        if (seq === coveredUpTo) frontier = precomputed as Hash[]
      } else {
        frontier = frontierAppend(frontier, head.size, leafOf(le))
      }
      head = { size: seq, hash: '', frontier: [] }
      headHash = le.hash
      last = le
      ops.push({ type: 'put', sublevel: this.#sub.LOG, key: logKey(author, seq), value: le.bytes })
      written.set(seq, le)
      results.push({ status: 'accepted', author, seq })
    }
    for (const le of events) {
      const seq = Number(le.event.seq)
      if (handled.has(seq)) continue
      if (seq <= head.size) {
        const held = written.get(seq) ?? await this.#logEvent(author, seq)
        if (held !== undefined && sameBytes(held.eventBytes, le.eventBytes)) {
          results.push({ status: 'duplicate', author, seq })
        } else {
          ops.push(...this.#forkOps(author, seq, le, held, 'two different events with the same sequence number'))
          results.push({ status: 'fork', author, seq })
        }
      } else {
        ops.push({ type: 'put', sublevel: this.#sub.PENDING, key: logKey(author, seq), value: le.bytes })
        results.push({ status: 'held', author, seq })
      }
    }
    // Remember whether anything is still held for this author, so the common
    // case (no gap) never scans PENDING.
    if (last !== undefined) head.hash = hex(last.hash)
    const stillHeld = [...stored].some((seq) => !handled.has(seq)) || results.some((r) => r.status === 'held')
    if (stillHeld) this.#pendingAuthors.add(author)
    else this.#pendingAuthors.delete(author)
    if (head.size !== this.#head(author).size) head.frontier = frontier.map(hex)
    else head = this.#head(author)
    if (head.size !== this.#head(author).size) ops.push({ type: 'put', sublevel: this.#sub.HEAD, key: author, value: head })
    if (ops.length > 0) await this.#db.batch(ops as never)
    this.#heads.set(author, head)
    // The log is the truth and is now on disk; derived state follows in the
    // background, and every read waits for it (see #caughtUp).
    if (head.size > this.#indexedSize(author)) this.#scheduleIndex(author)
    return results
  }

  // ---- derived indexes ---------------------------------------------------

  #indexedSize (author: string): number {
    return this.#indexed.get(author) ?? 0
  }

  /**
   * Index in the background once a burst of incoming events pauses (25 ms),
   * so a catch-up streams pages to disk first and derives state after; any
   * read forces the catch-up at once.
   */
  #scheduleIndex (author: string): void {
    clearTimeout(this.#indexTimers.get(author))
    const t = setTimeout(() => {
      this.#indexTimers.delete(author)
      if (this.#indexing.has(author)) return
      const p = this.#catchUp(author)
        .catch((err: unknown) => { this.#indexError = err as Error })
        .finally(() => {
          this.#indexing.delete(author)
          if (this.#head(author).size > this.#indexedSize(author)) this.#scheduleIndex(author)
        })
      this.#indexing.set(author, p)
    }, 25)
    t.unref() // indexing resumes on the next open; it must not hold the process
    this.#indexTimers.set(author, t)
  }

  /**
   * Apply the author's log to the permit states and indexes, from the last
   * indexed event to the head, in pages; each page and the new watermark land
   * in one batch, so a crash resumes where it stopped.
   */
  async #catchUp (author: string): Promise<void> {
    await this.#indexLock.run(author, async () => {
      for (;;) {
        const from = this.#indexedSize(author) + 1
        const to = this.#head(author).size
        if (from > to) return
        const page: LoggedEvent[] = []
        for await (const v of this.#sub.LOG.values({ gte: logKey(author, from), lte: logKey(author, Math.min(to, from + 1999)) })) page.push(decodeEvent(v as Uint8Array))
        // A provisional claim names another party's permit: it is indexed as a claim, not as a state change.
        const numbers = [...new Set(page.filter((le) => le.event.type !== EventType.PROVISIONAL_CONSUMED).map((le) => le.event.permitNumber))]
        const got = await this.#sub.PERMIT.getMany(numbers.map((n) => permitKey(author, n))) as Array<PermitState | undefined>
        const states = new Map<string, PermitState | undefined>(numbers.map((n, i) => [n, got[i]]))
        const before = new Map(states)
        const ops: BatchOp[] = []
        let last = from - 1
        for (const le of page) {
          const seq = Number(le.event.seq)
          if (seq !== last + 1) break // a hole in the log: verifyLog reports it; index what is contiguous
          last = seq
          const number = le.event.permitNumber
          if (le.event.type === EventType.PROVISIONAL_CONSUMED) {
            const r = claimRecordOf(le)
            this.#claimed.add(permitKey(r.party, r.number))
            ops.push({ type: 'put', sublevel: this.#sub.CLAIM, key: claimKey(r.party, r.number, r.claimant, r.seq), value: r })
            continue
          }
          if (le.event.type === EventType.USE_REFUSED && states.get(number)?.destination === this.party) {
            // A copy of a permit for us was presented elsewhere: the alert reaches the destination too.
            const b = UseRefusedBody.decode(le.event.body)
            ops.push(this.#alertOp({ kind: 'DIVERTED_USE', author, seq, message: `${b.requester} tried to use ${author}/${number}, which is for this authority, at ${b.port}; ${author} refused it (${b.code})` }))
          }
          if (le.event.type === EventType.CLAIM_REFUSED) {
            const b = ClaimRefusedBody.decode(le.event.body)
            // The issuer refused our claim: the alert reaches the claimant too.
            if (b.claimant === this.party) ops.push(this.#alertOp({ kind: 'CLAIM_REFUSED', author, seq, message: `${author} refused this node's provisional use of ${author}/${number} (#${b.claimSeq}): ${b.code}: ${b.message}` }))
          }
          try {
            states.set(number, applyEvent(states.get(number), le))
          } catch (err) {
            if (!(err instanceof LedgerError)) throw err
            // The author signed an illegal transition (e.g. consumed twice). It
            // stays in its log as evidence; the state keeps the first outcome.
            ops.push(this.#alertOp({ kind: 'TRANSITION_REFUSED', author, seq, message: `${author}/${number}: ${err.code}: ${err.message}` }))
          }
        }
        for (const [n, next] of states) if (next !== undefined && next !== before.get(n)) ops.push(...this.#stateOps(before.get(n), next))
        ops.push({ type: 'put', sublevel: this.#sub.META, key: `indexed!${author}`, value: last })
        await this.#batch(ops)
        this.#indexed.set(author, last)
        if (last < from || last < Math.min(to, from + 1999)) return
      }
    })
  }

  async #indexedAll (): Promise<void> {
    for (const a of this.#heads.keys()) if (this.#head(a).size > this.#indexedSize(a)) await this.waitForIndex(a)
  }

  /** Wait until derived state reflects every event held (of one author, or all). */
  async waitForIndex (author?: string): Promise<void> {
    const authors = author === undefined ? [...this.#heads.keys()] : [author]
    for (const a of authors) {
      if (this.#head(a).size > this.#indexedSize(a)) await this.#catchUp(a)
      await this.#indexing.get(a)
    }
    if (this.#indexError !== undefined) {
      const e = this.#indexError
      this.#indexError = undefined
      throw e
    }
  }

  #forkOps (author: string, seq: number, le: LoggedEvent, held: LoggedEvent | undefined, why: string): BatchOp[] {
    const keys = [`${logKey(author, seq)}!${hex(le.hash)}`]
    const ops: BatchOp[] = [{ type: 'put', sublevel: this.#sub.EVIDENCE, key: keys[0] as string, value: le.bytes }]
    if (held !== undefined) {
      const k = `${logKey(author, seq)}!${hex(held.hash)}`
      keys.push(k)
      ops.push({ type: 'put', sublevel: this.#sub.EVIDENCE, key: k, value: held.bytes })
    }
    ops.push(this.#alertOp({ kind: 'EQUIVOCATION', author, seq, message: `${author} equivocated at #${seq}: ${why}`, evidence: keys }))
    return ops
  }

  /**
   * Accept another authority's signed checkpoint. Two different roots for
   * the same size from one author is an equivocation alert; a root that does
   * not match the events we hold is a checkpoint mismatch alert.
   */
  async acceptCheckpoint (bytes: Uint8Array): Promise<'stored' | 'equivocation' | 'mismatch'> {
    let cp: LoggedCheckpoint
    try {
      cp = decodeCheckpoint(bytes)
    } catch (err) {
      throw new InvalidEventError('CHECKPOINT_INVALID', `checkpoint does not decode: ${(err as Error).message}`)
    }
    const { author } = cp.checkpoint
    const size = Number(cp.checkpoint.size)
    const sig = await verifyCheckpointSignature(cp, this.#trust.certificatesFor(author))
    if (sig !== 'OK') throw new InvalidEventError(sig === 'EVENT_UNKNOWN_AUTHOR' ? 'EVENT_UNKNOWN_AUTHOR' : 'CHECKPOINT_INVALID', `checkpoint of ${author} at ${size}: ${sig}`)
    return await this.#logLock.run(author, async () => {
      const key = checkpointKey(author, size)
      const existing = await this.#sub.CHECKPOINT.get(key) as Uint8Array | undefined
      if (existing !== undefined) {
        const old = decodeCheckpoint(existing)
        if (Buffer.compare(Buffer.from(old.checkpoint.root), Buffer.from(cp.checkpoint.root)) !== 0) {
          const ek = [`${key}!${hex(sha256(old.bytes))}`, `${key}!${hex(sha256(cp.bytes))}`]
          await this.#db.batch([
            { type: 'put', sublevel: this.#sub.EVIDENCE, key: ek[0], value: old.bytes },
            { type: 'put', sublevel: this.#sub.EVIDENCE, key: ek[1], value: cp.bytes },
            this.#alertOp({ kind: 'EQUIVOCATION', author, size, message: `${author} signed two different checkpoints of size ${size}`, evidence: ek })
          ] as never)
          return 'equivocation'
        }
        return 'stored'
      }
      const head = this.#head(author)
      if (size <= head.size && author !== this.party) {
        const root = size === head.size ? frontierRoot(head.frontier.map(unhex)) : rootOf(await this.#leaves(author, size))
        if (Buffer.compare(Buffer.from(root), Buffer.from(cp.checkpoint.root)) !== 0) {
          await this.#db.batch([this.#alertOp({ kind: 'CHECKPOINT_MISMATCH', author, size, message: `${author}'s checkpoint at ${size} does not match the events it sent us` })] as never)
          return 'mismatch'
        }
      }
      await this.#sub.CHECKPOINT.put(key, cp.bytes as never)
      return 'stored'
    })
  }

  // ---- reads -----------------------------------------------------------

  async #logEvent (author: string, seq: number): Promise<LoggedEvent | undefined> {
    const b = await this.#sub.LOG.get(logKey(author, seq)) as Uint8Array | undefined
    return b === undefined ? undefined : decodeEvent(b)
  }

  /** Raw signed events of a log from `fromSeq`, for sync. */
  async eventsFrom (author: string, fromSeq: number, limit = 1000): Promise<Uint8Array[]> {
    const out: Uint8Array[] = []
    for await (const v of this.#sub.LOG.values({ gte: logKey(author, Math.max(1, fromSeq)), lt: prefixEnd(`${author}!`), limit })) out.push(v as Uint8Array)
    return out
  }

  /** The stored checkpoint of an author at exactly `size`, if any (signed bytes). */
  async storedCheckpoint (author: string, size: number): Promise<Uint8Array | undefined> {
    return await this.#sub.CHECKPOINT.get(checkpointKey(author, size)) as Uint8Array | undefined
  }

  /** Sizes at which checkpoints of an author are stored, ascending, within [from, to]. */
  async checkpointSizes (author: string, from: number, to: number): Promise<number[]> {
    const out: number[] = []
    for await (const k of this.#sub.CHECKPOINT.keys({ gte: checkpointKey(author, from), lte: checkpointKey(author, to) })) out.push(Number((k as string).slice(author.length + 1)))
    return out
  }

  /** The signed events of one permit, in log order (for /cites/verify). */
  async permitEvents (party: string, number: string): Promise<Uint8Array[] | undefined> {
    const s = await this.#state(party, number)
    if (s === undefined) return undefined
    // One read for all of them: this is the customs hot path.
    const got = await this.#sub.LOG.getMany(s.events.map((seq) => logKey(party, seq))) as Array<Uint8Array | undefined>
    return got.filter((b): b is Uint8Array => b !== undefined)
  }

  /** The newest checkpoint held of an author's log (signed bytes). */
  async latestCheckpoint (author: string): Promise<Uint8Array | undefined> {
    for await (const v of this.#sub.CHECKPOINT.values({ gt: `${author}!`, lt: prefixEnd(`${author}!`), reverse: true, limit: 1 })) return v as Uint8Array
    return undefined
  }

  /** Record an alert found outside the ledger's own checks (e.g. a use asked for by the wrong party). */
  async recordAlert (alert: Omit<Alert, 'id' | 'time'>): Promise<void> {
    await this.#db.batch([this.#alertOp(alert)] as never)
  }

  /** Deliveries of own ISSUED events, optionally only those in one state. */
  async deliveries (state?: DeliveryState): Promise<DeliveryRecord[]> {
    const out: DeliveryRecord[] = []
    for await (const v of this.#sub.DELIVERY.values()) if (state === undefined || (v as DeliveryRecord).state === state) out.push(v as DeliveryRecord)
    return out
  }

  async delivery (party: string, number: string): Promise<DeliveryRecord | undefined> {
    return await this.#sub.DELIVERY.get(permitKey(party, number)) as DeliveryRecord | undefined
  }

  /** Record the outcome of a delivery attempt (synced: an acknowledgement is evidence). */
  async updateDelivery (d: DeliveryRecord): Promise<void> {
    await this.#db.batch([{ type: 'put', sublevel: this.#sub.DELIVERY, key: permitKey(d.party, d.number), value: d }] as never, { sync: true })
  }

  /** Checkpoints held for an author, oldest first. */
  async checkpoints (author: string): Promise<LoggedCheckpoint[]> {
    const out: LoggedCheckpoint[] = []
    for await (const v of this.#sub.CHECKPOINT.values({ gt: `${author}!`, lt: prefixEnd(`${author}!`) })) out.push(decodeCheckpoint(v as Uint8Array))
    return out
  }

  async #leaves (author: string, size: number): Promise<Hash[]> {
    const out: Hash[] = []
    for await (const v of this.#sub.LOG.values({ gt: `${author}!`, lt: prefixEnd(`${author}!`), limit: size })) out.push(decodeEvent(v as Uint8Array).hash)
    return out
  }

  /** RFC 6962 inclusion proof of event `seq` in the first `size` events of a log. */
  async inclusionProof (author: string, seq: number, size = this.#head(author).size): Promise<{ leafIndex: number, size: number, proof: string[], root: string }> {
    const leaves = await this.#leaves(author, size)
    if (leaves.length < size) throw new RangeError(`${author}'s log holds ${leaves.length} events, not ${size}`)
    return { leafIndex: seq - 1, size, proof: inclusionProof(leaves, seq - 1).map(hex), root: hex(rootOf(leaves)) }
  }

  /** RFC 6962 consistency proof between sizes m and n of a log. */
  async consistencyProof (author: string, m: number, n = this.#head(author).size): Promise<{ m: number, n: number, proof: string[], rootM: string, rootN: string }> {
    const leaves = await this.#leaves(author, n)
    if (leaves.length < n) throw new RangeError(`${author}'s log holds ${leaves.length} events, not ${n}`)
    return { m, n, proof: consistencyProof(leaves, m, n).map(hex), rootM: hex(rootOf(leaves, 0, m)), rootN: hex(rootOf(leaves)) }
  }

  /** Status only: one read (the customs hot path). */
  async status (party: string, number: string): Promise<{ state: PermitState, status: PermitStatus } | undefined> {
    const s = await this.#state(party, number)
    return s === undefined ? undefined : { state: s, status: derivedStatus(s, this.#now()) }
  }

  /** A permit with its history and derived status. */
  async getPermit (party: string, number: string): Promise<PermitView | undefined> {
    const s = await this.#state(party, number)
    if (s === undefined) return undefined
    const history: EventView[] = []
    for (const seq of s.events) {
      const le = await this.#logEvent(party, seq)
      if (le === undefined) continue
      history.push(viewEvent(le))
    }
    return { state: s, status: derivedStatus(s, this.#now()), history, claims: await this.claims(party, number) }
  }

  /** The signed eCITES XML of a permit, from its ISSUED event. */
  async signedXml (party: string, number: string): Promise<string | undefined> {
    const s = await this.#state(party, number)
    const first = s?.events[0]
    if (s === undefined || first === undefined) return undefined
    const le = await this.#logEvent(party, first)
    return le === undefined ? undefined : new TextDecoder().decode(IssuedBody.decode(le.event.body).signedXml)
  }

  /** List permits, filtered, in index order, with paging (`next` is the cursor for `after`). */
  async list (filter: ListFilter = {}, page: Page = {}): Promise<ListResult> {
    await this.waitForIndex()
    const limit = Math.min(Math.max(page.limit ?? 50, 1), 1000)
    const items: ListResult['items'] = []
    let lastKey: string | undefined
    for await (const [key, state, status] of this.#scan(filter, page.after)) {
      // One more match than the page holds means there is a next page,
      // which resumes after the last key returned.
      if (items.length === limit) return { items, next: lastKey as string }
      items.push({ state, status })
      lastKey = key
    }
    return { items }
  }

  /** How many permits match. */
  async count (filter: ListFilter = {}): Promise<number> {
    await this.waitForIndex()
    let n = 0
    for await (const _ of this.#scan(filter)) n++
    return n
  }

  /** Choose the most selective index for a filter: [prefix, sublevel is INDEX]. */
  #plan (f: ListFilter): [string, boolean] {
    // EXPIRED is derived: scan the recorded statuses that can expire.
    if (f.status !== undefined && f.status !== 'EXPIRED') return [`s!${f.status}!`, true]
    if (f.species !== undefined) return [`sp!${f.species.toLowerCase()}!`, true]
    if (f.party !== undefined) return [`${f.party}!`, false]
    return ['d!', true]
  }

  async * #scan (f: ListFilter, after?: string): AsyncGenerator<[string, PermitState, PermitStatus]> {
    const now = this.#now()
    const [prefix, viaIndex] = this.#plan(f)
    let lo = prefix
    let hi = prefixEnd(prefix)
    if (prefix === 'd!') {
      if (f.from !== undefined) lo = `d!${pad(Math.max(0, f.from), 13)}`
      if (f.to !== undefined) hi = `d!${pad(Math.max(0, f.to), 13)}\xff`
    }
    const range = after !== undefined && after >= lo ? { gt: after, lt: hi } : { gte: lo, lt: hi }
    const matches = (s: PermitState, status: PermitStatus): boolean =>
      (f.party === undefined || s.party === f.party) &&
      (f.status === undefined || status === f.status) &&
      (f.species === undefined || s.lines.some((l) => l.scientificName.toLowerCase() === f.species?.toLowerCase())) &&
      (f.from === undefined || s.issueTime >= f.from) &&
      (f.to === undefined || s.issueTime <= f.to)
    if (viaIndex) {
      for await (const [key, pk] of this.#sub.INDEX.iterator(range)) {
        const s = await this.#sub.PERMIT.get(pk as string) as PermitState | undefined
        if (s === undefined) continue
        const status = derivedStatus(s, now)
        if (matches(s, status)) yield [key as string, s, status]
      }
    } else {
      for await (const [key, v] of this.#sub.PERMIT.iterator(range)) {
        const s = v as PermitState
        const status = derivedStatus(s, now)
        if (matches(s, status)) yield [key as string, s, status]
      }
    }
  }

  /** Alerts raised (equivocation, refused transitions, checkpoint mismatch), oldest first. */
  async alerts (): Promise<Alert[]> {
    // Refused transitions are found while indexing: include them.
    await this.waitForIndex()
    const out: Alert[] = []
    for await (const v of this.#sub.ALERT.values()) out.push(v as Alert)
    return out
  }

  /** Evidence kept for an alert. */
  async evidence (key: string): Promise<Uint8Array | undefined> {
    return await this.#sub.EVIDENCE.get(key) as Uint8Array | undefined
  }

  // ---- integrity -------------------------------------------------------

  /**
   * Verify a log end to end from the stored bytes: contiguous sequence
   * numbers, the hash chain, every signature against the trust list at the
   * event's time, every stored checkpoint's root, and the head. Names the
   * sequence number of each problem.
   */
  async verifyLog (author: string): Promise<LogVerification> {
    const problems: LogProblem[] = []
    const trusted = this.#trust.certificatesFor(author)
    const checkpoints = new Map<number, LoggedCheckpoint>()
    for (const cp of await this.checkpoints(author)) checkpoints.set(Number(cp.checkpoint.size), cp)
    let expected = 1
    let prevHash = ''
    let frontier: Hash[] = []
    let leafCount = 0
    let checked = 0
    const batch: Array<{ seq: number, le: LoggedEvent }> = []
    const flush = async (): Promise<void> => {
      const verdicts = await Promise.all(batch.map(async ({ le }) => await verifyEventSignature(le, trusted)))
      for (const [i, { seq }] of batch.entries()) {
        if (verdicts[i] !== 'OK') problems.push({ seq, code: verdicts[i] as string, message: `event #${seq}: signature check ${String(verdicts[i])}` })
      }
      batch.length = 0
    }
    for await (const [key, v] of this.#sub.LOG.iterator({ gt: `${author}!`, lt: prefixEnd(`${author}!`) })) {
      const seq = Number((key as string).slice(author.length + 1))
      let le: LoggedEvent
      try {
        le = decodeEvent(v as Uint8Array)
      } catch {
        problems.push({ seq, code: 'EVENT_MALFORMED', message: `event #${seq} does not decode` })
        expected = seq + 1
        prevHash = ''
        continue
      }
      if (seq !== expected) problems.push({ seq: expected, code: 'EVENT_MISSING', message: `events #${expected}..#${seq - 1} are missing` })
      if (Number(le.event.seq) !== seq || le.event.author !== author) problems.push({ seq, code: 'EVENT_WRONG_LOG', message: `event stored at #${seq} says ${le.event.author} #${le.event.seq}` })
      if (seq > 1 && hex(le.event.prevHash) !== prevHash) problems.push({ seq, code: 'EVENT_PREV_HASH_MISMATCH', message: `event #${seq} does not chain to event #${seq - 1}` })
      batch.push({ seq, le })
      if (batch.length >= 256) await flush()
      // Count leaves as stored, so a missing event cannot derail the tree.
      frontier = frontierAppend(frontier, leafCount++, le.hash)
      const cp = checkpoints.get(seq)
      if (cp !== undefined) {
        checked++
        if (hex(frontierRoot(frontier)) !== hex(cp.checkpoint.root)) problems.push({ seq, code: 'CHECKPOINT_MISMATCH', message: `the signed checkpoint at size ${seq} does not match the stored events` })
        if (await verifyCheckpointSignature(cp, trusted) !== 'OK') problems.push({ seq, code: 'CHECKPOINT_INVALID', message: `the checkpoint at size ${seq} is not validly signed` })
      }
      prevHash = hex(le.hash)
      expected = seq + 1
    }
    await flush()
    const size = expected - 1
    const head = this.#head(author)
    if (head.size !== size || head.hash !== prevHash) problems.push({ seq: size, code: 'HEAD_MISMATCH', message: `the recorded head (${head.size}) does not match the stored log (${size})` })
    problems.sort((a, b) => a.seq - b.seq)
    return { author, size, ok: problems.length === 0, problems, checkpointsChecked: checked }
  }

  /** Every author with a log here. */
  authors (): string[] {
    return [...this.#heads.keys()].sort()
  }

  /**
   * Recreate every derived index (permit states and secondary indexes) from
   * the logs alone.
   */
  async rebuildIndexes (): Promise<{ permits: number, events: number }> {
    await this.waitForIndex()
    await this.#sub.PERMIT.clear()
    this.#stateGen++
    this.#stateCache.clear()
    await this.#sub.INDEX.clear()
    await this.#sub.CLAIM.clear()
    this.#claimed.clear()
    let events = 0
    for (const author of this.authors()) {
      await this.#indexLock.run(author, async () => {
        await this.#sub.META.put(`indexed!${author}`, 0)
        this.#indexed.set(author, 0)
      })
      await this.#catchUp(author)
      events += this.#head(author).size
    }
    let permits = 0
    for await (const _ of this.#sub.PERMIT.keys()) permits++
    return { permits, events }
  }

  /** Iterate every permit state (for reports). */
  async * permits (): AsyncGenerator<PermitState> {
    await this.waitForIndex()
    for await (const v of this.#sub.PERMIT.values()) yield v as PermitState
  }
}
