/**
 * The issuer's log: every event of the answer decodes, belongs to this
 * permit's log (author and permit are the issuer's), is validly signed by the
 * issuer (unless it comes from this node's own ledger, which checked it on
 * the way in), and follows from the one before (the permit state machine).
 * Reported under `integrity`, and under `status` for an inconsistent log.
 * The signature codes are the ledger's (EVENT_UNKNOWN_AUTHOR,
 * EVENT_SIGNATURE_INVALID, EVENT_CERT_NOT_GRANTED), as are the state
 * machine's (PERMIT_NOT_FOUND, PERMIT_ALREADY_ISSUED, ...).
 */
import { defineCodes } from '@cites/runtime'
import { check, samePermitNumber, type Check } from '@cites/permit'
import { EVENT_VERSION, applyEvent, decodeEvent, verifyEventSignature, LedgerError, type PermitState } from '@cites/ledger'
import type { TrustedCertificate } from '@cites/xml-signature'
import type { CheckInfo, Fragment } from '../compose.js'

export const LOG_CODES = defineCodes({
  EVENT_MALFORMED: { kind: 'bad-gateway', summary: 'an event of the answer does not decode' },
  EVENT_WRONG_LOG: { kind: 'bad-gateway', summary: 'the answer holds an event of another log or permit' },
  EVENT_VERSION_UNSUPPORTED: { kind: 'bad-gateway', summary: 'an event of the answer is of another format than version 2 (ledger.md r17)' },
  REMOTE_ERROR: { kind: 'bad-gateway', summary: 'ERROR: the node asked refused, or gave no events' }
})

export const log: CheckInfo = { name: 'log', reportedAs: ['integrity', 'status'], codes: LOG_CODES, passCodes: [] }

type Decoded = ReturnType<typeof decodeEvent>

/** The decoded event, or the failure. */
export function decodeFragment (bytes: Uint8Array): { event: Decoded } | { failure: Check } {
  let event: Decoded
  try {
    event = decodeEvent(bytes)
  } catch {
    return { failure: check('integrity', 'INVALID', 'EVENT_MALFORMED', 'an event in the answer does not decode') }
  }
  if (event.event.version !== EVENT_VERSION) return { failure: check('integrity', 'INVALID', 'EVENT_VERSION_UNSUPPORTED', 'an event in the answer is not of version 2 (ledger.md r17)') }
  return { event }
}

/** The event must be the issuer's, about `party`/`number`. */
export function wrongLogFragment (le: Decoded, party: string, number: string): Fragment {
  const e = le.event
  if (e.author === party && e.permitParty === party && samePermitNumber(e.permitNumber, number)) return undefined
  return check('integrity', 'INVALID', 'EVENT_WRONG_LOG', 'the answer holds an event of another log or permit')
}

/** The event's signature under the issuer's trusted certificates. */
export async function eventSignatureFragment (le: Decoded, trusted: readonly TrustedCertificate[] | undefined, party: string): Promise<Fragment> {
  const sig = await verifyEventSignature(le, trusted)
  return sig === 'OK' ? undefined : check('integrity', 'INVALID', sig, `event #${le.event.seq} is not validly signed by ${party}`)
}

/** The state after the event, or the state machine's refusal. Anything but a ledger refusal is a bug and is thrown. */
export function applyFragment (prev: PermitState | undefined, le: Decoded): { state: PermitState } | { failure: Check } {
  try {
    return { state: applyEvent(prev, le) }
  } catch (err) {
    if (!(err instanceof LedgerError)) throw err
    return { failure: check('status', 'INVALID', err.code, `the issuer's events are inconsistent: ${err.message}`) }
  }
}

/** No events to judge. */
export function noEventsFragment (): Check {
  return check('integrity', 'ERROR', 'REMOTE_ERROR', 'no events')
}

/** The node asked answered with a refusal (`status`: its wire status, as a word or number). */
export function remoteErrorFragment (status: string | number, message: string): Check {
  return check('integrity', 'ERROR', 'REMOTE_ERROR', `the node asked answered ${status}: ${message}`)
}
