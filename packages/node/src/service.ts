/**
 * The node as a service (`cites node start`): load and check the config,
 * load the keys and the trust list, start the permit node and the HTTP API,
 * and stop both cleanly.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { createLogger, type Logger } from '@cites/runtime'
import { loadSigner } from '@cites/xml-signature'
import { TrustStore } from '@cites/trust-list'
import { createPermitNode, type PermitNode } from './node.js'
import { buildHttpApi } from './http.js'
import { loadConfig, type NodeConfig } from './config.js'
import { NodeFileError } from './errors.js'
import { tlsServerOptions } from './tls.js'
import { loadNodeKeys } from './key-custody.js'
import { AccountRegistry } from './accounts.js'
import { AccessLog } from './access-log.js'
import { createOidc } from './oidc.js'
import { loadPkcs11Signer } from './pkcs11.js'
import type { FastifyInstance } from 'fastify'

export interface NodeService {
  node: PermitNode
  http: FastifyInstance
  /** Base URL of the HTTP API and customs page. */
  url: string
  config: NodeConfig
  logger: Logger
  stop: () => Promise<void>
}

export interface StartServiceOptions {
  /** Path of cites-node.yaml. */
  configPath: string
  /** Override the config's log destination (tests). @default stdout */
  logger?: Logger
  /** Clock for the ledger and protocols (tests). */
  now?: () => number
}

