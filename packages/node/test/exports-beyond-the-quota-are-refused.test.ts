/**
 * Issue 14 #5: quotas (Box 11a) were free numbers that nothing counted. A
 * real TZ node now refuses an export that would exceed a quota of its party
 * (QUOTA_EXCEEDED, 422) with the used-to-date figure from its own ledger, and
 * fills Box 11a in on the signed permit.
 *
 * The register is seeded from the reference-data snapshot. The shipped one is
 * of 2013 and the node's clock is in 2026, so the test snapshot is the
 * shipped one with TZ's published 2013 quotas restated for 2026, unchanged
 * otherwise (Crocodylus niloticus: 40 live captive-bred, 1600 wild, 400 ranched).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { writeFileSync } from 'node:fs'
import { importPermit, type Permit } from '@cites/permit'
import { encodeSnapshot, loadReferenceData, readSnapshotFile, SHIPPED_SNAPSHOT, type Snapshot } from '@cites/refdata'

type QuotaRow = Snapshot['quotas'][number]
import { NOW, tempDir, vectorPermit } from '@cites/test-kit'
import { buildHttpApi, hashToken, quotaFileOf, quotaRegister, setQuota } from '../src/index.js'
import { authorities, basePort, startPermitNode, stopAll, trustListXml, type TestNode } from './kit.js'

const CROC = 'Crocodylus niloticus'
const YEAR = new Date(NOW).getUTCFullYear()

/** TZ's export of `quantity` live captive-bred Nile crocodiles (or another line) to US. */
function tzExport (number: string, quantity: number, line: Partial<Permit['lines'][number]> = {}): Permit {
  const { issueDate: _i, ...p } = vectorPermit('ch-export-th')
  return {
    ...p, number, securityStamp: `TZ-SS-${number}`,
    issuer: { name: 'Wildlife Division', address: { country: 'TZ' } },
    consignor: { name: 'Crocodile farm', address: { country: 'TZ' } },
    consignee: { name: 'Zoo', address: { country: 'US' } },
    lines: [{ id: 'A', scientificName: CROC, term: 'LIV', appendix: 'II', source: 'C', quantity, unit: 'PCS', originCountry: 'TZ', ...line }]
  }
}

