/**
 * Issue 20, finding 10: the permit officer's walk as a script, on three real
 * nodes (CH issues, US imports, TH watches from its replica) over real HTTP:
 * issue, replace ("original lost in transit"), endorse a smaller quantity
 * at the port of export, use at the port of import (once), cancel before
 * use, and the annual reports of both sides, with the finding's numbers
 * (30 pythons; 28 shipped).
 *
 * It asserts what the nodes do on this branch; the replacement's own rules
 * (the original cancelled in the same batch, REPLACED everywhere: issue 20
 * #1) are another change's and are not asserted here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { Permit } from '@cites/permit'
import { chPermit, waitFor } from '@cites/test-kit'
import { buildHttpApi, hashToken } from '../src/index.js'
import { authorities, basePort, meshFormed, startPermitNode, stopAll, trustListXml, type TestNode } from './kit.js'

const T = { issuer: 'walk-issuer', customs: 'walk-customs', viewer: 'walk-viewer' }
const tokens = { issuer: hashToken(T.issuer), customs: hashToken(T.customs), viewer: hashToken(T.viewer) }

/** CH's export permit to the US for 30 ball pythons. */
function toUs (number: string): Permit {
  const p = chPermit(number)
  return { ...p, consignee: { name: 'Miami Reptile Imports LLC', address: { country: 'US' } }, lines: [{ ...p.lines[0]!, quantity: 30, unit: 'PCS' }] }
}

/** Rows of a CSV report (no quoted commas in these cells). */
const rows = (csv: string): Array<Record<string, string>> => {
  const [head, ...rest] = csv.trim().split('\n').map((l) => l.split(','))
  return rest.map((r) => Object.fromEntries((head ?? []).map((h, i) => [h, r[i] ?? ''])))
}

