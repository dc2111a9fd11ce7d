#!/usr/bin/env node
// `npm run bench`: every benchmark, one after the other (each prints its own
// table with its baseline measured in the same run).
import { spawnSync } from 'node:child_process'
const benches = [
  ['xml-signature', 'packages/xml-signature/bench/sign-verify.mjs'],
  ['ledger', 'packages/ledger/bench/ledger.mjs'],
  ['network', 'packages/node/bench/network.mjs'],
  ['http', 'packages/node/bench/http.mjs'],
  ['pilot', 'test-network/bench/pilot.mjs']
]
let failed = 0
for (const [name, file] of benches) {
  console.log(`\n=== bench: ${name} ===`)
  const r = spawnSync(process.execPath, ['--expose-gc', file], { stdio: 'inherit' })
  if (r.status !== 0) { failed++; console.log(`bench ${name} failed (${r.status})`) }
}
process.exit(failed === 0 ? 0 : 1)
