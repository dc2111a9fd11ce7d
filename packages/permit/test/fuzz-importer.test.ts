/**
 * Fuzzing the eCITES importer (fast-check, 10,000 cases): random text and
 * byte-level mutations of the EPIX hub's own v1/v2 samples and of our JSON
 * form either import or are refused with a PermitInputError carrying a
 * stable code; nothing else escapes, and nothing hangs (the test's timeout).
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { readFileSync, readdirSync } from 'node:fs'
import { VECTORS } from '@cites/test-kit/base'
import { PermitInputError, importPermit } from '../src/index.js'

const samples = [
  ...readdirSync(`${VECTORS}epix`).filter((f) => f.endsWith('.xml')).map((f) => readFileSync(`${VECTORS}epix/${f}`, 'utf8')),
  readFileSync(`${VECTORS}permits/ch-export-th.json`, 'utf8')
]

describe('fuzz: the eCITES importer', () => {
  it('imports or refuses with a stable code: random text and mutated EPIX samples', () => {
    expect(samples.length).toBeGreaterThanOrEqual(3)
    const mutated = fc.record({ s: fc.integer({ min: 0, max: samples.length - 1 }), at: fc.nat(), len: fc.integer({ min: 0, max: 30 }), text: fc.string({ maxLength: 12 }) })
      .map(({ s, at, len, text }) => { const src = samples[s] as string; const i = at % src.length; return src.slice(0, i) + text + src.slice(i + len) })
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 400 }), mutated), (text) => {
      try {
        importPermit(text)
      } catch (err) {
        expect(err).toBeInstanceOf(PermitInputError)
        expect((err as PermitInputError).code).toMatch(/^[A-Z_]+$/)
      }
    }), { numRuns: 10_000, seed: 20261123 })
  }, 300_000)
})
