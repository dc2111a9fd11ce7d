/**
 * Issue 14: every document type. Box 1 "other" split into its certificate
 * kinds, each with its validity counted from the date of grant; the
 * pre-Convention acquisition date; texts in several languages; the
 * Appendix I rules fixed.
 */
import { describe, expect, it } from 'vitest'
import { checkPermit, importPermit, maxValidityMonths, permitFromJson, permitFromJsonText, readPermitXml, writePermitXml, type Permit, type RuleProblem } from '../src/index.js'
import { readVector } from '@cites/test-kit/base'

const vector = (name: string): Permit => permitFromJsonText(readVector(`permits/${name}.json`))
const errors = (ps: RuleProblem[]): string[] => ps.filter((p) => p.severity === 'error').map((p) => p.code)
const roundTrip = (p: Permit): Permit => readPermitXml(writePermitXml(p)).permit

describe('document types: Box 1 "other" split into certificate kinds', () => {
  it('the musical-instrument and pre-Convention vectors pass the rules', () => {
    expect(errors(checkPermit(vector('ch-musical-instrument')))).toEqual([])
    expect(errors(checkPermit(vector('ch-pre-convention')))).toEqual([])
  })

  it('a 3-year musical-instrument certificate is accepted while a 3-year export permit is refused', () => {
    const mi = vector('ch-musical-instrument')
    expect(errors(checkPermit(mi))).not.toContain('VALIDITY_TOO_LONG')
    const e = vector('ch-export-th')
    e.issueDate = mi.issueDate!; e.validFrom = mi.validFrom!; e.validUntil = mi.validUntil!
    expect(errors(checkPermit(e))).toEqual(['VALIDITY_TOO_LONG'])
    // and a day past three years is too long for the certificate too
    mi.validUntil = '2029-11-16T00:00:00Z'
    expect(errors(checkPermit(mi))).toEqual(['VALIDITY_TOO_LONG'])
  })

  it('gives each kind its validity: 6 months for Art. VII certificates, 12 for origin and sea, 36 for the travelling ones, 12 for an O of no kind', () => {
    expect(maxValidityMonths('E')).toBe(6)
    expect(maxValidityMonths('R')).toBe(6)
    expect(maxValidityMonths('I')).toBe(12)
    expect(maxValidityMonths('O')).toBe(12)
    expect(maxValidityMonths('O', 'pre-convention')).toBe(6)
    expect(maxValidityMonths('O', 'captive-bred')).toBe(6)
    expect(maxValidityMonths('O', 'origin')).toBe(12)
    expect(maxValidityMonths('O', 'introduction-from-the-sea')).toBe(12)
    expect(maxValidityMonths('O', 'musical-instrument')).toBe(36)
    expect(maxValidityMonths('O', 'travelling-exhibition')).toBe(36)
    expect(maxValidityMonths('O', 'personal-ownership')).toBe(36)
    // a kind on an export permit does not lengthen it
    expect(maxValidityMonths('E', 'musical-instrument')).toBe(6)
  })

  it('stops a backdated grant: validity counts from the date of grant, not from a later Box 2 start', () => {
    const e = vector('ch-export-th')
    e.issueDate = '2026-01-01T09:00:00Z'
    e.validFrom = '2026-03-01T00:00:00Z'
    e.validUntil = '2026-08-15T00:00:00Z' // 5.5 months from Box 2's start, 7.5 from the grant
    expect(errors(checkPermit(e))).toEqual(['VALIDITY_TOO_LONG'])
    expect(checkPermit(e).find((p) => p.code === 'VALIDITY_TOO_LONG')?.message).toMatch(/from the date of grant/)
    e.validUntil = '2026-07-01T09:00:00Z'
    expect(errors(checkPermit(e))).toEqual([])
    // no issue date: Box 2's start is all there is
    delete e.issueDate
    e.validUntil = '2026-08-15T00:00:00Z'
    expect(errors(checkPermit(e))).toEqual([])
  })

  it('an old O document without a kind still reads and checks with its 12 months', () => {
    const o = vector('ch-musical-instrument')
    delete o.certificateType
    o.consignee.address!.country = 'TH'
    o.validUntil = '2027-11-14T23:59:59Z'
    const back = roundTrip(o)
    expect(back.type).toBe('O')
    expect(back.certificateType).toBeUndefined()
    expect(errors(checkPermit(back))).toEqual([])
    back.validUntil = '2027-11-16T00:00:00Z'
    expect(errors(checkPermit(back))).toEqual(['VALIDITY_TOO_LONG'])
  })

  it('carries the kind as the document name in the XML, read back in English, French or Spanish', () => {
    const mi = vector('ch-musical-instrument')
    const xml = writePermitXml(mi)
    expect(xml).toContain('<ram:Name languageID="EN">Musical instrument certificate</ram:Name>')
    expect(xml).toContain('<ram:TypeCode>O</ram:TypeCode>')
    expect(roundTrip(mi).certificateType).toBe('musical-instrument')
    const fr = xml.replace('<ram:Name languageID="EN">Musical instrument certificate</ram:Name>', '<ram:Name languageID="FR">Certificat pour instrument de musique</ram:Name>')
    expect(readPermitXml(fr).permit.certificateType).toBe('musical-instrument')
    const es = xml.replace('<ram:Name languageID="EN">Musical instrument certificate</ram:Name>', '<ram:Name languageID="ES">Certificado de exhibición itinerante</ram:Name>')
    expect(readPermitXml(es).permit.certificateType).toBe('travelling-exhibition')
    // a name on an export permit is not a certificate kind
    const e = vector('ch-export-th')
    expect(roundTrip(e).certificateType).toBeUndefined()
  })

  it('refuses an unknown kind, and a kind on an export permit (CERTIFICATE_TYPE_INVALID)', () => {
    const o = vector('ch-musical-instrument')
    o.certificateType = 'magic-carpet'
    expect(errors(checkPermit(o))).toContain('CERTIFICATE_TYPE_INVALID')
    const e = vector('ch-export-th')
    e.certificateType = 'musical-instrument'
    expect(errors(checkPermit(e))).toEqual(['CERTIFICATE_TYPE_INVALID'])
  })
})

