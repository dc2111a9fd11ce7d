/**
 * The offline verdict of one signed permit document: integrity and issuer
 * under the hardened XML-DSig profile, the CITES rules, and the validity
 * window. The first three depend only on the exact bytes and the trust list,
 * so they are cached by the bytes' SHA-256 and the list's sequence; validity
 * depends on the time and is recomputed on every call.
 */
import { hex, sha256 } from '@cites/ledger'
import { samePermitNumber, type Check, type CheckName, type Permit, type Verdict } from '@cites/permit'
import { verifySignedPermit } from '@cites/xml-signature'
import type { TrustStore } from '@cites/trust-list'
import { composeVerdict } from './compose.js'
import { integrityFragment } from './checks/integrity.js'
import { issuerFragment } from './checks/issuer.js'
import { rulesFragment } from './checks/rules.js'
import { validityFragment } from './checks/validity.js'
import { notConsultedFragments } from './checks/not-consulted.js'

/** What the verdict needs of a trust store: the certificates of a party, and the list's sequence (the cache key). */
export type TrustView = Pick<TrustStore, 'certificatesFor' | 'sequence'>

/** A document's offline verdict. */
export interface DocumentVerdict {
  /** integrity, issuer, rules (when the document parsed) and validity (when the permit was read), in that order. */
  checks: Check[]
  /** The permit, as read from the very DOM that was verified. */
  permit?: Permit
  /** The issuing party (Box 6). */
  party?: string
  /** The trusted certificate that verified, when integrity is VALID. */
  signer?: { sha256: string, subject: string }
  /** SHA-256 (hex) of the exact bytes judged. */
  xmlSha256: string
}

export interface JudgeDocumentOptions {
  trust: TrustView
  /** The time for the validity check. @default now */
  now?: Date
}

type Cached = Omit<DocumentVerdict, 'xmlSha256'>

// One cache per trust store (each node has its own), then by hash and list
// sequence: a new trust list (a withdrawn certificate) misses it.
const caches = new WeakMap<TrustView, Map<string, Cached>>()
/** Entries kept per trust store; the oldest go first. */
export const DOCUMENT_CACHE_ENTRIES = 20_000
// Full verifications run (cache misses), per trust store.
const verifications = new WeakMap<TrustView, number>()

/**
 * How many documents were verified in full (not answered from the cache)
 * under this trust store: for tests and metrics (a replayed document must
 * not cost a second XML-DSig check).
 */
export function documentVerifications (trust: TrustView): number {
  return verifications.get(trust) ?? 0
}

const DOCUMENT_CHECKS: readonly CheckName[] = ['integrity', 'issuer', 'rules']

/**
 * The checks of a signed document that depend only on its bytes and the
 * trust list, cached. The entry is shared between callers: copy, never modify.
 */
export async function documentChecks (xml: Uint8Array, xmlSha256: string, trust: TrustView): Promise<Cached> {
  let cache = caches.get(trust)
  if (cache === undefined) { cache = new Map(); caches.set(trust, cache) }
  const key = `${xmlSha256}:${trust.sequence}`
  const hit = cache.get(key)
  if (hit !== undefined) return hit
  verifications.set(trust, (verifications.get(trust) ?? 0) + 1)
  const v = await verifySignedPermit(new TextDecoder().decode(xml), { certificatesFor: (p) => trust.certificatesFor(p) })
  const entry: Cached = { checks: [integrityFragment(v), issuerFragment(v), rulesFragment(v)].filter((c): c is Check => c !== undefined) }
  if (v.permit !== undefined) entry.permit = v.permit
  if (v.party !== undefined) entry.party = v.party
  if (v.signer !== undefined) entry.signer = v.signer
  if (cache.size >= DOCUMENT_CACHE_ENTRIES) cache.delete(cache.keys().next().value as string)
  cache.set(key, entry)
  return entry
}

/**
 * The offline verdict of a signed permit document (integrity, issuer, rules,
 * validity at `now`), from the cache when these exact bytes were judged under
 * the current trust list.
 */
export async function judgeDocument (xml: string | Uint8Array, opts: JudgeDocumentOptions): Promise<DocumentVerdict> {
  const bytes = typeof xml === 'string' ? new TextEncoder().encode(xml) : xml
  const xmlSha256 = hex(sha256(bytes))
  const v = await documentChecks(bytes, xmlSha256, opts.trust)
  const validity = validityFragment(v.permit, opts.now ?? new Date())
  return { ...v, checks: validity !== undefined ? [...v.checks, validity] : [...v.checks], xmlSha256 }
}

/** A document's verdict with the ledger's checks SKIPPED, as a verifier without a ledger reports it (`cites permit verify`). */
export interface OfflineVerdict extends Verdict {
  permit?: Permit
  party?: string
  signer?: { sha256: string, subject: string }
}

/**
 * The offline verdict as `verifySignedPermit` reports it: the document's
 * checks, and status, use and confirmation SKIPPED (LEDGER_NOT_CONSULTED)
 * once the document parsed (an unparsable one reports integrity and issuer
 * only).
 */
export function offlineVerdict (d: DocumentVerdict): OfflineVerdict {
  const parsed = d.checks.some((c) => c.name === 'rules')
  const v: OfflineVerdict = composeVerdict([...d.checks, ...(parsed ? notConsultedFragments() : [])])
  if (d.permit !== undefined) v.permit = d.permit
  if (d.party !== undefined) v.party = d.party
  if (d.signer !== undefined) v.signer = d.signer
  return v
}

export interface FailureOptions {
  /**
   * The checks that must be VALID. Accepting a document into a ledger or a
   * delivery needs all three; trusting who signed it (background checks, a
   * document presented at the border) needs integrity and issuer.
   * @default ['integrity', 'issuer', 'rules']
   */
  only?: readonly CheckName[]
}

/**
 * The document checks that fail: each of `only` that is not VALID, in the
 * order of `checks`. Empty when the document may be trusted. Fails closed:
 * when nothing failed but a required check is missing, that one is reported
 * as an ERROR (NOT_CHECKED). (A check is missing only after another failed,
 * e.g. no rules for an unparsable document, so the failures callers have
 * always reported are unchanged.)
 */
export function documentFailures (checks: readonly Check[], opts: FailureOptions = {}): Check[] {
  const only = opts.only ?? DOCUMENT_CHECKS
  const out = checks.filter((c) => only.includes(c.name) && c.status !== 'VALID')
  if (out.length > 0) return out
  return only.filter((name) => !checks.some((c) => c.name === name))
    .map((name): Check => ({ name, status: 'ERROR', reason: { code: 'NOT_CHECKED', message: `the ${name} check was not run` } }))
}

/**
 * Why a delivered document is refused (`/cites/deliver` acceptance): the
 * codes of its failing document checks, else PERMIT_MISMATCH when it is not
 * the permit `party`/`number` its event names. Empty when it is accepted.
 */
export function acceptanceCodes (d: Pick<DocumentVerdict, 'checks' | 'permit' | 'party'>, expected: { party: string, number: string }): string[] {
  const bad = documentFailures(d.checks)
  if (bad.length > 0) return bad.map((c) => c.reason.code)
  if (d.permit === undefined || !samePermitNumber(d.permit.number, expected.number) || d.party !== expected.party) return ['PERMIT_MISMATCH']
  return []
}
