/**
 * Confirmation by the issuer: whether the issuing authority's own node gave
 * the events. Not a failure when it did not (a replica's events are signed
 * by the issuer all the same), so SKIPPED, with where they came from.
 */
import { defineCodes } from '@cites/runtime'
import { check, type Check } from '@cites/permit'
import type { CheckInfo } from '../compose.js'

export const CONFIRMATION_CODES = defineCodes({
  NOT_CONFIRMED_BY_ISSUER: { kind: 'unavailable', summary: 'SKIPPED: judged from a replica of the issuer\'s log; the issuer did not answer' }
})

export const confirmation: CheckInfo = { name: 'confirmation', reportedAs: ['confirmation'], codes: CONFIRMATION_CODES, passCodes: ['ISSUER_CONFIRMED'] }

/** `answeredBy`: the party whose node gave the events; undefined for this node's own replica. */
export function confirmationFragment (party: string, answeredBy: string | undefined): Check {
  if (answeredBy === party) return check('confirmation', 'VALID', 'ISSUER_CONFIRMED', 'answered by the issuing authority\'s node')
  return check('confirmation', 'SKIPPED', 'NOT_CONFIRMED_BY_ISSUER', answeredBy === undefined
    ? 'from this node\'s replica of the issuer\'s log; the issuer was not asked'
    : `answered from ${answeredBy}'s replica, not by the issuer`)
}
