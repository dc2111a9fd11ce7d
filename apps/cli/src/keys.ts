/**
 * Key folders written by `cites keys generate`:
 *   key.pem        permit-signing private key (PKCS#8), mode 0600
 *   cert.pem       its X.509 certificate
 *   peer.key       libp2p peer private key (protobuf), mode 0600; not for the anchor
 *   identity.json  party, name, algorithm, peer ID, certificate SHA-256
 * The two keys are never mixed: the peer key is transport identity only.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { generateSigningIdentity, loadSigner, parseCertificate, type KeyAlgorithm, type Signer } from '@cites/xml-signature'
import { CliError, readText, writeAtomic } from './io.js'

export interface Identity {
  role: 'authority' | 'anchor'
  party?: string
  name: string
  algorithm: KeyAlgorithm
  peerId?: string
  certificateSha256: string
  createdAt: string
}

export interface GenerateKeysOptions {
  out: string
  party?: string
  anchor?: boolean
  name?: string
  algorithm?: KeyAlgorithm
  force?: boolean
}

export async function generateKeys (o: GenerateKeysOptions): Promise<Identity> {
  if (existsSync(join(o.out, 'key.pem')) && o.force !== true) {
    throw new CliError('KEYS_EXIST', `${o.out} already holds keys; use --force to replace them`)
  }
  const anchor = o.anchor === true
  const name = o.name ?? (anchor ? 'CITES e-permitting task force (anchor)' : `Management Authority of ${o.party ?? '?'}`)
  const opts: Parameters<typeof generateSigningIdentity>[0] = { commonName: name, algorithm: o.algorithm ?? 'ECDSA-P256', ca: anchor }
  if (o.party !== undefined) opts.country = o.party
  const id = await generateSigningIdentity(opts)
  const identity: Identity = {
    role: anchor ? 'anchor' : 'authority',
    name,
    algorithm: id.algorithm,
    certificateSha256: parseCertificate(id.certificatePem).sha256,
    createdAt: new Date().toISOString()
  }
  if (o.party !== undefined) identity.party = o.party
  if (!anchor) {
    const peerKey = await generateKeyPair('Ed25519')
    identity.peerId = peerIdFromPrivateKey(peerKey).toString()
    writeAtomic(join(o.out, 'peer.key'), privateKeyToProtobuf(peerKey), 0o600)
  }
  writeAtomic(join(o.out, 'key.pem'), id.privateKeyPem, 0o600)
  writeAtomic(join(o.out, 'cert.pem'), id.certificatePem)
  writeAtomic(join(o.out, 'identity.json'), JSON.stringify(identity, null, 2) + '\n')
  return identity
}

export function readIdentity (dir: string): Identity {
  const text = readText(join(dir, 'identity.json'), 'key folder identity')
  try {
    return JSON.parse(text) as Identity
  } catch {
    throw new CliError('KEYS_INVALID', `${join(dir, 'identity.json')} is not valid JSON`)
  }
}

/** Load a key folder's signer. */
export async function loadKeyFolder (dir: string): Promise<{ identity: Identity, signer: Signer, certificatePem: string }> {
  const identity = readIdentity(dir)
  const certificatePem = readText(join(dir, 'cert.pem'), 'certificate')
  const signer = await loadSigner(readText(join(dir, 'key.pem'), 'private key'), certificatePem)
  return { identity, signer, certificatePem }
}

/** The anchor certificate from a folder (anchor/) or a PEM file (anchor/cert.pem). */
export function readAnchorCertificate (pathOrDir: string): string {
  const path = pathOrDir.endsWith('.pem') ? pathOrDir : join(pathOrDir, 'cert.pem')
  return readText(path, 'anchor certificate')
}
