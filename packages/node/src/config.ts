/**
 * The node's configuration file (`DIR/cites-node.yaml`): commented YAML,
 * written by `cites node init` and validated by a zod schema at start. Paths
 * are relative to the file. Tokens are kept only as SHA-256 hashes, in the
 * account store (accounts.ts).
 */
import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, resolve } from 'node:path'
import { parseDocument } from 'yaml'
import { z } from 'zod'
import { isTimeZone } from '@cites/permit'
import { ConfigError } from './errors.js'
import { OIDC_CONFIG } from './oidc.js'

export const CONFIG_FILE = 'cites-node.yaml'

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 hash: 64 lowercase hex digits')
const multiaddrTcp = z.string().regex(/^\/(ip4|ip6|dns4|dns6)\/[^/]+\/tcp\/\d{1,5}$/, 'a TCP multiaddr like /ip4/0.0.0.0/tcp/7001')

export const NodeConfigSchema = z.object({
  party: z.string().regex(/^[A-Z]{2}$/, 'a two-letter party code, e.g. CH'),
  dataDir: z.string().min(1),
  keys: z.object({
    signingKey: z.string().min(1),
    certificate: z.string().min(1),
    peerKey: z.string().min(1),
    /** A file holding the keys' passphrase (else the systemd credential cites-key-passphrase, else CITES_KEY_PASSPHRASE). */
    passphraseFile: z.string().min(1).optional(),
    /** Load unencrypted key files: pilot and test networks only. */
    allowPlainKeys: z.boolean().default(false),
    /** The signing key in a PKCS#11 token instead of signingKey (pkcs11.ts); signingKey is then not read. */
    pkcs11: z.object({
      module: z.string().min(1),
      slot: z.number().int().min(0).optional(),
      tokenLabel: z.string().min(1).optional(),
      pinFile: z.string().min(1),
      keyLabel: z.string().min(1)
    }).strict().optional()
  }).strict(),
  listen: z.array(multiaddrTcp).min(1),
  http: z.object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535),
    bodyLimitBytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(1024 * 1024),
    /** API requests a minute per known token (the config's token hashes). */
    rateLimitPerMinute: z.number().int().min(1).max(1_000_000).default(1200),
    /** API requests a minute per client address without a known token (none, or a wrong one). */
    addressRateLimitPerMinute: z.number().int().min(1).max(1_000_000).default(120),
    /** Requests a minute per client address for the customs page's files and /openapi.json (/health is never limited). */
    pageRateLimitPerMinute: z.number().int().min(1).max(1_000_000).default(6000),
    /** Open connections per client address; more are closed at once. */
    maxConnectionsPerAddress: z.number().int().min(1).max(100_000).default(128),
    /** A request's headers and body must have arrived within this. */
    requestTimeoutMs: z.number().int().min(1000).max(600_000).default(60_000),
    /**
     * HTTPS instead of plain HTTP (one listener, on host:port), with HSTS.
     * clientCa: also require a client certificate that CA issued (mTLS), in
     * addition to the bearer token.
     */
    tls: z.object({
      cert: z.string().min(1),
      key: z.string().min(1),
      clientCa: z.string().min(1).optional()
    }).strict().optional()
  }).strict(),
  trust: z.object({
    anchorCertificate: z.string().min(1),
    trustList: z.string().min(1)
  }).strict(),
  /**
   * Personal accounts (accounts.ts): the store file, shared with \`cites users\`,
   * and how many failed bearers a minute one client address may present.
   */
  accounts: z.object({
    file: z.string().min(1).default('./accounts.json'),
    signInFailuresPerMinute: z.number().int().min(1).max(10_000).default(10)
  }).strict().default({ file: './accounts.json', signInFailuresPerMinute: 10 }),
  /**
   * Shared role tokens (SHA-256) of configs written before personal accounts:
   * still accepted, each acting as the account \`static-<role>\`, with a
   * warning at start. Replace them with \`cites users add\` and remove this.
   */
  tokens: z.object({ issuer: hex64, customs: hex64, viewer: hex64 }).strict().optional(),
  provisional: z.object({
    allow: z.boolean().default(false),
    issuerTimeoutMs: z.number().int().min(100).max(120_000).default(5000)
  }).strict().default({ allow: false, issuerTimeoutMs: 5000 }),
  /** Background XML-DSig checks of replicated permits (ledger.md §4.1). */
  permitChecks: z.object({
    perSecond: z.number().min(0).max(10_000).default(50)
  }).strict().default({ perSecond: 50 }),
  /**
   * The rules of issuing (permit-profile.md §3.3): the authority's IANA time
   * zone, in which a date-only Box 2 runs by calendar day (absent: UTC+14,
   * where a day ends first), and how long after the issue Box 2 may start.
   */
  issue: z.object({
    timeZone: z.string().min(1).max(64).refine(isTimeZone, 'an IANA time zone name, e.g. Europe/Zurich or America/New_York').optional(),
    validityStartGraceDays: z.number().int().min(0).max(366).default(30)
  }).strict().default({ validityStartGraceDays: 30 }),
  /** Sign-in with the ministry's identity provider (oidc.ts); absent: personal tokens only. */
  oidc: OIDC_CONFIG.optional(),
  /** Readiness (/readyz, health.ts): the largest clock offset from the median of the peers' clocks. */
  health: z.object({
    maxClockSkewSeconds: z.number().int().min(1).max(3600).default(60)
  }).strict().default({ maxClockSkewSeconds: 60 }),
  /**
   * The CITES reference data (issue 14): a snapshot file (absent: the one
   * shipped with @cites/refdata), and whether a trade suspension in force
   * warns or refuses at issuance.
   */
  refdata: z.object({
    snapshot: z.string().min(1).optional(),
    suspensions: z.enum(['warn', 'refuse']).default('warn')
  }).strict().default({ suspensions: 'warn' }),
  /**
   * Personal data (issue 13, SECURITY.md §28): a permit document is erased
   * `documentYears` after the later of its Box 2 end and its last event.
   */
  retention: z.object({
    documentYears: z.number().positive().max(100).default(5)
  }).strict().default({ documentYears: 5 }),
  /** All nodes on one host (the pilot): lifts libp2p's per-host connection rate limit. */
  sharedHost: z.boolean().default(false),
  /** Pilot networks only: fault injection over the HTTP API (issuer token). */
  faultInjection: z.boolean().default(false),
  /**
   * This authority's ports of entry and exit (UN/LOCODE with its name): the
   * customs page offers them, and the API refuses a use or an endorsement at
   * any other port (PORT_NOT_LISTED). Absent: any well-formed UN/LOCODE.
   */
  ports: z.array(z.object({
    locode: z.string().regex(/^[A-Z]{2}[A-Z2-9]{3}$/, 'a UN/LOCODE: the country code and three letters or digits 2-9, e.g. THBKK'),
    name: z.string().min(1).max(80)
  }).strict()).min(1).max(1000).optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')
}).strict()

