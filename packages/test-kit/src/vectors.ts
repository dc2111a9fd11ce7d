/** The shared protocol-spec vectors: the spec, the code and the tests read the same files. */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** protocol-spec/vectors/, with a trailing slash. */
export const VECTORS = fileURLToPath(new URL('../../../protocol-spec/vectors/', import.meta.url))

/** Path of a file under protocol-spec/vectors/. */
export function vectorPath (rel: string): string {
  return VECTORS + rel
}

export function readVector (rel: string): string {
  return readFileSync(vectorPath(rel), 'utf8')
}

/** The vector key pairs: two Management Authorities, an attacker and the task force's anchor. */
export type KeyName = 'CH' | 'TH' | 'ATTACKER' | 'ANCHOR'
export const keyPem = (k: KeyName): string => readVector(`keys/${k}/key.pem`)
export const certPem = (k: KeyName): string => readVector(`keys/${k}/cert.pem`)
export const anchorCertPem = (): string => certPem('ANCHOR')
