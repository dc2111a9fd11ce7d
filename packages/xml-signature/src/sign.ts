/**
 * Enveloped XML-DSig signing under the profile: one Reference to "" with
 * enveloped-signature + exclusive C14N, SHA-256, ecdsa-sha256 (default) or
 * rsa-sha256, and the signer's certificate in KeyInfo.
 */
import * as xmldsig from 'xmldsigjs'
import { XMLSerializer } from '@xmldom/xmldom'
import { parseXml } from '@cites/permit'
import { cryptoEngine } from './engine.js'
import { certificatePublicKey, importPrivateKey, parseCertificate, type CertificateInfo } from './certificates.js'
import { AlreadySignedError, KeyCertificateMismatchError } from './errors.js'
import { ALG_EXC_C14N, NS_DSIG, checkContent } from './profile.js'

/** A loaded signing key with its certificate. Holds a non-extractable key. */
export interface Signer {
  key: CryptoKey
  certificate: CertificateInfo
}

/**
 * Load a signer from PEM, and prove the key and the certificate belong
 * together (sign a nonce, verify it with the certificate's key), so a
 * mismatched pair is caught at load rather than by every verifier.
 */
export async function loadSigner (privateKeyPem: string, certificatePem: string): Promise<Signer> {
  const certificate = parseCertificate(certificatePem)
  return await signerFromKey(await importPrivateKey(privateKeyPem, certificate.algorithm), certificatePem)
}

/**
 * A signer from a private key that is already a CryptoKey: one held by a
 * key provider (a PKCS#11 token, see addKeyProvider), which cannot be
 * exported as PEM. The same proof as loadSigner: the key signs a nonce that
 * the certificate's key verifies.
 */
export async function signerFromKey (key: CryptoKey, certificatePem: string): Promise<Signer> {
  const certificate = parseCertificate(certificatePem)
  const { crypto } = cryptoEngine()
  const nonce = crypto.getRandomValues(new Uint8Array(32))
  const alg = certificate.algorithm === 'ECDSA-P256' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5' }
  const sig = await crypto.subtle.sign(alg, key, nonce)
  if (!await crypto.subtle.verify(alg, await certificatePublicKey(certificate), sig, nonce)) {
    throw new KeyCertificateMismatchError('the private key does not belong to the certificate')
  }
  return { key, certificate }
}

/**
 * Sign a document (XML text or a parsed DOM, which is not modified) and
 * return the signed XML text. Refuses a document that already has a
 * signature, or that holds content the profile forbids.
 */
export async function signXml (input: string | Document, signer: Signer): Promise<string> {
  cryptoEngine()
  const doc = parseXml(typeof input === 'string' ? input : new XMLSerializer().serializeToString(input as never))
  checkContent(doc)
  if (doc.getElementsByTagNameNS(NS_DSIG, 'Signature').length > 0) throw new AlreadySignedError('the document is already signed')
  const sx = new xmldsig.SignedXml()
  sx.XmlSignature.SignedInfo.CanonicalizationMethod.Algorithm = ALG_EXC_C14N
  const alg = signer.certificate.algorithm === 'ECDSA-P256'
    ? { name: 'ECDSA', hash: { name: 'SHA-256' } }
    : { name: 'RSASSA-PKCS1-v1_5', hash: { name: 'SHA-256' } }
  await sx.Sign(alg, signer.key, doc, {
    x509: [Buffer.from(signer.certificate.der).toString('base64')],
    references: [{ uri: '', hash: 'SHA-256', transforms: ['enveloped', 'exc-c14n'] }]
  })
  const sigEl = sx.GetXml()
  if (sigEl === null) throw new Error('xmldsigjs produced no Signature element')
  doc.documentElement.appendChild(doc.importNode(sigEl, true))
  return new XMLSerializer().serializeToString(doc as never)
}
