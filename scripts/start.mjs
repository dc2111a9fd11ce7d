#!/usr/bin/env node
// `npm start`: bring up the task force's pilot network (the default five
// authorities, each node its own process), run the narrated pilot scenario,
// print every customs page with its tokens, and leave the network running
// until Ctrl-C (then stop it cleanly). CITES_START_ONCE=1 stops right after
// the scenario (used to check `npm start` on a fresh clone). Exit code:
// non-zero if any step or invariant failed.
import '@cites/node20-polyfill'
import { defaultScenario, partitionScenario, pilotDown, pilotUp } from '@cites/test-network'

const dir = process.env.CITES_PILOT_DIR ?? '.pilot'
const basePort = Number(process.env.CITES_PILOT_BASE_PORT ?? 7100)
const bold = (s) => process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s

console.log(bold('\nCITES e-permit pilot network: five Management Authorities on this machine\n'))
let up
try {
  up = await pilotUp({ nodes: 5, dir, basePort, progress: (l) => console.log(`  ${l}`) })
} catch (err) {
  console.error(`\nthe pilot network did not come up: [${err.code ?? 'ERROR'}] ${err.message}`)
  console.error(`(ports ${basePort}..${basePort + 4} and ${basePort + 1000}..${basePort + 1004} must be free; set CITES_PILOT_BASE_PORT to move them)`)
  await pilotDown(dir).catch(() => {})
  process.exit(1)
}
console.log(`  ready in ${(up.formedMs / 1000).toFixed(1)} s\n`)

console.log(bold('The pilot scenario'))
const say = (line) => console.log(`  ${line}`)
const main = await defaultScenario(up.layout, say)
console.log(bold('\nA partition, with uses on both sides, then the heal'))
const part = await partitionScenario(up.layout, say)

console.log(bold('\nThe customs pages and their sign-ins (a personal account per role at each authority; paste a token into the page)'))
for (const n of up.layout.nodes) {
  console.log(`  ${n.party}  ${n.url}/`)
  for (const a of n.accounts) console.log(`      ${a.role.padEnd(8)} account ${a.id}   token ${n.tokens[a.role]}`)
}
console.log(`\n  Everything is in ${up.layout.dir}; \`npm run cites -- pilot status\` shows the nodes, \`npm run cites -- pilot fault kill FR\` injects a fault.`)
const ok = main.ok && part.ok
console.log(ok ? bold('\nAll steps and invariants as expected.') : bold('\nSOME STEPS OR INVARIANTS FAILED (see above).'))

const stop = async () => {
  console.log('\nstopping the pilot network …')
  const stopped = await pilotDown(dir)
  console.log(`stopped ${stopped.join(', ')}`)
  process.exit(ok ? 0 : 1)
}
if (process.env.CITES_START_ONCE === '1') await stop()
console.log('\nThe network keeps running; press Ctrl-C to stop it.')
process.on('SIGINT', () => { void stop() })
process.on('SIGTERM', () => { void stop() })
setInterval(() => {}, 1 << 30)
