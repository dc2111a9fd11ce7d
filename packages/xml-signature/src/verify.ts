/**
 * Verification under the hardened profile. It never throws for bad input: it
 * returns checks with stable codes, and anything unexpected fails closed as
 * ERROR (ARCHITECTURE.md, profile rule 6).
 */
import * as xmldsig from 'xmldsigjs'
import { parseXml, PermitInputError, check, type Check, type XmlLimits } from '@cites/permit'
import { cryptoEngine } from './engine.js'
import { certificatePublicKey, certificateThumbprint, parseCertificate, type CertificateInfo } from './certificates.js'
import { ProfileViolation, SigCode, SIGNATURE_METHODS, checkContent, checkSignatureStructure } from './profile.js'

/** A certificate the trust list holds for a signer, with its status history. */
export interface TrustedCertificate {
  /** PEM, DER, or base64 DER. */
  certificate: string | Uint8Array
  /** When it was granted (ISO 8601). */
  grantedAt: string
  /** When it was withdrawn (ISO 8601), if it was. */
  withdrawnAt?: string
}

/** Options for {@link verifySignedDocument}. */
export interface VerifyDocumentOptions {
  /** The root element the document must have. */
  expectedRoot?: { namespace: string, localName: string }
  /** The signer's trusted certificates; `undefined` when the signer is unknown. */
  trusted: readonly TrustedCertificate[] | undefined
  /** The time (epoch ms) at which the certificate must have been granted, e.g. the issue time. */
  at: number | undefined
  limits?: XmlLimits
}

/** Integrity and issuer checks, and who signed. */
export interface SignatureResult {
  integrity: Check
  issuer: Check
  /** The trusted certificate that verified, when integrity is VALID. */
  signer?: { sha256: string, subject: string }
}

/** xmldsigjs with the protected steps opened up, so digest and signature value report separately. */
class ProfileSignedXml extends xmldsig.SignedXml {
  async digestMatches (doc: Document): Promise<void> {
    const refs = this.XmlSignature.SignedInfo.References
    // Fail closed: a verifier that checks zero references proves nothing.
    if (refs.Count !== 1) throw new ProfileViolation(SigCode.SIG_VERIFY_ERROR, `expected one reference to check, found ${refs.Count}`)
    await this.ValidateReferences(doc.documentElement.cloneNode(true) as Element)
  }

  async signatureMatches (key: CryptoKey): Promise<boolean> {
    return this.ValidateSignatureValue([key])
  }
}

function iso (s: string | undefined): number | undefined {
  if (s === undefined) return undefined
  const t = Date.parse(s)
  return Number.isNaN(t) ? undefined : t
}

interface Candidate { info: CertificateInfo, grantedAt?: number, withdrawnAt?: number }

function candidates (trusted: readonly TrustedCertificate[]): Candidate[] {
  const out: Candidate[] = []
  for (const t of trusted) {
    try {
      const c: Candidate = { info: parseCertificate(t.certificate) }
      const g = iso(t.grantedAt)
      const w = iso(t.withdrawnAt)
      if (g !== undefined) c.grantedAt = g
      if (w !== undefined) c.withdrawnAt = w
      out.push(c)
    } catch {
      // An unparsable trusted certificate can never verify anything: skip it.
    }
  }
  return out
}

const skipped = (name: 'integrity' | 'issuer', why: string): Check => check(name, 'SKIPPED', 'NOT_CHECKED', why)

/**
 * Parse for verification: the DOM, or the integrity and issuer checks that
 * say why it cannot be had (profile rule 1). Shared by every verifier so the
 * parse codes are reported the same way.
 */
export function parseForVerification (input: string | Document, limits?: XmlLimits): { doc: Document } | SignatureResult {
  try {
    return { doc: typeof input === 'string' ? parseXml(input, limits) : input }
  } catch (err) {
    const code = err instanceof PermitInputError ? err.code : SigCode.XML_MALFORMED
    return { integrity: check('integrity', 'INVALID', code, (err as Error).message), issuer: skipped('issuer', 'the document could not be parsed') }
  }
}

/** Verify an XML-DSig signed document under the hardened profile. */
export async function verifySignedDocument (input: string | Document, opts: VerifyDocumentOptions): Promise<SignatureResult> {
  const parsed = parseForVerification(input, opts.limits)
  if (!('doc' in parsed)) return parsed
  const { doc } = parsed
  try {
    return await verifyParsed(doc, opts)
  } catch (err) {
    if (err instanceof ProfileViolation) {
      if (err.code.startsWith('ISSUER_')) return { integrity: skipped('integrity', 'no certificate to check the signature with'), issuer: check('issuer', 'INVALID', err.code, err.message) }
      const status = err.code === SigCode.SIG_VERIFY_ERROR ? 'ERROR' : 'INVALID'
      return { integrity: check('integrity', status, err.code, err.message), issuer: skipped('issuer', 'the signature was refused before the issuer was checked') }
    }
    // Anything else is a verifier failure: never valid.
    return { integrity: check('integrity', 'ERROR', SigCode.SIG_VERIFY_ERROR, `verification failed to run: ${(err as Error).message ?? String(err)}`), issuer: skipped('issuer', 'verification failed to run') }
  }
}

