/**
 * Stamp: the security stamp on the paper permit (Box 5b), when the officer
 * gives it, is the signed permit's. A mismatch is reported under
 * `integrity`, in place of the signature's check: the paper is not the
 * document that was signed.
 */
import { defineCodes } from '@cites/runtime'
import { check, type Permit, type Verdict } from '@cites/permit'
import type { CheckInfo, Fragment } from '../compose.js'
import { replaceCheck } from '../compose.js'

export const STAMP_CODES = defineCodes({
  SECURITY_STAMP_MISMATCH: { kind: 'unprocessable', summary: 'the security stamp on the paper does not match the signed permit' }
})

export const stamp: CheckInfo = { name: 'stamp', reportedAs: ['integrity'], codes: STAMP_CODES, passCodes: [] }

/** Nothing when no stamp was given, no permit was read, or the stamps match (surrounding spaces of the given one ignored). */
export function stampFragment (permit: Permit | undefined, given: string | undefined): Fragment {
  if (given === undefined || given === '' || permit === undefined || permit.securityStamp === given.trim()) return undefined
  return check('integrity', 'INVALID', 'SECURITY_STAMP_MISMATCH', 'the security stamp on the paper does not match the signed permit')
}

/** `v` with the stamp check applied: a mismatch replaces its integrity check. `v` itself when there is nothing to apply. */
export function withStamp<V extends Verdict & { permit?: Permit }> (v: V, given: string | undefined): V {
  const f = stampFragment(v.permit, given)
  return f === undefined ? v : replaceCheck(v, f, false)
}
