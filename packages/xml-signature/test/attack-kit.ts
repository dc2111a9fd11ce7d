/**
 * Shared kit for the attack tests: a freshly signed valid permit, and one
 * builder per attack. Every hostile document is built from a validly signed
 * permit. The vectors and keys come from @cites/test-kit/base; signing and
 * verifying go through this package's own source (the code under test).
 */
import { readFileSync, existsSync } from 'node:fs'
import { DOMParser, XMLSerializer } from '@xmldom/xmldom'
import * as xmldsig from 'xmldsigjs'
import { describe, expect, it } from 'vitest'
import { permitFromJsonText } from '@cites/permit'
import { VECTORS, VECTOR_GRANTS, certPem, certificatesFor, keyPem, readVector, type Grants, type KeyName } from '@cites/test-kit/base'
import {
  NS_DSIG, cryptoEngine, loadSigner, signPermit, signXml, verifySignedPermit, parseCertificate,
  type PermitVerdict, type Signer
} from '../src/index.js'

// Loaded through this package's loadSigner (not the kit's built copy), once per key.
const signers = new Map<KeyName, Promise<Signer>>()
export function signer (k: KeyName): Promise<Signer> {
  let s = signers.get(k)
  if (s === undefined) { s = loadSigner(keyPem(k), certPem(k)); signers.set(k, s) }
  return s
}

/** Verdicts are computed as of this date, so vectors never age. */
export const VECTOR_NOW = new Date('2026-12-01T00:00:00Z')

export function verifyWith (xml: string, trust: Grants = VECTOR_GRANTS): Promise<PermitVerdict> {
  return verifySignedPermit(xml, { now: VECTOR_NOW, certificatesFor: certificatesFor(trust) })
}

export async function signedPermit (file = 'ch-export-th', party = 'CH'): Promise<string> {
  const permit = permitFromJsonText(readVector(`permits/${file}.json`))
  return signPermit(permit, await signer(party as KeyName), party)
}

// --- DOM helpers (lenient xmldom: these build hostile input, they do not judge it)
const dom = (xml: string): Document => new DOMParser().parseFromString(xml, 'text/xml') as unknown as Document
const ser = (d: Document | Node): string => new XMLSerializer().serializeToString(d as never)
const sigOf = (d: Document): Element => d.getElementsByTagNameNS(NS_DSIG, 'Signature')[0] as Element
const ds = (d: Document, el: Element, name: string): Element => el.getElementsByTagNameNS(NS_DSIG, name)[0] as Element
const byLocal = (d: Document, name: string): Element => {
  const all = d.getElementsByTagName('*')
  for (let i = 0; i < all.length; i++) if ((all[i] as Element).localName === name) return all[i] as Element
  throw new Error(`no ${name}`)
}
const stripDecl = (xml: string): string => xml.replace(/^<\?xml[^?]*\?>\s*/, '')
const unsigned = (xml: string): Document => { const d = dom(xml); const s = sigOf(d); s.parentNode?.removeChild(s); return d }
const setText = (el: Element, t: string): void => { while (el.firstChild !== null) el.removeChild(el.firstChild); el.appendChild(el.ownerDocument.createTextNode(t)) }
const evilCopy = (xml: string): Document => { const d = unsigned(xml); setText(byLocal(d, 'ItemQuantity'), '5000'); return d }

/** One attack: how to build it from a valid signed permit, and what the verdict must say. */
export interface Attack {
  name: string
  title: string
  build: (signed: string) => Promise<string> | string
  /** Trust to verify under, when the attack is on the trust side. */
  trust?: Grants
  expect: { integrity?: string, issuer?: string }
  /** Too large to keep as a file in the repo; rebuilt by the tests. */
  noVectorFile?: boolean
}

