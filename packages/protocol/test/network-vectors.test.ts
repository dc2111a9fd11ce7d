/** protocol-spec/vectors/network/sync.json: encoded messages and what they decode to. */
import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AckBody, AckOutcome, ConsumeRequestBody, ConsumeResponse, DeliverRequest, HeldLog, EVENTS_TOPIC, EVENTS_TOPIC_SCORE, GOSSIP_SCORE_THRESHOLDS, Gossip, Status, SyncRequest, SyncResponse, TrustListRequest, VerifyRequest } from '../src/index.js'

const pkg = fileURLToPath(new URL('..', import.meta.url))
const FILE = join(pkg, '..', '..', 'protocol-spec', 'vectors', 'network', 'sync.json')

interface Vectors {
  requests: Array<{ hex: string, author: string, fromSeq: string, limit: number }>
  responses: Array<{ hex: string, status: string, events: number, headSize: string }>
  trustListRequests: Array<{ hex: string, haveSequence: string }>
  gossip: Array<{ hex: string, event: string, checkpoint: string, trustListSequence?: string }>
  /** A provisional claim's submission (network.md §7.1). */
  claimBodies?: Array<{ hex: string, party: string, number: string, requester: string, claimSeq: string, claimHash: string, usedAt: string }>
  verifyRequests: Array<{ hex: string, party: string, number: string }>
  consumeResponses: Array<{ hex: string, status: string, code: string }>
  ackBodies: Array<{ hex: string, party: string, number: string, outcome: string, codes: string[], receiver: string }>
  /** r5, split views (network.md §4.1): known_hash, a heads exchange, a conflict answer, a delivery with its checkpoint. */
  crossChecks?: {
    requests: Array<{ hex: string, author: string, fromSeq: string, knownHash: string, checkpoint: string, heads: Array<{ author: string, size: string, hash: string }> }>
    responses: Array<{ hex: string, status: string, headSize: string, conflict: string, headCheckpoint: string, heads: Array<{ author: string, size: string, hash: string }> }>
    deliverRequests: Array<{ hex: string, event: string, checkpoint: string }>
  }
  /** r9, clock offsets (network.md §4.2): a heads exchange with no heads, and answers with and without the answerer's `time`. */
  clock?: {
    requests: Array<{ hex: string, author: string, heads: number }>
    responses: Array<{ hex: string, status: string, heads: number, time: string | null }>
  }
}

const h = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const b = (s: string): Uint8Array<ArrayBuffer> => Buffer.from(s, 'hex') as unknown as Uint8Array<ArrayBuffer>
const headsOf = (hs: HeldLog[]): Array<{ author: string, size: string, hash: string }> => hs.map((x) => ({ author: x.author, size: String(x.size), hash: h(x.hash) }))

/** The r5 vectors: what they decode to, from the messages they were made of. */
function crossCheckVectors (): NonNullable<Vectors['crossChecks']> {
  const hash = 'cd'.repeat(32)
  const requests: SyncRequest[] = [
    { author: 'US', fromSeq: 4n, limit: 1000, knownHash: b(hash), checkpoint: b('0a02555310031a20' + 'ee'.repeat(32)), heads: [] },
    { author: '', fromSeq: 0n, limit: 0, knownHash: b(''), checkpoint: b(''), heads: [{ author: 'US', size: 3n, hash: b(hash) }, { author: 'CH', size: 12n, hash: b('ab'.repeat(32)) }] }
  ]
  const responses: SyncResponse[] = [
    { status: Status.OK, events: [], checkpoint: b(''), headSize: 3n, message: '', conflict: b('0a0455532333'), headCheckpoint: b('0a02555310031a20' + 'ff'.repeat(32)), heads: [] },
    { status: Status.OK, events: [], checkpoint: b(''), headSize: 0n, message: '', conflict: b(''), headCheckpoint: b(''), heads: [{ author: 'US', size: 3n, hash: b('ef'.repeat(32)) }] }
  ]
  const delivers: DeliverRequest[] = [{ event: b('0a0455532333'), checkpoint: b('0a02555310031a20' + 'ee'.repeat(32)), document: b('') }]
  return {
    requests: requests.map((r) => ({ hex: h(SyncRequest.encode(r)), author: r.author, fromSeq: String(r.fromSeq), knownHash: h(r.knownHash), checkpoint: h(r.checkpoint), heads: headsOf(r.heads) })),
    responses: responses.map((r) => ({ hex: h(SyncResponse.encode(r)), status: r.status, headSize: String(r.headSize), conflict: h(r.conflict), headCheckpoint: h(r.headCheckpoint), heads: headsOf(r.heads) })),
    deliverRequests: delivers.map((d) => ({ hex: h(DeliverRequest.encode(d)), event: h(d.event), checkpoint: h(d.checkpoint) }))
  }
}

