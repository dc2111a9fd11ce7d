/**
 * The one registry of LevelDB sublevels and key layouts (ARCHITECTURE.md,
 * Ledger; protocol-spec/ledger.md §7), in the style of Lodestar's
 * db/buckets.ts. Every key the ledger reads or writes is built by a function
 * here; no other module writes a key string by hand. A retired name stays
 * here as a comment and is never reused.
 *
 * Sequence numbers and times are zero-padded so that key order is numeric
 * order. Changing any layout here changes the stored format: bump
 * SCHEMA_VERSION and migrate.
 */
export const Sublevel = {
  /** `author!seq12` -> SignedEvent bytes. The logs: the source of truth. */
  LOG: 'log',
  /** `author` -> LogHead (size, last hash, Merkle frontier). Derived from LOG. */
  HEAD: 'head',
  /** `author!size12` -> SignedCheckpoint bytes, own and received. */
  CHECKPOINT: 'ckpt',
  /** `author!seq12` -> SignedEvent bytes held back after a gap. */
  PENDING: 'pending',
  /**
   * `author!seq12!hash` -> SignedEvent bytes kept as equivocation evidence;
   * `author!size12!hash` -> SignedCheckpoint bytes (two roots for one size).
   */
  EVIDENCE: 'evidence',
  /** `party!number` -> PermitState. Derived index. */
  PERMIT: 'permit',
  /** Secondary indexes, value: the permit key. Derived. See {@link IndexPrefix}. */
  INDEX: 'index',
  /** `time13!counter6` -> Alert. */
  ALERT: 'alert',
  /** `party!number` -> DeliveryRecord: pushing an own ISSUED event to its destination. Written with the ISSUED event. */
  DELIVERY: 'delivery',
  /** `party!number!claimant!seq12` -> ClaimRecord: a destination's PROVISIONAL_CONSUMED event of another party's permit. Derived from the claimant's log. */
  CLAIM: 'claim',
  /** See {@link MetaKey}. */
  META: 'meta',
  /**
   * `party!number` -> DocumentRecord (r17): a permit's signed document, held
   * only by its parties, encrypted under a key of its own; after erasure only
   * its hash and when it was erased. Truth, but not part of any log.
   */
  DOC: 'doc',
  /** `party!number` -> that document's key, wrapped under the node's document master key (r17). */
  DOCKEY: 'dockey',
  /**
   * `seq12` -> SignedEvent bytes: the own log carried over to version 2 while
   * a v1 ledger is upgraded (ledger.md §7.1), moved over LOG once committed.
   * Empty except during an upgrade.
   */
  STAGE: 'v1up'
  // retired: (none yet)
} as const

export type SublevelName = keyof typeof Sublevel

/**
 * 3 (ledger.md r17): events of version 2, documents apart (DOC, DOCKEY).
 * Schemas 1 and 2 hold version 1 events (the whole document inside each
 * ISSUED event) and are upgraded at open (ledger.md §7.1). (2, r8: PERMIT,
 * INDEX, CLAIM and DELIVERY keys hold the canonical permit number.)
 */
export const SCHEMA_VERSION = 3
/** Stored versions {@link SCHEMA_VERSION} upgrades from at open. */
export const UPGRADABLE_SCHEMAS: readonly number[] = [1, 2]

/** Keys of the META sublevel. */
export const MetaKey = {
  /** -> number: the stored format's version. */
  SCHEMA: 'schema',
  /** -> string: the party whose ledger this is (the author of the own log). */
  PARTY: 'party',
  /** `indexed!author` -> number: how many of the author's events the permit states reflect. */
  indexed: (author: string): string => `indexed!${author}`,
  /** `checked!author` -> number: the background permit-check cursor (ledger.md §4.1). */
  checked: (author: string): string => `checked!${author}`,
  /** -> string: when the last write probe of readiness (`/readyz`) was written (ISO 8601); nothing reads it. */
  PROBE: 'probe',
  /** -> 'v1-committed': a v1 upgrade is committed (schema 3) but not finished (ledger.md §7.1); absent otherwise. */
  UPGRADE: 'upgrade'
  // retired: (none yet)
} as const

const INDEXED = 'indexed!'
/** The range of every `indexed!author` key. */
export const indexedRange = (): { gt: string, lt: string } => ({ gt: INDEXED, lt: prefixEnd(INDEXED) })
const CHECKED = 'checked!'
/** The range of every `checked!author` key. */
export const checkedRange = (): { gt: string, lt: string } => ({ gt: CHECKED, lt: prefixEnd(CHECKED) })
/** The author named by an `indexed!author` key. */
export const authorOfIndexedKey = (key: string): string => key.slice(INDEXED.length)

