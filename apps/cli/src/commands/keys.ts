import type { Command } from 'commander'
import { generateKeys } from '../keys.js'
import { CliError, json, type Io } from '../io.js'
import { partyOption, algorithmOption } from './options.js'
import { passphraseFor } from './node.js'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { NodeError, PASSPHRASE_ENV, activateRotatedKey, encryptKeyFolder, rotateKeyFolder } from '@cites/node'
import { TrustListSignatureError, certificatesFor, verifyTrustList } from '@cites/trust-list'
import { parseCertificate } from '@cites/xml-signature'
import { readText, EXIT_INVALID } from '../io.js'
import { readAnchorCertificate, readIdentity } from '../keys.js'

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
    .option('--pkcs11-module <path>', 'make the signing key inside this PKCS#11 token\'s module (an HSM; no key.pem is written): with --pkcs11-pin-file and --pkcs11-key-label')
    .option('--pkcs11-slot <n>', 'the token\'s slot index (default 0)', (v: string) => Number.parseInt(v, 10))
    .option('--pkcs11-token <label>', 'the token by its label (instead of --pkcs11-slot)')
    .option('--pkcs11-pin-file <file>', 'a file holding the token\'s user PIN')
    .option('--pkcs11-key-label <label>', 'the label to give the key in the token (keys.pkcs11.keyLabel)')
    .option('--force', 'replace keys already in the folder')
    .option('--json', 'machine-readable output')
    .action(async (o: { out: string, party?: string, anchor?: boolean, name?: string, algorithm?: 'ECDSA-P256' | 'RSA-2048', passphraseFile?: string, pkcs11Module?: string, pkcs11Slot?: number, pkcs11Token?: string, pkcs11PinFile?: string, pkcs11KeyLabel?: string, force?: boolean, json?: boolean }) => {
      if ((o.anchor === true) === (o.party !== undefined)) {
        throw new CliError('USAGE', 'give exactly one of --party <code> or --anchor')
      }
      const { passphraseFile, pkcs11Module, pkcs11Slot, pkcs11Token, pkcs11PinFile, pkcs11KeyLabel, ...rest } = o
      if (pkcs11Module !== undefined && (pkcs11PinFile === undefined || pkcs11KeyLabel === undefined)) throw new CliError('USAGE', '--pkcs11-module needs --pkcs11-pin-file and --pkcs11-key-label')
      const pkcs11 = pkcs11Module === undefined
        ? undefined
        : { module: pkcs11Module, pinFile: pkcs11PinFile as string, keyLabel: pkcs11KeyLabel as string, ...(pkcs11Slot !== undefined ? { slot: pkcs11Slot } : {}), ...(pkcs11Token !== undefined ? { tokenLabel: pkcs11Token } : {}) }
      const passphrase = passphraseFor(passphraseFile)
      if (passphrase === undefined) io.err(`warning: no passphrase (--passphrase-file or ${PASSPHRASE_ENV}): the private keys are written unencrypted; a node loads them only with keys.allowPlainKeys: true\n`)
      const id = await generateKeys({ ...rest, ...(passphrase !== undefined ? { passphrase } : {}), ...(pkcs11 !== undefined ? { pkcs11 } : {}) }).catch((err: unknown) => {
        if (err instanceof NodeError) throw new CliError(err.code, err.message, 2)
        throw err
      })
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

  keys.command('rotate')
    .description('make a new signing key (encrypted) and an enrolment request for the task force in <dir>/next; the key in use stays until --activate, once a trust list grants the new certificate')
    .requiredOption('--dir <dir>', 'the authority\'s key folder (for a node: its keys/ folder)')
    .option('--passphrase-file <file>', `encrypt the new key with this passphrase (else ${PASSPHRASE_ENV})`)
    .option('--activate', 'put the new key in use: only if --trust-list (verified with --anchor) grants its certificate')
    .option('--trust-list <file>', 'with --activate: the signed trust list the node will run with')
    .option('--anchor <cert>', 'with --activate: the anchor certificate (anchor/cert.pem) or folder')
    .option('--force', 'replace a pending rotation in <dir>/next')
    .option('--json', 'machine-readable output')
    .action(async (o: { dir: string, passphraseFile?: string, activate?: boolean, trustList?: string, anchor?: string, force?: boolean, json?: boolean }) => {
      const nodeError = (err: unknown): never => {
        if (err instanceof NodeError) throw new CliError(err.code, err.message, 2)
        throw err
      }
      const nextDir = join(o.dir, 'next')
      if (o.activate === true) {
        if (o.trustList === undefined || o.anchor === undefined) throw new CliError('USAGE', '--activate needs --trust-list and --anchor: the new key is put in use only once a verified list grants it')
        if (!existsSync(join(nextDir, 'identity.json'))) throw new CliError('NO_ROTATION', `${nextDir} holds no new key: run cites keys rotate --dir ${o.dir} first`)
        const next = readIdentity(nextDir)
        let v: Awaited<ReturnType<typeof verifyTrustList>>
        try {
          v = await verifyTrustList(readText(o.trustList, 'trust list'), readAnchorCertificate(o.anchor))
        } catch (err) {
          if (err instanceof TrustListSignatureError) throw new CliError(err.code, err.message, EXIT_INVALID, err.reasons)
          throw err
        }
        const now = Date.now()
        const granted = (certificatesFor(v.list, next.party ?? '') ?? []).some((t) =>
          parseCertificate(t.certificate).sha256 === next.certificateSha256 && Date.parse(t.grantedAt) <= now && (t.withdrawnAt === undefined || now < Date.parse(t.withdrawnAt)))
        if (!granted) {
          throw new CliError('CERTIFICATE_NOT_GRANTED', `the trust list ${o.trustList} (sequence ${v.list.sequence}) does not grant the new certificate ${next.certificateSha256.slice(0, 16)} of ${next.party ?? '?'}: the key in use stays. Wait for the task force's list that adds it.`, EXIT_INVALID)
        }
        let done: ReturnType<typeof activateRotatedKey>
        try { done = activateRotatedKey(o.dir) } catch (err) { return nodeError(err) }
        if (o.json === true) json(io, { dir: o.dir, activated: done.identity.certificateSha256, retired: done.retired })
        else {
          io.out(`the new key is in use in ${o.dir} (certificate ${done.identity.certificateSha256.slice(0, 16)}); the old one is in ${done.retired}.\n` +
            'Next: install the trust list on the node (cites node trust --dir NODE --anchor ANCHOR --trust-list LIST) and restart it. Once no node needs the old key, delete it;\n' +
            'if it was compromised, ask the task force to withdraw its certificate (cites trust-list withdraw --cert).\n')
        }
        return
      }
      if (existsSync(nextDir) && o.force !== true) throw new CliError('KEYS_EXIST', `${nextDir} already holds a pending rotation; use --force to replace it, or --activate it`)
      const passphrase = passphraseFor(o.passphraseFile)
      if (passphrase === undefined) throw new CliError('KEY_PASSPHRASE_MISSING', `the new key is encrypted at rest: give its passphrase with --passphrase-file or ${PASSPHRASE_ENV}`)
      let r: Awaited<ReturnType<typeof rotateKeyFolder>>
      try { r = await rotateKeyFolder({ dir: o.dir, passphrase }) } catch (err) { return nodeError(err) }
      if (o.json === true) { json(io, { dir: o.dir, next: r.nextDir, enrolment: r.enrolmentDir, certificateSha256: r.identity.certificateSha256, replaces: r.replaces, party: r.identity.party, peerId: r.identity.peerId }); return }
      io.out(`wrote a new signing key for ${r.identity.party ?? '?'} to ${r.nextDir} (certificate ${r.identity.certificateSha256.slice(0, 16)}); the key in use (${r.replaces.slice(0, 16)}) is unchanged.\n` +
        'Next:\n' +
        `  1. Send ${r.enrolmentDir}/ (cert.pem, identity.json: no secret) to the task force, and confirm the certificate SHA-256\n` +
        `     ${r.identity.certificateSha256} by another channel.\n` +
        `  2. The task force: cites trust-list add LIST --keys enrolment --name "${r.identity.name}", then cites trust-list sign LIST --anchor ANCHOR.\n` +
        `  3. Once the signed list is out: cites keys rotate --dir ${o.dir} --activate --trust-list LIST --anchor ANCHOR,\n` +
        '     install the list on the node and restart it. Until then the node keeps signing with the key in use.\n')
    })
}
