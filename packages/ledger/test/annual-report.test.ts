import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ANNUAL_REPORT_COLUMNS, annualReport, type Ledger } from '../src/index.js'
import { chPermit, openLedger, tempDir } from './kit.js'

describe('CITES annual trade report', () => {
  let dirs: Array<ReturnType<typeof tempDir>>
  let ch: Ledger
  let th: Ledger
  beforeAll(async () => {
    dirs = [tempDir('ch'), tempDir('th')]
    ch = await openLedger('CH', dirs[0]!.path)
    th = await openLedger('TH', dirs[1]!.path)
    await ch.issue(chPermit('26CHR00001')) // endorsed, then consumed
    await ch.endorse('CH', '26CHR00001', { lines: [{ line: 'A', quantity: 45, unit: 'PCS' }, { line: 'B', quantity: 100, unit: '' }], port: 'CHZRH' })
    await ch.consume('CH', '26CHR00001', { lines: [{ line: 'A', quantity: 44, unit: 'PCS' }], port: 'THBKK' })
    await ch.issue(chPermit('26CHR00002')) // endorsed only
    await ch.endorse('CH', '26CHR00002', { lines: [{ line: 'B', quantity: 7, unit: '' }], port: 'CHGVA' })
    await ch.issue(chPermit('26CHR00003')) // never used
    await ch.issue(chPermit('26CHR00004')) // cancelled
    await ch.cancel('CH', '26CHR00004', 'withdrawn by applicant')
    await th.acceptEvents(await ch.eventsFrom('CH', 1))
  })
  afterAll(async () => { await ch.close(); await th.close(); for (const d of dirs) d.cleanup() })

  const rows = (csv: string): Array<Record<string, string>> => {
    const [head, ...lines] = csv.trim().split('\n')
    const cols = head!.split(',')
    return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])))
  }

  it('writes the exporter\'s rows: one per shipped line, with the quantity actually traded', async () => {
    const csv = await annualReport(ch, 2026)
    expect(csv.split('\n')[0]).toBe(ANNUAL_REPORT_COLUMNS.join(','))
    const r = rows(csv)
    expect(r.map((x) => [x['Export.permit'], x.Taxon, x.Quantity, x['Quantity.basis'], x['Reporter.type']])).toEqual(expect.arrayContaining([
      ['26CHR00001', 'Python regius', '44', 'consumed', 'E'],
      ['26CHR00001', 'Dendrobates tinctorius', '100', 'endorsed', 'E'],
      ['26CHR00002', 'Dendrobates tinctorius', '7', 'endorsed', 'E']
    ]))
    expect(r).toHaveLength(3)
    expect(r[0]).toMatchObject({ Year: '2026', Appendix: 'II', Term: 'LIV', Importer: 'TH', Exporter: 'CH', Purpose: 'T', Source: 'C' })
  })

  it('writes the importer\'s rows from the replicated log', async () => {
    const r = rows(await annualReport(th, 2026))
    expect(r.map((x) => [x['Export.permit'], x.Taxon, x.Quantity, x['Reporter.type']])).toEqual([['26CHR00001', 'Python regius', '44', 'I']])
  })

  it('includes unused permits with the authorised quantity only when asked; other years are empty', async () => {
    const r = rows(await annualReport(ch, 2026, { includeUnused: true }))
    expect(r.filter((x) => x['Export.permit'] === '26CHR00003').map((x) => [x.Quantity, x['Quantity.basis']])).toEqual([['50', 'authorised'], ['120', 'authorised']])
    expect(r.some((x) => x['Export.permit'] === '26CHR00004')).toBe(false)
    expect(rows(await annualReport(ch, 2025))).toEqual([])
  })
})