async function verifyParsed (doc: Document, opts: VerifyDocumentOptions): Promise<SignatureResult> {
  cryptoEngine()
  checkContent(doc)
  const root = doc.documentElement
  if (opts.expectedRoot !== undefined && (root.localName !== opts.expectedRoot.localName || root.namespaceURI !== opts.expectedRoot.namespace)) {
    throw new ProfileViolation(SigCode.SIG_ROOT_UNEXPECTED, `root element must be {${opts.expectedRoot.namespace}}${opts.expectedRoot.localName}, not {${root.namespaceURI ?? ''}}${root.localName}`)
  }
  const structure = checkSignatureStructure(doc)
  const method = SIGNATURE_METHODS[structure.signatureMethod]

  // Issuer: the key always comes from the trusted list, never from KeyInfo.
  const trusted = candidates(opts.trusted ?? [])
  let issuer: Check
  let keys: Candidate[]
  const named = structure.keyInfoCertificates[0]
  if (opts.trusted === undefined || trusted.length === 0) {
    issuer = check('issuer', 'INVALID', SigCode.ISSUER_UNKNOWN_PARTY, 'the trust list holds no certificate for this signer')
    keys = []
  } else if (named === undefined) {
    throw new ProfileViolation(SigCode.ISSUER_KEYINFO, 'KeyInfo with the signer certificate is required')
  } else {
    let namedSha: string
    try {
      namedSha = certificateThumbprint(new Uint8Array(Buffer.from(named, 'base64')))
    } catch {
      namedSha = ''
    }
    const match = trusted.find((c) => c.info.sha256 === namedSha)
    if (match === undefined) {
      issuer = check('issuer', 'INVALID', SigCode.ISSUER_CERT_NOT_TRUSTED, 'KeyInfo names a certificate that the trust list does not hold for this signer')
      keys = trusted // integrity is still judged against trusted keys only
    } else {
      keys = [match]
      issuer = issuerStatus(match, method, opts.at)
    }
  }

  const sx = new ProfileSignedXml(doc)
  sx.LoadXml(structure.signature)
  try {
    await sx.digestMatches(doc)
  } catch (err) {
    if (err instanceof ProfileViolation) throw err
    // xmldsigjs throws (an xml-core XmlError) when a digest does not match.
    if (/Invalid digest/.test((err as { message?: string }).message ?? '')) {
      return { integrity: check('integrity', 'INVALID', SigCode.SIG_DIGEST_MISMATCH, 'the document was changed after it was signed'), issuer }
    }
    throw err
  }
  const usable = keys.filter((k) => k.info.algorithm === method)
  if (usable.length === 0) {
    return { integrity: check('integrity', 'SKIPPED', 'NO_TRUSTED_KEY', 'no trusted key of the signature\'s algorithm to check the signature with'), issuer }
  }
  for (const k of usable) {
    const key = await certificatePublicKey(k.info)
    if (await sx.signatureMatches(key)) {
      return { integrity: check('integrity', 'VALID', SigCode.OK, 'the signature is intact and made with a trusted key'), issuer, signer: { sha256: k.info.sha256, subject: k.info.subject } }
    }
  }
  return { integrity: check('integrity', 'INVALID', SigCode.SIG_VALUE_INVALID, 'the signature does not verify with the trusted key'), issuer }
}

function issuerStatus (c: Candidate, method: string | undefined, at: number | undefined): Check {
  if (c.info.algorithm !== method) return check('issuer', 'INVALID', SigCode.ISSUER_ALGORITHM_MISMATCH, 'the certificate key does not match the signature method')
  if (at === undefined) return check('issuer', 'INVALID', SigCode.ISSUER_TIME_MISSING, 'the document has no issue time to check the certificate against')
  const when = new Date(at).toISOString()
  if (c.grantedAt === undefined || at < c.grantedAt) {
    return check('issuer', 'INVALID', SigCode.ISSUER_CERT_NOT_GRANTED, `the signing certificate was granted on the trust list only at ${c.grantedAt === undefined ? '(never)' : new Date(c.grantedAt).toISOString()}, after the issue time ${when}`)
  }
  if (c.withdrawnAt !== undefined && at >= c.withdrawnAt) {
    return check('issuer', 'INVALID', SigCode.ISSUER_CERT_NOT_GRANTED, `the signing certificate was withdrawn at ${new Date(c.withdrawnAt).toISOString()}, before the issue time ${when}`)
  }
  if (at < c.info.notBefore.getTime() || at > c.info.notAfter.getTime()) {
    return check('issuer', 'INVALID', SigCode.ISSUER_CERT_EXPIRED, 'the issue time is outside the certificate\'s validity period')
  }
  return check('issuer', 'VALID', SigCode.OK, `signed with a certificate granted on the trust list (${c.info.subject})`)
}
