/**
 * The JSON form, for MA back-office systems that do not speak XML. It is the
 * model itself, validated by a strict schema (unknown keys are refused, so a
 * misspelt field never silently drops data).
 */
import { z } from 'zod'
import { PermitJsonError, type JsonIssue } from './errors.js'
import type { Permit } from './model.js'

// Printable text: no control characters but tab and newline (XML 1.0 cannot
// carry most of them, and they have no place in a permit).
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/
const text = (max: number) => z.string().max(max).refine((s) => !CONTROL_RE.test(s), 'must not contain control characters')
const date = text(40)
const code = text(16)

const address = z.strictObject({
  street: text(200).optional(),
  city: text(100).optional(),
  postcode: text(20).optional(),
  country: code.optional(),
  countryName: text(100).optional()
})
const party = z.strictObject({ name: text(200).optional(), address: address.optional() })
const docRef = z.strictObject({ id: text(64).optional(), typeCode: code.optional(), issueDate: date.optional() })
const quantity = z.number().finite()
const langText = (max: number) => z.strictObject({ text: text(max), language: code.optional() })

const line = z.strictObject({
  id: text(8),
  scientificName: text(200),
  commonName: text(200).optional(),
  description: text(500).optional(),
  term: code.optional(),
  appendix: code.optional(),
  source: code.optional(),
  quantity: quantity.optional(),
  unit: code.optional(),
  quotaUsed: quantity.optional(),
  quotaAnnual: quantity.optional(),
  originCountry: code.optional(),
  originPermit: docRef.optional(),
  exportCountry: code.optional(),
  lastReexport: docRef.optional(),
  exportedQuantity: quantity.optional(),
  exportedUnit: code.optional(),
  marks: text(200).optional(),
  // Repeated elements after the first (issue 20: none dropped).
  moreOriginPermits: z.array(docRef).max(20).optional(),
  moreLastReexports: z.array(docRef).max(20).optional(),
  moreCommonNames: z.array(langText(200)).max(20).optional(),
  moreDescriptions: z.array(langText(500)).max(20).optional(),
  moreMarks: z.array(langText(200)).max(20).optional(),
  languages: z.strictObject({ commonName: code.optional(), description: code.optional(), marks: code.optional() }).optional(),
  acquisitionDate: date.optional()
})

/** The zod schema of the JSON form. */
export const permitJsonSchema = z.strictObject({
  number: text(64),
  type: code,
  certificateType: text(40).optional(),
  validFrom: date.optional(),
  validUntil: date.optional(),
  issueDate: date.optional(),
  copy: z.boolean().optional(),
  purpose: code.optional(),
  conditions: z.array(text(2000)).max(20).optional(),
  conditionLanguages: z.array(code).max(20).optional(),
  securityStamp: text(64).optional(),
  issuer: party,
  consignee: party,
  consignor: party,
  signatory: z.strictObject({ name: text(200).optional(), place: text(100).optional(), date: date.optional() }).optional(),
  references: z.array(docRef).max(20).optional(),
  replacement: z.strictObject({ replaces: text(64), reason: text(500).optional(), details: text(500).optional() }).optional(),
  transportDocument: text(64).optional(),
  endorsement: z.strictObject({ date: date.optional(), port: text(64).optional(), officer: text(200).optional() }).optional(),
  lines: z.array(line).max(100)
})

/** The JSON form as a JSON Schema document (for OpenAPI and integrators). */
export function permitJsonSchemaDocument (): Record<string, unknown> {
  return z.toJSONSchema(permitJsonSchema) as Record<string, unknown>
}

// Optional objects that mean nothing when empty: `{ address: {} }` is no address.
const DROP_WHEN_EMPTY = new Set(['address', 'signatory', 'endorsement', 'originPermit', 'lastReexport', 'languages'])

/**
 * Remove keys whose value is undefined, and empty optional objects,
 * recursively: the model has no "present but empty", so equal permits
 * compare equal whichever form they came from.
 */
function compact<T> (v: T): T {
  if (Array.isArray(v)) return v.map(compact) as T
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) continue
      const c = compact(x)
      if (DROP_WHEN_EMPTY.has(k) && c !== null && typeof c === 'object' && !Array.isArray(c) && Object.keys(c).length === 0) continue
      o[k] = c
    }
    return o as T
  }
  return v
}

/** Validate the JSON form and return the model. Throws {@link PermitJsonError} listing every issue. */
export function permitFromJson (input: unknown): Permit {
  const r = permitJsonSchema.safeParse(input)
  if (!r.success) {
    const issues: JsonIssue[] = r.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }))
    throw new PermitJsonError(`permit JSON is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues)
  }
  return compact(r.data) as Permit
}

/** Parse JSON text, then {@link permitFromJson}. */
export function permitFromJsonText (json: string): Permit {
  let data: unknown
  try {
    data = JSON.parse(json)
  } catch (err) {
    throw new PermitJsonError(`permit JSON does not parse: ${(err as Error).message}`, [{ path: '(root)', message: 'not JSON' }])
  }
  return permitFromJson(data)
}
