#!/usr/bin/env node
// Reference data: loading the shipped snapshot (time, RSS growth), and name
// lookup (taxon()) p50/p99 against a plain Map.get of the same keys in the
// same run: warm (answers memoised per name, the case of issuance and
// verdicts, which ask the same species again and again) and cold (the
// first lookup of each name). Then the verdict with and without the
// reference check (verdict-with-reference.mjs).
// `npm run bench:refdata` (run `npx tsc -b` first).
import { performance } from 'node:perf_hooks'
import { record } from '../../../scripts/bench-record.mjs'
import { loadReferenceData, nameKey, ReferenceData } from '../dist/index.js'

const gc = globalThis.gc ?? (() => {})
gc()
const rss0 = process.memoryUsage().rss
const t0 = performance.now()
const rd = loadReferenceData()
const loadMs = performance.now() - t0
gc()
const rssMiB = (process.memoryUsage().rss - rss0) / 2 ** 20

// Keys: every accepted and synonym name, shuffled deterministically, as typed (mixed case).
const names = [...rd.snapshot.taxa.map((t) => t[0]), ...rd.snapshot.synonyms.map((s) => s[0])]
let seed = 42
const rand = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff }
const sample = Array.from({ length: 20000 }, () => names[Math.floor(rand() * names.length)])
const plain = new Map(names.map((n, i) => [n, i]))
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))] }
// Batches of 50 lookups per sample: one lookup is below the timer's resolution.
const BATCH = 50
function measure (f) {
  const out = []
  for (let i = 0; i + BATCH <= sample.length; i += BATCH) {
    const t = performance.now()
    for (let j = i; j < i + BATCH; j++) f(sample[j])
    out.push((performance.now() - t) * 1000 / BATCH)
  }
  return out
}
let sink = 0
for (let w = 0; w < 2; w++) { measure((n) => { sink += rd.taxon(n).found ? 1 : 0 }); measure((n) => { sink += plain.get(n) ?? 0 }) }
const ours = measure((n) => { sink += rd.taxon(n).found ? 1 : 0 })
const base = measure((n) => { sink += plain.get(n) ?? 0 })
// The index's own cost (normalised key + Map) without building the answer.
const keyed = new Map(names.map((n, i) => [nameKey(n), i]))
const idx = measure((n) => { sink += keyed.get(nameKey(n)) ?? 0 })
// Cold: a fresh index over the same snapshot, each sampled name looked up for the first time.
const cold = new ReferenceData(rd.snapshot)
const coldUs = measure((n) => { sink += cold.taxon(n).found ? 1 : 0 })
const [c50, c99] = [pct(coldUs, 0.5), pct(coldUs, 0.99)]
const [o50, o99, b50, b99, i50, i99] = [pct(ours, 0.5), pct(ours, 0.99), pct(base, 0.5), pct(base, 0.99), pct(idx, 0.5), pct(idx, 0.99)]

console.log(`snapshot ${rd.snapshotDate}: ${rd.snapshot.taxa.length} taxa, ${rd.snapshot.synonyms.length} synonyms (sink ${sink > 0})`)
console.log('| figure | value |\n|---|---|')
console.log(`| load (read, gunzip, parse, index) | ${loadMs.toFixed(0)} ms |`)
console.log(`| RSS growth after load | ${rssMiB.toFixed(1)} MiB |`)
console.log(`| taxon(name) p50 / p99 | ${o50.toFixed(2)} / ${o99.toFixed(2)} µs |`)
console.log(`| taxon(name) first lookup of a name (cold) p50 / p99 | ${c50.toFixed(2)} / ${c99.toFixed(2)} µs |`)
console.log(`| Map.get(name) p50 / p99 (same keys, same run) | ${b50.toFixed(3)} / ${b99.toFixed(3)} µs |`)
console.log(`| nameKey + Map.get p50 / p99 | ${i50.toFixed(3)} / ${i99.toFixed(3)} µs |`)
console.log(`| ratio taxon()/Map p50, p99 | ${(o50 / b50).toFixed(1)}×, ${(o99 / b99).toFixed(1)}× |`)
record({ bench: 'refdata', id: 'load', figure: 'load the shipped snapshot', unit: 'ms', ours: loadMs, baseline: loadMs, baselineLabel: 'itself (no baseline)', better: 'lower' })
record({ bench: 'refdata', id: 'rss', figure: 'RSS growth after loading the snapshot', unit: 'MiB', ours: rssMiB, baseline: rssMiB, baselineLabel: 'itself (no baseline)', better: 'lower' })
record({ bench: 'refdata', id: 'lookup-p99', figure: 'taxon(name) p99', unit: 'µs', ours: o99, baseline: b99, baselineLabel: 'µs, Map.get of the same names, same run', better: 'lower' })
record({ bench: 'refdata', id: 'lookup-cold-p99', figure: 'taxon(name) p99, first lookup of each name', unit: 'µs', ours: c99, baseline: b99, baselineLabel: 'µs, Map.get of the same names, same run', better: 'lower' })
record({ bench: 'refdata', id: 'lookup-p50', figure: 'taxon(name) p50', unit: 'µs', ours: o50, baseline: b50, baselineLabel: 'µs, Map.get of the same names, same run', better: 'lower' })

await import('./verdict-with-reference.mjs')
