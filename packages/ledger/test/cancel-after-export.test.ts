/**
 * Issue 20, finding 6: a permit endorsed at CHZRH (the goods had left) was
 * then cancelled, and the export vanished from CH's annual report. Once Box
 * 14 is endorsed a cancellation is refused (EXPORT_ENDORSED) unless the
 * export is first recorded as not having happened (EXPORT_VOIDED, with why),
 * which stays in the log and the report.
 */
import { describe, expect, it } from 'vitest'
import { annualReport, type Ledger } from '../src/index.js'
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
    expect(report).toContain('26CHX0001')
    expect(report).toMatch(/Python regius.*,45,.*endorsed/)
  })

  it('an export recorded as not having happened may be cancelled, and stays in the report as voided', async () => {
    await ch().issue(chPermit('26CHX0002'))
    await ch().endorse('CH', '26CHX0002', ENDORSE)
    await expect(ch().voidExport('CH', '26CHX0003', 'x')).rejects.toMatchObject({ code: 'PERMIT_NOT_FOUND' })
    const voided = await ch().voidExport('CH', '26CHX0002', 'flight cancelled; the animals never left Zurich')
    expect(voided).toMatchObject({ status: 'ISSUED', voidedExports: [{ port: 'CHZRH', lines: ENDORSE.lines, reason: 'flight cancelled; the animals never left Zurich' }] })
    expect(voided.endorsement).toBeUndefined()
    const cancelled = await ch().cancel('CH', '26CHX0002', 'shipment abandoned')
    expect(cancelled.status).toBe('CANCELLED')
    expect((await ch().getPermit('CH', '26CHX0002'))?.history.map((h) => h.type)).toEqual(['ISSUED', 'EXPORT_ENDORSED', 'EXPORT_VOIDED', 'CANCELLED'])
    const rows = (await annualReport(ch(), 2026)).split('\n').filter((r) => r.includes('26CHX0002'))
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatch(/,45,.*,export voided$/)
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
