// `npm run bench:privacy`: what ledger events v2 (issue 13, ledger.md §2.4
// r17: the ISSUED event carries the permit's summary and the SHA-256 of its
// document, never the document) cost and save, each beside a baseline
// measured in the same run. Three real permit nodes on loopback: CH issues a
// 4.7 KB permit (the xml-signature bench's), TH is its destination, FR a
// listed authority that is not a party to the trade.
//
// 1. Bytes per permit per peer, v2 against v1, from real encodings. The v2
//    events are the ones CH's ledger wrote (read back with eventsFrom): the
//    ISSUED, the EXPORT_ENDORSED (CH) and the CONSUMED (TH's customs, over
//    /cites/consume). The v1 shape of the same events is built here: the
//    same fields without `version`, the ISSUED body an IssuedBodyV1 with
//    `signed_xml` = the document; signed as v1's signEvent did (the same
//    context, key and algorithm; today's signEvent always writes version 2).
//    Measured: one Gossip message (network.proto), the same inside the
//    gossipsub RPC that carries it (StrictSign: from, seqno, topic,
//    signature), a sync page's share per permit (SyncResponse pages of 500
//    events with their checkpoint), each for the permit's whole life; and
//    the delivery to the destination (DeliverRequest: v2 sends the document
//    beside the event, v1 inside it: the destination still gets it).
// 2. HTTP POST /v1/verify with the presented signed XML against by
//    {party, number}, at the destination (TH) and at a non-party node (FR),
//    each permit verified for the first time, requests interleaved; medians
//    of per-round p50 and p99.
//
//   npm run bench:privacy
//   BENCH_ROUNDS=3 BENCH_N=100 BENCH_LIFE=500 npm run bench:privacy   (the defaults)
import '@cites/node20-polyfill'
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { webcrypto } from 'node:crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { generateSigningIdentity, loadSigner } from '@cites/xml-signature'
import { TrustStore, addAuthority, createTrustList, signTrustList } from '@cites/trust-list'
import { permitFromJsonText } from '@cites/permit'
import { Event, SignedEvent, IssuedBody, IssuedBodyV1, EventType, EVENT_CONTEXT, decodeEvent } from '@cites/ledger'
import { Gossip, SyncResponse, DeliverRequest, Status, EVENTS_TOPIC } from '@cites/protocol'
import { buildHttpApi, createPermitNode, hashToken } from '../dist/index.js'
import { record } from '../../../scripts/bench-record.mjs'

const VECTORS = fileURLToPath(new URL('../../../protocol-spec/vectors/', import.meta.url))
const read = (p) => readFileSync(VECTORS + p, 'utf8')
const NOW = Date.parse('2026-11-15T00:00:00Z')
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const N = Number(process.env.BENCH_N ?? 100)
const LIFE = Number(process.env.BENCH_LIFE ?? 500)
const PAGE = 500

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * p))] }
const median = (xs) => pct(xs, 0.5)
const fmt = (x) => x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
async function until (what, ok, ms = 120_000) {
  const t = Date.now()
  while (!await ok()) { if (Date.now() - t > ms) throw new Error(`timed out waiting for ${what}`); await sleep(50) }
}

// gossipsub's own RPC codec (a dependency of @cites/protocol, not of this
// package): imported by file, so the envelope is the real encoding.
const protocolDir = realpathSync(fileURLToPath(new URL('../node_modules/@cites/protocol/', import.meta.url)))
const gossipsubDir = realpathSync(join(protocolDir, 'node_modules/@libp2p/gossipsub'))
const { RPC } = await import(pathToFileURL(join(gossipsubDir, 'dist/src/message/rpc.js')).href)

