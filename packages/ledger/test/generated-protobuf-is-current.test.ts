/** The committed protons output must match protocol-spec/ledger.proto (the spec is normative). */
import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const pkg = fileURLToPath(new URL('..', import.meta.url))

describe('generated protobuf code', () => {
  it('src/pb/ledger.ts is what protons generates from protocol-spec/ledger.proto (scripts/protons.mjs)', () => {
    const out = mkdtempSync(join(tmpdir(), 'protons-'))
    try {
      // As npm run generate makes it: protons, then scripts/protons.mjs's one change.
      execFileSync(process.execPath, [join(pkg, '..', '..', 'scripts', 'protons.mjs'), '--output', out, join(pkg, '..', '..', 'protocol-spec', 'ledger.proto')], { stdio: 'pipe', cwd: pkg })
      expect(readFileSync(join(out, 'ledger.ts'), 'utf8')).toBe(readFileSync(join(pkg, 'src', 'pb', 'ledger.ts'), 'utf8'))
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })
})
