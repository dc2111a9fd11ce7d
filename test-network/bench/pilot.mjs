// `npm run bench:pilot`: the pilot network at 5, 20 and 64 nodes (each node
// its own process on this machine), measured through the nodes' HTTP APIs:
//   - time for the network to form (all processes up, every node connected
//     to every other); baseline: the time to start the processes alone;
//   - issue-to-delivered latency (the destination's signed acknowledgement
//     recorded at the issuer), p50/p99;
//   - gossip-to-all latency (the permit held by every node), p50/p99;
//     baseline for both: one HTTP round trip to a node (/health) in the same run;
//   - catch-up of a node that was down while 1000 permits were issued
//     (restart to holding all 1000); baseline: the time the issuer took to
//     issue them;
//   - total RSS of the node processes.
// BENCH_PILOT_SIZES=5,20,64 BENCH_PILOT_PERMITS (default 20; 10 above 20 nodes)
// BENCH_PILOT_CATCHUP (default 1000; 200 above 20 nodes, where issuing 1000
// alone takes ~12 minutes on two cores)
import '@cites/node20-polyfill'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { NodeClient, killNode, nodePid, pilotDown, pilotPermit, pilotUp, restartNode } from '../dist/index.js'
import { record } from '../../scripts/bench-record.mjs'

const SIZES = (process.env.BENCH_PILOT_SIZES ?? '5,20,64').split(',').map(Number)
const permitsFor = (size) => Number(process.env.BENCH_PILOT_PERMITS ?? (size > 20 ? 10 : 20))
const catchUpFor = (size) => Number(process.env.BENCH_PILOT_CATCHUP ?? (size > 20 ? 200 : 1000))
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * p))] }
const fmt = (x) => x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)
const rssOf = (pid) => { try { return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024 } catch { return 0 } }
const rows = []

for (const size of SIZES) {
  const dir = join(mkdtempSync(join(tmpdir(), 'cites-bench-pilot-')), 'pilot')
  const basePort = 20000 + Math.floor(Math.random() * 100) * 100
  console.error(`\n== ${size} nodes ==`)
  const K = permitsFor(size)
  const CATCHUP = catchUpFor(size)
  try {
    const up = await pilotUp({ nodes: size, dir, basePort, nodeMemoryMb: 160, progress: (l) => console.error(`  ${l}`), timeoutMs: 300_000 })
    const { layout } = up
    const by = (p) => new NodeClient(layout.nodes.find((n) => n.party === p))
    const ch = by('CH')
    // Baseline: an HTTP round trip to a node.
    const rtt = []
    for (let i = 0; i < 50; i++) { const t = performance.now(); await ch.health(); rtt.push(performance.now() - t) }
    const delivered = []
    const toAll = []
    const clients = layout.nodes.map((n) => new NodeClient(n))
    for (let i = 0; i < K; i++) {
      const number = `26CHB${size}${String(i).padStart(4, '0')}`
      const arrivals = clients.map(async (c) => { await c.request('GET', `/v1/permits/CH/${number}?wait=20000`, { role: 'viewer', timeoutMs: 30_000 }); return performance.now() })
      await new Promise((resolve) => setTimeout(resolve, 20)) // the long polls are in place
      const t0 = performance.now()
      const r = await ch.request('POST', '/v1/permits', { role: 'issuer', body: pilotPermit('CH', 'TH', number) })
      if (r.status !== 201) throw new Error(`issue: ${r.status} ${JSON.stringify(r.body)}`)
      for (;;) {
        const d = await ch.request('GET', '/v1/deliveries?state=delivered', { role: 'viewer' })
        if (d.body.some((e) => e.number === number)) { delivered.push(performance.now() - t0); break }
        if (performance.now() - t0 > 20_000) throw new Error('not delivered in 20 s')
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
      toAll.push(Math.max(...await Promise.all(arrivals)) - t0)
    }
    // Catch-up: FR is down while CH issues CATCHUP permits.
    await killNode(layout, 'FR')
    const tIssue = performance.now()
    let last = ''
    let next = 0
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (next < CATCHUP) {
        const i = next++
        const number = `26CHC${size}${String(i).padStart(5, '0')}`
        const r = await ch.request('POST', '/v1/permits', { role: 'issuer', body: pilotPermit('CH', 'US', number) })
        if (r.status !== 201) throw new Error(`issue: ${r.status}`)
        if (i === CATCHUP - 1) last = number
      }
    }))
    const issueMs = performance.now() - tIssue
    const expected = (await ch.status()).logs.CH
    const tRestart = performance.now()
    await restartNode(layout, 'FR')
    const restartedMs = performance.now() - tRestart
    const fr = by('FR')
    for (;;) {
      const s = await fr.status().catch(() => undefined)
      if (s !== undefined && (s.logs.CH ?? 0) >= expected) break
      if (performance.now() - tRestart > 120_000) throw new Error('FR did not catch up in 120 s')
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const catchUpMs = performance.now() - tRestart
    const held = await fr.request('GET', `/v1/permits/CH/${last}`, { role: 'viewer' })
    if (held.status !== 200) throw new Error('FR lacks the last permit after catching up')
    const rss = layout.nodes.map((n) => nodePid(n)).filter((p) => p !== undefined).reduce((a, p) => a + rssOf(p), 0)
    rows.push({ size, K, CATCHUP, formedMs: up.formedMs, startedMs: up.startedMs, rtt: pct(rtt, 0.5), delivered50: pct(delivered, 0.5), delivered99: pct(delivered, 0.99), toAll50: pct(toAll, 0.5), toAll99: pct(toAll, 0.99), catchUpMs, restartedMs, issueMs, rss })
    console.error(`  formed ${fmt(up.formedMs / 1000)} s; delivered p50 ${fmt(pct(delivered, 0.5))} ms; to all p99 ${fmt(pct(toAll, 0.99))} ms; catch-up ${fmt(catchUpMs / 1000)} s; RSS ${(rss / 2 ** 30).toFixed(2)} GiB`)
  } finally {
    await pilotDown(dir).catch(() => {})
    rmSync(join(dir, '..'), { recursive: true, force: true })
  }
}

