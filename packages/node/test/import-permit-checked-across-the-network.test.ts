/**
 * Issue 20, finding 3: a TH Appendix I export citing the import permit
 * "US-DOES-NOT-EXIST-9" was issued, endorsed and used, although US's own
 * node had no such permit. The issuing node now checks a cited import
 * permit in its replica of the destination's log (caught up first) before
 * signing (ledger.md §3.6): real TH and US nodes on loopback, a third
 * destination (JP) not on the network.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Permit } from '@cites/permit'
import { vectorPermit, waitFor } from '@cites/test-kit'
import { buildHttpApi, hashToken } from '../src/index.js'
import { authorities, basePort, meshFormed, startPermitNode, stopAll, trustListXml, type TestNode } from './kit.js'

const PYTHON = 'Python molurus molurus'

/** US's import permit for `quantity` Indian pythons from `exporter`. */
function usImport (number: string, o: { species?: string, quantity?: number, exporter?: string } = {}): Permit {
  // Issued now: the vector's issue date is refused (ISSUE_DATE_NOT_NOW).
  const { issueDate: _i, ...p } = vectorPermit('th-import-ch')
  return {
    ...p, number, securityStamp: `US-SS-${number}`,
    issuer: { name: 'U.S. Fish and Wildlife Service', address: { country: 'US' } },
    consignee: { name: 'San Diego Zoo', address: { country: 'US' } },
    consignor: { name: 'Khao Kheow Open Zoo', address: { country: o.exporter ?? 'TH' } },
    lines: [{ id: 'A', scientificName: o.species ?? PYTHON, term: 'LIV', appendix: 'I', source: 'C', quantity: o.quantity ?? 10, unit: 'PCS' }]
  }
}

/** TH's Appendix I export to `destination`, citing `importPermit`. */
function thExport (number: string, importPermit: string, o: { quantity?: number, destination?: string, unit?: string } = {}): Permit {
  const { issueDate: _i, ...p } = vectorPermit('ch-export-th')
  return {
    ...p, number, purpose: 'Z', securityStamp: `TH-SS-${number}`,
    issuer: { name: 'Department of National Parks', address: { country: 'TH' } },
    consignor: { name: 'Khao Kheow Open Zoo', address: { country: 'TH' } },
    consignee: { name: 'San Diego Zoo', address: { country: o.destination ?? 'US' } },
    references: [{ id: importPermit, typeCode: 'I' }],
    lines: [{ id: 'A', scientificName: PYTHON, term: 'LIV', appendix: 'I', source: 'C', quantity: o.quantity ?? 10, ...(o.unit !== undefined ? { unit: o.unit } : { unit: 'PCS' }) }]
  }
}

