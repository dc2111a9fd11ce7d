/**
 * Use: the permit was not used yet. A use recorded by the issuer
 * (CONSUMED) ends it; so does a provisional use recorded by a destination
 * during a partition, until the issuer's log confirms or refuses it.
 */
import { defineCodes } from '@cites/runtime'
import { check, type Check } from '@cites/permit'
import { multiUse, useWarnings, type ClaimView, type PermitState } from '@cites/ledger'

const unendorsedExport = (state: PermitState): boolean => useWarnings(state).includes('NOT_ENDORSED_AT_EXPORT')
import type { CheckInfo } from '../compose.js'

export const USE_CODES = defineCodes({
  ALREADY_CONSUMED: { kind: 'conflict', summary: 'the issuer recorded a use of the permit' },
  ALREADY_CONSUMED_PROVISIONALLY: { kind: 'conflict', summary: 'a destination recorded a provisional use the issuer has not yet confirmed or refused' }
})

export const use: CheckInfo = { name: 'use', reportedAs: ['use'], codes: USE_CODES, passCodes: ['OK', 'NOT_ENDORSED_AT_EXPORT', 'MULTI_USE'] }

/** The permit's use, from its state in the issuer's log and the provisional claims known here. */
export function useFragment (state: PermitState, claims: readonly ClaimView[]): Check {
  // A musical-instrument, travelling-exhibition or ownership certificate is
  // used at every border until it expires (ledger.md §3.7): its crossings
  // are history, not a reason to stop the holder.
  if (multiUse(state)) {
    const n = state.crossings?.length ?? 0
    const last = state.consumption
    return check('use', 'VALID', 'MULTI_USE', `a certificate used at every border until it expires: ${n} crossing${n === 1 ? '' : 's'} recorded${last !== undefined ? `, the latest on ${last.consumedAt} at ${last.port} (${last.consumingParty})` : ''}`)
  }
  if (state.consumption !== undefined) {
    const r = state.consumption
    const unendorsed = (r.warnings ?? []).includes('NOT_ENDORSED_AT_EXPORT') ? '; its Box 14 was empty when it was used' : ''
    return check('use', 'INVALID', 'ALREADY_CONSUMED', `already used on ${r.consumedAt} at ${r.port} (for ${r.consumingParty})${unendorsed}`)
  }
  // A claim counts until the issuer's log refuses it (a CLAIM_REFUSED event
  // naming it), whatever the claim's own view of its resolution says.
  const open = claims.find((c) => c.resolution !== 'refused' &&
    !(state.refusedClaims ?? []).some((r) => r.claimant === c.claimant && r.seq === c.seq && r.hash === c.hash))
  if (open !== undefined) {
    return check('use', 'INVALID', 'ALREADY_CONSUMED_PROVISIONALLY', `already used provisionally on ${new Date(open.time).toISOString()} at ${open.port} (${open.claimant}); not yet confirmed by the issuer`)
  }
  // Not a failure, but the officer must see it (issue 20): nobody recorded
  // what left the exporting country, so only Box 11 bounds the goods.
  if (unendorsedExport(state)) return check('use', 'VALID', 'NOT_ENDORSED_AT_EXPORT', 'not used; Box 14 is empty: the exporting country\'s customs did not record the export, so check the goods against Box 11')
  return check('use', 'VALID', 'OK', 'not used')
}
