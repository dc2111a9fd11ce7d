/**
 * Key folders (`cites keys generate`, `cites node init`, each pilot authority):
 *   key.pem        permit-signing private key (PKCS#8), mode 0600
 *   cert.pem       its X.509 certificate
 *   peer.key       libp2p peer private key (protobuf), mode 0600; not for the anchor
 *   identity.json  role, party, name, algorithm, peer ID, certificate SHA-256
 * The two keys are never mixed: the peer key is transport identity only.
 * Files are written atomically (temp + rename).
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { generateSigningIdentity, parseCertificate, type KeyAlgorithm } from '@cites/xml-signature'

export interface KeyIdentity {
  role: 'authority' | 'anchor'
  party?: string
  name: string
  algorithm: KeyAlgorithm
  peerId?: string
  certificateSha256: string
  createdAt: string
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
  if (!anchor) {
    const peerKey = await generateKeyPair('Ed25519')
    identity.peerId = peerIdFromPrivateKey(peerKey).toString()
    writeAtomic(join(o.out, 'peer.key'), privateKeyToProtobuf(peerKey), 0o600)
  }
  writeAtomic(join(o.out, 'key.pem'), id.privateKeyPem, 0o600)
  writeAtomic(join(o.out, 'cert.pem'), id.certificatePem)
  writeAtomic(join(o.out, 'identity.json'), JSON.stringify(identity, null, 2) + '\n')
  return { identity, certificatePem: id.certificatePem }
}
