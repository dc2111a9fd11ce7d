#!/usr/bin/env node
// Ledger benchmark, each figure beside raw `level` measured in the same run
// on the same machine:
//   - issue-and-record (XML-DSig sign + synced batch) vs raw synced put
//   - consumption, synced, 1 and 8 in flight, vs raw synced put
//   - batched ingest of replica events (signature + chain checks) vs raw batched puts of the same bytes
//   - status lookup p50/p99 at 10k, 100k, 1M permits vs raw get on a DB of the same size
//   - RSS at the largest size
//
//   npm run bench:ledger                       (10k, 100k, 1M; several minutes)
//   BENCH_LEDGER_SIZES=10000,100000 npm run bench:ledger
//
// Replica events are version 2 (ledger.md §2.4, r17): the ISSUED body is the
// permit's summary and the SHA-256 of its document, never the document. Up
// to r16 they carried a 1 KiB stand-in XML (a 4-5 KiB signed permit would
// have made a 1M-permit ledger several GB); the table prints an event's size
// now and in that v1 shape.
import '@cites/node20-polyfill'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir, cpus } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createHash, webcrypto } from 'node:crypto'
import { Level } from 'level'
import { permitFromJsonText } from '@cites/permit'
import { loadSigner } from '@cites/xml-signature'
import { spawnSync } from 'node:child_process'
import { record } from '../../../scripts/bench-record.mjs'
import { Ledger, Event, SignedEvent, IssuedBody, IssuedBodyV1, EventType, EVENT_CONTEXT, EVENT_VERSION, frontierAppend, frontierRoot, leafHash, signCheckpoint } from '../dist/index.js'

const V = fileURLToPath(new URL('../../../protocol-spec/vectors/', import.meta.url))
const read = (p) => readFileSync(V + p, 'utf8')
const SIZES = (process.env.BENCH_LEDGER_SIZES ?? '10000,100000,1000000').split(',').map(Number)
const NOW = Date.parse('2026-11-15T00:00:00Z')
const work = mkdtempSync(join(tmpdir(), 'cites-bench-ledger-'))
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] }
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * p))] }
const fmt = (x) => x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)
const rows = []
/** A row of the table; with an `id`, also a headline figure for BENCHMARKS.md (`goal`: its target as a ratio to raw). */
const row = (what, ours, base, unit, target = '', id = undefined, goal = undefined) => {
  rows.push({ what, ours, base, unit, target })
  console.error(`  ${what}: ${fmt(ours)} vs ${fmt(base)} ${unit}`)
  if (id !== undefined) record({ bench: 'ledger', id, figure: what, unit: what.includes('ms') ? 'ms' : what.split(', ').pop(), ours, baseline: base, baselineLabel: unit, better: what.includes('ms') ? 'lower' : 'higher', ...(goal !== undefined ? { target: goal, targetText: target } : {}) })
}

const signer = await loadSigner(read('keys/CH/key.pem'), read('keys/CH/cert.pem'))
const trust = { certificatesFor: (p) => p === 'CH' ? [{ certificate: read('keys/CH/cert.pem'), grantedAt: '2026-01-01T00:00:00Z' }] : undefined }
const permit = permitFromJsonText(read('permits/ch-export-th.json'))
permit.lines = permit.lines.slice(0, 1)
delete permit.issueDate // the ledger writes the time of signing (ISSUE_DATE_NOT_NOW otherwise)

async function rate (n, fn, inFlight = 1) {
  let next = 0
  const t0 = performance.now()
  await Promise.all(Array.from({ length: inFlight }, async () => { while (next < n) { const i = next++; await fn(i) } }))
  return n / ((performance.now() - t0) / 1000)
}

// ---- raw level baselines
const raw = new Level(join(work, 'raw'), { valueEncoding: 'view' })
const value3k = new Uint8Array(3000).fill(7)
const rawSynced = await rate(500, (i) => raw.put(`s${i}`, value3k, { sync: true }))

