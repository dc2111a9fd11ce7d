import type { Command } from 'commander'
import { generateKeys } from '../keys.js'
import { CliError, json, type Io } from '../io.js'
import { partyOption, algorithmOption } from './options.js'
import { passphraseFor } from './node.js'
import { NodeError, PASSPHRASE_ENV, encryptKeyFolder } from '@cites/node'

export function keysCommand (program: Command, io: Io): void {
  const keys = program.command('keys').description('permit-signing keys, certificates and libp2p peer keys')
  keys.command('generate')
    .description('write a permit-signing key + certificate and a libp2p peer key (or, with --anchor, the task-force anchor key)')
    .requiredOption('--out <dir>', 'folder to write the keys to')
    .option('--party <code>', 'ISO 3166 party code of the authority, e.g. CH', partyOption)
    .option('--anchor', 'generate the trust anchor (task-force secretariat) key and self-signed certificate')
    .option('--name <name>', 'certificate subject name')
    .option('--algorithm <alg>', 'ecdsa-p256 (default) or rsa-2048', algorithmOption)
    .option('--passphrase-file <file>', `encrypt the private keys (PKCS#8, scrypt) with the passphrase in this file (else ${PASSPHRASE_ENV}); without either they are written unencrypted`)
    .option('--force', 'replace keys already in the folder')
    .option('--json', 'machine-readable output')
    .action(async (o: { out: string, party?: string, anchor?: boolean, name?: string, algorithm?: 'ECDSA-P256' | 'RSA-2048', passphraseFile?: string, force?: boolean, json?: boolean }) => {
      if ((o.anchor === true) === (o.party !== undefined)) {
        throw new CliError('USAGE', 'give exactly one of --party <code> or --anchor')
      }
      const { passphraseFile, ...rest } = o
      const passphrase = passphraseFor(passphraseFile)
      if (passphrase === undefined) io.err(`warning: no passphrase (--passphrase-file or ${PASSPHRASE_ENV}): the private keys are written unencrypted; a node loads them only with keys.allowPlainKeys: true\n`)
      const id = await generateKeys({ ...rest, ...(passphrase !== undefined ? { passphrase } : {}) })
      if (o.json === true) json(io, { ...id, dir: o.out })
      else io.out(`wrote ${o.anchor === true ? 'anchor' : id.party} keys to ${o.out}/ (${id.algorithm}${id.peerId !== undefined ? `, peer ${id.peerId}` : ''}; certificate ${id.certificateSha256.slice(0, 16)})\n`)
    })

  keys.command('encrypt')
    .description('encrypt a key folder\'s plain private keys in place (PKCS#8, scrypt); the peer ID and certificate do not change')
    .requiredOption('--dir <dir>', 'the key folder (for a node: its keys/ folder)')
    .option('--passphrase-file <file>', `the passphrase (else ${PASSPHRASE_ENV})`)
    .option('--json', 'machine-readable output')
    .action(async (o: { dir: string, passphraseFile?: string, json?: boolean }) => {
      const passphrase = passphraseFor(o.passphraseFile)
      if (passphrase === undefined) throw new CliError('KEY_PASSPHRASE_MISSING', `give the passphrase with --passphrase-file or ${PASSPHRASE_ENV}`)
      const files = await encryptKeyFolder(o.dir, passphrase).catch((err: unknown) => {
        if (err instanceof NodeError) throw new CliError(err.code, err.message, 2)
        throw err
      })
      if (o.json === true) json(io, { dir: o.dir, encrypted: files })
      else io.out(files.length === 0 ? `${o.dir}: the keys were already encrypted\n` : `encrypted ${files.join(', ')}; a node using them may now set keys.allowPlainKeys: false\n`)
    })
}
