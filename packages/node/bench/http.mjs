// `npm run bench:http`: the node's HTTP API under load (autocannon, from a
// second process), against a ledger of 100k permits:
//   - verify by number (POST /v1/verify {party, number}), a permit of this node;
//   - verify an uploaded signed XML document;
//   - the baseline: Fastify answering a constant on the same machine.
// The 100k are 100k ISSUED events of a listed filler authority (XF) accepted
// as checkpoint-verified sync pages (v2 summaries with the hash of a stand-in
// document: they fill the LevelDB, as real replicas would); the permits verified are 200 real, signed CH permits.
// BENCH_HTTP_JSON=1 prints one JSON line instead of the table (the load test uses it).
import '@cites/node20-polyfill'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { createHash, webcrypto } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Fastify from 'fastify'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { generateSigningIdentity, loadSigner } from '@cites/xml-signature'
import { TrustStore, addAuthority, createTrustList, signTrustList } from '@cites/trust-list'
import { permitFromJsonText } from '@cites/permit'
import { Event, SignedEvent, IssuedBody, EventType, EVENT_CONTEXT, EVENT_VERSION, frontierAppend, frontierRoot, leafHash, signCheckpoint } from '@cites/ledger'
import { buildHttpApi, createPermitNode, hashToken } from '../dist/index.js'
import { record } from '../../../scripts/bench-record.mjs'

const VECTORS = fileURLToPath(new URL('../../../protocol-spec/vectors/', import.meta.url))
const CLIENT = fileURLToPath(new URL('./load-client.mjs', import.meta.url))
const read = (p) => readFileSync(VECTORS + p, 'utf8')
const NOW = Date.parse('2026-11-15T00:00:00Z')
const PERMITS = Number(process.env.BENCH_HTTP_PERMITS ?? 100_000)
const DURATION = Number(process.env.BENCH_HTTP_SECONDS ?? 5)
const REAL = 200
const asJson = process.env.BENCH_HTTP_JSON === '1'
const say = (s) => { if (!asJson) console.error(s) }
const fmt = (x) => x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)

const work = mkdtempSync(join(tmpdir(), 'cites-bench-http-'))
const t0 = new Date('2026-01-01T00:00:00Z')
const ch = { signer: await loadSigner(read('keys/CH/key.pem'), read('keys/CH/cert.pem')), cert: read('keys/CH/cert.pem'), peerKey: await generateKeyPair('Ed25519') }
const xfId = await generateSigningIdentity({ commonName: 'Filler authority', country: 'XF', notBefore: t0 })
const xf = await loadSigner(xfId.privateKeyPem, xfId.certificatePem)
let tl = createTrustList({ now: t0 })
tl = addAuthority(tl, { party: 'CH', name: 'CH MA', role: 'management-authority', peerId: peerIdFromPrivateKey(ch.peerKey).toString(), certificate: ch.cert, at: t0 })
tl = addAuthority(tl, { party: 'XF', name: 'Filler MA', role: 'management-authority', peerId: peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString(), certificate: xfId.certificatePem, at: t0 })
const trust = new TrustStore(read('keys/ANCHOR/cert.pem'))
await trust.accept((await signTrustList(tl, await loadSigner(read('keys/ANCHOR/key.pem'), read('keys/ANCHOR/cert.pem')), { now: t0, validDays: 3650 })).xml, { now: new Date(NOW) })

// Background permit checks off: the 100k replicated permits below carry a
// stand-in document, which the checks would (rightly) alert on.
const node = await createPermitNode({ party: 'CH', dataDir: join(work, 'ch'), signer: ch.signer, peerKey: ch.peerKey, trust, now: () => NOW, permitChecksPerSecond: 0 })
const token = 'bench-viewer-token'
const { app } = await buildHttpApi(node, { tokens: { issuer: hashToken('i'), customs: hashToken('c'), viewer: hashToken(token) }, logger: false, rateLimitPerMinute: 10_000_000 })
await app.listen({ host: '127.0.0.1', port: 0 })
const url = `http://127.0.0.1:${app.server.address().port}`

