/**
 * The hardened XML-DSig profile (ARCHITECTURE.md; protocol-spec/permit-profile.md):
 * the algorithm identifiers it allows, and the structural checks that run on
 * the parsed DOM before any cryptography.
 */

export const NS_DSIG = 'http://www.w3.org/2000/09/xmldsig#'
export const ALG_EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#'
export const ALG_ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature'
export const ALG_SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256'
export const ALG_ECDSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256'
export const ALG_RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256'

/** Signature methods allowed, with the key algorithm each needs. */
export const SIGNATURE_METHODS: Readonly<Record<string, 'ECDSA-P256' | 'RSA-2048'>> = {
  [ALG_ECDSA_SHA256]: 'ECDSA-P256',
  [ALG_RSA_SHA256]: 'RSA-2048'
}

/** Stable integrity and issuer codes of the profile. Never renumbered or reused. */
export const SigCode = {
  /** Verified. */
  OK: 'OK',
  /** Larger than 256 KiB. */
  XML_TOO_LARGE: 'XML_TOO_LARGE',
  /** Deeper than 64 levels. */
  XML_TOO_DEEP: 'XML_TOO_DEEP',
  /** Has a DOCTYPE or entity declaration. */
  XML_DOCTYPE: 'XML_DOCTYPE',
  /** Not well-formed, a parser warning, or not exactly one root. */
  XML_MALFORMED: 'XML_MALFORMED',
  /** A comment, processing instruction or CDATA section. */
  XML_FORBIDDEN_NODE: 'XML_FORBIDDEN_NODE',
  /** Two elements carry the same Id / ID / id. */
  XML_DUPLICATE_ID: 'XML_DUPLICATE_ID',
  /** The root element is not the document type expected (e.g. CITESEPermit v2). */
  SIG_ROOT_UNEXPECTED: 'SIG_ROOT_UNEXPECTED',
  /** No ds:Signature. */
  SIG_MISSING: 'SIG_MISSING',
  /** More than one ds:Signature. */
  SIG_MULTIPLE: 'SIG_MULTIPLE',
  /** The ds:Signature is not a direct child of the root. */
  SIG_MISPLACED: 'SIG_MISPLACED',
  /** The ds:Signature does not have exactly SignedInfo, SignatureValue and KeyInfo (e.g. an Object, or two SignedInfo). */
  SIG_STRUCTURE: 'SIG_STRUCTURE',
  /** SignedInfo does not hold exactly one Reference. */
  SIG_REFERENCE_COUNT: 'SIG_REFERENCE_COUNT',
  /** The Reference URI is not "" (the whole document). */
  SIG_REFERENCE_URI: 'SIG_REFERENCE_URI',
  /** Transforms are not exactly enveloped-signature then exclusive C14N. */
  SIG_TRANSFORMS: 'SIG_TRANSFORMS',
  /** SignedInfo canonicalization is not exclusive C14N without comments. */
  SIG_C14N_ALGORITHM: 'SIG_C14N_ALGORITHM',
  /** Signature method is not ecdsa-sha256 or rsa-sha256 (HMAC, SHA-1, MD5 ... are refused). */
  SIG_ALGORITHM: 'SIG_ALGORITHM',
  /** Digest method is not SHA-256. */
  SIG_DIGEST_ALGORITHM: 'SIG_DIGEST_ALGORITHM',
  /** The document was changed after signing. */
  SIG_DIGEST_MISMATCH: 'SIG_DIGEST_MISMATCH',
  /** The signature value does not verify with the trusted key. */
  SIG_VALUE_INVALID: 'SIG_VALUE_INVALID',
  /** The verifier failed to run; fails closed. */
  SIG_VERIFY_ERROR: 'SIG_VERIFY_ERROR',
  /** KeyInfo does not carry exactly one X509Certificate. */
  ISSUER_KEYINFO: 'ISSUER_KEYINFO',
  /** No trusted certificates for the issuing party (unknown party). */
  ISSUER_UNKNOWN_PARTY: 'ISSUER_UNKNOWN_PARTY',
  /** KeyInfo names a certificate that the trust list does not hold for the issuing party. */
  ISSUER_CERT_NOT_TRUSTED: 'ISSUER_CERT_NOT_TRUSTED',
  /** The certificate was not granted at the issue time (withdrawn before, or granted after). */
  ISSUER_CERT_NOT_GRANTED: 'ISSUER_CERT_NOT_GRANTED',
  /** The issue time is outside the certificate's own validity period. */
  ISSUER_CERT_EXPIRED: 'ISSUER_CERT_EXPIRED',
  /** The document gives no usable issue time to check the certificate status against. */
  ISSUER_TIME_MISSING: 'ISSUER_TIME_MISSING',
  /** The certificate's key algorithm does not match the signature method. */
  ISSUER_ALGORITHM_MISMATCH: 'ISSUER_ALGORITHM_MISMATCH'
} as const
export type SigCode = typeof SigCode[keyof typeof SigCode]

