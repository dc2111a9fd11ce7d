/**
 * Issue 13 §6 (ledger.md §2.4, r17): the traders' names and addresses
 * (Boxes 3 and 4) of a permit CH issues for TH never reach FR, a third
 * party, by any path: not in the gossip FR receives, not in the sync pages
 * it fetches, not in the answers it gets when it verifies by number, not in
 * what it stores, and not in what a fresh FR node fetches when it catches
 * up. Three real permit nodes on loopback, real libp2p, real LevelDB.
 *
 * Every byte any stream delivers to a node is captured below the protocols
 * (see {@link StreamTap}); the names are looked for in UTF-8 and in base64
 * (standard and URL-safe, at the three alignments). The test can fail: the
 * same search finds every name in CH's and TH's documents, and in the bytes
 * TH's streams carried (the delivery of the document).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { EVENTS_TOPIC, requestSyncPage } from '@cites/protocol'
import { chPermit, waitFor } from '@cites/test-kit'
import type { Libp2p } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { authorities, basePort, meshFormed, startPermitNode, stopAll, trustListXml, type Authority, type TestNode } from './kit.js'

// `level` is @cites/ledger's dependency, not this package's: resolved from there.
interface RawLevel { open: () => Promise<void>, close: () => Promise<void>, iterator: () => AsyncIterable<[Buffer, Buffer]> }
const { Level } = createRequire(new URL('../../ledger/package.json', import.meta.url))('level') as { Level: new (dir: string, o: { keyEncoding: 'buffer', valueEncoding: 'buffer' }) => RawLevel }

// ---- looking for a string in bytes ---------------------------------------

/** The forms of `s` to look for: its UTF-8 bytes and base64 (standard, URL-safe) of it after 0, 1 and 2 other bytes. */
function encodedForms (s: string): Array<{ form: string, bytes: Buffer }> {
  const utf8 = Buffer.from(s, 'utf8')
  const out = [{ form: 'utf8', bytes: utf8 }]
  for (let k = 0; k < 3; k++) {
    // Only the 4-character groups made of `s`'s bytes alone do not depend on what surrounds it.
    const b64 = Buffer.concat([Buffer.alloc(k), utf8]).toString('base64')
    const from = k === 0 ? 0 : 4
    const to = 4 * Math.floor((k + utf8.length) / 3)
    const std = b64.slice(from, to)
    out.push({ form: `base64+${k}`, bytes: Buffer.from(std, 'latin1') })
    out.push({ form: `base64url+${k}`, bytes: Buffer.from(std.replaceAll('+', '-').replaceAll('/', '_'), 'latin1') })
  }
  return out
}

/** Which of `needles` occur in `hay`, in which form ("name (form)"). */
function found (hay: Uint8Array, needles: readonly string[]): string[] {
  const buf = Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength)
  const hits: string[] = []
  for (const n of needles) for (const f of encodedForms(n)) if (buf.includes(f.bytes)) hits.push(`${n} (${f.form})`)
  return hits
}

// ---- every byte a node's streams deliver ---------------------------------

interface Received { ns: string, protocol: string, bytes: Uint8Array }

/**
 * Captures the data of every 'message' event of every yamux stream in this
 * process (what a stream hands to whatever reads it: gossipsub's RPCs, sync,
 * verify, deliver, identify...), decrypted and demultiplexed, before any
 * protocol decodes it. A stream's log namespace starts with its
 * connection's, which is how the bytes are attributed to a node: those of
 * the connections it had when watched, and of every one it opens later.
 */
class StreamTap {
  readonly received: Received[] = []
  #restore: (() => void) | undefined
  readonly #namespaces = new Map<string, Set<string>>()

  install (sample: object): void {
    const proto = Object.getPrototypeOf(sample) as { dispatchEvent: (evt: Event) => boolean }
    const original = proto.dispatchEvent
    const received = this.received
    proto.dispatchEvent = function (this: { log: { namespace: string }, protocol?: string }, evt: Event): boolean {
      if (evt.type === 'message') {
        const data = (evt as Event & { data: Uint8Array | { subarray: () => Uint8Array } }).data
        received.push({ ns: this.log.namespace, protocol: this.protocol ?? '', bytes: data instanceof Uint8Array ? data.slice() : data.subarray().slice() })
      }
      return original.call(this, evt)
    }
    this.#restore = () => { proto.dispatchEvent = original }
  }