// 1. Fill the ledger: PERMITS events of XF, in signed checkpoint pages of 500.
say(`filling the ledger with ${PERMITS} permits ...`)
const standIn = new TextEncoder().encode(`<stand-in>${'x'.repeat(1000)}</stand-in>`)
const xmlSha = new Uint8Array(createHash('sha256').update(standIn).digest())
const certSha = new Uint8Array(Buffer.from(xf.certificate.sha256, 'hex'))
let prev = new Uint8Array(0)
let frontier = []
for (let start = 0; start < PERMITS; start += 500) {
  const evs = []
  for (let s = start + 1; s <= Math.min(PERMITS, start + 500); s++) {
    const body = IssuedBody.encode({ xmlSha256: xmlSha, documentType: 'E', destination: 'TH', exporterCountry: 'XF', validFrom: BigInt(Date.parse('2026-11-01')), validUntil: BigInt(Date.parse('2027-04-30')), issueTime: BigInt(NOW - 86400000), purpose: 'T', lines: [{ line: 'A', scientificName: 'Python regius', appendix: 'II', source: 'C', term: 'LIV', quantity: 50, unit: 'PCS', origin: 'XF', originPermit: '' }] })
    const bytes = Event.encode({ author: 'XF', seq: BigInt(s), prevHash: prev, type: EventType.ISSUED, permitParty: 'XF', permitNumber: `26XF${s}`, body, time: BigInt(NOW - 1000), certSha256: certSha, version: EVENT_VERSION })
    prev = leafHash(bytes)
    frontier = frontierAppend(frontier, s - 1, prev)
    evs.push(bytes)
  }
  const sigs = await Promise.all(evs.map((b) => { const d = new Uint8Array(EVENT_CONTEXT.length + b.length); d.set(EVENT_CONTEXT); d.set(b, EVENT_CONTEXT.length); return webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, xf.key, d) }))
  const cp = await signCheckpoint({ author: 'XF', size: BigInt(start + evs.length), root: frontierRoot(frontier), time: BigInt(NOW) }, xf)
  await node.internals.ledger.acceptEvents(evs.map((b, j) => SignedEvent.encode({ event: b, signature: new Uint8Array(sigs[j]) })), { checkpoint: cp.bytes })
}
// Every filler event must have been taken (a refused page would leave the ledger empty).
if (node.internals.ledger.heads().get('XF')?.size !== PERMITS) throw new Error(`the ledger holds ${node.internals.ledger.heads().get('XF')?.size ?? 0} filler events, not ${PERMITS}`)
await node.internals.ledger.waitForIndex()
// 2. The permits customs will verify: real, signed, this node's own.
const permit = read('permits/ch-export-th.json')
const numbers = []
// Issued now: the node writes the time of signing (a given issue date must be it, ISSUE_DATE_NOT_NOW).
for (let i = 0; i < REAL; i++) { const p = permitFromJsonText(permit); delete p.issueDate; p.number = `26CHL${String(i).padStart(5, '0')}`; await node.issue(p); numbers.push(p.number) }
const signedXml = await node.internals.ledger.signedXml('CH', numbers[0])
// Warm: each permit verified once, as the first officer to see it would (the
// XML-DSig verdict is then cached by the document's hash).
for (const n of numbers) await node.verify('CH', n)
if (process.env.BENCH_HTTP_PROFILE === '1') {
  const { verifyByNumber } = await import('../dist/index.js')
  const t = performance.now()
  for (let i = 0; i < 4000; i++) await node.verify('CH', numbers[i % REAL])
  const t1 = performance.now()
  for (let i = 0; i < 4000; i++) await verifyByNumber(node, { party: 'CH', number: numbers[i % REAL] })
  const t2 = performance.now()
  for (let i = 0; i < 4000; i++) await node.internals.ledger.status('CH', numbers[i % REAL])
  const t3 = performance.now()
  for (let i = 0; i < 4000; i++) await node.internals.ledger.claims('CH', numbers[i % REAL])
  const t4 = performance.now()
  for (let i = 0; i < 4000; i++) await node.internals.ledger.permitEvents('CH', numbers[i % REAL])
  const t5 = performance.now()
  console.error({ verifyUs: (t1 - t) / 4, withHistoryUs: (t2 - t1) / 4, statusUs: (t3 - t2) / 4, claimsUs: (t4 - t3) / 4, eventsUs: (t5 - t4) / 4 })
}
say(`ledger holds ${node.internals.ledger.heads().get('XF')?.size ?? 0 + REAL} + ${REAL} permits; loading for ${DURATION} s each ...`)

