/**
 * Fuzzing the node's own input paths (fast-check, 10,000 cases each): the
 * config loader answers a valid config or a ConfigError naming fields, never
 * anything else; HTTP bodies of any shape to the verify, consumption and
 * issue routes get a 2xx or a 4xx problem with a stable code, never a 500,
 * and the node keeps serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import type { FastifyInstance } from 'fastify'
import { ConfigError, buildHttpApi, hashToken, loadConfig } from '../src/index.js'
import { authorities, basePort, startPermitNode, stopAll, trustListXml, type TestNode } from './kit.js'

describe('fuzz: config loader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cites-fuzz-config-'))
  afterAll(() => { rmSync(dir, { recursive: true, force: true }) })
  const path = join(dir, 'cites-node.yaml')
  const good = { party: 'CH', dataDir: './data', keys: { signingKey: 'k', certificate: 'c', peerKey: 'p' }, listen: ['/ip4/127.0.0.1/tcp/7001'], http: { host: '127.0.0.1', port: 8080 }, trust: { anchorCertificate: 'a', trustList: 't' }, tokens: { issuer: 'a'.repeat(64), customs: 'b'.repeat(64), viewer: 'c'.repeat(64) } }

  it('a valid config loads', () => {
    writeFileSync(path, stringify(good))
    expect(loadConfig(path).config.party).toBe('CH')
  })

  it('any text, or a valid config with one field replaced by anything, loads or is refused with ConfigError naming fields', () => {
    const fields = ['party', 'dataDir', 'keys', 'listen', 'http', 'trust', 'tokens', 'provisional', 'logLevel', 'sharedHost', 'faultInjection', 'extra']
    fc.assert(fc.property(fc.oneof(
      fc.string({ maxLength: 300 }).map((t) => ({ text: t })),
      fc.record({ field: fc.constantFrom(...fields), value: fc.anything({ maxDepth: 2 }) }).map(({ field, value }) => ({ text: stringify({ ...good, [field]: value }) }))
    ), ({ text }) => {
      writeFileSync(path, text)
      try {
        loadConfig(path)
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError)
        expect((err as ConfigError).code).toBe('CONFIG_INVALID')
      }
    }), { numRuns: 10_000, seed: 20261123 })
  })
})

describe('fuzz: HTTP bodies', () => {
  const T = 'fuzz-issuer-token-0123456789'
  let nodes: TestNode[] = []
  let app: FastifyInstance
  beforeAll(async () => {
    const all = await authorities(['CH', 'TH'], basePort())
    nodes = [await startPermitNode(all[0]!, await trustListXml(all))]
    app = (await buildHttpApi(nodes[0]!.node, { tokens: { issuer: hashToken(T), customs: hashToken('c'), viewer: hashToken('v') }, logger: false, rateLimitPerMinute: 10_000_000 })).app
  })
  afterAll(async () => { await app?.close(); await stopAll(nodes) })

  it('any JSON body to verify, consume and issue gets 2xx or a 4xx problem with a code, never a 500', async () => {
    const routes = ['/v1/verify', '/v1/permits/CH/26CH0001/consumptions', '/v1/permits/TH/X/consumptions', '/v1/permits']
    await fc.assert(fc.asyncProperty(fc.constantFrom(...routes), fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record({ party: fc.string({ maxLength: 4 }), number: fc.string({ maxLength: 70 }) }),
      fc.record({ lines: fc.array(fc.record({ line: fc.string({ maxLength: 3 }), quantity: fc.oneof(fc.double(), fc.integer()) }), { maxLength: 3 }), port: fc.string({ maxLength: 6 }) })
    ), async (url, body) => {
      const r = await app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${T}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) })
      expect(r.statusCode).toBeLessThan(500)
      if (r.statusCode >= 400) expect(r.json().code).toMatch(/^[A-Z_]+$/)
    }), { numRuns: 10_000, seed: 20261123 })
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200)
  }, 300_000)
})
