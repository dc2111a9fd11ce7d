/**
 * Keys at rest (issue 15, key custody): the permit-signing key and the
 * libp2p peer key are written as encrypted PKCS#8 (RFC 5958
 * EncryptedPrivateKeyInfo), PBES2 (RFC 8018) with the scrypt KDF (RFC 7914)
 * and AES-256-CBC, in a PEM `ENCRYPTED PRIVATE KEY` block.
 *
 * Why we encrypt ourselves rather than with `keyObject.export({ cipher,
 * passphrase })`: Node (OpenSSL) writes PBES2 with PBKDF2 only, and OpenSSL
 * 3.0 reads scrypt PBES2 only up to 32 MiB of scrypt memory (N = 2^14, r = 8),
 * below what keystores such as EIP-2335's (N = 2^18) use. So the KDF and the
 * cipher run here through node:crypto (scrypt with a raised maxmem, AES-256-CBC),
 * and asn1js (a well-kept DER library, already under pkijs) frames them. Keys
 * encrypted elsewhere with PBKDF2 (e.g. `openssl pkcs8 -topk8 -v2 aes-256-cbc`)
 * still load: anything that is not scrypt goes to OpenSSL.
 *
 * The peer key is an Ed25519 key in the same format; libp2p's key is made
 * from its 32-byte seed. A plain key (PKCS#8 `PRIVATE KEY`, or libp2p's
 * protobuf peer key) loads only with `keys.allowPlainKeys: true`.
 *
 * The passphrase comes from, in this order: the config's `keys.passphraseFile`,
 * a systemd credential `$CREDENTIALS_DIRECTORY/cites-key-passphrase`, the
 * environment variable CITES_KEY_PASSPHRASE. It is never logged, nor put in
 * an error message.
 */
import { createCipheriv, createDecipheriv, createPrivateKey, generateKeyPairSync, randomBytes, scryptSync, type KeyObject } from 'node:crypto'
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as asn1js from 'asn1js'
import { generateKeyPairFromSeed, privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { KeyNotEncryptedError, KeyPassphraseMissingError, KeyPassphraseWrongError, NodeFileError } from './errors.js'

const OID_PBES2 = '1.2.840.113549.1.5.13'
const OID_SCRYPT = '1.3.6.1.4.1.11591.4.11'
const OID_AES256_CBC = '2.16.840.1.101.3.4.1.42'

export interface ScryptParams { N: number, r: number, p: number }
/** 128 MiB and about half a second a try on a server core: a stolen file costs that per guessed passphrase. */
export const SCRYPT_DEFAULT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 }
const SCRYPT_MAX: ScryptParams = { N: 2 ** 20, r: 16, p: 16 }

export const PASSPHRASE_ENV = 'CITES_KEY_PASSPHRASE'
export const PASSPHRASE_CREDENTIAL = 'cites-key-passphrase'

const maxmem = (s: ScryptParams): number => 128 * s.N * s.r * s.p + 128 * s.N * s.r + 64 * 1024 * 1024

/** Encrypt a private key as PEM encrypted PKCS#8 (PBES2, scrypt, AES-256-CBC). */
export function encryptPrivateKey (key: KeyObject, passphrase: string, scrypt: ScryptParams = SCRYPT_DEFAULT): string {
  checkPassphrase(passphrase)
  const der = key.export({ type: 'pkcs8', format: 'der' })
  const salt = randomBytes(16)
  const iv = randomBytes(16)
  const k = scryptSync(passphrase.normalize('NFC'), salt, 32, { N: scrypt.N, r: scrypt.r, p: scrypt.p, maxmem: maxmem(scrypt) })
  const c = createCipheriv('aes-256-cbc', k, iv)
  const encrypted = Buffer.concat([c.update(der), c.final()])
  k.fill(0)
  der.fill(0)
  const info = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [
          new asn1js.ObjectIdentifier({ value: OID_PBES2 }),
          new asn1js.Sequence({
            value: [
              new asn1js.Sequence({
                value: [
                  new asn1js.ObjectIdentifier({ value: OID_SCRYPT }),
                  new asn1js.Sequence({
                    value: [
                      new asn1js.OctetString({ valueHex: salt }),
                      new asn1js.Integer({ value: scrypt.N }),
                      new asn1js.Integer({ value: scrypt.r }),
                      new asn1js.Integer({ value: scrypt.p }),
                      new asn1js.Integer({ value: 32 })
                    ]
                  })
                ]
              }),
              new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OID_AES256_CBC }), new asn1js.OctetString({ valueHex: iv })] })
            ]
          })
        ]
      }),
      new asn1js.OctetString({ valueHex: encrypted })
    ]
  })
  const b64 = Buffer.from(info.toBER(false)).toString('base64')
  return `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${b64.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END ENCRYPTED PRIVATE KEY-----\n`
}

