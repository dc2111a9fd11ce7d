/**
 * Key folders (`cites keys generate`, `cites node init`, each pilot authority):
 *   key.pem        permit-signing private key, mode 0600: encrypted PKCS#8
 *                  (scrypt, AES-256-CBC; key-custody.ts) when a passphrase is
 *                  given, else plain PKCS#8
 *   cert.pem       its X.509 certificate
 *   peer.key       libp2p peer private key, mode 0600; not for the anchor:
 *                  with a passphrase an encrypted PKCS#8 Ed25519 key (libp2p's
 *                  key is made from its seed), else libp2p's protobuf
 *   identity.json  role, party, name, algorithm, peer ID, certificate SHA-256
 * The two keys are never mixed: the peer key is transport identity only.
 * Files are written atomically (temp + rename).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createPrivateKey } from 'node:crypto'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { generateSigningIdentity, parseCertificate, type KeyAlgorithm } from '@cites/xml-signature'
import { encryptPrivateKey, newEd25519PeerKey, SCRYPT_DEFAULT, type ScryptParams } from './key-custody.js'
import { NodeFileError } from './errors.js'
import { generatePkcs11Key, type Pkcs11Config } from './pkcs11.js'

export interface KeyIdentity {
  role: 'authority' | 'anchor'
  party?: string
  name: string
  algorithm: KeyAlgorithm
  peerId?: string
  certificateSha256: string
  createdAt: string
  /** The private keys are encrypted at rest (absent in folders written before). */
  encrypted?: boolean
  /** The signing key is in a PKCS#11 token under this label (no key.pem). */
  pkcs11KeyLabel?: string | undefined
}

export interface WriteKeyFolderOptions {
  out: string
  party?: string
  /** The task force's anchor: a CA certificate and no peer key. */
  anchor?: boolean
  name?: string
  algorithm?: KeyAlgorithm
  /** The certificate's validity start. @default now */
  notBefore?: Date
  /** Encrypt the private keys with this passphrase (key-custody.ts). Absent: plain keys. */
  passphrase?: string
  /** scrypt cost of the encryption. @default SCRYPT_DEFAULT */
  scrypt?: ScryptParams
  /** Make the signing key inside this PKCS#11 token (no key.pem is written; pkcs11.ts). */
  pkcs11?: Pkcs11Config
}

export function writeAtomic (path: string, data: string | Uint8Array, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true })
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, data, { mode })
  renameSync(tmp, path)
}

/** Generate and write a key folder; returns its identity and certificate. */
export async function writeKeyFolder (o: WriteKeyFolderOptions): Promise<{ identity: KeyIdentity, certificatePem: string }> {
  const anchor = o.anchor === true
  const name = o.name ?? (anchor ? 'CITES e-permitting task force (anchor)' : `Management Authority of ${o.party ?? '?'}`)
  const certOpts = {
    commonName: name, algorithm: o.algorithm ?? 'ECDSA-P256', ca: anchor,
    ...(o.party !== undefined ? { country: o.party } : {}), ...(o.notBefore !== undefined ? { notBefore: o.notBefore } : {})
  }
  // In a token, the key is made and kept there: only its certificate comes out.
  const id = o.pkcs11 !== undefined
    ? { algorithm: certOpts.algorithm, privateKeyPem: undefined, certificatePem: (await generatePkcs11Key(o.pkcs11, certOpts)).certificatePem }
    : await generateSigningIdentity(certOpts)
  const identity: KeyIdentity = { role: anchor ? 'anchor' : 'authority', name, algorithm: id.algorithm, certificateSha256: parseCertificate(id.certificatePem).sha256, createdAt: new Date().toISOString() }
  if (o.party !== undefined) identity.party = o.party
  const pass = o.passphrase
  identity.encrypted = pass !== undefined
  if (!anchor) {
    if (pass !== undefined) {
      const peer = await newEd25519PeerKey()
      identity.peerId = peerIdFromPrivateKey(peer.libp2p).toString()
      writeAtomic(join(o.out, 'peer.key'), encryptPrivateKey(peer.key, pass, o.scrypt ?? SCRYPT_DEFAULT), 0o600)
    } else {
      const peerKey = await generateKeyPair('Ed25519')
      identity.peerId = peerIdFromPrivateKey(peerKey).toString()
      writeAtomic(join(o.out, 'peer.key'), privateKeyToProtobuf(peerKey), 0o600)
    }
  }
  if (id.privateKeyPem !== undefined) writeAtomic(join(o.out, 'key.pem'), pass !== undefined ? encryptPrivateKey(createPrivateKey(id.privateKeyPem), pass, o.scrypt ?? SCRYPT_DEFAULT) : id.privateKeyPem, 0o600)
  else identity.pkcs11KeyLabel = o.pkcs11?.keyLabel
  writeAtomic(join(o.out, 'cert.pem'), id.certificatePem)
  writeAtomic(join(o.out, 'identity.json'), JSON.stringify(identity, null, 2) + '\n')
  return { identity, certificatePem: id.certificatePem }
}

