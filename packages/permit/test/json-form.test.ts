import { describe, expect, it } from 'vitest'
import { permitFromJson, permitFromJsonText, permitJsonSchemaDocument, importPermit, PermitJsonError, writePermitXml } from '../src/index.js'
import { readVector } from '@cites/test-kit/base'

describe('JSON form', () => {
  it('maps to the same model as the XML of the same permit', () => {
    const fromJson = permitFromJsonText(readVector('permits/ch-export-th.json'))
    const fromXml = importPermit(writePermitXml(fromJson)).permit
    expect(fromXml).toEqual(fromJson)
  })

  it('lists every schema problem with its path and a stable code', () => {
    const bad = JSON.parse(readVector('permits/ch-export-th.json')) as Record<string, unknown>
    bad.number = 42
    bad.colour = 'blue'
    ;(bad.lines as Array<Record<string, unknown>>)[0]!.quantity = 'fifty'
    try {
      permitFromJson(bad)
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(PermitJsonError)
      const err = e as PermitJsonError
      expect(err.code).toBe('PERMIT_JSON_INVALID')
      const paths = err.issues.map((i) => i.path)
      expect(paths).toEqual(expect.arrayContaining(['number', 'lines.0.quantity', '(root)']))
    }
  })

  it('refuses control characters, text that does not parse, and non-objects', () => {
    const p = JSON.parse(readVector('permits/ch-export-th.json')) as { number: string }
    p.number = 'A\u0000B'
    expect(() => permitFromJson(p)).toThrow(PermitJsonError)
    expect(() => permitFromJsonText('{"number":')).toThrow(PermitJsonError)
    expect(() => permitFromJson(null)).toThrow(PermitJsonError)
    expect(() => permitFromJson([])).toThrow(PermitJsonError)
  })

  it('publishes a JSON Schema document', () => {
    const s = permitJsonSchemaDocument()
    expect(s.type).toBe('object')
    expect((s.required as string[])).toEqual(expect.arrayContaining(['number', 'type', 'issuer', 'consignee', 'consignor', 'lines']))
  })
})

describe('JSON form normalisation', () => {
  it('drops empty optional objects, so the model has no "present but empty"', () => {
    const p = JSON.parse(readVector('permits/ch-export-th.json')) as Record<string, unknown> & { issuer: Record<string, unknown> }
    p.issuer.address = {}
    p.endorsement = {}
    const m = permitFromJson(p)
    expect(m.issuer.address).toBeUndefined()
    expect('endorsement' in m).toBe(false)
    expect(importPermit(writePermitXml(m)).permit).toEqual(m)
  })
})