describe('an export that would exceed a quota of the party is refused at issue, with the used-to-date figure from the issuer\'s ledger', () => {
  let tz: TestNode
  let refdata: ReturnType<typeof loadReferenceData>
  const dir = tempDir('quota-snapshot')

  beforeAll(async () => {
    const s = readSnapshotFile(SHIPPED_SNAPSHOT)
    const restated: QuotaRow[] = s.quotas.filter((q) => q[1] === 'TZ' && q[2] === 2013).map((q) => [q[0], q[1], YEAR, ...q.slice(3)] as unknown as QuotaRow)
    s.quotas = [...s.quotas, ...restated]
    const path = join(dir.path, 'tz-restated.json.gz')
    writeFileSync(path, encodeSnapshot(s))
    const [a] = await authorities(['TZ'], basePort())
    refdata = loadReferenceData(path)
    tz = await startPermitNode(a!, await trustListXml([a!]), { refdata: { snapshot: path } })
  })
  afterAll(async () => { await stopAll([tz]); dir.cleanup() })

  it('a quota running out: two exports of 15 fit the published 40, the third is refused QUOTA_EXCEEDED (422) with 30 used to date', async () => {
    const first = await tz.node.issue(tzExport('26TZ000001', 15))
    expect(first.quotas).toMatchObject([{ line: 'A', taxon: CROC, year: YEAR, terms: ['LIV'], sources: ['C'], quota: 40, origin: 'published', usedBefore: 0, usedToDate: 15 }])
    const second = await tz.node.issue(tzExport('26TZ000002', 15))
    expect(second.quotas[0]).toMatchObject({ usedBefore: 15, usedToDate: 30 })
    // Box 11a is on the signed permit: used to date (with this one) and the annual quota.
    expect(importPermit(second.signedXml).permit.lines[0]).toMatchObject({ quotaUsed: 30, quotaAnnual: 40 })

    await expect(tz.node.issue(tzExport('26TZ000003', 15))).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED', quota: { quota: 40, usedToDate: 30, requested: 15 } })
    expect(await tz.node.internals.ledger.status('TZ', '26TZ000003')).toBeUndefined()

    const T = { issuer: 'i-token' }
    const { app } = await buildHttpApi(tz.node, { tokens: { issuer: hashToken(T.issuer) }, logger: false })
    try {
      const r = await app.inject({ method: 'POST', url: '/v1/permits', headers: { authorization: `Bearer ${T.issuer}` }, payload: tzExport('26TZ000004', 11) })
      expect(r.statusCode).toBe(422)
      expect(r.json()).toMatchObject({ code: 'QUOTA_EXCEEDED', quota: { quota: 40, usedToDate: 30, requested: 11 } })
      expect(String(r.json().detail)).toContain('30 used to date')
      // What is left still fits, and the 201 answer carries the figure.
      const ok = await app.inject({ method: 'POST', url: '/v1/permits', headers: { authorization: `Bearer ${T.issuer}` }, payload: tzExport('26TZ000005', 10) })
      expect(ok.statusCode).toBe(201)
      expect(ok.json()).toMatchObject({ quotas: [{ quota: 40, usedToDate: 40 }] })
    } finally {
      await app.close()
    }
    // Other terms and sources are other quotas: a wild-source skin export counts against the 1600, not the 40.
    const wild = await tz.node.issue(tzExport('26TZ000006', 5, { term: 'SKI', source: 'W' }))
    expect(wild.quotas).toMatchObject([{ quota: 1600, usedToDate: 5, sources: ['W'] }])
    // A species with no quota of TZ: no figure, no Box 11a.
    const none = await tz.node.issue(tzExport('26TZ000007', 5, { scientificName: 'Python regius' }))
    expect(none.quotas).toEqual([])
    expect(importPermit(none.signedXml).permit.lines[0]?.quotaUsed).toBeUndefined()
  })

  it('an operator quota overrides the seeded one: set to 60, the export refused under the published 40 is issued', async () => {
    await expect(tz.node.issue(tzExport('26TZ000010', 15))).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' })
    await setQuota(quotaFileOf(tz.dir), { taxon: CROC, year: YEAR, quantity: 60, unit: 'PCS', terms: ['LIV'], sources: ['C'], note: 'raised by the Scientific Authority' })
    // In the register, the operator's entry replaces the published one with its key; the others stay.
    const reg = quotaRegister({ party: 'TZ', file: quotaFileOf(tz.dir), refdata, year: YEAR, taxon: CROC })
    expect(reg.map((e) => [e.sources.join(), e.terms.join(), e.quantity, e.origin])).toEqual([['R', '', 400, 'published'], ['W', '', 1600, 'published'], ['C', 'LIV', 60, 'operator']])
    const r = await tz.node.issue(tzExport('26TZ000010', 15))
    expect(r.quotas).toMatchObject([{ quota: 60, origin: 'operator', usedBefore: 40, usedToDate: 55 }])
    expect(importPermit(r.signedXml).permit.lines[0]).toMatchObject({ quotaUsed: 55, quotaAnnual: 60 })
    await expect(tz.node.issue(tzExport('26TZ000011', 6))).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED', quota: { quota: 60, usedToDate: 55 } })
  })

  it('a cancelled permit gives its quota back', async () => {
    await expect(tz.node.issue(tzExport('26TZ000020', 10))).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED', quota: { usedToDate: 55 } })
    await tz.node.cancel('TZ', '26TZ000001', 'the farm withdrew the application')
    const r = await tz.node.issue(tzExport('26TZ000020', 10))
    expect(r.quotas[0]).toMatchObject({ usedBefore: 40, usedToDate: 50 })
  })

  it('concurrent exports cannot both take the last of a quota', async () => {
    // 50 used of 60: two exports of 10 at once, one passes.
    const results = await Promise.allSettled([tz.node.issue(tzExport('26TZ000030', 10)), tz.node.issue(tzExport('26TZ000031', 10))])
    expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1)
    expect(results.filter((x) => x.status === 'rejected' && (x.reason as { code?: string }).code === 'QUOTA_EXCEEDED')).toHaveLength(1)
  })
})
