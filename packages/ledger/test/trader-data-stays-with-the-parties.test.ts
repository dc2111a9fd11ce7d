/**
 * Issue 13 (ledger.md r17 §2.4, §7): a permit's document (traders' names and
 * addresses) is never in an event; it is held apart, encrypted under a key
 * of its own, by the issuer and the destination only; it is erased with
 * its key after retention, and the logs still verify.
 */
import { cpSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { Level } from 'level'
import { afterEach, describe, expect, it } from 'vitest'
import { EventType, IssuedBodyV1, decodeEvent, sha256, signEvent, type Ledger } from '../src/index.js'
import { NOW, chPermit, openLedger, signer, tempDir, type Clock } from './kit.js'

const DAY = 86_400_000
const EXPORTER = 'Wilhelmina Quastenflosser'
const STREET = 'Rue des Mouettes Rieuses 17'
const IMPORTER = 'Somchai Paknamtongdee'

function tradersPermit (number: string, destination = 'TH'): ReturnType<typeof chPermit> {
  const p = chPermit(number)
  p.consignor = { ...p.consignor, name: EXPORTER, address: { ...p.consignor.address, street: STREET, country: 'CH' } }
  p.consignee = { ...p.consignee, name: IMPORTER, address: { ...p.consignee.address, country: destination } }
  return p
}

/** Every key and value of every sublevel, as the raw database holds them (a closed ledger). */
async function rawBytes (location: string): Promise<Buffer[]> {
  const db = new Level<Buffer, Buffer>(location, { keyEncoding: 'buffer', valueEncoding: 'buffer' })
  await db.open()
  const out: Buffer[] = []
  try {
    for await (const [k, v] of db.iterator()) out.push(k, v)
  } finally {
    await db.close()
  }
  return out
}

const containsAny = (chunks: Buffer[], needles: string[]): string[] =>
  needles.filter((n) => chunks.some((c) => c.includes(Buffer.from(n, 'utf8')) || c.includes(Buffer.from(Buffer.from(n).toString('base64').slice(0, 16)))))

describe('trader data stays with the parties of the trade', () => {
  const dirs: Array<{ path: string, cleanup: () => void }> = []
  const open: Ledger[] = []
  const ledger = async (party: 'CH' | 'TH', clock: Clock = { now: NOW }): Promise<{ l: Ledger, dir: string }> => {
    const d = tempDir(party)
    dirs.push(d)
    const l = await openLedger(party, d.path, clock)
    open.push(l)
    return { l, dir: d.path }
  }
  afterEach(async () => {
    for (const l of open.splice(0)) await l.close().catch(() => {})
    for (const d of dirs.splice(0)) d.cleanup()
  })

  it('the ISSUED event carries the summary and the document hash, never a name; the issuer holds the document encrypted', async () => {
    const { l: ch, dir } = await ledger('CH')
    const { signedXml } = await ch.issue(tradersPermit('26CHP00001'))
    expect(signedXml).toContain(EXPORTER)
    const [issued] = (await ch.eventsFrom('CH', 1, 1)).map((b) => decodeEvent(b))
    expect(issued!.event.version).toBe(2)
    const state = (await ch.status('CH', '26CHP00001'))!.state
    expect(state.xmlSha256).toBe(Buffer.from(sha256(new TextEncoder().encode(signedXml))).toString('hex'))
    expect(Buffer.from(issued!.bytes).includes(Buffer.from(EXPORTER))).toBe(false)
    expect(await ch.signedXml('CH', '26CHP00001')).toBe(signedXml)
    expect(await ch.documentStatus('CH', '26CHP00001')).toBe('held')
    await ch.close()
    open.splice(0)
    // At rest: no name in any key or value of the database, the document store included (it is ciphertext).
    expect(containsAny(await rawBytes(dir), [EXPORTER, STREET, IMPORTER])).toEqual([])
  })

  it('a third authority cannot take a document (NOT_A_PARTY); a destination takes only the recorded one (DOCUMENT_HASH_MISMATCH)', async () => {
    const { l: ch } = await ledger('CH')
    const { l: th } = await ledger('TH')
    // CH -> FR: TH is neither issuer nor destination.
    await ch.issue(tradersPermit('26CHP00002', 'FR'))
    await ch.issue(tradersPermit('26CHP00003', 'TH'))
    const events = await ch.eventsFrom('CH', 1)
    await th.acceptEvents(events)
    const [toFr, toTh] = events.map((b) => decodeEvent(b))
    await expect(th.putDocument(toFr!, (await ch.document('CH', '26CHP00002'))!)).rejects.toMatchObject({ code: 'NOT_A_PARTY' })
    const forged = new TextEncoder().encode((await ch.signedXml('CH', '26CHP00003'))!.replace(IMPORTER, 'Someone Else'))
    await expect(th.putDocument(toTh!, forged)).rejects.toMatchObject({ code: 'DOCUMENT_HASH_MISMATCH' })
    expect(await th.documentStatus('CH', '26CHP00003')).toBe('absent')
    expect(await th.putDocument(toTh!, (await ch.document('CH', '26CHP00003'))!)).toBe('stored')
    expect(await th.signedXml('CH', '26CHP00003')).toContain(IMPORTER)
    expect(await th.documentStatus('CH', '26CHP00002')).toBe('absent')
  })

  it('a version 1 event, with a whole document inside, is refused from another node (EVENT_VERSION_UNSUPPORTED)', async () => {
    const { l: ch } = await ledger('CH')
    const { l: th } = await ledger('TH')
    const { signedXml } = await ch.issue(tradersPermit('26CHP00004'))
    const [v2] = (await ch.eventsFrom('CH', 1, 1)).map((b) => decodeEvent(b))
    const xml = new TextEncoder().encode(signedXml)
    // The same act in the old format, signed by CH: version absent, the document in the body.
    const { version: _v, carriedFrom: _f, carriedAt: _a, ...fields } = v2!.event
    const v1 = await signEvent({ ...fields, body: IssuedBodyV1.encode({ ...IssuedBodyV1.decode(v2!.event.body), signedXml: xml, xmlSha256: sha256(xml) as Uint8Array<ArrayBuffer> }) }, await signer('CH'))
    // signEvent always writes version 2: strip it to make the genuine old shape.
    const old = decodeEvent(v1.bytes)
    expect(old.event.version).toBe(2)
    const { SignedEvent, Event } = await import('../src/pb/ledger.js')
    const eventBytes = Event.encode({ ...old.event, version: 0 })
    const { signRecord, EVENT_CONTEXT } = await import('../src/events.js')
    const signature = await signRecord(EVENT_CONTEXT, eventBytes, await signer('CH'))
    const forged = SignedEvent.encode({ event: eventBytes, signature: signature as Uint8Array<ArrayBuffer> })
    await expect(th.acceptEvents([forged])).rejects.toMatchObject({ reason: 'EVENT_VERSION_UNSUPPORTED' })
    expect(th.heads().get('CH')?.size ?? 0).toBe(0)
  })

  it('after the retention period the document and its key are erased; summary, hash and log remain and verify', async () => {
    const clock: Clock = { now: NOW }
    const { l: ch, dir } = await ledger('CH', clock)
    const { signedXml } = await ch.issue(tradersPermit('26CHP00005'))
    await ch.issue(tradersPermit('26CHP00006'))
    const state = (await ch.status('CH', '26CHP00005'))!.state
    // Not yet: the clock is the later of Box 2's end and the last event.
    expect(await ch.purgeDocuments(new Date(state.validUntil - DAY))).toEqual({ erased: 0, held: 2 })
    await ch.cancel('CH', '26CHP00006', 'withdrawn')
    expect(await ch.purgeDocuments(new Date(state.validUntil + DAY))).toEqual({ erased: 2, held: 0 })
    expect(await ch.document('CH', '26CHP00005')).toBeUndefined()
    expect(await ch.documentStatus('CH', '26CHP00005')).toBe('erased')
    expect((await ch.status('CH', '26CHP00005'))?.state.xmlSha256).toBe(state.xmlSha256)
    expect(await ch.verifyLog('CH')).toMatchObject({ ok: true, size: 3 })
    // Erased is erased: the document is not taken back.
    const [issued] = (await ch.eventsFrom('CH', 1, 1)).map((b) => decodeEvent(b))
    await expect(ch.putDocument(issued!, new TextEncoder().encode(signedXml))).rejects.toMatchObject({ code: 'DOCUMENT_ERASED' })
    await ch.close()
    open.splice(0)
    // Nothing of the ciphertext or its key is left in the store (compacted), so even the master key opens nothing.
    const raw = await rawBytes(dir)
    const docs = raw.filter((b) => b.includes(Buffer.from('"ciphertext"')))
    expect(docs).toEqual([])
    expect(raw.some((b) => b.subarray(0, 8).toString('latin1').startsWith('!dockey!'))).toBe(false)
  })

  it('a ledger that holds documents and lost its DOCUMENT-KEY is refused at open, not silently unreadable', async () => {
    const { l: ch, dir } = await ledger('CH')
    await ch.issue(tradersPermit('26CHP00007'))
    await ch.close()
    open.splice(0)
    const copy = tempDir('stolen')
    dirs.push(copy)
    cpSync(dir, copy.path, { recursive: true })
    rmSync(join(copy.path, 'DOCUMENT-KEY'))
    await expect(openLedger('CH', copy.path)).rejects.toMatchObject({ code: 'LEDGER_OPEN' })
    // And again: no key was made up for it meanwhile.
    await expect(openLedger('CH', copy.path)).rejects.toMatchObject({ code: 'LEDGER_OPEN' })
    expect(containsAny(await rawBytes(copy.path), [EXPORTER, STREET, IMPORTER])).toEqual([])
  })

  it('an event of a permit is signed over the hash: an ISSUED event is the same size whatever the document', async () => {
    const { l: ch } = await ledger('CH')
    const small = tradersPermit('26CHP00008')
    const big = tradersPermit('26CHP00009')
    big.conditions = ['x'.repeat(20_000)]
    await ch.issue(small)
    await ch.issue(big)
    const [a, b] = (await ch.eventsFrom('CH', 1, 2)).map((e) => decodeEvent(e))
    expect(a!.event.type).toBe(EventType.ISSUED)
    // The bodies (the first event has no prev_hash, so compare bodies, not whole events).
    expect(Math.abs(a!.event.body.length - b!.event.body.length)).toBeLessThan(4)
    expect((await ch.document('CH', '26CHP00009'))!.length - (await ch.document('CH', '26CHP00008'))!.length).toBeGreaterThan(19_000)
  })
})
