#!/usr/bin/env node
// XML-DSig benchmark: sign/s and verify/s for a ~4 KB and a ~100 KB permit,
// with each WebCrypto engine, beside raw WebCrypto ECDSA on the same bytes
// (the baseline, measured in the same run). Also: work per byte (linearity)
// and the time to refuse each hostile vector. Medians of repeated rounds.
//
//   npm run bench:xml-signature            (quick: 5 rounds of ~0.6 s)
//   BENCH_ROUNDS=9 BENCH_MS=1500 npm run bench:xml-signature
import '@cites/node20-polyfill'
import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { cpus } from 'node:os'
import { permitFromJsonText, writePermitXml } from '@cites/permit'
import { record } from '../../../scripts/bench-record.mjs'
import {
  setCryptoEngine, cryptoEngine, loadSigner, signXml, verifySignedPermit, verifySignedDocument, signPermit, certificatePublicKey, parseCertificate
} from '@cites/xml-signature'

const V = fileURLToPath(new URL('../../../protocol-spec/vectors/', import.meta.url))
const read = (p) => readFileSync(V + p, 'utf8')
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const MS = Number(process.env.BENCH_MS ?? 600)

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] }

/** ops/s: median over ROUNDS rounds of about MS ms each. */
async function rate (fn) {
  for (let i = 0; i < 5; i++) await fn() // warm-up
  const rates = []
  for (let r = 0; r < ROUNDS; r++) {
    let n = 0
    const t0 = performance.now()
    while (performance.now() - t0 < MS) { await fn(); n++ }
    rates.push(n / ((performance.now() - t0) / 1000))
  }
  return median(rates)
}

function permitOfSize (target) {
  const p = permitFromJsonText(read('permits/ch-export-th.json'))
  if (target <= 5000) { p.lines = p.lines.slice(0, 1); delete p.conditions; delete p.signatory; delete p.consignor.address.street; delete p.consignee.address.street; return p }
  const line = p.lines[0]
  p.lines = []
  for (let i = 0; writePermitXml(p).length < target - 1200 && i < 100; i++) {
    p.lines.push({ ...line, id: `L${i}`, description: `${line.description} `.repeat(6).trim() })
  }
  return p
}

const trust = { CH: [{ certificate: read('keys/CH/cert.pem'), grantedAt: '2026-01-01T00:00:00Z' }] }
const certificatesFor = (party) => trust[party]
const now = new Date('2026-12-01T00:00:00Z')
const rows = []
const fmt = (x) => x >= 100 ? x.toFixed(0) : x.toFixed(1)

for (const engine of ['node', 'peculiar']) {
  setCryptoEngine(engine)
  const { crypto } = cryptoEngine()
  const signer = await loadSigner(read('keys/CH/key.pem'), read('keys/CH/cert.pem'))
  const pub = await certificatePublicKey(parseCertificate(read('keys/CH/cert.pem')))
  for (const size of [4000, 100_000]) {
    const permit = permitOfSize(size)
    const unsigned = writePermitXml(permit)
    const signed = await signPermit(permit, signer, 'CH')
    const bytes = new TextEncoder().encode(signed)
    const v = await verifySignedPermit(signed, { certificatesFor, now })
    if (!v.valid) throw new Error('benchmark permit does not verify')
    const alg = { name: 'ECDSA', hash: 'SHA-256' }
    const sigRaw = await crypto.subtle.sign(alg, signer.key, bytes)
    const rawSign = await rate(() => crypto.subtle.sign(alg, signer.key, bytes))
    const rawVerify = await rate(() => crypto.subtle.verify(alg, pub, sigRaw, bytes))
    const sign = await rate(() => signXml(unsigned, signer))
    const verifyDoc = await rate(() => verifySignedDocument(signed, { trusted: trust.CH, at: Date.parse('2026-11-02') }))
    const verifyPermit = await rate(() => verifySignedPermit(signed, { certificatesFor, now }))
    rows.push({ engine, kb: signed.length / 1024, sign, rawSign, verifyDoc, verifyPermit, rawVerify })
  }
}

// Hostile inputs: time to refuse each attack vector (median of 5), and heap growth.
setCryptoEngine('node')
const attacks = readdirSync(V + 'signature/attacks').filter((f) => f.endsWith('.xml'))
const base = read('signature/valid/ch-export-th.xml')
attacks.push('(10 MB)', '(10,000 levels)')
const hostile = (f) => f === '(10 MB)'
  ? base.replace('>Python regius<', `>Python regius${' '.repeat(10 * 1024 * 1024)}<`)
  : f === '(10,000 levels)' ? base.replace('>Python regius<', `>${'<x>'.repeat(10000)}${'</x>'.repeat(10000)}<`) : read(`signature/attacks/${f}`)
let worst = { f: '', ms: 0 }
global.gc?.()
const heap0 = process.memoryUsage().heapUsed
for (const f of attacks) {
  const xml = hostile(f)
  const times = []
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now()
    const v = await verifySignedPermit(xml, { certificatesFor, now })
    times.push(performance.now() - t0)
    if (v.valid && !f.startsWith('cert-') && !f.startsWith('unknown')) throw new Error(`${f} verified!`)
  }
  const m = median(times)
  if (m > worst.ms) worst = { f, ms: m }
}
global.gc?.()
const heapGrowthMiB = (process.memoryUsage().heapUsed - heap0) / 1048576

