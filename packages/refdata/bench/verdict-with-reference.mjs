#!/usr/bin/env node
// The customs verdict with and without the reference-data check (issue 14
// item 9: at most 20% slower), on the same signed permits in the same run.
// Two figures: the first verdict of a document (XML-DSig verified), and a
// verdict from the document cache (the bytes judged before), where the
// reference check's share is largest. Medians of alternating rounds.
//
//   npm run bench:refdata   (runs refdata.mjs, then this)
import '../../node20-polyfill/dist/index.js'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { record } from '../../../scripts/bench-record.mjs'
import { permitFromJsonText } from '../../permit/dist/index.js'
import { loadSigner, signPermit } from '../../xml-signature/dist/index.js'
import { judgeDocument, withReference } from '../../verdict/dist/index.js'
import { sharedReferenceData } from '../dist/index.js'

const V = fileURLToPath(new URL('../../../protocol-spec/vectors/', import.meta.url))
const read = (p) => readFileSync(V + p, 'utf8')
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7)
const N = Number(process.env.BENCH_PERMITS ?? 150)
const certs = { CH: [{ certificate: read('keys/CH/cert.pem'), grantedAt: '2026-01-01T00:00:00Z' }] }
const trustView = () => ({ sequence: 1, certificatesFor: (p) => certs[p] ?? [] })
const now = new Date('2026-11-15T00:00:00Z')
const rd = sharedReferenceData()

// Permits with a few species each (the vector's two lines, and more real ones).
const SPECIES = [['Python regius', 'LIV', 'II', 'C'], ['Dendrobates tinctorius', 'LIV', 'II', 'C'], ['Crocodylus niloticus', 'SKI', 'II', 'W'], ['Loxodonta africana', 'TUS', 'II', 'W'], ['Aquilaria malaccensis', 'CHP', 'II', 'W'], ['Panax quinquefolius', 'ROO', 'II', 'W']]
const signer = await loadSigner(read('keys/CH/key.pem'), read('keys/CH/cert.pem'))
const docs = []
for (let i = 0; i < N; i++) {
  const p = permitFromJsonText(read('permits/ch-export-th.json'))
  p.number = `26CHB${String(i).padStart(5, '0')}`
  const base = p.lines[0]
  p.lines = [0, 1, 2].map((k) => { const [scientificName, term, appendix, source] = SPECIES[(i + k) % SPECIES.length]; return { ...base, id: 'ABC'[k], scientificName, term, appendix, source, originCountry: 'TZ' } })
  docs.push(await signPermit(p, signer, 'CH'))
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] }
let sink = 0
/** µs per verdict over all docs; `fresh`: a new trust view (an empty document cache) for the round. */
async function round (useReference, fresh, shared) {
  const trust = fresh ? trustView() : shared
  const t0 = performance.now()
  for (const xml of docs) {
    const v = await judgeDocument(xml, { trust, now })
    // The node's path (withReference): the check is kept per permit read, so a cached document pays it once.
    if (useReference) sink += withReference(v, rd).checks.length
    sink += v.checks.length
  }
  return (performance.now() - t0) * 1000 / docs.length
}
const results = {}
for (const [label, fresh] of [['first verdict (XML-DSig)', true], ['cached document', false]]) {
  const shared = trustView()
  await round(false, fresh, shared); await round(true, fresh, shared) // warm-up (fills the cache for the cached case)
  const off = []; const on = []
  for (let r = 0; r < ROUNDS; r++) { off.push(await round(false, fresh, shared)); on.push(await round(true, fresh, shared)) }
  results[label] = { off: median(off), on: median(on) }
}
console.log(`${N} permits of 3 lines, ${ROUNDS} alternating rounds; reference data of ${rd.snapshotDate} (sink ${sink > 0})`)
console.log('| verdict | without reference | with reference | ratio |\n|---|---|---|---|')
for (const [label, { off, on }] of Object.entries(results)) console.log(`| ${label} | ${off.toFixed(1)} µs | ${on.toFixed(1)} µs | ${(on / off).toFixed(3)} |`)
const first = results['first verdict (XML-DSig)']
const cached = results['cached document']
record({ bench: 'refdata', id: 'verdict-ratio', figure: 'verdict with the reference check / without (first verdict of a document)', unit: 'µs', ours: first.on, baseline: first.off, baselineLabel: 'µs, the same verdict without the reference check, same run', better: 'lower', target: { ratioMax: 1.2 }, targetText: '≤ 1.20×' })
record({ bench: 'refdata', id: 'verdict-ratio-cached', figure: 'verdict with the reference check / without (cached document)', unit: 'µs', ours: cached.on, baseline: cached.off, baselineLabel: 'µs, the same verdict without the reference check, same run', better: 'lower' })
