/**
 * A split issuer log: the node judging holds evidence that the issuing
 * authority signed two different versions of its log (two events at one
 * sequence number, or two checkpoints of one size with different roots,
 * each verified against the authority's key). The permit's history as held
 * here may then not be the one other authorities hold: the other version
 * may record a use, a cancellation, or another permit under this number.
 * Every permit of that authority is affected (a hidden event can concern any
 * of them), so the `status` check fails with ISSUER_EQUIVOCATED, naming the
 * positions and whether this permit's own events lie at or after the split.
 */
import { defineCodes } from '@cites/runtime'
import { check, type Check, type Verdict } from '@cites/permit'
import type { PermitState } from '@cites/ledger'
import { replaceCheck, type CheckInfo, type Fragment } from '../compose.js'

export const EQUIVOCATION_CODES = defineCodes({
  ISSUER_EQUIVOCATED: { kind: 'conflict', summary: 'the issuing authority signed two different versions of its log (an EQUIVOCATION alert with evidence): the permit\'s status cannot be relied on' }
})

export const equivocation: CheckInfo = { name: 'equivocation', reportedAs: ['status'], codes: EQUIVOCATION_CODES, passCodes: [] }

/**
 * `positions`: where `party`'s log is proven split (sequence numbers or
 * checkpoint sizes, ascending); `state`: the permit as held here, if known;
 * `held`: the status check the verdict would otherwise carry (its message is kept).
 */
export function equivocationFragment (party: string, positions: readonly number[], state?: PermitState, held?: Check): Fragment {
  const first = positions[0]
  if (first === undefined) return undefined
  const shown = positions.slice(0, 5).map((p) => `#${p}`).join(', ') + (positions.length > 5 ? ', ...' : '')
  const touching = (state?.events ?? []).filter((seq) => seq >= first)
  const mine = touching.length > 0
    ? `this permit's events ${touching.map((s) => `#${s}`).join(', ')} are at or after the split`
    : 'another version of the log may record a different status for this permit'
  const before = held !== undefined ? ` (the log held here says: ${held.reason.message})` : ''
  return check('status', 'INVALID', 'ISSUER_EQUIVOCATED', `${party} signed two different versions of its log (at ${shown}); ${mine}${before}`)
}

/** `v` with its status check replaced by the equivocation's, when `party`'s log is proven split; else `v`. */
export function withEquivocation<V extends Verdict & { state?: PermitState }> (v: V, party: string, positions: readonly number[]): V {
  const f = equivocationFragment(party, positions, v.state, v.checks.find((c) => c.name === 'status'))
  return f === undefined ? v : replaceCheck(v, f, true)
}
