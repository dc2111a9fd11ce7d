// Reference data on real cases. Expected values were read from the SAPI CSV
// files in shared/refdata/sapi (animalia_legislation_utf8.csv rows for
// Loxodonta africana RecID 12392 and Crocodylus niloticus RecID 5664, the
// genus Python RecID 4171, the pairs and code files), not from memory.
import { describe, expect, it } from 'vitest'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from '@cites/test-kit/base'
import {
  DateInvalidError, ImportInvalidError, SnapshotUnreadableError, encodeSnapshot, importSpeciesPlusListings, loadReferenceData,
  readSnapshotFile, rec20ToTradeUnit, tradeUnitToRec20, SHIPPED_SNAPSHOT, SPECIES_PLUS_COLUMNS
} from '../src/index.js'

const rd = loadReferenceData()
const ON_2013 = '2013-03-01'

describe('the shipped snapshot', () => {
  it('is dated, sourced and licensed, and every answer carries its date', () => {
    expect(rd.snapshotDate).toBe('2013-09-02')
    expect(rd.snapshot.source).toContain('86a35391c4ae2f70b0e688f5c61755bf147c272f')
    expect(rd.snapshot.licence).toContain('BSD')
    expect(readFileSync(join(SHIPPED_SNAPSHOT, '..', 'LICENSE'), 'utf8')).toContain('Copyright (c) 2013, UNEP-WCMC')
    expect(rd.taxon('Python regius').snapshotDate).toBe('2013-06-12')
    expect(rd.listing('Python regius', { on: ON_2013 }).snapshotDate).toBe('2013-06-12')
    expect(rd.quotas('Python regius').snapshotDate).toBe('2013-09-02')
    expect(rd.suspensions('Python regius').snapshotDate).toBe('2013-09-02')
  })
})

describe('taxonomy', () => {
  it('resolves a synonym to its accepted name, flagged (Loxodonta cyclotis is a synonym of L. africana in the 2013 Checklist)', () => {
    const t = rd.taxon('loxodonta  CYCLOTIS')
    expect(t).toMatchObject({ found: true, isSynonym: true, name: 'Loxodonta africana', rank: 'SPECIES', kingdom: 'Animalia' })
    expect(rd.taxon('Loxodonta africana')).toMatchObject({ found: true, isSynonym: false, synonyms: ['Loxodonta cyclotis'] })
  })

  it('gives rank, kingdom and higher taxa of an accepted name', () => {
    const t = rd.taxon('Python regius')
    expect(t).toMatchObject({ found: true, name: 'Python regius', rank: 'SPECIES', kingdom: 'Animalia', author: '(Shaw, 1802)' })
    expect(t.higher).toMatchObject({ genus: 'Python', family: 'Pythonidae', order: 'Serpentes', class: 'Reptilia' })
    expect(t.synonyms).toContain('Boa regia')
  })

  it('says an unknown name is not found, and finds no listing for it', () => {
    expect(rd.taxon('Nonexistus inventus')).toMatchObject({ found: false, name: '', isSynonym: false })
    expect(rd.listing('Nonexistus inventus', { on: ON_2013 })).toMatchObject({ found: false, appendix: null })
    expect(rd.quotas('Nonexistus inventus').quotas).toEqual([])
  })
})