console.log('\nPilot network on one machine (each node its own process, V8 heap ≤ 160 MiB)')
console.log(`node ${process.version}, ${new Date().toISOString()}\n`)
console.log('| nodes | formed, s (baseline: processes started, s) | issue→delivered p50 / p99 ms (n) | gossip→all p50 / p99 ms | baseline: HTTP round trip p50 ms | catch-up, s (of which process restart) | baseline: issuing them, s | total RSS GiB |')
console.log('|---|---|---|---|---|---|---|---|')
for (const r of rows) {
  console.log(`| ${r.size} | ${fmt(r.formedMs / 1000)} (${fmt(r.startedMs / 1000)}) | ${fmt(r.delivered50)} / ${fmt(r.delivered99)} (${r.K}) | ${fmt(r.toAll50)} / ${fmt(r.toAll99)} | ${fmt(r.rtt)} | ${r.CATCHUP} permits: ${fmt(r.catchUpMs / 1000)} (${fmt(r.restartedMs / 1000)}) | ${fmt(r.issueMs / 1000)} | ${(r.rss / 2 ** 30).toFixed(2)} |`)
}
console.log('\nTargets: 64 nodes form in < 60 s; gossip-to-all p99 < 1 s; catch-up of 1000 permits < 5 s.')
for (const r of rows) {
  const n = `${r.size} nodes`
  record({ bench: 'pilot', id: `formed-${r.size}`, figure: `pilot of ${n}: mesh formed`, unit: 's', ours: r.formedMs / 1000, baseline: r.startedMs / 1000, baselineLabel: 'the node processes started (health answered)', better: 'lower', ...(r.size >= 64 ? { target: { max: 60 }, targetText: '< 60 s' } : {}) })
  record({ bench: 'pilot', id: `gossip-p99-${r.size}`, figure: `pilot of ${n}: issue → on every node, p99 (${r.K} permits)`, unit: 'ms', ours: r.toAll99, baseline: r.rtt, baselineLabel: 'one HTTP round trip to a node, p50', better: 'lower', target: { max: 1000 }, targetText: '< 1 s' })
  record({ bench: 'pilot', id: `delivered-p50-${r.size}`, figure: `pilot of ${n}: issue → delivered and acknowledged, p50`, unit: 'ms', ours: r.delivered50, baseline: r.rtt, baselineLabel: 'one HTTP round trip to a node, p50', better: 'lower' })
  record({ bench: 'pilot', id: `catch-up-${r.size}`, figure: `pilot of ${n}: a restarted node catches up ${r.CATCHUP} permits (restart included)`, unit: 's', ours: r.catchUpMs / 1000, baseline: r.issueMs / 1000, baselineLabel: 'the issuer issuing them, s', better: 'lower', ...(r.CATCHUP >= 1000 ? { target: { max: 5 }, targetText: '< 5 s' } : {}) })
  record({ bench: 'pilot', id: `rss-${r.size}`, figure: `pilot of ${n}: total RSS`, unit: 'GiB', ours: r.rss / 2 ** 30, baseline: r.size * 0.16, baselineLabel: 'the V8 heap ceilings (160 MiB a node)', better: 'lower' })
}