const ENCRYPTED_RE = /-----BEGIN ENCRYPTED PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END ENCRYPTED PRIVATE KEY-----/
export const isEncryptedKey = (text: string | Uint8Array): boolean => ENCRYPTED_RE.test(typeof text === 'string' ? text : Buffer.from(text).toString('latin1'))

interface ScryptPbes2 { salt: Buffer, scrypt: ScryptParams, keyLength: number, iv: Buffer, encrypted: Buffer }

/** The scrypt/AES-256-CBC parameters of an EncryptedPrivateKeyInfo, or undefined if it uses another scheme. */
function parseScryptPbes2 (der: Buffer, what: string): ScryptPbes2 | undefined {
  const bad = (): never => { throw new NodeFileError(`${what} is not a well-formed encrypted PKCS#8 key`) }
  const r = asn1js.fromBER(new Uint8Array(der))
  if (r.offset === -1 || r.offset !== der.length) bad()
  const seq = (n: unknown, len?: number): asn1js.AsnType[] => {
    if (!(n instanceof asn1js.Sequence)) return bad()
    const v = n.valueBlock.value
    if (len !== undefined && v.length !== len) bad()
    return v
  }
  const oid = (n: unknown): string => n instanceof asn1js.ObjectIdentifier ? n.valueBlock.toString() : bad()
  const octets = (n: unknown): Buffer => n instanceof asn1js.OctetString && !n.idBlock.isConstructed ? Buffer.from(n.valueBlock.valueHexView) : bad()
  const int = (n: unknown): number => {
    if (!(n instanceof asn1js.Integer)) return bad()
    const v = n.valueBlock.valueDec
    return Number.isSafeInteger(v) && v > 0 ? v : bad()
  }
  const [alg, data] = seq(r.result, 2)
  const [algOid, params] = seq(alg, 2)
  if (oid(algOid) !== OID_PBES2) return undefined
  const [kdf, enc] = seq(params, 2)
  const [kdfOid, kdfParams] = seq(kdf, 2)
  if (oid(kdfOid) !== OID_SCRYPT) return undefined
  const sp = seq(kdfParams)
  if (sp.length < 4 || sp.length > 5) bad()
  const [encOid, ivNode] = seq(enc, 2)
  if (oid(encOid) !== OID_AES256_CBC) return undefined
  const scrypt = { N: int(sp[1]), r: int(sp[2]), p: int(sp[3]) }
  // A file is not allowed to make the node spend unbounded memory or time.
  if (scrypt.N > SCRYPT_MAX.N || (scrypt.N & (scrypt.N - 1)) !== 0 || scrypt.r > SCRYPT_MAX.r || scrypt.p > SCRYPT_MAX.p) {
    throw new NodeFileError(`${what} asks for scrypt parameters beyond N=2^20, r=16, p=16`)
  }
  const keyLength = sp.length === 5 ? int(sp[4]) : 32
  const iv = octets(ivNode)
  if (keyLength !== 32 || iv.length !== 16) bad()
  return { salt: octets(sp[0]), scrypt, keyLength, iv, encrypted: octets(data) }
}

/**
 * Decrypt PEM encrypted PKCS#8. A wrong passphrase is KEY_PASSPHRASE_WRONG
 * (AES-CBC has no tag: a bad padding or a decryption that is not a key both
 * mean a wrong passphrase, or a damaged file).
 */
export function decryptPrivateKey (pem: string, passphrase: string, what = 'the key'): KeyObject {
  const m = ENCRYPTED_RE.exec(pem)
  if (m === null) throw new NodeFileError(`${what} is not an encrypted PKCS#8 key`)
  const der = Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64')
  const p = parseScryptPbes2(der, what)
  const wrong = (): never => { throw new KeyPassphraseWrongError(`${what} does not decrypt with the passphrase given (a wrong passphrase, or a damaged file)`) }
  if (p === undefined) {
    // Another scheme (PBKDF2 from openssl or Node): OpenSSL decrypts it.
    try {
      return createPrivateKey({ key: pem, format: 'pem', passphrase })
    } catch (err) {
      const code = (err as { code?: string }).code ?? ''
      if (code === 'ERR_OSSL_BAD_DECRYPT' || code.startsWith('ERR_OSSL_')) return wrong()
      throw new NodeFileError(`${what} does not load`)
    }
  }
  const k = scryptSync(passphrase.normalize('NFC'), p.salt, 32, { ...p.scrypt, maxmem: maxmem(p.scrypt) })
  let plain: Buffer
  try {
    const d = createDecipheriv('aes-256-cbc', k, p.iv)
    plain = Buffer.concat([d.update(p.encrypted), d.final()])
  } catch {
    return wrong()
  } finally {
    k.fill(0)
  }
  try {
    return createPrivateKey({ key: plain, format: 'der', type: 'pkcs8' })
  } catch {
    return wrong()
  } finally {
    plain.fill(0)
  }
}