describe('listings by date and population', () => {
  it('Loxodonta africana on a 2013 date: Appendix II for BW, NA, ZA and ZW, Appendix I elsewhere', () => {
    for (const party of ['BW', 'NA', 'ZA', 'ZW']) {
      expect(rd.listing('Loxodonta africana', { on: ON_2013, party })).toMatchObject({ appendix: 'II', effectiveFrom: '2007-09-13', populations: ['BW', 'NA', 'ZA', 'ZW'] })
    }
    for (const party of ['KE', 'TZ', 'CM', undefined]) {
      expect(rd.listing('Loxodonta africana', { on: ON_2013, ...(party !== undefined ? { party } : {}) })).toMatchObject({ appendix: 'I', excludedPopulations: ['BW', 'NA', 'ZA', 'ZW'] })
    }
    const l = rd.listing('Loxodonta africana', { on: ON_2013, party: 'BW' })
    expect(l.split).toEqual([{ appendix: 'I', excludedPopulations: ['BW', 'NA', 'ZA', 'ZW'] }, { appendix: 'II', populations: ['BW', 'NA', 'ZA', 'ZW'] }])
    expect(l.annotation?.short).toEqual({ en: 'Populations of BW, NA, ZA, ZW', fr: 'Populations de BW, NA, ZA, ZW', es: 'Poblaciones de BW, NA, ZA, ZW' })
    expect(l.annotation?.full).toContain('for the exclusive purpose of allowing')
    expect(l.afterSnapshot).toBe(false)
  })

  it('Loxodonta africana follows its history: ZA was Appendix I before 19 July 2000 and II from then', () => {
    expect(rd.listing('Loxodonta africana', { on: '1999-01-01', party: 'ZA' }).appendix).toBe('I')
    expect(rd.listing('Loxodonta africana', { on: '2000-07-19', party: 'ZA' }).appendix).toBe('II')
    expect(rd.listing('Loxodonta africana', { on: '1980-01-01', party: 'BW' }).appendix).toBe('II')
    expect(rd.listing('Loxodonta africana', { on: '1990-01-18', party: 'BW' }).appendix).toBe('I')
  })

  it('Python regius is Appendix II through the genus listing (included in Pythonidae spp.)', () => {
    expect(rd.listing('Python regius', { on: ON_2013, party: 'GH' })).toMatchObject({ appendix: 'II', listedUnder: 'Python spp.', includedIn: 'Pythonidae spp.', effectiveFrom: '1977-02-04' })
    expect(rd.listing('Python regius', { on: '2020-01-01' }).afterSnapshot).toBe(true)
  })

  it('Crocodylus niloticus: the 13 Appendix II populations of CoP15 (2010), Appendix I elsewhere, with the TZ quota annotation', () => {
    const two = ['BW', 'EG', 'ET', 'KE', 'MG', 'MW', 'MZ', 'NA', 'TZ', 'UG', 'ZA', 'ZM', 'ZW']
    for (const party of two) expect(rd.listing('Crocodylus niloticus', { on: ON_2013, party }).appendix).toBe('II')
    for (const party of ['SD', 'CM', 'SN', 'SO']) expect(rd.listing('Crocodylus niloticus', { on: ON_2013, party }).appendix).toBe('I')
    expect(rd.listing('Crocodylus niloticus', { on: ON_2013, party: 'TZ' }).annotation?.short?.en).toContain('1,600')
    // Egypt's population was transferred to II at CoP15: Appendix I before.
    expect(rd.listing('Crocodylus niloticus', { on: '2009-01-01', party: 'EG' }).appendix).toBe('I')
  })

  it('Crocodylus niloticus, July 1992: an amendment restating only Appendix I leaves the Appendix II populations where they were', () => {
    // 11/06/1992: II for UG, ZA ...; 11/07/1992: only an App. I row (all but UG, ZA ...).
    expect(rd.listing('Crocodylus niloticus', { on: '1993-01-01', party: 'UG' })).toMatchObject({ appendix: 'II', effectiveFrom: '1992-06-11' })
    expect(rd.listing('Crocodylus niloticus', { on: '1993-01-01', party: 'SD' })).toMatchObject({ appendix: 'I', effectiveFrom: '1992-07-11' })
  })

  it('Appendix III: the listing party, then the deletion when the species went to II (Loxodonta africana, Ghana 1976-1977)', () => {
    expect(rd.listing('Loxodonta africana', { on: '1976-06-01', party: 'GH' })).toMatchObject({ appendix: 'III', appendixIIIParties: ['GH'] })
    expect(rd.listing('Loxodonta africana', { on: '1977-03-01', party: 'GH' })).toMatchObject({ appendix: 'II' })
  })

  it('refuses a date that is not YYYY-MM-DD', () => {
    expect(() => rd.listing('Python regius', { on: '01/03/2013' })).toThrow(DateInvalidError)
  })
})

describe('quotas and suspensions', () => {
  it('Crocodylus niloticus 2013 quotas of Tanzania: 1,600 wild, 40 live captive-bred, 400 ranched', () => {
    const q = rd.quotas('Crocodylus niloticus', { party: 'TZ', year: 2013 }).quotas
    expect(q.map((x) => [x.quota, x.terms, x.sources])).toEqual(expect.arrayContaining([[1600, [], ['W']], [40, ['LIV'], ['C']], [400, [], ['R']]]))
    expect(q.every((x) => x.unit === '' && x.year === 2013)).toBe(true)
  })

  it('a suspension for all CITES species of a party covers every taxon; one for a class covers its members only', () => {
    const s = rd.suspensions('Python regius', { party: 'AR' }).suspensions
    expect(s.some((x) => x.taxon === 'Reptilia' && x.current)).toBe(true)
    expect(rd.suspensions('Loxodonta africana', { party: 'AR' }).suspensions.some((x) => x.taxon === 'Reptilia')).toBe(false)
    expect(rd.suspensions('Python regius', { party: 'GN' }).suspensions.some((x) => x.taxon === '' && x.notes === 'All exports.')).toBe(true)
  })
})

