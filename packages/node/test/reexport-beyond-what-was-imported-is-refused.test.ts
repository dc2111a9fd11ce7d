/**
 * Issue 14 #6: a re-export needed only "some reference string": nothing tied
 * it to a used origin permit or capped it at what was imported. The EPIX v2
 * sample (protocol-spec/vectors/epix/, UNEP-WCMC, MIT licence: see LICENSE
 * there) is a re-export whose line B, 10 small leather products of
 * Crocodylus siamensis of Thai origin, cites the French re-export certificate
 * FR1202501030-R. Replayed as a chain on real TH, FR and CH nodes: TH's
 * export to FR, used at FR; FR's re-export FR1202501030-R citing it passes,
 * a second beyond what was imported is refused (REEXPORT_EXCEEDS_IMPORTED);
 * FR's certificate used at CH; then the sample itself, issued by CH (for the
 * sample's user-assigned XA), passes with line B checked and line A (citing
 * XA12345 of a party not on the network) unchecked, with a warning.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importPermit, type Permit, type PermitLine } from '@cites/permit'
import { readVector, vectorPermit, waitFor } from '@cites/test-kit'
import { buildHttpApi, hashToken } from '../src/index.js'
import { authorities, basePort, meshFormed, startPermitNode, stopAll, trustListXml, type TestNode } from './kit.js'

const CROC = 'Crocodylus siamensis'
/** Line B of the EPIX v2 sample: what travels along the chain. */
const SAMPLE = importPermit(readVector('epix/v2-get-non-final-cites-certificate.xml')).permit
const LINE_B = SAMPLE.lines.find((l) => l.id === 'B')!

const party = (country: string, name: string): Permit['issuer'] => ({ name, address: { country } })

/** A permit of `type` from `from` to `to`, on the vector's dates (the node's clock is in them). */
function permit (type: 'E' | 'R' | 'I', number: string, from: string, to: string, lines: PermitLine[], references: Permit['references'] = []): Permit {
  const { issueDate: _i, signatory: _s, ...p } = vectorPermit('ch-export-th')
  return {
    ...p, type, number, purpose: 'T', securityStamp: `SS-${number}`, references,
    issuer: party(type === 'I' ? to : from, 'Management Authority'),
    consignor: party(from, 'Exporter'), consignee: party(to, 'Importer'),
    lines
  }
}
const crocLine = (quantity: number, extra: Partial<PermitLine> = {}): PermitLine =>
  ({ id: 'A', scientificName: CROC, term: LINE_B.term!, appendix: 'I', source: LINE_B.source!, quantity, unit: 'PCS', originCountry: 'TH', ...extra })