export const ATTACKS: Attack[] = [
  {
    name: 'rogue-resign',
    title: 'rogue re-sign with the attacker\'s own key in KeyInfo',
    build: async (s) => signXml(ser(evilCopy(s)), await signer('ATTACKER')),
    expect: { integrity: 'SIG_VALUE_INVALID', issuer: 'ISSUER_CERT_NOT_TRUSTED' }
  },
  {
    name: 'keyinfo-swap-other-ma',
    title: 'KeyInfo swapped to another MA\'s certificate',
    build: (s) => {
      const d = dom(s)
      setText(ds(d, sigOf(d), 'X509Certificate'), Buffer.from(parseCertificate(certPem('TH')).der).toString('base64'))
      return ser(d)
    },
    expect: { issuer: 'ISSUER_CERT_NOT_TRUSTED' }
  },
  {
    name: 'other-ma-resign',
    title: 'another MA (TH) re-signs CH\'s permit with its own real key',
    build: async (s) => signXml(ser(evilCopy(s)), await signer('TH')),
    expect: { integrity: 'NO_TRUSTED_KEY', issuer: 'ISSUER_CERT_NOT_TRUSTED' }
  },
  {
    name: 'extra-permit-beside',
    title: 'an extra unsigned permit beside the signed one (wrapped together)',
    build: (s) => `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>${stripDecl(ser(evilCopy(s)))}${stripDecl(s)}</soap:Body></soap:Envelope>`,
    expect: { integrity: 'SIG_ROOT_UNEXPECTED' }
  },
  {
    name: 'extra-line-injected',
    title: 'an unsigned species line added beside the signed ones',
    build: (s) => {
      const d = dom(s)
      const item = byLocal(d, 'IncludedSupplyChainConsignmentItem')
      const copy = item.cloneNode(true) as Element
      setText(byLocal(copy as unknown as Document, 'ID'), 'Z')
      item.parentNode?.insertBefore(copy, item)
      return ser(d)
    },
    expect: { integrity: 'SIG_DIGEST_MISMATCH' }
  },
  {
    name: 'permit-in-object',
    title: 'an extra permit wrapped inside a ds:Object',
    build: (s) => {
      const d = dom(s)
      const obj = d.createElementNS(NS_DSIG, 'ds:Object')
      obj.appendChild(d.importNode(evilCopy(s).documentElement, true))
      sigOf(d).appendChild(obj)
      return ser(d)
    },
    expect: { integrity: 'SIG_STRUCTURE' }
  },
  // XSW 1-9, adapted to a whole-document reference on the permit root.
  {
    name: 'xsw1-original-in-object',
    title: 'XSW1: evil root, original permit moved into a ds:Object of the signature',
    build: (s) => {
      const d = dom(s); const sig = sigOf(d)
      const evil = evilCopy(s)
      sig.parentNode?.removeChild(sig)
      const obj = d.createElementNS(NS_DSIG, 'ds:Object')
      obj.appendChild(evil.importNode(d.documentElement, true))
      const movedSig = evil.importNode(sig, true) as Element
      movedSig.appendChild(evil.importNode(obj, true))
      evil.documentElement.appendChild(movedSig)
      return ser(evil)
    },
    expect: { integrity: 'SIG_STRUCTURE' }
  },
  {
    name: 'xsw2-original-as-sibling',
    title: 'XSW2: evil root, original permit placed beside the signature',
    build: (s) => {
      const d = dom(s); const sig = sigOf(d)
      const evil = evilCopy(s)
      sig.parentNode?.removeChild(sig)
      evil.documentElement.appendChild(evil.importNode(d.documentElement, true))
      evil.documentElement.appendChild(evil.importNode(sig, true))
      return ser(evil)
    },
    expect: { integrity: 'SIG_DIGEST_MISMATCH' }
  },
  {
    name: 'xsw3-signed-permit-nested',
    title: 'XSW3: the whole signed permit nested inside an evil root',
    build: (s) => { const evil = evilCopy(s); evil.documentElement.appendChild(evil.importNode(dom(s).documentElement, true)); return ser(evil) },
    expect: { integrity: 'SIG_MISPLACED' }
  },
  {
    name: 'xsw4-signed-permit-in-line',
    title: 'XSW4: the signed permit hidden inside an evil species line',
    build: (s) => { const evil = evilCopy(s); byLocal(evil, 'IncludedSupplyChainConsignmentItem').appendChild(evil.importNode(dom(s).documentElement, true)); return ser(evil) },
    expect: { integrity: 'SIG_MISPLACED' }
  },
  {
    name: 'xsw5-content-replaced',
    title: 'XSW5: evil content under the original signature',
    build: (s) => { const evil = evilCopy(s); evil.documentElement.appendChild(evil.importNode(sigOf(dom(s)), true)); return ser(evil) },
    expect: { integrity: 'SIG_DIGEST_MISMATCH' }
  },
  {
    name: 'xsw6-original-in-keyinfo',
    title: 'XSW6: the original permit hidden inside KeyInfo',
    build: (s) => {
      const d = dom(s); const sig = sigOf(d)
      sig.parentNode?.removeChild(sig)
      const evil = evilCopy(s)
      const moved = evil.importNode(sig, true) as Element
      ds(evil, moved, 'KeyInfo').appendChild(evil.importNode(d.documentElement, true))
      evil.documentElement.appendChild(moved)
      return ser(evil)
    },
    expect: { issuer: 'ISSUER_KEYINFO' }
  },
  {
    name: 'xsw7-reference-by-id',
    title: 'XSW7: Reference re-pointed by Id at the original hidden in a foreign element',
    build: (s) => {
      const d = dom(s); const sig = sigOf(d)
      sig.parentNode?.removeChild(sig)
      d.documentElement.setAttribute('Id', 'orig')
      const evil = evilCopy(s)
      const ext = evil.createElementNS('urn:evil:ext', 'x:Extensions')
      ext.appendChild(evil.importNode(d.documentElement, true))
      evil.documentElement.appendChild(ext)
      const moved = evil.importNode(sig, true) as Element
      ds(evil, moved, 'Reference').setAttribute('URI', '#orig')
      evil.documentElement.appendChild(moved)
      return ser(evil)
    },
    expect: { integrity: 'SIG_REFERENCE_URI' }
  },
  {
    name: 'xsw8-reference-by-id-in-object',
    title: 'XSW8: Reference re-pointed by Id at the original inside a ds:Object',
    build: (s) => {
      const d = dom(s); const sig = sigOf(d)
      sig.parentNode?.removeChild(sig)
      d.documentElement.setAttribute('Id', 'orig')
      const evil = evilCopy(s)
      const moved = evil.importNode(sig, true) as Element
      ds(evil, moved, 'Reference').setAttribute('URI', '#orig')
      const obj = evil.createElementNS(NS_DSIG, 'ds:Object')
      obj.appendChild(evil.importNode(d.documentElement, true))
      moved.appendChild(obj)
      evil.documentElement.appendChild(moved)
      return ser(evil)
    },
    expect: { integrity: 'SIG_STRUCTURE' }
  },
  {
    name: 'xsw9-foreign-root',
    title: 'XSW9: a look-alike root in another namespace wrapping the signed permit',
    build: (s) => `<CITESEPermit xmlns="urn:evil:CITESEPermit">${stripDecl(s)}</CITESEPermit>`,
    expect: { integrity: 'SIG_ROOT_UNEXPECTED' }
  },
  {
    name: 'duplicate-ids',
    title: 'duplicate Id attributes',
    build: (s) => { const d = dom(s); d.documentElement.setAttribute('Id', 'p'); byLocal(d, 'HeaderExchangedDocument').setAttribute('Id', 'p'); return ser(d) },
    expect: { integrity: 'XML_DUPLICATE_ID' }
  },
  {
    name: 'second-signature',
    title: 'a second Signature (the attacker\'s) beside the real one',
    build: async (s) => {
      const d = dom(s)
      const other = dom(await signXml(ser(evilCopy(s)), await signer('ATTACKER')))
      d.documentElement.appendChild(d.importNode(sigOf(other), true))
      return ser(d)
    },
    expect: { integrity: 'SIG_MULTIPLE' }
  },
  {
    name: 'second-signedinfo',
    title: 'a second SignedInfo',
    build: (s) => { const d = dom(s); const si = ds(d, sigOf(d), 'SignedInfo'); si.parentNode?.insertBefore(si.cloneNode(true), si.nextSibling); return ser(d) },
    expect: { integrity: 'SIG_STRUCTURE' }
  },
  {
    name: 'second-reference',
    title: 'a second Reference',
    build: (s) => { const d = dom(s); const r = ds(d, sigOf(d), 'Reference'); r.parentNode?.appendChild(r.cloneNode(true)); return ser(d) },
    expect: { integrity: 'SIG_REFERENCE_COUNT' }
  },
  {
    name: 'reference-uri-elsewhere',
    title: 'a Reference URI pointing elsewhere',
    build: (s) => { const d = dom(s); byLocal(d, 'HeaderExchangedDocument').setAttribute('Id', 'h'); ds(d, sigOf(d), 'Reference').setAttribute('URI', '#h'); return ser(d) },
    expect: { integrity: 'SIG_REFERENCE_URI' }
  },
  {
    name: 'comment-in-text',
    title: 'a comment injected into a text value (26CH<!---->000042)',
    build: (s) => s.replace('>26CH000042<', '>26CH<!---->000042<'),
    expect: { integrity: 'XML_FORBIDDEN_NODE' }
  },
  {
    name: 'processing-instruction',
    title: 'a processing instruction',
    build: (s) => s.replace('<rsm:HeaderExchangedDocument>', '<?cites-override quantity="5000"?><rsm:HeaderExchangedDocument>'),
    expect: { integrity: 'XML_FORBIDDEN_NODE' }
  },
  {
    name: 'cdata',
    title: 'a CDATA section (canonicalises to the same text)',
    build: (s) => s.replace('>Python regius<', '><![CDATA[Python regius]]><'),
    expect: { integrity: 'XML_FORBIDDEN_NODE' }
  },
  {
    name: 'doctype',
    title: 'a DOCTYPE',
    build: (s) => s.replace('?>', '?>\n<!DOCTYPE rsm:CITESEPermit>'),
    expect: { integrity: 'XML_DOCTYPE' }
  },
  {
    name: 'xxe-etc-passwd',
    title: 'XXE against file:///etc/passwd',
    build: (s) => s.replace('?>', '?>\n<!DOCTYPE rsm:CITESEPermit [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>').replace('>Python regius<', '>&xxe;<'),
    expect: { integrity: 'XML_DOCTYPE' }
  },
  {
    name: 'billion-laughs',
    title: 'billion laughs (entity expansion)',
    build: (s) => {
      let ents = '<!ENTITY l0 "lol">'
      for (let i = 1; i <= 9; i++) ents += `<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`
      return s.replace('?>', `?>\n<!DOCTYPE rsm:CITESEPermit [${ents}]>`).replace('>Python regius<', '>&l9;<')
    },
    expect: { integrity: 'XML_DOCTYPE' }
  },
  {
    name: 'two-roots',
    title: 'two root elements',
    build: (s) => s + stripDecl(ser(evilCopy(s))),
    expect: { integrity: 'XML_MALFORMED' }
  },
  {
    name: 'oversize-10mb',
    title: 'a 10 MB document',
    build: (s) => s.replace('>Python regius<', `>Python regius${' '.repeat(10 * 1024 * 1024)}<`),
    expect: { integrity: 'XML_TOO_LARGE' },
    noVectorFile: true
  },
  {
    name: 'nesting-10000',
    title: '10,000 levels of nesting',
    build: (s) => s.replace('>Python regius<', `>${'<x>'.repeat(10_000)}${'</x>'.repeat(10_000)}<`),
    expect: { integrity: 'XML_TOO_DEEP' }
  },
  {
    name: 'hmac-public-key',
    title: 'HMAC keyed with the public certificate as the secret',
    build: async (s) => {
      const { crypto } = cryptoEngine()
      const d = unsigned(s)
      setText(byLocal(d, 'ItemQuantity'), '5000')
      const secret = parseCertificate(certPem('CH')).der
      const key = await crypto.subtle.importKey('raw', new Uint8Array(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
      const sx = new xmldsig.SignedXml()
      sx.XmlSignature.SignedInfo.CanonicalizationMethod.Algorithm = 'http://www.w3.org/2001/10/xml-exc-c14n#'
      await sx.Sign({ name: 'HMAC' }, key, d, {
        x509: [Buffer.from(secret).toString('base64')],
        references: [{ uri: '', hash: 'SHA-256', transforms: ['enveloped', 'exc-c14n'] }]
      })
      d.documentElement.appendChild(d.importNode(sx.GetXml() as Element, true))
      return ser(d)
    },
    expect: { integrity: 'SIG_ALGORITHM' }
  },
  {
    name: 'rsa-sha1',
    title: 'an rsa-sha1 signature method',
    build: (s) => { const d = dom(s); ds(d, sigOf(d), 'SignatureMethod').setAttribute('Algorithm', 'http://www.w3.org/2000/09/xmldsig#rsa-sha1'); return ser(d) },
    expect: { integrity: 'SIG_ALGORITHM' }
  },
  {
    name: 'md5-digest',
    title: 'an MD5 digest',
    build: (s) => { const d = dom(s); ds(d, sigOf(d), 'DigestMethod').setAttribute('Algorithm', 'http://www.w3.org/2001/04/xmldsig-more#md5'); return ser(d) },
    expect: { integrity: 'SIG_DIGEST_ALGORITHM' }
  },
  {
    name: 'sha1-digest',
    title: 'a SHA-1 digest',
    build: (s) => { const d = dom(s); ds(d, sigOf(d), 'DigestMethod').setAttribute('Algorithm', 'http://www.w3.org/2000/09/xmldsig#sha1'); return ser(d) },
    expect: { integrity: 'SIG_DIGEST_ALGORITHM' }
  },
  {
    name: 'c14n-with-comments',
    title: 'canonicalization with comments',
    build: (s) => { const d = dom(s); ds(d, sigOf(d), 'CanonicalizationMethod').setAttribute('Algorithm', 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments'); return ser(d) },
    expect: { integrity: 'SIG_C14N_ALGORITHM' }
  },
  {
    name: 'inclusive-c14n-transform',
    title: 'an inclusive C14N transform instead of exclusive',
    build: (s) => { const d = dom(s); const t = d.getElementsByTagNameNS(NS_DSIG, 'Transform')[1] as Element; t.setAttribute('Algorithm', 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315'); return ser(d) },
    expect: { integrity: 'SIG_TRANSFORMS' }
  },
  {
    name: 'keyinfo-keyvalue',
    title: 'a raw KeyValue in KeyInfo beside the certificate',
    build: (s) => { const d = dom(s); const ki = ds(d, sigOf(d), 'KeyInfo'); ki.appendChild(d.createElementNS(NS_DSIG, 'ds:KeyValue')); return ser(d) },
    expect: { issuer: 'ISSUER_KEYINFO' }
  },
  {
    name: 'tampered-quantity',
    title: 'a quantity changed after signing',
    build: (s) => s.replace('unitCode="PCS">50<', 'unitCode="PCS">500<'),
    expect: { integrity: 'SIG_DIGEST_MISMATCH' }
  },
  {
    name: 'signature-stripped',
    title: 'the signature removed',
    build: (s) => ser(unsigned(s)),
    expect: { integrity: 'SIG_MISSING' }
  },
  {
    name: 'cert-withdrawn-before-issue',
    title: 'a certificate withdrawn before the issue date',
    build: (s) => s,
    trust: { CH: [{ cert: 'CH', grantedAt: '2026-01-01T00:00:00Z', withdrawnAt: '2026-10-01T00:00:00Z' }] },
    expect: { integrity: 'OK', issuer: 'ISSUER_CERT_NOT_GRANTED' }
  },
  {
    name: 'cert-granted-after-issue',
    title: 'a certificate granted only after the issue date (back-dated permit)',
    build: (s) => s,
    trust: { CH: [{ cert: 'CH', grantedAt: '2026-11-15T00:00:00Z' }] },
    expect: { integrity: 'OK', issuer: 'ISSUER_CERT_NOT_GRANTED' }
  },
  {
    name: 'unknown-party',
    title: 'a party that is not on the trust list',
    build: (s) => s,
    trust: { TH: VECTOR_GRANTS.TH! },
    expect: { issuer: 'ISSUER_UNKNOWN_PARTY' }
  }
]

export const attackVectorPath = (name: string): string => `signature/attacks/${name}.xml`

/** Define the tests for one attack: built fresh from a valid signed permit, and from the shared vector. */
export function runAttack (name: string): void {
  const a = ATTACKS.find((x) => x.name === name)
  if (a === undefined) throw new Error(`unknown attack ${name}`)
  const assertRefused = (v: PermitVerdict): void => {
    expect(v.valid).toBe(false)
    const codes = Object.fromEntries(v.checks.map((c) => [c.name, c.reason.code]))
    if (a.expect.integrity !== undefined) expect(codes.integrity).toBe(a.expect.integrity)
    if (a.expect.issuer !== undefined) expect(codes.issuer).toBe(a.expect.issuer)
  }
  describe(`attack: ${a.title}`, () => {
    it('is refused when built from a freshly signed valid permit', async () => {
      const signed = await signedPermit()
      // Control: the permit it is built from verifies under default trust.
      expect((await verifyWith(signed)).valid).toBe(true)
      assertRefused(await verifyWith(await a.build(signed), a.trust))
    })
    if (a.noVectorFile !== true) {
      it('is refused in the shared vector (protocol-spec/vectors)', async () => {
        const p = VECTORS + attackVectorPath(a.name)
        expect(existsSync(p), `${p} is missing; run UPDATE_VECTORS=1 npm test`).toBe(true)
        assertRefused(await verifyWith(readFileSync(p, 'utf8'), a.trust))
      })
    }
  })
}
