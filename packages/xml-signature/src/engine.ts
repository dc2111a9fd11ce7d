// @peculiar/x509 2 uses tsyringe, which needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata'
/**
 * The WebCrypto engine. xmldsigjs and @peculiar/x509 each hold one engine for
 * the whole process, so the engine is chosen process-wide: by
 * {@link setCryptoEngine}, or by the `CITES_CRYPTO_ENGINE` environment
 * variable (`node` or `peculiar`). Changing it while operations are in flight
 * is a programming error; tests switch between test files or suites only.
 */
import * as xmldsig from 'xmldsigjs'
import { setNodeDependencies } from 'xml-core'
import * as x509 from '@peculiar/x509'
import { DOMParser, XMLSerializer, DOMImplementation } from '@xmldom/xmldom'
import * as xpath from 'xpath'
import { webcrypto } from 'node:crypto'
import { Crypto as PeculiarCrypto } from '@peculiar/webcrypto'

/** Engines this package knows by name. */
export type CryptoEngineName = 'node' | 'peculiar'

/**
 * Default engine: Node's built-in WebCrypto. The benchmark
 * (`npm run bench:xml-signature`) measured it faster than @peculiar/webcrypto
 * for both sign and verify; see packages/xml-signature/README.md.
 */
export const DEFAULT_ENGINE: CryptoEngineName = 'node'

let current: { name: string, crypto: Crypto } | undefined

function byName (name: CryptoEngineName): Crypto {
  return name === 'peculiar' ? new PeculiarCrypto() as unknown as Crypto : webcrypto as unknown as Crypto
}

/**
 * Another WebCrypto provider that holds some keys itself: a PKCS#11 token
 * through node-webcrypto-p11, whose private keys never leave it. `holds`
 * tells its keys apart from the engine's.
 */
export interface KeyProvider {
  name: string
  crypto: Crypto
  holds: (key: unknown) => boolean
}

let base: { name: string, crypto: Crypto } | undefined
const providers: KeyProvider[] = []

/**
 * The engine with the key providers in front: a call that passes one of a
 * provider's keys goes to that provider (xmldsigjs and the ledger call
 * `subtle.sign(alg, key, data)` on the one process engine, so routing by key
 * is what lets them sign with a token key unchanged); every other call, and
 * so every verification, stays with the engine.
 */
function routed (e: { name: string, crypto: Crypto }): { name: string, crypto: Crypto } {
  if (providers.length === 0) return e
  const subtle = new Proxy(e.crypto.subtle, {
    get (target, prop) {
      const f = Reflect.get(target, prop) as unknown
      if (typeof f !== 'function') return f
      return (...args: unknown[]): unknown => {
        const p = providers.find((q) => args.some((a) => q.holds(a)))
        if (p === undefined) return (f as (...a: unknown[]) => unknown).apply(target, args)
        return (Reflect.get(p.crypto.subtle, prop) as (...a: unknown[]) => unknown).apply(p.crypto.subtle, args)
      }
    }
  })
  const crypto = {
    subtle,
    getRandomValues: (a: ArrayBufferView) => e.crypto.getRandomValues(a as Uint8Array),
    randomUUID: () => e.crypto.randomUUID()
  } as unknown as Crypto
  return { name: `${e.name}+${providers.map((p) => p.name).join('+')}`, crypto }
}

function install (e: { name: string, crypto: Crypto }): void {
  // xmldsigjs needs a DOM in Node (FACTS.md): register xmldom and xpath.
  setNodeDependencies({ DOMParser, XMLSerializer, DOMImplementation, xpath })
  const r = routed(e)
  xmldsig.Application.setEngine(r.name, r.crypto)
  x509.cryptoProvider.set(r.crypto)
  base = e
  current = r
}

/** Use this engine for every later sign and verify in the process (key providers stay in front of it). */
export function setCryptoEngine (engine: CryptoEngineName | { name: string, crypto: Crypto }): void {
  install(typeof engine === 'string' ? { name: engine, crypto: byName(engine) } : engine)
}

/**
 * Put a key provider in front of the engine (see {@link KeyProvider}): its
 * keys then sign through it, in signXml, signPermit and the ledger alike.
 * Returns the function that takes it away again (when the token is closed).
 */
export function addKeyProvider (provider: KeyProvider): () => void {
  cryptoEngine()
  providers.push(provider)
  install(base as { name: string, crypto: Crypto })
  return () => {
    const i = providers.indexOf(provider)
    if (i === -1) return
    providers.splice(i, 1)
    install(base as { name: string, crypto: Crypto })
  }
}

/** The engine in use, initialising the default on first use. */
export function cryptoEngine (): { name: string, crypto: Crypto } {
  if (current === undefined) {
    const env = process.env.CITES_CRYPTO_ENGINE
    if (env !== undefined && env !== '' && env !== 'node' && env !== 'peculiar') {
      throw new TypeError(`CITES_CRYPTO_ENGINE must be "node" or "peculiar", not "${env}"`)
    }
    setCryptoEngine((env === 'peculiar' || env === 'node') ? env : DEFAULT_ENGINE)
  }
  return current as { name: string, crypto: Crypto }
}
