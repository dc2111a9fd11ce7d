/**
 * The part of the kit that loads none of our packages: vector files and key
 * PEMs, the clock, temp folders and waitFor. The tests of the packages the
 * kit is built on (permit, xml-signature, trust-list) import this entry, so
 * they run their own source and never a second, built copy of it.
 */
export { VECTORS, vectorPath, readVector, keyPem, certPem, anchorCertPem } from './vectors.js'
export type { KeyName } from './vectors.js'
export { NOW, VECTOR_GRANTED_AT } from './clock.js'
export type { Clock } from './clock.js'
export { VECTOR_GRANTS, certificatesFor } from './grants.js'
export type { Grants } from './grants.js'
export { tempDir } from './temp.js'
export type { TempDir } from './temp.js'
export { waitFor, WaitTimeoutError } from './wait.js'
export type { WaitForOptions } from './wait.js'
