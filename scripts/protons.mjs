#!/usr/bin/env node
// `protons`, then one change to the TypeScript it writes (npm run generate in
// packages/ledger and packages/protocol). protons gives every bytes field of
// a message being decoded a fresh `uint8ArrayAlloc(0)` (a Buffer.alloc(0)
// wrapped in a new Uint8Array) before reading it: in a catch-up of 100k
// summary events that was about 15% of the CPU. Every absent bytes field now
// shares one empty array instead: it has no element to change, so sharing it
// changes nothing a reader can see but its identity.
//
//   node ../../scripts/protons.mjs --output src/pb ../../protocol-spec/ledger.proto
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const args = process.argv.slice(2)
const out = args[args.indexOf('--output') + 1]
if (!args.includes('--output') || out === undefined) throw new Error('usage: protons.mjs --output DIR FILE.proto')
// The package's own protons (as npm run puts it on PATH), else the one on PATH.
const local = join(process.cwd(), 'node_modules', '.bin', 'protons')
const run = spawnSync(existsSync(local) ? local : 'protons', args, { stdio: 'inherit', shell: process.platform === 'win32' })
if (run.status !== 0) process.exit(run.status ?? 1)

const IMPORT = "import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'\n"
const SHARED = '// One empty array shared by every absent bytes field (scripts/protons.mjs says why).\nconst EMPTY_BYTES = new Uint8Array(0)\n'
for (const f of readdirSync(out).filter((n) => n.endsWith('.ts'))) {
  const path = join(out, f)
  let ts = readFileSync(path, 'utf8')
  if (!ts.includes('uint8ArrayAlloc(0)')) continue
  if (!ts.includes(IMPORT)) throw new Error(`${path}: protons no longer imports uint8ArrayAlloc as expected; check its output before changing this script`)
  ts = ts.replaceAll('uint8ArrayAlloc(0)', 'EMPTY_BYTES')
  // Keep the import only if protons allocates other sizes too.
  ts = ts.replace(IMPORT, ts.includes('uint8ArrayAlloc(') ? IMPORT + SHARED : SHARED)
  const imports = ts.lastIndexOf('\nimport ')
  if (ts.indexOf(SHARED) < imports) {
    // The constant goes after the last import.
    ts = ts.replace(SHARED, '')
    const end = ts.indexOf('\n', ts.lastIndexOf('\nimport ') + 1) + 1
    ts = ts.slice(0, end) + '\n' + SHARED + ts.slice(end)
  }
  writeFileSync(path, ts)
}
