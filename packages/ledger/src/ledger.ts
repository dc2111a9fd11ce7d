/**
 * The ledger: one LevelDB per node holding one append-only, signed, hash-
 * chained log per authority (its own, and verified replicas of the others),
 * checkpoints over them, and indexes derived from the logs.
 *
 * This class is the facade over one module per concern (README, "Layout").
 *
 * Every check-and-write on a permit runs inside a single-writer section for
 * that permit and lands in one atomic batch; the node's own events are
 * written with `sync: true` before anyone is answered.
 */
import { canonicalPermitNumber, type Permit, type ReplacementReason } from '@cites/permit'
import type { LoggedCheckpoint, LoggedEvent } from './events.js'
import { InvalidEventError, PermitNotFoundError } from './errors.js'
import { MetaKey, type SublevelName } from './keys.js'
import { put } from './store.js'
import type { LedgerCore, NewAlert } from './context.js'
import { Indexer } from './indexer.js'
import { OwnLog } from './own-log.js'
import { Commands } from './commands.js'
import { UseDecider } from './use.js'
import { Replica } from './replica.js'
import type { PendingView } from './pending.js'
import type { ActOptions } from './actor.js'
import { Queries } from './queries.js'
import { upgradeV1, upgradeV1Pending } from './upgrade-v1.js'
import { Integrity } from './integrity.js'
import { CrossCheck, type CrossCheckOutcome, type Equivocations } from './cross-check.js'
import { WorkQueues } from './queues.js'
import { Documents } from './documents.js'
import { finishUpgrade, loadViews, openCore } from './open.js'
import type { ClaimRef, PermitState, PermitStatus, Receipt } from './state.js'
import type {
  AcceptResult, ActionInput, Alert, ClaimView, IssuePolicy, ConsumeInput, DeliveryRecord, DeliveryState, LedgerInit, ListFilter, ListResult, LogHead, LogVerification,
  Page, PermitView, ProvisionalInput, UseDecision, UseRequest, DocumentStatus
} from './types.js'

export { applyEvent, viewEvent } from './apply.js'

/**
 * The key of a number as given: its canonical form (permit-profile.md §2.1).
 * Every method that takes a permit number goes through this, so a look-alike
 * spelling finds the original or nothing. A number with no canonical form
 * names no permit: reads find nothing, writes are PERMIT_NOT_FOUND.
 */
function keyOf (number: string): string | undefined {
  return canonicalPermitNumber(number)
}

function mustKey (party: string, number: string): string {
  const n = keyOf(number)
  if (n === undefined) throw new PermitNotFoundError(`${party}/${number.slice(0, 70)} is not in the ledger (the number has no canonical form)`)
  return n
}

export class Ledger {
  readonly party: string
  readonly #core: LedgerCore
  readonly #indexer: Indexer
  readonly #own: OwnLog
  readonly #commands: Commands
  readonly #use: UseDecider
  readonly #replica: Replica
  readonly #queries: Queries
  readonly #integrity: Integrity
  readonly #queues: WorkQueues
  readonly #crossCheck: CrossCheck
  readonly #documents: Documents

  private constructor (core: LedgerCore, checkpointInterval: number, documentKey: Uint8Array, policy: IssuePolicy = {}) {
    this.party = core.party
    this.#core = core
    this.#indexer = new Indexer(core)
    this.#queries = new Queries(core, this.#indexer)
    this.#own = new OwnLog(core, checkpointInterval)
    this.#documents = new Documents(core, documentKey)
    this.#commands = new Commands(core, this.#own, this.#indexer, this.#documents, async (p, n) => await this.#queries.claims(p, n), policy)
    this.#use = new UseDecider(core, this.#own, this.#indexer, this.#commands)
    this.#replica = new Replica(core, this.#indexer, async (a, size) => await this.#queries.leaves(a, size))
    this.#integrity = new Integrity(core, this.#queries)
    this.#queues = new WorkQueues(core)
    this.#crossCheck = new CrossCheck(core, async (a, size) => await this.#queries.leaves(a, size))
  }

