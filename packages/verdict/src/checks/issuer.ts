/**
 * Issuer authorised at the time: the signing certificate is one the trust
 * list held for the issuing party (Box 6), granted and not withdrawn at the
 * permit's issue time, and valid then (permit-profile.md, rule 5). Its codes
 * are the profile's (`SigCode`: ISSUER_*).
 */
import { defineCodes } from '@cites/runtime'
import type { Verdict } from '@cites/permit'
import type { CheckInfo, Fragment } from '../compose.js'

export const ISSUER_CODES = defineCodes({
  NOT_CHECKED: { kind: 'unprocessable', summary: 'SKIPPED: the document could not be parsed, or its signature was refused before the issuer was checked' }
})

export const issuer: CheckInfo = { name: 'issuer', reportedAs: ['issuer'], codes: ISSUER_CODES, passCodes: ['OK'] }

/** The issuer check of a signature verdict (`verifySignedPermit`); always present there. */
export function issuerFragment (signature: Pick<Verdict, 'checks'>): Fragment {
  return signature.checks.find((c) => c.name === 'issuer')
}