/** The r9 vectors: the answerer's clock (2026-11-15T00:00:00Z) on a heads-exchange answer; an r8 answer has none. */
function clockVectors (): NonNullable<Vectors['clock']> {
  const E = b('')
  const requests: SyncRequest[] = [{ author: '', fromSeq: 0n, limit: 0, knownHash: E, checkpoint: E, heads: [] }]
  const responses: SyncResponse[] = [
    { status: Status.OK, events: [], checkpoint: E, headSize: 0n, message: '', conflict: E, headCheckpoint: E, heads: [], time: 1_794_700_800_000n },
    { status: Status.OK, events: [], checkpoint: E, headSize: 0n, message: '', conflict: E, headCheckpoint: E, heads: [{ author: 'US', size: 3n, hash: b('ef'.repeat(32)) }], time: 1_794_700_800_123n },
    { status: Status.OK, events: [], checkpoint: E, headSize: 0n, message: '', conflict: E, headCheckpoint: E, heads: [{ author: 'US', size: 3n, hash: b('ef'.repeat(32)) }] }
  ]
  return {
    requests: requests.map((r) => ({ hex: h(SyncRequest.encode(r)), author: r.author, heads: r.heads.length })),
    responses: responses.map((r) => ({ hex: h(SyncResponse.encode(r)), status: r.status, heads: r.heads.length, time: r.time === undefined ? null : String(r.time) }))
  }
}

