// @peculiar/x509 2 uses tsyringe, which needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata'
/**
 * HTTPS for the node's API and customs page (SECURITY.md §15): the server
 * options from the config's `http.tls` (certificate, key and, for client
 * certificates, the CA that issues them), and the certificates a pilot or a
 * test needs (a self-signed server certificate for loopback; a CA and the
 * server and client certificates it issues).
 *
 * TLS certificates are not permit-signing certificates: these are ECDSA P-256
 * with the serverAuth or clientAuth usage and the host names in the
 * subjectAltName, as browsers and Node's TLS client require.
 */
import { createSecureContext } from 'node:tls'
import { webcrypto } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import type { ServerOptions } from 'node:https'
import * as x509 from '@peculiar/x509'
import { NodeFileError } from './errors.js'

/** The config's `http.tls`, paths absolute. */
export interface TlsConfig {
  /** The server certificate (PEM; intermediates after it). */
  cert: string
  /** Its private key (PEM). */
  key: string
  /** CA certificates (PEM) whose client certificates are accepted; set: a client without one is refused in the handshake. */
  clientCa?: string
}

/** A certificate and its private key, both PEM. */
export interface TlsKeyPair { certPem: string, keyPem: string }

const crypto = webcrypto as unknown as Crypto
const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }

const read = (path: string, what: string): Buffer => {
  try {
    return readFileSync(path)
  } catch (err) {
    throw new NodeFileError(`cannot read ${what} at ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
}

/**
 * The HTTPS server options for `http.tls`. TLS 1.2 at least. With
 * `clientCa`, a client must present a certificate that CA issued: the
 * handshake fails otherwise, before any HTTP byte, and the bearer token is
 * still required after it (mTLS is an additional gate, not a replacement).
 * Throws {@link NodeFileError} naming the file when one is missing or the
 * certificate, key and CA do not load together.
 */
export function tlsServerOptions (tls: TlsConfig): ServerOptions {
  const options: ServerOptions = {
    cert: read(tls.cert, 'the TLS certificate (http.tls.cert)'),
    key: read(tls.key, 'the TLS key (http.tls.key)'),
    minVersion: 'TLSv1.2',
    ...(tls.clientCa !== undefined ? { ca: read(tls.clientCa, 'the client CA (http.tls.clientCa)'), requestCert: true, rejectUnauthorized: true } : {})
  }
  try {
    // Checked here, so that a bad file is named at start rather than surfacing as an OpenSSL error from the server.
    createSecureContext({ cert: options.cert, key: options.key, ...(options.ca !== undefined ? { ca: options.ca } : {}) })
  } catch (err) {
    throw new NodeFileError(`the TLS certificate ${tls.cert} and key ${tls.key}${tls.clientCa !== undefined ? ` and client CA ${tls.clientCa}` : ''} do not load together: ${(err as Error).message}`)
  }
  return options
}

const serial = (): string => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1')
const pkcs8Pem = async (key: CryptoKey): Promise<string> => x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY')
const altNames = (hosts: readonly string[]): x509.SubjectAlternativeNameExtension =>
  new x509.SubjectAlternativeNameExtension(hosts.map((h) => ({ type: isIP(h) !== 0 ? 'ip' as const : 'dns' as const, value: h })))
const validity = (days: number): { notBefore: Date, notAfter: Date } => {
  // A minute back, so that a peer whose clock is a little behind accepts it at once.
  const notBefore = new Date(Date.now() - 60_000)
  return { notBefore, notAfter: new Date(notBefore.getTime() + days * 86_400_000) }
}

export interface SelfSignedOptions {
  /** Host names and IP addresses the certificate is for. @default ['localhost', '127.0.0.1', '::1'] */
  hosts?: readonly string[]
  /** @default 365 */
  validDays?: number
}

/** A self-signed server certificate (pilots: `cites node init --tls self-signed`). */
export async function selfSignedServerCertificate (o: SelfSignedOptions = {}): Promise<TlsKeyPair> {
  const hosts = o.hosts ?? ['localhost', '127.0.0.1', '::1']
  const keys = await crypto.subtle.generateKey(EC, true, ['sign', 'verify']) as CryptoKeyPair
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(), name: `CN=${hosts[0] ?? 'localhost'}`, ...validity(o.validDays ?? 365), keys, signingAlgorithm: EC,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      altNames(hosts)
    ]
  }, crypto)
  return { certPem: cert.toString('pem'), keyPem: await pkcs8Pem(keys.privateKey) }
}

/** A CA for TLS certificates (an MA's own, for its permit system's client certificates; or a test's). */
export async function generateTlsCa (commonName: string, validDays = 3650): Promise<TlsKeyPair> {
  const keys = await crypto.subtle.generateKey(EC, true, ['sign', 'verify']) as CryptoKeyPair
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(), name: `CN=${commonName}`, ...validity(validDays), keys, signingAlgorithm: EC,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto)
    ]
  }, crypto)
  return { certPem: cert.toString('pem'), keyPem: await pkcs8Pem(keys.privateKey) }
}

export interface IssueTlsOptions {
  /** The issuing CA. */
  ca: TlsKeyPair
  commonName: string
  /** server: serverAuth and the hosts as subjectAltName; client: clientAuth. */
  usage: 'server' | 'client'
  /** Host names and IP addresses (server certificates). */
  hosts?: readonly string[]
  /** @default 365 */
  validDays?: number
}

/** A server or client certificate issued by a TLS CA. */
export async function issueTlsCertificate (o: IssueTlsOptions): Promise<TlsKeyPair> {
  const caCert = new x509.X509Certificate(o.ca.certPem)
  const caKey = await crypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(o.ca.keyPem), EC, false, ['sign'])
  const keys = await crypto.subtle.generateKey(EC, true, ['sign', 'verify']) as CryptoKeyPair
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(), subject: `CN=${o.commonName}`, issuer: caCert.subject, ...validity(o.validDays ?? 365),
    publicKey: keys.publicKey, signingKey: caKey, signingAlgorithm: EC,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([o.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
      await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey, false, crypto),
      ...(o.usage === 'server' ? [altNames(o.hosts ?? ['localhost', '127.0.0.1', '::1'])] : [])
    ]
  }, crypto)
  return { certPem: cert.toString('pem'), keyPem: await pkcs8Pem(keys.privateKey) }
}
