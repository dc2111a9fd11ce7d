/**
 * The ledger's checks (status, use, confirmation) when no ledger was
 * consulted: SKIPPED, so an offline verdict says what it did not check.
 */
import { defineCodes } from '@cites/runtime'
import { check, type Check } from '@cites/permit'
import type { CheckInfo } from '../compose.js'

export const NOT_CONSULTED_CODES = defineCodes({
  LEDGER_NOT_CONSULTED: { kind: 'unavailable', summary: 'SKIPPED: an offline check; no ledger was consulted' }
})

export const notConsulted: CheckInfo = { name: 'not-consulted', reportedAs: ['status', 'use', 'confirmation'], codes: NOT_CONSULTED_CODES, passCodes: [] }

/** status, use and confirmation, SKIPPED. */
export function notConsultedFragments (): Check[] {
  return (['status', 'use', 'confirmation'] as const).map((name) => check(name, 'SKIPPED', 'LEDGER_NOT_CONSULTED', 'offline check: no ledger was consulted'))
}
