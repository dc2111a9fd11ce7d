/**
 * Shared ledger vectors (protocol-spec/vectors/ledger/): a CH log of three
 * events (ISSUED, EXPORT_ENDORSED, CONSUMED) and its signed checkpoint, as hex,
 * with the expected event hashes and Merkle root. Another implementation can
 * check its encoding, hashing and signature verification against them.
 * `UPDATE_VECTORS=1 npm test` regenerates them.
 */
import { describe, expect, it } from 'vitest'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { verifySignedPermit } from '@cites/xml-signature'
import {
  ConsumedBody, EndorsedBody, Event, EventType, IssuedBody, applyEvent, decodeCheckpoint, decodeEvent, frontierAppend, frontierRoot, hex, sha256, signEvent, verifyCheckpointSignature, verifyEventSignature,
  type Hash, type PermitState
} from '../src/index.js'
import { CONSUME_A, NOW, TRUST, VECTORS, chPermit, openLedger, signer, tempDir } from './kit.js'

interface LedgerVectors {
  author: string
  events: Array<{ seq: number, type: string, signedEvent: string, hash: string }>
  checkpoint: { signed: string, size: number, root: string }
  finalState: { status: string, consumedSeq: number }
}

const FILE = `${VECTORS}ledger/ch-log.json`
/** A refused provisional use and a diverted one: TH's PROVISIONAL_CONSUMED; CH's ISSUED, CONSUMED, CLAIM_REFUSED naming the claim, and USE_REFUSED (FR asked). */
const PARTITION_FILE = `${VECTORS}ledger/partition-claim-refused.json`

/** Ledger r4 §4.1: an ISSUED event genuinely signed by CH over a document whose XML-DSig fails. */
const ROGUE_FILE = `${VECTORS}ledger/rogue-issued-document.json`
interface RogueVectors {
  description: string
  /** r17: each ISSUED event with the document it registers by hash (hex of the UTF-8 XML), as delivered to the destination. */
  events: Array<{ type: string, permitNumber: string, signedEvent: string, document: string }>
  /** What the background permit check finds, by seq. */
  expected: Array<{ seq: number, alert: string | null, failing: string[] }>
}

/**
 * Issue 20: a replacement as one act (ledger.md r10), and a use with no Box 14.
 * CH's log: ISSUED 26CHV00004; EXPORT_ENDORSED, EXPORT_VOIDED and CANCELLED
 * of it; ISSUED 26CHV00005; REPLACED 26CHV00005 (lost) then ISSUED
 * 26CHV00006 naming it; CONSUMED 26CHV00006 with NOT_ENDORSED_AT_EXPORT.
 */
const LIFECYCLE_FILE = `${VECTORS}ledger/replaced-voided.json`
interface LifecycleVectors {
  description: string
  events: Array<{ seq: number, type: string, permitNumber: string, signedEvent: string, hash: string }>
}

/**
 * Issue 15 (ledger.md r13 §2.3): the acting account in the event. CH's log:
 * ISSUED, EXPORT_ENDORSED (an officer name given, not written), EXPORT_VOIDED,
 * CANCELLED of 26CHV00007; ISSUED 26CHV00008; REPLACED and ISSUED 26CHV00009;
 * each with CH's account u_3kq9x7a2mf; CONSUMED 26CHV00009 asked by TH, with
 * TH's account u_8hd2p0wz4c.
 */
const ACTORS_FILE = `${VECTORS}ledger/actors.json`
interface ActorVectors {
  description: string
  events: Array<{ seq: number, type: string, permitNumber: string, actor: string, signedEvent: string, hash: string }>
}

interface PartitionVectors {
  th: Array<{ type: string, signedEvent: string, hash: string }>
  ch: Array<{ type: string, signedEvent: string, hash: string }>
}

