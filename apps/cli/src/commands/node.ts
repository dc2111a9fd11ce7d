/**
 * `cites node init|start`, and the customs commands against a running node:
 * `cites verify` and `cites consume` (HTTP API with a role token).
 */
import type { Command } from 'commander'
import { copyFileSync, existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { AccessLogError, CONFIG_FILE, ConfigError, KeyNotEncryptedError, NodeError, PASSPHRASE_ENV, findPassphrase, initNodeFolder, startNodeService } from '@cites/node'
import { TrustStore } from '@cites/trust-list'
import { tokenOf, withToken, type TokenOptions } from '../token.js'
import { CliError, EXIT_INVALID, json, readText, type Io } from '../io.js'
import { readAnchorCertificate } from '../keys.js'
import { collect, partyOption } from './options.js'
import { isLockedError, ledgerLockedError } from '../locked.js'
import { callNode, parsePermitId, permitPath, type Problem } from '../client.js'

export { parsePermitId } from '../client.js'

/** `--line A:50[:UNIT]` of `consume` and `endorse`: a line's quantity, the unit only when given. */
export function lineOption (s: string): { line: string, quantity: number, unit?: string } {
  const [line, q, unit, ...rest] = s.split(':')
  if (line === undefined || line === '' || q === undefined || !/^\d+(\.\d+)?$/.test(q) || rest.length > 0) throw new CliError('USAGE', `--line "${s}": use LINE:QUANTITY[:UNIT], e.g. A:50:PCS`)
  return { line, quantity: Number(q), ...(unit !== undefined && unit !== '' ? { unit } : {}) }
}

const portOption = (v: string): number => {
  if (!/^\d{1,5}$/.test(v) || Number(v) > 65535) throw new CliError('USAGE', `"${v}" is not a TCP port`)
  return Number(v)
}

const tlsOption = (v: string): 'self-signed' => {
  if (v !== 'self-signed') throw new CliError('USAGE', `--tls "${v}": the only mode is self-signed (for a CA's certificate, set http.tls in the config)`)
  return v
}

/** The passphrase to encrypt new keys with: --passphrase-file, else CITES_KEY_PASSPHRASE (or a systemd credential); none: plain keys. */
export function passphraseFor (file: string | undefined): string | undefined {
  try {
    return findPassphrase(file)?.passphrase
  } catch (err) {
    throw new CliError('PASSPHRASE_INVALID', (err as Error).message)
  }
}

export function nodeCommand (program: Command, io: Io): void {
  const node = program.command('node').description('run this authority\'s permit node')

  node.command('init')
    .description('write a commented config file, keys and the first admin account for a new node')
    .requiredOption('--party <code>', 'this authority\'s party code', partyOption)
    .requiredOption('--dir <dir>', 'folder for the config, keys and data')
    .option('--p2p-port <port>', 'libp2p TCP port', portOption, 7001)
    .option('--http-port <port>', 'HTTP API and customs page port', portOption, 8080)
    .option('--http-host <host>', 'HTTP bind address', '127.0.0.1')
    .option('--listen <multiaddr>', 'libp2p listen address (repeatable; default /ip4/0.0.0.0/tcp/<p2p-port>)', collect, [])
    .option('--anchor <cert>', 'copy this anchor certificate into the folder')
    .option('--trust-list <file>', 'copy this signed trust list into the folder')
    .option('--allow-provisional', 'let customs record uses provisionally when the issuer is unreachable', false)
    .option('--shared-host', 'all nodes on one host (a pilot)', false)
    .option('--tls <mode>', 'serve HTTPS: "self-signed" makes a certificate for localhost, 127.0.0.1 and the HTTP host (pilots)', tlsOption)
    .option('--passphrase-file <file>', `encrypt the keys with the passphrase in this file (named in the config; else ${PASSPHRASE_ENV}); without either, plain keys and allowPlainKeys: true (pilots only)`)
    .option('--force', 'replace an existing config and keys', false)
    .option('--admin-name <name>', 'the first admin account\'s name (kept in the node\'s account store only)', 'Administrator')
    .option('--json', 'print {party, peerId, configPath, accounts: [{id, name, role, token}], tokens[, tls]}')
    .action(async (o: { party: string, dir: string, p2pPort: number, httpPort: number, httpHost: string, listen: string[], anchor?: string, trustList?: string, allowProvisional: boolean, sharedHost: boolean, tls?: 'self-signed', passphraseFile?: string, adminName: string, force: boolean, json?: boolean }) => {
      const dir = resolve(o.dir)
      const configPath = join(dir, CONFIG_FILE)
      if (existsSync(configPath) && !o.force) throw new CliError('NODE_EXISTS', `${configPath} exists; use --force to replace it`)
      mkdirSync(dir, { recursive: true })
      const listen = o.listen.length > 0 ? o.listen : [`/ip4/0.0.0.0/tcp/${o.p2pPort}`]
      const pass = passphraseFor(o.passphraseFile)
      if (pass === undefined) io.err(`warning: no passphrase (--passphrase-file or ${PASSPHRASE_ENV}): the keys are written unencrypted and the config sets keys.allowPlainKeys: true; use this only for a pilot or test network\n`)
      const made = await initNodeFolder({
        party: o.party, dir, listen, httpHost: o.httpHost, httpPort: o.httpPort, provisionalAllow: o.allowProvisional, sharedHost: o.sharedHost,
        ...(o.tls !== undefined ? { tls: o.tls } : {}), accounts: [{ name: o.adminName, role: 'admin' }],
        ...(pass !== undefined ? { passphrase: pass } : {}), ...(o.passphraseFile !== undefined ? { passphraseFile: o.passphraseFile } : {})
      })
      const { tokens, accounts } = made
      const admin = accounts[0] as { id: string, token: string }
      const identity = { peerId: made.peerId, certificateSha256: made.certificateSha256 }
      if (o.anchor !== undefined) copyFileSync(existsSync(join(o.anchor, 'cert.pem')) ? join(o.anchor, 'cert.pem') : o.anchor, join(dir, 'anchor.pem'))
      if (o.trustList !== undefined) copyFileSync(o.trustList, join(dir, 'trust-list.xml'))
      if (o.json === true) { json(io, { party: o.party, peerId: identity.peerId, configPath, accounts, tokens, ...(made.tls !== undefined ? { tls: made.tls } : {}) }); return }
      io.out([
        `node for ${o.party} written to ${dir}`,
        `  config      ${configPath}`,
        `  peer ID     ${identity.peerId ?? ''}`,
        `  certificate ${join(dir, 'keys', 'cert.pem')} (SHA-256 ${identity.certificateSha256})`,
        ...(made.tls !== undefined ? [`  HTTPS       ${made.tls.certificatePath} (self-signed, SHA-256 ${made.tls.sha256}); clients trust it, e.g. NODE_EXTRA_CA_CERTS=${made.tls.certificatePath}`] : []),
        '',
        `The first admin account: ${admin.id}`,
        `  token     ${admin.token}`,
        '  (shown this once; only its hash is kept). Give each person their own account:',
        `  cites users add --dir ${o.dir} --name "…" --role issuer|customs|viewer [--expires 90d]`,
        '',
        'Next: send the peer ID, certificate and address to the task force for the trust list;',
        `put the anchor certificate at ${join(dir, 'anchor.pem')} and the signed list at ${join(dir, 'trust-list.xml')};`,
        `then: cites node start --dir ${o.dir}`,
        ''
      ].join('\n'))
    })

  node.command('trust')
    .description('install the anchor certificate and the signed trust list into a node folder (checked first)')
    .requiredOption('--dir <dir>', 'the folder `cites node init` wrote')
    .requiredOption('--anchor <cert>', 'the anchor certificate, or its key folder')
    .requiredOption('--trust-list <file>', 'the anchor-signed trust list')
    .option('--json', 'print {sequence, authorities}')
    .action(async (o: { dir: string, anchor: string, trustList: string, json?: boolean }) => {
      const anchorPath = existsSync(join(o.anchor, 'cert.pem')) ? join(o.anchor, 'cert.pem') : o.anchor
      const store = new TrustStore(readAnchorCertificate(o.anchor))
      const v = await store.accept(readText(o.trustList, 'trust list'))
      copyFileSync(anchorPath, join(o.dir, 'anchor.pem'))
      copyFileSync(o.trustList, join(o.dir, 'trust-list.xml'))
      const parties = v.list.authorities.map((a) => a.party)
      if (o.json === true) json(io, { sequence: v.list.sequence, authorities: parties })
      else io.out(`trust list ${v.list.sequence} (${parties.join(', ')}) installed in ${o.dir}\n`)
    })

  node.command('start')
    .description('start the node: libp2p, ledger, HTTP API and customs page, until SIGINT/SIGTERM')
    .requiredOption('--dir <dir>', 'the folder `cites node init` wrote')
    .option('--json', 'report a failure to start as JSON on stderr')
    .action(async (o: { dir: string }) => {
      let svc
      try {
        svc = await startNodeService({ configPath: join(resolve(o.dir), CONFIG_FILE) })
      } catch (err) {
        if (err instanceof ConfigError) throw new CliError(err.code, err.message, 2, err.problems)
        if (err instanceof KeyNotEncryptedError) throw new CliError(err.code, err.message, 2, [{ field: err.field, message: 'a key file is not encrypted' }])
        if (err instanceof NodeError) throw new CliError(err.code, err.message, 2)
        // A tampered access log: the node refuses to sign over it (SECURITY.md §24).
        if (err instanceof AccessLogError) throw new CliError(err.code, err.message, 1)
        if (isLockedError(err)) throw ledgerLockedError(join(resolve(o.dir), 'data', 'ledger'), 'one node per folder')
        throw err
      }
      io.out(`node ${svc.config.party} running: ${svc.url} (peer ${svc.node.peerId.toString()})\n`)
      await new Promise<void>((resolveStop) => {
        const stop = (signal: string): void => {
          svc.logger.info({ signal }, 'stopping')
          svc.stop().then(() => { resolveStop() }, (err: Error) => { io.err(`error while stopping: ${err.message}\n`); process.exitCode = 1; resolveStop() })
        }
        process.once('SIGINT', () => { stop('SIGINT') })
        process.once('SIGTERM', () => { stop('SIGTERM') })
      })
    })

  withToken(program.command('verify')
    .description('ask a running node whether a permit is genuine, in force, unused and made out to the node\'s country (exit 0 valid, 1 not)')
    .argument('<permit>', 'PARTY/NUMBER, e.g. CH/26CH000123')
    .requiredOption('--node <url>', 'the node\'s HTTP address, e.g. http://127.0.0.1:8080'), 'viewer, customs or issuer')
    .option('--stamp <stamp>', 'the security stamp on the paper permit')
    .option('--json', 'print the verdict as JSON')
    .action(async (id: string, o: TokenOptions & { node: string, stamp?: string, json?: boolean }) => {
      const { party, number } = parsePermitId(id)
      const r = await callNode(o.node, tokenOf(o), '/v1/verify', { party, number, ...(o.stamp !== undefined ? { securityStamp: o.stamp } : {}) })
      if (r.status !== 200) throw new CliError(String(r.body.code ?? 'REFUSED'), String(r.body.detail ?? `the node answered ${r.status}`), r.status >= 500 ? 1 : 2)
      const v = r.body as { valid: boolean, checks: Array<{ name: string, status: string, reason: { code: string, message: string } }>, source: string }
      if (o.json === true) json(io, v)
      else {
        // The node asked is the party judging: its destination check says whether the permit is for it.
        const dest = v.checks.find((c) => c.name === 'destination')
        io.out(`${party}/${number}: ${v.valid ? 'VALID' : 'NOT VALID'} (answered by ${v.source})${dest !== undefined && dest.status === 'INVALID' ? ` — ${dest.reason.message}` : ''}\n`)
        for (const c of v.checks) io.out(`  ${c.status.padEnd(8)} ${c.name.padEnd(13)} ${c.reason.code}: ${c.reason.message}\n`)
      }
      if (!v.valid) throw new CliError('INVALID', 'the permit is not valid', EXIT_INVALID, v.checks.filter((c) => c.status === 'INVALID' || c.status === 'ERROR'))
    })

  withToken(program.command('consume')
    .description('record the use of a permit at import through a running node (exit 0 recorded, 1 refused)')
    .argument('<permit>', 'PARTY/NUMBER')
    .requiredOption('--node <url>', 'the node\'s HTTP address'), 'customs')
    .requiredOption('--port <locode>', 'UN/LOCODE of the port of import, e.g. THBKK')
    .option('--line <LINE:QTY[:UNIT]>', 'quantity used per line (repeatable)', collect, [])
    .option('--officer <name>', 'the officer recording the use')
    .option('--document <file>', 'the signed permit XML the holder presented: lets a provisional use be judged when the delivery has not reached the node')
    .option('--json', 'print the answer as JSON')
    .action(async (id: string, o: TokenOptions & { node: string, port: string, line: string[], officer?: string, document?: string, json?: boolean }) => {
      const { party, number } = parsePermitId(id)
      if (o.line.length === 0) throw new CliError('USAGE', 'give at least one --line A:50[:unit]')
      const lines = o.line.map(lineOption)
      const document = o.document !== undefined ? readText(o.document, 'presented document') : undefined
      const r = await callNode(o.node, tokenOf(o), permitPath(party, number, '/consumptions'), { lines, port: o.port.toUpperCase(), ...(o.officer !== undefined ? { officer: o.officer } : {}), ...(document !== undefined ? { document } : {}) })
      if (o.json === true) json(io, r.body)
      if (r.status === 201 || r.status === 202) {
        if (o.json !== true) io.out(r.status === 201 ? `${party}/${number}: use recorded, confirmed by the issuer\n` : `${party}/${number}: use recorded provisionally (not confirmed by issuer)\n`)
        // The destination's own import permits the export cites are used with it (ledger.md §3.6).
        const imports = (r.body.importPermits ?? []) as Array<{ number: string, outcome: string, message?: string }>
        if (o.json !== true) for (const i of imports) io.out(`  import permit ${i.number}: ${i.outcome === 'CONSUMED' ? 'use recorded' : `not recorded as used: ${i.outcome}${i.message !== undefined ? ` (${i.message})` : ''}`}\n`)
        return
      }
      if (r.status === 400 || r.status === 413 || r.status === 415) throw new CliError(String(r.body.code ?? 'REQUEST_INVALID'), String(r.body.detail ?? ''))
      const p = r.body as Problem
      if (o.json !== true) io.out(`${party}/${number}: REFUSED ${p.code ?? ''}: ${p.detail ?? ''}${p.receipt !== undefined ? ` (first used ${p.receipt.consumedAt} at ${p.receipt.port})` : ''}\n`)
      throw new CliError(p.code ?? 'REFUSED', p.detail ?? 'refused', EXIT_INVALID, p.receipt !== undefined ? { receipt: p.receipt } : {})
    })
}