  uninstall (): void { this.#restore?.() }

  /** Attribute to `name` the streams of `libp2p`'s connections, now and from now on. */
  watch (name: string, libp2p: Libp2p): void {
    const set = this.#namespaces.get(name) ?? new Set<string>()
    this.#namespaces.set(name, set)
    const add = (c: unknown): void => { set.add(`${(c as { maConn: { log: { namespace: string } } }).maConn.log.namespace}:`) }
    for (const c of libp2p.getConnections()) add(c)
    libp2p.addEventListener('connection:open', (evt) => { add(evt.detail) })
  }

  /** What `name`'s streams received since entry `from`: each stream's bytes in order, one buffer per stream. */
  streamsOf (name: string, from = 0): Array<{ protocol: string, bytes: Buffer }> {
    const prefixes = [...(this.#namespaces.get(name) ?? [])]
    const byStream = new Map<string, { protocol: string, parts: Uint8Array[] }>()
    for (const r of this.received.slice(from)) {
      if (!prefixes.some((p) => r.ns.startsWith(p))) continue
      const s = byStream.get(r.ns) ?? { protocol: r.protocol, parts: [] }
      if (s.protocol === '') s.protocol = r.protocol
      s.parts.push(r.bytes)
      byStream.set(r.ns, s)
    }
    return [...byStream.values()].map((s) => ({ protocol: s.protocol, bytes: Buffer.concat(s.parts) }))
  }
}

/** Every key and value of every sublevel of the LevelDB at `dir`, raw, after the node closed it. */
async function rawEntries (dir: string): Promise<Array<{ key: Buffer, value: Buffer }>> {
  const db = new Level(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' })
  await db.open()
  try {
    const out: Array<{ key: Buffer, value: Buffer }> = []
    for await (const [key, value] of db.iterator()) out.push({ key, value })
    return out
  } finally {
    await db.close()
  }
}

/** The bytes of every file under `dir` (LevelDB's own files may be compressed: the iterator above is the real check). */
function filesUnder (dir: string): Array<{ path: string, bytes: Buffer }> {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((p) => join(dir, p)).filter((p) => statSync(p).isFile()).map((p) => ({ path: p, bytes: readFileSync(p) }))
}

// ---- the traders ---------------------------------------------------------

// Letters only (Latin, Latin-1, Latin Extended, Cyrillic, Greek, Thai), precomposed.
const LETTERS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzÄÖÜäöüßéèêçñøåÆŁłŽžŠšЖжДдЯяλμπΣΩกขคงจ']
const distinctive = fc.array(fc.constantFrom(...LETTERS), { minLength: 12, maxLength: 24 }).map((cs) => cs.join(''))
const trader = fc.record({ name: distinctive, street: distinctive, city: distinctive })
const traders = fc.record({ consignee: trader, consignor: trader })
type Traders = { consignee: { name: string, street: string, city: string }, consignor: { name: string, street: string, city: string } }

const stringsOf = (t: Traders): string[] => [t.consignee.name, t.consignee.street, t.consignee.city, t.consignor.name, t.consignor.street, t.consignor.city]

/** The CH→TH vector permit, renumbered, with these traders in Boxes 3 and 4. */
function permitFor (number: string, t: Traders): ReturnType<typeof chPermit> {
  const p = chPermit(number)
  p.consignee = { ...p.consignee, name: t.consignee.name, address: { ...p.consignee.address, country: 'TH', street: t.consignee.street, city: t.consignee.city } }
  p.consignor = { ...p.consignor, name: t.consignor.name, address: { ...p.consignor.address, country: 'CH', street: t.consignor.street, city: t.consignor.city } }
  return p
}

describe('trader data never reaches a third party', () => {
  let all: Authority[]
  let xml: string
  let nodes: TestNode[] = []
  let fresh: TestNode | undefined
  const tap = new StreamTap()
  const by = (p: string): TestNode => nodes.find((n) => n.a.party === p) as TestNode
  /** Every trader string issued so far, and the permits. */
  const secrets: string[] = []
  const issued: string[] = []
  /** What FR's gossip validator was handed, message by message. */
  const gossipAtFr: Uint8Array[] = []
  let serial = 0

  beforeAll(async () => {
    all = await authorities(['CH', 'TH', 'FR'], basePort())
    xml = await trustListXml(all)
    nodes = await Promise.all(all.map(async (a) => await startPermitNode(a, xml)))
    await meshFormed(nodes)
    const sample = by('FR').node.internals.libp2p.getConnections().flatMap((c) => c.streams)[0]
    if (sample === undefined) throw new Error('no stream at FR to find the stream class from')
    tap.install(sample)
    for (const n of nodes) tap.watch(n.a.party, n.node.internals.libp2p)
    // The decoded layer too: every message FR's topic validator judges.
    const pubsub = by('FR').node.internals.libp2p.services.pubsub
    const validate = pubsub.topicValidators.get(EVENTS_TOPIC)
    if (validate === undefined) throw new Error('FR validates no gossip')
    pubsub.topicValidators.set(EVENTS_TOPIC, async (peer, message) => { gossipAtFr.push(message.data.slice()); return await validate(peer, message) })
  })
  afterAll(async () => {
    tap.uninstall()
    await stopAll([...nodes, fresh])
  })

  it('property: for random traders on CH→TH permits, FR receives none of their names or addresses (gossip, sync pages, verify answers), while CH and TH hold them', async () => {
    await fc.assert(fc.asyncProperty(fc.array(traders, { minLength: 10, maxLength: 14 }), async (batch) => {
      const [ch, th, fr] = [by('CH'), by('TH'), by('FR')]
      const mark = tap.received.length
      const gossipMark = gossipAtFr.length
      const run: Array<{ number: string, strings: string[] }> = []
      for (const t of batch) {
        const number = `26CH${String(800000 + ++serial).padStart(6, '0')}`
        await ch.node.issue(permitFor(number, t))
        run.push({ number, strings: stringsOf(t) })
        secrets.push(...stringsOf(t))
        issued.push(number)
      }
      for (const { number } of run) {
        await waitFor(async () => (await fr.node.internals.ledger.status('CH', number)) !== undefined, { timeoutMs: 20_000, what: `FR to hold the summary of ${number}` })
        await waitFor(async () => (await ch.node.internals.ledger.delivery('CH', number))?.state === 'delivered', { timeoutMs: 20_000, what: `the delivery of ${number} to TH` })
      }
      const strings = run.flatMap((r) => r.strings)

      // Positive control: the parties hold every name (and the search finds them).
      for (const { number, strings: s } of run) {
        for (const holder of [ch, th]) {
          const doc = await holder.node.internals.ledger.signedXml('CH', number)
          expect(doc, `${holder.a.party} holds the document of ${number}`).toBeDefined()
          expect(found(Buffer.from(doc as string), s).filter((h) => h.endsWith('(utf8)'))).toHaveLength(s.length)
        }
        expect(await fr.node.internals.ledger.documentStatus('CH', number)).toBe('absent')
        expect(await fr.node.internals.ledger.signedXml('CH', number)).toBeUndefined()
      }
      // ...and the tap sees them travel: the deliveries to TH carried the documents.
      const atTh = tap.streamsOf('TH', mark)
      expect(found(Buffer.concat(atTh.map((s) => s.bytes)), strings).filter((h) => h.endsWith('(utf8)'))).toHaveLength(strings.length)

      // FR verifies some of them by number: CH answers.
      const verdicts: string[] = []
      for (const { number } of run.slice(0, 3)) {
        const v = await fr.node.verify('CH', number)
        expect(v.source).toBe('issuer')
        verdicts.push(JSON.stringify(v))
      }
      // FR fetches CH's whole log, page by page, as a catch-up would.
      const pages: Uint8Array[] = []
      const chPeer = peerIdFromString(ch.a.peerId)
      for (let from = 1n; ;) {
        const page = await requestSyncPage(fr.node.internals.libp2p, chPeer, { author: 'CH', fromSeq: from, limit: 7 })
        if (page.events.length === 0) break
        pages.push(...page.events)
        from += BigInt(page.events.length)
      }
      expect(pages.length).toBe(ch.node.internals.ledger.heads().get('CH')?.size)

      const atFr = tap.streamsOf('FR', mark)
      const protocols = new Set(atFr.map((s) => s.protocol))
      // The tap saw FR's traffic of each kind (else this run proves nothing).
      expect([...protocols].filter((p) => /meshsub|cites\/(sync|verify)/.test(p)).length).toBeGreaterThanOrEqual(3)
      for (const s of atFr) expect(found(s.bytes, strings), `a ${s.protocol} stream at FR`).toEqual([])
      for (const m of gossipAtFr.slice(gossipMark)) expect(found(m, strings), 'a gossip message at FR').toEqual([])
      expect(gossipAtFr.length).toBeGreaterThan(gossipMark)
      for (const e of pages) expect(found(e, strings), 'a sync page event at FR').toEqual([])
      for (const v of verdicts) expect(found(Buffer.from(v), strings), 'FR\'s verdict by number').toEqual([])
    }), { numRuns: 3, endOnFailure: true })
  })

  it('FR stores none of them (every key and value of its LevelDB; no document), nor does a fresh FR that catches up', async () => {
    const fr = by('FR')
    await fr.node.stop()
    const stored = await rawEntries(join(fr.dir, 'ledger'))
    const sublevel = (name: string): Array<{ key: Buffer, value: Buffer }> => stored.filter((e) => e.key.toString('latin1').startsWith(`!${name}!`))
    // It holds CH's log and the permits' summaries, and no document.
    expect(sublevel('log').filter((e) => e.key.toString('latin1').startsWith('!log!CH!')).length).toBe(by('CH').node.internals.ledger.heads().get('CH')?.size)
    expect(sublevel('permit').length).toBeGreaterThanOrEqual(issued.length)
    expect(sublevel('doc')).toEqual([])
    expect(sublevel('dockey')).toEqual([])
    for (const e of stored) expect(found(Buffer.concat([e.key, e.value]), secrets), `FR's ${e.key.toString('latin1').slice(0, 40)}`).toEqual([])
    for (const f of filesUnder(fr.dir)) expect(found(f.bytes, secrets), f.path).toEqual([])

    // A fresh FR (new folder, same identity) catches CH's log up from the network.
    const mark = tap.received.length
    fresh = await startPermitNode(fr.a, xml)
    tap.watch('FR2', fresh.node.internals.libp2p)
    const size = by('CH').node.internals.ledger.heads().get('CH')?.size ?? 0
    await waitFor(() => (fresh?.node.internals.ledger.heads().get('CH')?.size ?? 0) >= size, { timeoutMs: 30_000, what: 'the fresh FR to catch up' })
    const atFresh = tap.streamsOf('FR2', mark)
    expect(atFresh.some((s) => s.protocol.includes('/cites/sync/') && s.bytes.length > 0)).toBe(true)
    for (const s of atFresh) expect(found(s.bytes, secrets), `a ${s.protocol} stream at the fresh FR`).toEqual([])
    await fresh.node.stop()
    const freshStored = await rawEntries(join(fresh.dir, 'ledger'))
    expect(freshStored.filter((e) => e.key.toString('latin1').startsWith('!doc')).length).toBe(0)
    for (const e of freshStored) expect(found(Buffer.concat([e.key, e.value]), secrets)).toEqual([])
  })

  it('CH holds every document, encrypted at rest: its doc store has them all, and no name is in its LevelDB in the clear', async () => {
    const ch = by('CH')
    await ch.node.stop()
    const stored = await rawEntries(join(ch.dir, 'ledger'))
    expect(stored.filter((e) => e.key.toString('latin1').startsWith('!doc!')).length).toBe(issued.length)
    expect(stored.filter((e) => e.key.toString('latin1').startsWith('!dockey!')).length).toBe(issued.length)
    for (const e of stored) expect(found(Buffer.concat([e.key, e.value]), secrets), `CH's ${e.key.toString('latin1').slice(0, 40)}`).toEqual([])
  })
})
