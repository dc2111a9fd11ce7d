/**
 * The composer: every verdict this package returns is made here, from the
 * fragments the check files return, in the OpenAttestation style. A check
 * that does not apply returns nothing and is left out.
 */
import { makeVerdict, type Check, type CheckName, type Verdict } from '@cites/permit'
import type { CodeRegistry } from '@cites/runtime'

/** What a check file returns: a check, or nothing when it does not apply. */
export type Fragment = Check | undefined

/**
 * What each check file declares about itself. `name` is the check's own name
 * in this module; `reportedAs` the user-facing check names (permit-profile.md)
 * under which its fragments appear, which never change; `codes` the stable
 * codes it introduces (codes passed through from the signature profile, the
 * CITES rules or the ledger are registered by those packages).
 */
export interface CheckInfo {
  readonly name: string
  readonly reportedAs: readonly CheckName[]
  readonly codes: CodeRegistry
  /** Codes it reports when the check passes (not failures, so not in `codes`). */
  readonly passCodes: readonly string[]
}

/**
 * Compose fragments into a verdict (fail closed: valid only when integrity
 * and issuer are present and VALID and nothing is INVALID or ERROR; the
 * checks in their reporting order).
 */
export function composeVerdict (fragments: Iterable<Fragment>): Verdict {
  const checks: Check[] = []
  for (const f of fragments) if (f !== undefined) checks.push(f)
  return makeVerdict(checks)
}

/**
 * `v` recomposed with `fragment` in place of its check of the same name;
 * when `v` has no such check, the fragment is added if `orAdd`, else `v` is
 * recomposed unchanged. The rest of `v` (permit, state, ...) is kept; the
 * result is always a copy.
 */
export function replaceCheck<V extends Verdict> (v: V, fragment: Check, orAdd: boolean): V {
  const checks = v.checks.map((c) => c.name === fragment.name ? fragment : c)
  if (orAdd && !v.checks.some((c) => c.name === fragment.name)) checks.push(fragment)
  return { ...v, ...makeVerdict(checks) }
}
