/**
 * One error class per failure, each with a stable code from this package's
 * registry (STYLE.md). Codes never change meaning and are never reused.
 */
import { CodedError, defineCodes } from '@cites/runtime'

export const REFDATA_CODES = defineCodes({
  REFDATA_SNAPSHOT_UNREADABLE: { kind: 'unavailable', summary: 'the reference-data snapshot file is missing, not gzip\'d JSON, or not in this format' },
  REFDATA_IMPORT_INVALID: { kind: 'bad-request', summary: 'a CSV given to the importer lacks a required column or file' },
  REFDATA_DATE_INVALID: { kind: 'bad-request', summary: 'a date is not YYYY-MM-DD' }
})
export type RefdataCode = keyof typeof REFDATA_CODES

export abstract class RefdataError extends CodedError {
  abstract override readonly code: RefdataCode
}

/** The snapshot cannot be read: the node cannot check species without it. */
export class SnapshotUnreadableError extends RefdataError { readonly code = 'REFDATA_SNAPSHOT_UNREADABLE' }

/** An importer input lacks a required file or column. */
export class ImportInvalidError extends RefdataError { readonly code = 'REFDATA_IMPORT_INVALID' }

/** A date argument is not an ISO calendar date. */
export class DateInvalidError extends RefdataError { readonly code = 'REFDATA_DATE_INVALID' }