function checkPassphrase (passphrase: string): void {
  if (passphrase.length === 0) throw new KeyPassphraseMissingError('the key passphrase is empty')
}

/** Where the passphrase came from (for the log: never the passphrase itself). */
export type PassphraseSource = 'keys.passphraseFile' | 'systemd credential' | typeof PASSPHRASE_ENV

/** A passphrase file's text without its final line end. */
export function readPassphraseFile (path: string): string {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new KeyPassphraseMissingError(`cannot read the key passphrase file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`)
  }
  const p = text.replace(/\r?\n$/, '')
  checkPassphrase(p)
  return p
}

/** The key passphrase from the config's file, a systemd credential or the environment; undefined if none is given. */
export function findPassphrase (passphraseFile: string | undefined, env: NodeJS.ProcessEnv = process.env): { passphrase: string, source: PassphraseSource } | undefined {
  if (passphraseFile !== undefined) return { passphrase: readPassphraseFile(passphraseFile), source: 'keys.passphraseFile' }
  const creds = env.CREDENTIALS_DIRECTORY
  if (creds !== undefined && creds !== '') {
    const path = join(creds, PASSPHRASE_CREDENTIAL)
    if (existsSync(path)) return { passphrase: readPassphraseFile(path), source: 'systemd credential' }
  }
  const v = env[PASSPHRASE_ENV]
  if (v !== undefined && v !== '') return { passphrase: v, source: PASSPHRASE_ENV }
  return undefined
}

export interface KeyFilesConfig {
  signingKey: string
  peerKey: string
  passphraseFile?: string | undefined
  allowPlainKeys?: boolean | undefined
  /** Set: the signing key is in a PKCS#11 token (pkcs11.ts), and signingKey is not read. */
  pkcs11?: object | undefined
}

export interface LoadedKeys {
  /** The signing key as plain PKCS#8 PEM, in memory only (for loadSigner); undefined with keys.pkcs11. */
  signingKeyPem: string | undefined
  peerKey: PrivateKey
  encrypted: boolean
  passphraseSource?: PassphraseSource
}

const readKeyFile = (path: string, what: string): Buffer => {
  try {
    return readFileSync(path)
  } catch (err) {
    throw new NodeFileError(`cannot read ${what} at ${path}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`)
  }
}

/** A libp2p Ed25519 key from an Ed25519 KeyObject (its seed). */
export async function libp2pKeyFromEd25519 (key: KeyObject): Promise<PrivateKey> {
  if (key.asymmetricKeyType !== 'ed25519') throw new NodeFileError('the peer key is not an Ed25519 key')
  const d = key.export({ format: 'jwk' }).d
  if (d === undefined) throw new NodeFileError('the peer key has no private part')
  const seed = Buffer.from(d, 'base64url')
  try {
    return await generateKeyPairFromSeed('Ed25519', seed)
  } finally {
    seed.fill(0)
  }
}

/** A new Ed25519 peer key: the KeyObject (to encrypt) and the libp2p key made from it. */
export async function newEd25519PeerKey (): Promise<{ key: KeyObject, libp2p: PrivateKey }> {
  const { privateKey } = generateKeyPairSync('ed25519')
  return { key: privateKey, libp2p: await libp2pKeyFromEd25519(privateKey) }
}

/**
 * Load the node's two keys. Encrypted keys need a passphrase; a plain key
 * needs `keys.allowPlainKeys: true`, else KEY_NOT_ENCRYPTED names that field.
 */