const readFile = (path: string, what: string): Buffer => {
  try {
    return readFileSync(path)
  } catch (err) {
    throw new NodeFileError(`cannot read ${what} at ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
}

/** Where the built customs page lives, if it was built (CITES_WEB_ROOT overrides, e.g. for a bundled node). */
export function customsWebRoot (): string | undefined {
  if (process.env.CITES_WEB_ROOT !== undefined && process.env.CITES_WEB_ROOT !== '') return process.env.CITES_WEB_ROOT
  try {
    const req = createRequire(import.meta.url)
    return join(dirname(req.resolve('@cites/customs-web/package.json')), 'dist')
  } catch {
    return undefined
  }
}

export async function startNodeService (o: StartServiceOptions): Promise<NodeService> {
  const { config } = loadConfig(o.configPath)
  // The root of every component's logger: `logLevel` sets it; DEBUG=cites:<component> lowers one.
  const logger = o.logger ?? createLogger({ level: config.logLevel, base: { party: config.party } })
  // Keys at rest are encrypted unless keys.allowPlainKeys (key-custody.ts); the passphrase is never logged.
  const keys = await loadNodeKeys(config.keys)
  const certificatePem = readFile(config.keys.certificate, 'the certificate').toString('utf8')
  // keys.pkcs11: the signing key stays in the token (pkcs11.ts); its own errors (PKCS11_*) pass as they are.
  const hsm = config.keys.pkcs11 !== undefined ? await loadPkcs11Signer(config.keys.pkcs11, certificatePem) : undefined
  if (hsm !== undefined) logger.info({ token: hsm.token.label, slot: hsm.token.slot, extractable: hsm.extractable }, 'signing key in a PKCS#11 token')
  const signer = hsm?.signer ?? await loadSigner(keys.signingKeyPem ?? '', certificatePem)
    .catch((err: Error) => { throw new NodeFileError(`the signing key or certificate does not load: ${err.message}`) })
  const peerKey = keys.peerKey
  if (!keys.encrypted) logger.warn({ field: 'keys.allowPlainKeys' }, 'a key file is not encrypted (allowed by keys.allowPlainKeys): pilot and test networks only')
  else logger.info({ passphraseSource: keys.passphraseSource }, 'keys decrypted')
  const trust = new TrustStore(readFile(config.trust.anchorCertificate, 'the anchor certificate').toString('utf8'))
  try {
    await trust.accept(readFile(config.trust.trustList, 'the trust list').toString('utf8'))
  } catch (err) {
    if (err instanceof NodeFileError) throw err
    throw new NodeFileError(`the trust list at ${config.trust.trustList} does not verify against the anchor: ${(err as Error).message}`)
  }
  if (trust.byParty(config.party).length === 0) logger.warn({ party: config.party }, 'this party is not on the trust list: peers will refuse this node until the task force adds it')

  // Accounts: the store file, polled so a revocation holds within a second; legacy role tokens with a warning.
  const accounts = new AccountRegistry(config.accounts.file)
  accounts.onReloadError = (err) => { logger.error({ code: (err as { code?: string }).code ?? 'ACCOUNTS_FILE_INVALID' }, 'the account store changed but does not load: the last good one stays in force') }
  if (config.tokens !== undefined) {
    accounts.addFixed(config.tokens)
    logger.warn({ field: 'tokens' }, 'shared role tokens are configured: they act as accounts static-<role>, with no person behind them; add personal accounts (cites users add) and remove tokens:')
  }
  // Before anything is started: a bad identity-provider config (http issuer, wrong redirect path) refuses the start.
  const oidc = config.oidc !== undefined ? createOidc(config.oidc) : undefined
  // The reference data (one loaded snapshot per process and path): the rules at issuance and in verdicts, and the published quotas that seed the register (quotas.ts).
  const node = await createPermitNode({
    party: config.party, dataDir: config.dataDir, signer, peerKey, trust, listen: config.listen, sharedHost: config.sharedHost,
    provisional: config.provisional, permitChecksPerSecond: config.permitChecks.perSecond, documentYears: config.retention.documentYears, log: logger,
    refdata: { suspensions: config.refdata.suspensions, ...(config.refdata.snapshot !== undefined ? { snapshot: config.refdata.snapshot } : {}) },
    issuePolicy: { validityStartGraceMs: config.issue.validityStartGraceDays * 86_400_000, ...(config.issue.timeZone !== undefined ? { timeZone: config.issue.timeZone } : {}) }, ...(o.now !== undefined ? { now: o.now } : {})
  })
  // Who did what: every API call in the hash-chained access log, its head signed with the peer key.
  // A tampered log stops the start (AccessLogError with its code): the operator keeps it as evidence.
  const accessLog = await AccessLog.open(config.dataDir, peerKey).catch(async (err: unknown) => { await node.stop(); throw err })
  accounts.watch()
  let http: FastifyInstance
  try {
    const webRoot = customsWebRoot()
    http = (await buildHttpApi(node, {
      accounts, accessLog, ...(oidc !== undefined ? { oidc } : {}), signInFailuresPerMinute: config.accounts.signInFailuresPerMinute, maxClockSkewMs: config.health.maxClockSkewSeconds * 1000, bodyLimitBytes: config.http.bodyLimitBytes, logger: logger.child({ component: 'http' }),
      rateLimitPerMinute: config.http.rateLimitPerMinute, addressRateLimitPerMinute: config.http.addressRateLimitPerMinute, pageRateLimitPerMinute: config.http.pageRateLimitPerMinute,
      maxConnectionsPerAddress: config.http.maxConnectionsPerAddress, requestTimeoutMs: config.http.requestTimeoutMs,
      faultInjection: config.faultInjection,
      // http.tls: HTTPS only (the one listener), with HSTS and, given clientCa, client certificates.
      ...(config.http.tls !== undefined ? { https: tlsServerOptions(config.http.tls) } : {}),
      ...(config.ports !== undefined ? { ports: config.ports } : {}),
      ...(webRoot !== undefined ? { webRoot } : {})
    })).app
    await http.listen({ host: config.http.host, port: config.http.port })
  } catch (err) {
    accounts.close()
    oidc?.close()
    await accessLog.close()
    await node.stop()
    throw err
  }
  const addr = http.server.address()
  const port = typeof addr === 'object' && addr !== null ? addr.port : config.http.port
  const host = config.http.host === '0.0.0.0' || config.http.host === '::' ? '127.0.0.1' : config.http.host
  const url = `${config.http.tls !== undefined ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`
  logger.info({ peerId: node.peerId.toString(), url, listen: node.addresses() }, 'node started')
  let stopped = false
  return {
    node, http, url, config, logger,
    stop: async () => {
      if (stopped) return
      stopped = true
      // HTTP first (no new requests), then the peers and the ledger (flushed on close).
      await http.close()
      accounts.close()
      oidc?.close()
      await accessLog.close()
      await node.stop()
      hsm?.close()
      logger.info('node stopped')
    }
  }
}
