/**
 * Document integrity: the signed permit is intact and signed under the
 * hardened XML-DSig profile (permit-profile.md, rules 1-4). Its codes are the
 * profile's (`SigCode`: XML_*, SIG_*) and the safe parser's (XML_TOO_LARGE,
 * ...); the two below are the verifier's when the signature cannot be judged.
 * A security stamp that does not match (stamp.ts) and a document that does
 * not match its recorded hash (registered.ts) are reported under this name too.
 */
import { defineCodes } from '@cites/runtime'
import type { Verdict } from '@cites/permit'
import type { CheckInfo, Fragment } from '../compose.js'

export const INTEGRITY_CODES = defineCodes({
  NOT_CHECKED: { kind: 'unprocessable', summary: 'SKIPPED: the signature was not checked (no certificate to check it with, or refused earlier)' },
  NO_TRUSTED_KEY: { kind: 'unprocessable', summary: 'SKIPPED: no trusted key of the signature\'s algorithm to check it with' }
})

export const integrity: CheckInfo = { name: 'integrity', reportedAs: ['integrity'], codes: INTEGRITY_CODES, passCodes: ['OK'] }

/** The integrity check of a signature verdict (`verifySignedPermit`); always present there. */
export function integrityFragment (signature: Pick<Verdict, 'checks'>): Fragment {
  return signature.checks.find((c) => c.name === 'integrity')
}
