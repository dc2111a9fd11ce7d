/**
 * The permit-signing key in a PKCS#11 token (issue 15, key custody): an HSM,
 * a smart card, or SoftHSM2 in tests. The private key is made inside the
 * token, marked non-extractable, and signs there: permits (XML-DSig), ledger
 * events and checkpoints alike, since all of them sign with the node's one
 * Signer through the process crypto engine (@cites/xml-signature engine.ts),
 * and the token is put in front of that engine as a key provider. A stolen
 * disk then holds no signing key at all, only the token PIN file.
 *
 * node-webcrypto-p11 (a WebCrypto provider over graphene-pk11 and the
 * pkcs11js native addon, built from source by node-gyp) is an optional
 * dependency: where it did not build, `keys.pkcs11` fails with
 * PKCS11_UNAVAILABLE and file keys work as before.
 */
import { existsSync } from 'node:fs'
import { addKeyProvider, certifyKeyPair, signerFromKey, type GenerateOptions, type KeyAlgorithm, type Signer } from '@cites/xml-signature'
import { Pkcs11KeyExistsError, Pkcs11KeyNotFoundError, Pkcs11LoginError, Pkcs11TokenNotFoundError, Pkcs11UnavailableError } from './errors.js'
import { readPassphraseFile } from './key-custody.js'

/** `keys.pkcs11` in the config. */
export interface Pkcs11Config {
  /** Path of the token's PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so. */
  module: string
  /** The slot by index in the module's list of slots with a token. */
  slot?: number | undefined
  /** The slot by its token's label (wins over `slot`). */
  tokenLabel?: string | undefined
  /** A file holding the user PIN (never logged). */
  pinFile: string
  /** CKA_LABEL of the private signing key in the token. */
  keyLabel: string
}

type P11Module = typeof import('node-webcrypto-p11')
type P11Crypto = InstanceType<P11Module['Crypto']>

/** An open, logged-in session on the token. */
export interface Pkcs11Token {
  /** The token's WebCrypto (its subtle calls are serialised: one session does one operation at a time). */
  crypto: Crypto
  keyStorage: P11Crypto['keyStorage']
  label: string
  slot: number
  /** Log out and close the session (and take the token away from the crypto engine, if a signer was loaded). */
  close: () => void
}

async function loadModule (): Promise<P11Module> {
  try {
    const m = await import('node-webcrypto-p11') as P11Module & { default?: P11Module }
    // The package is CommonJS: its names are on the namespace, or on its default export.
    const mod = (m.Crypto !== undefined ? m : m.default) as P11Module
    if (typeof mod?.Crypto !== 'function') throw new Error('no Crypto export')
    return mod
  } catch (err) {
    throw new Pkcs11UnavailableError(`PKCS#11 signing needs node-webcrypto-p11 and its native addon pkcs11js, which did not load (build it with a C++ compiler: pnpm rebuild pkcs11js): ${(err as Error).message}`)
  }
}

/** Open the configured token's slot and log in with the PIN from `pinFile`. */
export async function openPkcs11Token (cfg: Pkcs11Config): Promise<Pkcs11Token> {
  const p11 = await loadModule()
  if (!existsSync(cfg.module)) throw new Pkcs11UnavailableError(`the PKCS#11 module ${cfg.module} (keys.pkcs11.module) does not exist`)
  const pin = readPassphraseFile(cfg.pinFile)
  let slot = cfg.slot ?? 0
  let probe: P11Crypto | undefined
  try {
    if (cfg.tokenLabel !== undefined) {
      // Find the slot whose token has this label: open slot 0 to reach the module's slot list.
      probe = new p11.Crypto({ library: cfg.module, slot: 0 })
      const slots = probe.slot.module.getSlots(true)
      const labels: string[] = []
      for (let i = 0; i < slots.length; i++) labels.push(slots.items(i).getToken().label.trim())
      probe.close()
      probe = undefined
      slot = labels.indexOf(cfg.tokenLabel)
      if (slot === -1) throw new Pkcs11TokenNotFoundError(`no token labelled "${cfg.tokenLabel}" (keys.pkcs11.tokenLabel) in ${cfg.module}`)
    }
  } catch (err) {
    probe?.close()
    if (err instanceof Pkcs11TokenNotFoundError) throw err
    throw new Pkcs11TokenNotFoundError(`the PKCS#11 module ${cfg.module} has no usable token: ${(err as Error).message}`)
  }
  let crypto: P11Crypto
  try {
    crypto = new p11.Crypto({ library: cfg.module, slot, readWrite: true })
  } catch (err) {
    throw new Pkcs11TokenNotFoundError(`no token in slot ${slot} of ${cfg.module} (keys.pkcs11.slot): ${(err as Error).message}`)
  }
  try {
    crypto.login(pin)
  } catch (err) {
    crypto.close()
    // The PKCS#11 return code only (e.g. CKR_PIN_INCORRECT): never the PIN.
    throw new Pkcs11LoginError(`login to the token in slot ${slot} failed: ${(err as { code?: number, message: string }).message.split(':')[0] ?? 'refused'}`)
  }
  const label = crypto.info?.name.trim() ?? ''
  return { crypto: serialised(crypto), keyStorage: crypto.keyStorage, label, slot, close: () => { crypto.close() } }
}