describe('network vectors', () => {
  if (process.env.UPDATE_VECTORS === '1') {
    it('regenerates them', () => {
      const reqs = [{ author: 'CH', fromSeq: 1n, limit: 1000 }, { author: 'TH', fromSeq: 1001n, limit: 0 }]
      const ress = [
        { status: Status.OK, events: [new Uint8Array([1, 2, 3])], checkpoint: new Uint8Array(0), headSize: 1n, message: '' },
        { status: Status.NOT_FOUND, events: [], checkpoint: new Uint8Array(0), headSize: 0n, message: 'no log of US here' }
      ]
      const v: Vectors = {
        requests: reqs.map((r) => ({ hex: Buffer.from(SyncRequest.encode(r)).toString('hex'), author: r.author, fromSeq: String(r.fromSeq), limit: r.limit })),
        responses: ress.map((r) => ({ hex: Buffer.from(SyncResponse.encode(r)).toString('hex'), status: r.status, events: r.events.length, headSize: String(r.headSize) })),
        trustListRequests: [0n, 7n].map((h) => ({ hex: Buffer.from(TrustListRequest.encode({ haveSequence: h })).toString('hex'), haveSequence: String(h) })),
        gossip: [
          { event: new Uint8Array([10, 2, 67, 72]), checkpoint: new Uint8Array(0), trustListSequence: 0n },
          { event: new Uint8Array(0), checkpoint: new Uint8Array([10, 2, 84, 72]), trustListSequence: 0n },
          { event: new Uint8Array(0), checkpoint: new Uint8Array(0), trustListSequence: 7n }
        ].map((g) => ({ hex: Buffer.from(Gossip.encode(g)).toString('hex'), event: Buffer.from(g.event).toString('hex'), checkpoint: Buffer.from(g.checkpoint).toString('hex'), trustListSequence: String(g.trustListSequence) })),
        claimBodies: [{ party: 'CH', number: '26CH000042', requester: 'TH', claimSeq: 3n, claimHash: 'ab'.repeat(32), usedAt: 1_794_700_800_000n }]
          .map((c) => ({
            hex: Buffer.from(ConsumeRequestBody.encode({
              party: c.party, number: c.number, lines: [{ line: 'A', quantity: 50, unit: 'PCS' }], port: 'THBKK', officer: '', requester: c.requester, time: 1_794_704_400_000n,
              certSha256: new Uint8Array(32), nonce: new Uint8Array(16), claimSeq: c.claimSeq, claimHash: Buffer.from(c.claimHash, 'hex') as unknown as Uint8Array<ArrayBuffer>, usedAt: c.usedAt
            })).toString('hex'),
            party: c.party, number: c.number, requester: c.requester, claimSeq: String(c.claimSeq), claimHash: c.claimHash, usedAt: String(c.usedAt)
          })),
        verifyRequests: [{ party: 'CH', number: '26CH000042' }].map((r) => ({ hex: Buffer.from(VerifyRequest.encode(r)).toString('hex'), ...r })),
        consumeResponses: [{ status: Status.REFUSED, code: 'ALREADY_CONSUMED' }, { status: Status.OK, code: 'OK' }]
          .map((r) => ({ hex: Buffer.from(ConsumeResponse.encode({ ...r, event: new Uint8Array(0), message: '' })).toString('hex'), ...r })),
        ackBodies: [{ party: 'CH', number: '26CH000042', outcome: AckOutcome.REFUSED, codes: ['NOT_DESTINATION'], receiver: 'TH' }]
          .map((a) => ({ hex: Buffer.from(AckBody.encode({ ...a, eventHash: new Uint8Array(32), time: 1n, certSha256: new Uint8Array(32) })).toString('hex'), ...a })),
        crossChecks: crossCheckVectors(),
        clock: clockVectors()
      }
      writeFileSync(FILE, JSON.stringify(v, null, 2) + '\n')
    })
  }

  it('every vector decodes to what it says, and re-encodes to the same bytes', () => {
    const v = JSON.parse(readFileSync(FILE, 'utf8')) as Vectors
    for (const r of v.requests) {
      const d = SyncRequest.decode(Buffer.from(r.hex, 'hex'))
      expect([d.author, String(d.fromSeq), d.limit]).toEqual([r.author, r.fromSeq, r.limit])
      expect(Buffer.from(SyncRequest.encode(d)).toString('hex')).toBe(r.hex)
    }
    for (const r of v.responses) {
      const d = SyncResponse.decode(Buffer.from(r.hex, 'hex'))
      expect([d.status, d.events.length, String(d.headSize)]).toEqual([r.status, r.events, r.headSize])
    }
    for (const r of v.trustListRequests) expect(String(TrustListRequest.decode(Buffer.from(r.hex, 'hex')).haveSequence)).toBe(r.haveSequence)
    for (const r of v.verifyRequests) expect(VerifyRequest.decode(Buffer.from(r.hex, 'hex'))).toEqual({ party: r.party, number: r.number })
    for (const r of v.consumeResponses) expect(ConsumeResponse.decode(Buffer.from(r.hex, 'hex'))).toMatchObject({ status: r.status, code: r.code })
    for (const a of v.ackBodies) expect(AckBody.decode(Buffer.from(a.hex, 'hex'))).toMatchObject({ party: a.party, number: a.number, outcome: a.outcome, codes: a.codes, receiver: a.receiver })
    expect(v.claimBodies?.length).toBeGreaterThan(0)
    for (const c of v.claimBodies ?? []) {
      const d = ConsumeRequestBody.decode(Buffer.from(c.hex, 'hex'))
      expect([d.party, d.number, d.requester, String(d.claimSeq), Buffer.from(d.claimHash).toString('hex'), String(d.usedAt)]).toEqual([c.party, c.number, c.requester, c.claimSeq, c.claimHash, c.usedAt])
    }
    // r5: the cross-check fields (split views).
    expect(v.crossChecks).toEqual(crossCheckVectors())
    for (const r of v.crossChecks!.requests) {
      const d = SyncRequest.decode(Buffer.from(r.hex, 'hex'))
      expect([d.author, String(d.fromSeq), h(d.knownHash), h(d.checkpoint), headsOf(d.heads)]).toEqual([r.author, r.fromSeq, r.knownHash, r.checkpoint, r.heads])
    }
    for (const r of v.crossChecks!.responses) {
      const d = SyncResponse.decode(Buffer.from(r.hex, 'hex'))
      expect([d.status, String(d.headSize), h(d.conflict), h(d.headCheckpoint), headsOf(d.heads)]).toEqual([r.status, r.headSize, r.conflict, r.headCheckpoint, r.heads])
    }
    for (const r of v.crossChecks!.deliverRequests) {
      const d = DeliverRequest.decode(Buffer.from(r.hex, 'hex'))
      expect([h(d.event), h(d.checkpoint)]).toEqual([r.event, r.checkpoint])
    }
    // r9: the answerer's clock; absent from an r8 answer, which still decodes.
    expect(v.clock).toEqual(clockVectors())
    for (const r of v.clock!.requests) expect(SyncRequest.decode(Buffer.from(r.hex, 'hex'))).toMatchObject({ author: r.author, heads: [] })
    for (const r of v.clock!.responses) {
      const d = SyncResponse.decode(Buffer.from(r.hex, 'hex'))
      expect([d.status, d.heads.length, d.time === undefined ? null : String(d.time)]).toEqual([r.status, r.heads, r.time])
    }
    expect(v.gossip.some((g) => g.trustListSequence === '7')).toBe(true)
    for (const g of v.gossip) {
      const d = Gossip.decode(Buffer.from(g.hex, 'hex'))
      expect(String(d.trustListSequence)).toBe(g.trustListSequence ?? '0')
      expect([Buffer.from(d.event).toString('hex'), Buffer.from(d.checkpoint).toString('hex')]).toEqual([g.event, g.checkpoint])
    }
  })

  it('src/pb/network.ts is what protons generates from protocol-spec/network.proto (scripts/protons.mjs)', () => {
    const out = mkdtempSync(join(tmpdir(), 'protons-'))
    try {
      // As npm run generate makes it: protons, then scripts/protons.mjs's one change.
      execFileSync(process.execPath, [join(pkg, '..', '..', 'scripts', 'protons.mjs'), '--output', out, join(pkg, '..', '..', 'protocol-spec', 'network.proto')], { stdio: 'pipe', cwd: pkg })
      expect(readFileSync(join(out, 'network.ts'), 'utf8')).toBe(readFileSync(join(pkg, 'src', 'pb', 'network.ts'), 'utf8'))
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })
})

describe('gossip score vectors (network.md §3.1)', () => {
  const v = JSON.parse(readFileSync(join(pkg, '..', '..', 'protocol-spec', 'vectors', 'network', 'gossip-score.json'), 'utf8')) as {
    topic: string
    topicScoreParams: Record<string, number>
    thresholds: Record<string, number>
    examples: Array<{ invalidMessages: number, topicCredit: number, score: number, graylisted: boolean }>
  }
  it('the node uses exactly the specified parameters and thresholds', () => {
    expect(v.topic).toBe(EVENTS_TOPIC)
    expect({ ...EVENTS_TOPIC_SCORE }).toEqual(v.topicScoreParams)
    expect({ ...GOSSIP_SCORE_THRESHOLDS }).toEqual(v.thresholds)
  })
  it('P4 = weight × count² with topic credit: the graylist examples hold', () => {
    for (const e of v.examples) {
      const score = e.topicCredit + EVENTS_TOPIC_SCORE.topicWeight * EVENTS_TOPIC_SCORE.invalidMessageDeliveriesWeight * e.invalidMessages ** 2
      expect(score).toBe(e.score)
      expect(score < GOSSIP_SCORE_THRESHOLDS.graylistThreshold).toBe(e.graylisted)
    }
  })
})
