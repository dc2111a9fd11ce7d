/**
 * /cites/document/1.0.0 (network.md §8.1, r11): a permit's signed document
 * travels only between the parties to the trade. Events carry its SHA-256
 * (the ISSUED summary's xml_sha256), never the document; the issuer pushes
 * it with the delivery, and the destination (or the issuer, after a restore)
 * fetches it here when it lacks it. The answerer serves it only to the node
 * of the issuer or of the destination named in the summary, by the asking
 * peer's ID on the trust list: any other listed peer is refused NOT_A_PARTY,
 * counted, and charged as a request an honest node never sends (it knows,
 * from the summary it holds, that it is not a party).
 */
import type { Libp2p, PeerId } from '@libp2p/interface'
import { hex, isPartyTo, sha256, type Ledger } from '@cites/ledger'
import { canonicalPermitNumber } from '@cites/permit'
import type { TrustStore } from '@cites/trust-list'
import { type Logger } from '@cites/runtime'
import { DocumentRequest, DocumentResponse, Status } from './pb/network.js'
import { DOCUMENT_PROTOCOL, MAX_DOCUMENT_BYTES, MAX_DOCUMENT_REQUEST_BYTES } from './constants.js'
import { PeerDocumentHashMismatchError, MalformedResponseError, RemoteRefusedError } from './errors.js'
import { Misbehaviour } from './misbehaviour.js'
import { logFor } from './log.js'
import { ask, rpcService, startOn, type ProtocolService, type ProtocolServiceComponents } from './rpc.js'

const EMPTY = new Uint8Array(0) as Uint8Array<ArrayBuffer>
const PARTY_RE = /^[A-Z]{2}$/

/** What a document request is answered with. */
export type DocumentAnswer =
  | { kind: 'ok', document: Uint8Array }
  /** NOT_FOUND: DOCUMENT_NOT_HELD (never held, or not with that hash) or DOCUMENT_ERASED (past retention). */
  | { kind: 'not-found', code: 'DOCUMENT_NOT_HELD' | 'DOCUMENT_ERASED', message: string }
  /** REFUSED: NOT_A_PARTY, PEER_RATE_LIMITED. */
  | { kind: 'refused', code: string, message: string }
  | { kind: 'malformed', message: string }

/** What /cites/document answers from. */
export interface DocumentPort {
  serve: (req: DocumentRequest, remote: PeerId) => Promise<DocumentAnswer>
}

export interface LedgerDocumentPortInit {
  ledger: Ledger
  trust: TrustStore
  /**
   * The per-peer refusal budget (network.md §7.2), shared with consume and
   * the gossip score: a NOT_A_PARTY or MALFORMED request costs 10 and a
   * penalty point; a spent budget is answered PEER_RATE_LIMITED unread.
   * @default a new one
   */
  misbehaviour?: Misbehaviour
  /** Called for every answer that is not OK, with its code and the asking peer (`cites_document_refusals_total{code}`). */
  onRefused?: (code: string, peer: string) => void
  log?: Logger
}

/** The document port of a node: the asking peer must be a party's node, then the ledger's document store answers. */
export function ledgerDocumentPort (init: LedgerDocumentPortInit): DocumentPort {
  const { ledger, trust } = init
  const log = logFor(init.log, 'document')
  const misbehaviour = init.misbehaviour ?? new Misbehaviour()
  return {
    serve: async (req, remote) => {
      const peer = remote.toString()
      const no = <A extends Exclude<DocumentAnswer, { kind: 'ok' }>>(a: A, code: string): A => {
        init.onRefused?.(code, peer)
        return a
      }
      if (!misbehaviour.admits(peer)) return no({ kind: 'refused', code: 'PEER_RATE_LIMITED', message: 'too many refused requests from this node lately' }, 'PEER_RATE_LIMITED')
      if (!PARTY_RE.test(req.party) || req.number === '' || req.number.length > 64 || req.sha256.length !== 32) {
        misbehaviour.charge(peer, 'MALFORMED')
        return no({ kind: 'malformed', message: 'party must be a party code, number 1..64 characters and sha256 32 bytes' }, 'MALFORMED')
      }
      const number = canonicalPermitNumber(req.number) ?? req.number
      const found = await ledger.status(req.party, number)
      // Unknown here: nothing to serve, and nobody to judge a party by.
      if (found === undefined) return no({ kind: 'not-found', code: 'DOCUMENT_NOT_HELD', message: `no document of ${req.party}/${number} is held here` }, 'DOCUMENT_NOT_HELD')
      const asker = trust.byPeerId(peer)?.party
      if (asker === undefined || !isPartyTo(found.state, asker)) {
        misbehaviour.charge(peer, 'NOT_A_PARTY')
        log.warn({ code: 'NOT_A_PARTY', asker, party: req.party, number, peer }, 'a document was asked for by a node that is not a party to the trade')
        return no({ kind: 'refused', code: 'NOT_A_PARTY', message: 'a permit\'s document is served only to the issuer\'s and the destination\'s nodes' }, 'NOT_A_PARTY')
      }
      // Another hash than the summary's: no such document here.
      if (hex(req.sha256) !== found.state.xmlSha256) return no({ kind: 'not-found', code: 'DOCUMENT_NOT_HELD', message: 'no document with that SHA-256 is registered for this permit' }, 'DOCUMENT_NOT_HELD')
      const status = await ledger.documentStatus(req.party, number)
      if (status === 'erased') return no({ kind: 'not-found', code: 'DOCUMENT_ERASED', message: 'the document was erased at the end of its retention period' }, 'DOCUMENT_ERASED')
      const document = status === 'held' ? await ledger.document(req.party, number) : undefined
      if (document === undefined) return no({ kind: 'not-found', code: 'DOCUMENT_NOT_HELD', message: 'the document is not held here' }, 'DOCUMENT_NOT_HELD')
      return { kind: 'ok', document }
    }
  }
}

