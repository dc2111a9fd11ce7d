#!/usr/bin/env node
// `npm test` after bootstrap: type-check the tests (tsc -b checks only the
// packages' src), then run every vitest project. Extra args go to vitest.
import { spawnSync } from 'node:child_process'

function run (cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' })
  if (r.error) throw r.error
  if (r.status !== 0) process.exit(r.status ?? 1)
}

run('tsc', ['-p', 'tsconfig.tests.json'])
run('vitest', ['run', ...process.argv.slice(2)])
