/**
 * Destination: is the permit for the party judging it? A permit is made out
 * to one importing country (Box 3). At that country's node it passes; at the
 * issuer's own node it passes too (the export side: endorsement, or a copy
 * read back). At any other node it fails, so that a diverted copy can never
 * show as "valid" to an officer who is not the one it was made out for: all
 * the other checks pass on a genuine diverted permit, and the only clue used
 * to be the importer's country, screens down.
 */
import { defineCodes } from '@cites/runtime'
import { check, permitDestination, type Permit, type Verdict } from '@cites/permit'
import { multiUse, type PermitState } from '@cites/ledger'
import { replaceCheck, type CheckInfo, type Fragment } from '../compose.js'

export const DESTINATION_CODES = defineCodes({
  NOT_FOR_THIS_PARTY: { kind: 'conflict', summary: 'the permit is made out to another country than the one judging it (a diverted copy)' }
})

export const destination: CheckInfo = { name: 'destination', reportedAs: ['destination'], codes: DESTINATION_CODES, passCodes: ['OK', 'ISSUED_HERE', 'ANY_PARTY'] }

/**
 * `party`: the issuer; `to`: the destination (Box 3's country); `judgedBy`:
 * the party whose node (or officer) judges. Nothing when the destination is
 * not known (no permit could be read).
 */
export function destinationFragment (party: string, to: string | undefined, judgedBy: string, anyParty = false): Fragment {
  if (to === undefined || to === '') return undefined
  // A multi-use certificate travels with its holder: any listed authority records a crossing into its territory (ledger.md §3.7).
  if (anyParty && judgedBy !== party) return check('destination', 'VALID', 'ANY_PARTY', 'a certificate that travels with its holder: it may cross into any country until it expires')
  if (judgedBy === to) return check('destination', 'VALID', 'OK', `made out for import into ${to}`)
  if (judgedBy === party) return check('destination', 'VALID', 'ISSUED_HERE', `issued here, for export to ${to}`)
  return check('destination', 'INVALID', 'NOT_FOR_THIS_PARTY', `Not for import into ${judgedBy} — made out to ${to}`)
}

/**
 * `v` with its destination check for `judgedBy` (added, or replaced). The
 * destination is the issuer's recorded one (its log's ISSUED event), else the
 * permit's Box 3. `v` itself when neither is known.
 */
export function withDestination<V extends Verdict & { party?: string, state?: Pick<PermitState, 'party' | 'destination'> & Partial<Pick<PermitState, 'type' | 'certificateType'>>, permit?: Permit }> (v: V, judgedBy: string, party?: string): V {
  const issuer = party ?? v.state?.party ?? v.party ?? v.permit?.issuer.address?.country ?? ''
  const to = v.state?.destination ?? (v.permit !== undefined ? permitDestination(v.permit) : undefined)
  const f = destinationFragment(issuer, to, judgedBy, v.state?.type !== undefined && multiUse({ type: v.state.type, certificateType: v.state.certificateType }))
  return f === undefined ? v : replaceCheck(v, f, true)
}
