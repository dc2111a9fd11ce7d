/**
 * A new node folder (`cites node init`, and each authority of a pilot):
 *   cites-node.yaml          the commented config (mode 0600)
 *   keys/key.pem, cert.pem   the permit-signing key (0600, encrypted with a passphrase) and its certificate
 *   keys/peer.key            the libp2p peer key (0600, encrypted with a passphrase)
 *   keys/identity.json       party, peer ID, certificate SHA-256 (read by `trust-list add --keys`)
 *   keys/tls-cert.pem, tls-key.pem   with `tls: 'self-signed'`: the HTTPS certificate and its key (0600)
 *   accounts.json            the account store (0600): the first admin account
 *                            (and any others asked for), whose tokens are
 *                            returned once (only their SHA-256 is written).
 */
import { createHash, X509Certificate } from 'node:crypto'
import { join, resolve } from 'node:path'
import { CONFIG_FILE, renderConfig, type Port } from './config.js'
import { addAccount, type Role } from './accounts.js'
import { writeAtomic, writeKeyFolder } from './keys.js'
import { selfSignedServerCertificate } from './tls.js'
import type { ScryptParams } from './key-custody.js'

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
  /** Background permit checks per second. @default 50 */
  permitChecksPerSecond?: number
  /** Ports of entry and exit. @default DEFAULT_PORTS of the party (config.ts), else none */
  ports?: readonly Port[]
  /** The signing identity's validity start. @default now */
  notBefore?: Date
  /**
   * 'self-signed': serve HTTPS with a new self-signed certificate for
   * localhost, 127.0.0.1, ::1 and httpHost (pilots; production uses a
   * certificate from the ministry's CA). @default none: plain HTTP
   */
  tls?: 'self-signed'
  /**
   * Encrypt the keys with this passphrase. Absent: plain keys, and the config
   * says `allowPlainKeys: true` (pilots; the CLI warns).
   */
  passphrase?: string
  /** The passphrase file to name in the config (keys.passphraseFile). */
  passphraseFile?: string
  /**
   * The accounts to create, with their tokens' lifetime in ms (none: no
   * expiry). @default one admin account, "Administrator"
   */
  accounts?: Array<{ name: string, role: Role, expiresInMs?: number }>
  /** scrypt cost (tests). @default SCRYPT_DEFAULT */
  scrypt?: ScryptParams
}

export interface InitializedNode {
  party: string
  peerId: string
  configPath: string
  certificatePem: string
  certificateSha256: string
  /** The accounts made, each with its personal token (shown once). */
  accounts: Array<{ id: string, name: string, role: Role, token: string }>
  /** The first account's token of each role made (a convenience for pilots and tests). */
  tokens: Partial<Record<Role, string>>
  /** With `tls`: the HTTPS certificate (clients trust it, e.g. NODE_EXTRA_CA_CERTS) and its SHA-256 fingerprint. */
  tls?: { certificatePath: string, sha256: string }
}

export async function initNodeFolder (o: InitNodeOptions): Promise<InitializedNode> {
  const dir = resolve(o.dir)
  const name = o.name ?? `Management Authority of ${o.party}`
  const { identity, certificatePem } = await writeKeyFolder({
    out: join(dir, 'keys'), party: o.party, name, ...(o.notBefore !== undefined ? { notBefore: o.notBefore } : {}),
    ...(o.passphrase !== undefined ? { passphrase: o.passphrase } : {}), ...(o.scrypt !== undefined ? { scrypt: o.scrypt } : {})
  })
  const peerId = identity.peerId as string
  const configPath = join(dir, CONFIG_FILE)
  let tls: InitializedNode['tls']
  if (o.tls === 'self-signed') {
    const host = o.httpHost ?? '127.0.0.1'
    const hosts = ['localhost', '127.0.0.1', '::1']
    // A wildcard bind is no name a client dials; a specific one is.
    if (!hosts.includes(host) && host !== '0.0.0.0' && host !== '::') hosts.push(host)
    const pair = await selfSignedServerCertificate({ hosts })
    const certificatePath = join(dir, 'keys', 'tls-cert.pem')
    writeAtomic(join(dir, 'keys', 'tls-key.pem'), pair.keyPem, 0o600)
    writeAtomic(certificatePath, pair.certPem)
    tls = { certificatePath, sha256: createHash('sha256').update(new X509Certificate(pair.certPem).raw).digest('hex') }
  }
  writeAtomic(configPath, renderConfig({
    party: o.party, listen: o.listen ?? ['/ip4/0.0.0.0/tcp/7001'], httpHost: o.httpHost ?? '127.0.0.1', httpPort: o.httpPort ?? 8080,
    provisionalAllow: o.provisionalAllow ?? false, sharedHost: o.sharedHost ?? false, faultInjection: o.faultInjection ?? false,
    ...(o.rateLimitPerMinute !== undefined ? { rateLimitPerMinute: o.rateLimitPerMinute } : {}),
    ...(o.permitChecksPerSecond !== undefined ? { permitChecksPerSecond: o.permitChecksPerSecond } : {}),
    ...(o.ports !== undefined ? { ports: o.ports } : {}),
    ...(tls !== undefined ? { tls: { cert: './keys/tls-cert.pem', key: './keys/tls-key.pem' } } : {}),
    allowPlainKeys: o.passphrase === undefined, ...(o.passphraseFile !== undefined ? { passphraseFile: resolve(o.passphraseFile) } : {})
  }), 0o600)
  const accounts: InitializedNode['accounts'] = []
  const tokens: InitializedNode['tokens'] = {}
  for (const a of o.accounts ?? [{ name: 'Administrator', role: 'admin' }]) {
    const made = await addAccount(join(dir, 'accounts.json'), a)
    accounts.push({ id: made.account.id, name: made.account.name, role: made.account.role, token: made.token })
    tokens[a.role] ??= made.token
  }
  return { party: o.party, peerId, configPath, certificatePem, certificateSha256: identity.certificateSha256, accounts, tokens, ...(tls !== undefined ? { tls } : {}) }
}