describe('ledger vectors', () => {
  if (process.env.UPDATE_VECTORS === '1') {
    it('regenerates protocol-spec/vectors/ledger', async () => {
      const dir = tempDir()
      const ch = await openLedger('CH', dir.path)
      try {
        await ch.issue(chPermit('26CHV00001'))
        await ch.endorse('CH', '26CHV00001', { lines: [{ line: 'A', quantity: 50, unit: 'PCS' }], port: 'CHZRH' })
        await ch.consume('CH', '26CHV00001', CONSUME_A)
        const cp = await ch.checkpoint()
        const evs = (await ch.eventsFrom('CH', 1)).map((b) => decodeEvent(b))
        const v: LedgerVectors = {
          author: 'CH',
          events: evs.map((e) => ({ seq: Number(e.event.seq), type: e.event.type, signedEvent: hex(e.bytes), hash: hex(e.hash) })),
          checkpoint: { signed: hex(cp.bytes), size: Number(cp.checkpoint.size), root: hex(cp.checkpoint.root) },
          finalState: { status: 'CONSUMED', consumedSeq: 3 }
        }
        mkdirSync(`${VECTORS}ledger`, { recursive: true })
        writeFileSync(FILE, JSON.stringify(v, null, 2) + '\n')
      } finally {
        await ch.close()
        dir.cleanup()
      }
    })
    it('regenerates the rogue-document vector', async () => {
      const dir = tempDir()
      const ch = await openLedger('CH', dir.path)
      try {
        const { signedXml } = await ch.issue(chPermit('26CHV00003'))
        const [first] = (await ch.eventsFrom('CH', 1)).map((b) => decodeEvent(b))
        const body = IssuedBody.decode(first!.event.body)
        // The signed permit, its number changed after signing; the event over its hash is CH's own signature.
        const original = new TextEncoder().encode(signedXml)
        const doc = new TextEncoder().encode(signedXml.replaceAll('26CHV00003', '26CHV00666'))
        const { version: _v, carriedFrom: _f, carriedAt: _a, ...fields } = first!.event
        const rogue = await signEvent({
          ...fields, seq: 2n, prevHash: new Uint8Array(first!.hash), permitNumber: '26CHV00666', time: BigInt(NOW),
          body: IssuedBody.encode({ ...body, xmlSha256: new Uint8Array(sha256(doc)) })
        }, await signer('CH'))
        const v: RogueVectors = {
          description: 'CH log of two ISSUED events (version 2: summary and document hash), both validly signed as events; the second one\'s document (26CHV00003 renumbered 26CHV00666 after signing; its hash is the one the event registers) fails XML-DSig. The destination accepts both events and takes both documents; its background permit check (ledger.md §4.1) raises PERMIT_SIGNATURE_INVALID for seq 2.',
          events: [[first!, original] as const, [decodeEvent(rogue.bytes), doc] as const].map(([e, d]) => ({ type: e.event.type, permitNumber: e.event.permitNumber, signedEvent: hex(e.bytes), document: hex(d) })),
          expected: [{ seq: 1, alert: null, failing: [] }, { seq: 2, alert: 'PERMIT_SIGNATURE_INVALID', failing: ['SIG_DIGEST_MISMATCH'] }]
        }
        writeFileSync(ROGUE_FILE, JSON.stringify(v, null, 2) + '\n')
      } finally {
        await ch.close()
        dir.cleanup()
      }
    })
    it('regenerates the replacement and export-void vector', async () => {
      const dir = tempDir()
      const ch = await openLedger('CH', dir.path)
      try {
        await ch.issue(chPermit('26CHV00004'))
        await ch.endorse('CH', '26CHV00004', { lines: [{ line: 'A', quantity: 50, unit: 'PCS' }], port: 'CHZRH' })
        await ch.voidExport('CH', '26CHV00004', 'the flight was cancelled; the animals did not leave')
        await ch.cancel('CH', '26CHV00004', 'shipment abandoned')
        await ch.issue(chPermit('26CHV00005'))
        await ch.replace('CH', '26CHV00005', chPermit('26CHV00006'), 'lost', 'original lost in transit')
        await ch.consume('CH', '26CHV00006', CONSUME_A)
        const v: LifecycleVectors = {
          description: 'CH log (issue 20): EXPORT_VOIDED then CANCELLED of 26CHV00004; REPLACED 26CHV00005 (REPLACEMENT_LOST) and ISSUED 26CHV00006 with replaces = 26CHV00005, written in one batch; CONSUMED 26CHV00006 with warnings [NOT_ENDORSED_AT_EXPORT].',
          events: (await ch.eventsFrom('CH', 1)).map((b) => decodeEvent(b)).map((e) => ({ seq: Number(e.event.seq), type: e.event.type, permitNumber: e.event.permitNumber, signedEvent: hex(e.bytes), hash: hex(e.hash) }))
        }
        writeFileSync(LIFECYCLE_FILE, JSON.stringify(v, null, 2) + '\n')
      } finally {
        await ch.close()
        dir.cleanup()
      }
    })
    it('regenerates the actors vector', async () => {
      const dir = tempDir()
      const ch = await openLedger('CH', dir.path)
      const actor = 'u_3kq9x7a2mf'
      try {
        await ch.issue(chPermit('26CHV00007'), { actor })
        await ch.endorse('CH', '26CHV00007', { lines: [{ line: 'A', quantity: 50, unit: 'PCS' }], port: 'CHZRH', officer: 'A. Name', actor })
        await ch.voidExport('CH', '26CHV00007', 'the flight was cancelled', { actor })
        await ch.cancel('CH', '26CHV00007', 'shipment abandoned', { actor })
        await ch.issue(chPermit('26CHV00008'), { actor })
        await ch.replace('CH', '26CHV00008', chPermit('26CHV00009'), 'damaged', 'torn', { actor })
        await ch.decideUse({ party: 'CH', number: '26CHV00009', requester: 'TH', ...CONSUME_A, actor: 'u_8hd2p0wz4c' })
        const v: ActorVectors = {
          description: 'CH log (issue 15, ledger.md r13 §2.3): Event.actor (field 10) names the acting account. ISSUED, EXPORT_ENDORSED (an officer name was given and is not written: officer is empty), EXPORT_VOIDED, CANCELLED of 26CHV00007, ISSUED 26CHV00008, REPLACED 26CHV00008 and ISSUED 26CHV00009, each by CH\'s account u_3kq9x7a2mf; CONSUMED 26CHV00009 asked by TH, by TH\'s account u_8hd2p0wz4c.',
          events: (await ch.eventsFrom('CH', 1)).map((b) => decodeEvent(b)).map((e) => ({ seq: Number(e.event.seq), type: e.event.type, permitNumber: e.event.permitNumber, actor: e.event.actor ?? '', signedEvent: hex(e.bytes), hash: hex(e.hash) }))
        }
        writeFileSync(ACTORS_FILE, JSON.stringify(v, null, 2) + '\n')
      } finally {
        await ch.close()
        dir.cleanup()
      }
    })
    it('regenerates the partition vector', async () => {
      const dirs = [tempDir(), tempDir()]
      const ch = await openLedger('CH', dirs[0]!.path)
      const th = await openLedger('TH', dirs[1]!.path)
      try {
        await ch.issue(chPermit('26CHV00002'))
        await th.acceptEvents(await ch.eventsFrom('CH', 1))
        const claim = await th.consumeProvisionally('CH', '26CHV00002', { ...CONSUME_A, reason: 'CH unreachable for 5000 ms' })
        await ch.consume('CH', '26CHV00002', { ...CONSUME_A, port: 'THLCH' })
        await ch.acceptEvents(await th.eventsFrom('TH', 1))
        await ch.decideUse({ party: 'CH', number: '26CHV00002', requester: 'TH', ...CONSUME_A, claim: { seq: claim.seq, hash: claim.hash, usedAt: claim.time } })
        await ch.decideUse({ party: 'CH', number: '26CHV00002', requester: 'FR', ...CONSUME_A, port: 'FRPAR' })
        const view = (b: Uint8Array): { type: string, signedEvent: string, hash: string } => { const e = decodeEvent(b); return { type: e.event.type, signedEvent: hex(e.bytes), hash: hex(e.hash) } }
        const v: PartitionVectors = { th: (await th.eventsFrom('TH', 1)).map(view), ch: (await ch.eventsFrom('CH', 1)).map(view) }
        writeFileSync(PARTITION_FILE, JSON.stringify(v, null, 2) + '\n')
      } finally {
        await ch.close(); await th.close()
        for (const d of dirs) d.cleanup()
      }
    })
  }

  it('decode, hash, chain, sign and checkpoint exactly as the vectors say', async () => {
    const v = JSON.parse(readFileSync(FILE, 'utf8')) as LedgerVectors
    const trusted = TRUST.certificatesFor(v.author)
    let prev = ''
    let frontier: Hash[] = []
    let state: PermitState | undefined
    for (const [i, ve] of v.events.entries()) {
      const le = decodeEvent(new Uint8Array(Buffer.from(ve.signedEvent, 'hex')))
      expect(Number(le.event.seq)).toBe(ve.seq)
      expect(le.event.type).toBe(ve.type)
      expect(hex(le.hash)).toBe(ve.hash)
      expect(hex(le.event.prevHash)).toBe(prev)
      expect(await verifyEventSignature(le, trusted)).toBe('OK')
      state = applyEvent(state, le)
      frontier = frontierAppend(frontier, i, le.hash)
      prev = ve.hash
    }
    expect(state?.status).toBe(v.finalState.status)
    expect(state?.consumption?.seq).toBe(v.finalState.consumedSeq)
    const cp = decodeCheckpoint(new Uint8Array(Buffer.from(v.checkpoint.signed, 'hex')))
    expect(hex(cp.checkpoint.root)).toBe(v.checkpoint.root)
    expect(hex(frontierRoot(frontier))).toBe(v.checkpoint.root)
    expect(await verifyCheckpointSignature(cp, trusted)).toBe('OK')
  })

  it('the replacement and export-void vector: REPLACED names the replacement, which names the original; the void stays on record', async () => {
    const v = JSON.parse(readFileSync(LIFECYCLE_FILE, 'utf8')) as LifecycleVectors
    const states = new Map<string, PermitState>()
    let prev = ''
    for (const ve of v.events) {
      const le = decodeEvent(new Uint8Array(Buffer.from(ve.signedEvent, 'hex')))
      expect(await verifyEventSignature(le, TRUST.certificatesFor('CH'))).toBe('OK')
      expect(hex(le.event.prevHash)).toBe(prev)
      expect(hex(le.hash)).toBe(ve.hash)
      prev = ve.hash
      states.set(le.event.permitNumber, applyEvent(states.get(le.event.permitNumber), le))
    }
    expect(v.events.map((e) => [e.type, e.permitNumber])).toEqual([
      ['ISSUED', '26CHV00004'], ['EXPORT_ENDORSED', '26CHV00004'], ['EXPORT_VOIDED', '26CHV00004'], ['CANCELLED', '26CHV00004'],
      ['ISSUED', '26CHV00005'], ['REPLACED', '26CHV00005'], ['ISSUED', '26CHV00006'], ['CONSUMED', '26CHV00006']
    ])
    expect(states.get('26CHV00004')).toMatchObject({ status: 'CANCELLED', voidedExports: [{ port: 'CHZRH', reason: 'the flight was cancelled; the animals did not leave' }] })
    expect(states.get('26CHV00005')).toMatchObject({ status: 'REPLACED', replacement: { number: '26CHV00006', reasonCode: 'lost', reason: 'original lost in transit' } })
    expect(states.get('26CHV00006')).toMatchObject({ status: 'CONSUMED', replaces: '26CHV00005', consumption: { warnings: ['NOT_ENDORSED_AT_EXPORT'] } })
  })

  it('the actors vector: each event names its account, signed with it; the officer is not written beside it', async () => {
    const v = JSON.parse(readFileSync(ACTORS_FILE, 'utf8')) as ActorVectors
    const states = new Map<string, PermitState>()
    let prev = ''
    for (const ve of v.events) {
      const le = decodeEvent(new Uint8Array(Buffer.from(ve.signedEvent, 'hex')))
      expect(await verifyEventSignature(le, TRUST.certificatesFor('CH'))).toBe('OK')
      expect(hex(le.event.prevHash)).toBe(prev)
      expect(hex(le.hash)).toBe(ve.hash)
      expect(le.event.actor).toBe(ve.actor)
      prev = ve.hash
      states.set(le.event.permitNumber, applyEvent(states.get(le.event.permitNumber), le))
      if (le.event.type === EventType.EXPORT_ENDORSED) expect(EndorsedBody.decode(le.event.body).officer).toBe('')
      if (le.event.type === EventType.CONSUMED) expect(ConsumedBody.decode(le.event.body)).toMatchObject({ officer: '', consumingParty: 'TH' })
    }
    expect(v.events.map((e) => [e.type, e.actor])).toEqual([
      ...['ISSUED', 'EXPORT_ENDORSED', 'EXPORT_VOIDED', 'CANCELLED', 'ISSUED', 'REPLACED', 'ISSUED'].map((t) => [t, 'u_3kq9x7a2mf']), ['CONSUMED', 'u_8hd2p0wz4c']
    ])
    expect(states.get('26CHV00007')).toMatchObject({ status: 'CANCELLED', issuedBy: 'u_3kq9x7a2mf', cancellation: { actor: 'u_3kq9x7a2mf' }, voidedExports: [{ actor: 'u_3kq9x7a2mf' }] })
    expect(states.get('26CHV00008')).toMatchObject({ status: 'REPLACED', replacement: { number: '26CHV00009', actor: 'u_3kq9x7a2mf' } })
    expect(states.get('26CHV00009')).toMatchObject({ status: 'CONSUMED', issuedBy: 'u_3kq9x7a2mf', consumption: { actor: 'u_8hd2p0wz4c', consumingParty: 'TH' } })
  })

  it('events before the actor field decode with none, byte for byte as signed', async () => {
    const v = JSON.parse(readFileSync(FILE, 'utf8')) as LedgerVectors
    for (const ve of v.events) {
      const le = decodeEvent(new Uint8Array(Buffer.from(ve.signedEvent, 'hex')))
      expect(le.event.actor).toBeUndefined()
      // Re-encoding the decoded fields gives the signed bytes again: no field was added on the way.
      expect(hex(Event.encode(le.event))).toBe(hex(le.eventBytes))
    }
  })

  it('the partition vector: the issuer\'s CLAIM_REFUSED names the destination\'s PROVISIONAL_CONSUMED by hash', async () => {
    const v = JSON.parse(readFileSync(PARTITION_FILE, 'utf8')) as PartitionVectors
    const claim = decodeEvent(new Uint8Array(Buffer.from(v.th[0]!.signedEvent, 'hex')))
    expect(claim.event).toMatchObject({ author: 'TH', type: 'PROVISIONAL_CONSUMED', permitParty: 'CH', permitNumber: '26CHV00002' })
    expect(await verifyEventSignature(claim, TRUST.certificatesFor('TH'))).toBe('OK')
    expect(hex(claim.hash)).toBe(v.th[0]!.hash)
    let state: PermitState | undefined
    for (const ve of v.ch) {
      const le = decodeEvent(new Uint8Array(Buffer.from(ve.signedEvent, 'hex')))
      expect(await verifyEventSignature(le, TRUST.certificatesFor('CH'))).toBe('OK')
      state = applyEvent(state, le)
    }
    expect(v.ch.map((e) => e.type)).toEqual(['ISSUED', 'CONSUMED', 'CLAIM_REFUSED', 'USE_REFUSED'])
    expect(state?.refusedClaims).toMatchObject([{ claimant: 'TH', seq: 1, hash: hex(claim.hash), code: 'ALREADY_CONSUMED', evidenceSeq: 2 }])
    expect(state?.refusedUses).toMatchObject([{ requester: 'FR', port: 'FRPAR', code: 'NOT_DESTINATION', seq: 4 }])
  })

  it('the rogue-document vector: both events are accepted, the background check fails the second document, alerted once', async () => {
    const v = JSON.parse(readFileSync(ROGUE_FILE, 'utf8')) as RogueVectors
    const dir = tempDir()
    const th = await openLedger('TH', dir.path)
    try {
      const events = v.events.map((e) => new Uint8Array(Buffer.from(e.signedEvent, 'hex')))
      expect((await th.acceptEvents(events)).map((r) => r.status)).toEqual(['accepted', 'accepted'])
      const invalid: Array<{ seq: number, number: string, codes: string[] }> = []
      for (const [i, ex] of v.expected.entries()) {
        const le = decodeEvent(events[i]!)
        expect(le.event.type).toBe(EventType.ISSUED)
        // The destination takes the document only as the one registered by hash (r17).
        expect(await th.putDocument(le, new Uint8Array(Buffer.from(v.events[i]!.document, 'hex')))).toBe('stored')
        const doc = (await th.signedXml('CH', le.event.permitNumber))!
        const r = await verifySignedPermit(doc, { certificatesFor: (p) => TRUST.certificatesFor(p) })
        const failing = r.checks.filter((c) => (c.name === 'integrity' || c.name === 'issuer') && c.status !== 'VALID').map((c) => c.reason.code)
        expect(failing).toEqual(ex.failing)
        if (failing.length > 0) invalid.push({ seq: ex.seq, number: le.event.permitNumber, codes: failing })
      }
      await th.recordPermitChecks('CH', 2, invalid)
      expect(await th.permitCheckCursor('CH')).toBe(2)
      expect((await th.alerts()).map((a) => [a.kind, a.seq])).toEqual(v.expected.filter((e) => e.alert !== null).map((e) => [e.alert, e.seq]))
    } finally {
      await th.close()
      dir.cleanup()
    }
  })

  it('the vectors are refused when one byte changes', async () => {
    const v = JSON.parse(readFileSync(FILE, 'utf8')) as LedgerVectors
    const bytes = new Uint8Array(Buffer.from(v.events[2]!.signedEvent, 'hex'))
    bytes[20] = bytes[20]! ^ 1
    let verdict: string
    try { verdict = await verifyEventSignature(decodeEvent(bytes), TRUST.certificatesFor('CH')) } catch { verdict = 'EVENT_MALFORMED' }
    expect(verdict).not.toBe('OK')
  })
})
