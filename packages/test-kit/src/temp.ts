import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TempDir { path: string, cleanup: () => void }

/** A fresh folder under the OS temp dir (`cites-<name>-XXXXXX`); `cleanup` removes it and all it holds. */
export function tempDir (name = 'test'): TempDir {
  const path = mkdtempSync(join(tmpdir(), `cites-${name}-`))
  return { path, cleanup: () => { rmSync(path, { recursive: true, force: true }) } }
}
