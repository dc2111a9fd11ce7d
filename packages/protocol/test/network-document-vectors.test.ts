/**
 * protocol-spec/vectors/network/document.json (network.md r11): the protocol
 * ids of ledger events v2, the v1 refusals (§2.1), a delivery with its
 * document (§8) and /cites/document/1.0.0 (§8.1): encoded messages and what
 * they decode to. `UPDATE_VECTORS=1` rewrites the file.
 */
import { describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  CONSUME_PROTOCOL, ConsumeResponse, DELIVER_PROTOCOL, DOCUMENT_PROTOCOL, DeliverRequest, DeliverResponse, DocumentRequest, DocumentResponse, EVENTS_TOPIC,
  EVENT_VERSION_MISMATCH, EVENT_VERSION_MISMATCH_MESSAGE, SYNC_PROTOCOL, Status, SyncResponse, V1_EVENT_PROTOCOLS, VERIFY_PROTOCOL, VerifyResponse
} from '../src/index.js'

const FILE = join(fileURLToPath(new URL('..', import.meta.url)), '..', '..', 'protocol-spec', 'vectors', 'network', 'document.json')

const h = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const b = (s: string): Uint8Array<ArrayBuffer> => Buffer.from(s, 'hex') as unknown as Uint8Array<ArrayBuffer>
const E = b('')
// A stand-in document (any bytes: the hash is over the bytes exactly as signed).
const DOC = new TextEncoder().encode('<?xml version="1.0" encoding="UTF-8"?><Permit>vector</Permit>')
const DOC_SHA = h(createHash('sha256').update(DOC).digest())

function vectors (): unknown {
  const documentRequests: DocumentRequest[] = [{ party: 'CH', number: '26CH000042', sha256: b(DOC_SHA) }]
  const documentResponses: Array<DocumentResponse & { note: string }> = [
    { note: 'OK: the document, bytes as signed', status: Status.OK, document: DOC as Uint8Array<ArrayBuffer>, code: '', message: '' },
    { note: 'asked by a node that is not a party to the trade', status: Status.REFUSED, document: E, code: 'NOT_A_PARTY', message: '' },
    { note: 'past retention', status: Status.NOT_FOUND, document: E, code: 'DOCUMENT_ERASED', message: '' },
    { note: 'never held here, or not with that hash', status: Status.NOT_FOUND, document: E, code: 'DOCUMENT_NOT_HELD', message: '' }
  ]
  const deliverRequests: DeliverRequest[] = [{ event: b('0a0455532333'), checkpoint: b('0a02555310031a20' + 'ee'.repeat(32)), document: DOC as Uint8Array<ArrayBuffer> }]
  const M = EVENT_VERSION_MISMATCH_MESSAGE
  return {
    description: 'network.md r11: protocol ids of ledger events v2; the v1 ids answer only these refusals (each in its v1 response message); a delivery carries the document; /cites/document/1.0.0 messages.',
    protocols: {
      v2: { sync: SYNC_PROTOCOL, verify: VERIFY_PROTOCOL, consume: CONSUME_PROTOCOL, deliver: DELIVER_PROTOCOL, document: DOCUMENT_PROTOCOL, topic: EVENTS_TOPIC },
      v1Refused: { ...V1_EVENT_PROTOCOLS, topic: 'cites/events/1' }
    },
    versionRefusals: {
      message: M,
      sync: h(SyncResponse.encode({ status: Status.REFUSED, events: [], checkpoint: E, headSize: 0n, message: M, conflict: E, headCheckpoint: E, heads: [] })),
      verify: h(VerifyResponse.encode({ status: Status.REFUSED, events: [], checkpoint: E, headSize: 0n, message: M })),
      consume: h(ConsumeResponse.encode({ status: Status.REFUSED, code: EVENT_VERSION_MISMATCH, event: E, message: M })),
      deliver: h(DeliverResponse.encode({ status: Status.REFUSED, ack: E, message: M }))
    },
    document: { hex: h(DOC), sha256: DOC_SHA },
    deliverRequests: deliverRequests.map((d) => ({ hex: h(DeliverRequest.encode(d)), event: h(d.event), checkpoint: h(d.checkpoint), document: h(d.document) })),
    documentRequests: documentRequests.map((r) => ({ hex: h(DocumentRequest.encode(r)), party: r.party, number: r.number, sha256: h(r.sha256) })),
    documentResponses: documentResponses.map(({ note, ...r }) => ({ note, hex: h(DocumentResponse.encode(r)), status: r.status, code: r.code, document: h(r.document) }))
  }
}

describe('document and version vectors (network.md r11)', () => {
  if (process.env.UPDATE_VECTORS === '1') {
    it('regenerates them', () => { writeFileSync(FILE, JSON.stringify(vectors(), null, 2) + '\n') })
  }

  it('the file holds what the code encodes, and each message decodes to what it says', () => {
    const v = JSON.parse(readFileSync(FILE, 'utf8')) as ReturnType<typeof vectors> & {
      versionRefusals: Record<'sync' | 'verify' | 'consume' | 'deliver', string>
      deliverRequests: Array<{ hex: string, event: string, checkpoint: string, document: string }>
      documentRequests: Array<{ hex: string, party: string, number: string, sha256: string }>
      documentResponses: Array<{ hex: string, status: string, code: string, document: string }>
      document: { hex: string, sha256: string }
    }
    expect(v).toEqual(vectors())
    expect(createHash('sha256').update(b(v.document.hex)).digest('hex')).toBe(v.document.sha256)
    expect(SyncResponse.decode(b(v.versionRefusals.sync))).toMatchObject({ status: Status.REFUSED, message: EVENT_VERSION_MISMATCH_MESSAGE })
    expect(ConsumeResponse.decode(b(v.versionRefusals.consume))).toMatchObject({ status: Status.REFUSED, code: 'EVENT_VERSION_MISMATCH' })
    for (const r of v.deliverRequests) {
      const d = DeliverRequest.decode(b(r.hex))
      expect([h(d.event), h(d.checkpoint), h(d.document)]).toEqual([r.event, r.checkpoint, r.document])
    }
    for (const r of v.documentRequests) expect(DocumentRequest.decode(b(r.hex))).toEqual({ party: r.party, number: r.number, sha256: b(r.sha256) })
    for (const r of v.documentResponses) {
      const d = DocumentResponse.decode(b(r.hex))
      expect([d.status, d.code, h(d.document)]).toEqual([r.status, r.code, r.document])
    }
  })
})
