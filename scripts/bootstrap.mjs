#!/usr/bin/env node
// One entry for `npm test`, `npm start` and `npm run bench` on a machine that
// has only Node 20 and npm: get pnpm (pinned), install from the lockfile if
// needed, build (tsc -b is incremental, so this is cheap when up to date),
// then run the given command with node_modules/.bin on PATH.
//
// Why not corepack: on this registry `corepack enable` fails with "No
// compatible signature found" (FACTS.md). We install pnpm into .tools/.
import { spawnSync } from 'node:child_process'
import { existsSync, statSync, mkdirSync, readdirSync } from 'node:fs'
import { dirname, join, delimiter } from 'node:path'
import { fileURLToPath } from 'node:url'

const PNPM_VERSION = '10.34.9'
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const tools = join(root, '.tools')
const pnpmCli = join(tools, 'node_modules', 'pnpm', 'bin', 'pnpm.cjs')
const quiet = process.env.CITES_BOOTSTRAP_QUIET === '1'

function log (msg) {
  if (!quiet) process.stderr.write(`[setup] ${msg}\n`)
}

function run (cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts })
  if (r.error) throw r.error
  if (r.status !== 0) {
    process.stderr.write(`[setup] failed: ${cmd} ${args.join(' ')} (exit ${r.status ?? r.signal})\n`)
    process.exit(r.status ?? 1)
  }
}

function mtime (p) {
  try { return statSync(p).mtimeMs } catch { return 0 }
}

// 1. pnpm, pinned, local to the repo.
if (!existsSync(pnpmCli)) {
  log(`installing pnpm ${PNPM_VERSION} into .tools/`)
  mkdirSync(tools, { recursive: true })
  run('npm', ['install', '--prefix', tools, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', `pnpm@${PNPM_VERSION}`])
}
const pnpm = (args) => run(process.execPath, [pnpmCli, ...args])

// 2. Dependencies, exactly as the lockfile says.
const marker = join(root, 'node_modules', '.modules.yaml')
if (!existsSync(marker) || mtime(join(root, 'pnpm-lock.yaml')) > mtime(marker)) {
  log('installing dependencies from pnpm-lock.yaml')
  pnpm(['install', '--frozen-lockfile', '--reporter=append-only'])
}

// 3. Build every package (project references).
log('building (tsc -b)')
run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b'])

// 3b. The customs page (Vite), when it is missing or older than its sources.
const web = join(root, 'apps', 'customs-web')
const webSources = [join(web, 'index.html'), join(web, 'vite.config.js'), ...readdirSync(join(web, 'src')).map((f) => join(web, 'src', f))]
const built = join(web, 'dist', 'index.html')
if (!existsSync(built) || Math.max(...webSources.map(mtime)) > mtime(built)) {
  log('building the customs page (vite)')
  run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(web, 'tsconfig.json')])
  run(process.execPath, [join(web, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: web })
}

// 3c. The pilot's node entry point bundled into one file (test-network/
// scripts/bundle-node.mjs), ahead of time: when it or the record of its
// inputs is missing, or a package was rebuilt since (cheap mtime test). The
// pilot itself checks the bundle against the contents of its inputs before
// every use and rebuilds it when stale (pilotEntryPoint in
// test-network/src/pilot.ts), so a plain `tsc -b` never runs old code.
const bundleOut = join(root, 'test-network', 'dist', 'run-node.bundle.mjs')
const bundleInputs = `${bundleOut}.inputs.json`
const builtFrom = [join(root, 'test-network', 'bin', 'run-node.js'), join(root, 'test-network', 'scripts', 'bundle-node.mjs'), ...readdirSync(join(root, 'packages')).map((p) => join(root, 'packages', p, 'tsconfig.tsbuildinfo'))]
if (!existsSync(bundleOut) || !existsSync(bundleInputs) || Math.max(...builtFrom.map(mtime)) > mtime(bundleInputs)) {
  log('bundling the pilot node (rolldown)')
  run(process.execPath, [join(root, 'test-network', 'scripts', 'bundle-node.mjs')])
}

// 4. The command itself.
const [cmd, ...args] = process.argv.slice(2)
if (cmd !== undefined) {
  const bin = join(root, 'node_modules', '.bin')
  const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` }
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, env })
  if (r.error) throw r.error
  process.exit(r.status ?? (r.signal ? 1 : 0))
}