// ---- three nodes: CH issues, TH is the destination, FR is not a party
const port = 21000 + Math.floor(Math.random() * 600) * 20
const t0 = new Date('2026-01-01T00:00:00Z')
const frId = await generateSigningIdentity({ commonName: 'FR bench MA', country: 'FR', notBefore: t0 })
const keysOf = { CH: [read('keys/CH/key.pem'), read('keys/CH/cert.pem')], TH: [read('keys/TH/key.pem'), read('keys/TH/cert.pem')], FR: [frId.privateKeyPem, frId.certificatePem] }
const parties = await Promise.all(['CH', 'TH', 'FR'].map(async (party, i) => {
  const peerKey = await generateKeyPair('Ed25519')
  return { party, signer: await loadSigner(...keysOf[party]), cert: keysOf[party][1], peerKey, peerId: peerIdFromPrivateKey(peerKey), address: `/ip4/127.0.0.1/tcp/${port + i}` }
}))
let tl = createTrustList({ now: t0 })
for (const a of parties) tl = addAuthority(tl, { party: a.party, name: `${a.party} MA`, role: 'management-authority', peerId: a.peerId.toString(), addresses: [a.address], certificate: a.cert, at: t0 })
const tlXml = (await signTrustList(tl, await loadSigner(read('keys/ANCHOR/key.pem'), read('keys/ANCHOR/cert.pem')), { now: t0, validDays: 3650 })).xml
const dirs = []
const nodes = await Promise.all(parties.map(async (a) => {
  const trust = new TrustStore(read('keys/ANCHOR/cert.pem'))
  await trust.accept(tlXml, { now: new Date(NOW) })
  const dataDir = mkdtempSync(join(tmpdir(), `cites-bench-privacy-${a.party}-`))
  dirs.push(dataDir)
  // Background permit checks off: they would warm the verdict caches before the first verification is timed.
  return await createPermitNode({ party: a.party, dataDir, signer: a.signer, peerKey: a.peerKey, trust, listen: [a.address], sharedHost: true, now: () => NOW, keepConnected: { minBackoffMs: 50, sweepMs: 250 }, permitChecksPerSecond: 0, deliveryIntervalMs: 100 })
}))
const [ch, th, fr] = nodes
for (const n of [th, fr]) await until('the mesh', () => n.internals.libp2p.getConnections(ch.peerId).length > 0)

// The 4.7 KB permit of the xml-signature bench (one line; no conditions,
// signatory or street lines).
const base = permitFromJsonText(read('permits/ch-export-th.json'))
base.lines = base.lines.slice(0, 1); delete base.conditions; delete base.signatory; delete base.consignor.address.street; delete base.consignee.address.street
delete base.issueDate // the node writes the time of signing (ISSUE_DATE_NOT_NOW otherwise)
let serial = 0
const issueOne = async (prefix) => {
  const p = structuredClone(base)
  p.number = `26CH${prefix}${String(serial++).padStart(6, '0')}`
  const { signedXml } = await ch.issue(p)
  return { number: p.number, xml: signedXml }
}
const use = { lines: [{ line: 'A', quantity: 50, unit: 'PCS' }], port: 'THBKK' }

// ---- 1. bytes: LIFE permits through their whole life
console.error(`1. bytes: ${LIFE} permits issued, endorsed and used ...`)
const life = []
for (let i = 0; i < LIFE; i++) life.push(await issueOne('P'))
for (const p of life) await ch.endorse('CH', p.number, { lines: use.lines, port: 'CHGVA', actor: 'acct-7f3a9c21' })
for (const p of life) await until('TH holding the documents', async () => (await th.internals.ledger.documentStatus('CH', p.number)) === 'held')
for (const p of life) { const c = await th.consume('CH', p.number, use); if (c.outcome !== 'CONSUMED') throw new Error(`unexpected ${c.code}`) }
const chLog = []
for (let from = 1; ; from += 1000) { const page = await ch.internals.ledger.eventsFrom('CH', from, 1000); chLog.push(...page); if (page.length < 1000) break }
const checkpoint = (await ch.internals.ledger.checkpoint()).bytes
const docOf = new Map(life.map((p) => [p.number, new TextEncoder().encode(p.xml)]))

