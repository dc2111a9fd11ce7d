/**
 * Issue 13 §6 (ledger.md §2.4, permit-profile.md §7.3): a third party holds
 * only the issuer's signed summary of a permit, never its document. So a
 * verdict by number at FR on a CH→TH permit is judged from the summary
 * (integrity SKIPPED, DOCUMENT_NOT_PRESENTED) and is never valid: fail
 * closed. Presented with the document, FR judges it in full, and it is
 * still not for FR (destination NOT_FOR_THIS_PARTY). A copy of a TH→CH
 * permit diverted to CN or FR is caught as before: the verdict's
 * destination fails and a use is refused NOT_DESTINATION. Four real permit
 * nodes on loopback, each with its HTTP API (inject).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { sha256, hex } from '@cites/ledger'
import { chPermit, waitFor } from '@cites/test-kit'
import { buildHttpApi, hashToken } from '../src/index.js'
import { authorities, basePort, meshFormed, startPermitNode, stopAll, trustListXml, type TestNode } from './kit.js'

const T = { issuer: 'issuer-token-0123456789', customs: 'customs-token-0123456789', viewer: 'viewer-token-0123456789' }
const tokens = { issuer: hashToken(T.issuer), customs: hashToken(T.customs), viewer: hashToken(T.viewer) }
const auth = (role: keyof typeof T): Record<string, string> => ({ authorization: `Bearer ${T[role]}` })

// Traders no one but the parties may learn.
const TRADERS = { importer: 'Ωmega Reptilien Import Łódź', importerStreet: 'Rue des Écailles Dorées 17', exporter: 'Chanthaburi Serpent Farm กขค', exporterStreet: 'Soi Ngu Lueam 42' }

/** An export permit issued by TH for CH (the reverse trade), renumbered. */
function thPermitForCh (number: string): ReturnType<typeof chPermit> {
  const p = chPermit(number)
  p.securityStamp = 'TH-SS-0007'
  p.issuer = { name: 'Department of National Parks, Wildlife and Plant Conservation', address: { street: '61 Phahonyothin Road', city: 'Bangkok', postcode: '10900', country: 'TH', countryName: 'Thailand' } }
  p.consignor = { name: TRADERS.exporter, address: { street: TRADERS.exporterStreet, city: 'Chanthaburi', country: 'TH', countryName: 'Thailand' } }
  p.consignee = { name: TRADERS.importer, address: { street: TRADERS.importerStreet, city: 'Zurich', country: 'CH', countryName: 'Switzerland' } }
  p.signatory = { name: 'B. Officer', place: 'Bangkok' }
  p.lines = p.lines.map((l) => ({ ...l, originCountry: 'TH' }))
  return p
}

interface Answer { valid: boolean, source: string, checks: Array<{ name: string, status: string, reason: { code: string } }>, permit?: unknown }
const checks = (a: Answer): Record<string, string> => Object.fromEntries(a.checks.map((c) => [c.name, `${c.status} ${c.reason.code}`]))