// ---- issue-and-record, consumption
console.error('issue-and-record and consumption ...')
const own = await Ledger.open({ location: join(work, 'own'), party: 'CH', signer, trust, now: () => NOW })
const issueRate = await rate(300, (i) => own.issue({ ...permit, number: `26CHI${i}` }))
row('issue-and-record (sign XML + synced batch), permits/s', issueRate, rawSynced, 'raw synced puts/s', '', 'issue')
const consumeRate1 = await rate(300, (i) => own.consume('CH', `26CHI${i}`, { lines: [{ line: 'A', quantity: 50, unit: 'PCS' }], port: 'THBKK' }))
row('consumption, synced, 1 in flight, consumptions/s', consumeRate1, rawSynced, 'raw synced puts/s', '', 'consume-1')
for (let i = 300; i < 1100; i += 100) await Promise.all(Array.from({ length: 100 }, (_, j) => own.issue({ ...permit, number: `26CHI${i + j}` })))
const rawSynced8 = await rate(800, (i) => raw.put(`t${i}`, value3k, { sync: true }), 8)
const consumeRate8 = await rate(800, (i) => own.consume('CH', `26CHI${i + 300}`, { lines: [{ line: 'A', quantity: 50, unit: 'PCS' }], port: 'THBKK' }), 8)
row('consumption, synced, 8 in flight, consumptions/s', consumeRate8, rawSynced8, 'raw synced puts/s, 8 in flight', '', 'consume-8')
await own.close()

// ---- replica events for the lookup stages (signed here, in parallel)
const standIn = `<stand-in>${'x'.repeat(1000)}</stand-in>`
const standInBytes = new TextEncoder().encode(standIn)
const xmlSha = new Uint8Array(createHash('sha256').update(standInBytes).digest())
const certSha = new Uint8Array(Buffer.from(signer.certificate.sha256, 'hex'))
/** The v2 ISSUED body: the permit's summary and its document's hash. */
const summaryOf = (seq) => ({
  xmlSha256: xmlSha, documentType: 'E', destination: 'TH', exporterCountry: 'CH',
  validFrom: BigInt(Date.parse('2026-11-01')), validUntil: BigInt(Date.parse('2027-04-30')), issueTime: BigInt(NOW - 86400000), purpose: 'T',
  lines: [{ line: 'A', scientificName: seq % 7 === 0 ? 'Panthera tigris' : 'Python regius', appendix: 'II', source: 'C', term: 'LIV', quantity: 50, unit: 'PCS', origin: 'CH', originPermit: '' }]
})
// One replica event's size (signature of 64 B included), now and in the v1
// shape this bench wrote up to r16 (the 1 KiB stand-in inside, no version).
const eventSize = (body, version) => SignedEvent.encode({ event: Event.encode({ author: 'CH', seq: 50_000n, prevHash: new Uint8Array(32), type: EventType.ISSUED, permitParty: 'CH', permitNumber: '26CHB50000', body, time: BigInt(NOW - 1000), certSha256: certSha, version }), signature: new Uint8Array(64) }).length
const sizeV2 = eventSize(IssuedBody.encode(summaryOf(1)), EVENT_VERSION)
const sizeV1 = eventSize(IssuedBodyV1.encode({ ...summaryOf(1), signedXml: standInBytes }), 0)
console.error(`replica ISSUED event: ${sizeV2} B (v2 summary); ${sizeV1} B in the v1 shape with the 1 KiB stand-in document`)
let prev = new Uint8Array(0)
let seq = 0
let frontier = []
/** n signed events and, per page of 500, the author's signed checkpoint (as a sync page carries). */
async function makeEvents (n) {
  const evs = []
  for (let i = 0; i < n; i++) {
    seq++
    const body = IssuedBody.encode(summaryOf(seq))
    const bytes = Event.encode({ author: 'CH', seq: BigInt(seq), prevHash: prev, type: EventType.ISSUED, permitParty: 'CH', permitNumber: `26CHB${seq}`, body, time: BigInt(NOW - 1000), certSha256: certSha, version: EVENT_VERSION })
    prev = leafHash(bytes)
    evs.push(bytes)
  }
  const signed = []
  for (let i = 0; i < evs.length; i += 512) {
    const chunk = evs.slice(i, i + 512)
    const sigs = await Promise.all(chunk.map((b) => {
      const data = new Uint8Array(EVENT_CONTEXT.length + b.length); data.set(EVENT_CONTEXT); data.set(b, EVENT_CONTEXT.length)
      return webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, signer.key, data)
    }))
    for (const [j, b] of chunk.entries()) signed.push(SignedEvent.encode({ event: b, signature: new Uint8Array(sigs[j]) }))
  }
  const pages = []
  let size = seq - n
  for (let i = 0; i < evs.length; i += 500) {
    const page = evs.slice(i, i + 500)
    for (const b of page) frontier = frontierAppend(frontier, size++, leafHash(b))
    const cp = await signCheckpoint({ author: 'CH', size: BigInt(size), root: frontierRoot(frontier), time: BigInt(NOW) }, signer)
    pages.push({ events: signed.slice(i, i + 500), checkpoint: cp.bytes })
  }
  return pages
}

