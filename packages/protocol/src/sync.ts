/**
 * /cites/sync/2.0.0 — paged catch-up of any authority's log from a sequence
 * number (protocol-spec/network.md). Pages end at a point where the answerer
 * can give the author's signed checkpoint, so the asker verifies a page with
 * one signature plus the Merkle root; otherwise each event's signature is
 * checked. Used after a restart, a partition or a gap in gossip.
 */
import type { Libp2p, PeerId } from '@libp2p/interface'
import { InvalidEventError, decodeEvent, hex, type Ledger } from '@cites/ledger'
import { errorCode, errorMessage, type Logger } from '@cites/runtime'
import { Status, SyncRequest, SyncResponse, type HeldLog } from './pb/network.js'
import { MAX_SYNC_HEADS, MAX_SYNC_PAGE_EVENTS, MAX_SYNC_REQUEST_BYTES, MAX_SYNC_RESPONSE_BYTES, SYNC_PROTOCOL } from './constants.js'
import { RemoteRefusedError } from './errors.js'
import { logFor } from './log.js'
import { clockSample, type ClockSample } from './clock.js'
import { ask, rpcService, startOn, type ProtocolService, type ProtocolServiceComponents } from './rpc.js'

const EMPTY = new Uint8Array(0)
const PARTY_RE = /^[A-Z]{2}$/
/** Bytes of framing counted per event of a page (length prefix and field tag). */
const EVENT_FRAMING = 8

type Bytes = Uint8Array<ArrayBuffer>
const bytes = (b: Uint8Array): Bytes => b as Bytes

function refusal (status: Status, message: string, headSize = 0n): SyncResponse {
  return { status, events: [], checkpoint: EMPTY, headSize, message, conflict: EMPTY, headCheckpoint: EMPTY, heads: [] }
}

function ok (headSize: bigint, fields: Partial<SyncResponse> = {}): SyncResponse {
  return { status: Status.OK, events: [], checkpoint: EMPTY, headSize, message: '', conflict: EMPTY, headCheckpoint: EMPTY, heads: [], ...fields }
}

const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'))

/**
 * The answer to a heads exchange: this node's size and last hash of each
 * log asked about (in-memory reads only). A log held at the same size with
 * a different last event is a split view; the asker proves it (it fetches
 * our event there and checks the author's signature), so here it is only
 * logged.
 */
function answerHeads (ledger: Ledger, req: SyncRequest, log?: Logger): SyncResponse {
  const heads = ledger.heads()
  const out: HeldLog[] = []
  const seen = new Set<string>()
  for (const h of req.heads) {
    if (!PARTY_RE.test(h.author)) return refusal(Status.MALFORMED, 'heads must name party codes')
    if (seen.has(h.author)) continue
    seen.add(h.author)
    const mine = heads.get(h.author)
    if (mine === undefined) continue
    out.push({ author: h.author, size: BigInt(mine.size), hash: bytes(mine.size > 0 ? unhex(mine.hash) : EMPTY) })
    if (Number(h.size) === mine.size && mine.size > 0 && Buffer.compare(Buffer.from(h.hash), Buffer.from(unhex(mine.hash))) !== 0) {
      log?.warn({ code: 'SPLIT_VIEW_SUSPECTED', author: h.author, seq: mine.size }, `a peer holds a different event #${mine.size} of ${h.author}'s log`)
    }
  }
  return ok(0n, { heads: out })
}

