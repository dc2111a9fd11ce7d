/**
 * Registered by the issuer: the document judged is the one the issuer
 * recorded. The ISSUED event's XML matches the hash recorded beside it
 * (reported under `integrity`); the signed permit is the one asked about
 * (under `status`); a document presented at the border is byte for byte the
 * one recorded under its number (under `status`, in place of the ledger's
 * lifecycle check): a second document signed under the same number is not.
 */
import { defineCodes } from '@cites/runtime'
import { check, samePermitNumber, type Permit } from '@cites/permit'
import type { PermitState } from '@cites/ledger'
import type { CheckInfo, Fragment } from '../compose.js'

export const REGISTERED_CODES = defineCodes({
  XML_HASH_MISMATCH: { kind: 'unprocessable', summary: 'the ISSUED event\'s XML does not match the hash recorded with it' },
  PERMIT_MISMATCH: { kind: 'unprocessable', summary: 'the signed permit is not the one asked about (another number or issuing party)' },
  DOCUMENT_NOT_REGISTERED: { kind: 'unprocessable', summary: 'the presented document is not the one the issuer recorded under its number' }
})

export const registered: CheckInfo = { name: 'registered', reportedAs: ['integrity', 'status'], codes: REGISTERED_CODES, passCodes: [] }

/** The ISSUED event's XML against the hash recorded with it (both hex SHA-256). */
export function xmlHashFragment (xmlSha256: string, recordedSha256: string): Fragment {
  return xmlSha256 === recordedSha256 ? undefined : check('integrity', 'INVALID', 'XML_HASH_MISMATCH', 'the permit XML does not match its recorded hash')
}

/** The signed permit must be `party`/`number`, the permit its events are about. */
export function permitMismatchFragment (d: { permit?: Permit, party?: string }, party: string, number: string): Fragment {
  // One number, however spelt (permit-profile.md §2.1): the XML keeps the issuer's spelling, events the canonical form.
  return d.permit !== undefined && samePermitNumber(d.permit.number, number) && d.party === party ? undefined : check('status', 'INVALID', 'PERMIT_MISMATCH', 'the signed permit is not the one asked about')
}

/** A presented document must be the one recorded under its number (`state` from the issuer's log; nothing to compare without it). */
export function documentRegisteredFragment (state: Pick<PermitState, 'xmlSha256'> | undefined, xmlSha256: string): Fragment {
  if (state === undefined || state.xmlSha256 === xmlSha256) return undefined
  return check('status', 'INVALID', 'DOCUMENT_NOT_REGISTERED', 'this signed document is not the one the issuer recorded under this number')
}
