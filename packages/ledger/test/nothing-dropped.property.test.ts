/**
 * Issue 20, finding 7: an eCITES line with two origin permits (code 861)
 * lost the second on its way into the signed permit. Every repeatable
 * element the model reads (origin permits, last re-export certificates,
 * common names and descriptions in several languages, shipping marks) now
 * survives JSON → signed XML → import, whatever their number (property).
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { importPermit, permitFromJson, readPermitXml, type Permit } from '@cites/permit'
import { signPermit, verifySignedPermit } from '@cites/xml-signature'
import { NOW, TRUST, chPermit, signer } from './kit.js'

const word = fc.stringMatching(/^[A-Za-z0-9&<>' .,()\u00e9\u4e2d-]{1,20}$/).map((s) => s.trim()).filter((s) => s !== '')
const token = fc.stringMatching(/^[A-Z0-9-]{1,12}$/)
const ref = fc.record({ id: token, issueDate: fc.constantFrom('2025-03-01', '2024-12-31T10:00:00Z') }, { requiredKeys: ['id'] })
const texts = fc.array(fc.record({ text: word, language: fc.constantFrom('EN', 'FR', 'ES', 'TH') }, { requiredKeys: ['text'] }), { minLength: 1, maxLength: 3 })

/** Line A of the vector permit with repeated elements: at least two of each. */
const repeated = fc.record({
  originPermit: ref,
  moreOriginPermits: fc.array(ref, { minLength: 1, maxLength: 4 }),
  lastReexport: ref,
  moreLastReexports: fc.array(ref, { minLength: 1, maxLength: 3 }),
  commonName: word,
  moreCommonNames: texts,
  description: word,
  moreDescriptions: texts,
  marks: word,
  moreMarks: texts
})

describe('nothing dropped (property)', () => {
  it('a line with two origin permits keeps both in the signed permit, and every other repeated element too', async () => {
    const key = await signer('CH')
    await fc.assert(fc.asyncProperty(repeated, async (extra) => {
      const base = chPermit('26CHN0001')
      // The JSON form as a back-office system sends it.
      const json = JSON.parse(JSON.stringify({ ...base, type: 'R', lines: [{ ...base.lines[0]!, ...extra }] })) as unknown
      const permit: Permit = permitFromJson(json)
      const signed = await signPermit({ ...permit, issueDate: new Date(NOW).toISOString() }, key, 'CH')
      const back = readPermitXml(signed).permit.lines[0]!
      for (const k of Object.keys(extra) as Array<keyof typeof extra>) expect(back[k], k).toEqual(extra[k])
      expect(signed.match(/<ram:TypeCode>861<\/ram:TypeCode>/g)).toHaveLength(1 + extra.moreOriginPermits.length)
      // And it verifies: nothing was added after signing.
      const v = await verifySignedPermit(signed, { certificatesFor: (p) => TRUST.certificatesFor(p), now: new Date(NOW) })
      expect(v.checks.find((c) => c.name === 'integrity')?.status).toBe('VALID')
      // Imported again (as unsigned eCITES XML would be), the line is the same.
      expect(importPermit(signed.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '')).permit.lines[0]).toEqual(back)
    }), { numRuns: Number(process.env.PROPERTY_RUNS ?? 40) })
  })
})
