/**
 * Judged from the issuer's signed summary alone (ledger.md §2.4, r17): a node
 * that is not a party to the trade holds no document, only the ISSUED
 * event's summary and the document's hash. It can say the permit is
 * genuinely registered by its issuer (the event's signature), its state,
 * destination, lines and validity window; not what the document says. So
 * `integrity` is SKIPPED with DOCUMENT_NOT_PRESENTED (or DOCUMENT_ERASED),
 * and the verdict, failing closed, is not valid until the document is
 * presented (XML upload, or a QR code checked by a party).
 */
import { defineCodes } from '@cites/runtime'
import { check, type Check } from '@cites/permit'
import type { PermitState } from '@cites/ledger'
import type { CheckInfo, Fragment } from '../compose.js'

export const SUMMARY_CODES = defineCodes({
  DOCUMENT_NOT_PRESENTED: { kind: 'unprocessable', summary: 'SKIPPED: judged from the issuer\'s signed summary; the document must be presented (XML or QR) to check its content' },
  DOCUMENT_ERASED: { kind: 'gone', summary: 'SKIPPED: the document was erased under the retention rule; its summary and hash remain' },
})

export const summary: CheckInfo = { name: 'summary', reportedAs: ['integrity', 'issuer'], codes: SUMMARY_CODES, passCodes: ['REGISTERED_BY_ISSUER'] }

/** integrity and issuer of a verdict judged from the summary: the content unchecked, the registration the issuer's. */
export function summaryFragments (party: string, erased: boolean): Check[] {
  return [
    erased
      ? check('integrity', 'SKIPPED', 'DOCUMENT_ERASED', 'the document was erased under the retention rule: its summary and hash remain; present the document to check its content')
      : check('integrity', 'SKIPPED', 'DOCUMENT_NOT_PRESENTED', 'judged from the issuer\'s signed summary: genuine registration, state, destination and lines; present the document (XML or its QR code) to check its content'),
    check('issuer', 'VALID', 'REGISTERED_BY_ISSUER', `registered by ${party}'s management authority (its listed key signed the summary and the document's hash)`)
  ]
}

/** The validity window from the summary's Box 2 instants at `at` (the validity check's codes, checks/validity.ts). */
export function summaryValidityFragment (s: Pick<PermitState, 'validFrom' | 'validUntil'>, at: Date): Fragment {
  const t = at.getTime()
  const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10)
  if (s.validFrom === 0 || s.validUntil === 0) return check('validity', 'INVALID', 'VALIDITY_MISSING', 'the permit has no usable validity dates')
  if (t < s.validFrom) return check('validity', 'INVALID', 'PERMIT_NOT_YET_VALID', `the permit is valid only from ${day(s.validFrom)}`)
  if (t > s.validUntil) return check('validity', 'INVALID', 'PERMIT_EXPIRED', `the permit expired on ${day(s.validUntil)}`)
  return check('validity', 'VALID', 'OK', `in force until ${day(s.validUntil)}`)
}
