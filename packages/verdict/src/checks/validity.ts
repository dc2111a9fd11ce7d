/**
 * Validity window: the time is inside Box 2. Expiry is derived from the
 * dates, never recorded, so this is the one check recomputed on every call,
 * memoised verdicts included. The check itself is `validityCheck` of
 * @cites/xml-signature (its codes below).
 */
import { defineCodes } from '@cites/runtime'
import type { Permit, Verdict } from '@cites/permit'
import { validityCheck } from '@cites/xml-signature'
import type { PermitState } from '@cites/ledger'
import type { CheckInfo, Fragment } from '../compose.js'
import { summaryValidityFragment } from './summary.js'
import { replaceCheck } from '../compose.js'

export const VALIDITY_CODES = defineCodes({
  VALIDITY_MISSING: { kind: 'unprocessable', summary: 'the permit has no usable validity dates' },
  // The same codes, and kinds, as the ledger's refusals of an action out of Box 2.
  PERMIT_NOT_YET_VALID: { kind: 'unprocessable', summary: 'the time is before Box 2\'s first day' },
  PERMIT_EXPIRED: { kind: 'unprocessable', summary: 'the time is after Box 2\'s last day' }
})

export const validity: CheckInfo = { name: 'validity', reportedAs: ['validity'], codes: VALIDITY_CODES, passCodes: ['OK'] }

/** The validity of `permit` at `at`; nothing when no permit could be read. */
export function validityFragment (permit: Permit | undefined, at: Date): Fragment {
  return permit === undefined ? undefined : validityCheck(permit, at)
}

/**
 * A memoised verdict with its validity check recomputed at `at` (the only
 * check that depends on the time). Always a copy: callers may adjust their
 * verdict afterwards (e.g. the security stamp).
 */
export function withValidityAt<V extends Verdict & { permit?: Permit, state?: PermitState }> (v: V, at: Date): V {
  // A verdict from the issuer's summary (r17) has no permit read: its window is the summary's.
  const fresh = v.permit === undefined && v.state !== undefined ? summaryValidityFragment(v.state, at) : validityFragment(v.permit, at)
  if (fresh === undefined) return { ...v, checks: [...v.checks] }
  return replaceCheck(v, fresh, false)
}