describe('the officer\'s walk: issue, replace, endorse less, use once, cancel, report', () => {
  let nodes: TestNode[]
  const apps: FastifyInstance[] = []
  const url: Record<string, string> = {}

  const call = async (party: string, role: keyof typeof T, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number, json: Record<string, unknown>, text: string }> => {
    const res = await fetch(url[party] + path, { method, headers: { authorization: `Bearer ${T[role]}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })
    const text = await res.text()
    return { status: res.status, text, json: (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) as Record<string, unknown> : {} }
  }

  beforeAll(async () => {
    const list = await authorities(['CH', 'US', 'TH'], basePort())
    const xml = await trustListXml(list)
    nodes = await Promise.all(list.map(async (a) => await startPermitNode(a, xml)))
    await meshFormed(nodes)
    for (const n of nodes) {
      const { app } = await buildHttpApi(n.node, { tokens, logger: false })
      apps.push(app)
      url[n.a.party] = await app.listen({ host: '127.0.0.1', port: 0 })
    }
  })
  afterAll(async () => {
    await Promise.allSettled(apps.map(async (a) => { await a.close() }))
    await stopAll(nodes)
  })

  it('walks one shipment of 30 pythons from CH to the US, and one permit cancelled before use', async () => {
    // Issue: 26CH000102, 30 Python regius for the US.
    const issued = await call('CH', 'issuer', 'POST', '/v1/permits', toUs('26CH000102'))
    expect(issued.status).toBe(201)
    expect(issued.json).toMatchObject({ party: 'CH', number: '26CH000102', status: 'ISSUED' })

    // Replace: the original was lost in transit; 26CH000103 names it and the reason.
    const replacement = await call('CH', 'issuer', 'POST', '/v1/permits', { ...toUs('26CH000103'), replacement: { replaces: '26CH000102', reason: 'lost', details: 'original lost in transit' } })
    expect(replacement.status).toBe(201)
    const signed = await fetch(`${url.CH}/v1/permits/CH/26CH000103`, { headers: { authorization: `Bearer ${T.viewer}`, accept: 'application/xml' } })
    expect(await signed.text()).toContain('Replaces: 26CH000102\nReason: lost\nDetails: original lost in transit')
    // The replaced original is refused at US customs, naming its replacement (the finding: both were used, 60 pythons).
    await waitFor(async () => (await nodes[1]!.node.internals.ledger.status('CH', '26CH000102'))?.status === 'REPLACED', { timeoutMs: 20_000, what: 'US to hold the replacement' })
    const original = await call('US', 'customs', 'POST', '/v1/permits/CH/26CH000102/consumptions', { lines: [{ line: 'A', quantity: 30, unit: 'PCS' }], port: 'USJFK' })
    expect(original).toMatchObject({ status: 409, json: { code: 'PERMIT_REPLACED' } })
    expect(String(original.json.detail)).toContain('26CH000103')
    // A replacement of a permit that does not exist is refused.
    expect((await call('CH', 'issuer', 'POST', '/v1/permits', { ...toUs('26CH000105'), replacement: { replaces: '26CH999999', reason: 'lost' } })).json).toMatchObject({ code: 'PERMIT_NOT_FOUND' })

    // Endorse a smaller quantity at Zurich: 28 of the 30 leave (Box 14); more than authorised is refused.
    const over = await call('CH', 'customs', 'POST', '/v1/permits/CH/26CH000103/endorsements', { lines: [{ line: 'A', quantity: 31, unit: 'PCS' }], port: 'CHZRH' })
    expect(over).toMatchObject({ status: 422, json: { code: 'QUANTITY_EXCEEDED' } })
    const endorsed = await call('CH', 'customs', 'POST', '/v1/permits/CH/26CH000103/endorsements', { lines: [{ line: 'A', quantity: 28, unit: 'PCS' }], port: 'CHZRH', officer: 'B. Zoll' })
    expect(endorsed.status).toBe(201)
    expect(endorsed.json).toMatchObject({ status: 'ENDORSED', endorsement: { port: 'CHZRH', lines: [{ line: 'A', quantity: 28 }], date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) } })

    // Use at Miami: 28 let in, confirmed by CH's signed receipt; a second use at JFK is refused with the first receipt.
    const used = await call('US', 'customs', 'POST', '/v1/permits/CH/26CH000103/consumptions', { lines: [{ line: 'A', quantity: 28, unit: 'PCS' }], port: 'USMIA' })
    expect(used.status).toBe(201)
    expect(used.json).toMatchObject({ outcome: 'CONSUMED', receipt: { party: 'CH', number: '26CH000103', port: 'USMIA', consumingParty: 'US' } })
    const again = await call('US', 'customs', 'POST', '/v1/permits/CH/26CH000103/consumptions', { lines: [{ line: 'A', quantity: 28, unit: 'PCS' }], port: 'USJFK' })
    expect(again.status).toBe(409)
    expect(again.json).toMatchObject({ code: 'ALREADY_CONSUMED', receipt: { port: 'USMIA' } })

    // A bystander (TH) sees the use in its replica of CH's log.
    await waitFor(async () => (await nodes[2]!.node.internals.ledger.status('CH', '26CH000103'))?.state.consumption !== undefined, { timeoutMs: 20_000, what: 'CH\'s CONSUMED at TH' })
    const v = await call('TH', 'viewer', 'POST', '/v1/verify', { party: 'CH', number: '26CH000103' })
    expect(v.json.valid).toBe(false)
    expect((v.json.checks as Array<{ name: string, reason: { code: string } }>).find((c) => c.name === 'use')?.reason.code).toBe('ALREADY_CONSUMED')

    // Cancel before use: 26CH000104 is cancelled; its use at JFK is refused.
    expect((await call('CH', 'issuer', 'POST', '/v1/permits', toUs('26CH000104'))).status).toBe(201)
    const cancelled = await call('CH', 'issuer', 'POST', '/v1/permits/CH/26CH000104/cancellation', { reason: 'applicant withdrew' })
    expect(cancelled).toMatchObject({ status: 201, json: { status: 'CANCELLED', cancellation: { reason: 'applicant withdrew', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) } } })
    const late = await call('US', 'customs', 'POST', '/v1/permits/CH/26CH000104/consumptions', { lines: [{ line: 'A', quantity: 30, unit: 'PCS' }], port: 'USJFK' })
    expect(late).toMatchObject({ status: 409, json: { code: 'PERMIT_CANCELLED' } })

    // Reports (Trade Database upload template, issue 14): CH's exports file has the export of 28 (its Box 14), US's imports file the import of 28, with the export permit's number; nothing of the cancelled permit.
    const year = new Date(Date.parse(String((used.json.receipt as { consumedAt: string }).consumedAt))).getUTCFullYear()
    const ch = rows((await call('CH', 'issuer', 'GET', `/v1/reports/annual?year=${year}`)).text)
    expect(ch.filter((r) => r.export_permit === '26CH000103')).toEqual([expect.objectContaining({ species_name: 'Python regius', quantity: '28', unit_code: '', trading_partner: 'US', year: String(year) })])
    expect(ch.some((r) => r.export_permit === '26CH000104')).toBe(false)
    expect(Object.keys(ch[0] ?? {})).not.toContain('import_permit')
    await waitFor(async () => (await nodes[1]!.node.internals.ledger.status('CH', '26CH000103'))?.state.consumption !== undefined, { timeoutMs: 20_000, what: 'CH\'s CONSUMED at US' })
    const us = rows((await call('US', 'issuer', 'GET', `/v1/reports/annual?year=${year}&kind=imports`)).text)
    expect(us.filter((r) => r.export_permit === '26CH000103')).toEqual([expect.objectContaining({ quantity: '28', trading_partner: 'CH', import_permit: '' })])
    expect(us.some((r) => r.export_permit === '26CH000104')).toBe(false)
    expect(rows((await call('US', 'issuer', 'GET', `/v1/reports/annual?year=${year}`)).text)).toEqual([])
  })
})
