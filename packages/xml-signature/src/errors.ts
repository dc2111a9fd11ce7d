/** Errors thrown on bad input by this package (verification never throws: it returns a verdict). */
export abstract class SignatureInputError extends Error {
  abstract readonly code: string
}

/** A certificate that cannot be parsed or uses a key algorithm the profile refuses. */
export class CertificateFormatError extends SignatureInputError {
  static override name = 'CertificateFormatError'
  override name = 'CertificateFormatError'
  readonly code = 'CERTIFICATE_INVALID'
}

/** A private key that cannot be imported. */
export class PrivateKeyFormatError extends SignatureInputError {
  static override name = 'PrivateKeyFormatError'
  override name = 'PrivateKeyFormatError'
  readonly code = 'PRIVATE_KEY_INVALID'
}

/** The key and the certificate given to the signer do not belong together. */
export class KeyCertificateMismatchError extends SignatureInputError {
  static override name = 'KeyCertificateMismatchError'
  override name = 'KeyCertificateMismatchError'
  readonly code = 'KEY_CERTIFICATE_MISMATCH'
}

/** The document to sign already carries a signature. */
export class AlreadySignedError extends SignatureInputError {
  static override name = 'AlreadySignedError'
  override name = 'AlreadySignedError'
  readonly code = 'ALREADY_SIGNED'
}

/** A permit refused for signing: its rules fail, or it is not the signer's party. `problems` says why. */
export class PermitRefusedError extends SignatureInputError {
  static override name = 'PermitRefusedError'
  override name = 'PermitRefusedError'
  readonly code = 'PERMIT_REFUSED'
  readonly problems: Array<{ code: string, message: string, box?: string, line?: string }>
  constructor (message: string, problems: Array<{ code: string, message: string, box?: string, line?: string }>) {
    super(message)
    this.problems = problems
  }
}
