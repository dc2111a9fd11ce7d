/**
 * Health that tells the truth (issue 15 §6), on real nodes over real HTTP
 * routes (Fastify inject): /readyz refuses (503, with the failing check's
 * stable code) a node with no peer, a stale trust list, a withdrawn signing
 * certificate or a ledger that takes no write, where /health said "ok" to
 * all of them; /livez answers without a token and is never rate-limited;
 * /metrics carries Node's default metrics and the validity gauges.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { signTrustList, withdrawCertificate } from '@cites/trust-list'
import { NOW, VECTOR_GRANTED_AT, signedTrustList, signer, waitFor } from '@cites/test-kit'
import { buildHttpApi, certificateCheck, hashToken, type Readiness, type ReadinessCheck } from '../src/index.js'
import { authorities, basePort, startPermitNode, stopAll, trustListXml, type Authority, type TestNode } from './kit.js'

const VIEWER = 'viewer-token-0123456789'
const tokens = { issuer: hashToken('issuer-token-0123456789'), customs: hashToken('customs-token-0123456789'), viewer: hashToken(VIEWER) }

const checkOf = (r: Readiness, name: string): ReadinessCheck => {
  const c = r.checks.find((x) => x.name === name)
  if (c === undefined) throw new Error(`no ${name} check in ${JSON.stringify(r)}`)
  return c
}

describe('readiness tells the truth', () => {
  const nodes: TestNode[] = []
  const apps: FastifyInstance[] = []
  let all: Authority[] = []
  let xml = ''
  let ch: TestNode
  let chApi: FastifyInstance

  beforeAll(async () => {
    all = await authorities(['CH', 'TH'], basePort())
    xml = await trustListXml(all)
    ch = await startPermitNode(all[0]!, xml)
    nodes.push(ch)
    // A page limit of 3 a minute: /livez must pass it however often it is polled.
    chApi = (await buildHttpApi(ch.node, { tokens, logger: false, pageRateLimitPerMinute: 3 })).app
    apps.push(chApi)
  })
  afterAll(async () => {
    await Promise.allSettled(apps.map(async (a) => { await a.close() }))
    await stopAll(nodes)
  })

  it('a lone node is live but not ready: 503 naming "no peer connected", while /health still says ok', async () => {
    const r = await chApi.inject({ method: 'GET', url: '/readyz' })
    expect(r.statusCode).toBe(503)
    const body = r.json() as Readiness
    expect(body.ready).toBe(false)
    expect(checkOf(body, 'peers')).toMatchObject({ ok: false, status: 'fail', code: 'PEERS_NONE_CONNECTED' })
    expect(checkOf(body, 'peers').message).toMatch(/no peer connected/)
    // Only the peers fail: the rest of this node is fit.
    expect(body.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['peers'])
    expect(checkOf(body, 'trust-list').code).toBe('TRUST_LIST_CURRENT')
    expect(checkOf(body, 'certificate').code).toBe('CERTIFICATE_GRANTED')
    expect(checkOf(body, 'ledger').code).toBe('LEDGER_WRITABLE')
    // Not checked, and said so: it does not make the node unready.
    expect(checkOf(body, 'clock')).toMatchObject({ ok: true, status: 'unknown', code: 'CLOCK_SKEW_NOT_CHECKED' })
    // The legacy liveness says ok to the very same node.
    expect((await chApi.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({ status: 'ok', peers: 0 })
  })

  it('/livez answers 200 without a token, and is never rate-limited (unlike the page and /readyz)', async () => {
    for (let i = 0; i < 10; i++) {
      const r = await chApi.inject({ method: 'GET', url: '/livez' })
      expect(r.statusCode).toBe(200)
      expect(r.json()).toEqual({ status: 'live' })
    }
    // /readyz writes a probe: it is limited with the page (3 a minute here; one was spent above).
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) statuses.push((await chApi.inject({ method: 'GET', url: '/readyz' })).statusCode)
    expect(statuses).toContain(429)
  })

  it('ready (200) once a listed peer connects', async () => {
    nodes.push(await startPermitNode(all[1]!, xml))
    await waitFor(() => ch.node.peerParties().includes('TH'), { what: 'TH connected to CH' })
    // A fresh API: the one above spent its page budget on purpose.
    const api = (await buildHttpApi(ch.node, { tokens, logger: false })).app
    apps.push(api)
    const r = await api.inject({ method: 'GET', url: '/readyz' })
    expect(r.statusCode).toBe(200)
    const body = r.json() as Readiness
    expect(body).toMatchObject({ ready: true, party: 'CH', time: new Date(NOW).toISOString() })
    expect(checkOf(body, 'peers')).toMatchObject({ ok: true, code: 'PEERS_CONNECTED', message: '1 of 1 listed authorities connected' })
  })

  it('/metrics carries Node\'s default metrics and the trust-list and certificate gauges', async () => {
    const m = await chApi.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${VIEWER}` } })
    expect(m.statusCode).toBe(200)
    const text = m.body
    for (const name of ['nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_gc_duration_seconds', 'process_cpu_user_seconds_total']) expect(text).toContain(name)
    const value = (name: string): number => {
      const line = text.split('\n').find((l) => l.startsWith(`${name}{`))
      if (line === undefined) throw new Error(`no ${name} in the scrape`)
      return Number(line.split(' ').pop())
    }
    // The node's clock is NOW (2026-11-15); the list was issued 2026-01-01 with a next update ten years on.
    expect(value('cites_trust_list_age_seconds')).toBe((NOW - Date.parse(VECTOR_GRANTED_AT)) / 1000)
    expect(value('cites_trust_list_next_update_seconds')).toBe((Date.parse(VECTOR_GRANTED_AT) + 3650 * 86_400_000 - NOW) / 1000)
    expect(value('cites_signing_certificate_expiry_seconds')).toBe((ch.node.certificate.notAfter.getTime() - NOW) / 1000)
    // Failed sign-ins are the refusals counter's token codes (fed by the same error handler).
    await chApi.inject({ method: 'GET', url: '/v1/status', headers: { authorization: 'Bearer wrong-token' } })
    const again = (await chApi.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${VIEWER}` } })).body
    expect(again).toMatch(/cites_refusals_total\{code="TOKEN_INVALID",party="CH"\} [1-9]/)
  })

  it('warns, without failing, when the signing certificate expires within 14 days', () => {
    const notAfter = ch.node.certificate.notAfter.getTime()
    expect(certificateCheck(ch.node, notAfter - 10 * 86_400_000)).toMatchObject({ ok: true, status: 'warn', code: 'CERTIFICATE_EXPIRING' })
    expect(certificateCheck(ch.node, notAfter - 20 * 86_400_000)).toMatchObject({ ok: true, status: 'pass', code: 'CERTIFICATE_GRANTED' })
    expect(certificateCheck(ch.node, notAfter + 1)).toMatchObject({ ok: false, status: 'fail', code: 'CERTIFICATE_EXPIRED' })
  })

  it('a node whose signing certificate was withdrawn is not ready (CERTIFICATE_WITHDRAWN)', async () => {
    const at = new Date(NOW - 86_400_000)
    const current = ch.node.trust.current!.list
    const withdrawn = await signTrustList(withdrawCertificate(current, ch.node.certificate.sha256, at), await signer('ANCHOR'), { now: new Date(VECTOR_GRANTED_AT), validDays: 3650 })
    await ch.node.acceptTrustList(withdrawn.xml)
    const api = (await buildHttpApi(ch.node, { tokens, logger: false })).app
    apps.push(api)
    const r = await api.inject({ method: 'GET', url: '/readyz' })
    expect(r.statusCode).toBe(503)
    const body = r.json() as Readiness
    expect(checkOf(body, 'certificate')).toMatchObject({ ok: false, code: 'CERTIFICATE_WITHDRAWN' })
    expect(body.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['certificate'])
  })

  it('a node whose ledger takes no write is not ready (LEDGER_WRITE_FAILED), and the answer holds no error text', async () => {
    const api = (await buildHttpApi(ch.node, { tokens, logger: false })).app
    apps.push(api)
    // Closed under the running node (the last test here): every write now fails in LevelDB.
    await ch.node.internals.ledger.close()
    const r = await api.inject({ method: 'GET', url: '/readyz' })
    expect(r.statusCode).toBe(503)
    const ledger = checkOf(r.json() as Readiness, 'ledger')
    expect(ledger).toMatchObject({ ok: false, code: 'LEDGER_WRITE_FAILED' })
    expect(ledger.message).not.toMatch(/\//) // no path
  })
})

describe('a stale trust list', () => {
  it('a node whose trust list is past its nextUpdate is not ready (TRUST_LIST_STALE)', async () => {
    const [a] = await authorities(['CH', 'TH'], basePort())
    // Valid 300 days from 2026-01-01: past its next update at NOW (2026-11-15).
    const stale = (await signedTrustList([{ party: a!.party, peerId: a!.peerId, certificate: a!.certPem }], { validDays: 300 })).xml
    const n = await startPermitNode(a!, stale)
    const api = (await buildHttpApi(n.node, { tokens, logger: false })).app
    try {
      const r = await api.inject({ method: 'GET', url: '/readyz' })
      expect(r.statusCode).toBe(503)
      const body = r.json() as Readiness
      expect(checkOf(body, 'trust-list')).toMatchObject({ ok: false, code: 'TRUST_LIST_STALE' })
      expect(checkOf(body, 'trust-list').message).toContain('2026-10-28T00:00:00.000Z')
      // /metrics says the same ahead of time: a negative time to the next update.
      const m = (await api.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${VIEWER}` } })).body
      expect(m).toMatch(/cites_trust_list_next_update_seconds\{party="CH"\} -/)
    } finally {
      await api.close()
      await stopAll([n])
    }
  })
})