/** Build the answer to a sync request from the ledger. Apart from reads: signs a checkpoint of our own log, and records a split view the asker's checkpoint shows. */
export async function answerSync (ledger: Ledger, req: SyncRequest, log?: Logger): Promise<SyncResponse> {
  // An empty author is a heads exchange; with no heads (r9) it is answered
  // OK with none: the asker holds no other log and measures only the clock.
  if (req.author === '') return answerHeads(ledger, req, log)
  if (!PARTY_RE.test(req.author) || req.fromSeq < 1n) return refusal(Status.MALFORMED, 'author must be a party code and from_seq at least 1')
  const head = ledger.heads().get(req.author)
  if (head === undefined) return refusal(Status.NOT_FOUND, `no log of ${req.author} here`)
  const from = Number(req.fromSeq)
  const headSize = BigInt(head.size)
  // The asker's copy of the author's checkpoint, compared with ours: two
  // roots for one size are an equivocation (raised here, with evidence).
  if (req.checkpoint.length > 0) {
    try {
      await ledger.compareCheckpoint(req.checkpoint)
    } catch (err) {
      if (err instanceof InvalidEventError) return refusal(Status.MALFORMED, `the checkpoint is not the author's: ${err.reason}`, headSize)
      throw err
    }
  }
  const latest = await ledger.latestCheckpoint(req.author) ?? EMPTY
  // The asker's last event is not ours at that position: answer with ours
  // (signed by the author) instead of a page it could not chain.
  const known = from - 1
  if (req.knownHash.length > 0 && known >= 1 && known <= head.size) {
    const [ours] = known === head.size ? [undefined] : await ledger.eventsFrom(req.author, known, 1)
    const oursHash = ours === undefined ? unhex(head.hash) : decodeEvent(ours).hash
    if (Buffer.compare(Buffer.from(oursHash), Buffer.from(req.knownHash)) !== 0) {
      const [conflict] = ours !== undefined ? [ours] : await ledger.eventsFrom(req.author, known, 1)
      if (conflict !== undefined) return ok(headSize, { conflict: bytes(conflict), headCheckpoint: bytes(latest) })
    }
  }
  if (from > head.size) return ok(headSize, { headCheckpoint: bytes(latest) })
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
  // The newest checkpoint held travels too, so the asker can compare it with its own.
  const headCheckpoint = Buffer.compare(Buffer.from(latest), Buffer.from(checkpoint)) === 0 ? EMPTY : latest
  // Read lazily and stop at the cut: a page of large events must not cost
  // reading every requested event (1,000 × 300 KiB) to send 4 MiB.
  const budget = MAX_SYNC_RESPONSE_BYTES - 64 - checkpoint.length - headCheckpoint.length
  const want = end - from + 1
  const { events } = await ledger.eventsWithin(req.author, from, want, budget, EVENT_FRAMING)
  // A cut page carries no checkpoint.
  if (events.length < want) checkpoint = EMPTY
  return ok(headSize, { events: events as Bytes[], checkpoint: bytes(checkpoint), headCheckpoint: bytes(headCheckpoint) })
}

/** What /cites/sync answers from: pages of the logs this node holds. */
export interface SyncPort {
  answerSync: (req: SyncRequest) => Promise<SyncResponse>
}

/**
 * The sync port backed by this node's ledger. Every answer, refusals too,
 * carries this node's clock when answering (`time`, r9): the asker measures
 * its clock offset from it (network.md §4.2).
 */
export function ledgerSyncPort (ledger: Ledger, log?: Logger, now: () => number = Date.now): SyncPort {
  return { answerSync: async (req) => ({ ...await answerSync(ledger, req, log), time: BigInt(Math.max(0, Math.trunc(now()))) }) }
}

export interface SyncServiceInit {
  port: SyncPort
  log?: Logger
}

/** A heads exchange lists at most this many logs (network.md §4). */
const requestCodec = {
  encode: SyncRequest.encode,
  decode: (b: Parameters<typeof SyncRequest.decode>[0]) => SyncRequest.decode(b, { limits: { heads: MAX_SYNC_HEADS } })
}

/** /cites/sync/2.0.0 as a libp2p service: decode, ask the port, encode. */
export function syncService (init: SyncServiceInit): (components: ProtocolServiceComponents) => ProtocolService {
  const log = logFor(init.log, 'sync')
  return (components) => rpcService(components, {
    protocol: SYNC_PROTOCOL,
    maxRequest: MAX_SYNC_REQUEST_BYTES,
    request: requestCodec,
    response: SyncResponse,
    log,
    unreadable: (failure) => refusal(failure === 'TOO_LARGE' ? Status.TOO_LARGE : Status.MALFORMED, failure === 'TOO_LARGE' ? 'request too large' : 'request unreadable'),
    answer: async (req) => await init.port.answerSync(req)
  })
}

/** Serve /cites/sync/2.0.0 from this ledger on a running node (tests and tools). */
export async function handleSync (libp2p: Libp2p, ledger: Ledger): Promise<ProtocolService> {
  return await startOn(libp2p, syncService({ port: ledgerSyncPort(ledger) }))
}