describe('code tables and pairs', () => {
  it('names terms, units, purposes, sources and countries in English, French and Spanish', () => {
    expect(rd.terms.get('LIV')).toEqual({ code: 'LIV', en: 'live', fr: 'vivant', es: 'vivo' })
    expect(rd.units.get('CTM')).toEqual({ code: 'CTM', en: 'cm', fr: 'cm', es: 'centímetros' })
    expect(rd.purposes.get('T')).toEqual({ code: 'T', en: 'Commercial', fr: 'Transaction commerciale', es: 'Comercial' })
    expect(rd.sources.get('W')?.fr).toBe('Prélevés dans la nature')
    expect(rd.countries.get('ZA')).toMatchObject({ fr: 'Afrique du Sud', es: 'Sudáfrica' })
    expect(rd.countries.get('ZA')?.en).toBe('South Africa')
  })

  it('checks term-unit pairs from the Trade Database table (blank unit = number of specimens)', () => {
    expect(rd.termUnitAllowed('LIV', '')).toBe(true)
    expect(rd.termUnitAllowed('LIV', 'KIL')).toBe(true)
    expect(rd.termUnitAllowed('TIM', 'CUM')).toBe(true)
    expect(rd.termUnitAllowed('LIV', 'SQM')).toBe(false)
    expect(rd.termUnitAllowed('LIV', 'CTM')).toBe(false)
  })

  it('checks term-purpose pairs from the Trade Database table', () => {
    expect(rd.termPurposeAllowed('TRO', 'H')).toBe(true)
    expect(rd.termPurposeAllowed('LIV', 'T')).toBe(true)
    expect(rd.termPurposeAllowed('LIV', 'H')).toBe(false)
  })
})

describe('the eCITES (Rec. 20) to Trade Database unit mapping', () => {
  it('maps both ways: CMT <-> CTM, KGM <-> KIL, GRM <-> GRM, count <-> blank', () => {
    const pairs: Array<[string, string]> = [['CMT', 'CTM'], ['KGM', 'KIL'], ['GRM', 'GRM'], ['MTQ', 'CUM'], ['MTK', 'SQM'], ['PR', 'PAI'], ['', '']]
    for (const [rec20, td] of pairs) {
      expect(rec20ToTradeUnit(rec20)).toBe(td)
      expect(tradeUnitToRec20(td)).toBe(rec20)
    }
  })

  it('never reads Trade Database CTM (centimetre) as Rec. 20 CTM (carat), nor the reverse', () => {
    expect(tradeUnitToRec20('CTM')).toBe('CMT')
    expect(rec20ToTradeUnit('CTM')).toBeUndefined()
  })

  it('reads every eCITES count spelling @cites/permit accepts as the blank Trade Database unit, and TD PCS (pieces) as no count', () => {
    for (const u of [undefined, '', 'PCS', 'NAR', 'H87', 'C62']) expect(rec20ToTradeUnit(u)).toBe('')
    expect(rec20ToTradeUnit('kg')).toBe('KIL')
    expect(rec20ToTradeUnit('cm')).toBe('CTM')
    expect(tradeUnitToRec20('PCS')).toBeUndefined()
  })

  it('maps every Trade Database unit in the shipped table, or says it has no Rec. 20 unit', () => {
    for (const code of rd.units.keys()) {
      const rec20 = tradeUnitToRec20(code)
      if (rec20 !== undefined) expect(rec20ToTradeUnit(rec20)).toBe(code)
    }
    expect([...rd.units.keys()].filter((c) => tradeUnitToRec20(c) !== undefined).length).toBeGreaterThanOrEqual(24)
  })
})

