/**
 * @cites/xml-signature: hardened XML-DSig for eCITES permits and trust lists.
 * Signing is enveloped, exclusive C14N, SHA-256, ECDSA P-256 (default) or
 * RSA-2048, with the signer's certificate in KeyInfo. Verification enforces
 * every rule of the profile (protocol-spec/permit-profile.md), takes the key
 * from the caller (the trust list), and returns checks; it never throws.
 *
 * @example
 * ```ts
 * const signer = await loadSigner(keyPem, certPem)
 * const signed = await signPermit(permit, signer, 'CH')
 * const verdict = await verifySignedPermit(signed, { certificatesFor: (party) => trustList.certificatesFor(party) })
 * ```
 *
 * @packageDocumentation
 */
export { setCryptoEngine, cryptoEngine, addKeyProvider, DEFAULT_ENGINE } from './engine.js'
export type { CryptoEngineName, KeyProvider } from './engine.js'
export {
  generateSigningIdentity, certifyKeyPair, parseCertificate, certificateThumbprint, certificateBase64, certificatePublicKey,
  importPrivateKey, webCryptoAlgorithm
} from './certificates.js'
export type { KeyAlgorithm, SigningIdentity, GenerateOptions, CertificateInfo } from './certificates.js'
export {
  SignatureInputError, CertificateFormatError, PrivateKeyFormatError, KeyCertificateMismatchError, AlreadySignedError, PermitRefusedError, SIGNATURE_INPUT_CODES
} from './errors.js'
export type { SignatureInputCode } from './errors.js'
export {
  SigCode, ProfileViolation, checkContent, checkSignatureStructure, NS_DSIG, ALG_EXC_C14N, ALG_ENVELOPED, ALG_SHA256,
  ALG_ECDSA_SHA256, ALG_RSA_SHA256, SIGNATURE_METHODS
} from './profile.js'
export type { SignatureStructure } from './profile.js'
export { loadSigner, signerFromKey, signXml } from './sign.js'
export type { Signer } from './sign.js'
export { verifySignedDocument } from './verify.js'
export type { TrustedCertificate, VerifyDocumentOptions, SignatureResult } from './verify.js'
export { signPermit, verifySignedPermit, validityCheck } from './permit.js'
export type { VerifyPermitOptions, PermitVerdict } from './permit.js'
