// Child process for kill-9-during-consumption.test.ts: open the CH ledger,
// consume the given permits in the given order, and print one line per
// acknowledged consumption *after* it is on disk. Stdout to a pipe is
// synchronous on Linux, so a printed line is an acknowledgement the parent
// is sure to have seen before any SIGKILL.
import '@cites/node20-polyfill'
import { readFileSync } from 'node:fs'
import { loadSigner } from '@cites/xml-signature'
import { Ledger, AlreadyConsumedError } from '../dist/index.js'

const [dbPath, vectors, order] = process.argv.slice(2)
const read = (p) => readFileSync(vectors + p, 'utf8')
const signer = await loadSigner(read('keys/CH/key.pem'), read('keys/CH/cert.pem'))
const trust = { certificatesFor: (p) => p === 'CH' ? [{ certificate: read('keys/CH/cert.pem'), grantedAt: '2026-01-01T00:00:00Z' }] : undefined }
const ledger = await Ledger.open({ location: dbPath, party: 'CH', signer, trust, now: () => Date.parse('2026-11-15T00:00:00Z'), checkpointInterval: 500 })
process.stdout.write('READY\n')
const numbers = readFileSync(order, 'utf8').trim().split('\n')
// A few consumptions in flight at once, as a busy border would have.
let next = 0
async function worker () {
  while (next < numbers.length) {
    const n = numbers[next++]
    try {
      const r = await ledger.consume('CH', n, { lines: [{ line: 'A', quantity: 50, unit: 'PCS' }], port: 'THBKK' })
      process.stdout.write(`OK ${n} ${r.seq}\n`)
    } catch (e) {
      if (!(e instanceof AlreadyConsumedError)) throw e
    }
  }
}
await Promise.all([worker(), worker(), worker(), worker()])
process.stdout.write('DONE\n')
await ledger.close()
