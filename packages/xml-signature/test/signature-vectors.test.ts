/**
 * The shared vectors under protocol-spec/vectors/signature/: valid signed
 * permits and one hostile file per attack, with the expected verdict codes
 * in expected.json. `UPDATE_VECTORS=1 npm test` rewrites them from the
 * builders in attack-kit.ts; normally this file checks them.
 */
import { describe, expect, it } from 'vitest'
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { VECTORS, VECTOR_GRANTS, readVector, type Grants } from '@cites/test-kit/base'
import { ATTACKS, attackVectorPath, signedPermit, verifyWith } from './attack-kit.js'

interface Expected {
  now: string
  defaultTrust: Grants
  valid: Array<{ file: string, party: string }>
  attacks: Array<{ name: string, title: string, file: string | null, trust?: Grants, expect: { valid: false, integrity?: string, issuer?: string } }>
}

const VALID = [{ permit: 'ch-export-th', party: 'CH' }, { permit: 'th-import-ch', party: 'TH' }]

describe('signature test vectors', () => {
  if (process.env.UPDATE_VECTORS === '1') {
    it('regenerates protocol-spec/vectors/signature', async () => {
      mkdirSync(VECTORS + 'signature/valid', { recursive: true })
      mkdirSync(VECTORS + 'signature/attacks', { recursive: true })
      const expected: Expected = { now: '2026-12-01T00:00:00Z', defaultTrust: VECTOR_GRANTS, valid: [], attacks: [] }
      for (const v of VALID) {
        writeFileSync(VECTORS + `signature/valid/${v.permit}.xml`, await signedPermit(v.permit, v.party))
        expected.valid.push({ file: `signature/valid/${v.permit}.xml`, party: v.party })
      }
      const base = readVector('signature/valid/ch-export-th.xml')
      for (const a of ATTACKS) {
        let file: string | null = null
        if (a.noVectorFile !== true) {
          file = attackVectorPath(a.name)
          writeFileSync(VECTORS + file, await a.build(base))
        }
        const e: Expected['attacks'][number] = { name: a.name, title: a.title, file, expect: { valid: false, ...a.expect } }
        if (a.trust !== undefined) e.trust = a.trust
        expected.attacks.push(e)
      }
      writeFileSync(VECTORS + 'signature/expected.json', JSON.stringify(expected, null, 2) + '\n')
    })
  }

  // Read lazily: in update mode the file is written by the test above.
  const load = (): Expected => JSON.parse(readVector('signature/expected.json')) as Expected

  it('every valid vector verifies', async () => {
    const expected = load()
    expect(expected.valid.length).toBeGreaterThanOrEqual(2)
    for (const v of expected.valid) {
      const verdict = await verifyWith(readVector(v.file))
      expect(verdict.valid, v.file).toBe(true)
      expect(verdict.party).toBe(v.party)
    }
  })

  it('every attack vector gives its expected codes', async () => {
    const expected = load()
    for (const a of expected.attacks) {
      if (a.file === null) continue
      const v = await verifyWith(readVector(a.file), a.trust)
      const codes = Object.fromEntries(v.checks.map((c) => [c.name, c.reason.code]))
      expect(v.valid, a.name).toBe(false)
      if (a.expect.integrity !== undefined) expect(codes.integrity, a.name).toBe(a.expect.integrity)
      if (a.expect.issuer !== undefined) expect(codes.issuer, a.name).toBe(a.expect.issuer)
    }
  })

  it('expected.json, the attack builders and the per-attack test files agree', () => {
    const expected = load()
    expect(expected.attacks.map((a) => a.name)).toEqual(ATTACKS.map((a) => a.name))
    for (const a of ATTACKS) expect(expected.attacks.find((x) => x.name === a.name)?.expect).toEqual({ valid: false, ...a.expect })
    const files = readdirSync(new URL('./attacks/', import.meta.url)).sort()
    expect(files).toEqual(ATTACKS.map((a) => `rejects-${a.name}.test.ts`).sort())
    for (const a of expected.attacks) if (a.file !== null) expect(existsSync(VECTORS + a.file), a.file).toBe(true)
  })
})