/** The v1 shape of a v2 event: no `version`; an ISSUED body with the document inside. Signed as v1 signed it. */
const chKey = parties[0].signer.key
async function asV1 (signedV2) {
  const { event } = decodeEvent(signedV2)
  if (event.version !== 2) throw new Error('CH wrote an event that is not version 2')
  let body = event.body
  if (event.type === EventType.ISSUED) {
    const s = IssuedBody.decode(event.body)
    if (s.xmlSha256.length !== 32) throw new Error('no document hash in the v2 summary')
    // IssuedBodyV1 has no stamp_sha256 (the permit has no stamp: empty either way).
    body = IssuedBodyV1.encode({ ...s, signedXml: docOf.get(event.permitNumber) })
  }
  const bytes = Event.encode({ ...event, body, version: 0, carriedFrom: new Uint8Array(0), carriedAt: 0n })
  const data = new Uint8Array(EVENT_CONTEXT.length + bytes.length); data.set(EVENT_CONTEXT); data.set(bytes, EVENT_CONTEXT.length)
  const signature = new Uint8Array(await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, chKey, data))
  return SignedEvent.encode({ event: bytes, signature })
}
const v2Log = chLog
const v1Log = []
for (const e of v2Log) v1Log.push(await asV1(e))
const typeOf = (e) => decodeEvent(e).event.type
const kinds = { [EventType.ISSUED]: 'ISSUED', [EventType.EXPORT_ENDORSED]: 'EXPORT_ENDORSED', [EventType.CONSUMED]: 'CONSUMED' }
for (const e of v2Log) if (kinds[typeOf(e)] === undefined) throw new Error(`unexpected event type ${typeOf(e)} in CH's log`)

const EMPTY = new Uint8Array(0)
const gossipBytes = (e) => Gossip.encode({ event: e, checkpoint: EMPTY, trustListSequence: 0n }).length
// The gossipsub RPC a peer receives for one published message (StrictSign).
const from = parties[0].peerId.toMultihash().bytes
const seqno = new Uint8Array(8).fill(0xa5)
const sig64 = new Uint8Array(64).fill(0x5a)
const wireBytes = (e) => RPC.encode({ subscriptions: [], messages: [{ from, data: Gossip.encode({ event: e, checkpoint: EMPTY, trustListSequence: 0n }), seqno, topic: EVENTS_TOPIC, signature: sig64 }] }).length
// A sync page's bytes (SyncResponse, pages of 500 with their checkpoint), summed over the log.
function syncTotal (log) {
  let total = 0
  for (let i = 0; i < log.length; i += PAGE) total += SyncResponse.encode({ status: Status.OK, events: log.slice(i, i + PAGE), checkpoint, headSize: BigInt(log.length), message: '', conflict: EMPTY, headCheckpoint: EMPTY, heads: [], time: BigInt(NOW) }).length
  return total
}
const sum = (log, f, type) => log.reduce((s, e) => s + (type === undefined || typeOf(e) === type ? f(e) : 0), 0)
const issuedV2 = v2Log.filter((e) => typeOf(e) === EventType.ISSUED)
const issuedV1 = v1Log.filter((e) => typeOf(e) === EventType.ISSUED)
const docBytes = median([...docOf.values()].map((d) => d.length))
const deliverV2 = median(issuedV2.map((e) => DeliverRequest.encode({ event: e, checkpoint, document: docOf.get(decodeEvent(e).event.permitNumber) }).length))
const deliverV1 = median(issuedV1.map((e) => DeliverRequest.encode({ event: e, checkpoint, document: EMPTY }).length))
const bytes = {
  eventIssued: [median(issuedV2.map((e) => e.length)), median(issuedV1.map((e) => e.length))],
  gossipIssued: [median(issuedV2.map(gossipBytes)), median(issuedV1.map(gossipBytes))],
  gossipLife: [sum(v2Log, gossipBytes) / LIFE, sum(v1Log, gossipBytes) / LIFE],
  wireLife: [sum(v2Log, wireBytes) / LIFE, sum(v1Log, wireBytes) / LIFE],
  syncIssued: [syncTotal(issuedV2) / LIFE, syncTotal(issuedV1) / LIFE],
  syncLife: [syncTotal(v2Log) / LIFE, syncTotal(v1Log) / LIFE],
  deliver: [deliverV2, deliverV1]
}
const perType = Object.entries(kinds).map(([t, name]) => `${name} ${fmt(sum(v2Log, (e) => e.length, t) / LIFE)} B (v1 ${fmt(sum(v1Log, (e) => e.length, t) / LIFE)} B)`).join(', ')

