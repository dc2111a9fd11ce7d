#!/usr/bin/env node
// `npm run bench`: every benchmark, each run several times, then one table in
// BENCHMARKS.md: each headline figure with the baseline measured in the same
// run, the ratio, the target and whether it is met, as medians over the runs,
// with the machine and the date. Each bench also prints its own full table.
//
//   npm run bench                                  all, 3 runs (pilot: 1 run of 5, 20 and 64 nodes)
//   npm run bench -- --runs 5 --only network,http
//   npm run bench -- --pilot-sizes 5,20            skip the 64-node pilot (~10 min)
//   npm run bench -- --out /tmp/B.md               write elsewhere
//
// The figures also go to BENCHMARKS.json beside the table. With --only, the
// benches not run keep their figures from there (each bench's date is shown),
// so one bench can be measured again without re-running the hour.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { cpus, totalmem, release, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'pilot-runs': { type: 'string', default: '1' },
    'pilot-sizes': { type: 'string', default: process.env.BENCH_PILOT_SIZES ?? '5,20,64' },
    only: { type: 'string' },
    out: { type: 'string', default: 'BENCHMARKS.md' }
  }
})
const positive = (name, v) => {
  if (!/^\d{1,3}$/.test(v) || Number(v) < 1) { console.error(`--${name} must be a whole number of at least 1 (got ${v})`); process.exit(2) }
  return Number(v)
}
const RUNS = positive('runs', args.runs)
const PILOT_RUNS = positive('pilot-runs', args['pilot-runs'])
if (!/^\d+(,\d+)*$/.test(args['pilot-sizes'])) { console.error('--pilot-sizes must be a comma-separated list of node counts'); process.exit(2) }

const BENCHES = [
  { name: 'xml-signature', file: 'packages/xml-signature/bench/sign-verify.mjs', runs: RUNS, what: 'XML-DSig sign and verify, both crypto engines, 4.7 KB and 98 KB permits, hostile inputs' },
  { name: 'ledger', file: 'packages/ledger/bench/ledger.mjs', runs: RUNS, what: 'LevelDB ledger: issue, consume, replica catch-up, lookups at 10k/100k/1M permits, RSS' },
  { name: 'network', file: 'packages/node/bench/network.mjs', runs: RUNS, what: 'two permit nodes on loopback: customs verify and consume over libp2p' },
  { name: 'refdata', file: 'packages/refdata/bench/refdata.mjs', runs: RUNS, what: 'reference data: loading the shipped snapshot (time, RSS), taxon-name lookup p50/p99 against a plain Map' },
  { name: 'privacy', file: 'packages/node/bench/privacy.mjs', runs: RUNS, what: 'ledger events v2 (summary + document hash) against v1 (document inside): gossip, sync and delivery bytes per permit per peer from real encodings; HTTP verify by presented XML against by number at the destination and at a non-party node (three nodes on loopback)' },
  { name: 'http', file: 'packages/node/bench/http.mjs', runs: RUNS, what: 'the HTTP API under load (autocannon), ledger of 100k permits' },
  { name: 'pilot', file: 'test-network/bench/pilot.mjs', runs: PILOT_RUNS, what: `the pilot network at ${args['pilot-sizes']} nodes (each node its own process)`, env: { BENCH_PILOT_SIZES: args['pilot-sizes'] } }
]
const only = args.only?.split(',').map((s) => s.trim())
for (const o of only ?? []) if (!BENCHES.some((b) => b.name === o)) { console.error(`no bench "${o}"; choose ${BENCHES.map((b) => b.name).join(', ')}`); process.exit(2) }
const chosen = BENCHES.filter((b) => only === undefined || only.includes(b.name))

/**
 * Why a figure misses its target, and what would close it. Shown in
 * BENCHMARKS.md only when the median misses; keep these true to the latest
 * profiles (see the package READMEs).
 */
