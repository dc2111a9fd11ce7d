/**
 * Issue 20 through real nodes and their HTTP API: CH replaces a lost permit
 * (POST /v1/permits with `replacement`), and TH's customs is refused the
 * original, naming its replacement (the finding: CH/26CH000102 replaced by
 * 26CH000103, both used at US ports, 60 pythons counted).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { chPermit, waitFor } from '@cites/test-kit'
import { buildHttpApi, hashToken } from '../src/index.js'
import { authorities, basePort, meshFormed, startPermitNode, stopAll, trustListXml, type TestNode } from './kit.js'

const T = { issuer: 'issuer-token-0123456789', customs: 'customs-token-0123456789', viewer: 'viewer-token-0123456789' }
const tokens = { issuer: hashToken(T.issuer), customs: hashToken(T.customs), viewer: hashToken(T.viewer) }
const auth = (role: keyof typeof T): Record<string, string> => ({ authorization: `Bearer ${T[role]}` })

function pythons (number: string): ReturnType<typeof chPermit> {
  const p = chPermit(number)
  p.lines = [{ ...p.lines[0]!, quantity: 30 }]
  return p
}

describe('replacement over HTTP (issue 20)', () => {
  let nodes: TestNode[] = []
  let ch: FastifyInstance
  let th: FastifyInstance

  beforeAll(async () => {
    const all = await authorities(['CH', 'TH'], basePort())
    const xml = await trustListXml(all)
    nodes = await Promise.all(all.map(async (a) => await startPermitNode(a, xml)))
    await meshFormed(nodes)
    ch = (await buildHttpApi(nodes[0]!.node, { tokens, logger: false })).app
    th = (await buildHttpApi(nodes[1]!.node, { tokens, logger: false })).app
  })
  afterAll(async () => {
    await ch?.close()
    await th?.close()
    await stopAll(nodes)
  })

  it('a replaced permit is refused at customs, naming its replacement', async () => {
    expect((await ch.inject({ method: 'POST', url: '/v1/permits', headers: auth('issuer'), payload: pythons('26CH000102') })).statusCode).toBe(201)
    const replaced = await ch.inject({ method: 'POST', url: '/v1/permits', headers: auth('issuer'), payload: { ...pythons('26CH000103'), replacement: { replaces: '26CH000102', reason: 'lost', details: 'original lost in transit' } } })
    expect(replaced.statusCode).toBe(201)
    const original = (await ch.inject({ method: 'GET', url: '/v1/permits/CH/26CH000102', headers: auth('viewer') })).json()
    expect(original).toMatchObject({ status: 'REPLACED', state: { replacement: { number: '26CH000103', reasonCode: 'lost' } } })
    // Dates in answers are ISO 8601, never epoch milliseconds.
    const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
    for (const d of [original.state.validFrom, original.state.validUntil, original.state.issueTime, original.state.replacement.time]) expect(d).toMatch(ISO)
    await waitFor(async () => (await nodes[1]!.node.permit('CH', '26CH000103')) !== undefined)

    const use = { lines: [{ line: 'A', quantity: 30 }], port: 'THBKK' }
    const first = await th.inject({ method: 'POST', url: '/v1/permits/CH/26CH000102/consumptions', headers: auth('customs'), payload: use })
    expect(first.json()).toMatchObject({ code: 'PERMIT_REPLACED' })
    expect(first.json().detail ?? first.json().message ?? '').toContain('26CH000103')
    const verdict = (await th.inject({ method: 'POST', url: '/v1/verify', headers: auth('viewer'), payload: { party: 'CH', number: '26CH000102' } })).json()
    expect(verdict.valid).toBe(false)
    expect(verdict.checks).toContainEqual(expect.objectContaining({ name: 'status', status: 'INVALID', reason: expect.objectContaining({ code: 'PERMIT_REPLACED', message: expect.stringContaining('26CH000103') }) }))

    // The replacement is used once, with the unit left out (the line's own),
    // and its receipt warns that Box 14 was never endorsed.
    const second = await th.inject({ method: 'POST', url: '/v1/permits/CH/26CH000103/consumptions', headers: auth('customs'), payload: use })
    expect(second.statusCode).toBe(201)
    expect(second.json().receipt).toMatchObject({ lines: [{ line: 'A', quantity: 30, unit: 'PCS' }], warnings: ['NOT_ENDORSED_AT_EXPORT'] })
  })

  it('a replacement of a permit that does not exist is refused (404), and nothing is issued', async () => {
    const r = await ch.inject({ method: 'POST', url: '/v1/permits', headers: auth('issuer'), payload: { ...pythons('26CH000104'), replacement: { replaces: '26CH999999', reason: 'lost' } } })
    expect(r.json()).toMatchObject({ status: 404, code: 'PERMIT_NOT_FOUND' })
    expect((await ch.inject({ method: 'GET', url: '/v1/permits/CH/26CH000104', headers: auth('viewer') })).statusCode).toBe(404)
  })

  it('an endorsement with the unit left out is recorded (201), not refused as unit "undefined"; PCS on a line with no unit is the same unit', async () => {
    expect((await ch.inject({ method: 'POST', url: '/v1/permits', headers: auth('issuer'), payload: chPermit('26CH000120') })).statusCode).toBe(201)
    const end = await ch.inject({ method: 'POST', url: '/v1/permits/CH/26CH000120/endorsements', headers: auth('customs'), payload: { lines: [{ line: 'A', quantity: 40 }, { line: 'B', quantity: 50, unit: 'PCS' }], port: 'CHZRH' } })
    expect(end.statusCode).toBe(201)
    expect(end.json().endorsement).toMatchObject({ lines: [{ line: 'A', quantity: 40, unit: 'PCS' }, { line: 'B', quantity: 50, unit: '' }] })
  })
})
