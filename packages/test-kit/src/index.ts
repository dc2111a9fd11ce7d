/**
 * @cites/test-kit: what the test suites share, in one place (issue 12 §8).
 * The protocol-spec vectors (files, keys, signers), the fixed clock, permit
 * and trust-list builders, temporary folders, {@link waitFor}, and a trust
 * store that counts the peers it refused (so a test can wait on a refusal
 * instead of sleeping).
 *
 * Source only: tests import it through vitest; `tsconfig.tests.json`
 * type-checks it. It uses the built `dist` of permit, xml-signature and
 * trust-list; those packages' own tests import `@cites/test-kit/base`.
 *
 * @packageDocumentation
 */
export { VECTORS, vectorPath, readVector, keyPem, certPem, anchorCertPem, NOW, VECTOR_GRANTED_AT, VECTOR_GRANTS, certificatesFor, tempDir, waitFor, WaitTimeoutError } from './base.js'
export type { KeyName, Clock, Grants, TempDir, WaitForOptions } from './base.js'
export { signer } from './keys.js'
export { vectorPermit, chPermit, signedVectorPermit, USE_A } from './permits.js'
export { signedTrustList, trustStoreFor, WatchedTrustStore } from './trust.js'
export type { ListedAuthority, SignedTrustListOptions } from './trust.js'
