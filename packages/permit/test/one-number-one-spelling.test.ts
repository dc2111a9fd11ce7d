/**
 * Issue 16, finding 2: after 26TH015809 was issued, "26TH015809 ",
 * "26th015809", "26TH015809.", "26TH 015809" and "026TH015809" were issued
 * as five more permits. The canonical form makes them one number.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { CANONICAL_PERMIT_NUMBER_RE, canonicalPermitNumber, checkPermit, isCanonicalPermitNumber, samePermitNumber } from '../src/index.js'
import { readVector } from '@cites/test-kit/base'

describe('canonicalPermitNumber', () => {
  it('folds the five spellings of the finding to the issued number', () => {
    for (const s of ['26TH015809', '26TH015809 ', '26th015809', '26TH015809.', '26TH 015809', '026TH015809']) {
      expect(canonicalPermitNumber(s), JSON.stringify(s)).toBe('26TH015809')
    }
  })

  it('folds fullwidth and other compatibility forms (NFKC), Cyrillic and Greek look-alikes, and invisible characters', () => {
    expect(canonicalPermitNumber('２６ＴＨ０１５８０９')).toBe('26TH015809') // fullwidth
    expect(canonicalPermitNumber('𝟐𝟔TH015809')).toBe('26TH015809') // mathematical bold digits
    expect(canonicalPermitNumber('26\u0422\u041D015809')).toBe('26TH015809') // Cyrillic ТН
    expect(canonicalPermitNumber('26\u03A4\u0397015809')).toBe('26TH015809') // Greek ΤΗ
    expect(canonicalPermitNumber('26\u0441\u043D')).toBeUndefined() // Cyrillic н has no Latin twin: refused, not guessed
    expect(canonicalPermitNumber('26TH\u200B015809')).toBe('26TH015809') // zero-width space
    expect(canonicalPermitNumber('26TH\u00AD015809\u200E')).toBe('26TH015809') // soft hyphen, LTR mark
    expect(canonicalPermitNumber('26TH\u00A0015809')).toBe('26TH015809') // no-break space
    expect(canonicalPermitNumber('26-TH/015809_')).toBe('26TH015809')
    expect(canonicalPermitNumber('0026TH015809')).toBe('26TH015809')
    expect(canonicalPermitNumber('FR1202501030-R')).toBe('FR1202501030R') // an EPIX sample's number
  })

  it('keeps a canonical number as it is (old ledgers and the vectors need no change)', () => {
    for (const s of ['26CH000123', '26TH000007', '26CHV00003', '26CHC0001', '0', '1']) {
      expect(canonicalPermitNumber(s)).toBe(s)
      expect(isCanonicalPermitNumber(s)).toBe(true)
    }
    for (const name of ['ch-export-th.json', 'th-import-ch.json']) {
      const { number } = JSON.parse(readVector(`permits/${name}`)) as { number: string }
      expect(isCanonicalPermitNumber(number), number).toBe(true)
    }
  })

  it('gives no canonical form to what is not a number: empty, symbols, other scripts, too long', () => {
    for (const s of ['', ' ', '...', '26TH€015809', '26TH+1', '26TH=1', '26ТЖ', '26\u13AA', '26TH\u0301', 'A'.repeat(65), '1'.repeat(300), '\u0000']) {
      expect(canonicalPermitNumber(s), JSON.stringify(s)).toBeUndefined()
    }
    expect(canonicalPermitNumber('0'.repeat(10))).toBe('0')
    expect(canonicalPermitNumber(`${'A'.repeat(64)}.`)).toBe('A'.repeat(64))
  })

  it('is idempotent and its results are canonical (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80, unit: 'binary' }), (s) => {
      const c = canonicalPermitNumber(s)
      if (c === undefined) return
      expect(c).toMatch(CANONICAL_PERMIT_NUMBER_RE)
      expect(canonicalPermitNumber(c)).toBe(c)
    }), { numRuns: 2000 })
  })

  it('compares spellings by their canonical form, and a number without one equals nothing', () => {
    expect(samePermitNumber('26th 015809', '26TH015809')).toBe(true)
    expect(samePermitNumber('26TH015809', '26TH015808')).toBe(false)
    expect(samePermitNumber('€', '€')).toBe(false)
  })

  it('is a rule of Box 1: a number with no canonical form is NUMBER_INVALID', () => {
    const p = JSON.parse(readVector('permits/ch-export-th.json')) as Parameters<typeof checkPermit>[0]
    expect(checkPermit({ ...p, number: '26CH€1' }).map((x) => x.code)).toContain('NUMBER_INVALID')
    expect(checkPermit({ ...p, number: '26ch 000123' }).map((x) => x.code)).not.toContain('NUMBER_INVALID')
  })
})
