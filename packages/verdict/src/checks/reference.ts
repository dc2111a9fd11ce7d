/**
 * Reference data: the permit's lines against the dated CITES reference data
 * (species known, synonyms, the appendix of the origin's population on the
 * date of grant, # annotations, suspensions, source against kingdom, the
 * Trade Database's term pairs: @cites/refdata's checkAgainstReference).
 * INVALID when a rule gives an error (the reason is the first error's code);
 * VALID otherwise, with the warnings in `details`. The check carries the
 * snapshot's date: what the data could not know is said, not hidden.
 */
import type { Check, CheckName, Permit, Verdict } from '@cites/permit'
import { checkAgainstReference, REFERENCE_RULE_CODES, type ReferenceCheckOptions, type ReferenceData } from '@cites/refdata'
import { replaceCheck, type CheckInfo, type Fragment } from '../compose.js'

/** The check's name (in @cites/permit's CHECK_NAMES, after `rules`). */
export const REFERENCE_CHECK: CheckName = 'reference'

export const reference: CheckInfo = { name: 'reference', reportedAs: [REFERENCE_CHECK], codes: REFERENCE_RULE_CODES, passCodes: ['OK'] }

/** The reference check: a check with the date of the snapshot it used. */
export interface ReferenceCheck extends Check {
  /** The reference-data snapshot's date (YYYY-MM-DD). */
  snapshotDate: string
}

/** The reference check of a permit. */
export function referenceFragment (permit: Permit, rd: ReferenceData, opts: ReferenceCheckOptions = {}): Fragment {
  const problems = checkAgainstReference(permit, rd, opts)
  const details = problems.map((p) => ({ code: p.code, message: `${p.severity}: ${p.message}`, box: p.box, ...(p.line !== undefined ? { line: p.line } : {}) }))
  const firstError = problems.find((p) => p.severity === 'error')
  const snapshotDate = rd.snapshotDate
  const warnings = problems.length - problems.filter((p) => p.severity === 'error').length
  const c: ReferenceCheck = firstError !== undefined
    ? { name: REFERENCE_CHECK, status: 'INVALID', reason: { code: firstError.code, message: firstError.message }, snapshotDate }
    : { name: REFERENCE_CHECK, status: 'VALID', reason: { code: 'OK', message: `checked against the CITES reference data of ${snapshotDate}${warnings > 0 ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}` }, snapshotDate }
  if (details.length > 0) c.details = details
  return c
}

/**
 * The check of a permit read from a document is the same every time it is
 * judged (it depends on the permit, the snapshot and the policy only, the
 * date being the permit's own date of grant): kept per permit object, so a
 * verdict from the node's document cache costs no second check.
 */
const memo = new WeakMap<ReferenceData, WeakMap<Permit, Map<string, Fragment>>>()
function memoFragment (permit: Permit, rd: ReferenceData, opts: ReferenceCheckOptions): Fragment {
  if (opts.on !== undefined) return referenceFragment(permit, rd, opts)
  let byPermit = memo.get(rd)
  if (byPermit === undefined) memo.set(rd, byPermit = new WeakMap())
  let byPolicy = byPermit.get(permit)
  if (byPolicy === undefined) byPermit.set(permit, byPolicy = new Map())
  const key = opts.suspensions ?? 'warn'
  if (!byPolicy.has(key)) byPolicy.set(key, referenceFragment(permit, rd, opts))
  const f = byPolicy.get(key)
  // A copy: a later step (the stamp, the destination) must not change the kept one.
  return f === undefined ? undefined : { ...f }
}

/** `v` with its reference check (added, or replaced); `v` itself when it has no readable permit. */
export function withReference<V extends Verdict & { permit?: Permit }> (v: V, rd: ReferenceData, opts: ReferenceCheckOptions = {}): V {
  if (v.permit === undefined) return v
  const f = memoFragment(v.permit, rd, opts)
  return f === undefined ? v : replaceCheck(v, f, true)
}