const rep = await Ledger.open({ location: join(work, 'replica'), party: 'TH', trust, now: () => NOW })
const rawGetDb = new Level(join(work, 'rawget'), { valueEncoding: 'view' })
let held = 0
let perEventMeasured = false
/**
 * Catch-up of the first 100k replicated permits (or the largest size, if
 * smaller), summed over the rounds that grow the replica: checkpoint-verified
 * pages of 500 against raw batched puts of the same bytes.
 */
const CATCH_UP = Math.min(100_000, SIZES[SIZES.length - 1])
const catchUp = { events: 0, ms: 0, withIndexMs: 0, baseEvents: 0, baseMs: 0 }
for (const size of SIZES) {
  console.error(`growing the replica to ${size} permits ...`)
  while (held < size) {
    const n = Math.min(20_000, size - held)
    const pages = await makeEvents(n)
    // Once, the first page goes through per-event signature checks (what a
    // page without a covering checkpoint costs); the rest as
    // checkpoint-verified sync pages.
    const perEvent = !perEventMeasured
    // Both sides start from a collected heap: generating and signing the
    // events above leaves garbage that would otherwise be collected during
    // whichever is timed first.
    global.gc?.()
    const t0 = performance.now()
    let perEventMs = 0
    for (const [i, p] of pages.entries()) {
      const t = performance.now()
      await (i === 0 && perEvent ? rep.acceptEvents(p.events) : rep.acceptEvents(p.events, { checkpoint: p.checkpoint }))
      if (i === 0 && perEvent) perEventMs = performance.now() - t
    }
    const ingestMs = performance.now() - t0 - perEventMs
    // Derived state (permit states, indexes) follows the log in the
    // background; wait for it, so it is timed and never overlaps the baseline.
    await rep.waitForIndex()
    const withIndexMs = performance.now() - t0 - perEventMs
    // raw baseline: the same bytes, same batch size, no checks
    global.gc?.()
    const t1 = performance.now()
    let k = held
    for (const p of pages) await rawGetDb.batch(p.events.map((v) => ({ type: 'put', key: `e${String(k++).padStart(10, '0')}`, value: v })))
    const baseMs = performance.now() - t1
    // Every event must have been taken (a refused page would time nothing).
    if (rep.heads().get('CH')?.size !== held + n) throw new Error(`the replica holds ${rep.heads().get('CH')?.size ?? 0} events of CH, not ${held + n}`)
    if (perEvent) {
      row('ingest of replica events, per-event signature checks, events/s', pages[0].events.length / (perEventMs / 1000), n / (baseMs / 1000), 'raw batched puts/s of the same bytes')
      perEventMeasured = true
    }
    if (held < CATCH_UP) {
      catchUp.events += n - (perEvent ? pages[0].events.length : 0)
      catchUp.ms += ingestMs
      catchUp.withIndexMs += withIndexMs
      catchUp.baseEvents += n
      catchUp.baseMs += baseMs
      if (held + n >= CATCH_UP) {
        const base = catchUp.baseEvents / (catchUp.baseMs / 1000)
        row(`catch-up of ${CATCH_UP.toLocaleString('en')} replicated permits (v2 summary events, ${sizeV2} B), checkpoint-verified pages of 500 (log durable, verified), events/s`, catchUp.events / (catchUp.ms / 1000), base, 'raw batched puts/s of the same bytes', '≥ 25% of raw', 'catch-up', { ratioMin: 0.25 })
        row('  ... and until permit states and indexes are derived, events/s', catchUp.events / (catchUp.withIndexMs / 1000), base, 'raw batched puts/s of the same bytes')
      }
    }
    held += n
  }
  // status lookups vs raw gets, random keys, sequential awaits
  const samples = 3000
  const ours = []
  const base = []
  for (let i = 0; i < samples; i++) {
    const k = 1 + Math.floor(Math.random() * size)
    let t = performance.now()
    const s = await rep.status('CH', `26CHB${k}`)
    ours.push(performance.now() - t)
    if (s === undefined) throw new Error(`26CHB${k} missing`)
    t = performance.now()
    await rawGetDb.get(`e${String(k - 1).padStart(10, '0')}`)
    base.push(performance.now() - t)
  }
  row(`status lookup p50 at ${size.toLocaleString('en')} permits, ms`, median(ours), median(base), 'raw get ms')
  row(`status lookup p99 at ${size.toLocaleString('en')} permits, ms`, pct(ours, 0.99), pct(base, 0.99), 'raw get ms', size >= 1_000_000 ? '≤ 2× raw' : '', `lookup-p99-${size}`, size >= 1_000_000 ? { ratioMax: 2 } : undefined)
}
await rep.close(); await raw.close(); await rawGetDb.close()
// RSS of a process that opens the largest ledger and serves 10,000 lookups:
// what a node holding that many permits costs, without this bench's own
// allocations (event generation) inflating it.
const child = spawnSync(process.execPath, ['--input-type=module', '-e', `
  import '@cites/node20-polyfill'
  import { Ledger } from '${new URL('../dist/index.js', import.meta.url).href}'
  const l = await Ledger.open({ location: ${JSON.stringify(join(work, 'replica'))}, trust: { certificatesFor: () => undefined } })
  for (let i = 0; i < 10000; i++) await l.status('CH', '26CHB' + (1 + Math.floor(Math.random() * ${SIZES[SIZES.length - 1]})))
  console.log(process.memoryUsage().rss)
  await l.close()`], { encoding: 'utf8', cwd: fileURLToPath(new URL('..', import.meta.url)) })
