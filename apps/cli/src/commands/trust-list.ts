import type { Command } from 'commander'
import {
  TrustListSignatureError, addAuthority, createTrustList, readTrustListXml, signTrustList, verifyTrustList,
  withdrawAuthority, withdrawCertificate, writeTrustListXml, type AuthorityRole
} from '@cites/trust-list'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { CliError, EXIT_INVALID, json, readText, writeAtomic, type Io } from '../io.js'
import { loadKeyFolder, readAnchorCertificate, readIdentity } from '../keys.js'
import { formatTrustList } from '../format.js'
import { collect, positiveInt, roleOption } from './options.js'

export function trustListCommand (program: Command, io: Io): void {
  const tl = program.command('trust-list').description('the anchor-signed list of authorised authorities')

  tl.command('create')
    .description('write a new, empty, unsigned trust list')
    .requiredOption('--anchor <dir>', 'the anchor key folder (its name becomes the list operator)')
    .requiredOption('--out <file>', 'where to write the list')
    .option('--force', 'overwrite an existing file')
    .action((o: { anchor: string, out: string, force?: boolean }) => {
      if (existsSync(o.out) && o.force !== true) throw new CliError('FILE_EXISTS', `${o.out} exists; use --force to replace it`)
      const id = readIdentity(o.anchor)
      if (id.role !== 'anchor') throw new CliError('NOT_ANCHOR', `${o.anchor} does not hold an anchor key`)
      writeAtomic(o.out, writeTrustListXml(createTrustList({ operator: id.name })))
      io.out(`wrote an empty trust list to ${o.out}; add authorities, then sign it\n`)
    })

  tl.command('add')
    .description('add an authority (or a new certificate of a listed one) from its key folder; the list must be signed again')
    .argument('<list>', 'trust list file')
    .requiredOption('--keys <dir>', 'the authority\'s key folder (from keys generate)')
    .requiredOption('--name <name>', 'the authority\'s name')
    .option('--role <role>', 'management-authority, enforcement or observer', roleOption, 'management-authority' as AuthorityRole)
    .option('--addr <multiaddr>', 'libp2p address to dial (repeatable)', collect, [])
    .action(async (file: string, o: { keys: string, name: string, role: AuthorityRole, addr: string[] }) => {
      const list = readTrustListXml(readText(file, 'trust list'))
      const id = readIdentity(o.keys)
      if (id.party === undefined || id.peerId === undefined) throw new CliError('KEYS_INVALID', `${o.keys} is not an authority key folder (no party or peer ID)`)
      const next = addAuthority(list, {
        party: id.party, name: o.name, role: o.role, peerId: id.peerId, addresses: o.addr,
        certificate: readText(join(o.keys, 'cert.pem'), 'certificate')
      })
      writeAtomic(file, writeTrustListXml(next))
      io.out(`added ${id.party} (${o.role}) to ${file}; sign it to publish\n`)
    })

  tl.command('withdraw')
    .description('withdraw a certificate (--cert) or a whole authority (--authority); entries stay on the list')
    .argument('<list>', 'trust list file')
    .option('--cert <sha256>', 'certificate SHA-256 (8+ hex digits)')
    .option('--authority <party|peerId>', 'the authority to withdraw')
    .action((file: string, o: { cert?: string, authority?: string }) => {
      if ((o.cert === undefined) === (o.authority === undefined)) throw new CliError('USAGE', 'give exactly one of --cert or --authority')
      const list = readTrustListXml(readText(file, 'trust list'))
      const next = o.cert !== undefined ? withdrawCertificate(list, o.cert) : withdrawAuthority(list, o.authority as string)
      writeAtomic(file, writeTrustListXml(next))
      io.out(`withdrew ${o.cert ?? o.authority} in ${file}; sign it to publish\n`)
    })

  tl.command('sign')
    .description('raise the sequence number and sign the list with the anchor key (in place)')
    .argument('<list>', 'trust list file')
    .requiredOption('--anchor <dir>', 'the anchor key folder')
    .option('--valid-days <n>', 'days until the next update', positiveInt, 180)
    .option('--json', 'machine-readable output')
    .action(async (file: string, o: { anchor: string, validDays: number, json?: boolean }) => {
      const list = readTrustListXml(readText(file, 'trust list'))
      const { signer, identity } = await loadKeyFolder(o.anchor)
      if (identity.role !== 'anchor') throw new CliError('NOT_ANCHOR', `${o.anchor} does not hold an anchor key`)
      const signed = await signTrustList(list, signer, { validDays: o.validDays })
      writeAtomic(file, signed.xml)
      if (o.json === true) json(io, { file, sequence: signed.list.sequence, issueDate: signed.list.issueDate, nextUpdate: signed.list.nextUpdate })
      else io.out(`signed ${file}: sequence ${signed.list.sequence}, ${signed.list.authorities.length} authorities, next update ${signed.list.nextUpdate}\n`)
    })

  tl.command('show')
    .description('print the list; with --anchor, verify the anchor signature first (exit 1 if it fails)')
    .argument('<list>', 'trust list file')
    .option('--anchor <cert>', 'anchor certificate (anchor/cert.pem) or folder')
    .option('--json', 'machine-readable output')
    .action(async (file: string, o: { anchor?: string, json?: boolean }) => {
      const xml = readText(file, 'trust list')
      if (o.anchor === undefined) {
        const list = readTrustListXml(xml)
        if (o.json === true) json(io, { verified: false, list })
        else io.out(`(signature not checked: pass --anchor to verify)\n${formatTrustList(list)}`)
        return
      }
      try {
        const v = await verifyTrustList(xml, readAnchorCertificate(o.anchor))
        if (o.json === true) json(io, { verified: true, stale: v.stale, list: v.list })
        else io.out(`signature: VALID (anchor)${v.stale ? '  WARNING: past its next-update date' : ''}\n${formatTrustList(v.list)}`)
      } catch (err) {
        if (err instanceof TrustListSignatureError) throw new CliError(err.code, err.message, EXIT_INVALID, err.reasons)
        throw err
      }
    })
}