/** What `rotateKeyFolder` wrote. */
export interface RotatedKey {
  /** The new key folder, dir/next: key.pem (encrypted), cert.pem, identity.json. Not in use until activated. */
  nextDir: string
  /** dir/next/enrolment: the request for the task force, cert.pem and identity.json only (no secret). */
  enrolmentDir: string
  identity: KeyIdentity
  certificatePem: string
  /** SHA-256 of the certificate in use, which the new one is to replace. */
  replaces: string
}

const readIdentityFile = (dir: string): KeyIdentity => {
  const path = join(dir, 'identity.json')
  if (!existsSync(path)) throw new NodeFileError(`${dir} is not a key folder (no identity.json)`)
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as KeyIdentity
  } catch {
    throw new NodeFileError(`${path} is not valid JSON`)
  }
}

/**
 * Key rotation, first half (`cites keys rotate`): a new signing key,
 * encrypted at rest, with its self-signed certificate, in dir/next, and the
 * enrolment request for the task force in dir/next/enrolment (what
 * `cites trust-list add --keys` reads: the certificate and the identity, with
 * the same party and peer ID, so the list adds the certificate to the same
 * entry). The key in use (dir/key.pem, dir/cert.pem) is not touched: a node
 * must keep signing with a granted key until the new one is granted
 * (trust-list.md: a certificate verifies only from its GrantedAt).
 */
export async function rotateKeyFolder (o: { dir: string, passphrase: string, scrypt?: ScryptParams, notBefore?: Date }): Promise<RotatedKey> {
  const current = readIdentityFile(o.dir)
  if (current.role !== 'authority' || current.party === undefined || current.peerId === undefined) {
    throw new NodeFileError(`${o.dir} is not an authority's key folder (rotate the anchor by a new anchor certificate given to every node)`)
  }
  if (current.pkcs11KeyLabel !== undefined) {
    // A file key would quietly undo the token's custody: make the new key in the token (cites keys generate --pkcs11-*).
    throw new NodeFileError(`the signing key of ${o.dir} is in a PKCS#11 token (${current.pkcs11KeyLabel}): make the new key in the token too (cites keys generate --pkcs11-module …), not as a file`)
  }
  const id = await generateSigningIdentity({
    commonName: current.name, country: current.party, algorithm: current.algorithm, ...(o.notBefore !== undefined ? { notBefore: o.notBefore } : {})
  })
  const nextDir = join(o.dir, 'next')
  const enrolmentDir = join(nextDir, 'enrolment')
  const identity: KeyIdentity = { ...current, certificateSha256: parseCertificate(id.certificatePem).sha256, createdAt: new Date().toISOString(), encrypted: true }
  writeAtomic(join(nextDir, 'key.pem'), encryptPrivateKey(createPrivateKey(id.privateKeyPem), o.passphrase, o.scrypt ?? SCRYPT_DEFAULT), 0o600)
  writeAtomic(join(nextDir, 'cert.pem'), id.certificatePem)
  writeAtomic(join(nextDir, 'identity.json'), JSON.stringify(identity, null, 2) + '\n')
  writeAtomic(join(enrolmentDir, 'cert.pem'), id.certificatePem)
  writeAtomic(join(enrolmentDir, 'identity.json'), JSON.stringify(identity, null, 2) + '\n')
  return { nextDir, enrolmentDir, identity, certificatePem: id.certificatePem, replaces: current.certificateSha256 }
}

/**
 * Key rotation, second half (`cites keys rotate --activate`, once the caller
 * has checked that a trust list grants the new certificate): the key in use
 * moves to dir/retired/<sha>-key.pem (still encrypted, for the record; delete
 * it once no node needs it), and dir/next becomes the key in use.
 */
export function activateRotatedKey (dir: string): { identity: KeyIdentity, retired: string } {
  const nextDir = join(dir, 'next')
  const next = readIdentityFile(nextDir)
  const old = readIdentityFile(dir)
  const retired = join(dir, 'retired')
  mkdirSync(retired, { recursive: true })
  const tag = old.certificateSha256.slice(0, 16)
  renameSync(join(dir, 'key.pem'), join(retired, `${tag}-key.pem`))
  renameSync(join(dir, 'cert.pem'), join(retired, `${tag}-cert.pem`))
  renameSync(join(nextDir, 'key.pem'), join(dir, 'key.pem'))
  renameSync(join(nextDir, 'cert.pem'), join(dir, 'cert.pem'))
  renameSync(join(nextDir, 'identity.json'), join(dir, 'identity.json'))
  rmSync(nextDir, { recursive: true, force: true })
  return { identity: next, retired }
}