/** A profile violation found before cryptography runs. */
export class ProfileViolation extends Error {
  static override name = 'ProfileViolation'
  override name = 'ProfileViolation'
  readonly code: SigCode
  constructor (code: SigCode, message: string) {
    super(message)
    this.code = code
  }
}

/**
 * Walk every node once, without recursion: refuse comments, processing
 * instructions and CDATA (rule 4), and duplicate Id attributes.
 */
export function checkContent (doc: Document): void {
  const ids = new Set<string>()
  const stack: Node[] = []
  for (let c = doc.firstChild; c !== null; c = c.nextSibling) {
    // xmldom exposes the XML declaration as a PI named "xml"; it is allowed
    // only where XML allows it, as the very first node.
    if (c.nodeType === 7 && c === doc.firstChild && c.nodeName === 'xml') continue
    stack.push(c)
  }
  while (stack.length > 0) {
    const n = stack.pop() as Node
    switch (n.nodeType) {
      case 8: throw new ProfileViolation(SigCode.XML_FORBIDDEN_NODE, 'comments are not allowed in a signed document')
      case 7: throw new ProfileViolation(SigCode.XML_FORBIDDEN_NODE, 'processing instructions are not allowed in a signed document')
      case 4: throw new ProfileViolation(SigCode.XML_FORBIDDEN_NODE, 'CDATA sections are not allowed in a signed document')
      case 1: {
        const el = n as Element
        for (const name of ['Id', 'ID', 'id']) {
          const v = el.getAttribute(name)
          if (v !== null && v !== '') {
            if (ids.has(v)) throw new ProfileViolation(SigCode.XML_DUPLICATE_ID, `duplicate Id "${v.slice(0, 40)}"`)
            ids.add(v)
          }
        }
        for (let c = el.firstChild; c !== null; c = c.nextSibling) stack.push(c)
        break
      }
      default:
        break
    }
  }
}

/** Element children, refusing any non-blank text between them. */
function dsChildren (el: Element, what: string): Element[] {
  const out: Element[] = []
  for (let c = el.firstChild; c !== null; c = c.nextSibling) {
    if (c.nodeType === 1) out.push(c as Element)
    else if (c.nodeType === 3 && (c.nodeValue ?? '').trim() !== '') throw new ProfileViolation(SigCode.SIG_STRUCTURE, `unexpected text in ${what}`)
  }
  return out
}

function expectNames (els: Element[], names: string[], code: SigCode, what: string): void {
  const got = els.map((e) => e.namespaceURI === NS_DSIG ? e.localName : `{${e.namespaceURI ?? ''}}${e.localName}`)
  if (got.length !== names.length || got.some((g, i) => g !== names[i])) {
    throw new ProfileViolation(code, `${what} must contain exactly ${names.join(', ')}; found ${got.join(', ') || 'nothing'}`)
  }
}

function algorithmOf (el: Element): string {
  return el.getAttribute('Algorithm') ?? ''
}

/** What the structural check learned, for the cryptographic steps. */
export interface SignatureStructure {
  signature: Element
  signatureMethod: string
  /** Base64 of the single X509Certificate in KeyInfo, if KeyInfo is present. */
  keyInfoCertificates: string[]
}

/**
 * Rules 2 and 3 of the profile: exactly one ds:Signature, a direct child of
 * the root, holding SignedInfo, SignatureValue and KeyInfo and nothing else;
 * one Reference to ""; transforms exactly enveloped + exc-c14n; allowed
 * algorithms only.
 */
