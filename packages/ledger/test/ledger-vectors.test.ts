/**
 * Shared ledger vectors (protocol-spec/vectors/ledger/): a CH log of three
 * events (ISSUED, EXPORT_ENDORSED, CONSUMED) and its signed checkpoint, as hex,
 * with the expected event hashes and Merkle root. Another implementation can
 * check its encoding, hashing and signature verification against them.
 * `UPDATE_VECTORS=1 npm test` regenerates them.
 */
import { describe, expect, it } from 'vitest'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import {
  applyEvent, decodeCheckpoint, decodeEvent, frontierAppend, frontierRoot, hex, verifyCheckpointSignature, verifyEventSignature,
  type Hash, type PermitState
} from '../src/index.js'
import { CONSUME_A, TRUST, VECTORS, chPermit, openLedger, tempDir } from './kit.js'

interface LedgerVectors {
  author: string
  events: Array<{ seq: number, type: string, signedEvent: string, hash: string }>
  checkpoint: { signed: string, size: number, root: string }
  finalState: { status: string, consumedSeq: number }
}

const FILE = `${VECTORS}ledger/ch-log.json`
/** A refused provisional use and a diverted one: TH's PROVISIONAL_CONSUMED; CH's ISSUED, CONSUMED, CLAIM_REFUSED naming the claim, and USE_REFUSED (FR asked). */
const PARTITION_FILE = `${VECTORS}ledger/partition-claim-refused.json`

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
    it('regenerates the partition vector', async () => {
      const dirs = [tempDir(), tempDir()]
      const ch = await openLedger('CH', dirs[0]!.path)
      const th = await openLedger('TH', dirs[1]!.path)
      try {
        await ch.issue(chPermit('26CHV00002'))
        await th.acceptEvents(await ch.eventsFrom('CH', 1))
        const claim = await th.consumeProvisionally('CH', '26CHV00002', { ...CONSUME_A, reason: 'CH unreachable for 5000 ms' })
        const first = await ch.consume('CH', '26CHV00002', { ...CONSUME_A, port: 'THLCH' })
        await ch.refuseClaim('26CHV00002', { claimant: 'TH', seq: claim.seq, hash: claim.hash }, 'ALREADY_CONSUMED', 'already used at THLCH', first.seq)
        await ch.refuseUse('26CHV00002', { requester: 'FR', port: 'FRPAR', code: 'NOT_DESTINATION', message: 'FR is not the destination' })
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

  it('the vectors are refused when one byte changes', async () => {
    const v = JSON.parse(readFileSync(FILE, 'utf8')) as LedgerVectors
    const bytes = new Uint8Array(Buffer.from(v.events[2]!.signedEvent, 'hex'))
    bytes[20] = bytes[20]! ^ 1
    let verdict: string
    try { verdict = await verifyEventSignature(decodeEvent(bytes), TRUST.certificatesFor('CH')) } catch { verdict = 'EVENT_MALFORMED' }
    expect(verdict).not.toBe('OK')
  })
})
