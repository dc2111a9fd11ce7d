/**
 * Stable error codes, one registry per domain (permit, signature, trust list,
 * ledger, protocol, node). A registry names each code's kind; the HTTP status
 * of a code is derived from its kind in one table (`httpStatus`), so a new
 * code is answered correctly wherever it surfaces. Codes never change meaning
 * and are never reused.
 */

/** What kind of failure a code is; decides its HTTP status. */
export type CodeKind =
  | 'bad-request' // the request itself is malformed
  | 'not-found'
  | 'gone' // it existed and was erased on purpose (a document past its retention)
  | 'conflict' // the permit's state forbids it (already used, cancelled, ...)
  | 'unprocessable' // well-formed, but refused by a rule
  | 'forbidden' // the caller may not do this
  | 'unavailable' // this node cannot do it now
  | 'bad-gateway' // another node answered wrongly
  | 'unauthenticated' // no or an unknown credential
  | 'too-large'
  | 'unsupported-media'
  | 'rate-limited'
  | 'internal' // a fault of this node, never the caller's

export type CodeRegistry = Readonly<Record<string, { readonly kind: CodeKind, readonly summary: string }>>

/** Declare a domain's registry (keeps the literal code names for typing). */
export function defineCodes<const R extends CodeRegistry> (registry: R): R {
  return Object.freeze(registry)
}

const STATUS_OF_KIND: Readonly<Record<CodeKind, number>> = {
  'bad-request': 400,
  'not-found': 404,
  gone: 410,
  conflict: 409,
  unprocessable: 422,
  forbidden: 403,
  unavailable: 503,
  'bad-gateway': 502,
  unauthenticated: 401,
  'too-large': 413,
  'unsupported-media': 415,
  'rate-limited': 429,
  internal: 500
}

/** The HTTP status of each code of the given registries. A code registered twice must agree on its kind. */
export function httpStatusTable (...registries: CodeRegistry[]): ReadonlyMap<string, number> {
  const out = new Map<string, number>()
  const kinds = new Map<string, CodeKind>()
  for (const r of registries) {
    for (const [code, { kind }] of Object.entries(r)) {
      const had = kinds.get(code)
      if (had !== undefined && had !== kind) throw new Error(`code ${code} is registered as ${had} and as ${kind}`)
      kinds.set(code, kind)
      out.set(code, STATUS_OF_KIND[kind])
    }
  }
  return out
}

/**
 * The base of every coded error. Subclasses set `code` (a registry key);
 * `name` is the class's own, kept through minification by the constructor.
 */
export abstract class CodedError extends Error {
  abstract readonly code: string
  constructor (message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}