const rss = Number(child.stdout.trim()) / 1048576
// Baseline: the same process holding the raw level DB of the same events, serving 10,000 gets.
const rawChild = spawnSync(process.execPath, ['--input-type=module', '-e', `
  import { Level } from 'level'
  const db = new Level(${JSON.stringify(join(work, 'rawget'))}, { valueEncoding: 'view' })
  for (let i = 0; i < 10000; i++) await db.get('e' + String(Math.floor(Math.random() * ${SIZES[SIZES.length - 1]})).padStart(10, '0'))
  console.log(process.memoryUsage().rss)
  await db.close()`], { encoding: 'utf8', cwd: fileURLToPath(new URL('..', import.meta.url)) })
const rawRss = Number(rawChild.stdout.trim()) / 1048576
rmSync(work, { recursive: true, force: true })

console.log(`\nLedger benchmark — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}; baselines are raw \`level\` 10 in the same run\n`)
console.log(`Replica ISSUED events are v2 summaries of ${sizeV2} B each (in the v1 shape, with the 1 KiB stand-in document this bench used up to r16: ${sizeV1} B).\n`)
console.log('| measure | ours | raw level | ratio | target |')
console.log('|---|---|---|---|---|')
for (const r of rows) {
  const ratio = r.what.includes('ms') ? `${fmt(r.ours / r.base)}× raw` : `${(100 * r.ours / r.base).toFixed(0)}% of raw`
  console.log(`| ${r.what} | ${fmt(r.ours)} | ${fmt(r.base)} (${r.unit}) | ${ratio} | ${r.target} |`)
}
record({ bench: 'ledger', id: 'rss', figure: `RSS holding ${SIZES[SIZES.length - 1].toLocaleString('en')} permits, serving lookups`, unit: 'MiB', ours: rss, baseline: rawRss, baselineLabel: 'MiB of the same process holding the raw level DB of the same events', better: 'lower', target: { max: 300 }, targetText: '< 300 MiB' })
console.log(`\nRSS of a process holding the ${SIZES[SIZES.length - 1].toLocaleString('en')}-permit ledger open and serving 10,000 lookups: ${rss.toFixed(0)} MiB (target < 300 MiB)`)
