/**
 * @cites/trust-list: the anchor-signed list of authorised authorities
 * (modelled on ETSI TS 119 612). Create and edit it, sign it with the
 * anchor's key, verify it under the hardened XML-DSig profile, and keep the
 * current one in a {@link TrustStore} that refuses rollbacks.
 *
 * @example
 * ```ts
 * const store = new TrustStore(anchorCertPem)
 * await store.accept(signedListXml)
 * const verdict = await verifySignedPermit(xml, { certificatesFor: (p) => store.certificatesFor(p) })
 * ```
 *
 * @packageDocumentation
 */
export { AUTHORITY_ROLES } from './model.js'
export type { AuthorityRole, EntryStatus, ListedCertificate, Authority, TrustList } from './model.js'
export { TrustListError, TrustListFormatError, TrustListSignatureError, TrustListSequenceError, TrustListEditError, TRUST_LIST_CODES } from './errors.js'
export type { TrustListCode } from './errors.js'
export { NS_TRUST_LIST, TRUST_LIST_ROOT, writeTrustListXml, readTrustListXml, readTrustListElement } from './xml.js'
export { createTrustList, addAuthority, withdrawCertificate, withdrawAuthority } from './edit.js'
export type { CreateOptions, AddAuthorityOptions } from './edit.js'
export { signTrustList, verifyTrustList, TRUST_LIST_LIMITS } from './sign.js'
export type { SignTrustListOptions, VerifiedTrustList, VerifyTrustListOptions } from './sign.js'
export { TrustStore, certificatesFor } from './store.js'