export interface DocumentServiceInit {
  port: DocumentPort
  log?: Logger
}

/** /cites/document/1.0.0 as a libp2p service: decode, ask the port, encode. */
export function documentService (init: DocumentServiceInit): (components: ProtocolServiceComponents) => ProtocolService {
  const log = logFor(init.log, 'document')
  const answer = (status: Status, code: string, message: string): DocumentResponse => ({ status, document: EMPTY, code, message })
  return (components) => rpcService(components, {
    protocol: DOCUMENT_PROTOCOL,
    maxRequest: MAX_DOCUMENT_REQUEST_BYTES,
    request: DocumentRequest,
    response: DocumentResponse,
    log,
    unreadable: (failure) => answer(failure === 'TOO_LARGE' ? Status.TOO_LARGE : Status.MALFORMED, failure, 'request unreadable'),
    answer: async (req, remote) => {
      const a = await init.port.serve(req, remote)
      switch (a.kind) {
        case 'ok': return { status: Status.OK, document: a.document as Uint8Array<ArrayBuffer>, code: '', message: '' }
        case 'not-found': return answer(Status.NOT_FOUND, a.code, a.message)
        case 'refused': return answer(Status.REFUSED, a.code, a.message)
        case 'malformed': return answer(Status.MALFORMED, 'MALFORMED', a.message)
      }
    }
  })
}

/** Serve /cites/document/1.0.0 from this ledger on a running node (tests and tools). */
export async function handleDocument (libp2p: Libp2p, init: LedgerDocumentPortInit): Promise<ProtocolService> {
  return await startOn(libp2p, documentService({ port: ledgerDocumentPort(init), ...(init.log !== undefined ? { log: init.log } : {}) }))
}

/** What a peer answered about a document: the bytes, checked, or why not. */
export type DocumentFetch =
  | { status: 'OK', document: Uint8Array }
  | { status: 'NOT_FOUND' | 'REFUSED', code: string, message: string }

/**
 * Ask `peer` for a permit's document. An OK answer is believed only when its
 * bytes hash to the SHA-256 asked for (PeerDocumentHashMismatchError otherwise);
 * NOT_FOUND and REFUSED come back with the peer's code; anything else throws
 * (RemoteRefusedError, MalformedResponseError; PeerEventVersionMismatchError
 * for a peer without the protocol).
 */
export async function fetchDocument (libp2p: Libp2p, peer: PeerId, req: { party: string, number: string, sha256: string | Uint8Array }, options: { signal?: AbortSignal } = {}): Promise<DocumentFetch> {
  const want = typeof req.sha256 === 'string' ? new Uint8Array(Buffer.from(req.sha256, 'hex')) : req.sha256
  const number = canonicalPermitNumber(req.number) ?? req.number
  const res = await ask(libp2p, peer, DOCUMENT_PROTOCOL, MAX_DOCUMENT_BYTES, DocumentRequest, DocumentResponse, { party: req.party, number, sha256: want as Uint8Array<ArrayBuffer> }, options)
  if (res.status === Status.NOT_FOUND) return { status: 'NOT_FOUND', code: res.code, message: res.message }
  if (res.status === Status.REFUSED) return { status: 'REFUSED', code: res.code, message: res.message }
  if (res.status !== Status.OK) throw new RemoteRefusedError(res.status, `document request answered ${res.status}: ${res.code} ${res.message}`)
  if (res.document.length === 0) throw new MalformedResponseError('an OK document answer carries no document')
  if (hex(sha256(res.document)) !== hex(want)) throw new PeerDocumentHashMismatchError(`the document ${req.party}/${number} received does not hash to the SHA-256 asked for`)
  return { status: 'OK', document: res.document }
}
