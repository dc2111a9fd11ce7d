/**
 * /cites/sync/1.0.0 — paged catch-up of any authority's log from a sequence
 * number (protocol-spec/network.md). Pages end at a point where the answerer
 * can give the author's signed checkpoint, so the asker verifies a page with
 * one signature plus the Merkle root; otherwise each event's signature is
 * checked. Used after a restart, a partition or a gap in gossip.
 */
import type { Libp2p, PeerId } from '@libp2p/interface'
import type { Ledger } from '@cites/ledger'
import type { Logger } from '@cites/runtime'
import { Status, SyncRequest, SyncResponse } from './pb/network.js'
import { MAX_SYNC_PAGE_EVENTS, MAX_SYNC_REQUEST_BYTES, MAX_SYNC_RESPONSE_BYTES, SYNC_PROTOCOL } from './constants.js'
import { RemoteRefusedError } from './errors.js'
import { logFor } from './log.js'
import { ask, rpcService, startOn, type ProtocolService, type ProtocolServiceComponents } from './rpc.js'

const EMPTY = new Uint8Array(0)
const PARTY_RE = /^[A-Z]{2}$/

function refusal (status: Status, message: string, headSize = 0n): SyncResponse {
  return { status, events: [], checkpoint: EMPTY, headSize, message }
}

/** Build the answer to a sync request from the ledger. Pure apart from reads (and signing a checkpoint of our own log). */
export async function answerSync (ledger: Ledger, req: SyncRequest): Promise<SyncResponse> {
  if (!PARTY_RE.test(req.author) || req.fromSeq < 1n) return refusal(Status.MALFORMED, 'author must be a party code and from_seq at least 1')
  const head = ledger.heads().get(req.author)
  if (head === undefined) return refusal(Status.NOT_FOUND, `no log of ${req.author} here`)
  const from = Number(req.fromSeq)
  const headSize = BigInt(head.size)
  if (from > head.size) return { status: Status.OK, events: [], checkpoint: EMPTY, headSize, message: '' }
  const limit = Math.max(1, Math.min(req.limit === 0 ? MAX_SYNC_PAGE_EVENTS : req.limit, MAX_SYNC_PAGE_EVENTS))
  let end = Math.min(head.size, from + limit - 1)
  // End the page where a checkpoint exists: at our own head (we sign one),
  // or at the last stored checkpoint inside the page.
  let checkpoint: Uint8Array = EMPTY
  if (req.author === ledger.party && end === head.size) {
    // Reuse a checkpoint already signed at this size: a sync request must not
    // cost a signature and a write each time.
    checkpoint = await ledger.storedCheckpoint(req.author, head.size) ?? (await ledger.checkpoint()).bytes
  } else {
    const sizes = await ledger.checkpointSizes(req.author, from, end)
    const last = sizes[sizes.length - 1]
    if (last !== undefined) {
      end = last
      checkpoint = await ledger.storedCheckpoint(req.author, last) ?? EMPTY
    }
  }
  const events = await ledger.eventsFrom(req.author, from, end - from + 1)
  // Keep the answer under its cap; a cut page carries no checkpoint.
  let bytes = checkpoint.length + 64
  let n = 0
  for (const e of events) {
    if (bytes + e.length + 8 > MAX_SYNC_RESPONSE_BYTES) break
    bytes += e.length + 8
    n++
  }
  if (n < events.length) checkpoint = EMPTY
  return { status: Status.OK, events: events.slice(0, n) as Array<Uint8Array<ArrayBuffer>>, checkpoint: checkpoint as Uint8Array<ArrayBuffer>, headSize, message: '' }
}

/** What /cites/sync answers from: pages of the logs this node holds. */
export interface SyncPort {
  answerSync: (req: SyncRequest) => Promise<SyncResponse>
}

/** The sync port backed by this node's ledger. */
export function ledgerSyncPort (ledger: Ledger): SyncPort {
  return { answerSync: async (req) => await answerSync(ledger, req) }
}

export interface SyncServiceInit {
  port: SyncPort
  log?: Logger
}

/** /cites/sync/1.0.0 as a libp2p service: decode, ask the port, encode. */
export function syncService (init: SyncServiceInit): (components: ProtocolServiceComponents) => ProtocolService {
  const log = logFor(init.log, 'sync')
  return (components) => rpcService(components, {
    protocol: SYNC_PROTOCOL,
    maxRequest: MAX_SYNC_REQUEST_BYTES,
    request: SyncRequest,
    response: SyncResponse,
    log,
    unreadable: (failure) => refusal(failure === 'TOO_LARGE' ? Status.TOO_LARGE : Status.MALFORMED, failure === 'TOO_LARGE' ? 'request too large' : 'request unreadable'),
    answer: async (req) => await init.port.answerSync(req)
  })
}

/** Serve /cites/sync/1.0.0 from this ledger on a running node (tests and tools). */
export async function handleSync (libp2p: Libp2p, ledger: Ledger): Promise<ProtocolService> {
  return await startOn(libp2p, syncService({ port: ledgerSyncPort(ledger) }))
}

/** Ask a peer for one page of a log (at most 1000 events, 4 MiB). */
export async function requestSyncPage (libp2p: Libp2p, peer: PeerId, req: SyncRequest, options: { signal?: AbortSignal } = {}): Promise<SyncResponse> {
  return await ask(libp2p, peer, SYNC_PROTOCOL, MAX_SYNC_RESPONSE_BYTES, SyncRequest, {
    encode: SyncResponse.encode,
    decode: (b) => SyncResponse.decode(b, { limits: { events: MAX_SYNC_PAGE_EVENTS } })
  }, req, options)
}

export interface SyncResult {
  author: string
  pages: number
  accepted: number
  /** Our size of the log after the sync. */
  size: number
  /** The peer's size when it last answered. */
  peerSize: number
}

/**
 * Catch up on `author`'s log from a peer until we hold what it holds (or
 * `maxPages` pages). Every page goes through the ledger's checks; a bad page
 * throws and nothing of it is accepted.
 */
export async function syncLog (libp2p: Libp2p, peer: PeerId, ledger: Ledger, author: string, opts: { maxPages?: number, pageSize?: number, signal?: AbortSignal } = {}): Promise<SyncResult> {
  let pages = 0
  let accepted = 0
  let peerSize = 0
  for (; pages < (opts.maxPages ?? 10_000);) {
    const from = (ledger.heads().get(author)?.size ?? 0) + 1
    const res = await requestSyncPage(libp2p, peer, { author, fromSeq: BigInt(from), limit: opts.pageSize ?? MAX_SYNC_PAGE_EVENTS }, opts.signal !== undefined ? { signal: opts.signal } : {})
    pages++
    if (res.status !== Status.OK) throw new RemoteRefusedError(res.status, `sync of ${author} refused: ${res.status} ${res.message}`)
    peerSize = Number(res.headSize)
    if (res.events.length === 0) break
    const results = await ledger.acceptEvents(res.events, res.checkpoint.length > 0 ? { checkpoint: res.checkpoint } : {})
    const n = results.filter((r) => r.status === 'accepted').length
    accepted += n
    if (n === 0) break // no progress (forks or holes are in the ledger's alerts)
    if ((ledger.heads().get(author)?.size ?? 0) >= peerSize) break
  }
  return { author, pages, accepted, size: ledger.heads().get(author)?.size ?? 0, peerSize }
}