// Asynchronously: the server answers on this process's event loop meanwhile.
const load = async (o) => {
  const { stdout } = await promisify(execFile)(process.execPath, [CLIENT, JSON.stringify({ duration: DURATION, connections: 8, ...o })], { encoding: 'utf8', maxBuffer: 1 << 20 })
  return JSON.parse(stdout.trim().split('\n').pop())
}
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
const byNumber = await load({ url: `${url}/v1/verify`, method: 'POST', headers, bodies: numbers.map((n) => JSON.stringify({ party: 'CH', number: n })) })
const byXml = await load({ url: `${url}/v1/verify`, method: 'POST', headers: { ...headers, 'content-type': 'application/xml' }, bodies: [signedXml] })

// Baseline: Fastify returning a constant, same machine, same client.
const base = Fastify()
base.post('/v1/verify', async () => ({ valid: true }))
await base.listen({ host: '127.0.0.1', port: 0 })
const constant = await load({ url: `http://127.0.0.1:${base.server.address().port}/v1/verify`, method: 'POST', headers, bodies: ['{"party":"CH","number":"X"}'] })
await base.close()

await app.close()
await node.stop()
rmSync(work, { recursive: true, force: true })

const N = (PERMITS + REAL).toLocaleString('en')
record({ bench: 'http', id: 'verify-number-rate', figure: `HTTP verify by number, ledger of ${N} permits, 8 connections`, unit: 'req/s', ours: byNumber.rps, baseline: constant.rps, baselineLabel: 'Fastify answering a constant, same client', better: 'higher', target: { ratioMin: 0.3 }, targetText: '≥ 30% of the constant' })
record({ bench: 'http', id: 'verify-number-p99', figure: `HTTP verify by number, p99, ledger of ${N} permits`, unit: 'ms', ours: byNumber.p99, baseline: constant.p99, baselineLabel: 'Fastify constant p99', better: 'lower', target: { max: 5 }, targetText: '≤ 5 ms' })
record({ bench: 'http', id: 'verify-xml-rate', figure: 'HTTP verify an uploaded signed XML (4.7 KB)', unit: 'req/s', ours: byXml.rps, baseline: constant.rps, baselineLabel: 'Fastify answering a constant, same client', better: 'higher' })
if (asJson) {
  process.stdout.write(JSON.stringify({ permits: PERMITS + REAL, byNumber, byXml, constant }) + '\n')
} else {
  console.log(`\nHTTP API under load — ledger of ${(PERMITS + REAL).toLocaleString('en')} permits, autocannon from a second process, 8 connections, ${DURATION} s each`)
  console.log(`node ${process.version}, ${new Date().toISOString()}\n`)
  console.log('| measure | p50 ms | p99 ms | requests/s | non-2xx | baseline: Fastify constant (p99 ms, req/s) | ratio of rate | target |')
  console.log('|---|---|---|---|---|---|---|---|')
  const row = (what, r, target) => console.log(`| ${what} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.rps)} | ${r.non2xx + r.errors} | ${fmt(constant.p99)}, ${fmt(constant.rps)} | ${(100 * r.rps / constant.rps).toFixed(1)}% | ${target} |`)
  row('verify by number', byNumber, 'p99 ≤ 5 ms; ≥ 30% of constant')
  row('verify an uploaded signed XML (4.7 KB)', byXml, '—')
  row('Fastify constant response (baseline)', constant, '—')
}
