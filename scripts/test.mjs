#!/usr/bin/env node
// `npm test` after bootstrap: make sure Debian's Chromium is there for the
// customs page test (installed with apt when we can), type-check the tests
// (tsc -b checks only the packages' src), then run every vitest project.
// Extra args go to vitest.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

function run (cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' })
  if (r.error) throw r.error
  if (r.status !== 0) process.exit(r.status ?? 1)
}

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
if (!existsSync(chromium)) {
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('[test] installing Debian\'s chromium for the customs page test (apt-get)')
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    const apt = (args) => spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env }).status === 0
    if (!apt(['install', '-y', '-qq', 'chromium'])) { apt(['update', '-qq']); apt(['install', '-y', '-qq', 'chromium']) }
  }
  if (!existsSync(chromium)) console.log(`[test] no Chromium at ${chromium}: the customs page browser test will be skipped (apt-get install chromium)`)
}

run('tsc', ['-p', 'tsconfig.tests.json'])
run('vitest', ['run', ...process.argv.slice(2)])