// ---- 2. HTTP verify: presented XML against by number, TH and FR
const token = 'bench-viewer-token'
const apis = []
for (const n of [th, fr]) {
  const { app } = await buildHttpApi(n, { tokens: { issuer: hashToken('i'), customs: hashToken('c'), viewer: hashToken(token) }, logger: false, rateLimitPerMinute: 10_000_000 })
  await app.listen({ host: '127.0.0.1', port: 0 })
  apis.push({ app, url: `http://127.0.0.1:${app.server.address().port}/v1/verify` })
}
const [thApi, frApi] = apis
const post = async (url, body, type) => {
  const t = process.hrtime.bigint()
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body })
  const v = await res.json()
  const ms = Number(process.hrtime.bigint() - t) / 1e6
  if (res.status !== 200) throw new Error(`verify answered ${res.status}: ${JSON.stringify(v).slice(0, 300)}`)
  return { ms, v }
}
const integrity = (v) => v.checks?.find((c) => c.name === 'integrity')
const lat = { th: { xml: [], num: [] }, fr: { xml: [], num: [] } }
const outcomes = new Map()
const note = (k, v) => { const i = integrity(v); const s = `valid=${v.valid}, integrity ${i?.status ?? '?'}${i?.reason?.code !== undefined ? ` ${i.reason.code}` : ''}`; outcomes.set(k, s) }
// Warm up the HTTP path and JIT on permits not measured.
const warm = []
for (let i = 0; i < 20; i++) warm.push(await issueOne('W'))
for (const p of warm) await until('TH holding the warm-up documents', async () => (await th.internals.ledger.documentStatus('CH', p.number)) === 'held')
for (const api of apis) for (const p of warm) { await post(api.url, JSON.stringify({ party: 'CH', number: p.number }), 'application/json'); await post(api.url, p.xml, 'application/xml') }
for (let r = 0; r < ROUNDS; r++) {
  console.error(`2. verify: round ${r + 1} of ${ROUNDS} (${4 * N} fresh permits) ...`)
  const fresh = []
  for (let i = 0; i < 4 * N; i++) fresh.push(await issueOne('V'))
  for (const p of fresh) await until('TH holding the documents', async () => (await th.internals.ledger.documentStatus('CH', p.number)) === 'held')
  for (const p of fresh) await until('FR holding the events', async () => (await fr.internals.ledger.status('CH', p.number)) !== undefined)
  // Each permit verified once, for the first time at that node; XML and number interleaved.
  for (const [k, api, off] of [['th', thApi, 0], ['fr', frApi, 2 * N]]) {
    const xml = []
    const num = []
    for (let i = 0; i < N; i++) {
      const a = fresh[off + i]
      const b = fresh[off + N + i]
      const byXml = await post(api.url, a.xml, 'application/xml')
      const byNum = await post(api.url, JSON.stringify({ party: 'CH', number: b.number }), 'application/json')
      xml.push(byXml.ms); num.push(byNum.ms)
      if (i === 0) { note(`${k}-xml`, byXml.v); note(`${k}-num`, byNum.v) }
    }
    lat[k].xml.push(xml); lat[k].num.push(num)
  }
}
for (const a of apis) await a.app.close()
await Promise.all(nodes.map((n) => n.stop()))
for (const d of dirs) rmSync(d, { recursive: true, force: true })