describe('pre-Convention acquisition date (Box 12b)', () => {
  it('round-trips the acquisition date through the XML and the JSON form', () => {
    const pc = vector('ch-pre-convention')
    const xml = writePermitXml(pc)
    expect(xml).toContain('<ram:AcquisitionDateTime>1975-06-01</ram:AcquisitionDateTime>')
    const back = roundTrip(pc)
    expect(back.lines[0]!.acquisitionDate).toBe('1975-06-01')
    expect(back).toEqual(pc)
    expect(permitFromJson(JSON.parse(JSON.stringify(back)))).toEqual(pc)
  })

  it('refuses a pre-Convention certificate without an acquisition date (ACQUISITION_DATE_MISSING), and a date that is not one', () => {
    const pc = vector('ch-pre-convention')
    delete pc.lines[0]!.acquisitionDate
    expect(checkPermit(pc).map((p) => [p.code, p.box, p.line])).toEqual([['ACQUISITION_DATE_MISSING', '12b', 'A']])
    pc.lines[0]!.acquisitionDate = 'before 1975'
    expect(errors(checkPermit(pc))).toEqual(['DATE_INVALID'])
  })

  it('reads the element from the EPIX v2 sample, where it stands on every line (empty there: absent)', () => {
    const xml = readVector('epix/v2-get-non-final-cites-certificate.xml')
    expect(importPermit(xml).permit.lines.map((l) => l.acquisitionDate)).toEqual([undefined, undefined])
    const filled = xml.replace('<urn1:AcquisitionDateTime></urn1:AcquisitionDateTime>', '<urn1:AcquisitionDateTime>1972-01-15T00:00:00.000+01:00</urn1:AcquisitionDateTime>')
    expect(importPermit(filled).permit.lines.map((l) => l.acquisitionDate)).toEqual(['1972-01-15T00:00:00.000+01:00', undefined])
  })
})

