import { describe, expect, it } from 'vitest'
import { importPermit, checkPermit, passesRules, readPermitXml, PermitNotFoundError } from '../src/index.js'
import { readVector } from '@cites/test-kit/base'

describe('EPIX v2 sample (SOAP envelope, unqualified CITESEPermit root)', () => {
  const { permit, format } = importPermit(readVector('epix/v2-get-non-final-cites-certificate.xml'))

  it('is detected as Toolkit v2', () => { expect(format).toBe('ecites-v2') })

  it('reads the header: number, type, purpose, validity, conditions', () => {
    expect(permit.number).toBe('XA000000')
    expect(permit.type).toBe('R')
    expect(permit.purpose).toBe('T')
    expect(permit.copy).toBe(false)
    expect(permit.issueDate).toBe('2014-01-06T12:03:52.00+01:00')
    expect(permit.validFrom).toBe('2014-01-06T12:03:52.000+01:00')
    expect(permit.validUntil).toBe('2014-07-05T12:03:52.000+02:00')
    expect(permit.conditions?.[0]).toMatch(/^For live animals, this permit is only valid/)
    expect(permit.securityStamp).toBeUndefined() // the sample leaves Box 5b empty
  })

  it('reads the issuing MA and both parties with their countries', () => {
    expect(permit.issuer.name).toBe('Authority name')
    expect(permit.issuer.address?.country).toBe('XA')
    expect(permit.consignor.name).toBe('Consignor name')
    expect(permit.consignor.address?.country).toBe('XA')
    expect(permit.consignor.address?.countryName).toBe('Neverland')
    expect(permit.consignee.name).toBe('Consignee name')
    expect(permit.consignee.address?.country).toBe('XB')
    expect(permit.consignee.address?.countryName).toBe('Wonderland')
  })

  it('reads every line: species, appendix, source, term, quantity, unit, origin and last re-export', () => {
    expect(permit.lines).toHaveLength(2)
    const [a, b] = permit.lines
    expect(a).toMatchObject({
      id: 'A', scientificName: 'Alligator mississippiensis', commonName: 'American Alligator', description: 'watchstraps',
      appendix: 'II', source: 'W', term: 'LPS', quantity: 5, unit: 'PCS', originCountry: 'XC', exportCountry: 'XA', marks: 'XXX',
      originPermit: { id: 'XC12345', issueDate: '2007-07-09T00:00:00.000+02:00' },
      lastReexport: { id: 'XA12345', issueDate: '2012-02-23T00:00:00.000+01:00' }
    })
    expect(b).toMatchObject({
      id: 'B', scientificName: 'Crocodylus siamensis', commonName: 'Siamese Crocodile', description: 'watchstraps',
      appendix: 'I', source: 'D', term: 'LPS', quantity: 10, unit: 'PCS', originCountry: 'TH', exportCountry: 'FR',
      originPermit: { issueDate: '2007-07-09T00:00:00.000+02:00' },
      lastReexport: { id: 'FR1202501030-R', issueDate: '2012-02-23T00:00:00.000+01:00' }
    })
    // "?" placeholders and empty Box 14 elements read as absent
    expect(a?.exportedQuantity).toBeUndefined()
    expect(a?.exportedUnit).toBeUndefined()
    expect(permit.endorsement).toBeUndefined()
  })

  it('passes the rules, warning only about the user-assigned XA/XB/XC codes', () => {
    const problems = checkPermit(permit)
    expect(passesRules(problems)).toBe(true)
    expect(new Set(problems.map((p) => p.code))).toEqual(new Set(['COUNTRY_USER_ASSIGNED']))
    expect(passesRules(checkPermit(permit, { allowUserAssignedCountries: false }))).toBe(false)
  })
})

describe('EPIX v1 sample (CBFShip)', () => {
  it('reads the same permit as the v2 sample, through v1 element names', () => {
    const v1 = importPermit(readVector('epix/v1-get-non-final-cites-certificate.xml'))
    const v2 = importPermit(readVector('epix/v2-get-non-final-cites-certificate.xml'))
    expect(v1.format).toBe('ecites-v1')
    // v1 puts the country under CountryIdentificationTradeCountry
    expect(v1.permit.issuer.address?.country).toBe('XA')
    expect(v1.permit.consignee.address?.country).toBe('XB')
    // the v1 sample has no shipping marks and no languageID at all; everything else matches v2
    const strip = ({ conditionLanguages: _c, ...p }: typeof v2.permit) => ({ ...p, lines: p.lines.map(({ marks: _m, languages: _l, ...l }) => l) })
    expect(strip(v1.permit)).toEqual(strip(v2.permit))
  })
})

describe('root detection', () => {
  it('reads a bare, namespace-qualified root', () => {
    const xml = '<r:CITESEPermit xmlns:r="urn:un:unece:uncefact:data:standard:CITESEPermit:2" xmlns:a="urn:x"><r:HeaderExchangedDocument><a:ID>N1</a:ID><a:TypeCode>E</a:TypeCode></r:HeaderExchangedDocument></r:CITESEPermit>'
    const r = readPermitXml(xml)
    expect(r.version).toBe(2)
    expect(r.permit.number).toBe('N1')
  })

  it('refuses a document with no permit in it, with PERMIT_NOT_FOUND', () => {
    expect(() => readPermitXml('<Envelope><Body><Other/></Body></Envelope>')).toThrow(PermitNotFoundError)
    try { readPermitXml('<x/>') } catch (e) { expect((e as PermitNotFoundError).code).toBe('PERMIT_NOT_FOUND') }
  })
})