// ---- report
const kb = (docBytes / 1000).toFixed(1)
console.log(`\nLedger events v2 (summary + document hash) against v1 (document inside): ${LIFE} permits of ${kb} KB, each issued, endorsed and used; node ${process.version}, ${new Date().toISOString()}`)
console.log(`per event, SignedEvent bytes: ${perType}\n`)
console.log('| bytes per permit per peer | v2 | v1 (same run) | v1 ÷ v2 | target |')
console.log('|---|---|---|---|---|')
const byteRows = [
  ['event-issued', 'the ISSUED SignedEvent', bytes.eventIssued],
  ['gossip-issued', 'gossip: the ISSUED event\'s Gossip message', bytes.gossipIssued, true],
  ['gossip-life', 'gossip: Gossip messages over the permit\'s life (ISSUED + EXPORT_ENDORSED + CONSUMED)', bytes.gossipLife, true],
  ['gossip-wire-life', 'gossip: the same in gossipsub RPCs (StrictSign envelope)', bytes.wireLife],
  ['sync-issued', 'sync: share of a page of 500 (SyncResponse with checkpoint), ISSUED event', bytes.syncIssued, true],
  ['sync-life', 'sync: share of pages of 500 over the permit\'s life (3 events)', bytes.syncLife, true],
  ['deliver', 'delivery to the destination (DeliverRequest: v2 event + document; v1 event with the document)', bytes.deliver]
]
for (const [id, what, [v2, v1], goal] of byteRows) {
  console.log(`| ${what} | ${fmt(v2)} B | ${fmt(v1)} B | ${fmt(v1 / v2)}× | ${goal === true ? `≥ 5×: ${v1 / v2 >= 5 ? 'met' : 'MISSED'}` : '—'} |`)
  if (id === 'event-issued') continue
  record({ bench: 'privacy', id: `bytes-${id}`, figure: `${what}, ${kb} KB permit, bytes per peer`, unit: 'B', ours: v2, baseline: v1, baselineLabel: 'B, v1 events (document inside), same permits', better: 'lower', ...(goal === true ? { target: { ratioMax: 0.2 }, targetText: '≤ 0.2× (v1 ≥ 5× larger)' } : {}) })
}
const summary = (k, q) => ({ xml: median(lat[k].xml.map((x) => pct(x, q))), num: median(lat[k].num.map((x) => pct(x, q))) })
console.log(`\nHTTP POST /v1/verify, each permit for the first time, ${N} × ${ROUNDS} rounds, medians of per-round percentiles (verdicts; at FR the permit is made out to TH, so never valid there: ${[...outcomes].map(([k, s]) => `${k} ${s}`).join('; ')})\n`)
console.log('| node | presented XML p50 / p99 ms | by number p50 / p99 ms | ratio p50 / p99 |')
console.log('|---|---|---|---|')
for (const [k, who] of [['th', 'the destination (TH, holds the document)'], ['fr', 'a non-party node (FR, summary only)']]) {
  const p50 = summary(k, 0.5)
  const p99 = summary(k, 0.99)
  console.log(`| ${who} | ${fmt(p50.xml)} / ${fmt(p99.xml)} | ${fmt(p50.num)} / ${fmt(p99.num)} | ${fmt(p50.xml / p50.num)}× / ${fmt(p99.xml / p99.num)}× |`)
  for (const [q, s] of [['p50', p50], ['p99', p99]]) {
    record({ bench: 'privacy', id: `verify-xml-${k}-${q}`, figure: `HTTP verify the presented ${kb} KB signed XML at ${who}, first time, ${q}`, unit: 'ms', ours: s.xml, baseline: s.num, baselineLabel: `HTTP verify by {party, number} at the same node, ${q}`, better: 'lower' })
  }
}