const WHY_MISSED = {
  'ledger/catch-up': 'Per event, catch-up decodes the signed envelope and the event, hashes the leaf, extends the Merkle frontier and checks the chain in JavaScript (about 4 µs an event in a profile), then writes the log entry through a sublevel; raw `level` writes the same bytes and nothing else. The raw baseline itself swings 2× between runs with LevelDB compactions. To close it: decode only `seq` and `prev_hash` for a checkpoint-covered page, hash on a worker while the previous page is written, and write pages through one prefixed batch instead of sublevel operations.',
  'pilot/formed-64': 'Almost all of it is 64 node processes starting on 2 shared cores while the first ones already open connections (about 2,000 Noise handshakes). To close it: a V8 start-up snapshot of the node bundle, starting nodes in waves sized to the cores, and one process hosting several nodes in the pilot.',
  'pilot/gossip-p99-64': 'Each event is validated by 63 replicas and forwarded through a mesh of degree 4 on 2 cores; profiles show socket writes (Noise and yamux per copy) and per-message Ed25519 key imports in gossipsub. To close it: batch several events per gossip message, coalesce socket writes, and cache imported peer keys.',
  'network/warm-p99': 'The p99 of a few hundred samples on a shared 2-core machine moves with the other tenants; the p50 is at the raw round trip.',
  'http/verify-number-rate': 'The node\'s own work per request is now about 8 µs (permit states are cached in memory); the rest is HTTP. A verdict answer is 2–3 KB (checks, state, permit summary, history) against the baseline\'s 16 bytes, and a profile puts about a third of the server\'s CPU in the socket write (`writev`) alone; the client shares the same two cores. To close it: a leaner default answer (the history and state on request), and a Fastify response schema so that fast-json-stringify replaces JSON.stringify.',
  'http/verify-number-p99': 'autocannon reports whole milliseconds, and the p99 moves with the machine\'s other tenants.'
}

const work = mkdtempSync(join(tmpdir(), 'cites-bench-'))
const records = []
const failures = []
const started = Date.now()
for (const b of chosen) {
  for (let run = 1; run <= b.runs; run++) {
    console.log(`\n=== bench: ${b.name} (run ${run} of ${b.runs}) ===`)
    const file = join(work, `${b.name}-${run}.jsonl`)
    const t0 = Date.now()
    const r = spawnSync(process.execPath, ['--expose-gc', b.file], { stdio: 'inherit', env: { ...process.env, ...b.env, CITES_BENCH_RECORD: file } })
    if (r.status !== 0) { failures.push(`${b.name} run ${run} exited ${r.status ?? r.signal}`); continue }
    if (!existsSync(file)) { failures.push(`${b.name} run ${run} recorded no figure`); continue }
    for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) records.push({ ...JSON.parse(line), run })
    console.log(`=== ${b.name} run ${run}: ${((Date.now() - t0) / 1000).toFixed(0)} s ===`)
  }
}
rmSync(work, { recursive: true, force: true })
const benchDate = new Date().toISOString()
for (const r of records) r.date = benchDate
// Keep the other benches' figures from the last full table.
const jsonOut = args.out.replace(/\.md$/, '') + '.json'
const kept = []
if (only !== undefined && existsSync(jsonOut)) {
  for (const r of JSON.parse(readFileSync(jsonOut, 'utf8')).records ?? []) if (!only.includes(r.bench)) kept.push(r)
}
records.unshift(...kept)

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = Math.floor(s.length / 2); return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2 }
const fmt = (x) => Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en') : Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : Math.abs(x) >= 0.1 ? x.toFixed(2) : x.toFixed(3)

