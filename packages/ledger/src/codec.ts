/**
 * The typed codec of each store: which sublevel holds which value type, in
 * which encoding. This is the one module where a stored value becomes a
 * typed value: everything else reads typed values through LedgerStore.
 *
 * The encodings are level's built-in `view` (bytes), `json` and `utf8`, as
 * they always were: the bytes on disk do not change.
 */
import type { Level } from 'level'
import { Sublevel, type SublevelName } from './keys.js'
import type { Alert, ClaimRecord, DeliveryRecord, DocumentRecord, LogHead } from './types.js'
import type { PermitState } from './state.js'

/** The value type of each store. */
export interface StoreValues {
  LOG: Uint8Array
  HEAD: LogHead
  CHECKPOINT: Uint8Array
  PENDING: Uint8Array
  EVIDENCE: Uint8Array
  PERMIT: PermitState
  /** The permit key (`party!number`) an index entry points to. */
  INDEX: string
  ALERT: Alert
  DELIVERY: DeliveryRecord
  CLAIM: ClaimRecord
  /** Numbers (schema, cursors) and the party; read through {@link metaNumber} / {@link metaString}. */
  META: MetaValue
  DOC: DocumentRecord
  /** A document's key, wrapped: IV (12 bytes) || ciphertext || GCM tag. */
  DOCKEY: Uint8Array
  /** A carried own event (a v1 upgrade under way). */
  STAGE: Uint8Array
}
export type MetaValue = number | string

const ENCODING: Record<SublevelName, 'view' | 'json' | 'utf8'> = {
  LOG: 'view',
  HEAD: 'json',
  CHECKPOINT: 'view',
  PENDING: 'view',
  EVIDENCE: 'view',
  PERMIT: 'json',
  INDEX: 'utf8',
  ALERT: 'json',
  DELIVERY: 'json',
  CLAIM: 'json',
  META: 'json',
  DOC: 'json',
  DOCKEY: 'view',
  STAGE: 'view'
}

/** What the store layer needs of a sublevel, typed by its value. */
export interface TypedSublevel<V> {
  get: (key: string) => Promise<V | undefined>
  getMany: (keys: string[]) => Promise<Array<V | undefined>>
  iterator: (range?: Range) => AsyncIterable<[string, V]>
  keys: (range?: Range) => AsyncIterable<string>
  values: (range?: Range) => AsyncIterable<V>
  clear: () => Promise<void>
}
export interface Range { gt?: string, gte?: string, lt?: string, lte?: string, limit?: number, reverse?: boolean }

export type Sublevels = { [N in SublevelName]: TypedSublevel<StoreValues[N]> }

/** Open every sublevel of `db` with its codec. */
export function openSublevels (db: Level<string, unknown>): { typed: Sublevels, raw: Record<SublevelName, unknown> } {
  const raw = {} as Record<SublevelName, unknown>
  for (const name of Object.keys(Sublevel) as SublevelName[]) {
    raw[name] = db.sublevel<string, unknown>(Sublevel[name], { keyEncoding: 'utf8', valueEncoding: ENCODING[name] })
  }
  // The one cast from stored to typed values: the codec table above is the
  // contract between what is written (LedgerStore.write takes StoreValues)
  // and what is read.
  return { typed: raw as unknown as Sublevels, raw }
}

/** A META value that must be a number (schema, cursors). */
export function metaNumber (v: MetaValue | undefined): number | undefined {
  return typeof v === 'number' ? v : undefined
}

/** A META value that must be a string (the party). */
export function metaString (v: MetaValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined
}
