#!/usr/bin/env node
// One pilot node as its own process: `run-node.js DIR` starts the node whose
// config is DIR/cites-node.yaml, prints one READY line with its URL, and
// stops cleanly on SIGTERM/SIGINT (exit 0); a fatal error exits 1.
import '@cites/node20-polyfill'
import { join } from 'node:path'
import { startNodeService, CONFIG_FILE } from '@cites/node'

const dir = process.argv[2]
if (dir === undefined) { process.stderr.write('usage: run-node.js DIR\n'); process.exit(2) }
let svc
try {
  svc = await startNodeService({ configPath: join(dir, CONFIG_FILE) })
} catch (err) {
  process.stderr.write(`node failed to start: [${err.code ?? 'ERROR'}] ${err.message}\n`)
  process.exit(1)
}
process.stdout.write(`READY ${svc.url}\n`)
let stopping = false
const stop = () => {
  if (stopping) return
  stopping = true
  svc.stop().then(() => process.exit(0), (err) => { process.stderr.write(`stop failed: ${err.message}\n`); process.exit(1) })
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
