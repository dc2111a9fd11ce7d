/** Errors thrown on bad input by this package (verification never throws: it returns a verdict). */
import { CodedError, defineCodes } from '@cites/runtime'

/** Every code this package throws, with its kind (which decides the HTTP status). */
export const SIGNATURE_INPUT_CODES = defineCodes({
  CERTIFICATE_INVALID: { kind: 'bad-request', summary: 'a certificate that cannot be parsed or uses a refused key algorithm' },
  PRIVATE_KEY_INVALID: { kind: 'bad-request', summary: 'a private key that cannot be imported' },
  KEY_CERTIFICATE_MISMATCH: { kind: 'bad-request', summary: 'the key and the certificate do not belong together' },
  ALREADY_SIGNED: { kind: 'bad-request', summary: 'the document to sign already carries a signature' },
  PERMIT_REFUSED: { kind: 'unprocessable', summary: 'a permit refused for signing: its rules fail, or it is not the signer\'s party' }
})
export type SignatureInputCode = keyof typeof SIGNATURE_INPUT_CODES

export abstract class SignatureInputError extends CodedError {
  abstract override readonly code: SignatureInputCode
}

/** A certificate that cannot be parsed or uses a key algorithm the profile refuses. */
export class CertificateFormatError extends SignatureInputError { readonly code = 'CERTIFICATE_INVALID' }

/** A private key that cannot be imported. */
export class PrivateKeyFormatError extends SignatureInputError { readonly code = 'PRIVATE_KEY_INVALID' }

/** The key and the certificate given to the signer do not belong together. */
export class KeyCertificateMismatchError extends SignatureInputError { readonly code = 'KEY_CERTIFICATE_MISMATCH' }

/** The document to sign already carries a signature. */
export class AlreadySignedError extends SignatureInputError { readonly code = 'ALREADY_SIGNED' }

/** A permit refused for signing: its rules fail, or it is not the signer's party. `problems` says why. */
export class PermitRefusedError extends SignatureInputError {
  readonly code = 'PERMIT_REFUSED'
  readonly problems: Array<{ code: string, message: string, box?: string, line?: string }>
  constructor (message: string, problems: Array<{ code: string, message: string, box?: string, line?: string }>) {
    super(message)
    this.problems = problems
  }
}