export type NodeConfig = z.infer<typeof NodeConfigSchema>

/** A loaded config with its paths made absolute. */
export interface LoadedConfig { path: string, config: NodeConfig }

/** Read, parse and validate a config file; every problem names its field. */
export function loadConfig (path: string): LoadedConfig {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new ConfigError(`cannot read the config file ${path}: ${(err as Error).message}`, [])
  }
  let raw: unknown
  try {
    // A warning (e.g. an unknown !tag) is a mistake in a config: refuse it
    // rather than let yaml print it and guess.
    const doc = parseDocument(text, { logLevel: 'silent' })
    const problem = doc.errors[0] ?? doc.warnings[0]
    if (problem !== undefined) throw problem
    raw = doc.toJS({ maxAliasCount: 0 })
  } catch (err) {
    throw new ConfigError(`${path} is not valid YAML: ${(err as Error).message.split('\n')[0] ?? ''}`, [])
  }
  const r = NodeConfigSchema.safeParse(raw)
  if (!r.success) {
    const problems = r.error.issues.map((i) => ({ field: i.path.join('.') || '(root)', message: i.message }))
    throw new ConfigError(`${path}: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, problems)
  }
  const base = dirname(resolve(path))
  const abs = (p: string): string => isAbsolute(p) ? p : resolve(base, p)
  const c = r.data
  return {
    path: resolve(path),
    config: {
      ...c,
      dataDir: abs(c.dataDir),
      refdata: { ...c.refdata, ...(c.refdata.snapshot !== undefined ? { snapshot: abs(c.refdata.snapshot) } : {}) },
      accounts: { ...c.accounts, file: abs(c.accounts.file) },
      ...(c.oidc !== undefined ? { oidc: { ...c.oidc, ...(c.oidc.clientSecretFile !== undefined ? { clientSecretFile: abs(c.oidc.clientSecretFile) } : {}) } } : {}),
      http: { ...c.http, ...(c.http.tls !== undefined ? { tls: { cert: abs(c.http.tls.cert), key: abs(c.http.tls.key), ...(c.http.tls.clientCa !== undefined ? { clientCa: abs(c.http.tls.clientCa) } : {}) } } : {}) },
      keys: {
        ...c.keys, signingKey: abs(c.keys.signingKey), certificate: abs(c.keys.certificate), peerKey: abs(c.keys.peerKey),
        ...(c.keys.passphraseFile !== undefined ? { passphraseFile: abs(c.keys.passphraseFile) } : {}),
        ...(c.keys.pkcs11 !== undefined ? { pkcs11: { ...c.keys.pkcs11, pinFile: abs(c.keys.pkcs11.pinFile) } } : {})
      },
      trust: { anchorCertificate: abs(c.trust.anchorCertificate), trustList: abs(c.trust.trustList) }
    }
  }
}

export interface RenderConfigInput {
  party: string
  listen: string[]
  httpHost: string
  httpPort: number
  provisionalAllow: boolean
  sharedHost: boolean
  /** Pilot networks only. @default false */
  faultInjection?: boolean
  /** @default 1200 */
  rateLimitPerMinute?: number
  /** Background permit checks per second. @default 50 */
  permitChecksPerSecond?: number
  /** Ports of entry and exit. @default DEFAULT_PORTS of the party, else none (any UN/LOCODE) */
  ports?: readonly Port[]
  /** `http.tls` (paths relative to the config). @default none: plain HTTP, the block written commented out */
  tls?: { cert: string, key: string, clientCa?: string }
  /** The keys are plain files: write `allowPlainKeys: true`. @default false */
  allowPlainKeys?: boolean
  /** The passphrase file to name in the config. @default none (a systemd credential or CITES_KEY_PASSPHRASE) */
  passphraseFile?: string
}

/** A port of entry or exit: its UN/LOCODE and its name. */
export interface Port { locode: string, name: string }

/**
 * Main ports of the pilot's parties, the defaults `cites node init` writes
 * (the operator edits the list). A party not here gets none: any UN/LOCODE.
 */
export const DEFAULT_PORTS: Readonly<Record<string, readonly Port[]>> = {
  CH: [{ locode: 'CHZRH', name: 'Zürich airport' }, { locode: 'CHGVA', name: 'Geneva airport' }, { locode: 'CHBSL', name: 'Basel' }],
  TH: [{ locode: 'THBKK', name: 'Bangkok (Suvarnabhumi)' }, { locode: 'THLCH', name: 'Laem Chabang' }, { locode: 'THHKT', name: 'Phuket' }],
  US: [{ locode: 'USNYC', name: 'New York' }, { locode: 'USLAX', name: 'Los Angeles' }, { locode: 'USMIA', name: 'Miami' }],
  FR: [{ locode: 'FRCDG', name: 'Paris-Charles de Gaulle' }, { locode: 'FRMRS', name: 'Marseille' }, { locode: 'FRLEH', name: 'Le Havre' }],
  CN: [{ locode: 'CNPVG', name: 'Shanghai Pudong' }, { locode: 'CNCAN', name: 'Guangzhou' }, { locode: 'CNBJS', name: 'Beijing' }],
  DE: [{ locode: 'DEFRA', name: 'Frankfurt am Main' }, { locode: 'DEHAM', name: 'Hamburg' }],
  GB: [{ locode: 'GBLHR', name: 'London Heathrow' }, { locode: 'GBFXT', name: 'Felixstowe' }],
  JP: [{ locode: 'JPNRT', name: 'Narita' }, { locode: 'JPTYO', name: 'Tokyo' }],
  SG: [{ locode: 'SGSIN', name: 'Singapore' }],
  ZA: [{ locode: 'ZAJNB', name: 'Johannesburg' }, { locode: 'ZADUR', name: 'Durban' }]
}

/** The commented config file `cites node init` writes. */
export function renderConfig (i: RenderConfigInput): string {
  return `# CITES permit node of ${i.party}. Written by \`cites node init\`; checked at every start.
# Paths are relative to this file.

# This Management Authority's party code (ISO 3166-1 alpha-2).
party: ${i.party}

# Where the ledger (LevelDB) lives.
dataDir: ./data

# The permit-signing key and its certificate (as listed on the trust list),
# and the libp2p peer key (its peer ID is on the trust list too).
# The keys are encrypted (PKCS#8, scrypt). Their passphrase comes from
# passphraseFile, else the systemd credential cites-key-passphrase
# (LoadCredential=cites-key-passphrase:/path), else CITES_KEY_PASSPHRASE.
# allowPlainKeys: true loads unencrypted keys: pilot and test networks only.
keys:
  signingKey: ./keys/key.pem
  certificate: ./keys/cert.pem
  peerKey: ./keys/peer.key
${i.passphraseFile !== undefined ? `  passphraseFile: ${JSON.stringify(i.passphraseFile)}` : '  # passphraseFile: /etc/cites/key-passphrase'}
  allowPlainKeys: ${String(i.allowPlainKeys ?? false)}
  # The signing key in an HSM (PKCS#11) instead of signingKey, which is then
  # not read: the key never leaves the token. Make it with its certificate
  # there and have the task force grant the certificate (README).
  # pkcs11:
  #   module: /usr/lib/softhsm/libsofthsm2.so
  #   tokenLabel: cites
  #   pinFile: /etc/cites/token-pin
  #   keyLabel: cites-signing

# libp2p listen addresses (TCP). Other authorities dial the addresses the
# trust list gives for this node.
listen:
${i.listen.map((l) => `  - ${l}`).join('\n')}

# The HTTP API and the customs page. Bound to loopback unless you change host.
http:
  host: ${i.httpHost}
  port: ${i.httpPort}
  bodyLimitBytes: 1048576     # largest request body (a signed permit is at most 256 KiB)
  rateLimitPerMinute: ${i.rateLimitPerMinute ?? 1200}    # API requests a minute per account
  addressRateLimitPerMinute: 120  # API requests a minute per client address without a valid bearer
  pageRateLimitPerMinute: 6000    # the customs page's files a minute per address (/health is never limited)
  maxConnectionsPerAddress: 128   # open connections per client address; more are closed at once
  requestTimeoutMs: 60000         # a request's headers and body must arrive within this
${renderTls(i.tls)}

# The task force's anchor certificate, and the anchor-signed trust list.
# The node refuses to start without both; a newer list arrives by gossip.
trust:
  anchorCertificate: ./anchor.pem
  trustList: ./trust-list.xml

# Personal accounts: each person has one, with a role and a personal token
# (stored only as its SHA-256). Manage them with \`cites users add|list|revoke|rotate
# --dir DIR\` (a running node sees a change within a second). Roles: viewer
# reads and verifies; customs also endorses and records uses; issuer also
# issues, cancels and replaces; admin manages accounts and reads, but acts on
# no permit. A client address presenting more than signInFailuresPerMinute
# wrong tokens a minute is refused unheard until the minute is over.
accounts:
  file: ./accounts.json
  signInFailuresPerMinute: 10

# When the issuer's node cannot be reached within issuerTimeoutMs, may customs
# here record a use provisionally ("not confirmed by issuer")? The issuer
# confirms or refuses it when the two nodes can talk again.
provisional:
  allow: ${String(i.provisionalAllow)}
  issuerTimeoutMs: 5000

# Every permit replicated from another authority gets its full XML-DSig
# check in the background, at most this many a second, and only while this
# node is not busy (0: off). A customs verdict always checks the document
# itself; this catches a bad document early and warms the verdict cache.
permitChecks:
  perSecond: ${i.permitChecksPerSecond ?? 50}

# Issuing. timeZone: this authority's IANA zone (e.g. Europe/Zurich); a
# date-only validity runs to the end of its last day there, and the node signs
# it as that instant. Without it, UTC+14 (where a day ends first). A validity
# may start at most validityStartGraceDays after the issue.
issue:
  # timeZone: Europe/Zurich
  validityStartGraceDays: 30

# Sign-in with the ministry's identity provider (OpenID Connect, code flow
# with PKCE) for the customs page (/auth/oidc/login) and the API (bearer ID
# tokens). Roles come from the roleClaim through roleMap. Personal tokens stay
# for machines. See packages/node/README.md.
# oidc:
#   issuer: https://login.example.gov/realms/cites
#   clientId: cites-node-ch
#   clientSecretFile: /etc/cites/oidc-secret
#   redirectUri: https://cites.example.gov/auth/oidc/callback
#   roleClaim: roles
#   roleMap: { cites-customs: customs, cites-permits: issuer, cites-read: viewer, cites-admin: admin }

# /readyz fails (CLOCK_SKEW) when this node's clock is further than this from
# the median of its peers' clocks (measured on each anti-entropy round). Keep
# the host on NTP: peers refuse requests dated minutes off.
health:
  maxClockSkewSeconds: 60

# The CITES reference data (taxonomy, listings, annotations, suspensions,
# Trade Database codes) permits are checked against at issuance and in
# verdicts. snapshot: a file from \`cites refdata import\` (absent: the 2013
# snapshot shipped with the node). suspensions: a trade suspension in force
# for the exporter and taxon warns, or refuses the issue.
refdata:
  # snapshot: ./refdata.json.gz
  suspensions: warn

# Personal data: a permit document (traders' names and addresses) is kept
# this many years after the later of its expiry and its last event, then
# erased with its key (SECURITY.md §28). Events and summaries stay.
retention:
  documentYears: 5

# true only when every node runs on one host (a pilot network).
sharedHost: ${String(i.sharedHost)}

# Pilot networks only: lets the issuer token cut this node off from peers
# (POST /v1/admin/partition) and heal it. Never in production.
faultInjection: ${String(i.faultInjection ?? false)}

# This authority's ports (UN/LOCODE and name). The customs page offers them,
# and a use or endorsement at any other port is refused (PORT_NOT_LISTED).
# Remove the list to accept any well-formed UN/LOCODE.
${renderPorts(i.ports ?? DEFAULT_PORTS[i.party] ?? [])}

# fatal, error, warn, info, debug, trace or silent. Logs never hold keys,
# tokens or trader details.
logLevel: info
`
}

function renderTls (tls: RenderConfigInput['tls']): string {
  const head = `  # HTTPS: this certificate and key (PEM) serve the API and the page over TLS
  # (HTTPS only, with HSTS). clientCa: also require a client certificate this
  # CA issued (mTLS, e.g. for this authority's permit system); a bearer token
  # is still needed.`
  if (tls === undefined) return `${head}\n  # tls:\n  #   cert: ./keys/tls-cert.pem\n  #   key: ./keys/tls-key.pem\n  #   clientCa: ./keys/client-ca.pem`
  return `${head}\n  tls:\n    cert: ${tls.cert}\n    key: ${tls.key}\n${tls.clientCa !== undefined ? `    clientCa: ${tls.clientCa}` : '    # clientCa: ./keys/client-ca.pem'}`
}

function renderPorts (ports: readonly Port[]): string {
  if (ports.length === 0) return '# ports:\n#   - { locode: XXABC, name: "Port name" }'
  return `ports:\n${ports.map((p) => `  - { locode: ${p.locode}, name: ${JSON.stringify(p.name)} }`).join('\n')}`
}
