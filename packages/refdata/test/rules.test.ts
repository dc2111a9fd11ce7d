// The reference-data rules on real cases. Expected listings were read from
// the shipped snapshot (refdata.test.ts checks them against the SAPI rows):
// Loxodonta africana II for BW, NA, ZA, ZW and I elsewhere from 2007-09-13;
// Python regius II as "Python spp."; Crocodylus niloticus II for e.g. KE,
// TZ, ZW and I for e.g. NG, SN in 2013; a GN suspension of all exports.
import { describe, expect, it } from 'vitest'
import { chPermit } from '@cites/test-kit'
import type { Permit, PermitLine } from '@cites/permit'
import { annotationTerms, checkAgainstReference, loadReferenceData, referenceRefuses, sharedReferenceData } from '../src/index.js'

const rd = sharedReferenceData()
const GRANTED_2013 = '2013-03-01T10:00:00Z'

/** The CH→TH test permit with one line, exported from `exporter`, granted in 2013 unless said. */
function permit (line: Partial<PermitLine>, exporter = 'CH', issueDate = GRANTED_2013): Permit {
  const p = chPermit('13XX000001')
  p.issueDate = issueDate
  p.issuer.address = { ...p.issuer.address, country: exporter }
  p.consignor.address = { ...p.consignor.address, country: exporter }
  p.lines = [{ id: 'A', scientificName: 'Python regius', term: 'LIV', appendix: 'II', source: 'W', quantity: 5, ...line }]
  return p
}
const codes = (p: Permit, o = {}): string[] => checkAgainstReference(p, rd, o).map((x) => `${x.code}:${x.severity}`)

describe('appendix on the date of grant, for the origin\'s population', () => {
  it('an App. II elephant export from KE (App. I population) is refused as APPENDIX_MISMATCH; BW\'s App. II population passes', () => {
    const ke = checkAgainstReference(permit({ scientificName: 'Loxodonta africana', term: 'TUS', appendix: 'II', originCountry: 'KE' }, 'KE'), rd)
    expect(ke).toEqual([expect.objectContaining({ code: 'APPENDIX_MISMATCH', severity: 'error', line: 'A', box: '10' })])
    expect(ke[0]!.message).toContain('Appendix I for the population of KE')
    expect(referenceRefuses(ke)).toBe(true)
    expect(codes(permit({ scientificName: 'Loxodonta africana', term: 'TUS', appendix: 'II', originCountry: 'BW' }, 'BW'))).toEqual([])
    // The origin is Box 12 when given: a BW-origin tusk re-exported from ZA is App. II.
    expect(codes(permit({ scientificName: 'Loxodonta africana', term: 'TUS', appendix: 'I', originCountry: 'BW' }, 'ZA'))).toEqual(['APPENDIX_MISMATCH:error'])
  })

  it('Python regius App. II passes; declared App. I is refused', () => {
    expect(codes(permit({ appendix: 'II' }))).toEqual([])
    expect(codes(permit({ appendix: 'I' }))).toEqual(['APPENDIX_MISMATCH:error'])
  })

  it('Crocodylus niloticus by population: II for TZ and KE, I for NG; the origin (Box 12) decides, not the exporter', () => {
    const croc = (appendix: string, origin: string, exporter = origin): string[] => codes(permit({ scientificName: 'Crocodylus niloticus', term: 'SKI', appendix, originCountry: origin }, exporter))
    expect(croc('II', 'TZ')).toEqual([])
    expect(croc('II', 'KE')).toEqual([])
    expect(croc('II', 'NG')).toEqual(['APPENDIX_MISMATCH:error'])
    expect(croc('I', 'NG')).toEqual([])
    expect(croc('I', 'TZ')).toEqual(['APPENDIX_MISMATCH:error'])
    // Exported by CH (App. I "elsewhere") but of Tanzanian origin: II.
    expect(croc('II', 'TZ', 'CH')).toEqual([])
  })

  it('a permit granted after the snapshot\'s listings only warns (APPENDIX_UNCONFIRMED), naming the snapshot\'s date', () => {
    const ps = checkAgainstReference(permit({ appendix: 'I' }, 'CH', '2026-11-01T09:30:00Z'), rd)
    expect(ps.map((x) => `${x.code}:${x.severity}`)).toEqual(['APPENDIX_UNCONFIRMED:warning'])
    expect(ps[0]!.message).toContain('2013-06-12')
    expect(referenceRefuses(ps)).toBe(false)
    // `on` overrides the issue date.
    expect(codes(permit({ appendix: 'I' }, 'CH', '2026-11-01T09:30:00Z'), { on: '2013-01-10' })).toEqual(['APPENDIX_MISMATCH:error'])
  })
})

describe('names', () => {
  it('a synonym warns naming the accepted name, and is then checked as the accepted taxon', () => {
    const ps = checkAgainstReference(permit({ scientificName: 'Loxodonta cyclotis', term: 'TUS', appendix: 'I', originCountry: 'CM' }, 'CM'), rd)
    expect(ps).toEqual([expect.objectContaining({ code: 'SPECIES_SYNONYM', severity: 'warning', box: '7/8' })])
    expect(ps[0]!.message).toContain('Loxodonta africana')
    expect(codes(permit({ scientificName: 'Loxodonta cyclotis', term: 'TUS', appendix: 'II', originCountry: 'CM' }, 'CM'))).toEqual(['SPECIES_SYNONYM:warning', 'APPENDIX_MISMATCH:error'])
  })

  it('an unknown species only warns: never a refusal by itself', () => {
    const ps = checkAgainstReference(permit({ scientificName: 'Nonexistus inventus', appendix: 'I', source: 'A' }), rd)
    expect(ps.map((x) => `${x.code}:${x.severity}`)).toEqual(['SPECIES_UNKNOWN:warning'])
    expect(referenceRefuses(ps)).toBe(false)
  })
})

