import { loadSigner, type Signer } from '@cites/xml-signature'
import { certPem, keyPem, type KeyName } from './vectors.js'

// Loading a key costs an import through WebCrypto: once per key and process.
const signers = new Map<KeyName, Promise<Signer>>()

/** The vector key's signer (cached), loaded through the built @cites/xml-signature. */
export function signer (k: KeyName): Promise<Signer> {
  let s = signers.get(k)
  if (s === undefined) { s = loadSigner(keyPem(k), certPem(k)); signers.set(k, s) }
  return s
}