export async function loadNodeKeys (keys: KeyFilesConfig, env: NodeJS.ProcessEnv = process.env): Promise<LoadedKeys> {
  // With keys.pkcs11 there is no signing key file (it is in the token): only the peer key is read.
  const signing = keys.pkcs11 === undefined ? readKeyFile(keys.signingKey, 'the signing key') : undefined
  const peer = readKeyFile(keys.peerKey, 'the peer key')
  const signingEncrypted = signing === undefined || isEncryptedKey(signing)
  const peerEncrypted = isEncryptedKey(peer)
  const plain = (what: string, path: string): never => {
    throw new KeyNotEncryptedError(`${what} at ${path} is not encrypted, and the config does not set keys.allowPlainKeys: true (encrypt it with \`cites keys encrypt\`, or allow plain keys on a pilot network only)`)
  }
  if (keys.allowPlainKeys !== true) {
    if (!signingEncrypted) plain('the signing key', keys.signingKey)
    if (!peerEncrypted) plain('the peer key', keys.peerKey)
  }
  let found: ReturnType<typeof findPassphrase>
  if ((signing !== undefined && signingEncrypted) || peerEncrypted) {
    found = findPassphrase(keys.passphraseFile, env)
    if (found === undefined) {
      throw new KeyPassphraseMissingError(`the keys are encrypted and no passphrase was given: set keys.passphraseFile, a systemd credential ${PASSPHRASE_CREDENTIAL}, or ${PASSPHRASE_ENV}`)
    }
  }
  let signingKeyPem: string | undefined
  if (signing === undefined) {
    signingKeyPem = undefined
  } else if (signingEncrypted) {
    const k = decryptPrivateKey(signing.toString('utf8'), found?.passphrase ?? '', `the signing key at ${keys.signingKey}`)
    signingKeyPem = k.export({ type: 'pkcs8', format: 'pem' }) as string
  } else {
    signingKeyPem = signing.toString('utf8')
  }
  let peerKey: PrivateKey
  if (peerEncrypted) {
    peerKey = await libp2pKeyFromEd25519(decryptPrivateKey(peer.toString('utf8'), found?.passphrase ?? '', `the peer key at ${keys.peerKey}`))
  } else {
    try {
      peerKey = privateKeyFromProtobuf(peer)
    } catch {
      throw new NodeFileError(`the peer key at ${keys.peerKey} does not load`)
    }
  }
  return { signingKeyPem, peerKey, encrypted: signingEncrypted && peerEncrypted, ...(found !== undefined ? { passphraseSource: found.source } : {}) }
}

/**
 * Encrypt a key folder's plain keys in place (`cites keys encrypt`): key.pem
 * (PKCS#8) and peer.key (libp2p protobuf Ed25519, rewritten as encrypted
 * PKCS#8 Ed25519 of the same seed: the peer ID does not change). Keys already
 * encrypted are left as they are. Returns the files it encrypted.
 */
export async function encryptKeyFolder (dir: string, passphrase: string, scrypt: ScryptParams = SCRYPT_DEFAULT): Promise<string[]> {
  checkPassphrase(passphrase)
  const done: string[] = []
  const keyPath = join(dir, 'key.pem')
  const key = readKeyFile(keyPath, 'the signing key')
  const writes: Array<[string, string]> = []
  if (!isEncryptedKey(key)) {
    let k: KeyObject
    try {
      k = createPrivateKey({ key, format: 'pem' })
    } catch {
      throw new NodeFileError(`the signing key at ${keyPath} does not load`)
    }
    writes.push([keyPath, encryptPrivateKey(k, passphrase, scrypt)])
  }
  const peerPath = join(dir, 'peer.key')
  if (existsSync(peerPath)) {
    const peer = readKeyFile(peerPath, 'the peer key')
    if (!isEncryptedKey(peer)) {
      let lp: PrivateKey
      try {
        lp = privateKeyFromProtobuf(peer)
      } catch {
        throw new NodeFileError(`the peer key at ${peerPath} does not load`)
      }
      if (lp.type !== 'Ed25519') throw new NodeFileError(`the peer key at ${peerPath} is not an Ed25519 key`)
      // libp2p's raw Ed25519 private key is the 32-byte seed followed by the public key.
      const k = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: Buffer.from(lp.raw.subarray(0, 32)).toString('base64url'), x: Buffer.from(lp.publicKey.raw).toString('base64url') }, format: 'jwk' })
      const again = await libp2pKeyFromEd25519(k)
      if (!again.publicKey.equals(lp.publicKey)) throw new NodeFileError(`the peer key at ${peerPath} does not round-trip`)
      writes.push([peerPath, encryptPrivateKey(k, passphrase, scrypt)])
    }
  }
  // Both encrypted before either is replaced, each atomically (temp + rename).
  for (const [path, pem] of writes) {
    const tmp = `${path}.${process.pid}.tmp`
    writeFileSync(tmp, pem, { mode: 0o600 })
    renameSync(tmp, path)
    done.push(path)
  }
  const idPath = join(dir, 'identity.json')
  if (done.length > 0 && existsSync(idPath)) {
    const id = JSON.parse(readFileSync(idPath, 'utf8')) as Record<string, unknown>
    writeFileSync(`${idPath}.${process.pid}.tmp`, JSON.stringify({ ...id, encrypted: true }, null, 2) + '\n')
    renameSync(`${idPath}.${process.pid}.tmp`, idPath)
  }
  return done
}
