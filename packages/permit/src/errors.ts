/**
 * One error class per failure, told apart by `name` and carrying a stable
 * `code` (STYLE.md). Codes never change meaning and are never reused; messages
 * may change.
 */

/** Base for every error this package throws on bad input. */
export abstract class PermitInputError extends Error {
  abstract readonly code: string
}

/** The XML is larger than the limit (ARCHITECTURE: at most 256 KiB). */
export class XmlTooLargeError extends PermitInputError {
  static override name = 'XmlTooLargeError'
  override name = 'XmlTooLargeError'
  readonly code = 'XML_TOO_LARGE'
}

/** The XML nests deeper than the limit (ARCHITECTURE: at most 64 levels). */
export class XmlTooDeepError extends PermitInputError {
  static override name = 'XmlTooDeepError'
  override name = 'XmlTooDeepError'
  readonly code = 'XML_TOO_DEEP'
}

/** A DOCTYPE or entity declaration: refused before parsing (XXE, billion laughs). */
export class XmlDoctypeError extends PermitInputError {
  static override name = 'XmlDoctypeError'
  override name = 'XmlDoctypeError'
  readonly code = 'XML_DOCTYPE'
}

/** The parser reported a warning or error, or the document is not one root element. */
export class XmlMalformedError extends PermitInputError {
  static override name = 'XmlMalformedError'
  override name = 'XmlMalformedError'
  readonly code = 'XML_MALFORMED'
}

/** The document parsed, but holds no `CITESEPermit` (v2) or `CBFShip` (v1). */
export class PermitNotFoundError extends PermitInputError {
  static override name = 'PermitNotFoundError'
  override name = 'PermitNotFoundError'
  readonly code = 'PERMIT_NOT_FOUND'
}

/** One problem found in a JSON form, with where it is. */
export interface JsonIssue {
  path: string
  message: string
}

/** The JSON form failed its schema. `issues` lists every failure. */
export class PermitJsonError extends PermitInputError {
  static override name = 'PermitJsonError'
  override name = 'PermitJsonError'
  readonly code = 'PERMIT_JSON_INVALID'
  readonly issues: JsonIssue[]
  constructor (message: string, issues: JsonIssue[]) {
    super(message)
    this.issues = issues
  }
}

/** A value in the document cannot be read (e.g. a quantity that is not a number). */
export class PermitValueError extends PermitInputError {
  static override name = 'PermitValueError'
  override name = 'PermitValueError'
  readonly code = 'PERMIT_VALUE_INVALID'
}