describe('suspensions, source, annotations, pairs', () => {
  it('a suspension in force for the exporter warns by default and refuses when the config says refuse', () => {
    const gn = permit({ appendix: 'II' }, 'GN')
    const warned = checkAgainstReference(gn, rd)
    expect(warned).toEqual([expect.objectContaining({ code: 'TRADE_SUSPENDED', severity: 'warning' })])
    expect(warned[0]!.message).toContain('all CITES species')
    expect(codes(gn, { suspensions: 'refuse' })).toEqual(['TRADE_SUSPENDED:error'])
    expect(codes(gn, { suspensions: 'warn' })).toEqual(['TRADE_SUSPENDED:warning'])
    // Not for another exporter.
    expect(codes(permit({ appendix: 'II' }, 'CH'), { suspensions: 'refuse' })).toEqual([])
  })

  it('source A (artificially propagated) on an animal is refused; C on a plant is refused; A on a plant passes', () => {
    expect(codes(permit({ source: 'A' }))).toEqual(['SOURCE_KINGDOM:error'])
    const plant = { scientificName: 'Aquilaria malaccensis', term: 'CHP', unit: 'KGM', appendix: 'II' }
    expect(codes(permit({ ...plant, source: 'C' }))).toEqual(['SOURCE_KINGDOM:error'])
    expect(codes(permit({ ...plant, source: 'A' }))).toEqual([])
  })

  it('a term the # annotation does not designate warns (ginseng #3: roots only)', () => {
    const ginseng = { scientificName: 'Panax quinquefolius', appendix: 'II', source: 'W', unit: 'KGM' }
    expect(codes(permit({ ...ginseng, term: 'ROO' }, 'US'))).toEqual([])
    const ps = checkAgainstReference(permit({ ...ginseng, term: 'POW' }, 'US'), rd)
    expect(ps).toEqual([expect.objectContaining({ code: 'ANNOTATION_NOT_COVERED', severity: 'warning', box: '9' })])
    expect(ps[0]!.message).toContain('CoP14 #3')
    expect(annotationTerms('Designates logs, sawn wood and veneer sheets')).toEqual({ covers: new Set(['LOG', 'SAW', 'VEN']) })
    // Not mapped reliably: nothing is said.
    expect(annotationTerms('Designates timber')).toBeUndefined()
  })

  it('term-unit and term-purpose pairs warn, with the eCITES unit mapped to the Trade Database one first', () => {
    expect(codes(permit({ term: 'LIV', unit: 'PCS' }))).toEqual([])
    expect(codes(permit({ term: 'TUS', scientificName: 'Loxodonta africana', appendix: 'II', originCountry: 'BW', unit: 'CMT' }, 'BW'))).toEqual(['TERM_UNIT_NOT_ALLOWED:warning'])
    // Rec. 20 CTM is the carat: no Trade Database unit.
    expect(codes(permit({ term: 'LIV', unit: 'CTM' }))).toEqual(['TERM_UNIT_NOT_ALLOWED:warning'])
    // Live animals for hunting trophies (H): not a Trade Database pair.
    const p = permit({ term: 'LIV' })
    p.purpose = 'H'
    expect(rd.termPurposeAllowed('LIV', 'H')).toBe(false)
    expect(codes(p)).toEqual(['TERM_PURPOSE_NOT_ALLOWED:warning'])
  })
})

describe('lookups', () => {
  it('taxon() and listing() answers are memoised and frozen: a caller cannot change another\'s answer', () => {
    const a = rd.taxon('Python regius')
    expect(rd.taxon('Python regius')).toBe(a)
    expect(Object.isFrozen(a.synonyms)).toBe(true)
    expect(() => { (a.synonyms as string[]).push('x') }).toThrow()
    expect(rd.listing('Python regius', { on: '2013-01-01' })).toBe(rd.listing('Python regius', { on: '2013-01-01' }))
  })

  it('one loaded snapshot per path per process', () => {
    expect(sharedReferenceData()).toBe(rd)
    expect(loadReferenceData()).not.toBe(rd)
  })
})

describe('pre-Convention certificates (Art. VII(2))', () => {
  const preConvention = (acquired: string): Permit => {
    const p = permit({ scientificName: 'Loxodonta africana', term: 'IVC', appendix: 'I', originCountry: 'KE', acquisitionDate: acquired }, 'CH', '2013-03-01T10:00:00Z')
    p.type = 'O'
    p.certificateType = 'pre-convention'
    return p
  }
  it('an ivory carving acquired in 1975, before the elephant was first listed (App. III, 1976-02-26), passes', () => {
    expect(codes(preConvention('1975-06-01')).filter((c) => c.startsWith('PRE_CONVENTION'))).toEqual([])
  })
  it('one acquired in 1980, when the elephant was already in Appendix II, is refused: PRE_CONVENTION_AFTER_LISTING', () => {
    const problems = checkAgainstReference(preConvention('1980-01-01'), rd).filter((x) => x.code === 'PRE_CONVENTION_AFTER_LISTING')
    expect(problems).toEqual([expect.objectContaining({ severity: 'error', box: '12b', line: 'A' })])
    expect(problems[0]!.message).toContain('Appendix II (from 1977-02-04)')
    // The same date on a document that is not a pre-Convention certificate says nothing.
    const other = preConvention('1980-01-01')
    other.certificateType = 'captive-bred'
    expect(codes(other).filter((c) => c.startsWith('PRE_CONVENTION'))).toEqual([])
  })
})
