/** Option parsers: bad values become usage errors (exit 2) with a stable code. */
import { InvalidArgumentError } from 'commander'
import { ISO_COUNTRIES, isUserAssignedCountry } from '@cites/permit'
import { AUTHORITY_ROLES, type AuthorityRole } from '@cites/trust-list'
import type { KeyAlgorithm } from '@cites/xml-signature'

export function partyOption (v: string): string {
  const p = v.toUpperCase()
  if (!(ISO_COUNTRIES.has(p) || p === 'EU' || isUserAssignedCountry(p))) throw new InvalidArgumentError(`"${v}" is not an ISO 3166-1 alpha-2 code (or EU, or XA..XZ for tests)`)
  return p
}

export function algorithmOption (v: string): KeyAlgorithm {
  const a = v.toLowerCase()
  if (a === 'ecdsa-p256' || a === 'ecdsa') return 'ECDSA-P256'
  if (a === 'rsa-2048' || a === 'rsa') return 'RSA-2048'
  throw new InvalidArgumentError('use ecdsa-p256 or rsa-2048')
}

export function roleOption (v: string): AuthorityRole {
  if (!(AUTHORITY_ROLES as readonly string[]).includes(v)) throw new InvalidArgumentError(`use one of ${AUTHORITY_ROLES.join(', ')}`)
  return v as AuthorityRole
}

export function collect (v: string, prev: string[] = []): string[] {
  return [...prev, v]
}

export function positiveInt (v: string): number {
  if (!/^\d{1,6}$/.test(v) || Number(v) < 1) throw new InvalidArgumentError('must be a whole number of at least 1')
  return Number(v)
}

export function dateOption (v: string): Date {
  const t = Date.parse(v)
  if (Number.isNaN(t)) throw new InvalidArgumentError('must be an ISO 8601 date or date-time')
  return new Date(t)
}