describe('texts in several languages (languageID)', () => {
  it('round-trips every language of names, descriptions and special conditions, not only the first', () => {
    const mi = vector('ch-musical-instrument')
    const xml = writePermitXml(mi)
    expect(xml).toContain('<ram:CommonName languageID="EN">Brazilian rosewood</ram:CommonName>')
    expect(xml).toContain('<ram:CommonName languageID="FR">Palissandre du Brésil</ram:CommonName>')
    expect(xml).toContain('<ram:Description languageID="ES">Guitarra clásica, fondo y aros de palisandro</ram:Description>')
    expect(xml).toMatch(/<ram:Information languageID="FR">Valable pour/)
    const back = roundTrip(mi)
    expect(back).toEqual(mi)
    expect(back.conditionLanguages).toEqual(['EN', 'FR', 'ES'])
    expect(back.lines[0]!.languages).toEqual({ commonName: 'EN', description: 'EN' })
  })

  it('keeps the EPIX sample\'s languages, and a text without one stays without', () => {
    const { permit } = importPermit(readVector('epix/v2-get-non-final-cites-certificate.xml'))
    expect(permit.conditionLanguages).toEqual(['EN'])
    expect(permit.lines[0]!.languages).toEqual({ commonName: 'EN', description: 'EN', marks: 'EN' })
    const e = vector('ch-export-th')
    const back = roundTrip(e)
    expect(back.conditionLanguages).toBeUndefined()
    expect(back.lines[0]!.languages).toBeUndefined()
  })
})

describe('Appendix I rules', () => {
  const appendixI = (p: Permit, source = 'W', term = 'LIV'): Permit => {
    for (const l of p.lines) { l.appendix = 'I'; l.source = source; l.term = term }
    return p
  }

  it('still refuses an Appendix I export permit without its import permit', () => {
    expect(errors(checkPermit(appendixI(vector('ch-export-th'), 'C')))).toEqual(['APPENDIX_I_IMPORT_PERMIT_MISSING'])
  })

  it('does not ask an import permit for source D (Art. VII(4))', () => {
    expect(errors(checkPermit(appendixI(vector('ch-export-th'), 'D')))).toEqual([])
  })

  it('does not ask an import permit for an Art. VII(5) captive-breeding certificate', () => {
    const c = appendixI(vector('ch-export-th'), 'C')
    c.type = 'O'; c.certificateType = 'captive-bred'
    expect(errors(checkPermit(c))).toEqual([])
  })

  it('stops a live Appendix I re-export without its import permit (Art. III(4)(c))', () => {
    const r = appendixI(vector('ch-export-th'), 'C')
    r.type = 'R'
    for (const l of r.lines) l.lastReexport = { id: 'FR1202501030-R' }
    expect(errors(checkPermit(r))).toEqual(['APPENDIX_I_IMPORT_PERMIT_MISSING'])
    r.references = [{ id: '26TH000007', typeCode: 'I' }]
    expect(errors(checkPermit(r))).toEqual([])
    // a dead specimen's re-export needs none
    delete r.references
    for (const l of r.lines) { l.term = 'SKI'; l.unit = 'PCS' }
    expect(errors(checkPermit(r))).toEqual([])
  })

  it('stops a commercial import of a wild Appendix I specimen (APPENDIX_I_COMMERCIAL_WILD), wild or from the sea', () => {
    const i = appendixI(vector('th-import-ch'), 'W')
    i.purpose = 'T'
    expect(errors(checkPermit(i))).toContain('APPENDIX_I_COMMERCIAL_WILD')
    expect(checkPermit(i).filter((p) => p.code === 'APPENDIX_I_COMMERCIAL_WILD').map((p) => [p.box, p.line])).toEqual(i.lines.map((l) => ['5a', l.id]))
    for (const l of i.lines) l.source = 'X'
    expect(errors(checkPermit(i))).toContain('APPENDIX_I_COMMERCIAL_WILD')
    // captive-bred, or not commercial: no such refusal
    for (const l of i.lines) l.source = 'C'
    expect(errors(checkPermit(i))).not.toContain('APPENDIX_I_COMMERCIAL_WILD')
    for (const l of i.lines) l.source = 'W'
    i.purpose = 'S'
    expect(errors(checkPermit(i))).not.toContain('APPENDIX_I_COMMERCIAL_WILD')
  })
})
