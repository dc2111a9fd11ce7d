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

/** Use this engine for every later sign and verify in the process. */
export function setCryptoEngine (engine: CryptoEngineName | { name: string, crypto: Crypto }): void {
  const e = typeof engine === 'string' ? { name: engine, crypto: byName(engine) } : engine
  // xmldsigjs needs a DOM in Node (FACTS.md): register xmldom and xpath.
  setNodeDependencies({ DOMParser, XMLSerializer, DOMImplementation, xpath })
  xmldsig.Application.setEngine(e.name, e.crypto)
  x509.cryptoProvider.set(e.crypto)
  current = e
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