/** Ask a peer for one page of a log (at most 1000 events, 4 MiB), or for its heads. */
export async function requestSyncPage (libp2p: Libp2p, peer: PeerId, req: Partial<SyncRequest> & Pick<SyncRequest, 'author' | 'fromSeq'>, options: { signal?: AbortSignal } = {}): Promise<SyncResponse> {
  const full: SyncRequest = { limit: 0, knownHash: EMPTY as Bytes, checkpoint: EMPTY as Bytes, heads: [], ...req }
  return await ask(libp2p, peer, SYNC_PROTOCOL, MAX_SYNC_RESPONSE_BYTES, SyncRequest, {
    encode: SyncResponse.encode,
    decode: (b) => SyncResponse.decode(b, { limits: { events: MAX_SYNC_PAGE_EVENTS, heads: MAX_SYNC_HEADS } })
  }, full, options)
}

export interface SyncResult {
  author: string
  pages: number
  accepted: number
  /** Our size of the log after the sync. */
  size: number
  /** The peer's size when it last answered. */
  peerSize: number
  /** New equivocations (or checkpoint mismatches) of the author found by comparing with the peer. */
  equivocations: number
}

const found = (o: string): number => o === 'equivocation' || o === 'mismatch' ? 1 : 0

/**
 * Catch up on `author`'s log from a peer until we hold what it holds (or
 * `maxPages` pages). Every page goes through the ledger's checks; a bad page
 * throws and nothing of it is accepted.
 *
 * Each request carries the hash of our last event, and the first our newest
 * checkpoint of the author: a peer that holds a different event there
 * answers with it (`conflict`) instead of a page, and its newest checkpoint
 * comes back too. Both are compared through the ledger, which checks the
 * author's signature first and raises EQUIVOCATION with both versions as
 * evidence. A conflicting answer ends the sync: the peer's branch is not
 * ours to take.
 */
export async function syncLog (libp2p: Libp2p, peer: PeerId, ledger: Ledger, author: string, opts: { maxPages?: number, pageSize?: number, signal?: AbortSignal } = {}): Promise<SyncResult> {
  let pages = 0
  let accepted = 0
  let peerSize = 0
  let equivocations = 0
  const ask = opts.signal !== undefined ? { signal: opts.signal } : {}
  for (; pages < (opts.maxPages ?? 10_000);) {
    const head = ledger.heads().get(author)
    const from = (head?.size ?? 0) + 1
    const knownHash = head !== undefined && head.size > 0 ? unhex(head.hash) : EMPTY
    const checkpoint = pages === 0 ? await ledger.latestCheckpoint(author) ?? EMPTY : EMPTY
    const res = await requestSyncPage(libp2p, peer, { author, fromSeq: BigInt(from), limit: opts.pageSize ?? MAX_SYNC_PAGE_EVENTS, knownHash: bytes(knownHash), checkpoint: bytes(checkpoint) }, ask)
    pages++
    if (res.status !== Status.OK) throw new RemoteRefusedError(res.status, `sync of ${author} refused: ${res.status} ${res.message}`)
    peerSize = Number(res.headSize)
    if (res.headCheckpoint.length > 0) equivocations += found(await ledger.compareCheckpoint(res.headCheckpoint))
    if (res.conflict.length > 0) {
      const le = decodeEvent(res.conflict)
      if (le.event.author !== author || Number(le.event.seq) !== from - 1) throw new InvalidEventError('EVENT_WRONG_LOG', `the peer's conflicting event is ${le.event.author} #${le.event.seq}, not ${author} #${from - 1}`)
      equivocations += found(await ledger.compareEvent(res.conflict))
      break
    }
    if (res.events.length === 0) break
    const results = await ledger.acceptEvents(res.events, res.checkpoint.length > 0 ? { checkpoint: res.checkpoint } : {})
    const n = results.filter((r) => r.status === 'accepted').length
    equivocations += results.filter((r) => r.status === 'fork').length
    accepted += n
    if (n === 0) break // no progress (forks or holes are in the ledger's alerts)
    if ((ledger.heads().get(author)?.size ?? 0) >= peerSize) break
  }
  return { author, pages, accepted, size: ledger.heads().get(author)?.size ?? 0, peerSize, equivocations }
}