describe('a diverted copy at a third party is never valid, and a third party learns no trader by number', () => {
  let nodes: TestNode[] = []
  const api = new Map<string, FastifyInstance>()
  const by = (p: string): TestNode => nodes.find((n) => n.a.party === p) as TestNode
  const http = (p: string): FastifyInstance => api.get(p) as FastifyInstance
  const toTh = '26CH770001'
  const toCh = '26TH770001'
  let toThXml = ''
  let toChXml = ''

  beforeAll(async () => {
    const all = await authorities(['CH', 'TH', 'FR', 'CN'], basePort())
    const xml = await trustListXml(all)
    nodes = await Promise.all(all.map(async (a) => await startPermitNode(a, xml)))
    await meshFormed(nodes)
    for (const n of nodes) api.set(n.a.party, (await buildHttpApi(n.node, { tokens, logger: false })).app)
    toThXml = (await by('CH').node.issue(chPermit(toTh))).signedXml
    toChXml = (await by('TH').node.issue(thPermitForCh(toCh))).signedXml
    for (const [issuer, number] of [['CH', toTh], ['TH', toCh]] as const) {
      for (const n of nodes) await waitFor(async () => (await n.node.internals.ledger.status(issuer, number)) !== undefined, { timeoutMs: 20_000, what: `${n.a.party} to hold ${issuer}/${number}` })
      await waitFor(async () => (await by(issuer).node.internals.ledger.delivery(issuer, number))?.state === 'delivered', { timeoutMs: 20_000, what: `the delivery of ${issuer}/${number}` })
    }
  })
  afterAll(async () => {
    await Promise.allSettled([...api.values()].map(async (a) => { await a.close() }))
    await stopAll(nodes)
  })

  it('FR by number on a CH→TH permit: judged from the summary, DOCUMENT_NOT_PRESENTED, not valid; TH, the destination, gets it valid', async () => {
    const fr = await http('FR').inject({ method: 'POST', url: '/v1/verify', headers: auth('viewer'), payload: { party: 'CH', number: toTh } })
    expect(fr.statusCode).toBe(200)
    const v = fr.json<Answer>()
    expect(v.valid).toBe(false)
    expect(v.source).toBe('issuer')
    expect(checks(v)).toMatchObject({ integrity: 'SKIPPED DOCUMENT_NOT_PRESENTED', issuer: 'VALID REGISTERED_BY_ISSUER', status: 'VALID OK', destination: 'INVALID NOT_FOR_THIS_PARTY' })
    expect(fr.body).not.toContain('Siam Reptile Park')
    expect(fr.body).not.toContain('Alpine Herpetoculture')

    const th = (await http('TH').inject({ method: 'POST', url: '/v1/verify', headers: auth('viewer'), payload: { party: 'CH', number: toTh } })).json<Answer>()
    expect(checks(th)).toMatchObject({ integrity: 'VALID OK', destination: 'VALID OK' })
    expect(th.valid).toBe(true)
  })

  it('FR by QR (number and document hash): the recorded hash is still judged from the summary; another hash is DOCUMENT_NOT_REGISTERED', async () => {
    const right = hex(sha256(new TextEncoder().encode(toThXml)))
    const byQr = (await http('FR').inject({ method: 'POST', url: '/v1/verify', headers: auth('viewer'), payload: { party: 'CH', number: toTh, sha256: right } })).json<Answer>()
    expect(byQr.valid).toBe(false)
    expect(checks(byQr).integrity).toBe('SKIPPED DOCUMENT_NOT_PRESENTED')
    const wrong = (await http('FR').inject({ method: 'POST', url: '/v1/verify', headers: auth('viewer'), payload: { party: 'CH', number: toTh, sha256: 'ab'.repeat(32) } })).json<Answer>()
    expect(wrong.valid).toBe(false)
    expect(Object.values(checks(wrong))).toContain('INVALID DOCUMENT_NOT_REGISTERED')
  })

  it('FR presented with the CH→TH document: the full verdict (integrity VALID), and still not for FR (NOT_FOR_THIS_PARTY)', async () => {
    const r = await http('FR').inject({ method: 'POST', url: '/v1/verify', headers: { ...auth('viewer'), 'content-type': 'application/xml' }, payload: toThXml })
    expect(r.statusCode).toBe(200)
    const v = r.json<Answer>()
    expect(checks(v)).toMatchObject({ integrity: 'VALID OK', issuer: 'VALID OK', status: 'VALID OK', destination: 'INVALID NOT_FOR_THIS_PARTY' })
    expect(v.valid).toBe(false)
    // A tampered copy of it is caught by its content, which only the document can show.
    const tampered = toThXml.replace(/>50</, '>500<')
    expect(tampered).not.toBe(toThXml)
    const t = (await http('FR').inject({ method: 'POST', url: '/v1/verify', headers: { ...auth('viewer'), 'content-type': 'application/xml' }, payload: tampered })).json<Answer>()
    expect(t.valid).toBe(false)
    expect(checks(t).integrity).toMatch(/^INVALID /)
  })

  it('a TH→CH permit diverted to CN or FR: presented there, destination NOT_FOR_THIS_PARTY; a use is refused NOT_DESTINATION; at CH it is valid', async () => {
    for (const p of ['CN', 'FR']) {
      const v = (await http(p).inject({ method: 'POST', url: '/v1/verify', headers: { ...auth('viewer'), 'content-type': 'application/xml' }, payload: toChXml })).json<Answer>()
      expect(checks(v), p).toMatchObject({ integrity: 'VALID OK', destination: 'INVALID NOT_FOR_THIS_PARTY' })
      expect(v.valid).toBe(false)
      const byNumber = (await http(p).inject({ method: 'POST', url: '/v1/verify', headers: auth('viewer'), payload: { party: 'TH', number: toCh } })).json<Answer>()
      expect(checks(byNumber), p).toMatchObject({ integrity: 'SKIPPED DOCUMENT_NOT_PRESENTED', destination: 'INVALID NOT_FOR_THIS_PARTY' })
      const use = await http(p).inject({ method: 'POST', url: `/v1/permits/TH/${toCh}/consumptions`, headers: auth('customs'), payload: { lines: [{ line: 'A', quantity: 50, unit: 'PCS' }], port: p === 'CN' ? 'CNPVG' : 'FRPAR' } })
      expect([use.statusCode, use.json<{ code: string }>().code], p).toEqual([422, 'NOT_DESTINATION'])
      expect(use.body).not.toContain(TRADERS.importer)
    }
    await waitFor(async () => (await by('TH').node.alerts()).filter((a) => a.kind === 'DIVERTED_USE').length >= 2, { timeoutMs: 20_000, what: 'the DIVERTED_USE alerts at TH' })
    const atCh = (await http('CH').inject({ method: 'POST', url: '/v1/verify', headers: auth('viewer'), payload: { party: 'TH', number: toCh } })).json<Answer>()
    expect(checks(atCh)).toMatchObject({ integrity: 'VALID OK', destination: 'VALID OK' })
    expect(atCh.valid).toBe(true)
  })

  it('a third party\'s read path gives no document and no trader: GET as XML is 404 at FR and CN; the JSON view names no trader', async () => {
    for (const p of ['FR', 'CN']) {
      const asXml = await http(p).inject({ method: 'GET', url: `/v1/permits/TH/${toCh}`, headers: { ...auth('viewer'), accept: 'application/xml' } })
      expect([asXml.statusCode, asXml.json<{ code: string }>().code], p).toEqual([404, 'DOCUMENT_NOT_HELD'])
      const asJson = await http(p).inject({ method: 'GET', url: `/v1/permits/TH/${toCh}`, headers: auth('viewer') })
      expect(asJson.statusCode, p).toBe(200)
      for (const s of Object.values(TRADERS)) expect(asJson.body, p).not.toContain(s)
    }
    for (const p of ['CH', 'TH']) {
      const asXml = await http(p).inject({ method: 'GET', url: `/v1/permits/TH/${toCh}`, headers: { ...auth('viewer'), accept: 'application/xml' } })
      expect(asXml.statusCode, p).toBe(200)
      for (const s of Object.values(TRADERS)) expect(asXml.body, p).toContain(s)
    }
  })
})
