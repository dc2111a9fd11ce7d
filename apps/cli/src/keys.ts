/**
 * Key folders for `cites keys generate` (layout and writing: @cites/node's
 * writeKeyFolder, shared with `cites node init` and the pilot), and reading them.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { loadSigner, type KeyAlgorithm, type Signer } from '@cites/xml-signature'
import { NodeError, PASSPHRASE_ENV, decryptPrivateKey, findPassphrase, isEncryptedKey, writeKeyFolder, type KeyIdentity, type Pkcs11Config } from '@cites/node'
import { CliError, readText } from './io.js'

/** A key folder's identity.json (the folder is written by @cites/node's writeKeyFolder). */
export type Identity = KeyIdentity

export interface GenerateKeysOptions {
  out: string
  party?: string
  anchor?: boolean
  name?: string
  algorithm?: KeyAlgorithm
  force?: boolean
  /** Encrypt the private keys with it (PKCS#8, scrypt). */
  passphrase?: string
  /** Make the signing key in this PKCS#11 token (no key.pem). */
  pkcs11?: Pkcs11Config
}

export async function generateKeys (o: GenerateKeysOptions): Promise<Identity> {
  if ((existsSync(join(o.out, 'key.pem')) || existsSync(join(o.out, 'identity.json'))) && o.force !== true) {
    throw new CliError('KEYS_EXIST', `${o.out} already holds keys; use --force to replace them`)
  }
  const { force: _force, ...opts } = o
  return (await writeKeyFolder(opts)).identity
}

export function readIdentity (dir: string): Identity {
  const text = readText(join(dir, 'identity.json'), 'key folder identity')
  try {
    return JSON.parse(text) as Identity
  } catch {
    throw new CliError('KEYS_INVALID', `${join(dir, 'identity.json')} is not valid JSON`)
  }
}

/** Load a key folder's signer; an encrypted key takes its passphrase from CITES_KEY_PASSPHRASE or the systemd credential. */
export async function loadKeyFolder (dir: string, passphraseFile?: string): Promise<{ identity: Identity, signer: Signer, certificatePem: string }> {
  const identity = readIdentity(dir)
  const certificatePem = readText(join(dir, 'cert.pem'), 'certificate')
  let keyPem = readText(join(dir, 'key.pem'), 'private key')
  if (isEncryptedKey(keyPem)) {
    const found = findPassphrase(passphraseFile)
    if (found === undefined) throw new CliError('KEY_PASSPHRASE_MISSING', `${join(dir, 'key.pem')} is encrypted: give its passphrase in ${PASSPHRASE_ENV}`)
    try {
      keyPem = decryptPrivateKey(keyPem, found.passphrase, join(dir, 'key.pem')).export({ type: 'pkcs8', format: 'pem' }) as string
    } catch (err) {
      if (err instanceof NodeError) throw new CliError(err.code, err.message, 2)
      throw err
    }
  }
  const signer = await loadSigner(keyPem, certificatePem)
  return { identity, signer, certificatePem }
}

/** The anchor certificate from a folder (anchor/) or a PEM file (anchor/cert.pem). */
export function readAnchorCertificate (pathOrDir: string): string {
  const path = pathOrDir.endsWith('.pem') ? pathOrDir : join(pathOrDir, 'cert.pem')
  return readText(path, 'anchor certificate')
}