export function checkSignatureStructure (doc: Document): SignatureStructure {
  const root = doc.documentElement
  const sigs = doc.getElementsByTagNameNS(NS_DSIG, 'Signature')
  if (sigs.length === 0) throw new ProfileViolation(SigCode.SIG_MISSING, 'the document is not signed')
  if (sigs.length > 1) throw new ProfileViolation(SigCode.SIG_MULTIPLE, `the document has ${sigs.length} signatures; exactly one is allowed`)
  const sig = sigs[0] as Element
  if (sig.parentNode !== root) throw new ProfileViolation(SigCode.SIG_MISPLACED, 'the signature must be a direct child of the root element')

  const parts = dsChildren(sig, 'Signature')
  const hasKeyInfo = parts.length === 3
  expectNames(parts, hasKeyInfo ? ['SignedInfo', 'SignatureValue', 'KeyInfo'] : ['SignedInfo', 'SignatureValue'], SigCode.SIG_STRUCTURE, 'Signature')
  const [signedInfo, , keyInfo] = parts as [Element, Element, Element | undefined]

  const si = dsChildren(signedInfo, 'SignedInfo')
  const refs = si.filter((e) => e.localName === 'Reference')
  if (refs.length !== 1) throw new ProfileViolation(SigCode.SIG_REFERENCE_COUNT, `SignedInfo must hold exactly one Reference; found ${refs.length}`)
  expectNames(si, ['CanonicalizationMethod', 'SignatureMethod', 'Reference'], SigCode.SIG_STRUCTURE, 'SignedInfo')
  const [c14n, sigMethod, ref] = si as [Element, Element, Element]

  if (algorithmOf(c14n) !== ALG_EXC_C14N || dsChildren(c14n, 'CanonicalizationMethod').length > 0) {
    throw new ProfileViolation(SigCode.SIG_C14N_ALGORITHM, `canonicalization must be exclusive C14N without comments, not ${algorithmOf(c14n) || '(none)'}`)
  }
  const method = algorithmOf(sigMethod)
  if (SIGNATURE_METHODS[method] === undefined || dsChildren(sigMethod, 'SignatureMethod').length > 0) {
    throw new ProfileViolation(SigCode.SIG_ALGORITHM, `signature method ${method || '(none)'} is not allowed; use ecdsa-sha256 or rsa-sha256`)
  }

  if (!ref.hasAttribute('URI') || ref.getAttribute('URI') !== '') {
    throw new ProfileViolation(SigCode.SIG_REFERENCE_URI, `the Reference must cover the whole document (URI=""), not ${ref.hasAttribute('URI') ? `"${(ref.getAttribute('URI') ?? '').slice(0, 60)}"` : 'a missing URI'}`)
  }
  const refParts = dsChildren(ref, 'Reference')
  expectNames(refParts, ['Transforms', 'DigestMethod', 'DigestValue'], SigCode.SIG_STRUCTURE, 'Reference')
  const [transforms, digestMethod] = refParts as [Element, Element, Element]
  const ts = dsChildren(transforms, 'Transforms')
  const tAlgs = ts.map((t) => (t.localName === 'Transform' && t.namespaceURI === NS_DSIG && dsChildren(t, 'Transform').length === 0) ? algorithmOf(t) : '?')
  if (tAlgs.length !== 2 || tAlgs[0] !== ALG_ENVELOPED || tAlgs[1] !== ALG_EXC_C14N) {
    throw new ProfileViolation(SigCode.SIG_TRANSFORMS, 'transforms must be exactly enveloped-signature then exclusive C14N')
  }
  if (algorithmOf(digestMethod) !== ALG_SHA256 || dsChildren(digestMethod, 'DigestMethod').length > 0) {
    throw new ProfileViolation(SigCode.SIG_DIGEST_ALGORITHM, `digest method ${algorithmOf(digestMethod) || '(none)'} is not allowed; use SHA-256`)
  }

  const certs: string[] = []
  if (keyInfo !== undefined) {
    const kis = dsChildren(keyInfo, 'KeyInfo')
    if (kis.length !== 1 || kis[0]?.localName !== 'X509Data' || kis[0].namespaceURI !== NS_DSIG) {
      throw new ProfileViolation(SigCode.ISSUER_KEYINFO, 'KeyInfo must hold exactly one X509Data')
    }
    const xd = dsChildren(kis[0], 'X509Data')
    if (xd.length !== 1 || xd[0]?.localName !== 'X509Certificate' || xd[0].namespaceURI !== NS_DSIG) {
      throw new ProfileViolation(SigCode.ISSUER_KEYINFO, 'X509Data must hold exactly one X509Certificate')
    }
    certs.push((xd[0].textContent ?? '').replace(/\s+/g, ''))
  }
  return { signature: sig, signatureMethod: method, keyInfoCertificates: certs }
}
