/**
 * Issue 16, finding 3 (rate limits that could be dodged, or that locked
 * others out) and finding 4's first half (work before authentication),
 * against a real node through Fastify's whole pipeline (inject, from one
 * client address):
 * - 2,000 random tokens once got 2,000 × 401 and never a 429: now the
 *   sender's address is refused unheard after 10 wrong tokens a minute
 *   (issue 15: failed sign-ins are rate-limited per client), so a token guesser
 *   tries 10 a minute, whatever it sends; without a token, requests share the
 *   address bucket (120 a minute);
 * - a known token has its own bucket: one token exhausting it leaves another
 *   role's token served;
 * - an address flooding the API (or /health) never starves /health or the
 *   customs page at that address;
 * - a bad body with no token is 401, not 400: the token is checked before the
 *   body is read;
 * - every answer carries the browser security headers.
 */
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { buildHttpApi, customsWebRoot, hashToken, type HttpApiOptions } from '../src/index.js'
import { USE_A } from '@cites/test-kit'
import { authorities, basePort, startPermitNode, stopAll, trustListXml, type TestNode } from './kit.js'

const T = { issuer: 'issuer-token-rate-limits', customs: 'customs-token-rate-limits', viewer: 'viewer-token-rate-limits' }
const tokens = { issuer: hashToken(T.issuer), customs: hashToken(T.customs), viewer: hashToken(T.viewer) }
const bearer = (t: string): Record<string, string> => ({ authorization: `Bearer ${t}` })

