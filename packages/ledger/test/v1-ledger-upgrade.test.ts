/**
 * The attack this stops: trader names and addresses (and officers' names)
 * staying in a node's events and replicas after the privacy upgrade, where
 * every authority's sync would hand them out. A real v1 ledger (the fixture
 * ledger-v1/, written by the v1 code: see fixtures/make-ledger-v1.mjs) is
 * opened by this code: its own log is carried over to version 2, documents
 * go to the encrypted document store (own ones, and those of permits this
 * node is the destination of), other authors' replicas are dropped, and no
 * name is left in any stored value outside that store (ledger.md §7,
 * "Upgrading a v1 ledger"). Always on a copy: the fixture is never changed.
 */
import { cpSync, readFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Level } from 'level'
import {
  ConsumedBody, EndorsedBody, EventType, IssuedBody, Ledger, ProvisionalBody, Sublevel, decodeEvent, hex, logKey
} from '../src/index.js'
import { NOW, TRUST, chPermit, openLedger, tempDir, type Clock } from './kit.js'

const FIXTURE = fileURLToPath(new URL('./fixtures/ledger-v1/', import.meta.url))
interface ExpectedPermit { party: string, number: string, held: 'own' | 'replica' | 'pending' | 'evidence', destination: string, status: string | null, xmlSha256: string, securityStamp: string }
const EXPECTED = JSON.parse(readFileSync(new URL('./fixtures/ledger-v1.expected.json', import.meta.url), 'utf8')) as {
  heads: { CH: { size: number, hash: string } }
  clock: { endMs: number }
  actor: string
  claim: { party: string, number: string, claimant: string, seq: number, hash: string }
  traders: string[]
  signatories: string[]
  officers: string[]
  permits: ExpectedPermit[]
}
const PERSONAL = [...EXPECTED.traders, ...EXPECTED.signatories, ...EXPECTED.officers]
const sha256hex = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex')

/** Every stored value, raw, by sublevel (LevelDB read directly, the ledger closed). */
async function rawValues (location: string): Promise<Map<string, Map<string, Uint8Array>>> {
  const db = new Level<string, Uint8Array>(location, { keyEncoding: 'utf8', valueEncoding: 'view' })
  const out = new Map<string, Map<string, Uint8Array>>()
  try {
    for await (const [k, v] of db.iterator()) {
      // abstract-level sublevel keys: `!name!key`
      const m = /^!([^!]+)!(.*)$/s.exec(k)
      const sub = m?.[1] ?? ''
      if (!out.has(sub)) out.set(sub, new Map())
      out.get(sub)?.set(m?.[2] ?? k, new Uint8Array(v))
    }
  } finally {
    await db.close()
  }
  return out
}

/** The forms a name can take inside a stored value: UTF-8, and base64 at each of the three alignments (and hex). */
function forms (name: string): string[] {
  const b = Buffer.from(name, 'utf8')
  const out = [name, b.toString('hex')]
  for (let k = 0; k < 3; k++) {
    const s = Buffer.concat([Buffer.alloc(k), b]).toString('base64')
    // Drop the characters that also encode the padding bytes or the unknown next ones.
    out.push(s.slice(k === 0 ? 0 : 4, -4))
  }
  return out
}

/** Where (sublevel!key: name) a personal name is found in the raw values, outside `except`. */
function namesIn (raw: Map<string, Map<string, Uint8Array>>, except: readonly string[] = []): string[] {
  const found: string[] = []
  const all = PERSONAL.map((n) => ({ n, f: forms(n) }))
  for (const [sub, values] of raw) {
    if (except.includes(sub)) continue
    for (const [key, v] of values) {
      const text = Buffer.from(v).toString('latin1')
      for (const { n, f } of all) if (f.some((x) => text.includes(x))) found.push(`${sub}!${key}: ${n}`)
    }
  }
  return found
}

