/**
 * The customs verdict from a permit's signed events, from a peer's answer to
 * /cites/verify or from this node's own replica: every event must be the
 * issuer's, about this permit, validly signed; the state is derived from them
 * in order; and the ISSUED event's permit passes the XML-DSig profile and is
 * the one asked about.
 */
import { hex, sha256, viewEvent, IssuedBody, type ClaimView, type EventView, type PermitState, type Receipt } from '@cites/ledger'
import type { Check, Permit, Verdict } from '@cites/permit'
import { composeVerdict, type Fragment } from './compose.js'
import { documentChecks, type TrustView } from './document.js'
import { applyFragment, decodeFragment, eventSignatureFragment, noEventsFragment, remoteErrorFragment, wrongLogFragment } from './checks/log.js'
import { permitMismatchFragment, xmlHashFragment } from './checks/registered.js'
import { validityFragment } from './checks/validity.js'
import { lifecycleFragment, permitNotFoundFragment } from './checks/lifecycle.js'
import { useFragment } from './checks/use.js'
import { confirmationFragment } from './checks/confirmation.js'
import { summaryFragments, summaryValidityFragment } from './checks/summary.js'

/** A customs verdict judged from a permit's events, with what it was derived from. */
export interface RemoteVerdict extends Verdict {
  state?: PermitState
  receipt?: Receipt
  /** The party whose node answered. */
  answeredBy?: string
  /** The signed permit, as read from the ISSUED event's XML. */
  permit?: Permit
  /** The permit's events the verdict was judged from, in order. */
  history?: EventView[]
}

export interface JudgeOptions {
  party: string
  number: string
  /** Trusted certificates of the issuer (event signatures, the permit's XML-DSig). */
  trust: TrustView
  /** @default now */
  now?: Date
  /** Provisional uses known to the asker (from destinations' logs): an unresolved one makes `use` INVALID. */
  claims?: readonly ClaimView[]
  /** The party whose node supplied the events; the issuer's own node confirms. */
  answeredBy?: string
  /**
   * The events come from this node's own ledger, which checked every one
   * before storing it (signature or author's checkpoint): skip re-checking
   * their signatures. Never for events from an answer.
   */
  eventsFromOwnLedger?: boolean
  /**
   * r17: the permit's signed document, when the asker holds it (it is a
   * party to the trade) or it was presented: checked against the hash in
   * the ISSUED event, then under the XML-DSig profile. Without it the
   * verdict is judged from the issuer's signed summary (checks/summary.ts).
   */
  document?: Uint8Array
  /** Without a document: it was erased under the retention rule (DOCUMENT_ERASED rather than DOCUMENT_NOT_PRESENTED). */
  documentErased?: boolean
}

/** A verdict of `fragments`, naming who answered. */
function answered (fragments: Iterable<Fragment>, answeredBy: string | undefined): RemoteVerdict {
  const v: RemoteVerdict = composeVerdict(fragments)
  if (answeredBy !== undefined) v.answeredBy = answeredBy
  return v
}

/** The node asked does not hold the permit. */
export function notFoundVerdict (message: string, answeredBy?: string): RemoteVerdict {
  return answered([permitNotFoundFragment(message)], answeredBy)
}

/** The node asked refused (`status`: its wire status). */
export function remoteErrorVerdict (status: string | number, message: string, answeredBy?: string): RemoteVerdict {
  return answered([remoteErrorFragment(status, message)], answeredBy)
}

/** The customs verdict from a permit's signed events (in log order). */
export async function judgePermitEvents (events: readonly Uint8Array[], opts: JudgeOptions): Promise<RemoteVerdict> {
  const now = opts.now ?? new Date()
  const { party, number, answeredBy } = opts
  const fail = (fragments: Fragment[]): RemoteVerdict => answered(fragments, answeredBy)
  let state: PermitState | undefined
  let documentFragments: Check[] = []
  let permit: Permit | undefined
  const history: EventView[] = []
  const trusted = opts.trust.certificatesFor(party)
  // One event at a time, in order: the first failure decides, as it always has.
  for (const bytes of events) {
    const decoded = decodeFragment(bytes)
    if ('failure' in decoded) return fail([decoded.failure])
    const le = decoded.event
    const wrongLog = wrongLogFragment(le, party, number)
    if (wrongLog !== undefined) return fail([wrongLog])
    if (opts.eventsFromOwnLedger !== true) {
      const badSignature = await eventSignatureFragment(le, trusted, party)
      if (badSignature !== undefined) return fail([badSignature])
    }
    history.push(viewEvent(le))
    const next = applyFragment(state, le)
    if ('failure' in next) return fail([next.failure])
    state = next.state
    if (state.events.length === 1) {
      // The ISSUED event: its summary registers the document by hash (r17).
      // With the document at hand, the permit itself is verified under the
      // XML-DSig profile; without it, the summary is all there is.
      const recorded = hex(IssuedBody.decode(le.event.body).xmlSha256)
      if (opts.document === undefined) {
        documentFragments = [...summaryFragments(party, opts.documentErased === true), summaryValidityFragment(state, now)].filter((c): c is Check => c !== undefined)
        continue
      }
      const xmlSha256 = hex(sha256(opts.document))
      const badHash = xmlHashFragment(xmlSha256, recorded)
      if (badHash !== undefined) return fail([badHash])
      const doc = await documentChecks(opts.document, xmlSha256, opts.trust)
      const fragments = [...doc.checks, validityFragment(doc.permit, now)].filter((c): c is Check => c !== undefined)
      const mismatch = permitMismatchFragment(doc, party, number)
      if (mismatch !== undefined) return fail([...fragments, mismatch])
      documentFragments = fragments
      permit = doc.permit
    }
  }
  if (state === undefined) return fail([noEventsFragment()])
  const v = answered([
    ...documentFragments,
    lifecycleFragment(state, now),
    useFragment(state, opts.claims ?? []),
    confirmationFragment(party, answeredBy)
  ], answeredBy)
  v.state = state
  if (permit !== undefined) v.permit = permit
  v.history = history
  if (state.consumption !== undefined) v.receipt = state.consumption
  return v
}
