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

  it('the vectors are refused when one byte changes', async () => {
    const v = JSON.parse(readFileSync(FILE, 'utf8')) as LedgerVectors
    const bytes = new Uint8Array(Buffer.from(v.events[2]!.signedEvent, 'hex'))
    bytes[20] = bytes[20]! ^ 1
    let verdict: string
    try { verdict = await verifyEventSignature(decodeEvent(bytes), TRUST.certificatesFor('CH')) } catch { verdict = 'EVENT_MALFORMED' }
    expect(verdict).not.toBe('OK')
  })
})