describe('a v1 ledger opened by this code is upgraded (ledger.md §7)', () => {
  const dir = tempDir('v1-upgrade')
  // A day after the fixture was made: the upgrade's time, `carried_at`.
  const clock: Clock = { now: EXPECTED.clock.endMs + 86_400_000 }
  const upgradedAt = clock.now
  let before: Map<string, Map<string, Uint8Array>>
  let v1Hashes: Map<number, string>
  let ch: Ledger

  beforeAll(async () => {
    cpSync(FIXTURE, dir.path, { recursive: true })
    before = await rawValues(dir.path)
    v1Hashes = new Map([...(before.get(Sublevel.LOG) ?? new Map<string, Uint8Array>())]
      .filter(([k]) => k.startsWith('CH!'))
      .map(([, v]) => { const le = decodeEvent(v); return [Number(le.event.seq), hex(le.hash)] }))
    ch = await openLedger('CH', dir.path, clock)
  })
  afterAll(async () => { await ch.close(); dir.cleanup() })

  it('the fixture is a v1 ledger full of names (so the checks below can fail)', () => {
    expect(JSON.parse(Buffer.from(before.get(Sublevel.META)?.get('schema') ?? []).toString())).toBe(2)
    expect(v1Hashes.size).toBe(EXPECTED.heads.CH.size)
    const found = namesIn(before)
    for (const n of [...EXPECTED.traders, ...EXPECTED.officers]) expect(found.some((f) => f.endsWith(`: ${n}`)), n).toBe(true)
    expect(found.some((f) => f.startsWith(`${Sublevel.LOG}!TH!`))).toBe(true)
    expect(found.some((f) => f.startsWith(`${Sublevel.PENDING}!`))).toBe(true)
    expect(found.some((f) => f.startsWith(`${Sublevel.EVIDENCE}!`))).toBe(true)
  })

  it('carries the own log over 1:1 (same seq, type, permit, time, actor; version 2, carried_from the v1 hash), and it verifies', async () => {
    expect(await ch.verifyLog('CH')).toMatchObject({ ok: true, size: EXPECTED.heads.CH.size, problems: [] })
    expect(ch.authors()).toEqual(['CH'])
    const events = (await ch.eventsFrom('CH', 1, 1000)).map(decodeEvent)
    const v1 = [...(before.get(Sublevel.LOG) ?? new Map<string, Uint8Array>()).entries()].filter(([k]) => k.startsWith('CH!')).map(([, v]) => decodeEvent(v).event)
    expect(events).toHaveLength(v1.length)
    let actors = 0
    for (const [i, le] of events.entries()) {
      const e = le.event
      const was = v1[i]!
      expect({ seq: e.seq, type: e.type, party: e.permitParty, number: e.permitNumber, time: e.time, actor: e.actor })
        .toEqual({ seq: was.seq, type: was.type, party: was.permitParty, number: was.permitNumber, time: was.time, actor: was.actor })
      expect(e.version).toBe(2)
      expect(hex(e.carriedFrom)).toBe(v1Hashes.get(Number(e.seq)))
      expect(Number(e.carriedAt)).toBe(upgradedAt)
      if (e.actor !== undefined) actors++
    }
    expect(actors).toBeGreaterThan(0)
    expect(hex(events.at(-1)!.hash)).not.toBe(EXPECTED.heads.CH.hash)
  })

  it('every own permit keeps its status; ISSUED events are summaries with the document\'s and the stamp\'s hashes', async () => {
    for (const p of EXPECTED.permits.filter((x) => x.held === 'own')) {
      expect((await ch.status(p.party, p.number))?.status, p.number).toBe(p.status)
      const [issued] = (await ch.permitEvents(p.party, p.number)) ?? []
      const body = IssuedBody.decode(decodeEvent(issued!).event.body)
      expect(hex(body.xmlSha256)).toBe(p.xmlSha256)
      expect(hex(body.stampSha256)).toBe(sha256hex(p.securityStamp))
      expect(body.destination).toBe(p.destination)
    }
  })

  it('holds the own documents and those of permits it is the destination of, nothing else', async () => {
    for (const p of EXPECTED.permits) {
      const mine = p.held === 'own' || p.destination === 'CH'
      expect(await ch.documentStatus(p.party, p.number), p.number).toBe(mine ? 'held' : 'absent')
      const doc = await ch.document(p.party, p.number)
      if (mine) expect(sha256hex(doc!), p.number).toBe(p.xmlSha256)
      else expect(doc, p.number).toBeUndefined()
    }
    // TH's log is gone (fetched again in v2 by sync): its permits are unknown here until then.
    for (const p of EXPECTED.permits.filter((x) => x.party === 'TH')) expect(await ch.getPermit(p.party, p.number)).toBeUndefined()
    expect(ch.pending()).toEqual([])
    expect((await ch.equivocations('TH')).positions).toEqual([])
  })

  it('leaves no officer name in any event: officer cleared, a request with an officer dropped', async () => {
    let seen = 0
    for (const le of (await ch.eventsFrom('CH', 1, 1000)).map(decodeEvent)) {
      const e = le.event
      if (e.type === EventType.EXPORT_ENDORSED) { expect(EndorsedBody.decode(e.body).officer).toBe(''); seen++ }
      if (e.type === EventType.PROVISIONAL_CONSUMED) { expect(ProvisionalBody.decode(e.body).officer).toBe(''); seen++ }
      if (e.type === EventType.CONSUMED) {
        const b = ConsumedBody.decode(e.body)
        expect(b.officer).toBe('')
        expect(b.request).toHaveLength(0)
        seen++
      }
      for (const n of PERSONAL) expect(Buffer.from(le.bytes).includes(Buffer.from(n)), n).toBe(false)
    }
    expect(seen).toBe(4)
  })

  it('reopening is a no-op, and afterwards no name is stored outside the encrypted document store', async () => {
    await ch.close()
    const after = await rawValues(dir.path)
    ch = await openLedger('CH', dir.path, clock)
    await ch.waitForIndex()
    await ch.close()
    const again = await rawValues(dir.path)
    expect(again).toEqual(after)
    ch = await openLedger('CH', dir.path, clock)
    expect(after.get(Sublevel.LOG)?.size).toBe(EXPECTED.heads.CH.size)
    expect(namesIn(new Map([[Sublevel.LOG, after.get(Sublevel.LOG)!]]))).toEqual([])
    expect(namesIn(after, [Sublevel.DOC, Sublevel.DOCKEY])).toEqual([])
    expect([...after.keys()].sort()).not.toContain(Sublevel.PENDING)
    expect([...after.keys()].sort()).not.toContain(Sublevel.EVIDENCE)
    expect(after.get(Sublevel.META)?.has('upgrade')).toBe(false)
    expect(JSON.parse(Buffer.from(after.get(Sublevel.META)?.get('schema') ?? []).toString())).toBe(3)
  })

  it('the claim rule: the issuer confirms a carried claim named by its v1 hash, and the claimant sees it confirmed', async () => {
    // TH's node, itself on v2 now: it issues T1 again in a new log (as its own
    // upgrade would carry it), holds CH's carried log, and gets CH's claim
    // named as CH's v1 log named it.
    const thDir = tempDir('v1-upgrade-th')
    const thClock: Clock = { now: NOW }
    const th = await openLedger('TH', thDir.path, thClock)
    try {
      const t1 = EXPECTED.permits.find((p) => p.number === EXPECTED.claim.number)!
      const permit = chPermit(t1.number)
      permit.issuer.address!.country = 'TH'
      permit.consignor.address!.country = 'TH'
      permit.consignee.address!.country = 'CH'
      for (const l of permit.lines) l.originCountry = 'TH'
      await th.issue(permit)
      thClock.now = upgradedAt + 60_000
      await th.acceptEvents(await ch.eventsFrom('CH', 1, 1000))
      const claimEvent = decodeEvent((await ch.eventsFrom('CH', EXPECTED.claim.seq, 1))[0]!)
      const ask = { lines: [{ line: 'A', quantity: 50, unit: 'PCS' }], port: 'CHZRH', consumingParty: 'CH', usedAt: Number(claimEvent.event.time) }
      await expect(th.consume('TH', t1.number, { ...ask, claim: { seq: EXPECTED.claim.seq, hash: '00'.repeat(32) } })).rejects.toMatchObject({ code: 'CLAIM_INVALID' })
      const receipt = await th.consume('TH', t1.number, { ...ask, claim: { seq: EXPECTED.claim.seq, hash: EXPECTED.claim.hash } })
      expect(receipt.claim).toMatchObject({ claimant: 'CH', seq: EXPECTED.claim.seq, hash: EXPECTED.claim.hash })
      await ch.acceptEvents(await th.eventsFrom('TH', 1, 1000))
      expect(await ch.claims('TH', t1.number)).toMatchObject([{ claimant: 'CH', seq: EXPECTED.claim.seq, resolution: 'confirmed' }])
      expect(await ch.openClaims()).toEqual([])
    } finally {
      await th.close()
      thDir.cleanup()
    }
  })
})