/** The secondary indexes of the INDEX sublevel, by key prefix. */
export const IndexPrefix = {
  /** `s!STATUS!party!number`: by recorded status. */
  STATUS: 's!',
  /** `sp!species!party!number`: by scientific name, lower case. */
  SPECIES: 'sp!',
  /** `d!issueTime13!party!number`: by issue time. */
  DATE: 'd!'
  // retired: (none yet)
} as const

export const pad = (n: number, width: number): string => String(n).padStart(width, '0')

/** Upper bound for a prefix range scan. */
export const prefixEnd = (prefix: string): string => prefix + '\xff'

/** Every key under `prefix` (exclusive of the prefix itself). */
export const prefixRange = (prefix: string): { gt: string, lt: string } => ({ gt: prefix, lt: prefixEnd(prefix) })

// ---- LOG, PENDING, CHECKPOINT, HEAD: keyed by author -------------------------

export const logKey = (author: string, seq: number): string => `${author}!${pad(seq, 12)}`
/** Every key of one author in LOG, PENDING or CHECKPOINT. */
export const authorRange = (author: string): { gt: string, lt: string } => prefixRange(`${author}!`)
/** The end of one author's keys (for a `gte` start and this `lt`). */
export const authorEnd = (author: string): string => prefixEnd(`${author}!`)
/** The sequence number (or size) in a LOG, PENDING or CHECKPOINT key of `author`. */
export const seqOfKey = (author: string, key: string): number => Number(key.slice(author.length + 1))
/** The author of a LOG or PENDING key. */
export const authorOfKey = (key: string): string => key.slice(0, key.indexOf('!'))
export const checkpointKey = (author: string, size: number): string => `${author}!${pad(size, 12)}`
export const headKey = (author: string): string => author

// ---- STAGE (a v1 upgrade) -----------------------------------------------------------

export const stageKey = (seq: number): string => pad(seq, 12)
export const seqOfStageKey = (key: string): number => Number(key)

// ---- EVIDENCE -------------------------------------------------------------------

/** One of two conflicting events at `seq`, named by its hash (hex). */
export const eventEvidenceKey = (author: string, seq: number, hashHex: string): string => `${logKey(author, seq)}!${hashHex}`
/** One of two conflicting checkpoints of `size`, named by the hash of its bytes (hex). */
export const checkpointEvidenceKey = (author: string, size: number, hashHex: string): string => `${checkpointKey(author, size)}!${hashHex}`

// ---- PERMIT, DELIVERY, CLAIM: keyed by permit ----------------------------------------

export const permitKey = (party: string, number: string): string => `${party}!${number}`
/** Every PERMIT key of one party. */
export const partyPrefix = (party: string): string => `${party}!`
export const deliveryKey = permitKey
export const documentKey = permitKey
export const claimKey = (party: string, number: string, claimant: string, seq: number): string => `${party}!${number}!${claimant}!${pad(seq, 12)}`
/** Every CLAIM key of one permit. */
export const claimRange = (party: string, number: string): { gt: string, lt: string } => prefixRange(`${party}!${number}!`)

// ---- INDEX ------------------------------------------------------------------------

export const statusIndexKey = (status: string, party: string, number: string): string => `${IndexPrefix.STATUS}${status}!${party}!${number}`
export const speciesIndexKey = (species: string, party: string, number: string): string => `${IndexPrefix.SPECIES}${species.toLowerCase()}!${party}!${number}`
export const dateIndexKey = (time: number, party: string, number: string): string => `${IndexPrefix.DATE}${pad(time, 13)}!${party}!${number}`
export const statusIndexPrefix = (status: string): string => `${IndexPrefix.STATUS}${status}!`
export const speciesIndexPrefix = (species: string): string => `${IndexPrefix.SPECIES}${species.toLowerCase()}!`
/** The date index's bounds for an issue-time range (inclusive, ms). */
export const dateIndexFrom = (time: number): string => `${IndexPrefix.DATE}${pad(Math.max(0, time), 13)}`
export const dateIndexTo = (time: number): string => prefixEnd(dateIndexFrom(time))

// ---- ALERT -----------------------------------------------------------------------

/** An alert's key and id: its time, then a counter for alerts of the same millisecond. */
export const alertKey = (time: number, counter: number): string => `${pad(time, 13)}!${pad(counter % 1_000_000, 6)}`