describe('a re-export is tied to the permit its specimens were imported under, and capped at what was imported', () => {
  let th: TestNode
  let fr: TestNode
  let ch: TestNode
  const ORIGIN = '26TH000100'

  beforeAll(async () => {
    const list = await authorities(['TH', 'FR', 'CH'], basePort())
    const xml = await trustListXml(list)
    th = await startPermitNode(list[0]!, xml)
    fr = await startPermitNode(list[1]!, xml)
    ch = await startPermitNode(list[2]!, xml)
    await meshFormed([th, fr, ch])
    // The origin: FR's import permit (Appendix I), TH's export of 16 citing it, used at FR.
    await fr.node.issue(permit('I', '26FR000001', 'TH', 'FR', [crocLine(16)]))
    await th.node.issue(permit('E', ORIGIN, 'TH', 'FR', [crocLine(16)], [{ id: '26FR000001', typeCode: 'I' }]))
    await waitFor(async () => (await fr.node.internals.ledger.status('TH', ORIGIN)) !== undefined, { timeoutMs: 20_000, what: 'TH\'s export at FR' })
    const used = await fr.node.consume('TH', ORIGIN, { lines: [{ line: 'A', quantity: 16, unit: 'PCS' }], port: 'FRCDG' })
    expect(used.outcome).toBe('CONSUMED')
  }, 90_000)
  afterAll(async () => { await stopAll([th, fr, ch]) })

  /** FR's re-export to CH of `quantity` of the crocodile leather, citing `origin` (Box 12). */
  const frReexport = (number: string, quantity: number, origin = ORIGIN, extra: Partial<PermitLine> = {}): Permit =>
    permit('R', number, 'FR', 'CH', [crocLine(quantity, { originPermit: { id: origin, typeCode: '861' }, ...extra })])

  it('the EPIX French re-export FR1202501030-R, citing the Thai export used at FR, passes with no warning', async () => {
    const r = await fr.node.issue(frReexport('FR1202501030-R', 10))
    expect(r.state.number).toBe('FR1202501030R')
    expect(r.warnings).toEqual([])
  })

  it('a second re-export beyond what was imported is refused: REEXPORT_EXCEEDS_IMPORTED (422), with the balance', async () => {
    await expect(fr.node.issue(frReexport('26FR000003', 7))).rejects.toMatchObject({
      code: 'REEXPORT_EXCEEDS_IMPORTED', balance: { origin: `TH/${ORIGIN}`, imported: 16, reexportedBefore: 10, requested: 7 }
    })
    expect(await fr.node.internals.ledger.status('FR', '26FR000003')).toBeUndefined()
    const T = { issuer: 'i-token' }
    const { app } = await buildHttpApi(fr.node, { tokens: { issuer: hashToken(T.issuer) }, logger: false })
    try {
      const r = await app.inject({ method: 'POST', url: '/v1/permits', headers: { authorization: `Bearer ${T.issuer}` }, payload: frReexport('26FR000003', 7) })
      expect(r.statusCode).toBe(422)
      expect(r.json()).toMatchObject({ code: 'REEXPORT_EXCEEDS_IMPORTED', balance: { imported: 16, reexportedBefore: 10 } })
    } finally {
      await app.close()
    }
    // The rest (6) passes; a cancelled re-export gives its quantity back.
    await fr.node.issue(frReexport('26FR000004', 6))
    await expect(fr.node.issue(frReexport('26FR000005', 1))).rejects.toMatchObject({ code: 'REEXPORT_EXCEEDS_IMPORTED', balance: { reexportedBefore: 16 } })
    await fr.node.cancel('FR', '26FR000004', 'the buyer withdrew')
    await fr.node.issue(frReexport('26FR000005', 6))
  })

  it('a re-export citing a permit used into another party (TH to CH, used at CH) is refused: REEXPORT_ORIGIN_OTHER_PARTY', async () => {
    const python: PermitLine = { id: 'A', scientificName: 'Python regius', term: 'LIV', appendix: 'II', source: 'C', quantity: 5, unit: 'PCS', originCountry: 'TH' }
    await th.node.issue(permit('E', '26TH000200', 'TH', 'CH', [python]))
    await waitFor(async () => (await ch.node.internals.ledger.status('TH', '26TH000200')) !== undefined, { timeoutMs: 20_000, what: 'TH\'s export at CH' })
    expect((await ch.node.consume('TH', '26TH000200', { lines: [{ line: 'A', quantity: 5, unit: 'PCS' }], port: 'CHZRH' })).outcome).toBe('CONSUMED')
    const citing = permit('R', '26FR000010', 'FR', 'CH', [{ ...python, originPermit: { id: '26TH000200', typeCode: '861' } }])
    await expect(fr.node.issue(citing)).rejects.toMatchObject({ code: 'REEXPORT_ORIGIN_OTHER_PARTY' })
    // One for FR, not used yet: nothing was imported under it.
    await th.node.issue(permit('E', '26TH000201', 'TH', 'FR', [python]))
    await expect(fr.node.issue(permit('R', '26FR000011', 'FR', 'CH', [{ ...python, originPermit: { id: '26TH000201', typeCode: '861' } }]))).rejects.toMatchObject({ code: 'REEXPORT_ORIGIN_NOT_USED' })
    // Another species than the cited permit's.
    await expect(fr.node.issue(permit('R', '26FR000012', 'FR', 'CH', [{ ...python, originPermit: { id: ORIGIN, typeCode: '861' } }]))).rejects.toMatchObject({ code: 'REEXPORT_ORIGIN_SPECIES_MISMATCH' })
  })

  it('the EPIX sample itself, re-exported by CH after FR1202501030-R was used there: line B is checked, line A (XA not on the network) is a warning', async () => {
    await waitFor(async () => (await ch.node.internals.ledger.status('FR', 'FR1202501030R')) !== undefined, { timeoutMs: 20_000, what: 'FR\'s re-export at CH' })
    expect((await ch.node.consume('FR', 'FR1202501030-R', { lines: [{ line: 'A', quantity: 10, unit: 'PCS' }], port: 'CHZRH' })).outcome).toBe('CONSUMED')
    const { issueDate: _i, signatory: _s, ...sample } = SAMPLE
    const v = vectorPermit('ch-export-th')
    const asCh: Permit = {
      ...sample, number: '26CH000900', validFrom: v.validFrom!, validUntil: v.validUntil!,
      issuer: party('CH', 'Management Authority'), consignor: party('CH', 'Re-exporter')
    }
    const r = await ch.node.issue(asCh)
    expect(r.warnings).toMatchObject([{ code: 'REEXPORT_ORIGIN_UNCHECKED' }])
    expect(r.warnings[0]?.message).toContain('XA is not on the network')
    // Beyond what FR's certificate brought in (10): refused.
    const more: Permit = { ...asCh, number: '26CH000901', lines: asCh.lines.filter((l) => l.id === 'B').map((l) => ({ ...l, quantity: 1 })) }
    await expect(ch.node.issue(more)).rejects.toMatchObject({ code: 'REEXPORT_EXCEEDS_IMPORTED', balance: { origin: 'FR/FR1202501030R', imported: 10, reexportedBefore: 10 } })
  })
})
