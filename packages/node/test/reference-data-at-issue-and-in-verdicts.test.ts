/**
 * The CITES reference data through a real node and its HTTP API (issue 14):
 * a permit whose appendix is not the origin population's listing on the
 * date of grant, or whose source does not fit the kingdom, is refused
 * before it is signed (422 PERMIT_REFUSED with the problems); warnings come
 * back in the 201 answer; every verdict carries the `reference` check with
 * the snapshot's date, as do /readyz and /v1/status.
 *
 * The test clock is 2026, after the shipped 2013 snapshot, where a
 * mismatch is only APPENDIX_UNCONFIRMED: this node is configured with the
 * same data re-dated to 2099 (what `cites refdata import --date` gives an
 * operator), so that the 2013 listings count as current.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { chPermit, tempDir } from '@cites/test-kit'
import { encodeSnapshot, readSnapshotFile, SHIPPED_SNAPSHOT } from '@cites/refdata'
import type { PermitLine } from '@cites/permit'
import { buildHttpApi, hashToken } from '../src/index.js'
import { authorities, basePort, startPermitNode, stopAll, trustListXml, type TestNode } from './kit.js'

const T = { issuer: 'issuer-token-0123456789', customs: 'customs-token-0123456789', viewer: 'viewer-token-0123456789' }
const tokens = { issuer: hashToken(T.issuer), customs: hashToken(T.customs), viewer: hashToken(T.viewer) }
const auth = { authorization: `Bearer ${T.issuer}` }

describe('reference data at issuance and in verdicts', () => {
  let nodes: TestNode[] = []
  let api: FastifyInstance
  const dir = tempDir('refdata-node')
  let n = 0

  /** The CH test permit with one line changed. */
  const permit = (line: Partial<PermitLine>): ReturnType<typeof chPermit> => {
    const p = chPermit(`26CHREF${String(++n).padStart(3, '0')}`)
    p.lines = [{ ...p.lines[0]!, ...line }]
    return p
  }

  beforeAll(async () => {
    const snap = readSnapshotFile(SHIPPED_SNAPSHOT)
    snap.snapshotDate = '2099-12-31'
    snap.parts.listings.date = '2099-12-31'
    const path = join(dir.path, 'redated.json.gz')
    writeFileSync(path, encodeSnapshot(snap))
    const all = await authorities(['CH', 'TH'], basePort())
    const xml = await trustListXml(all)
    nodes = [await startPermitNode(all[0]!, xml, { refdata: { snapshot: path, suspensions: 'refuse' } })]
    api = (await buildHttpApi(nodes[0]!.node, { tokens, logger: false })).app
  })
  afterAll(async () => {
    await api?.close()
    await stopAll(nodes)
    dir.cleanup()
  })

  it('an App. II elephant from KE (an App. I population) is refused before signing; one from BW (App. II) is issued', async () => {
    const ke = await api.inject({ method: 'POST', url: '/v1/permits', headers: auth, payload: permit({ scientificName: 'Loxodonta africana', term: 'TUS', unit: undefined, quantity: 2, originCountry: 'KE', source: 'W' }) })
    expect(ke.statusCode).toBe(422)
    expect(ke.json()).toMatchObject({ code: 'PERMIT_REFUSED', problems: [expect.objectContaining({ code: 'APPENDIX_MISMATCH', severity: 'error', line: 'A', box: '10' })] })
    expect((await api.inject({ method: 'GET', url: `/v1/permits/CH/26CHREF${String(n).padStart(3, '0')}`, headers: auth })).statusCode).toBe(404)
    const bw = await api.inject({ method: 'POST', url: '/v1/permits', headers: auth, payload: permit({ scientificName: 'Loxodonta africana', term: 'TUS', unit: undefined, quantity: 2, originCountry: 'BW', source: 'W' }) })
    expect(bw.statusCode).toBe(201)
    expect(bw.json().warnings).toBeUndefined()
  })

  it('source A (artificially propagated) on an animal is refused at issuance', async () => {
    const r = await api.inject({ method: 'POST', url: '/v1/permits', headers: auth, payload: permit({ source: 'A' }) })
    expect(r.statusCode).toBe(422)
    expect(r.json().problems).toEqual([expect.objectContaining({ code: 'SOURCE_KINGDOM', severity: 'error' })])
  })

  it('a synonym is issued with a warning naming the accepted name, and the verdict carries the reference check with the snapshot date', async () => {
    const p = permit({ scientificName: 'Loxodonta cyclotis', term: 'TUS', unit: undefined, quantity: 2, originCountry: 'BW', source: 'W' })
    const r = await api.inject({ method: 'POST', url: '/v1/permits', headers: auth, payload: p })
    expect(r.statusCode).toBe(201)
    expect(r.json().warnings).toEqual([expect.objectContaining({ code: 'SPECIES_SYNONYM', severity: 'warning' })])
    expect(r.json().warnings[0].message).toContain('Loxodonta africana')
    const v = await api.inject({ method: 'POST', url: '/v1/verify', headers: auth, payload: { party: 'CH', number: p.number } })
    expect(v.statusCode).toBe(200)
    const ref = (v.json().checks as Array<{ name: string, status: string, snapshotDate?: string, details?: Array<{ code: string }> }>).find((c) => c.name === 'reference')
    expect(ref).toMatchObject({ status: 'VALID', snapshotDate: '2099-12-31', details: [expect.objectContaining({ code: 'SPECIES_SYNONYM' })] })
  })

  it('/health, /readyz and /v1/status give the snapshot\'s date', async () => {
    expect((await api.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({ status: 'ok', refdataSnapshotDate: '2099-12-31' })
    const ready = await api.inject({ method: 'GET', url: '/readyz' })
    expect((ready.json().checks as Array<{ name: string }>).find((c) => c.name === 'refdata')).toMatchObject({ status: 'pass', code: 'REFDATA_LOADED' })
    expect(JSON.stringify(ready.json())).toContain('2099-12-31')
    const status = await api.inject({ method: 'GET', url: '/v1/status', headers: auth })
    expect(status.json().refdata).toEqual({ snapshotDate: '2099-12-31', suspensions: 'refuse' })
  })
})
