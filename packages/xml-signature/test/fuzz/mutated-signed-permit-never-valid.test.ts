/**
 * Fuzzing the verifier (fast-check): 10,000 mutations of a validly signed
 * permit (a byte flipped, a span deleted, duplicated or replaced, text
 * inserted) are never accepted as valid, never throw, and each is judged in
 * under 1 s. A mutation that leaves the signed content intact (e.g. in
 * whitespace the canonical form drops) may still verify: then the permit the
 * verifier read must be the original one, field for field.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { readVector } from '@cites/test-kit/base'
import { verifyWith } from '../attack-kit.js'

const ORIGINAL = readVector('signature/valid/ch-export-th.xml')

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom('<!-- x -->', '<![CDATA[9]]>', '<?pi x?>', '0', ' ', '&amp;', '<Extra/>', '"', '>', '</') })
)

interface Mutation { kind: 'flip' | 'delete' | 'duplicate' | 'insert', at: number, bit?: number, len?: number, text?: string }

function apply (s: string, m: Mutation): string {
  const at = m.at % s.length
  switch (m.kind) {
    case 'flip': return s.slice(0, at) + String.fromCharCode(s.charCodeAt(at) ^ (1 << (m.bit ?? 0))) + s.slice(at + 1)
    case 'delete': return s.slice(0, at) + s.slice(at + (m.len ?? 1))
    case 'duplicate': return s.slice(0, at) + s.slice(at, at + (m.len ?? 1)) + s.slice(at)
    case 'insert': return s.slice(0, at) + (m.text ?? '') + s.slice(at)
  }
}

describe('fuzz: mutated signed permits', () => {
  it('are never valid unless the signed permit read is unchanged, never throw, and are judged in under 1 s', async () => {
    const original = await verifyWith(ORIGINAL)
    expect(original.valid).toBe(true)
    let accepted = 0
    await fc.assert(fc.asyncProperty(mutation, async (m) => {
      const xml = apply(ORIGINAL, m)
      if (xml === ORIGINAL) return
      const t0 = performance.now()
      const v = await verifyWith(xml)
      // A hang guard (the "no hang over 1 s"), 100× a normal verdict: not a performance check.
      expect(performance.now() - t0).toBeLessThan(1000)
      const sigOk = v.checks.some((c) => c.name === 'integrity' && c.status === 'VALID')
      if (sigOk) {
        accepted++
        // Only a change the signature does not cover (canonicalised away) may pass.
        expect(v.permit).toEqual(original.permit)
      }
    }), { numRuns: 10_000, seed: 20261123 })
    // Almost every mutation must be refused.
    expect(accepted).toBeLessThan(1000)
  }, 600_000)
})