/**
 * The token's WebCrypto with its subtle calls one at a time: graphene starts
 * an operation synchronously (C_SignInit) and finishes it on a worker
 * (C_Sign), so two signatures in flight on one session would collide
 * (CKR_OPERATION_ACTIVE). The node signs events and permits concurrently.
 */
function serialised (crypto: P11Crypto): Crypto {
  let tail: Promise<unknown> = Promise.resolve()
  const subtle = new Proxy(crypto.subtle, {
    get (target, prop) {
      const f = Reflect.get(target, prop) as unknown
      if (typeof f !== 'function') return f
      return async (...args: unknown[]): Promise<unknown> => {
        const run = async (): Promise<unknown> => await (f as (...a: unknown[]) => Promise<unknown>).apply(target, args)
        const r = tail.then(run, run)
        tail = r.catch(() => undefined)
        return await r
      }
    }
  })
  return { subtle, getRandomValues: (a: ArrayBufferView) => crypto.getRandomValues(a), randomUUID: () => globalThis.crypto.randomUUID() } as unknown as Crypto
}

const isTokenKey = (p11: P11Module) => (k: unknown): boolean => k instanceof p11.CryptoKey

/** Find the token's private key labelled `label`. */
async function findPrivateKey (token: Pkcs11Token, label: string): Promise<CryptoKey & { extractable: boolean }> {
  const keys = token.keyStorage
  for (const id of await keys.keys()) {
    const k = await keys.getItem(id)
    if (k?.type === 'private' && k.algorithm.label === label) return k as unknown as CryptoKey & { extractable: boolean }
  }
  throw new Pkcs11KeyNotFoundError(`no private key labelled "${label}" (keys.pkcs11.keyLabel) in the token "${token.label}"`)
}

export interface Pkcs11Signer {
  signer: Signer
  token: { label: string, slot: number }
  /** True if the token lets the key be exported (it should not: log a warning). */
  extractable: boolean
  close: () => void
}

/**
 * The node's Signer from the token: the private key `keyLabel` and its
 * certificate (the one the trust list grants). The token is put in front of
 * the process crypto engine until `close`. A key that does not match the
 * certificate is KEY_CERTIFICATE_MISMATCH, as for file keys.
 */
export async function loadPkcs11Signer (cfg: Pkcs11Config, certificatePem: string): Promise<Pkcs11Signer> {
  const p11 = await loadModule()
  const token = await openPkcs11Token(cfg)
  const remove = addKeyProvider({ name: 'pkcs11', crypto: token.crypto, holds: isTokenKey(p11) })
  const close = (): void => { remove(); token.close() }
  try {
    const key = await findPrivateKey(token, cfg.keyLabel)
    const signer = await signerFromKey(key, certificatePem)
    return { signer, token: { label: token.label, slot: token.slot }, extractable: key.extractable, close }
  } catch (err) {
    close()
    throw err
  }
}

/**
 * Make a signing key pair inside the token (private key non-extractable and
 * sensitive, both stored on the token under `keyLabel`) and its self-signed
 * certificate, made by the token's key: what the task force grants on the
 * trust list, like a key folder's cert.pem.
 */
export async function generatePkcs11Key (cfg: Pkcs11Config, cert: GenerateOptions & { algorithm?: KeyAlgorithm }): Promise<{ certificatePem: string }> {
  const p11 = await loadModule()
  const token = await openPkcs11Token(cfg)
  const remove = addKeyProvider({ name: 'pkcs11', crypto: token.crypto, holds: isTokenKey(p11) })
  try {
    const taken = await findPrivateKey(token, cfg.keyLabel).then(() => true, (err: unknown) => { if (err instanceof Pkcs11KeyNotFoundError) return false; throw err })
    if (taken) throw new Pkcs11KeyExistsError(`the token "${token.label}" already holds a private key labelled "${cfg.keyLabel}"`)
    const alg = (cert.algorithm ?? 'ECDSA-P256') === 'ECDSA-P256'
      ? { name: 'ECDSA', namedCurve: 'P-256' }
      : { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }
    const keys = await token.crypto.subtle.generateKey({ ...alg, token: true, sensitive: true, label: cfg.keyLabel } as unknown as EcKeyGenParams, false, ['sign', 'verify']) as CryptoKeyPair
    return { certificatePem: await certifyKeyPair(keys, cert) }
  } finally {
    remove()
    token.close()
  }
}