describe('an export or re-export citing the destination\'s import permit is checked in the destination\'s log before it is signed', () => {
  let th: TestNode
  let us: TestNode

  beforeAll(async () => {
    const list = await authorities(['TH', 'US'], basePort())
    const xml = await trustListXml(list)
    th = await startPermitNode(list[0]!, xml)
    us = await startPermitNode(list[1]!, xml)
    await meshFormed([th, us])
  })
  afterAll(async () => { await stopAll([th, us]) })

  /**
   * TH issues `p` as its officer would: IMPORT_PERMIT_CHECK_UNAVAILABLE
   * (US's log not caught up within 3 s, as on a loaded CI machine) is
   * retried; every other answer, IMPORT_PERMIT_NOT_FOUND included, is final.
   */
  const issueAtTh = async (p: Permit): ReturnType<typeof th.node.issue> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await th.node.issue(p)
      } catch (err) {
        if (attempt === 5 || (err as { code?: string }).code !== 'IMPORT_PERMIT_CHECK_UNAVAILABLE') throw err
      }
    }
  }

  const refusedWith = async (p: Permit, code: string): Promise<void> => {
    await expect(issueAtTh(p)).rejects.toMatchObject({ code })
    // Refused before signing: nothing of it in TH's log.
    expect(await th.node.internals.ledger.status('TH', p.number)).toBeUndefined()
  }

  it('an import permit that exists nowhere ("US-DOES-NOT-EXIST-9") is refused at issue: IMPORT_PERMIT_NOT_FOUND, 422 over HTTP', async () => {
    await refusedWith(thExport('26TH100001', 'US-DOES-NOT-EXIST-9'), 'IMPORT_PERMIT_NOT_FOUND')
    const T = { issuer: 'i-token', customs: 'c-token', viewer: 'v-token' }
    const { app } = await buildHttpApi(th.node, { tokens: { issuer: hashToken(T.issuer), customs: hashToken(T.customs), viewer: hashToken(T.viewer) }, logger: false })
    try {
      const r = await app.inject({ method: 'POST', url: '/v1/permits', headers: { authorization: `Bearer ${T.issuer}` }, payload: thExport('26TH100002', 'US-DOES-NOT-EXIST-9') })
      expect(r.statusCode).toBe(422)
      expect(r.json()).toMatchObject({ code: 'IMPORT_PERMIT_NOT_FOUND' })
      expect(String(r.json().detail)).toContain('US/US-DOES-NOT-EXIST-9 is not in US\'s log')
      // A destination not on the network cannot be checked: issued, with the warning in the answer.
      const jp = await app.inject({ method: 'POST', url: '/v1/permits', headers: { authorization: `Bearer ${T.issuer}` }, payload: thExport('26TH100003', 'JP-2026-0001', { destination: 'JP' }) })
      expect(jp.statusCode).toBe(201)
      expect(jp.json()).toMatchObject({ number: '26TH100003', warnings: [{ code: 'IMPORT_PERMIT_UNCHECKED' }] })
    } finally {
      await app.close()
    }
  })

  it('a valid import permit, issued a moment ago by the destination, is accepted (the replica is caught up first)', async () => {
    await us.node.issue(usImport('26US000001'))
    const { state, warnings } = await issueAtTh(thExport('26TH100010', '26US000001'))
    expect(state.status).toBe('ISSUED')
    expect(warnings).toEqual([])
    // Its spelling need not be canonical: looked up as every number is.
    await us.node.issue(usImport('26US000002'))
    expect((await issueAtTh(thExport('26TH100011', '26us-000002'))).state.number).toBe('26TH100011')
  })

  it('an import permit already used at the destination is refused: IMPORT_PERMIT_USED', async () => {
    await us.node.issue(usImport('26US000003'))
    const used = await us.node.consume('US', '26US000003', { lines: [{ line: 'A', quantity: 10, unit: 'PCS' }], port: 'USLAX' })
    expect(used.outcome).toBe('CONSUMED')
    await refusedWith(thExport('26TH100020', '26US000003'), 'IMPORT_PERMIT_USED')
  })

  it('an import permit for another species, for fewer specimens, or for imports from another country is refused', async () => {
    await us.node.issue(usImport('26US000004', { species: 'Crocodylus siamensis' }))
    await refusedWith(thExport('26TH100030', '26US000004'), 'IMPORT_PERMIT_SPECIES_NOT_COVERED')
    await us.node.issue(usImport('26US000005', { quantity: 4 }))
    await refusedWith(thExport('26TH100031', '26US000005', { quantity: 5 }), 'IMPORT_PERMIT_QUANTITY_EXCEEDED')
    // The same animals counted in kilograms are not "covered" by a permit counted in specimens.
    await refusedWith(thExport('26TH100032', '26US000005', { quantity: 1, unit: 'KGM' }), 'IMPORT_PERMIT_SPECIES_NOT_COVERED')
    await us.node.issue(usImport('26US000006', { exporter: 'CN' }))
    await refusedWith(thExport('26TH100033', '26US000006'), 'IMPORT_PERMIT_OTHER_EXPORTER')
    // A destination's export permit is not an import permit.
    const usExport = usImport('26US000007')
    await us.node.issue({ ...usExport, type: 'E', validUntil: '2027-04-14T00:00:00Z', consignee: { address: { country: 'TH' } }, consignor: { address: { country: 'US' } }, lines: usExport.lines.map((l) => ({ ...l, appendix: 'II' })) })
    await refusedWith(thExport('26TH100034', '26US000007'), 'IMPORT_PERMIT_NOT_FOUND')
  })

  it('an import permit cancelled by the destination is refused: IMPORT_PERMIT_NOT_IN_FORCE', async () => {
    await us.node.issue(usImport('26US000008'))
    await us.node.cancel('US', '26US000008', 'applicant withdrew')
    await refusedWith(thExport('26TH100040', '26US000008'), 'IMPORT_PERMIT_NOT_IN_FORCE')
  })

  it('the destination\'s use of the export also uses its import permit, so a second export citing it is refused', async () => {
    await us.node.issue(usImport('26US000009', { quantity: 12 }))
    await issueAtTh(thExport('26TH100050', '26US000009', { quantity: 10 }))
    await waitFor(async () => (await us.node.internals.ledger.status('TH', '26TH100050')) !== undefined, { timeoutMs: 20_000, what: 'TH\'s export at US' })
    const r = await us.node.consume('TH', '26TH100050', { lines: [{ line: 'A', quantity: 10, unit: 'PCS' }], port: 'USLAX', officer: 'Officer U.' })
    expect(r).toMatchObject({ outcome: 'CONSUMED', importPermits: [{ number: '26US000009', outcome: 'CONSUMED' }] })
    const imp = await us.node.internals.ledger.status('US', '26US000009')
    expect(imp?.state.consumption).toMatchObject({ port: 'USLAX', lines: [{ line: 'A', quantity: 10 }] })
    await refusedWith(thExport('26TH100051', '26US000009', { quantity: 2 }), 'IMPORT_PERMIT_USED')
  })

  it('an import permit the destination issued while cut off from the issuer is not called "not found": IMPORT_PERMIT_CHECK_UNAVAILABLE (503, nothing signed), and accepted once the link is back', async () => {
    await th.node.partition(['US'])
    try {
      await us.node.issue(usImport('26US000010'))
      await expect(th.node.issue(thExport('26TH100060', '26US000010'))).rejects.toMatchObject({ code: 'IMPORT_PERMIT_CHECK_UNAVAILABLE' })
      expect(await th.node.internals.ledger.status('TH', '26TH100060')).toBeUndefined()
      const T = { issuer: 'i-token', customs: 'c-token', viewer: 'v-token' }
      const { app } = await buildHttpApi(th.node, { tokens: { issuer: hashToken(T.issuer), customs: hashToken(T.customs), viewer: hashToken(T.viewer) }, logger: false })
      try {
        const r = await app.inject({ method: 'POST', url: '/v1/permits', headers: { authorization: `Bearer ${T.issuer}` }, payload: thExport('26TH100061', '26US000010') })
        expect(r.statusCode).toBe(503)
        expect(r.json()).toMatchObject({ code: 'IMPORT_PERMIT_CHECK_UNAVAILABLE' })
        expect(await th.node.internals.ledger.status('TH', '26TH100061')).toBeUndefined()
      } finally {
        await app.close()
      }
    } finally {
      th.node.heal()
    }
    await meshFormed([th, us])
    expect((await issueAtTh(thExport('26TH100062', '26US000010'))).state.status).toBe('ISSUED')
  })
})
