#!/usr/bin/env node
// `npm test` after bootstrap: make sure Debian's Chromium is there for the
// customs page test (installed with apt when we can), type-check the tests
// (tsc -b checks only the packages' src), then run every vitest project.
//
// `--tier unit|e2e|sim|fuzz` (npm run test:unit, ...) runs one tier only
// (vitest.config.ts says which file is in which): no type-check, to keep the
// loop fast (`npm run typecheck` does it), and Chromium only for e2e, where
// the browser test is. Other args go to vitest.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const TIERS = { unit: ['unit', 'unit-peculiar'], e2e: ['e2e'], sim: ['sim'], fuzz: ['fuzz'] }

function run (cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' })
  if (r.error) throw r.error
  if (r.status !== 0) process.exit(r.status ?? 1)
}

const args = process.argv.slice(2)
let tier
const at = args.indexOf('--tier')
if (at !== -1) {
  tier = args[at + 1]
  args.splice(at, 2)
  if (!(tier in TIERS)) {
    console.error(`[test] --tier must be one of ${Object.keys(TIERS).join(', ')}, not ${tier}`)
    process.exit(2)
  }
}

if (tier === undefined || tier === 'e2e') {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  if (!existsSync(chromium)) {
    if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
      console.log('[test] installing Debian\'s chromium for the customs page test (apt-get)')
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
      const apt = (a) => spawnSync('apt-get', a, { stdio: ['ignore', 'ignore', 'inherit'], env }).status === 0
      if (!apt(['install', '-y', '-qq', 'chromium'])) { apt(['update', '-qq']); apt(['install', '-y', '-qq', 'chromium']) }
    }
    if (!existsSync(chromium)) console.log(`[test] no Chromium at ${chromium}: the customs page browser test will be skipped (apt-get install chromium)`)
  }
}

// SoftHSM2, the PKCS#11 token of the HSM signing test (packages/node/test/hsm-signing.test.ts).
if (tier === undefined || tier === 'e2e') {
  const softhsm = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so']
  if (!softhsm.some((p) => existsSync(p))) {
    if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
      console.log('[test] installing Debian\'s softhsm2 for the HSM signing test (apt-get)')
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
      const apt = (a) => spawnSync('apt-get', a, { stdio: ['ignore', 'ignore', 'inherit'], env }).status === 0
      if (!apt(['install', '-y', '-qq', 'softhsm2'])) { apt(['update', '-qq']); apt(['install', '-y', '-qq', 'softhsm2']) }
    }
    if (!softhsm.some((p) => existsSync(p))) console.log('[test] no SoftHSM2: the HSM signing test will be skipped (apt-get install softhsm2)')
  }
}

if (tier === undefined) run('tsc', ['-p', 'tsconfig.tests.json'])
run('vitest', ['run', ...(tier === undefined ? [] : TIERS[tier].flatMap((p) => ['--project', p])), ...args])