describe('Species+ import', () => {
  // Synthetic rows in the real column layout of the Species+ "CITES listings" export.
  const header = [...SPECIES_PLUS_COLUMNS, 'All_DistributionFullNames', 'All_DistributionISOCodes']
  const rows = [
    ['1', 'Animalia', 'Chordata', 'Reptilia', 'Serpentes', 'Pythonidae', 'Python', 'regius', '', 'Python regius', '(Shaw, 1802)', 'SPECIES', 'II', '', 'Python spp.', '', '', 'Ghana', 'GH'],
    ['2', 'Animalia', 'Chordata', 'Mammalia', 'Proboscidea', 'Elephantidae', 'Loxodonta', 'africana', '', 'Loxodonta africana', '(Blumenbach, 1797)', 'SPECIES', 'I/II', '', 'Loxodonta africana', 'Included in Appendix I, except the populations of Botswana, Namibia, South Africa and Zimbabwe, which are included in Appendix II.', '', 'Botswana', 'BW'],
    ['3', 'Animalia', 'Chordata', 'Mammalia', 'Carnivora', 'Viverridae', 'Testviverra', 'fictiva', '', 'Testviverra fictiva', 'Synthetic, 2024', 'SPECIES', 'III', 'India', 'Testviverra fictiva', '', '', 'India', 'IN'],
    ['4', 'Plantae', '', '', 'Sapindales', 'Meliaceae', 'Testcedrela', 'synthetica', '', 'Testcedrela synthetica', 'Synthetic', 'SPECIES', 'II', '', 'Testcedrela synthetica', '', '#5 Logs, sawn wood and veneer sheets.', 'Peru', 'PE']
  ]
  const csv = [header, ...rows].map((r) => r.map((c) => /[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c).join(',')).join('\r\n') + '\r\n'

  it('writes a snapshot that loads: its date, taxa, listings, App. III party, # annotation, and the base\'s quotas carried by name', () => {
    const dir = tempDir('refdata')
    try {
      const file = join(dir.path, 'cites_listings.csv')
      writeFileSync(file, '\ufeff' + csv)
      const r = importSpeciesPlusListings(file, { date: '2024-11-01', base: readSnapshotFile(SHIPPED_SNAPSHOT) })
      expect(r.listed).toBe(4)
      const out = join(dir.path, 'new.json.gz')
      writeFileSync(out, encodeSnapshot(r.snapshot))
      const fresh = loadReferenceData(out)
      expect(fresh.snapshotDate).toBe('2024-11-01')
      expect(fresh.taxon('Python regius')).toMatchObject({ found: true, kingdom: 'Animalia', snapshotDate: '2024-11-01', higher: { family: 'Pythonidae' } })
      expect(fresh.listing('Python regius', { on: '2024-12-01' })).toMatchObject({ appendix: 'II', effectiveFrom: '2024-11-01', afterSnapshot: true })
      // Before the export's date the new snapshot knows nothing (it has no history).
      expect(fresh.listing('Python regius', { on: '2013-01-01' }).appendix).toBeNull()
      expect(fresh.listing('Testviverra fictiva', { on: '2024-11-01' })).toMatchObject({ appendix: 'III', appendixIIIParties: ['IN'] })
      expect(fresh.listing('Testcedrela synthetica', { on: '2024-11-01' }).annotation?.hash).toEqual({ mark: 'S+ #5', text: '#5 Logs, sawn wood and veneer sheets.' })
      // "I/II" without machine-readable populations: no guess, the note instead.
      const lox = fresh.listing('Loxodonta africana', { on: '2024-11-01', party: 'BW' })
      expect(lox).toMatchObject({ appendix: null, splitUndetermined: ['I', 'II'] })
      expect(lox.annotation?.full).toContain('Botswana')
      // Quotas and code tables come from the base, with their own (2013) date.
      expect(fresh.quotas('Loxodonta africana', { party: 'BW', year: 2013 })).toMatchObject({ snapshotDate: '2013-09-02' })
      expect(fresh.quotas('Loxodonta africana', { party: 'BW', year: 2013 }).quotas.length).toBeGreaterThan(0)
      expect(fresh.terms.get('LIV')?.es).toBe('vivo')
      // Deterministic: the same input gives the same bytes.
      const again = importSpeciesPlusListings(file, { date: '2024-11-01', base: readSnapshotFile(SHIPPED_SNAPSHOT) })
      expect(encodeSnapshot(again.snapshot).equals(encodeSnapshot(r.snapshot))).toBe(true)
    } finally {
      dir.cleanup()
    }
  })

  it('refuses a CSV without the export\'s columns, and a snapshot file that is not one', () => {
    const dir = tempDir('refdata')
    try {
      const bad = join(dir.path, 'bad.csv')
      writeFileSync(bad, 'Name,Appendix\nPython regius,II\n')
      expect(() => importSpeciesPlusListings(bad, { date: '2024-11-01', base: rd.snapshot })).toThrow(ImportInvalidError)
      expect(() => loadReferenceData(bad)).toThrow(SnapshotUnreadableError)
    } finally {
      dir.cleanup()
    }
  })
})
