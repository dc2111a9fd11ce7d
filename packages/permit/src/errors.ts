/**
 * One error class per failure, each carrying a stable `code` from this
 * package's registry (STYLE.md). Codes never change meaning and are never
 * reused; messages may change.
 */
import { CodedError, defineCodes } from '@cites/runtime'

/** Every code this package throws, with its kind (which decides the HTTP status). */
export const PERMIT_CODES = defineCodes({
  XML_TOO_LARGE: { kind: 'bad-request', summary: 'the XML is larger than 256 KiB' },
  XML_TOO_DEEP: { kind: 'bad-request', summary: 'the XML nests deeper than 64 levels' },
  XML_DOCTYPE: { kind: 'bad-request', summary: 'a DOCTYPE or entity declaration' },
  XML_MALFORMED: { kind: 'bad-request', summary: 'the parser reported a problem, or the document is not one root element' },
  // Shares the ledger's code (and its 404) since the first release: a document holding no permit.
  PERMIT_NOT_FOUND: { kind: 'not-found', summary: 'the document holds no CITESEPermit (v2) or CBFShip (v1)' },
  PERMIT_JSON_INVALID: { kind: 'bad-request', summary: 'the JSON form failed its schema' },
  PERMIT_VALUE_INVALID: { kind: 'bad-request', summary: 'a value in the document cannot be read' }
})
export type PermitCode = keyof typeof PERMIT_CODES

/** Base for every error this package throws on bad input. */
export abstract class PermitInputError extends CodedError {
  abstract override readonly code: PermitCode
}

/** The XML is larger than the limit (ARCHITECTURE: at most 256 KiB). */
export class XmlTooLargeError extends PermitInputError { readonly code = 'XML_TOO_LARGE' }

/** The XML nests deeper than the limit (ARCHITECTURE: at most 64 levels). */
export class XmlTooDeepError extends PermitInputError { readonly code = 'XML_TOO_DEEP' }

/** A DOCTYPE or entity declaration: refused before parsing (XXE, billion laughs). */
export class XmlDoctypeError extends PermitInputError { readonly code = 'XML_DOCTYPE' }

/** The parser reported a warning or error, or the document is not one root element. */
export class XmlMalformedError extends PermitInputError { readonly code = 'XML_MALFORMED' }

/** The document parsed, but holds no `CITESEPermit` (v2) or `CBFShip` (v1). */
export class PermitNotFoundError extends PermitInputError { readonly code = 'PERMIT_NOT_FOUND' }

/** A value in the document cannot be read (e.g. a quantity that is not a number). */
export class PermitValueError extends PermitInputError { readonly code = 'PERMIT_VALUE_INVALID' }

/** One problem found in a JSON form, with where it is. */
export interface JsonIssue {
  path: string
  message: string
}

/** The JSON form failed its schema. `issues` lists every failure. */
export class PermitJsonError extends PermitInputError {
  readonly code = 'PERMIT_JSON_INVALID'
  readonly issues: JsonIssue[]
  constructor (message: string, issues: JsonIssue[]) {
    super(message)
    this.issues = issues
  }
}
