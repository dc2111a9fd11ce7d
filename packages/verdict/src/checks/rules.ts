/**
 * CITES rules: the permit read from the signed document meets the
 * Convention's rules (`checkPermit`). The reason is the first rule error's
 * code (`RuleCode`), every problem is in `details`; a permit that cannot be
 * read reports the reader's code (PERMIT_NOT_FOUND, PERMIT_VALUE_INVALID).
 */
import { defineCodes } from '@cites/runtime'
import type { Verdict } from '@cites/permit'
import type { CheckInfo, Fragment } from '../compose.js'

export const RULES_CODES = defineCodes({
  PERMIT_UNREADABLE: { kind: 'unprocessable', summary: 'the permit in the document could not be read' },
  RULES: { kind: 'unprocessable', summary: 'the permit breaks CITES rules (no rule error code was given)' }
})

export const rules: CheckInfo = { name: 'rules', reportedAs: ['rules'], codes: RULES_CODES, passCodes: ['OK'] }

/** The rules check of a signature verdict; absent when the document did not parse. */
export function rulesFragment (signature: Pick<Verdict, 'checks'>): Fragment {
  return signature.checks.find((c) => c.name === 'rules')
}
