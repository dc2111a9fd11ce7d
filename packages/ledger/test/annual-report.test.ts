/**
 * Issue 14, "Annual report": the report followed the Trade Database's
 * download layout, mixed exports and imports in one file, took exporter rows
 * from the importer's use, and wrote unit names the Trade Database does not
 * know. It is now the upload template, in two files, exporter rows from the
 * exporter's own Box 14, and every row passes the Trade Database's code
 * tables and pairs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  EventType, decodeEvent, EXPORTS_COLUMNS, IMPORTS_COLUMNS, REPORT_TEMPLATE_COLUMNS, annualReport, annualReportCsv, annualReportFileName, type Ledger, type PaperPermit
} from '../src/index.js'
import { NOW, chPermit, openLedger, tempDir, type Clock } from './kit.js'
import { vectorPermit } from '@cites/test-kit'
import { acceptedRows, rowProblems } from './trade-database.js'

const JAN_2027 = Date.parse('2027-01-10T10:00:00Z')

const PAPER: PaperPermit = {
  id: 'pp_aaaaaaaaaa', kind: 'import', partner: 'MG', permit: 'MG-2026-0191', importPermit: '26TH000900', species: 'Python regius', term: 'LIV',
  quantity: 6, unit: '', source: 'C', purpose: 'T', appendix: 'II', year: 2026, recorded: '2026-12-01T00:00:00.000Z'
}

describe('the annual report in the Trade Database upload template', () => {
  let dirs: Array<ReturnType<typeof tempDir>>
  let ch: Ledger
  let th: Ledger
  const clock: Clock = { now: NOW }
  beforeAll(async () => {
    dirs = [tempDir('ch'), tempDir('th')]
    ch = await openLedger('CH', dirs[0]!.path, clock)
    th = await openLedger('TH', dirs[1]!.path, clock)
    // 1: 48 of 50 pythons endorsed at export, 47 used at import (one died on the way).
    await ch.issue(chPermit('26CHR00001'))
    await ch.endorse('CH', '26CHR00001', { lines: [{ line: 'A', quantity: 48, unit: 'PCS' }, { line: 'B', quantity: 100, unit: '' }], port: 'CHZRH' })
    await ch.consume('CH', '26CHR00001', { lines: [{ line: 'A', quantity: 47, unit: 'PCS' }], port: 'THBKK' })
    // 2: endorsed only.
    await ch.issue(chPermit('26CHR00002'))
    await ch.endorse('CH', '26CHR00002', { lines: [{ line: 'B', quantity: 7, unit: '' }], port: 'CHGVA' })
    // 3: never used; 4: cancelled.
    await ch.issue(chPermit('26CHR00003'))
    await ch.issue(chPermit('26CHR00004'))
    await ch.cancel('CH', '26CHR00004', 'withdrawn by applicant')
    // 5: skins in kilograms (Rec. 20 KGM), citing TH's import permit; endorsed and used.
    const skins = chPermit('26CHR00005')
    skins.references = [{ id: '26TH000777', typeCode: 'I' }]
    skins.lines = [{ ...skins.lines[0]!, term: 'SKI', unit: 'KGM', quantity: 12.5, description: 'skins' }]
    await ch.issue(skins)
    await ch.endorse('CH', '26CHR00005', { lines: [{ line: 'A', quantity: 12.5, unit: 'KGM' }], port: 'CHZRH' })
    await ch.consume('CH', '26CHR00005', { lines: [{ line: 'A', quantity: 12.5, unit: 'KGM' }], port: 'THBKK' })
    // 6: used at import with Box 14 empty.
    await ch.issue(chPermit('26CHR00006'))
    await ch.consume('CH', '26CHR00006', { lines: [{ line: 'A', quantity: 5, unit: 'PCS' }], port: 'THBKK' })
    // 7: endorsed in January 2027: next year's report.
    await ch.issue(chPermit('26CHR00007'))
    clock.now = JAN_2027
    await ch.endorse('CH', '26CHR00007', { lines: [{ line: 'A', quantity: 20, unit: 'PCS' }], port: 'CHZRH' })
    clock.now = NOW
    const events = await ch.eventsFrom('CH', 1)
    await th.acceptEvents(events)
    // TH is the destination: it holds the documents delivered to it (r17), whose import permit references its import rows cite.
    for (const le of events.map((b) => decodeEvent(b)).filter((e) => e.event.type === EventType.ISSUED)) {
      await th.putDocument(le, (await ch.document('CH', le.event.permitNumber))!)
    }
  })
  afterAll(async () => { await ch.close(); await th.close(); for (const d of dirs) d.cleanup() })

  it('writes the template\'s columns in its order; the exports file has no import_permit column', async () => {
    expect(REPORT_TEMPLATE_COLUMNS).toEqual(['appendix', 'species_name', 'term_code', 'quantity', 'unit_code', 'trading_partner', 'country_of_origin', 'import_permit', 'export_permit', 'origin_permit', 'ifs_permit', 'purpose_code', 'source_code', 'year'])
    const r = await annualReport(ch, 2026)
    expect(annualReportCsv(r, 'exports').split('\n')[0]).toBe('appendix,species_name,term_code,quantity,unit_code,trading_partner,country_of_origin,export_permit,origin_permit,ifs_permit,purpose_code,source_code,year')
    expect(annualReportCsv(r, 'imports').split('\n')[0]).toBe(IMPORTS_COLUMNS.join(','))
    expect(EXPORTS_COLUMNS).not.toContain('import_permit')
    expect(annualReportFileName('CH', 2026, 'exports')).toBe('cites-annual-report-CH-2026-exports.csv')
  })

  it('takes exporter rows from the exporter\'s own Box 14 (48 endorsed of 50, not the 47 used), in the endorsement\'s year', async () => {
    const r = await annualReport(ch, 2026)
    const rows = acceptedRows(annualReportCsv(r, 'exports'), 'exports', 'CH')
    expect(rows.map((x) => [x.export_permit, x.species_name, x.quantity, x.unit_code, x.year])).toEqual(expect.arrayContaining([
      ['26CHR00001', 'Python regius', '48', '', '2026'],
      ['26CHR00001', 'Dendrobates tinctorius', '100', '', '2026'],
      ['26CHR00002', 'Dendrobates tinctorius', '7', '', '2026'],
      ['26CHR00005', 'Python regius', '12.5', 'KIL', '2026']
    ]))
    expect(rows).toHaveLength(4) // not 3 (never used), 4 (cancelled), 6 (no Box 14), 7 (endorsed in 2027)
    expect(rows[0]).toMatchObject({ appendix: 'II', term_code: 'LIV', trading_partner: 'TH', country_of_origin: '', purpose_code: 'T', source_code: 'C' })
    const next = acceptedRows(annualReportCsv(await annualReport(ch, 2027), 'exports'), 'exports', 'CH')
    expect(next.map((x) => [x.export_permit, x.quantity, x.year])).toEqual([['26CHR00007', '20', '2027']])
    expect((await annualReport(ch, 2025)).exports).toEqual([])
  })

  it('leaves an export used without Box 14 out of the exporter\'s file, and says so', async () => {
    const r = await annualReport(ch, 2026)
    expect(r.exports.some((x) => x.export_permit === '26CHR00006')).toBe(false)
    expect(r.leftOut).toEqual([expect.objectContaining({ kind: 'exports', number: '26CHR00006', line: 'A', code: 'NOT_ENDORSED_AT_EXPORT' })])
  })

  it('writes import rows from the uses into the importer, with both the import and the export permit numbers', async () => {
    const r = await annualReport(th, 2026)
    expect(r.exports).toEqual([])
    const rows = acceptedRows(annualReportCsv(r, 'imports'), 'imports', 'TH')
    expect(rows.map((x) => [x.export_permit, x.import_permit, x.species_name, x.term_code, x.quantity, x.unit_code, x.trading_partner])).toEqual(expect.arrayContaining([
      ['26CHR00001', '', 'Python regius', 'LIV', '47', '', 'CH'],
      ['26CHR00005', '26TH000777', 'Python regius', 'SKI', '12.5', 'KIL', 'CH'],
      ['26CHR00006', '', 'Python regius', 'LIV', '5', '', 'CH']
    ]))
    expect(rows).toHaveLength(3)
    // CH's file does not count TH's imports.
    expect((await annualReport(ch, 2026)).imports).toEqual([])
  })

  it('adds a paper permit of a party not on the network to the file of its kind and year', async () => {
    const { importPermit: _none, ...base } = PAPER
    const exported: PaperPermit = { ...base, id: 'pp_bbbbbbbbbb', kind: 'export', permit: 'TH-P-2026-3', origin: 'CH', originPermit: '26CHR00001', quantity: 2 }
    const r = await annualReport(th, 2026, { paper: [PAPER, exported, { ...PAPER, id: 'pp_cccccccccc', year: 2025 }] })
    const imports = acceptedRows(annualReportCsv(r, 'imports'), 'imports', 'TH')
    expect(imports.filter((x) => x.trading_partner === 'MG')).toEqual([expect.objectContaining({ export_permit: 'MG-2026-0191', import_permit: '26TH000900', quantity: '6', unit_code: '', year: '2026' })])
    const exports = acceptedRows(annualReportCsv(r, 'exports'), 'exports', 'TH')
    expect(exports).toEqual([expect.objectContaining({ export_permit: 'TH-P-2026-3', trading_partner: 'MG', country_of_origin: 'CH', origin_permit: '26CHR00001', quantity: '2' })])
  })

  it('the row check can fail: the old unit labels and a carat as CTM are refused', async () => {
    const [row] = acceptedRows(annualReportCsv(await annualReport(ch, 2026), 'exports'), 'exports', 'CH')
    expect(rowProblems(row!, 'exports', 'CH')).toEqual([])
    expect(rowProblems({ ...row!, unit_code: 'PCS' }, 'exports', 'CH')).toEqual(['term LIV with unit "PCS" is not an allowed pair'])
    expect(rowProblems({ ...row!, unit_code: 'Number of specimens' }, 'exports', 'CH')).toContain('unit "Number of specimens" is not a Trade Database unit')
    // A carat written as CTM reads as centimetres: not a unit for live animals (nor for any term the carat is for).
    expect(rowProblems({ ...row!, unit_code: 'CTM' }, 'exports', 'CH')).toEqual(['term LIV with unit "CTM" is not an allowed pair'])
    expect(rowProblems({ ...row!, country_of_origin: 'CH' }, 'exports', 'CH')).toEqual(['country_of_origin is the exporter'])
    expect(rowProblems({ ...row!, term_code: 'LIVE' }, 'exports', 'CH')).toContain('term "LIVE" is not a Trade Database term')
  })
})

describe('a multi-use certificate in the annual report: every crossing is trade', () => {
  it('a travelling instrument that left CH twice in a year is two export rows at CH, each to the country it entered, and an import row at TH', async () => {
    const dirs = [tempDir('mi-ch'), tempDir('mi-th')]
    const clock: Clock = { now: NOW }
    const ch = await openLedger('CH', dirs[0]!.path, clock)
    const th = await openLedger('TH', dirs[1]!.path, clock)
    try {
      const cert = vectorPermit('ch-musical-instrument')
      delete cert.issueDate
      await ch.issue(cert)
      const one = [{ line: 'A', quantity: 1, unit: '' }]
      for (const [exit, entry, into] of [['CHGVA', 'THBKK', 'TH'], ['CHZRH', 'FRCDG', 'FR']] as const) {
        clock.now += 86_400_000
        await ch.endorse('CH', cert.number, { lines: one, port: exit })
        clock.now += 3_600_000
        await ch.consume('CH', cert.number, { lines: one, port: entry, consumingParty: into })
      }
      const exports = acceptedRows(annualReportCsv(await annualReport(ch, 2026), 'exports'), 'exports', 'CH')
      expect(exports.map((x) => [x.export_permit, x.trading_partner, x.quantity])).toEqual([[cert.number, 'TH', '1'], [cert.number, 'FR', '1']])
      await th.acceptEvents(await ch.eventsFrom('CH', 1))
      const imports = acceptedRows(annualReportCsv(await annualReport(th, 2026), 'imports'), 'imports', 'TH')
      expect(imports.map((x) => [x.export_permit, x.trading_partner])).toEqual([[cert.number, 'CH']])
    } finally {
      await ch.close(); await th.close(); for (const d of dirs) d.cleanup()
    }
  })
})
