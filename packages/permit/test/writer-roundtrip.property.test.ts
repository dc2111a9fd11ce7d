import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { readPermitXml, writePermitXml, permitFromJsonText, type Permit } from '../src/index.js'
import { readVector } from '@cites/test-kit/base'

// Text as a back-office system would send it: printable, XML-safe, no
// leading/trailing blanks (the reader trims), including markup characters
// that the writer must escape.
const word = fc.stringMatching(/^[A-Za-z0-9&<>"' ./:;,()\-\u00e9\u4e2d\n]{1,24}$/).map((s) => s.trim()).filter((s) => s !== '')
const token = fc.stringMatching(/^[A-Z0-9-]{1,12}$/)
const date = fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString())
const qty = fc.oneof(fc.integer({ min: 1, max: 1_000_000 }), fc.double({ min: 0.001, max: 1e9, noNaN: true, noDefaultInfinity: true }))
const country = fc.constantFrom('CH', 'TH', 'FR', 'CN', 'US', 'XA', 'ZW')

// An empty object carries nothing and is not written, so it is never generated
// (the JSON form drops empty optional objects the same way).
const nonEmpty = <T extends object>(a: fc.Arbitrary<T>) => a.filter((o) => Object.keys(o).length > 0)
const address = nonEmpty(fc.record({ street: word, city: word, postcode: token, country, countryName: word }, { requiredKeys: [] }))
const party = fc.record({ name: word, address }, { requiredKeys: [] })
const ref = fc.record({ id: token, issueDate: date }, { requiredKeys: ['id'] })
const line = fc.record({
  id: fc.constantFrom('A', 'B', 'C', 'D'),
  scientificName: word,
  commonName: word,
  description: word,
  term: fc.constantFrom('LIV', 'SKI', 'LPS'),
  appendix: fc.constantFrom('I', 'II', 'III'),
  source: fc.constantFrom('W', 'C', 'D'),
  quantity: qty,
  unit: fc.constantFrom('PCS', 'kg', 'g'),
  quotaUsed: qty,
  quotaAnnual: qty,
  originCountry: country,
  originPermit: ref,
  exportCountry: country,
  lastReexport: ref,
  exported: fc.record({ exportedQuantity: qty, exportedUnit: fc.constantFrom('PCS', 'kg') }, { requiredKeys: ['exportedQuantity'] }),
  marks: word,
  // Repeated elements (issue 20): after the first, each kept in order, with its language.
  moreOriginPermits: fc.array(ref, { minLength: 1, maxLength: 3 }),
  moreLastReexports: fc.array(ref, { minLength: 1, maxLength: 3 }),
  moreCommonNames: fc.array(fc.record({ text: word, language: fc.constantFrom('EN', 'FR') }, { requiredKeys: ['text'] }), { minLength: 1, maxLength: 3 }),
  moreDescriptions: fc.array(fc.record({ text: word, language: fc.constantFrom('EN', 'ES') }, { requiredKeys: ['text'] }), { minLength: 1, maxLength: 3 }),
  moreMarks: fc.array(fc.record({ text: word }, { requiredKeys: ['text'] }), { minLength: 1, maxLength: 3 })
}, { requiredKeys: ['id', 'scientificName'] })
  // A further element is written after the first: without a first, it would read back as the first.
  .map((l) => {
    if (l.originPermit === undefined) delete l.moreOriginPermits
    if (l.lastReexport === undefined) delete l.moreLastReexports
    if (l.commonName === undefined) delete l.moreCommonNames
    if (l.description === undefined) delete l.moreDescriptions
    if (l.marks === undefined) delete l.moreMarks
    return l
  })
  // A unit is only written beside its quantity, so generate them together.
  .map(({ exported, ...l }) => ({ ...l, ...exported }))
  .map((l) => { if (l.quantity === undefined) delete l.unit; return l })

const permitArb: fc.Arbitrary<Permit> = fc.record({
  number: token,
  type: fc.constantFrom('E', 'I', 'R', 'O'),
  validFrom: date,
  validUntil: date,
  issueDate: date,
  copy: fc.boolean(),
  purpose: fc.constantFrom('T', 'Z', 'S'),
  conditions: fc.array(word.filter((s) => !s.startsWith('Replaces:')), { minLength: 1, maxLength: 3 }),
  securityStamp: token,
  issuer: party,
  consignee: party,
  consignor: party,
  signatory: fc.record({ name: word, place: word, date }, { requiredKeys: ['name'] }),
  references: fc.array(fc.record({ id: token, typeCode: fc.constantFrom('I', 'E'), issueDate: date }, { requiredKeys: ['id', 'typeCode'] }), { minLength: 1, maxLength: 2 }),
  replacement: fc.record({ replaces: token, reason: fc.constantFrom('lost', 'stolen', 'damaged', 'error'), details: word }, { requiredKeys: ['replaces'] }),
  transportDocument: token,
  endorsement: fc.record({ date, port: token, officer: word }, { requiredKeys: ['date'] }),
  lines: fc.array(line, { minLength: 1, maxLength: 4 })
}, { requiredKeys: ['number', 'type', 'issuer', 'consignee', 'consignor', 'lines'] })

describe('eCITES v2 writer', () => {
  it('output reads back to the same model (property)', () => {
    fc.assert(fc.property(permitArb, (p) => {
      const back = readPermitXml(writePermitXml(p)).permit
      expect(back).toEqual(p)
    }), { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) })
  })

  it('round-trips the shared vector permit', () => {
    const p = permitFromJsonText(readVector('permits/ch-export-th.json'))
    expect(readPermitXml(writePermitXml(p)).permit).toEqual(p)
  })

  it('writes the Toolkit v2 namespaces', () => {
    const xml = writePermitXml(permitFromJsonText(readVector('permits/ch-export-th.json')))
    expect(xml).toContain('xmlns:rsm="urn:un:unece:uncefact:data:standard:CITESEPermit:2"')
    expect(xml).toContain('xmlns:ram="urn:un:unece:uncefact:data:draft:ReusableAggregateBusinessInformationEntity:1"')
  })
})
