/**
 * Issue 20, finding 6: a permit endorsed at CHZRH (the goods had left) was
 * then cancelled, and the export vanished from CH's annual report. Once Box
 * 14 is endorsed a cancellation is refused (EXPORT_ENDORSED) unless the
 * export is first recorded as not having happened (EXPORT_VOIDED, with why),
 * which stays in the log. The annual report (issue 14) reports actual trade
 * from Box 14: a voided export is not trade, so it has no row.
 */
import { describe, expect, it } from 'vitest'
import { annualReport, annualReportCsv, type Ledger } from '../src/index.js'
import { NOW, chPermit, ledgerPerTest } from './kit.js'

const ENDORSE = { lines: [{ line: 'A', quantity: 45, unit: 'PCS' }], port: 'CHZRH' }

describe('cancelling after export', () => {
  const t = ledgerPerTest('CH')
  const ch = (): Ledger => t.ledger

  it('an exported permit cannot be cancelled out of the annual report', async () => {
    await ch().issue(chPermit('26CHX0001'))
    await ch().endorse('CH', '26CHX0001', ENDORSE)
    await expect(ch().cancel('CH', '26CHX0001', 'issued in error')).rejects.toMatchObject({ code: 'EXPORT_ENDORSED' })
    expect((await ch().status('CH', '26CHX0001'))?.status).toBe('ENDORSED')
    const report = await annualReport(ch(), 2026)
    expect(report.exports).toEqual([expect.objectContaining({ export_permit: '26CHX0001', species_name: 'Python regius', quantity: 45 })])
    expect(annualReportCsv(report, 'exports')).toContain('26CHX0001')
  })

  it('an export recorded as not having happened may be cancelled; it stays in the log, and the report has no row for it', async () => {
    await ch().issue(chPermit('26CHX0002'))
    await ch().endorse('CH', '26CHX0002', ENDORSE)
    await expect(ch().voidExport('CH', '26CHX0003', 'x')).rejects.toMatchObject({ code: 'PERMIT_NOT_FOUND' })
    const voided = await ch().voidExport('CH', '26CHX0002', 'flight cancelled; the animals never left Zurich')
    expect(voided).toMatchObject({ status: 'ISSUED', voidedExports: [{ port: 'CHZRH', lines: ENDORSE.lines, reason: 'flight cancelled; the animals never left Zurich' }] })
    expect(voided.endorsement).toBeUndefined()
    const cancelled = await ch().cancel('CH', '26CHX0002', 'shipment abandoned')
    expect(cancelled.status).toBe('CANCELLED')
    expect((await ch().getPermit('CH', '26CHX0002'))?.history.map((h) => h.type)).toEqual(['ISSUED', 'EXPORT_ENDORSED', 'EXPORT_VOIDED', 'CANCELLED'])
    const report = await annualReport(ch(), 2026)
    expect(report.exports).toEqual([])
    expect(report.leftOut).toEqual([])
  })

  it('only an endorsed, unused permit has an export to void', async () => {
    await ch().issue(chPermit('26CHX0004'))
    await expect(ch().voidExport('CH', '26CHX0004', 'x')).rejects.toMatchObject({ code: 'NOT_ENDORSED' })
    await ch().endorse('CH', '26CHX0004', ENDORSE)
    await ch().consume('CH', '26CHX0004', { lines: ENDORSE.lines, port: 'THBKK' })
    await expect(ch().voidExport('CH', '26CHX0004', 'x')).rejects.toMatchObject({ code: 'ALREADY_CONSUMED' })
    await expect(ch().voidExport('TH', '26TH0001', 'x')).rejects.toMatchObject({ code: 'NOT_ISSUER' })
  })
})
