/**
 * The verdict a verifier returns: a list of checks, in the OpenAttestation
 * "fragments" style, plus an overall `valid`. Check names and reason codes
 * are stable (protocol-spec/permit-profile.md) and never renumbered.
 */

/** Names of the checks, in the order they are reported. */
export const CHECK_NAMES = ['integrity', 'issuer', 'rules', 'reference', 'validity', 'status', 'use', 'confirmation', 'destination'] as const
export type CheckName = typeof CHECK_NAMES[number]

/** VALID passed; INVALID failed; ERROR could not be run (never counts as valid); SKIPPED not applicable here. */
export type CheckStatus = 'VALID' | 'INVALID' | 'ERROR' | 'SKIPPED'

export interface CheckReason {
  /** Stable code, e.g. `SIG_DIGEST_MISMATCH`. */
  code: string
  /** Plain words for a customs officer; may change between versions. */
  message: string
}

export interface Check {
  name: CheckName
  status: CheckStatus
  reason: CheckReason
  /** Extra problems, e.g. every rule problem for `rules`. */
  details?: Array<{ code: string, message: string, box?: string, line?: string }>
}

export interface Verdict {
  /** True only when no check is INVALID or ERROR and integrity and issuer are VALID. */
  valid: boolean
  checks: Check[]
}

/**
 * Combine checks into a verdict. Fail closed: a verdict is valid only when
 * `integrity` and `issuer` are present and VALID and nothing is INVALID or
 * ERROR. An empty list is never valid.
 */
export function makeVerdict (checks: Check[]): Verdict {
  const byName = new Map(checks.map((c) => [c.name, c]))
  const valid = byName.get('integrity')?.status === 'VALID' &&
    byName.get('issuer')?.status === 'VALID' &&
    checks.every((c) => c.status === 'VALID' || c.status === 'SKIPPED')
  const order = new Map(CHECK_NAMES.map((n, i) => [n, i]))
  return { valid, checks: [...checks].sort((a, b) => (order.get(a.name) ?? 99) - (order.get(b.name) ?? 99)) }
}

/** Shorthand for a check. */
export function check (name: CheckName, status: CheckStatus, code: string, message: string): Check {
  return { name, status, reason: { code, message } }
}
