import { describe, expect, it } from 'vitest'
import { checkPermit, passesRules, permitFromJsonText, type Permit, type RuleProblem } from '../src/index.js'
import { readVector } from '@cites/test-kit/base'

const base = (): Permit => permitFromJsonText(readVector('permits/ch-export-th.json'))
const codes = (ps: RuleProblem[]) => ps.filter((p) => p.severity === 'error').map((p) => p.code)

describe('CITES rule checks', () => {
  it('the vector permit passes', () => {
    expect(checkPermit(base())).toEqual([])
  })

  it('returns every problem at once, each with its code and box', () => {
    const p = base()
    p.type = 'X'
    p.purpose = 'K'
    p.lines[0]!.appendix = 'IV'
    p.lines[0]!.source = 'Q'
    p.lines[0]!.term = 'ZZZ'
    p.lines[0]!.unit = 'furlongs'
    p.lines[1]!.quantity = -3
    const ps = checkPermit(p)
    expect(ps.map((x) => [x.code, x.box, x.line])).toEqual(expect.arrayContaining([
      ['TYPE_INVALID', '1', undefined],
      ['PURPOSE_INVALID', '5a', undefined],
      ['APPENDIX_INVALID', '10', 'A'],
      ['SOURCE_INVALID', '10', 'A'],
      ['TERM_INVALID', '9', 'A'],
      ['UNIT_INVALID', '11', 'A'],
      ['QUANTITY_NOT_POSITIVE', '11', 'B']
    ]))
    expect(passesRules(ps)).toBe(false)
  })

  it('limits an export permit to 6 months and an import permit to 12', () => {
    const e = base()
    e.issueDate = '2026-01-01T00:00:00Z'; e.validFrom = '2026-01-01T00:00:00Z'; e.validUntil = '2026-07-02T00:00:00Z'
    expect(codes(checkPermit(e))).toContain('VALIDITY_TOO_LONG')
    e.validUntil = '2026-07-01T00:00:00Z'
    expect(codes(checkPermit(e))).not.toContain('VALIDITY_TOO_LONG')

    const i = base()
    i.type = 'I'; i.issuer.address!.country = 'TH'
    i.issueDate = '2026-01-01'; i.validFrom = '2026-01-01'; i.validUntil = '2026-12-31'
    expect(codes(checkPermit(i))).toEqual([])
    i.validUntil = '2027-01-02'
    expect(codes(checkPermit(i))).toContain('VALIDITY_TOO_LONG')

    const r = base()
    r.type = 'R'
    for (const l of r.lines) l.lastReexport = { id: 'FR-1' }
    r.issueDate = '2026-01-01'; r.validFrom = '2026-01-01'; r.validUntil = '2026-08-01'
    expect(codes(checkPermit(r))).toEqual(['VALIDITY_TOO_LONG'])
  })

  it('refuses an end before the start, missing and malformed dates', () => {
    const p = base()
    p.validUntil = '2026-10-01T00:00:00Z'
    expect(codes(checkPermit(p))).toContain('VALIDITY_END_BEFORE_START')
    delete p.validUntil
    expect(codes(checkPermit(p))).toContain('VALIDITY_MISSING')
    p.validUntil = 'next tuesday'
    expect(codes(checkPermit(p))).toContain('DATE_INVALID')
  })

  it('requires an Appendix I export to reference its import permit', () => {
    const p = base()
    p.lines[0]!.appendix = 'I'
    expect(codes(checkPermit(p))).toEqual(['APPENDIX_I_IMPORT_PERMIT_MISSING'])
    p.references = [{ id: '26TH-IMP-7', typeCode: 'I' }]
    expect(codes(checkPermit(p))).toEqual([])
  })

  it('requires each re-export line to give its origin or last re-export document', () => {
    const p = base()
    p.type = 'R'
    expect(codes(checkPermit(p))).toEqual(['REEXPORT_ORIGIN_MISSING', 'REEXPORT_ORIGIN_MISSING'])
    p.lines[0]!.originPermit = { id: 'ZW-1' }
    p.lines[1]!.lastReexport = { id: 'FR-2' }
    expect(codes(checkPermit(p))).toEqual([])
  })

  it('checks ISO 3166 codes and refuses consignor and consignee in one country', () => {
    const p = base()
    p.consignee.address!.country = 'ZZ'
    expect(codes(checkPermit(p))).toContain('COUNTRY_INVALID')
    p.consignee.address!.country = 'CH'
    expect(codes(checkPermit(p))).toContain('SAME_COUNTRY')
    p.consignee.address!.country = 'EU'
    expect(codes(checkPermit(p))).toEqual([])
    delete p.consignee.address
    expect(codes(checkPermit(p))).toContain('COUNTRY_MISSING')
  })

  it('refuses an export permit whose issuer is not in the exporting country', () => {
    const p = base()
    p.issuer.address!.country = 'FR'
    expect(codes(checkPermit(p))).toEqual(['ISSUER_COUNTRY_MISMATCH'])
  })

  it('requires a replacement to give the number it replaces', () => {
    const p = base()
    p.replacement = { replaces: '', reason: 'lost' }
    expect(codes(checkPermit(p))).toEqual(['REPLACEMENT_NUMBER_MISSING'])
    p.replacement.replaces = '26CH000041'
    expect(codes(checkPermit(p))).toEqual([])
  })

  it('refuses zero, negative and non-finite quantities, and exports above Box 11', () => {
    const p = base()
    p.lines[0]!.quantity = 0
    p.lines[1]!.exportedQuantity = 500
    expect(codes(checkPermit(p))).toEqual(['QUANTITY_NOT_POSITIVE', 'EXPORTED_EXCEEDS_AUTHORISED'])
    delete p.lines[0]!.quantity
    expect(codes(checkPermit(p))).toContain('QUANTITY_MISSING')
  })

  it('needs a number, lines, line letters and species', () => {
    const p = base()
    p.number = ''
    p.lines[1]!.id = 'A'
    p.lines[1]!.scientificName = ''
    expect(codes(checkPermit(p))).toEqual(['NUMBER_MISSING', 'LINE_ID_INVALID', 'SPECIES_MISSING'])
    p.lines = []
    expect(codes(checkPermit(p))).toContain('LINES_MISSING')
  })
})
