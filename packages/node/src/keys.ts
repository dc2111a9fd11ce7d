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
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createPrivateKey } from 'node:crypto'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { generateSigningIdentity, parseCertificate, type KeyAlgorithm } from '@cites/xml-signature'
import { encryptPrivateKey, newEd25519PeerKey, SCRYPT_DEFAULT, type ScryptParams } from './key-custody.js'

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
  const id = await generateSigningIdentity({
    commonName: name, algorithm: o.algorithm ?? 'ECDSA-P256', ca: anchor,
    ...(o.party !== undefined ? { country: o.party } : {}), ...(o.notBefore !== undefined ? { notBefore: o.notBefore } : {})
  })
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
  writeAtomic(join(o.out, 'key.pem'), pass !== undefined ? encryptPrivateKey(createPrivateKey(id.privateKeyPem), pass, o.scrypt ?? SCRYPT_DEFAULT) : id.privateKeyPem, 0o600)
  writeAtomic(join(o.out, 'cert.pem'), id.certificatePem)
  writeAtomic(join(o.out, 'identity.json'), JSON.stringify(identity, null, 2) + '\n')
  return { identity, certificatePem: id.certificatePem }
}
