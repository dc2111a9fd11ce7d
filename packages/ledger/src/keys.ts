/**
 * The one registry of LevelDB sublevels and key layouts (ARCHITECTURE.md,
 * Ledger). A retired name stays here as a comment and is never reused.
 *
 * Sequence numbers and times are zero-padded so that key order is numeric
 * order.
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
  /** `author!seq12!hash` -> SignedEvent or SignedCheckpoint bytes kept as equivocation evidence. */
  EVIDENCE: 'evidence',
  /** `party!number` -> PermitState. Derived index. */
  PERMIT: 'permit',
  /** Secondary indexes, values empty. Derived. `s!STATUS!party!number`, `sp!species!party!number`, `d!issueTime13!party!number`. */
  INDEX: 'index',
  /** `time13!counter6` -> Alert. */
  ALERT: 'alert',
  /** `party!number` -> DeliveryRecord: pushing an own ISSUED event to its destination. Written with the ISSUED event. */
  DELIVERY: 'delivery',
  /** `party!number!claimant!seq12` -> ClaimRecord: a destination's PROVISIONAL_CONSUMED event of another party's permit. Derived from the claimant's log. */
  CLAIM: 'claim',
  /** `schema` -> number. */
  META: 'meta'
  // retired: (none yet)
} as const

export const SCHEMA_VERSION = 1

export const pad = (n: number, width: number): string => String(n).padStart(width, '0')
export const logKey = (author: string, seq: number): string => `${author}!${pad(seq, 12)}`
export const permitKey = (party: string, number: string): string => `${party}!${number}`
export const statusIndexKey = (status: string, party: string, number: string): string => `s!${status}!${party}!${number}`
export const speciesIndexKey = (species: string, party: string, number: string): string => `sp!${species.toLowerCase()}!${party}!${number}`
export const dateIndexKey = (time: number, party: string, number: string): string => `d!${pad(time, 13)}!${party}!${number}`
export const claimKey = (party: string, number: string, claimant: string, seq: number): string => `${party}!${number}!${claimant}!${pad(seq, 12)}`
export const checkpointKey = (author: string, size: number): string => `${author}!${pad(size, 12)}`

/** Upper bound for a prefix range scan. */
export const prefixEnd = (prefix: string): string => prefix + '\xff'