describe('rate limits that cannot be dodged, and authentication before parsing', () => {
  let nodes: TestNode[] = []
  const apps: FastifyInstance[] = []
  const webRoot = customsWebRoot()
  const api = async (o: Partial<HttpApiOptions>): Promise<FastifyInstance> => {
    const app = (await buildHttpApi(nodes[0]!.node, { tokens, logger: false, ...(webRoot !== undefined ? { webRoot } : {}), ...o })).app
    apps.push(app)
    return app
  }

  beforeAll(async () => {
    // TH alone (CH is listed but never started): the HTTP layer is what is tested.
    const all = await authorities(['TH', 'CH'], basePort())
    nodes = [await startPermitNode(all[0]!, await trustListXml(all))]
    expect(webRoot !== undefined && existsSync(`${webRoot}/index.html`)).toBe(true)
  })
  afterAll(async () => {
    for (const a of apps) await a.close()
    await stopAll(nodes)
  })

  it('a token guesser sending 2,000 random bearer tokens from one address has 10 checked: the rest get 429 SIGN_IN_RATE_LIMITED unheard, even a valid token from there; another address is served', async () => {
    const app = await api({})
    const counts: Record<string, number> = {}
    for (let i = 0; i < 2000; i++) {
      const r = await app.inject({ method: 'GET', url: '/v1/peers', headers: bearer(randomBytes(24).toString('base64url')) })
      const key = `${r.statusCode} ${(r.json() as { code: string }).code}`
      counts[key] = (counts[key] ?? 0) + 1
    }
    expect(counts).toEqual({ '401 TOKEN_INVALID': 10, '429 SIGN_IN_RATE_LIMITED': 1990 })
    // While the window lasts no token is checked from that address: a guess that hits is not told so.
    const valid = await app.inject({ method: 'GET', url: '/v1/peers', headers: bearer(T.viewer) })
    expect(valid.statusCode).toBe(429)
    expect(Number(valid.headers['retry-after'])).toBeGreaterThan(0)
    // Another client address is not touched.
    expect((await app.inject({ method: 'GET', url: '/v1/peers', headers: bearer(T.viewer), remoteAddress: '10.9.8.7' })).statusCode).toBe(200)
  })

  it('requests with no token at all share their address bucket (120 a minute), and are no failed sign-ins', async () => {
    const app = await api({})
    const counts: Record<number, number> = {}
    for (let i = 0; i < 200; i++) {
      const r = await app.inject({ method: 'GET', url: '/v1/peers' })
      counts[r.statusCode] = (counts[r.statusCode] ?? 0) + 1
    }
    expect(counts).toEqual({ 401: 120, 429: 80 })
    const none = await app.inject({ method: 'GET', url: '/v1/peers' })
    expect(none.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' })
    // A known token has its own bucket: the flood without tokens from its address does not touch it.
    expect((await app.inject({ method: 'GET', url: '/v1/peers', headers: bearer(T.viewer) })).statusCode).toBe(200)
  })

  it('one token exhausting its limit leaves another role\'s token served', async () => {
    const app = await api({ rateLimitPerMinute: 5 })
    const viewer: number[] = []
    for (let i = 0; i < 8; i++) viewer.push((await app.inject({ method: 'GET', url: '/v1/peers', headers: bearer(T.viewer) })).statusCode)
    expect(viewer).toEqual([200, 200, 200, 200, 200, 429, 429, 429])
    const customs: number[] = []
    for (let i = 0; i < 5; i++) customs.push((await app.inject({ method: 'GET', url: '/v1/peers', headers: bearer(T.customs) })).statusCode)
    expect(customs).toEqual([200, 200, 200, 200, 200])
    expect((await app.inject({ method: 'GET', url: '/v1/trust-list', headers: bearer(T.issuer) })).statusCode).toBe(200)
  })

  it('/health and the customs page keep answering 200 while an address floods the API, and a /health flood does not starve the page', async () => {
    const app = await api({})
    const health: number[] = []
    const page: number[] = []
    for (let i = 0; i < 1000; i++) {
      await app.inject({ method: 'POST', url: '/v1/verify', headers: bearer(`guess-${i}`), payload: { party: 'CH', number: 'X' } })
      await app.inject({ method: 'GET', url: '/v1/status' })
      if (i % 50 === 0) {
        health.push((await app.inject({ method: 'GET', url: '/health' })).statusCode)
        page.push((await app.inject({ method: 'GET', url: '/' })).statusCode)
      }
    }
    expect((await app.inject({ method: 'GET', url: '/v1/status' })).statusCode).toBe(429) // the flood was limited
    expect(new Set(health)).toEqual(new Set([200]))
    expect(new Set(page)).toEqual(new Set([200]))
    // /health is never limited, and does not count against the page's bucket.
    const flood: Record<number, number> = {}
    for (let i = 0; i < 7000; i++) {
      const s = (await app.inject({ method: 'GET', url: '/health' })).statusCode
      flood[s] = (flood[s] ?? 0) + 1
    }
    expect(flood).toEqual({ 200: 7000 })
    const index = await app.inject({ method: 'GET', url: '/' })
    expect(index.statusCode).toBe(200)
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(index.body)?.[1]
    expect((await app.inject({ method: 'GET', url: `/${script ?? 'missing.js'}` })).statusCode).toBe(200)
  })

  it('the page has its own per-address limit, apart from the API\'s', async () => {
    const app = await api({ pageRateLimitPerMinute: 3, addressRateLimitPerMinute: 2 })
    const page: number[] = []
    for (let i = 0; i < 4; i++) page.push((await app.inject({ method: 'GET', url: '/' })).statusCode)
    expect(page).toEqual([200, 200, 200, 429])
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200)
    // The API's address bucket is untouched by the page's requests.
    expect((await app.inject({ method: 'GET', url: '/v1/peers' })).statusCode).toBe(401)
  })

  it('a bad body with no token is refused 401 before it is parsed; a wrong token 401; a small role 403; only then the schema (400)', async () => {
    const app = await api({})
    const bad = { lines: 'not lines' } // no port, wrong type: 400 if it were parsed first
    const none = await app.inject({ method: 'POST', url: '/v1/permits/CH/26CH000001/consumptions', payload: bad })
    expect(none.statusCode).toBe(401)
    expect(none.json()).toMatchObject({ code: 'TOKEN_MISSING' })
    expect(none.headers.connection).toBe('close') // the unread body is not drained
    const broken = await app.inject({ method: 'POST', url: '/v1/permits/CH/26CH000001/consumptions', headers: { 'content-type': 'application/json' }, payload: '{"lines": [' })
    expect(broken.json()).toMatchObject({ status: 401, code: 'TOKEN_MISSING' })
    const wrong = await app.inject({ method: 'POST', url: '/v1/permits/CH/26CH000001/consumptions', headers: bearer('wrong'), payload: bad })
    expect(wrong.json()).toMatchObject({ status: 401, code: 'TOKEN_INVALID' })
    const viewer = await app.inject({ method: 'POST', url: '/v1/permits/CH/26CH000001/consumptions', headers: bearer(T.viewer), payload: bad })
    expect(viewer.json()).toMatchObject({ status: 403, code: 'ROLE_FORBIDDEN' })
    const customs = await app.inject({ method: 'POST', url: '/v1/permits/CH/26CH000001/consumptions', headers: bearer(T.customs), payload: bad })
    expect(customs.json()).toMatchObject({ status: 400, code: 'REQUEST_INVALID' })
    const ok = await app.inject({ method: 'POST', url: '/v1/permits/CH/26CH000001/consumptions', headers: bearer(T.customs), payload: USE_A })
    expect(ok.statusCode).not.toBe(400)
  })

  it('every answer carries the browser security headers: the page, the API, its refusals and /health', async () => {
    const app = await api({})
    const answers = [
      await app.inject({ method: 'GET', url: '/' }),
      await app.inject({ method: 'GET', url: '/health' }),
      await app.inject({ method: 'GET', url: '/openapi.json' }),
      await app.inject({ method: 'GET', url: '/v1/peers', headers: bearer(T.viewer) }),
      await app.inject({ method: 'GET', url: '/v1/peers' }),
      await app.inject({ method: 'GET', url: '/v1/nothing', headers: bearer(T.viewer) })
    ]
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 401, 404])
    for (const a of answers) {
      const csp = String(a.headers['content-security-policy'])
      expect(csp).toContain("frame-ancestors 'none'")
      expect(csp).toContain("script-src 'self'")
      expect(csp).toContain("default-src 'none'")
      expect(csp).not.toContain('unsafe-inline')
      expect(csp).not.toContain('unsafe-eval')
      expect(a.headers['x-content-type-options']).toBe('nosniff')
      expect(a.headers['x-frame-options']).toBe('DENY')
      expect(a.headers['referrer-policy']).toBe('no-referrer')
    }
  })
})
