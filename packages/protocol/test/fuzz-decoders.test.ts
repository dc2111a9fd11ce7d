/**
 * Fuzzing every protobuf decoder a peer can reach (fast-check, 10,000 inputs
 * each): random bytes and mutated valid messages either decode or throw, and
 * nothing a decoder returns from garbage gets past the checks behind it: a
 * mutated signed event is never accepted by a ledger.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ClaimRefusedBody, ConsumedBody, decodeCheckpoint, decodeEvent, IssuedBody, InvalidEventError, ProvisionalBody, UseRefusedBody, type Ledger } from '@cites/ledger'
import {
  AckBody, ConsumeRequest, ConsumeRequestBody, ConsumeResponse, DeliverRequest, DeliverResponse, Gossip, SignedAck, SignedConsumeRequest,
  SyncRequest, SyncResponse, TrustListRequest, TrustListResponse, VerifyRequest, VerifyResponse, DocumentRequest, DocumentResponse
} from '../src/index.js'
import { chPermit, ledgerFor, parties, tempDir, trustFor } from './kit.js'

const decoders: Array<[string, (b: Uint8Array) => unknown]> = [
  ['Gossip', (b) => Gossip.decode(b)], ['SyncRequest', (b) => SyncRequest.decode(b)], ['SyncResponse', (b) => SyncResponse.decode(b, { limits: { events: 1000 } })],
  ['TrustListRequest', (b) => TrustListRequest.decode(b)], ['TrustListResponse', (b) => TrustListResponse.decode(b)], ['VerifyRequest', (b) => VerifyRequest.decode(b)],
  ['VerifyResponse', (b) => VerifyResponse.decode(b)], ['ConsumeRequest', (b) => ConsumeRequest.decode(b)], ['SignedConsumeRequest', (b) => SignedConsumeRequest.decode(b)],
  ['ConsumeRequestBody', (b) => ConsumeRequestBody.decode(b, { limits: { lines: 100 } })], ['ConsumeResponse', (b) => ConsumeResponse.decode(b)],
  ['DeliverRequest', (b) => DeliverRequest.decode(b)], ['DeliverResponse', (b) => DeliverResponse.decode(b)], ['SignedAck', (b) => SignedAck.decode(b)], ['AckBody', (b) => AckBody.decode(b)],
  ['DocumentRequest', (b) => DocumentRequest.decode(b)], ['DocumentResponse', (b) => DocumentResponse.decode(b)],
  ['SignedEvent', (b) => decodeEvent(b)], ['SignedCheckpoint', (b) => decodeCheckpoint(b)], ['IssuedBody', (b) => IssuedBody.decode(b)], ['ConsumedBody', (b) => ConsumedBody.decode(b)],
  ['ProvisionalBody', (b) => ProvisionalBody.decode(b)], ['ClaimRefusedBody', (b) => ClaimRefusedBody.decode(b)], ['UseRefusedBody', (b) => UseRefusedBody.decode(b)]
]

describe('fuzz: protobuf decoders', () => {
  for (const [name, decode] of decoders) {
    it(`${name}: random bytes decode or throw, never anything else`, () => {
      fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        try { decode(bytes) } catch (err) { expect(err).toBeInstanceOf(Error) }
      }), { numRuns: 10_000, seed: 20261123 })
    })
  }
})

describe('fuzz: mutated signed events never enter a ledger', () => {
  let dirs: Array<ReturnType<typeof tempDir>>
  let ch: Ledger
  let th: Ledger
  let events: Uint8Array[]
  beforeAll(async () => {
    const P = await parties()
    const trust = await trustFor([P.CH, P.TH])
    dirs = [tempDir(), tempDir()]
    ch = await ledgerFor(P.CH, trust, dirs[0]!.path)
    th = await ledgerFor(P.TH, trust, dirs[1]!.path)
    await ch.issue(chPermit('26CHF0001'))
    await ch.consume('CH', '26CHF0001', { lines: [{ line: 'A', quantity: 50, unit: 'PCS' }], port: 'THBKK' })
    events = await ch.eventsFrom('CH', 1)
  })
  afterAll(async () => { await ch.close(); await th.close(); for (const d of dirs) d.cleanup() })

  it('10,000 byte-level mutations of the first two signed events: none whose signed content differs is ever accepted', async () => {
    const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: 1 }), fc.nat(), fc.integer({ min: 1, max: 255 }), async (which, at, x) => {
      const original = events[which] as Uint8Array
      const bytes = new Uint8Array(original)
      bytes[at % bytes.length] = (bytes[at % bytes.length] as number) ^ x
      try {
        const [r] = await th.acceptEvents([bytes])
        if (r?.status === 'accepted' || r?.status === 'duplicate') {
          // Only an envelope that still carries the very same signed Event and
          // signature (e.g. a protobuf tag byte the decoder reads the same way) may pass.
          const got = decodeEvent(bytes)
          const orig = decodeEvent(original)
          expect(same(got.eventBytes, orig.eventBytes) && same(got.signature, orig.signature)).toBe(true)
        }
      } catch (err) {
        expect(err).toBeInstanceOf(InvalidEventError)
      }
    }), { numRuns: 10_000, seed: 20261123 })
    // Whatever got in is exactly CH's signed events.
    const held = (await th.eventsFrom('CH', 1)).map((b) => decodeEvent(b).eventBytes)
    expect(held.every((e, i) => same(e, decodeEvent(events[i] as Uint8Array).eventBytes))).toBe(true)
    expect((await th.verifyLog('CH')).ok).toBe(true)
  }, 300_000)
})
