/** Signing and verifying a trust list with the anchor's key, under the same hardened profile as permits. */
import { parseXml, type Check, type XmlLimits } from '@cites/permit'
import { signXml, verifySignedDocument, type Signer } from '@cites/xml-signature'
import { TrustListFormatError, TrustListSignatureError } from './errors.js'
import type { TrustList } from './model.js'
import { NS_TRUST_LIST, TRUST_LIST_ROOT, readTrustListElement, writeTrustListXml } from './xml.js'

/** Trust lists hold many certificates: allow 4 MiB (permits: 256 KiB). */
export const TRUST_LIST_LIMITS: XmlLimits = { maxBytes: 4 * 1024 * 1024, maxDepth: 16 }

export interface SignTrustListOptions {
  /** @default now */
  now?: Date
  /** Days until NextUpdate. @default 180 */
  validDays?: number
}

/**
 * Sign with the anchor's key. Raises the sequence number by one and sets the
 * issue and next-update dates. Returns the signed XML and the list as signed.
 */
export async function signTrustList (tl: TrustList, anchor: Signer, opts: SignTrustListOptions = {}): Promise<{ xml: string, list: TrustList }> {
  const now = opts.now ?? new Date()
  const list: TrustList = {
    ...structuredClone(tl),
    sequence: tl.sequence + 1,
    issueDate: now.toISOString(),
    nextUpdate: new Date(now.getTime() + (opts.validDays ?? 180) * 86_400_000).toISOString()
  }
  return { xml: await signXml(writeTrustListXml(list), anchor), list }
}

/** A verified trust list, with the checks that were run. */
export interface VerifiedTrustList {
  list: TrustList
  /** The exact signed XML, to store and to pass on to peers unchanged. */
  xml: string
  checks: Check[]
  /** True when NextUpdate has passed: usable, but a newer list should be fetched. */
  stale: boolean
}

export interface VerifyTrustListOptions {
  /** @default now */
  now?: Date
}

/**
 * Verify a signed trust list against the anchor certificate. Throws
 * {@link TrustListSignatureError} (with every reason) or
 * {@link TrustListFormatError}; returns the list when the anchor signed it.
 */
export async function verifyTrustList (xml: string, anchorCertificate: string | Uint8Array, opts: VerifyTrustListOptions = {}): Promise<VerifiedTrustList> {
  let doc: Document
  try {
    doc = parseXml(xml, TRUST_LIST_LIMITS)
  } catch (err) {
    throw new TrustListSignatureError(`trust list refused: ${(err as Error).message}`, [{ check: 'integrity', code: (err as { code?: string }).code ?? 'XML_MALFORMED', message: (err as Error).message }])
  }
  // The issue time is read from the same DOM that is verified (parse once).
  let issued: number | undefined
  const issueEl = doc.documentElement.getElementsByTagNameNS(NS_TRUST_LIST, 'IssueDate')[0]
  if (issueEl !== undefined) {
    const t = Date.parse((issueEl.textContent ?? '').trim())
    if (!Number.isNaN(t)) issued = t
  }
  const sig = await verifySignedDocument(doc, {
    expectedRoot: { namespace: NS_TRUST_LIST, localName: TRUST_LIST_ROOT },
    // The anchor is configured out of band; it has no status history.
    trusted: [{ certificate: anchorCertificate, grantedAt: '1970-01-01T00:00:00Z' }],
    at: issued
  })
  const bad = [sig.integrity, sig.issuer].filter((c) => c.status !== 'VALID')
  if (bad.length > 0) {
    throw new TrustListSignatureError(`trust list refused: ${bad.map((c) => c.reason.code).join(', ')}`, bad.map((c) => ({ check: c.name, code: c.reason.code, message: c.reason.message })))
  }
  let list: TrustList
  try {
    list = readTrustListElement(doc.documentElement)
  } catch (err) {
    if (err instanceof TrustListFormatError) throw err
    throw new TrustListFormatError((err as Error).message)
  }
  const now = (opts.now ?? new Date()).getTime()
  return { list, xml, checks: [sig.integrity, sig.issuer], stale: Date.parse(list.nextUpdate) < now }
}
