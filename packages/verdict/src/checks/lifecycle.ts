/**
 * Lifecycle state: what the issuer's log says of the permit now: in force
 * (issued or export endorsed), cancelled, or replaced; or that no node holds
 * it. Derived from the issuer's signed events, never from the answerer's word.
 * (Expiry is the validity check's; `derivedStatus` reports EXPIRED as in
 * force here, as it always has.)
 */
import { defineCodes } from '@cites/runtime'
import { check, type Check } from '@cites/permit'
import { derivedStatus, type PermitState } from '@cites/ledger'
import type { CheckInfo } from '../compose.js'

export const LIFECYCLE_CODES = defineCodes({
  PERMIT_CANCELLED: { kind: 'conflict', summary: 'the issuer cancelled the permit' },
  PERMIT_REPLACED: { kind: 'conflict', summary: 'the issuer replaced the permit by another' },
  PERMIT_NOT_FOUND: { kind: 'not-found', summary: 'the permit is not known to the node asked (or to this node)' }
})

export const lifecycle: CheckInfo = { name: 'lifecycle', reportedAs: ['status'], codes: LIFECYCLE_CODES, passCodes: ['OK'] }

/** The permit's status at `now`, from its state in the issuer's log. */
export function lifecycleFragment (state: PermitState, now: Date): Check {
  const status = derivedStatus(state, now.getTime())
  return status === 'CANCELLED'
    ? check('status', 'INVALID', 'PERMIT_CANCELLED', `cancelled: ${state.cancellation?.reason ?? ''}`)
    : status === 'REPLACED'
      ? check('status', 'INVALID', 'PERMIT_REPLACED', `replaced by ${state.replacement?.number ?? '?'}`)
      : check('status', 'VALID', 'OK', status === 'ENDORSED' ? 'in force; export endorsed' : 'in force')
}

/** No events of the permit could be had; `message` says where it was looked for. */
export function permitNotFoundFragment (message: string): Check {
  return check('status', 'INVALID', 'PERMIT_NOT_FOUND', message)
}