describe('the v1 upgrade signs nothing it cannot verify', () => {
  it('an own v1 event edited on disk is not laundered: LEDGER_OPEN, and the v1 ledger is left as it was', async () => {
    const dir = tempDir('v1-upgrade-tampered')
    try {
      cpSync(FIXTURE, dir.path, { recursive: true })
      // The attack: raise B's consumed quantity in the v1 log, hoping the
      // upgrade signs the edited event with the node's key.
      const db = new Level<string, Uint8Array>(dir.path, { keyEncoding: 'utf8', valueEncoding: 'view' })
      const log = db.sublevel<string, Uint8Array>(Sublevel.LOG, { keyEncoding: 'utf8', valueEncoding: 'view' })
      const key = logKey('CH', 5)
      const b = Buffer.from(await log.get(key) as Uint8Array)
      const i = b.indexOf(Buffer.from('THBKK'))
      expect(i).toBeGreaterThan(0)
      b.write('THLCH', i)
      await log.put(key, b)
      await db.close()
      const before = await rawValues(dir.path)
      await expect(openLedger('CH', dir.path, { now: EXPECTED.clock.endMs + 86_400_000 })).rejects.toMatchObject({ code: 'LEDGER_OPEN', message: expect.stringContaining('event 5') })
      const after = await rawValues(dir.path)
      expect(after.get(Sublevel.LOG)).toEqual(before.get(Sublevel.LOG))
      expect(after.get(Sublevel.META)).toEqual(before.get(Sublevel.META))
    } finally {
      dir.cleanup()
    }
  })

  it('without the signing key a v1 ledger does not open (LEDGER_OPEN), and nothing is written', async () => {
    const dir = tempDir('v1-upgrade-readonly')
    try {
      cpSync(FIXTURE, dir.path, { recursive: true })
      const before = await rawValues(dir.path)
      await expect(Ledger.open({ location: dir.path, party: 'CH', trust: TRUST, now: () => EXPECTED.clock.endMs })).rejects.toMatchObject({ code: 'LEDGER_OPEN' })
      expect(await rawValues(dir.path)).toEqual(before)
    } finally {
      dir.cleanup()
    }
  })
})
