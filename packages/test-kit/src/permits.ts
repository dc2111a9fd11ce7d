/** Permits built from the vectors (protocol-spec/vectors/permits/). */
import { permitFromJsonText, type Permit } from '@cites/permit'
import { signPermit } from '@cites/xml-signature'
import { signer } from './keys.js'
import { readVector, type KeyName } from './vectors.js'

/** A vector permit (`permits/<file>.json`), freshly parsed: callers may change it. */
export function vectorPermit (file = 'ch-export-th'): Permit {
  return permitFromJsonText(readVector(`permits/${file}.json`))
}

/**
 * The CH export permit for TH, renumbered, to issue: without an issue date,
 * which the issuing node writes as the time of signing (a given one must be
 * that time: ISSUE_DATE_NOT_NOW).
 */
export function chPermit (number: string): Permit {
  const p = vectorPermit('ch-export-th')
  p.number = number
  delete p.issueDate
  return p
}

/** A vector permit signed (XML-DSig) by `party` with its vector key. */
export async function signedVectorPermit (file = 'ch-export-th', party: 'CH' | 'TH' = 'CH'): Promise<string> {
  return await signPermit(vectorPermit(file), await signer(party as KeyName), party)
}

/** A use of line A of the CH→TH vector permit at Bangkok. */
export const USE_A = { lines: [{ line: 'A', quantity: 50, unit: 'PCS' }], port: 'THBKK', officer: 'Officer T.' }
