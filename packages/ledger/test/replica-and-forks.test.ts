import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EventType, InvalidEventError, decodeEvent, hex, signCheckpoint, signEvent, verifyConsistency, verifyInclusion, leafHash, type Ledger } from '../src/index.js'
import { CONSUME_A, NOW, chPermit, openLedger, signer, tempDir } from './kit.js'

const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'))

describe('replicas of another authority\'s log', () => {
  let dirs: Array<ReturnType<typeof tempDir>>
  let ch: Ledger
  let th: Ledger
  beforeEach(async () => {
    dirs = [tempDir('ch'), tempDir('th')]
    ch = await openLedger('CH', dirs[0]!.path)
    th = await openLedger('TH', dirs[1]!.path)
  })
  afterEach(async () => { await ch.close(); await th.close(); for (const d of dirs) d.cleanup() })

  async function chEvents (n: number): Promise<Uint8Array[]> {
    for (let i = 0; i < n; i++) await ch.issue(chPermit(`26CH3000${i}`))
    return ch.eventsFrom('CH', 1, 1000)
  }

  it('accepts events in order, treats a duplicate as a no-op, and derives the same permit state', async () => {
    const evs = await chEvents(3)
    await ch.consume('CH', '26CH30000', CONSUME_A)
    const all = await ch.eventsFrom('CH', 1)
    expect((await th.acceptEvents(all)).map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted'])
    expect((await th.acceptEvent(evs[0]!)).status).toBe('duplicate')
    expect(th.heads().get('CH')).toEqual(ch.heads().get('CH'))
    expect((await th.status('CH', '26CH30000'))?.state).toEqual((await ch.status('CH', '26CH30000'))?.state)
    expect(await th.verifyLog('CH')).toMatchObject({ ok: true, size: 4 })
  })

  it('holds back a gap, then accepts it all once the missing event arrives', async () => {
    const evs = await chEvents(4)
    expect((await th.acceptEvents([evs[0]!, evs[2]!, evs[3]!])).map((r) => `${r.seq}:${r.status}`)).toEqual(['1:accepted', '3:held', '4:held'])
    expect(th.heads().get('CH')?.size).toBe(1)
    expect((await th.acceptEvent(evs[1]!))).toMatchObject({ status: 'accepted', seq: 2 })
    expect(th.heads().get('CH')?.size).toBe(4)
    expect(await th.count({ party: 'CH' })).toBe(4)
  })

  it('raises an equivocation alert on a fork and keeps both events as evidence', async () => {
    const evs = await chEvents(2)
    await th.acceptEvents(evs)
    // CH (or someone with its key) signs a different event #2.
    const original = decodeEvent(evs[1]!)
    const forged = await signEvent({ ...original.event, permitNumber: 'FORGED-2' }, await signer('CH'))
    expect((await th.acceptEvent(forged.bytes)).status).toBe('fork')
    const alerts = await th.alerts()
    expect(alerts).toHaveLength(1)
    expect(alerts[0]).toMatchObject({ kind: 'EQUIVOCATION', author: 'CH', seq: 2 })
    expect(alerts[0]!.evidence).toHaveLength(2)
    for (const k of alerts[0]!.evidence!) expect(await th.evidence(k)).toBeInstanceOf(Uint8Array)
    // the replica keeps the first event
    expect(await th.status('CH', 'FORGED-2')).toBeUndefined()
  })

  it('refuses events not signed by their author, from unknown authors, or claiming another\'s permit', async () => {
    const [first] = await chEvents(1)
    const e = decodeEvent(first!)
    const byAttacker = await signEvent({ ...e.event }, await signer('ATTACKER'))
    await expect(th.acceptEvent(byAttacker.bytes)).rejects.toMatchObject({ reason: 'EVENT_SIGNATURE_INVALID' })
    const flipped = new Uint8Array(first!)
    flipped[flipped.length - 5] = flipped[flipped.length - 5]! ^ 0xff
    await expect(th.acceptEvent(flipped)).rejects.toBeInstanceOf(InvalidEventError)
    const fr = await signEvent({ ...e.event, author: 'FR', permitParty: 'FR' }, await signer('CH'))
    await expect(th.acceptEvent(fr.bytes)).rejects.toMatchObject({ reason: 'EVENT_UNKNOWN_AUTHOR' })
    const other = await signEvent({ ...e.event, permitParty: 'TH' }, await signer('CH'))
    await expect(th.acceptEvent(other.bytes)).rejects.toMatchObject({ reason: 'EVENT_WRONG_LOG' })
    await expect(th.acceptEvent(new Uint8Array([1, 2, 3, 4, 5]))).rejects.toMatchObject({ reason: 'EVENT_MALFORMED' })
    expect(th.heads().get('CH')).toBeUndefined()
  })

  it('keeps an illegal transition signed by the issuer as evidence and raises an alert (issuer double-consumption)', async () => {
    const evs = await chEvents(1)
    await ch.consume('CH', '26CH30000', CONSUME_A)
    const all = await ch.eventsFrom('CH', 1)
    await th.acceptEvents(all)
    const c = decodeEvent(all[1]!)
    const second = await signEvent({ ...c.event, seq: 3n, prevHash: c.hash as Uint8Array<ArrayBuffer>, time: BigInt(NOW + 1000) }, await signer('CH'))
    expect((await th.acceptEvent(second.bytes)).status).toBe('accepted')
    expect(evs).toHaveLength(1)
    const alerts = await th.alerts()
    expect(alerts.map((a) => [a.kind, a.seq])).toEqual([['TRANSITION_REFUSED', 3]])
    // The refused code, for programs (/v1/audit): no parsing of the message.
    expect(alerts[0]?.code).toBe('ALREADY_CONSUMED')
    expect(alerts[0]!.message).toContain('ALREADY_CONSUMED')
    expect((await th.status('CH', '26CH30000'))?.state.consumption?.seq).toBe(2)
  })

  it('checkpoints: stores a matching one, flags two different ones of the same size, proofs verify', async () => {
    const evs = await chEvents(5)
    await th.acceptEvents(evs)
    const cp = await ch.checkpoint()
    expect(await th.acceptCheckpoint(cp.bytes)).toBe('stored')
    const other = await signCheckpoint({ ...cp.checkpoint, root: new Uint8Array(32).fill(7) as Uint8Array<ArrayBuffer> }, await signer('CH'))
    expect(await th.acceptCheckpoint(other.bytes)).toBe('equivocation')
    expect((await th.alerts()).map((a) => a.kind)).toEqual(['EQUIVOCATION'])
    const forged = await signCheckpoint({ ...cp.checkpoint }, await signer('ATTACKER'))
    await expect(th.acceptCheckpoint(forged.bytes)).rejects.toMatchObject({ reason: 'CHECKPOINT_INVALID' })

    const inc = await th.inclusionProof('CH', 3)
    expect(inc.root).toBe(hex(cp.checkpoint.root))
    expect(verifyInclusion(leafHash(decodeEvent(evs[2]!).eventBytes), 2, 5, inc.proof.map(unhex), cp.checkpoint.root)).toBe(true)
    const con = await th.consistencyProof('CH', 2, 5)
    expect(verifyConsistency(2, 5, con.proof.map(unhex), unhex(con.rootM), cp.checkpoint.root)).toBe(true)
  })

  it('flags a checkpoint whose root does not match the events it sent', async () => {
    const evs = await chEvents(3)
    await th.acceptEvents(evs)
    const bogus = await signCheckpoint({ author: 'CH', size: 3n, root: new Uint8Array(32).fill(1) as Uint8Array<ArrayBuffer>, time: BigInt(NOW) }, await signer('CH'))
    expect(await th.acceptCheckpoint(bogus.bytes)).toBe('mismatch')
    expect((await th.alerts()).map((a) => a.kind)).toEqual(['CHECKPOINT_MISMATCH'])
  })

  it('refuses a forged event claiming to be from the node\'s own log', async () => {
    const [first] = await chEvents(1)
    // the same bytes are a harmless echo
    expect(await ch.acceptEvents([first!])).toEqual([{ status: 'duplicate', author: 'CH', seq: 1 }])
    const e = decodeEvent(first!)
    const fake = await signEvent({ ...e.event, permitNumber: 'X' }, await signer('CH'))
    await expect(ch.acceptEvent(fake.bytes)).rejects.toMatchObject({ reason: 'EVENT_WRONG_LOG' })
  })

  it('a type the node does not know is refused', async () => {
    const [first] = await chEvents(1)
    const e = decodeEvent(first!)
    const odd = await signEvent({ ...e.event, type: EventType.EVENT_TYPE_UNSPECIFIED }, await signer('CH'))
    await expect(th.acceptEvent(odd.bytes)).rejects.toMatchObject({ reason: 'EVENT_MALFORMED' })
  })

  it('accepts a sync page under one checkpoint signature, and falls back to per-event checks when the root does not match', async () => {
    const evs = await chEvents(6)
    await th.acceptEvents(evs.slice(0, 2))
    const cp = await ch.checkpoint() // covers 1..6
    expect((await th.acceptEvents(evs.slice(2), { checkpoint: cp.bytes })).map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted'])
    expect(th.heads().get('CH')).toEqual(ch.heads().get('CH'))
    expect(await th.verifyLog('CH')).toMatchObject({ ok: true, size: 6 })

    // A page whose events were altered: the root no longer matches, so each
    // event's own signature is checked, and the altered one is refused.
    const dir3 = tempDir('th2')
    const th2 = await openLedger('TH', dir3.path)
    try {
      const altered = decodeEvent(evs[3]!)
      const forged = await signEvent({ ...altered.event, permitNumber: 'SWAPPED' }, await signer('ATTACKER'))
      const page = [...evs.slice(0, 3), forged.bytes, ...evs.slice(4)]
      await expect(th2.acceptEvents(page, { checkpoint: cp.bytes })).rejects.toMatchObject({ reason: 'EVENT_SIGNATURE_INVALID', seq: 4 })
      // a checkpoint not signed by the author does not vouch for anything
      const fake = await signCheckpoint({ ...cp.checkpoint }, await signer('ATTACKER'))
      await expect(th2.acceptEvents(evs, { checkpoint: fake.bytes })).rejects.toMatchObject({ reason: 'CHECKPOINT_INVALID' })
      expect(th2.heads().get('CH')).toBeUndefined()
    } finally {
      await th2.close()
      dir3.cleanup()
    }
  })
})
