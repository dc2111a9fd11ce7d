/**
 * Stamp: the security stamp on the paper permit (Box 5b), when the officer
 * gives it, is the signed permit's. A mismatch is reported under
 * `integrity`, in place of the signature's check: the paper is not the
 * document that was signed.
 */
import { defineCodes } from '@cites/runtime'
import { check, type Permit, type Verdict } from '@cites/permit'
import { hex, sha256, type PermitState } from '@cites/ledger'
import type { CheckInfo, Fragment } from '../compose.js'
import { replaceCheck } from '../compose.js'

export const STAMP_CODES = defineCodes({
  SECURITY_STAMP_MISMATCH: { kind: 'unprocessable', summary: 'the security stamp on the paper does not match the signed permit' }
})

export const stamp: CheckInfo = { name: 'stamp', reportedAs: ['integrity'], codes: STAMP_CODES, passCodes: [] }

const MISMATCH = (): Fragment => check('integrity', 'INVALID', 'SECURITY_STAMP_MISMATCH', 'the security stamp on the paper does not match the signed permit')

/**
 * Nothing when no stamp was given, or the stamps match (surrounding spaces
 * of the given one ignored). Compared with the signed permit's stamp when
 * it was read; else (r17, a verdict from the summary) with the stamp's
 * SHA-256 in the issuer's summary; nothing to compare without either.
 */
export function stampFragment (permit: Permit | undefined, given: string | undefined, state?: Pick<PermitState, 'stampSha256'>): Fragment {
  if (given === undefined || given === '') return undefined
  if (permit !== undefined) return permit.securityStamp === given.trim() ? undefined : MISMATCH()
  if (state === undefined) return undefined
  return state.stampSha256 === hex(sha256(new TextEncoder().encode(given.trim()))) ? undefined : MISMATCH()
}

/** `v` with the stamp check applied: a mismatch replaces its integrity check. `v` itself when there is nothing to apply. */
export function withStamp<V extends Verdict & { permit?: Permit, state?: PermitState }> (v: V, given: string | undefined): V {
  const f = stampFragment(v.permit, given, v.state)
  return f === undefined ? v : replaceCheck(v, f, false)
}