console.log(`\nXML-DSig benchmark — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}`)
console.log(`medians of ${ROUNDS} rounds × ${MS} ms; baseline = raw WebCrypto ECDSA P-256 on the same signed bytes, same engine, same run\n`)
console.log('| engine | permit | sign/s | raw sign/s | ratio | verify/s (signature) | verify/s (full permit verdict) | raw verify/s | ratio (full/raw) |')
console.log('|---|---|---|---|---|---|---|---|---|')
for (const r of rows) {
  console.log(`| ${r.engine} | ${r.kb.toFixed(1)} KB | ${fmt(r.sign)} | ${fmt(r.rawSign)} | 1/${fmt(r.rawSign / r.sign)} | ${fmt(r.verifyDoc)} | ${fmt(r.verifyPermit)} | ${fmt(r.rawVerify)} | 1/${fmt(r.rawVerify / r.verifyPermit)} |`)
}
console.log('\n| engine | µs per KB, verify 4 KB | µs per KB, verify 100 KB | per-byte ratio (≤ 1.5 = linear) |')
console.log('|---|---|---|---|')
for (const engine of ['node', 'peculiar']) {
  const [s, l] = rows.filter((r) => r.engine === engine)
  const a = 1e6 / s.verifyPermit / s.kb
  const b = 1e6 / l.verifyPermit / l.kb
  console.log(`| ${engine} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${(b / a).toFixed(2)} |`)
}
const small = rows.filter((r) => r.kb < 10)
const best = small.reduce((a, b) => (a.verifyPermit > b.verifyPermit ? a : b))
console.log(`\ntarget ≥ 200 full verifies/s on a ~4 KB permit: best ${fmt(best.verifyPermit)}/s (${best.engine}) — ${best.verifyPermit >= 200 ? 'MET' : 'MISSED'}`)
console.log(`faster engine for verify (4 KB): ${best.engine}; for sign: ${small.reduce((a, b) => (a.sign > b.sign ? a : b)).engine}`)
// The default engine is the one with the higher geometric mean of XML-DSig
// sign and verify rates over both sizes (what a node actually does).
const score = (engine) => {
  const xs = rows.filter((r) => r.engine === engine).flatMap((r) => [r.sign, r.verifyPermit])
  return Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length)
}
const [sn, sp] = [score('node'), score('peculiar')]
// Within 5% the engines are tied on this noisy 2-core machine (they swap
// places between runs); a tie goes to Node's built-in engine, whose raw ECDSA
// (measured above) is several times faster and which adds no dependency.
const pick = sn / sp >= 0.95 ? 'node' : 'peculiar'
console.log(`recommended default engine (geometric mean of XML-DSig sign+verify, both sizes; a tie within 5% goes to node): ${pick} (node ${sn.toFixed(1)} vs peculiar ${sp.toFixed(1)}, ratio ${(sn / sp).toFixed(2)}); current default: node`)
console.log(`hostile inputs (${attacks.length}): slowest refusal ${worst.ms.toFixed(1)} ms (${worst.f}); target ≤ 50 ms — ${worst.ms <= 50 ? 'MET' : 'MISSED'}; heap growth after all: ${heapGrowthMiB.toFixed(1)} MiB`)

// Headline figures for BENCHMARKS.md (npm run bench).
{
  const [s4, s98] = rows.filter((r) => r.engine === 'node')
  record({ bench: 'xml-signature', id: 'verify-4k', figure: `full permit verdict, ${s4.kb.toFixed(1)} KB permit (node engine)`, unit: 'verdicts/s', ours: s4.verifyPermit, baseline: s4.rawVerify, baselineLabel: 'raw ECDSA P-256 verify of the same bytes', better: 'higher', target: { min: 200 }, targetText: '≥ 200/s' })
  record({ bench: 'xml-signature', id: 'sign-4k', figure: `sign a ${s4.kb.toFixed(1)} KB permit (node engine)`, unit: 'signatures/s', ours: s4.sign, baseline: s4.rawSign, baselineLabel: 'raw ECDSA P-256 sign of the same bytes', better: 'higher' })
  record({ bench: 'xml-signature', id: 'verify-98k', figure: `full permit verdict, ${s98.kb.toFixed(0)} KB permit (node engine)`, unit: 'verdicts/s', ours: s98.verifyPermit, baseline: s98.rawVerify, baselineLabel: 'raw ECDSA P-256 verify of the same bytes', better: 'higher' })
  record({ bench: 'xml-signature', id: 'per-kb', figure: 'verify cost per KB, 98 KB against 4.7 KB (node engine)', unit: 'µs/KB', ours: 1e6 / s98.verifyPermit / s98.kb, baseline: 1e6 / s4.verifyPermit / s4.kb, baselineLabel: 'µs/KB at 4.7 KB', better: 'lower', target: { ratioMax: 1.5 }, targetText: '≤ 1.5× (linear)' })
  record({ bench: 'xml-signature', id: 'hostile', figure: `slowest refusal of ${attacks.length} hostile inputs`, unit: 'ms', ours: worst.ms, baseline: 1000 / s4.verifyPermit, baselineLabel: 'ms for one valid 4.7 KB verdict', better: 'lower', target: { max: 50 }, targetText: '≤ 50 ms' })
}
