/**
 * `cites audit show|verify`: the node's access log (issue 15 §3), read from
 * the node folder (`--dir`, holding cites-node.yaml). No passphrase needed.
 *
 * `verify` checks the head's signature with a key it does not take from
 * the node's files (anyone who can edit the log can edit those): the peer
 * IDs the anchor-signed trust list grants this party, verified with the
 * config's anchor certificate, or `--peer-id` given out of band.
 */
import { join, resolve } from 'node:path'
import { InvalidArgumentError, type Command } from 'commander'
import { CONFIG_FILE, ConfigError, peerPublicKey, readAccessLog, verifyAccessLog, loadConfig, type NodeConfig } from '@cites/node'
import { TrustStore } from '@cites/trust-list'
import { CliError, EXIT_INVALID, json, readText, type Io } from '../io.js'

type PublicKey = ReturnType<typeof peerPublicKey>

function accountOption (v: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(v)) throw new InvalidArgumentError('an account ID, e.g. u_3kq9x7a2mf')
  return v
}

function dayOrTime (v: string): string {
  if (Number.isNaN(Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v))) throw new InvalidArgumentError('an ISO 8601 date (a whole day) or date-time')
  return v
}

function peerIdOption (v: string): PublicKey {
  try {
    return peerPublicKey(v)
  } catch {
    throw new InvalidArgumentError('a libp2p peer ID (Ed25519, 12D3KooW…)')
  }
}

function nodeConfig (dir: string): NodeConfig {
  try {
    return loadConfig(join(resolve(dir), CONFIG_FILE)).config
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.code, err.message)
    throw err
  }
}

/** The keys a head may be signed with: this party's granted peer IDs on the anchor-signed trust list. */
async function listedKeys (config: NodeConfig): Promise<{ keys: PublicKey[], peerIds: string[] }> {
  const trust = new TrustStore(readText(config.trust.anchorCertificate, 'the anchor certificate'))
  try {
    await trust.accept(readText(config.trust.trustList, 'the trust list'))
  } catch (err) {
    throw new CliError('TRUST_LIST_INVALID', `the trust list at ${config.trust.trustList} does not verify against the anchor (${(err as Error).message}); give the node's peer ID with --peer-id`)
  }
  const peerIds = trust.byParty(config.party).filter((a) => a.role === 'management-authority' && a.status === 'granted' && a.peerId !== '').map((a) => a.peerId)
  if (peerIds.length === 0) throw new CliError('PARTY_NOT_LISTED', `${config.party} has no granted management authority on the trust list; give the node's peer ID with --peer-id`)
  return { keys: peerIds.map(peerPublicKey), peerIds }
}

export function auditCommand (program: Command, io: Io): void {
  const audit = program.command('audit').description('the node\'s access log: who called the API, what, when, with what outcome (hash-chained, head signed by the node)')

  audit.command('show')
    .description('list access records (not verified: run `cites audit verify`)')
    .requiredOption('--dir <dir>', 'the node folder (holding cites-node.yaml)')
    .option('--user <id>', 'only this account\'s calls', accountOption)
    .option('--from <date>', 'from this date or date-time (inclusive)', dayOrTime)
    .option('--to <date>', 'up to this date (the whole day) or date-time (inclusive)', dayOrTime)
    .option('--json', 'machine-readable output')
    .action((o: { dir: string, user?: string, from?: string, to?: string, json?: boolean }) => {
      const { dataDir } = nodeConfig(o.dir)
      const lines = readAccessLog(dataDir, { ...(o.user !== undefined ? { account: o.user } : {}), ...(o.from !== undefined ? { from: o.from } : {}), ...(o.to !== undefined ? { to: o.to } : {}) })
      if (o.json === true) return json(io, lines)
      for (const l of lines) {
        io.out(`#${l.seq} ${l.at} ${l.account} ${l.role} ${l.via} ${l.method} ${l.route}${l.target !== undefined ? ` ${l.target}` : ''} ${l.status} ${l.outcome}${l.code !== undefined ? ` ${l.code}` : ''}\n`)
      }
      if (lines.length === 0) io.err('no access records match\n')
    })

  audit.command('verify')
    .description('check that no line was edited, removed or reordered and the tail was not cut (exit 1 with the code if so)')
    .requiredOption('--dir <dir>', 'the node folder (holding cites-node.yaml)')
    .option('--peer-id <id>', 'the node\'s peer ID, known out of band (default: this party\'s granted peer IDs on the anchor-signed trust list)', peerIdOption)
    .option('--json', 'machine-readable output')
    .action(async (o: { dir: string, peerId?: PublicKey, json?: boolean }) => {
      const config = nodeConfig(o.dir)
      const keys = o.peerId !== undefined ? [o.peerId] : (await listedKeys(config)).keys
      const v = await verifyAccessLog(config.dataDir, keys)
      if (o.json === true) json(io, v)
      if (v.problem !== undefined) {
        const where = v.problem.line > 0 ? `line ${v.problem.line}: ` : ''
        throw new CliError(v.problem.code, `${where}${v.problem.message}`, EXIT_INVALID, o.json === true ? v : undefined)
      }
      if (o.json !== true) {
        io.out(`access log of ${config.party}: ${v.lines} line(s), intact; head #${v.head?.seq ?? 0} signed by ${v.head?.peerId ?? '?'} at ${v.head?.at ?? '?'}\n`)
        if (v.unsigned > 0) io.err(`warning: ${v.unsigned} line(s) after the signed head (being written, or left by a crash): not covered by the signature until the node's next write\n`)
      }
    })
}
