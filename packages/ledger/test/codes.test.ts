/**
 * One registry of the ledger's codes (LEDGER_CODES): every error class's
 * code, every event rejection and alert kind is in it, and the HTTP statuses
 * derived from it are the ones the API answered with before the registry.
 */
import { describe, expect, it } from 'vitest'
import { httpStatusTable } from '@cites/runtime'
import * as ledger from '../src/index.js'
import type { AlertKind, EventRejection, Receipt } from '../src/index.js'

describe('LEDGER_CODES', () => {
  const receipt = { seq: 1 } as unknown as Receipt
  const errors: ledger.LedgerError[] = [
    new ledger.PermitNotFoundError('m'), new ledger.PermitAlreadyIssuedError('m'), new ledger.DuplicateNumberError('m', '26CH1'), new ledger.PermitCancelledError('m'), new ledger.PermitReplacedError('m'),
    new ledger.AlreadyConsumedError('m', receipt), new ledger.EndorsementAfterConsumptionError('m'), new ledger.AlreadyEndorsedError('m'),
    new ledger.PermitExpiredError('m'), new ledger.PermitNotYetValidError('m'), new ledger.QuantityExceededError('m', 'A', 1), new ledger.InvalidLinesError('m'),
    new ledger.NotIssuerError('m'), new ledger.PermitNotSignedError('m', []), new ledger.InvalidEventError('EVENT_MALFORMED', 'm', 3), new ledger.LedgerOpenError('m'),
    new ledger.LedgerReadOnlyError('m'), new ledger.PermitNumberInvalidError('m'), new ledger.SignerNotTrustedError('m'), new ledger.NotDestinationError('m'),
    new ledger.ProvisionallyConsumedError('m'), new ledger.ClaimInvalidError('m'), new ledger.ExportEndorsedError('m'), new ledger.NotEndorsedError('m'), new ledger.ReplacementExceedsError('m'),
    new ledger.ActorInvalidError('m')
  ]

  it('registers the code of every error class, which keeps its name and extra fields', () => {
    for (const e of errors) {
      expect(ledger.LEDGER_CODES[e.code], e.code).toBeDefined()
      expect(e).toBeInstanceOf(ledger.LedgerError)
      expect(e.name).toBe(e.constructor.name)
    }
    expect(new ledger.QuantityExceededError('m', 'A', 7)).toMatchObject({ code: 'QUANTITY_EXCEEDED', line: 'A', allowed: 7 })
    expect(new ledger.InvalidEventError('EVENT_WRONG_LOG', 'm', 3)).toMatchObject({ code: 'EVENT_INVALID', reason: 'EVENT_WRONG_LOG', seq: 3 })
    expect(new ledger.AlreadyConsumedError('m', receipt).receipt).toBe(receipt)
  })

  it('registers every event rejection and alert kind', () => {
    const reasons: EventRejection[] = ['EVENT_MALFORMED', 'EVENT_UNKNOWN_AUTHOR', 'EVENT_SIGNATURE_INVALID', 'EVENT_CERT_NOT_GRANTED', 'EVENT_PREV_HASH_MISMATCH', 'EVENT_TRANSITION_INVALID', 'EVENT_WRONG_LOG', 'CHECKPOINT_INVALID']
    const kinds: AlertKind[] = ['EQUIVOCATION', 'TRANSITION_REFUSED', 'CHECKPOINT_MISMATCH', 'DIVERTED_USE', 'CLAIM_REFUSED', 'PERMIT_SIGNATURE_INVALID']
    for (const c of [...reasons, ...kinds, 'EVENT_MISSING', 'HEAD_MISMATCH']) expect(ledger.LEDGER_CODES[c as ledger.LedgerCode], c).toBeDefined()
  })

  it('derives the statuses the HTTP API answered with', () => {
    const status = httpStatusTable(ledger.LEDGER_CODES)
    const before: Record<string, number> = {
      PERMIT_NOT_FOUND: 404, ALREADY_CONSUMED: 409, ALREADY_CONSUMED_PROVISIONALLY: 409, PERMIT_ALREADY_ISSUED: 409, DUPLICATE_NUMBER: 409, ALREADY_ENDORSED: 409, ENDORSEMENT_AFTER_CONSUMPTION: 409,
      PERMIT_CANCELLED: 409, PERMIT_REPLACED: 409, QUANTITY_EXCEEDED: 422, INVALID_LINES: 422, PERMIT_EXPIRED: 422, PERMIT_NOT_YET_VALID: 422, PERMIT_NUMBER_INVALID: 422,
      PERMIT_SIGNATURE_INVALID: 422, NOT_DESTINATION: 422, CLAIM_INVALID: 422, NOT_ISSUER: 403, SIGNER_NOT_TRUSTED: 503, LEDGER_READ_ONLY: 503
    }
    for (const [code, s] of Object.entries(before)) expect(status.get(code), code).toBe(s)
  })
})