export interface CrossCheckResult {
  /** Logs the peer told us about. */
  compared: number
  /** Logs caught up from the peer because it held more. */
  synced: number
  /** New equivocations (or checkpoint mismatches) found. */
  equivocations: number
  /** Logs where the peer's answer failed the checks (its fault; the rest were still compared). */
  refused: number
  /** The peer's clock against ours, from the heads exchange, when its answer carried its time (r9). */
  clock?: ClockSample
}

/**
 * Compare every log we hold with what `peer` holds (anti-entropy between
 * replicas, not only with the author: a split view shows only there). One
 * heads exchange gives the peer's size and last hash of each log; then, per
 * log: the peer holds more: catch up from it (syncLog, which compares our
 * last event with its copy); same size and another hash, or fewer events and
 * a hash that is not ours at that size: fetch its event there and compare
 * it (the ledger checks the author's signature before it raises
 * EQUIVOCATION). Our own log is not compared: nobody else can sign it.
 */
export async function crossCheckPeer (libp2p: Libp2p, peer: PeerId, ledger: Ledger, opts: { signal?: AbortSignal, log?: Logger, now?: () => number } = {}): Promise<CrossCheckResult> {
  const result: CrossCheckResult = { compared: 0, synced: 0, equivocations: 0, refused: 0 }
  const ask = opts.signal !== undefined ? { signal: opts.signal } : {}
  const stopped = (): boolean => opts.signal?.aborted === true
  const mine = [...ledger.heads()].filter(([a, h]) => a !== ledger.party && h.size > 0).slice(0, MAX_SYNC_HEADS)
  // Holding no other log, the exchange (with no heads) still measures the clock.
  const sent = (opts.now ?? Date.now)()
  const start = performance.now()
  const res = await requestSyncPage(libp2p, peer, { author: '', fromSeq: 0n, heads: mine.map(([author, h]) => ({ author, size: BigInt(h.size), hash: bytes(unhex(h.hash)) })) }, ask)
  if (res.time !== undefined) result.clock = clockSample(sent, performance.now() - start, Number(res.time))
  // An older answerer refuses a heads exchange with no heads: nothing to compare anyway.
  if (mine.length === 0) return result
  if (res.status !== Status.OK) throw new RemoteRefusedError(res.status, `heads exchange refused: ${res.status} ${res.message}`)
  for (const theirs of res.heads) {
    if (stopped()) break
    const { author } = theirs
    const ours = ledger.heads().get(author)
    if (ours === undefined || author === ledger.party || !PARTY_RE.test(author)) continue
    result.compared++
    const size = Number(theirs.size)
    try {
      if (size > ours.size) {
        const r = await syncLog(libp2p, peer, ledger, author, ask)
        result.synced++
        result.equivocations += r.equivocations
        continue
      }
      if (size < 1) continue
      const oursThere = size === ours.size ? ours.hash : hex(decodeEvent((await ledger.eventsFrom(author, size, 1))[0] ?? EMPTY).hash)
      if (oursThere === hex(theirs.hash)) continue
      // Fetch its event there, and trade checkpoints of the log both ways.
      const checkpoint = await ledger.latestCheckpoint(author) ?? EMPTY
      const page = await requestSyncPage(libp2p, peer, { author, fromSeq: BigInt(size), limit: 1, checkpoint: bytes(checkpoint) }, ask)
      const theirEvent = page.events[0]
      if (page.status !== Status.OK || theirEvent === undefined) throw new RemoteRefusedError(page.status, `the peer named a different #${size} of ${author} but did not give it`)
      const le = decodeEvent(theirEvent)
      if (le.event.author !== author || Number(le.event.seq) !== size) throw new InvalidEventError('EVENT_WRONG_LOG', `asked for ${author} #${size}, given ${le.event.author} #${le.event.seq}`)
      result.equivocations += found(await ledger.compareEvent(theirEvent))
      for (const cp of [page.checkpoint, page.headCheckpoint]) if (cp.length > 0) result.equivocations += found(await ledger.compareCheckpoint(cp))
    } catch (err) {
      if (stopped()) break
      // A peer that names a different event and cannot produce one signed
      // by the author framed nobody: noted, and the other logs still compared.
      result.refused++
      opts.log?.[err instanceof InvalidEventError ? 'warn' : 'debug']({ code: errorCode(err, 'SYNC_FAILED'), author }, `cross-check of ${author} with a peer failed: ${errorMessage(err)}`)
    }
  }
  return result
}