  /** Open (or create) a ledger. */
  static async open (init: LedgerInit): Promise<Ledger> {
    const { core, documentKey, upgradeFrom } = await openCore(init)
    const l = new Ledger(core, init.checkpointInterval ?? 1000, documentKey, init.issuePolicy)
    // A v1 ledger (or one whose upgrade a crash interrupted) becomes v2 before anything reads its logs.
    const v1 = upgradeFrom !== undefined || await upgradeV1Pending(core)
    if (v1) {
      try {
        await upgradeV1({ core, documents: l.#documents }, upgradeFrom)
      } catch (err) {
        // Refused (or failed): the database is let go, as by any refused open.
        await core.store.close()
        throw err
      }
    }
    await loadViews(core)
    await l.#replica.loadPending()
    // Resume indexing interrupted by a stop or crash.
    l.#indexer.resume()
    if (v1) {
      // Derived state from the carried logs, then the schema and the end of the upgrade in one batch.
      await l.#indexer.rebuild()
      await finishUpgrade(core)
    }
    return l
  }

  async close (): Promise<void> {
    await this.#indexer.close()
    await this.#core.store.close()
  }

  /**
   * Call `fn` with each event this node appends to its own log, once it is
   * on disk. Returns the function that stops the calls.
   */
  onOwnEvent (fn: (e: LoggedEvent) => void): () => void {
    return this.#own.onEvent(fn)
  }

  /** Size and last hash of every log held. */
  heads (): Map<string, LogHead> {
    return new Map(this.#core.heads)
  }

  /** Every author with a log here. */
  authors (): string[] {
    return [...this.#core.heads.keys()].sort()
  }

  // ---- own writes ------------------------------------------------------

  /**
   * Sign a permit as this party's MA (rules enforced) and record its
   * issuance. `opts.actor`: the acting account, written in the event (here
   * and in every act below; ledger.md §2.3), or ACTOR_INVALID.
   */
  async issue (permit: Permit, opts: ActOptions = {}): Promise<{ state: PermitState, event: LoggedEvent, signedXml: string }> {
    return await this.#commands.issue(permit, opts)
  }

  /**
   * Record a permit this party signed elsewhere (its own permit system).
   * The XML must verify against the trust list as this party's.
   */
  async recordSigned (signedXml: string, opts: ActOptions = {}): Promise<{ state: PermitState, event: LoggedEvent }> {
    return await this.#commands.recordSigned(signedXml, opts)
  }

  /** Record the export endorsement (Box 14). */
  async endorse (party: string, number: string, input: ActionInput): Promise<PermitState> {
    return await this.#commands.endorse(party, mustKey(party, number), input)
  }

  async cancel (party: string, number: string, reason: string, opts: ActOptions = {}): Promise<PermitState> {
    return await this.#commands.cancel(party, mustKey(party, number), reason, opts)
  }

  /**
   * Replace one of this party's permits (Res. Conf. 12.3): sign `replacement`
   * naming the original and why, and in the same batch write REPLACED on the
   * original. Refused for an unknown, used, cancelled or replaced original,
   * another party's, or a replacement above what remains of it. The same as
   * issuing a permit whose `replacement` is set.
   */
  async replace (party: string, number: string, replacement: Permit, reason: ReplacementReason, details?: string, opts: ActOptions = {}): Promise<{ state: PermitState, event: LoggedEvent, signedXml: string }> {
    if (party !== this.party) this.#commands.assertOwn(party)
    return await this.#commands.issue({ ...replacement, replacement: { replaces: number, reason, ...(details === undefined ? {} : { details }) } }, opts)
  }

  /**
   * Record that an endorsed export did not happen (EXPORT_VOIDED, with why):
   * Box 14 is cleared, so the permit may be cancelled (or endorsed again);
   * the void stays in the log and the annual report.
   */
  async voidExport (party: string, number: string, reason: string, opts: ActOptions = {}): Promise<PermitState> {
    return await this.#commands.voidExport(party, mustKey(party, number), reason, opts)
  }

  /**
   * Decide a use request for one of this node's own permits, under one
   * permit lock, and write what is decided: the CONSUMED event, or the
   * refusal events (USE_REFUSED for a requester that is not the destination,
   * CLAIM_REFUSED for a provisional use that cannot be confirmed). The rules
   * and their order: use.ts. Never throws a refusal: it returns it.
   */
  async decideUse (req: UseRequest): Promise<UseDecision> {
    const number = keyOf(req.number)
    if (number === undefined) return { kind: 'refused', code: 'PERMIT_NOT_FOUND', message: `${req.party}/${req.number.slice(0, 70)} is not in the ledger (the number has no canonical form)` }
    return await this.#use.decide({ ...req, number })
  }

  /**
   * Record the use of a permit at import. Exactly once: a second attempt is
   * refused with ALREADY_CONSUMED and the first receipt as evidence. The
   * caller applies the destination rule (see decideUse, which does); a
   * claim is checked against the claimant's log as in decideUse.
   */
  async consume (party: string, number: string, input: ConsumeInput): Promise<Receipt> {
    return await this.#use.consume(party, mustKey(party, number), input)
  }

  /**
   * The destination records a use at import while the issuer cannot be
   * reached: a PROVISIONAL_CONSUMED event in this node's own log, judged
   * against its replica of the issuer's log. At most one unresolved claim per
   * permit here; the issuer confirms or refuses it later.
   */
  async consumeProvisionally (party: string, number: string, input: ProvisionalInput): Promise<ClaimView> {
    return await this.#commands.consumeProvisionally(party, mustKey(party, number), input)
  }

  /** Sign a checkpoint of this node's log now. */
  async checkpoint (): Promise<LoggedCheckpoint> {
    return await this.#own.checkpoint()
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
   * the missing events arrive, within a window ahead of the head and caps per
   * author (ledger.md §4.2; past them: status `ahead`, not kept); a duplicate
   * is a no-op (an exact replay costs no signature check); a second, different
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
    return await this.#replica.acceptEvents(list, opts)
  }

  /**
   * Accept another authority's signed checkpoint. Two different roots for
   * the same size from one author is an equivocation alert; a root that does
   * not match the events we hold is a checkpoint mismatch alert.
   */
  async acceptCheckpoint (bytes: Uint8Array): Promise<'stored' | 'equivocation' | 'mismatch'> {
    return await this.#replica.acceptCheckpoint(bytes)
  }

  /** What is held back after a gap, per author holding any (bounded: ledger.md §4.2). */
  pending (): PendingView[] {
    return this.#core.pending.authors().map((a) => this.#core.pending.view(a))
  }

  /** Reads made of each store since open (keys read, ranges opened): for tests and metrics. */
  storeReads (): Record<SublevelName, { keys: number, ranges: number }> {
    return structuredClone(this.#core.store.reads)
  }

  // ---- cross-checks between replicas (split views) ---------------------------

  /**
   * Compare a peer's copy of an event of another author's log with the event
   * this node holds at that sequence number. A different event, validly
   * signed by the author, is an equivocation: both are kept as evidence and
   * an EQUIVOCATION alert is raised, once per conflicting event. Throws
   * {@link InvalidEventError} for an event that is not the author's.
   */
  async compareEvent (bytes: Uint8Array): Promise<CrossCheckOutcome> {
    return await this.#crossCheck.compareEvent(bytes)
  }

  /**
   * Compare a peer's copy of an author's signed checkpoint with this node's:
   * another root at the same size is an EQUIVOCATION, a root that does not
   * match the author's events held here a CHECKPOINT_MISMATCH (evidence kept,
   * raised once). A checkpoint beyond the head is stored.
   */
  async compareCheckpoint (bytes: Uint8Array): Promise<CrossCheckOutcome> {
    return await this.#crossCheck.compareCheckpoint(bytes)
  }

  /** Where `author` is proven (evidence held here) to have signed two versions of its log. */
  async equivocations (author: string): Promise<Equivocations> {
    return await this.#crossCheck.equivocations(author)
  }

  /**
   * Raw signed events of a log from `fromSeq` for a sync answer: read one at
   * a time, stopping before the total (each event plus `perEvent` bytes of
   * framing) would pass `maxBytes`, or at `limit` events. `read`: how many
   * events were read from the store.
   */
  async eventsWithin (author: string, fromSeq: number, limit: number, maxBytes: number, perEvent = 0): Promise<{ events: Uint8Array[], bytes: number, read: number }> {
    return await this.#crossCheck.eventsWithin(author, fromSeq, limit, maxBytes, perEvent)
  }

  // ---- derived state -----------------------------------------------------

  /** Wait until derived state reflects every event held (of one author, or all). */
  async waitForIndex (author?: string): Promise<void> {
    await this.#indexer.waitFor(author)
  }

  /** Recreate every derived index (permit states and secondary indexes) from the logs alone. */
  async rebuildIndexes (): Promise<{ permits: number, events: number }> {
    return await this.#indexer.rebuild()
  }

  // ---- reads -----------------------------------------------------------

  /** Status only: one read (the customs hot path). */
  async status (party: string, number: string): Promise<{ state: PermitState, status: PermitStatus } | undefined> {
    const n = keyOf(number)
    return n === undefined ? undefined : await this.#queries.status(party, n)
  }

  /** A permit with its history and derived status. */
  async getPermit (party: string, number: string): Promise<PermitView | undefined> {
    const n = keyOf(number)
    return n === undefined ? undefined : await this.#queries.getPermit(party, n)
  }

  /** The signed eCITES XML of a permit, when this node holds its document (a party to the trade, not erased; ledger.md §2.4). */
  async signedXml (party: string, number: string): Promise<string | undefined> {
    const d = await this.document(party, number)
    return d === undefined ? undefined : new TextDecoder().decode(d)
  }

  /** The signed document of a permit, bytes exactly as signed, when held here. */
  async document (party: string, number: string): Promise<Uint8Array | undefined> {
    const n = keyOf(number)
    return n === undefined ? undefined : await this.#documents.get(party, n)
  }

  /** Whether this node holds a permit's document: held, erased (retention), or absent (not a party, or not received). */
  async documentStatus (party: string, number: string): Promise<DocumentStatus> {
    const n = keyOf(number)
    return n === undefined ? 'absent' : await this.#documents.status(party, n)
  }

  /** Take the document of a permit whose ISSUED event (`issued`) this node accepted: NOT_A_PARTY, DOCUMENT_HASH_MISMATCH, DOCUMENT_ERASED. */
  async putDocument (issued: LoggedEvent, document: Uint8Array): Promise<'stored' | 'held'> {
    return await this.#documents.put(issued, mustKey(issued.event.permitParty, issued.event.permitNumber), document)
  }

  /** Erase the documents whose retention clock (the later of Box 2's end and the last event) is before `before` (ledger.md §7.2); events and summaries stay. */
  async purgeDocuments (before: Date): Promise<{ erased: number, held: number }> {
    return await this.#documents.purge(before.getTime(), async (p, n) => (await this.#queries.status(p, n))?.state)
  }

  /** Provisional claims on a permit (from every destination log held here), with their resolution in the issuer's log. */
  async claims (party: string, number: string): Promise<ClaimView[]> {
    const n = keyOf(number)
    return n === undefined ? [] : await this.#queries.claims(party, n)
  }

  /** This node's own claims the issuer has not yet confirmed or refused: what to submit when it is reachable. */
  async openClaims (): Promise<ClaimView[]> {
    return await this.#queries.openClaims()
  }

  /** List permits, filtered, in index order, with paging (`next` is the cursor for `after`). */
  async list (filter: ListFilter = {}, page: Page = {}): Promise<ListResult> {
    return await this.#queries.list(filter, page)
  }

  /** How many permits match. */
  async count (filter: ListFilter = {}): Promise<number> {
    return await this.#queries.count(filter)
  }

  /** Iterate every permit state (for reports). */
  permits (): AsyncGenerator<PermitState> {
    return this.#queries.permits()
  }

  /** Raw signed events of a log from `fromSeq`, for sync. */
  async eventsFrom (author: string, fromSeq: number, limit = 1000): Promise<Uint8Array[]> {
    return await this.#queries.eventsFrom(author, fromSeq, limit)
  }

  /** The signed events of one permit, in log order (for /cites/verify). */
  async permitEvents (party: string, number: string): Promise<Uint8Array[] | undefined> {
    const n = keyOf(number)
    return n === undefined ? undefined : await this.#queries.permitEvents(party, n)
  }

  /** The stored checkpoint of an author at exactly `size`, if any (signed bytes). */
  async storedCheckpoint (author: string, size: number): Promise<Uint8Array | undefined> {
    return await this.#queries.storedCheckpoint(author, size)
  }

  /** Sizes at which checkpoints of an author are stored, ascending, within [from, to]. */
  async checkpointSizes (author: string, from: number, to: number): Promise<number[]> {
    return await this.#queries.checkpointSizes(author, from, to)
  }

  /** The newest checkpoint held of an author's log (signed bytes). */
  async latestCheckpoint (author: string): Promise<Uint8Array | undefined> {
    return await this.#queries.latestCheckpoint(author)
  }

  /** Checkpoints held for an author, oldest first. */
  async checkpoints (author: string): Promise<LoggedCheckpoint[]> {
    return await this.#queries.checkpoints(author)
  }

  /** Alerts raised (equivocation, refused transitions, checkpoint mismatch, ...), oldest first. */
  async alerts (): Promise<Alert[]> {
    return await this.#queries.alerts()
  }

  /** Evidence kept for an alert. */
  async evidence (key: string): Promise<Uint8Array | undefined> {
    return await this.#queries.evidence(key)
  }

  // ---- integrity -------------------------------------------------------

  /**
   * Verify a log end to end from the stored bytes: contiguous sequence
   * numbers, the hash chain, every signature against the trust list at the
   * event's time, every stored checkpoint's root, and the head. Names the
   * sequence number of each problem.
   */
  async verifyLog (author: string): Promise<LogVerification> {
    return await this.#integrity.verifyLog(author)
  }

  /** RFC 6962 inclusion proof of event `seq` in the first `size` events of a log. */
  async inclusionProof (author: string, seq: number, size?: number): Promise<{ leafIndex: number, size: number, proof: string[], root: string }> {
    return await this.#integrity.inclusionProof(author, seq, size)
  }

  /** RFC 6962 consistency proof between sizes m and n of a log. */
  async consistencyProof (author: string, m: number, n?: number): Promise<{ m: number, n: number, proof: string[], rootM: string, rootN: string }> {
    return await this.#integrity.consistencyProof(author, m, n)
  }

  // ---- work queues -------------------------------------------------------

  /** Deliveries of own ISSUED events, optionally only those in one state. */
  async deliveries (state?: DeliveryState): Promise<DeliveryRecord[]> {
    return await this.#queues.deliveries(state)
  }

  async delivery (party: string, number: string): Promise<DeliveryRecord | undefined> {
    const n = keyOf(number)
    return n === undefined ? undefined : await this.#queues.delivery(party, n)
  }

  /** Record the outcome of a delivery attempt (synced: an acknowledgement is evidence). */
  async updateDelivery (d: DeliveryRecord): Promise<void> {
    await this.#queues.updateDelivery(d)
  }

  /**
   * Background permit checks (ledger.md §4.1): the last sequence number of
   * `author`'s log whose ISSUED documents have had their full XML-DSig check.
   */
  async permitCheckCursor (author: string): Promise<number> {
    return await this.#queues.permitCheckCursor(author)
  }

  /**
   * Move the permit-check cursor of `author`'s log to `seq`, and record a
   * PERMIT_SIGNATURE_INVALID alert for each ISSUED document that failed, in
   * one batch (so a crash neither skips a check nor alerts twice).
   */
  async recordPermitChecks (author: string, seq: number, invalid: ReadonlyArray<{ seq: number, number: string, codes: string[] }> = []): Promise<void> {
    await this.#queues.recordPermitChecks(author, seq, invalid)
  }

  /** Record an alert found outside the ledger's own checks (e.g. a use asked for by the wrong party). Its `code` defaults to its kind. */
  async recordAlert (alert: NewAlert): Promise<void> {
    await this.#queues.recordAlert(alert)
  }

  /**
   * Is the ledger writable now? Throws {@link LedgerReadOnlyError} when it was
   * opened without the signing key; otherwise writes one small `meta` value
   * (the probe's time), so a closed database or a full or read-only disk
   * shows up as the store's own error. For readiness checks (`/readyz`).
   */
  async probeWrite (): Promise<void> {
    this.#core.requireSigner()
    await this.#core.store.write([put('META', MetaKey.PROBE, new Date(this.#core.now()).toISOString())])
  }
}
