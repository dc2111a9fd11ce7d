// @peculiar/x509 2 uses tsyringe, which needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata'
/**
 * Permit-signing keys and their X.509 certificates (@peculiar/x509).
 * ECDSA P-256 is the default; RSA-2048 is supported. Keys are kept as PKCS#8
 * PEM, certificates as PEM. Never log a private key.
 */
import * as x509 from '@peculiar/x509'
import { createHash } from 'node:crypto'
import { cryptoEngine } from './engine.js'
import { CertificateFormatError, PrivateKeyFormatError } from './errors.js'

/** Signature key algorithms the profile allows. */
export type KeyAlgorithm = 'ECDSA-P256' | 'RSA-2048'

/** WebCrypto parameters for each algorithm, as used for signing with SHA-256. */
export function webCryptoAlgorithm (alg: KeyAlgorithm): EcKeyImportParams & EcdsaParams | RsaHashedImportParams {
  return alg === 'ECDSA-P256'
    ? { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
    : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
}

/** A signing key pair and its self-signed certificate. */
export interface SigningIdentity {
  algorithm: KeyAlgorithm
  privateKeyPem: string
  certificatePem: string
}

export interface GenerateOptions {
  /** Subject common name, e.g. the authority's name. */
  commonName: string
  /** ISO 3166 code for the subject's C attribute (optional for the anchor). */
  country?: string
  /** @default 'ECDSA-P256' */
  algorithm?: KeyAlgorithm
  /** @default now */
  notBefore?: Date
  /** @default 5 years (Decision 18.125 keeps records 5 years after expiry) */
  validDays?: number
  /** Mark the certificate as a CA (the trust anchor). @default false */
  ca?: boolean
}

function dnEscape (s: string): string {
  return s.replace(/([,+"\\<>;=#])/g, '\\$1')
}

const generateParams = (algorithm: KeyAlgorithm): EcKeyGenParams & EcdsaParams | RsaHashedKeyGenParams => algorithm === 'ECDSA-P256'
  ? { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
  : { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }

/** Generate a key pair and a self-signed certificate for it. */
export async function generateSigningIdentity (opts: GenerateOptions): Promise<SigningIdentity> {
  const { crypto } = cryptoEngine()
  const algorithm = opts.algorithm ?? 'ECDSA-P256'
  const keys = await crypto.subtle.generateKey(generateParams(algorithm), true, ['sign', 'verify']) as CryptoKeyPair
  const certificatePem = await certifyKeyPair(keys, { ...opts, algorithm })
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey)
  return { algorithm, privateKeyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'), certificatePem }
}

/**
 * A self-signed certificate (PEM) for a key pair that exists already: one
 * made inside a PKCS#11 token, whose private key signs the certificate there
 * (through the key provider in front of the engine) and is never exported.
 */
export async function certifyKeyPair (keys: CryptoKeyPair, opts: GenerateOptions): Promise<string> {
  const { crypto } = cryptoEngine()
  const alg = generateParams(opts.algorithm ?? 'ECDSA-P256')
  const notBefore = opts.notBefore ?? new Date()
  const notAfter = new Date(notBefore.getTime() + (opts.validDays ?? 5 * 365) * 86_400_000)
  const name = `CN=${dnEscape(opts.commonName)}${opts.country !== undefined ? `, C=${opts.country}` : ''}`
  const serial = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1')
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial,
    name,
    notBefore,
    notAfter,
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(opts.ca === true, undefined, true),
      new x509.KeyUsagesExtension(opts.ca === true ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.digitalSignature : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true)
    ]
  }, crypto)
  return cert.toString('pem')
}

/** What the verifier needs to know of a certificate. */
export interface CertificateInfo {
  der: Uint8Array
  /** Lowercase hex SHA-256 of the DER: the certificate's identity on the trust list. */
  sha256: string
  subject: string
  notBefore: Date
  notAfter: Date
  algorithm: KeyAlgorithm
}

/** SHA-256 thumbprint of a DER certificate, lowercase hex. */
export function certificateThumbprint (der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex')
}

/** Parse a PEM or DER (or bare base64) certificate. Throws {@link CertificateFormatError}. */
export function parseCertificate (input: string | Uint8Array): CertificateInfo {
  let cert: x509.X509Certificate
  try {
    cert = typeof input === 'string' && !input.includes('-----BEGIN')
      ? new x509.X509Certificate(Buffer.from(input.replace(/\s+/g, ''), 'base64'))
      : new x509.X509Certificate(typeof input === 'string' ? input : Buffer.from(input))
  } catch (err) {
    throw new CertificateFormatError(`not an X.509 certificate: ${(err as Error).message}`)
  }
  const der = new Uint8Array(cert.rawData)
  const algName = (cert.publicKey.algorithm as { name?: string }).name
  const curve = (cert.publicKey.algorithm as { namedCurve?: string }).namedCurve
  let algorithm: KeyAlgorithm
  if (algName === 'ECDSA' && curve === 'P-256') algorithm = 'ECDSA-P256'
  else if (algName === 'RSASSA-PKCS1-v1_5' || algName === 'RSA-PSS' || algName === 'RSA-OAEP') algorithm = 'RSA-2048'
  else throw new CertificateFormatError(`certificate key algorithm ${algName ?? '?'} ${curve ?? ''} is not allowed (ECDSA P-256 or RSA only)`)
  return { der, sha256: certificateThumbprint(der), subject: cert.subject, notBefore: cert.notBefore, notAfter: cert.notAfter, algorithm }
}

/** Base64 of the DER, as carried in `ds:X509Certificate`. */
export function certificateBase64 (pemOrDer: string | Uint8Array): string {
  return Buffer.from(parseCertificate(pemOrDer).der).toString('base64')
}

const publicKeyCache = new Map<string, Promise<CryptoKey>>()

/** The certificate's public key, imported for verification with SHA-256. Cached by thumbprint and engine. */
export function certificatePublicKey (info: CertificateInfo): Promise<CryptoKey> {
  const { name, crypto } = cryptoEngine()
  const k = `${name}:${info.sha256}`
  let p = publicKeyCache.get(k)
  if (p === undefined) {
    const cert = new x509.X509Certificate(Buffer.from(info.der))
    p = cert.publicKey.export(webCryptoAlgorithm(info.algorithm), ['verify'], crypto)
    p.catch(() => publicKeyCache.delete(k))
    publicKeyCache.set(k, p)
  }
  return p
}

/** Import a PKCS#8 PEM private key for signing. Throws {@link PrivateKeyFormatError}. */
export async function importPrivateKey (pem: string, algorithm: KeyAlgorithm): Promise<CryptoKey> {
  const { crypto } = cryptoEngine()
  try {
    const der = x509.PemConverter.decodeFirst(pem)
    return await crypto.subtle.importKey('pkcs8', der, webCryptoAlgorithm(algorithm), false, ['sign'])
  } catch (err) {
    throw new PrivateKeyFormatError(`not a PKCS#8 ${algorithm} private key: ${(err as Error).message}`)
  }
}
