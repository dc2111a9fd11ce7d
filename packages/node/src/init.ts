/**
 * A new node folder (`cites node init`, and each authority of a pilot):
 *   cites-node.yaml          the commented config (mode 0600)
 *   keys/key.pem, cert.pem   the permit-signing key (0600) and its certificate
 *   keys/peer.key            the libp2p peer key (0600)
 *   keys/identity.json       party, peer ID, certificate SHA-256 (read by `trust-list add --keys`)
 * and three role tokens, returned once (only their SHA-256 is written).
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { generateSigningIdentity, parseCertificate } from '@cites/xml-signature'
import { CONFIG_FILE, hashToken, newToken, renderConfig } from './config.js'

export interface InitNodeOptions {
  party: string
  dir: string
  /** libp2p listen addresses. @default ['/ip4/0.0.0.0/tcp/7001'] */
  listen?: string[]
  httpHost?: string
  httpPort?: number
  name?: string
  provisionalAllow?: boolean
  sharedHost?: boolean
  faultInjection?: boolean
  rateLimitPerMinute?: number
  /** The signing identity's validity start. @default now */
  notBefore?: Date
}

export interface InitializedNode {
  party: string
  peerId: string
  configPath: string
  certificatePem: string
  certificateSha256: string
  tokens: { issuer: string, customs: string, viewer: string }
}

function writeAtomic (path: string, data: string | Uint8Array, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true })
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, data, { mode })
  renameSync(tmp, path)
}

export async function initNodeFolder (o: InitNodeOptions): Promise<InitializedNode> {
  const dir = resolve(o.dir)
  const name = o.name ?? `Management Authority of ${o.party}`
  const id = await generateSigningIdentity({ commonName: name, country: o.party, ...(o.notBefore !== undefined ? { notBefore: o.notBefore } : {}) })
  const peerKey = await generateKeyPair('Ed25519')
  const peerId = peerIdFromPrivateKey(peerKey).toString()
  const certificateSha256 = parseCertificate(id.certificatePem).sha256
  const keys = join(dir, 'keys')
  writeAtomic(join(keys, 'key.pem'), id.privateKeyPem, 0o600)
  writeAtomic(join(keys, 'cert.pem'), id.certificatePem)
  writeAtomic(join(keys, 'peer.key'), privateKeyToProtobuf(peerKey), 0o600)
  writeAtomic(join(keys, 'identity.json'), JSON.stringify({ role: 'authority', party: o.party, name, algorithm: id.algorithm, peerId, certificateSha256, createdAt: new Date().toISOString() }, null, 2) + '\n')
  const tokens = { issuer: newToken(), customs: newToken(), viewer: newToken() }
  const configPath = join(dir, CONFIG_FILE)
  writeAtomic(configPath, renderConfig({
    party: o.party, listen: o.listen ?? ['/ip4/0.0.0.0/tcp/7001'], httpHost: o.httpHost ?? '127.0.0.1', httpPort: o.httpPort ?? 8080,
    provisionalAllow: o.provisionalAllow ?? false, sharedHost: o.sharedHost ?? false, faultInjection: o.faultInjection ?? false,
    ...(o.rateLimitPerMinute !== undefined ? { rateLimitPerMinute: o.rateLimitPerMinute } : {}),
    tokenHashes: { issuer: hashToken(tokens.issuer), customs: hashToken(tokens.customs), viewer: hashToken(tokens.viewer) }
  }), 0o600)
  return { party: o.party, peerId, configPath, certificatePem: id.certificatePem, certificateSha256, tokens }
}