// Group by figure, in the order first recorded.
const figures = new Map()
for (const r of records) {
  const key = `${r.bench}/${r.id}`
  if (!figures.has(key)) figures.set(key, { ...r, key, ours: [], baseline: [], ratio: [] })
  const f = figures.get(key)
  f.ours.push(r.ours); f.baseline.push(r.baseline); f.ratio.push(r.ours / r.baseline)
}
const rows = [...figures.values()].map((f) => {
  const ours = median(f.ours)
  const baseline = median(f.baseline)
  // The ratio is taken within each run (same-run baseline), then the median.
  const ratio = median(f.ratio)
  const t = f.target
  const met = t === undefined ? undefined : t.min !== undefined ? ours >= t.min : t.max !== undefined ? ours <= t.max : t.ratioMin !== undefined ? ratio >= t.ratioMin : ratio <= t.ratioMax
  return { ...f, oursMedian: ours, baselineMedian: baseline, ratioMedian: ratio, met, n: f.ours.length, lo: Math.min(...f.ours), hi: Math.max(...f.ours) }
})

const shown = BENCHES.filter((b) => records.some((r) => r.bench === b.name))
const runsOf = (name) => new Set(records.filter((r) => r.bench === name).map((r) => r.run)).size
const dateOf = (name) => (records.find((r) => r.bench === name)?.date ?? benchDate).slice(0, 16).replace('T', ' ') + ' UTC'
const cpu = cpus()
const machine = `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Linux ${release()}, Node ${process.version}`
const date = new Date().toISOString()
const ratioText = (r) => !Number.isFinite(r.ratioMedian) ? '— (baseline rounds to 0)' : r.better === 'higher' ? (r.ratioMedian >= 1 ? `${fmt(r.ratioMedian)}×` : `${(100 * r.ratioMedian).toFixed(1)}%`) : `${fmt(r.ratioMedian)}×`
const metText = (m) => m === undefined ? '—' : m ? '**met**' : '**missed**'
const missed = rows.filter((r) => r.met === false)
const out = [
  '# Benchmarks',
  '',
  '> Written by `npm run bench` (scripts/bench.mjs). Do not edit by hand: run it again.',
  '',
  `- **Date:** ${date}`,
  `- **Machine:** ${machine}. Shared and noisy: every figure is a median over runs, and its baseline is measured in the same run.`,
  `- **Runs:** ${shown.map((b) => `${b.name} ${runsOf(b.name)} (${dateOf(b.name)})`).join(', ')}; this command took ${((Date.now() - started) / 60000).toFixed(0)} min.`,
  `- **Command:** \`npm run bench${process.argv.slice(2).length > 0 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\``,
  '',
  'Ratio is ours ÷ baseline, computed within each run, then the median. For rates (higher is better) under 1 it is a percentage of the baseline.',
  '',
  '| bench | figure | ours (median) | runs: min–max | baseline (same run, median) | ratio | target | |',
  '|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.bench} | ${r.figure} | ${fmt(r.oursMedian)} ${r.unit} | ${r.n}: ${fmt(r.lo)}–${fmt(r.hi)} | ${fmt(r.baselineMedian)} (${r.baselineLabel}) | ${ratioText(r)} | ${r.targetText ?? '—'} | ${metText(r.met)} |`),
  '',
  '## What each bench measures',
  '',
  ...shown.map((b) => `- **${b.name}** (\`${b.file}\`, \`npm run bench:${b.name}\`): ${b.what}.`),
  '',
  '## Targets missed: why, and what would close it',
  '',
  ...(missed.length === 0 ? ['None in this run.'] : missed.map((r) => `- **${r.bench}: ${r.figure}** — ${fmt(r.oursMedian)} ${r.unit} against ${r.targetText}. ${WHY_MISSED[r.key] ?? 'No explanation recorded yet: profile it.'}`)),
  ...(failures.length > 0 ? ['', '## Benches that failed', '', ...failures.map((f) => `- ${f}`)] : []),
  ''
]
writeFileSync(args.out, out.join('\n'))
writeFileSync(jsonOut, JSON.stringify({ machine, records }, null, 1) + '\n')
console.log(`\n${out.slice(10, 12 + rows.length).join('\n')}\n\nwrote ${args.out}${failures.length > 0 ? `; ${failures.length} bench run(s) failed` : ''}`)
process.exit(failures.length === 0 ? 0 : 1)
