/**
 * A signed document presented at the border (uploaded, or scanned): its own
 * offline verdict, then the ledger's word on its status, use and
 * confirmation; and it must be the very document the issuer recorded under
 * its number.
 */
import type { ClaimView, PermitState } from '@cites/ledger'
import type { Check, Permit, Verdict } from '@cites/permit'
import { composeVerdict } from './compose.js'
import { documentFailures, judgeDocument, type DocumentVerdict, type TrustView } from './document.js'
import { documentRegisteredFragment } from './checks/registered.js'

/** What the ledger side of a verdict must give: its checks, and the permit's state when it was found. */
export type LedgerVerdict = Verdict & { state?: PermitState, permit?: Permit }

/** The verdict on a document that cannot be tied to a permit in any ledger. */
export interface UnregisteredDocument extends Verdict {
  party: string
  number: string
  source: 'none'
  claims: ClaimView[]
}

/**
 * The verdict on a document whose signature or issuer fails, or that names
 * no permit: its non-SKIPPED checks, for no ledger is asked about it.
 * Nothing when it may be looked up.
 */
export function unregisteredDocument (d: DocumentVerdict): UnregisteredDocument | undefined {
  const party = d.party ?? ''
  const number = d.permit?.number ?? ''
  if (documentFailures(d.checks, { only: ['integrity', 'issuer'] }).length === 0 && party !== '' && number !== '') return undefined
  return { valid: false, checks: d.checks.filter((c) => c.status !== 'SKIPPED'), party, number, source: 'none', claims: [] }
}

/**
 * Merge a presented document's verdict with the ledger's verdict on its
 * number: integrity, issuer, rules and validity from the document; status,
 * use, confirmation and destination from the ledger, with DOCUMENT_NOT_REGISTERED in place
 * of status when the document is not the one recorded. The permit shown is
 * the document's.
 */
export function mergePresentedDocument<V extends LedgerVerdict> (d: DocumentVerdict, ledger: V): V {
  const fromDocument = d.checks.filter((c) => c.name === 'integrity' || c.name === 'issuer' || c.name === 'rules' || c.name === 'validity')
  const fromLedger: Check[] = ledger.checks.filter((c) => c.name === 'status' || c.name === 'use' || c.name === 'confirmation' || c.name === 'destination')
  const unregistered = documentRegisteredFragment(ledger.state, d.xmlSha256)
  if (unregistered !== undefined) {
    const i = fromLedger.findIndex((c) => c.name === 'status')
    if (i >= 0) fromLedger[i] = unregistered
    else fromLedger.push(unregistered)
  }
  const out: V = { ...ledger, ...composeVerdict([...fromDocument, ...fromLedger]) }
  if (d.permit !== undefined) out.permit = d.permit
  return out
}

export interface PresentedOptions<V extends LedgerVerdict> {
  trust: TrustView
  /** The time for the document's validity check. @default now */
  now?: Date
  /** The ledger's verdict on a permit by number (e.g. `PermitNode.verify`). */
  verify: (party: string, number: string) => Promise<V>
}

/** The verdict on a presented signed document (POST /v1/verify with a document). */
export async function judgePresentedDocument<V extends LedgerVerdict> (xml: string | Uint8Array, opts: PresentedOptions<V>): Promise<V | UnregisteredDocument> {
  // Cached by the document's hash: the registered original was usually judged already.
  const d = await judgeDocument(xml, opts.now !== undefined ? { trust: opts.trust, now: opts.now } : { trust: opts.trust })
  const refused = unregisteredDocument(d)
  if (refused !== undefined) return refused
  return mergePresentedDocument(d, await opts.verify(d.party ?? '', d.permit?.number ?? ''))
}
