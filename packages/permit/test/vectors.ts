import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** Path of a file under protocol-spec/vectors/. Tests share these vectors with the spec. */
export function vectorPath (rel: string): string {
  return fileURLToPath(new URL(`../../../protocol-spec/vectors/${rel}`, import.meta.url))
}

export function readVector (rel: string): string {
  return readFileSync(vectorPath(rel), 'utf8')
}
