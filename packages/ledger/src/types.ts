/**
 * The ledger's public types: its init options, log heads, alerts, the
 * delivery outbox, claims and query results.
 */
import type { TrustedCertificate, Signer } from '@cites/xml-signature'
import type { Logger } from '@cites/runtime'
import type { ClaimRef, LineQty, PermitState, PermitStatus, Receipt } from './state.js'
import type { LedgerCode } from './errors.js'

/** Where the ledger gets trusted certificates: a TrustStore fits. */
export interface TrustSource {
  certificatesFor: (party: string) => readonly TrustedCertificate[] | undefined
}

/** The issuing authority's rules for the act of issuing (permit-profile.md §3.3, issue 20). */
export interface IssuePolicy {
  /** IANA zone of the authority: a date-only Box 2 runs by calendar day there. @default UTC+14 (Etc/GMT-14), where a day ends first */
  timeZone?: string
  /** How far a given issue date may be from the time of signing. @default 5 minutes */
  issueDateToleranceMs?: number
  /** How long after the issue Box 2 may start. @default 30 days */
  validityStartGraceMs?: number
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
  /** The rules of the act of issuing: zone, issue-date tolerance, validity-start grace. */
  issuePolicy?: IssuePolicy
  /** Sign a checkpoint every K own events. @default 1000 */
  checkpointInterval?: number
  /** Clock (ms), injectable for tests. @default Date.now */
  now?: () => number
  /** Where the ledger logs (background indexing, listener failures), with codes and never trader data. @default silentLogger */
  log?: Logger
  /**
   * @internal How many permit states to keep in memory. 0 turns the cache
   * off (the property test compares a cached ledger with an uncached one).
   * @default 10000
   */
  stateCacheSize?: number
  /**
   * The node's document master key (32 bytes), which wraps each document's
   * own key (ledger.md §7). @default the file DOCUMENT-KEY in `location`,
   * made at first open
   */
  documentKey?: Uint8Array
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

/**
 * A permit's signed document as held by one of its parties (ledger.md §7,
 * r17): AES-256-GCM under a key of its own (DOCKEY), or, once erased, only
 * its hash and when it was erased.
 */
export interface DocumentRecord {
  /** SHA-256 (hex) of the document, as in the ISSUED event. */
  sha256: string
  /** base64: the 12-byte IV and the ciphertext with its tag; absent once erased. */
  iv?: string
  ciphertext?: string
  /** When this node took it (ms). */
  storedAt: number
  /** When it was erased (ms); then no ciphertext and no key remain. */
  erasedAt?: number
}

/** Whether this node holds a permit's document. */
export type DocumentStatus = 'held' | 'erased' | 'absent'

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
  /**
   * The ledger code the alert is about (LEDGER_CODES), for programs: for
   * TRANSITION_REFUSED and CLAIM_REFUSED the refusal's code (e.g.
   * ALREADY_CONSUMED), for DIVERTED_USE the refusal written (NOT_DESTINATION),
   * otherwise the kind. Absent on alerts stored before it existed.
   */
  code?: string
  /** EVIDENCE sublevel keys of the conflicting records. */
  evidence?: string[]
}

/**
 * `held`: ahead of the log, kept until the gap closes; `ahead`: too far
 * ahead (past the window or the caps of ledger.md §4.2), not kept.
 */
export type AcceptStatus = 'accepted' | 'duplicate' | 'held' | 'ahead' | 'fork'
export interface AcceptResult { status: AcceptStatus, author: string, seq: number }

export interface ActionInput {
  lines: LineQty[]
  /** UN/LOCODE of the port. */
  port: string
  /** Free text (a name, before r13). Not written when `actor` is given: ledger.md §2.3. */
  officer?: string
  /** The acting account's pseudonymous ID, written in the signed event (ledger.md §2.3). */
  actor?: string
  /** When the endorsement was made (ms); defaults to now. */
  date?: number
}

export interface ConsumeInput extends ActionInput {
  /** The destination party asking. @default the permit's destination */
  consumingParty?: string
  /** The destination's signed request bytes, when it came over the network. */
  request?: Uint8Array
  /**
   * Confirming a provisional use: when the goods were cleared (ms), which
   * must be the time of the claimant's PROVISIONAL_CONSUMED event; the
   * permit is judged at that time. Ignored without `claim`.
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
  /** The account at the claimant that recorded it (ledger.md §2.3), if the event names one. */
  actor?: string
  reason: string
  /** Hex hash of the v1 event this one was carried over from (ledger.md §7.1): a claim may be named by it too. */
  carriedFrom?: string
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
  /** The acting account (ledger.md §2.3): of the author, or for a CONSUMED on request of the consuming party. */
  actor?: string
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

/** A use request for one of this node's own permits (see Ledger.decideUse). */
export interface UseRequest {
  party: string
  number: string
  /** The authority asking (the consuming party). */
  requester: string
  lines: LineQty[]
  /** UN/LOCODE of the port. */
  port: string
  officer?: string
  /** The requesting officer's account at the requester (from its signed request), written as the CONSUMED event's actor. */
  actor?: string
  /** The requester's signed request bytes, kept in the CONSUMED event. */
  request?: Uint8Array
  /** Confirming a provisional use: the requester's PROVISIONAL_CONSUMED event and when the goods were cleared (ms). */
  claim?: { seq: number, hash: string, usedAt: number }
}

/** What the issuer decided about a use request, and wrote. */
export type UseDecision =
  | {
    kind: 'consumed'
    receipt: Receipt
    /** The signed CONSUMED event. */
    event: Uint8Array
    /** The same claim confirmed again: the first receipt, nothing written. */
    repeated: boolean
  }
  | {
    kind: 'refused'
    code: LedgerCode
    message: string
    /**
     * Evidence: the first CONSUMED event (ALREADY_CONSUMED, or a diverted
     * copy of a used permit); for a refused claim, the signed CLAIM_REFUSED.
     */
    event?: Uint8Array
    /** With ALREADY_CONSUMED: the first receipt. */
    receipt?: Receipt
  }
