/**
 * The HTTP API against two real nodes (CH issues, TH is the destination):
 * every route, the roles, problem+json with the stable codes, and hostile or
 * malformed input on every route (each gets the right 4xx and the node keeps
 * serving). Requests go through Fastify's full pipeline (inject).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { writePermitXml } from '@cites/permit'
import { EXPORTS_COLUMNS, IMPORTS_COLUMNS } from '@cites/ledger'
import { addPaperPermit, buildHttpApi, hashToken, paperPermitsFile } from '../src/index.js'
import { chPermit, USE_A, waitFor } from '@cites/test-kit'
import { authorities, basePort, meshFormed, startPermitNode, stopAll, trustListXml, type TestNode } from './kit.js'

const T = { issuer: 'issuer-token-0123456789', customs: 'customs-token-0123456789', viewer: 'viewer-token-0123456789' }
const tokens = { issuer: hashToken(T.issuer), customs: hashToken(T.customs), viewer: hashToken(T.viewer) }
const auth = (role: keyof typeof T): Record<string, string> => ({ authorization: `Bearer ${T[role]}` })

describe('HTTP API', () => {
  let nodes: TestNode[] = []
  let ch: FastifyInstance
  let th: FastifyInstance
  let signedXml = ''

  beforeAll(async () => {
    const all = await authorities(['CH', 'TH'], basePort())
    const xml = await trustListXml(all)
    nodes = await Promise.all(all.map(async (a) => await startPermitNode(a, xml)))
    await meshFormed(nodes)
    ch = (await buildHttpApi(nodes[0]!.node, { tokens, logger: false })).app
    th = (await buildHttpApi(nodes[1]!.node, { tokens, logger: false, bodyLimitBytes: 512 * 1024 })).app
  })
  afterAll(async () => {
    await ch?.close()
    await th?.close()
    await stopAll(nodes)
  })

  it('health answers without a token; openapi lists every route', async () => {
    const h = await th.inject({ method: 'GET', url: '/health' })
    expect(h.statusCode).toBe(200)
    expect(h.json()).toMatchObject({ status: 'ok', party: 'TH', peers: 1 })
    const o = (await th.inject({ method: 'GET', url: '/openapi.json' })).json() as { openapi: string, paths: Record<string, unknown> }
    expect(o.openapi).toMatch(/^3\./)
    for (const p of ['/v1/permits', '/v1/permits/{party}/{number}', '/v1/verify', '/v1/permits/{party}/{number}/consumptions', '/v1/permits/{party}/{number}/endorsements', '/v1/permits/{party}/{number}/cancellation', '/v1/trust-list', '/v1/peers', '/v1/reports/annual', '/health', '/metrics']) {
      expect(Object.keys(o.paths)).toContain(p)
    }
  })

  it('refuses without a token (401), with a wrong token (401) and with too small a role (403), as problem+json', async () => {
    const none = await th.inject({ method: 'POST', url: '/v1/verify', payload: { party: 'CH', number: 'X' } })
    expect(none.statusCode).toBe(401)
    expect(none.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(none.headers['www-authenticate']).toBe('Bearer')
    expect(none.json()).toMatchObject({ status: 401, code: 'TOKEN_MISSING' })
    const wrong = await th.inject({ method: 'POST', url: '/v1/verify', headers: { authorization: 'Bearer nope' }, payload: { party: 'CH', number: 'X' } })
    expect(wrong.json()).toMatchObject({ status: 401, code: 'TOKEN_INVALID' })
    const viewerConsumes = await th.inject({ method: 'POST', url: '/v1/permits/CH/X/consumptions', headers: auth('viewer'), payload: USE_A })
    expect(viewerConsumes.json()).toMatchObject({ status: 403, code: 'ROLE_FORBIDDEN' })
    const customsIssues = await ch.inject({ method: 'POST', url: '/v1/permits', headers: auth('customs'), payload: {} })
    expect(customsIssues.json()).toMatchObject({ status: 403, code: 'ROLE_FORBIDDEN' })
    const metrics = await th.inject({ method: 'GET', url: '/metrics' })
    expect(metrics.statusCode).toBe(401)
  })

  it('issues from the JSON form and from unsigned eCITES XML (201 {party, number, status, sha256})', async () => {
    const fromJson = await ch.inject({ method: 'POST', url: '/v1/permits', headers: auth('issuer'), payload: chPermit('26CHH0001') })
    expect(fromJson.statusCode).toBe(201)
    expect(fromJson.json()).toMatchObject({ party: 'CH', number: '26CHH0001', status: 'ISSUED' })
    expect(fromJson.json().sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(fromJson.headers.location).toBe('/v1/permits/CH/26CHH0001')
    const fromXml = await ch.inject({ method: 'POST', url: '/v1/permits', headers: { ...auth('issuer'), 'content-type': 'application/xml' }, payload: writePermitXml(chPermit('26CHH0002')) })
    expect(fromXml.statusCode).toBe(201)
    const again = await ch.inject({ method: 'POST', url: '/v1/permits', headers: auth('issuer'), payload: chPermit('26CHH0001') })
    expect(again.json()).toMatchObject({ status: 409, code: 'DUPLICATE_NUMBER' })
    // Rules refuse an Appendix I export without the import permit (422 with every problem).
    const a1 = chPermit('26CHH0003')
    a1.lines[0]!.appendix = 'I'
    const refused = await ch.inject({ method: 'POST', url: '/v1/permits', headers: auth('issuer'), payload: a1 })
    expect(refused.statusCode).toBe(422)
    expect(refused.json().code).toBe('PERMIT_REFUSED')
    expect(JSON.stringify(refused.json().problems)).toMatch(/IMPORT_PERMIT|APPENDIX_I/)
    await waitFor(async () => (await nodes[1]!.node.internals.ledger.status('CH', '26CHH0002')) !== undefined, { timeoutMs: 20_000, what: 'gossip' })
    // r17: TH, the destination, holds the documents once their deliveries arrive (they follow the events).
    await waitFor(async () => (await nodes[1]!.node.internals.ledger.documentStatus('CH', '26CHH0001')) === 'held' && (await nodes[1]!.node.internals.ledger.documentStatus('CH', '26CHH0002')) === 'held', { timeoutMs: 20_000, what: 'the deliveries' })
  })

  it('reads a permit as JSON with its history, and as the signed XML', async () => {
    const j = await th.inject({ method: 'GET', url: '/v1/permits/CH/26CHH0001', headers: auth('viewer') })
    expect(j.statusCode).toBe(200)
    expect(j.json()).toMatchObject({ status: 'ISSUED', state: { party: 'CH', number: '26CHH0001', destination: 'TH' }, history: [{ type: 'ISSUED' }] })
    const x = await th.inject({ method: 'GET', url: '/v1/permits/CH/26CHH0001', headers: { ...auth('viewer'), accept: 'application/xml' } })
    expect(x.headers['content-type']).toMatch(/^application\/xml/)
    expect(x.body).toContain('<ds:Signature')
    signedXml = x.body
    expect((await th.inject({ method: 'GET', url: '/v1/permits/CH/NOPE', headers: auth('viewer') })).json()).toMatchObject({ status: 404, code: 'PERMIT_NOT_FOUND' })
  })

  it('verifies by number (with the security stamp) and by the signed document; a tampered one is refused', async () => {
    const byNumber = await th.inject({ method: 'POST', url: '/v1/verify', headers: auth('viewer'), payload: { party: 'CH', number: '26CHH0001', securityStamp: 'CH-SS-0042' } })
    expect(byNumber.statusCode).toBe(200)
    expect(byNumber.json()).toMatchObject({ valid: true, source: 'issuer', permit: { number: '26CHH0001', lines: [{ line: 'A' }, { line: 'B' }] }, history: [{ type: 'ISSUED' }] })
    const badStamp = (await th.inject({ method: 'POST', url: '/v1/verify', headers: auth('viewer'), payload: { party: 'CH', number: '26CHH0001', securityStamp: 'FORGED' } })).json()
    expect(badStamp.valid).toBe(false)
    expect(badStamp.checks.find((c: { name: string }) => c.name === 'integrity').reason.code).toBe('SECURITY_STAMP_MISMATCH')
    const doc = await th.inject({ method: 'POST', url: '/v1/verify', headers: { ...auth('viewer'), 'content-type': 'application/xml' }, payload: signedXml })
    expect(doc.json()).toMatchObject({ valid: true, party: 'CH', number: '26CHH0001' })
    const tampered = await th.inject({ method: 'POST', url: '/v1/verify', headers: { ...auth('viewer'), 'content-type': 'application/xml' }, payload: signedXml.replace('>50<', '>500<') })
    expect(tampered.statusCode).toBe(200)
    expect(tampered.json().valid).toBe(false)
    expect(tampered.json().checks.find((c: { name: string }) => c.name === 'integrity').status).toBe('INVALID')
  })

  it('records a use (201 with the signed receipt), refuses the second (409 with the first receipt) and an excess quantity (422)', async () => {
    const over = await th.inject({ method: 'POST', url: '/v1/permits/CH/26CHH0002/consumptions', headers: auth('customs'), payload: { ...USE_A, lines: [{ line: 'A', quantity: 5000, unit: 'PCS' }] } })
    expect(over.json()).toMatchObject({ status: 422, code: 'QUANTITY_EXCEEDED' })
    const first = await th.inject({ method: 'POST', url: '/v1/permits/CH/26CHH0001/consumptions', headers: auth('customs'), payload: USE_A })
    expect(first.statusCode).toBe(201)
    expect(first.json()).toMatchObject({ outcome: 'CONSUMED', receipt: { party: 'CH', number: '26CHH0001', port: 'THBKK', consumingParty: 'TH' } })
    const second = await th.inject({ method: 'POST', url: '/v1/permits/CH/26CHH0001/consumptions', headers: auth('customs'), payload: USE_A })
    expect(second.statusCode).toBe(409)
    expect(second.json()).toMatchObject({ code: 'ALREADY_CONSUMED', receipt: { seq: first.json().receipt.seq, port: 'THBKK' } })
  })

  it('endorses (customs, issuer\'s node) and cancels (issuer); the other party\'s node refuses both', async () => {
    const end = await ch.inject({ method: 'POST', url: '/v1/permits/CH/26CHH0002/endorsements', headers: auth('customs'), payload: { lines: [{ line: 'A', quantity: 40, unit: 'PCS' }], port: 'CHGVA' } })
    expect(end.statusCode).toBe(201)
    expect(end.json()).toMatchObject({ status: 'ENDORSED', endorsement: { port: 'CHGVA' } })
    expect((await th.inject({ method: 'POST', url: '/v1/permits/CH/26CHH0002/endorsements', headers: auth('customs'), payload: { lines: [{ line: 'A', quantity: 40 }], port: 'CHGVA' } })).json()).toMatchObject({ status: 403, code: 'NOT_ISSUER' })
    // Endorsed at export: the goods left; a cancellation would erase the export (issue 20).
    expect((await ch.inject({ method: 'POST', url: '/v1/permits/CH/26CHH0002/cancellation', headers: auth('issuer'), payload: { reason: 'specimens seized' } })).json()).toMatchObject({ status: 409, code: 'EXPORT_ENDORSED' })
    const voided = await ch.inject({ method: 'POST', url: '/v1/permits/CH/26CHH0002/export-void', headers: auth('issuer'), payload: { reason: 'seized at the airport before departure' } })
    expect(voided.json()).toMatchObject({ status: 'ISSUED', voidedExports: [{ port: 'CHGVA', reason: 'seized at the airport before departure' }] })
    // The trader's name in a reason would reach every authority (ledger.md §2.4 r18): refused, nothing written.
    const named = await ch.inject({ method: 'POST', url: '/v1/permits/CH/26CHH0002/cancellation', headers: auth('issuer'), payload: { reason: 'seized from Siam Reptile Park Co. Ltd' } })
    expect(named.statusCode).toBe(422)
    expect(named.json()).toMatchObject({ code: 'FREE_TEXT_NAMES_TRADER' })
    expect(JSON.stringify(named.json())).not.toContain('Siam Reptile')
    const cancel = await ch.inject({ method: 'POST', url: '/v1/permits/CH/26CHH0002/cancellation', headers: auth('issuer'), payload: { reason: 'specimens seized' } })
    expect(cancel.json()).toMatchObject({ status: 'CANCELLED', cancellation: { reason: 'specimens seized' } })
    const v = (await th.inject({ method: 'POST', url: '/v1/verify', headers: auth('viewer'), payload: { party: 'CH', number: '26CHH0002' } })).json()
    expect(v.checks.find((c: { name: string }) => c.name === 'status').reason.code).toBe('PERMIT_CANCELLED')
  })

  it('a paper permit entered while the node runs is in its next report (issue 14: parties not on the network)', async () => {
    const before = await ch.inject({ method: 'GET', url: '/v1/reports/annual?year=2026&kind=imports', headers: auth('issuer') })
    expect(before.body).not.toContain('MG-2026-0191')
    await addPaperPermit(paperPermitsFile(nodes[0]!.dir), {
      kind: 'import', partner: 'mg', permit: 'MG-2026-0191', importPermit: '26CH009001', species: 'Furcifer pardalis', term: 'liv', quantity: 40, unit: '',
      source: 'w', purpose: 't', appendix: 'II', year: 2026
    })
    const after = await ch.inject({ method: 'GET', url: '/v1/reports/annual?year=2026&kind=imports', headers: auth('issuer') })
    expect(after.body.trim().split('\n').slice(1)).toEqual(['II,Furcifer pardalis,LIV,40,,MG,,26CH009001,MG-2026-0191,,,T,W,2026'])
    // Not in the exports file, nor in another year's.
    expect((await ch.inject({ method: 'GET', url: '/v1/reports/annual?year=2026', headers: auth('issuer') })).body).not.toContain('MG-2026-0191')
    expect((await ch.inject({ method: 'GET', url: '/v1/reports/annual?year=2025&kind=imports', headers: auth('issuer') })).body).not.toContain('MG-2026-0191')
  })

  it('serves the trust list, the peers, the annual report and the metrics', async () => {
    expect((await th.inject({ method: 'GET', url: '/v1/trust-list', headers: auth('viewer') })).json()).toMatchObject({ sequence: 1, authorities: [{ party: 'CH' }, { party: 'TH' }] })
    expect((await th.inject({ method: 'GET', url: '/v1/peers', headers: auth('viewer') })).json()).toMatchObject([{ party: 'CH' }])
    const report = await ch.inject({ method: 'GET', url: '/v1/reports/annual?year=2026', headers: auth('issuer') })
    expect(report.headers['content-type']).toMatch(/^text\/csv/)
    // One file per answer, exports by default, in the Trade Database upload template's order (issue 14).
    expect(report.headers['content-disposition']).toBe('attachment; filename="cites-annual-report-CH-2026-exports.csv"')
    expect(report.body.split('\n')[0]).toBe(EXPORTS_COLUMNS.join(','))
    const imports = await ch.inject({ method: 'GET', url: '/v1/reports/annual?year=2026&kind=imports', headers: auth('issuer') })
    expect(imports.headers['content-disposition']).toBe('attachment; filename="cites-annual-report-CH-2026-imports.csv"')
    expect(imports.body.split('\n')[0]).toBe(IMPORTS_COLUMNS.join(','))
    expect(imports.headers['cites-report-left-out']).toBe('0')
    expect((await ch.inject({ method: 'GET', url: '/v1/reports/annual?year=abc', headers: auth('issuer') })).json()).toMatchObject({ status: 400, code: 'REQUEST_INVALID' })
    expect((await ch.inject({ method: 'GET', url: '/v1/reports/annual?year=2026&kind=both', headers: auth('issuer') })).json()).toMatchObject({ status: 400, code: 'REQUEST_INVALID' })
    expect((await ch.inject({ method: 'GET', url: '/v1/reports/annual?year=2026&kind=imports', headers: auth('customs') })).json()).toMatchObject({ status: 403 })
    const m = await th.inject({ method: 'GET', url: '/metrics', headers: auth('viewer') })
    expect(m.body).toMatch(/cites_verifications_total\{[^}]*result="valid"[^}]*\} [1-9]/)
    expect(m.body).toMatch(/cites_consumptions_total\{[^}]*outcome="CONSUMED"/)
    expect(m.body).toMatch(/cites_refusals_total\{[^}]*code="ALREADY_CONSUMED"/)
    expect(m.body).toMatch(/cites_peers\{[^}]*\} 1/)
    expect(m.body).toMatch(/cites_http_request_duration_seconds_bucket/)
  })

  describe('hostile and malformed input: the right 4xx, and the node keeps serving', () => {
    const cases: Array<{ name: string, method: 'POST' | 'GET', url: string, headers?: Record<string, string>, payload?: string | object, status: number, code: string }> = [
      { name: 'malformed JSON', method: 'POST', url: '/v1/verify', headers: { 'content-type': 'application/json' }, payload: '{"party": "CH",', status: 400, code: 'JSON_INVALID' },
      { name: 'a wrong type (quantity as text)', method: 'POST', url: '/v1/permits/CH/26CHH0001/consumptions', payload: { lines: [{ line: 'A', quantity: 'fifty' }], port: 'THBKK' }, status: 400, code: 'REQUEST_INVALID' },
      { name: 'a missing field', method: 'POST', url: '/v1/permits/CH/26CHH0001/consumptions', payload: { lines: [{ line: 'A', quantity: 1 }] }, status: 400, code: 'REQUEST_INVALID' },
      { name: 'an unknown field', method: 'POST', url: '/v1/verify', payload: { party: 'CH', number: 'X', evil: true }, status: 400, code: 'REQUEST_INVALID' },
      { name: 'a bad party in the path', method: 'GET', url: '/v1/permits/ch1/X', status: 400, code: 'REQUEST_INVALID' },
      { name: 'a bad port code', method: 'POST', url: '/v1/permits/CH/26CHH0001/consumptions', payload: { lines: [{ line: 'A', quantity: 1 }], port: 'bangkok' }, status: 400, code: 'REQUEST_INVALID' },
      { name: 'an XML bomb (entity expansion)', method: 'POST', url: '/v1/verify', headers: { 'content-type': 'application/xml' }, payload: '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><l>&b;</l>', status: 200, code: 'XML_DOCTYPE' },
      { name: 'an oversized body', method: 'POST', url: '/v1/verify', headers: { 'content-type': 'application/xml' }, payload: '<a>' + 'x'.repeat(600 * 1024) + '</a>', status: 413, code: 'BODY_TOO_LARGE' },
      { name: 'an unsupported media type', method: 'POST', url: '/v1/verify', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'party=CH', status: 415, code: 'MEDIA_TYPE_UNSUPPORTED' },
      { name: 'an unknown route', method: 'GET', url: '/v1/nothing', status: 404, code: 'ROUTE_NOT_FOUND' }
    ]
    for (const c of cases) {
      it(`refuses ${c.name}`, async () => {
        const r = await th.inject({ method: c.method, url: c.url, headers: { ...auth('customs'), ...(c.headers ?? {}) }, ...(c.payload !== undefined ? { payload: c.payload } : {}) })
        expect(r.statusCode).toBe(c.status)
        if (c.status === 200) {
          // A verdict, not an error: the document is refused with the parser's code.
          expect(r.json().valid).toBe(false)
          expect(JSON.stringify(r.json().checks)).toContain(c.code)
        } else {
          expect(r.headers['content-type']).toMatch(/^application\/problem\+json/)
          expect(r.json()).toMatchObject({ status: c.status, code: c.code })
        }
        expect((await th.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200)
      })
    }
    it('an XML bomb sent to issue is refused with the parser\'s code (400)', async () => {
      const r = await ch.inject({ method: 'POST', url: '/v1/permits', headers: { ...auth('issuer'), 'content-type': 'application/xml' }, payload: '<!DOCTYPE l [<!ENTITY a "a">]><l>&a;</l>' })
      expect(r.json()).toMatchObject({ status: 400, code: 'XML_DOCTYPE' })
    })
  })

  it('limits requests per token (429 RATE_LIMITED), and counts each token apart', async () => {
    const limited = (await buildHttpApi(nodes[1]!.node, { tokens, logger: false, rateLimitPerMinute: 3 })).app
    try {
      const codes: number[] = []
      for (let i = 0; i < 5; i++) codes.push((await limited.inject({ method: 'GET', url: '/v1/peers', headers: auth('viewer') })).statusCode)
      expect(codes).toEqual([200, 200, 200, 429, 429])
      const r = await limited.inject({ method: 'GET', url: '/v1/peers', headers: auth('viewer') })
      expect(r.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' })
      expect((await limited.inject({ method: 'GET', url: '/v1/peers', headers: auth('customs') })).statusCode).toBe(200)
    } finally {
      await limited.close()
    }
  })
})
