/**
 * One request, one response, over a length-prefixed stream, with caps and a
 * timeout; and the shape every answering protocol shares: a js-libp2p
 * service, `(init) => (components) => service`, whose `start` registers the
 * handler with the registrar and whose `stop` unregisters it.
 */
import { lpStream } from '@libp2p/utils'
import type { Connection, Libp2p, PeerId, Startable, Stream, StreamHandler, StreamHandlerOptions } from '@libp2p/interface'
import { errorCode, errorMessage, type Logger } from '@cites/runtime'
import { CONSUME_PROTOCOL, DELIVER_PROTOCOL, DOCUMENT_PROTOCOL, STREAM_LIMITS, STREAM_LINGER_MS, STREAM_TIMEOUT_MS, SYNC_PROTOCOL, VERIFY_PROTOCOL } from './constants.js'
import { MalformedResponseError, PeerEventVersionMismatchError } from './errors.js'

export interface Codec<T> {
  encode: (v: T) => Uint8Array
  decode: (b: Uint8Array | import('uint8arraylist').Uint8ArrayList) => T
}

/** What a protocol service needs of libp2p: its registrar (a running libp2p node fits too). */
export interface ProtocolRegistrar {
  handle: (protocol: string, handler: StreamHandler, options?: StreamHandlerOptions) => Promise<void>
  unhandle: (protocol: string) => Promise<void>
}

/** The libp2p components a protocol service is given (a subset of libp2p's `Components`). */
export interface ProtocolServiceComponents {
  registrar: ProtocolRegistrar
}

/**
 * A started protocol service answers its protocol; a stopped one is not
 * registered (dials get "protocol not supported") and has finished the
 * answers it was working on.
 */
export interface ProtocolService extends Startable {
  readonly [Symbol.toStringTag]: string
  readonly protocol: string
  isStarted: () => boolean
}

/** Why a request could not be read. */
export type RequestFailure = 'TOO_LARGE' | 'MALFORMED'

export interface RpcServiceInit<Req, Res> {
  protocol: string
  maxRequest: number
  request: Codec<Req>
  response: Codec<Res>
  /** The answer to a decoded request (refusals are answers, not throws). */
  answer: (request: Req, remote: PeerId) => Promise<Res>
  /** The answer to a request that could not be read (from `remote`). */
  unreadable: (failure: RequestFailure, remote: PeerId) => Res
  log: Logger
}

// lpStream's errors for a length prefix over the cap or unreadable, by class name (they are not exported).
const LENGTH_ERRORS = new Set(['InvalidDataLengthError', 'InvalidDataLengthLengthError', 'InvalidMessageLengthError'])

/** A request/response protocol as a libp2p service. */
export function rpcService<Req, Res> (components: ProtocolServiceComponents, init: RpcServiceInit<Req, Res>): ProtocolService {
  const { protocol, log } = init
  let started = false
  // Answers being worked out (the port at work, e.g. a ledger write): stop() lets them finish.
  const inflight = new Set<Promise<Res>>()
  const limits = STREAM_LIMITS[protocol] ?? { inbound: 8, outbound: 8 }
  // Streams of this protocol each peer holds, across all its connections:
  // libp2p counts per connection, so a peer with many connections would
  // otherwise hold the limit once per connection (network.md §1.1).
  const held = new Map<string, number>()

  type Framed = ReturnType<typeof lpStream>
  const respond = async (lp: Framed, remote: PeerId, signal: AbortSignal): Promise<Res> => {
    let data
    try {
      data = await lp.read({ signal })
    } catch (err) {
      const failure: RequestFailure = LENGTH_ERRORS.has((err as Error).name) ? 'TOO_LARGE' : 'MALFORMED'
      log.debug({ protocol, code: failure }, `request unreadable: ${errorMessage(err)}`)
      return init.unreadable(failure, remote)
    }
    let decoded: Req
    try {
      decoded = init.request.decode(data)
    } catch (err) {
      log.debug({ protocol, code: 'MALFORMED' }, `request does not decode: ${errorMessage(err)}`)
      return init.unreadable('MALFORMED', remote)
    }
    try {
      return await init.answer(decoded, remote)
    } catch (err) {
      // Our own trouble (e.g. the ledger closing): answered as before, as unreadable, and logged.
      log.warn({ protocol, code: errorCode(err, 'ANSWER_FAILED') }, `could not answer: ${errorMessage(err)}`)
      return init.unreadable('MALFORMED', remote)
    }
  }

  const onStream = async (stream: Stream, connection: Connection): Promise<void> => {
    const peer = connection.remotePeer.toString()
    const n = held.get(peer) ?? 0
    if (n >= limits.inbound) {
      // Over the peer's limit: reset, as libp2p resets a stream over the per-connection one.
      log.debug({ protocol, code: 'STREAM_LIMIT' }, `a peer holds ${n} streams across its connections: stream reset`)
      stream.abort(new Error(`${protocol}: too many streams from this peer`))
      return
    }
    held.set(peer, n + 1)
    try {
      await answerOn(stream, connection)
    } finally {
      const left = (held.get(peer) ?? 1) - 1
      if (left <= 0) held.delete(peer)
      else held.set(peer, left)
    }
  }

  const answerOn = async (stream: Stream, connection: Connection): Promise<void> => {
    const signal = AbortSignal.timeout(STREAM_TIMEOUT_MS)
    const lp = lpStream(stream, { maxDataLength: init.maxRequest })
    const answering = respond(lp, connection.remotePeer, signal)
    inflight.add(answering)
    const out = await answering.finally(() => inflight.delete(answering))
    try {
      await lp.write(init.response.encode(out), { signal })
      await stream.close({ signal })
    } catch (err) {
      // The asker went away or timed out: churn, not a fault.
      log.debug({ protocol, code: errorCode(err, 'ANSWER_NOT_SENT') }, `the answer could not be sent: ${errorMessage(err)}`)
      stream.abort(new Error(`${protocol}: the answer could not be sent`))
      return
    }
    await release(stream)
  }

  return {
    [Symbol.toStringTag]: `@cites/protocol ${protocol}`,
    protocol,
    isStarted: () => started,
    start: async () => {
      if (started) return
      await components.registrar.handle(protocol, onStream, { maxInboundStreams: limits.inbound, maxOutboundStreams: limits.outbound })
      started = true
      log.debug({ protocol }, 'handling')
    },
    stop: async () => {
      if (!started) return
      started = false
      await components.registrar.unhandle(protocol)
      // No new streams now; the answers in progress finish before whatever backs the port closes.
      await Promise.allSettled([...inflight])
      log.debug({ protocol }, 'no longer handling')
    }
  }
}

/** Start a service on a running libp2p node directly (tests and tools; a permit node passes services to libp2p). */
export async function startOn (libp2p: Pick<Libp2p, 'handle' | 'unhandle'>, factory: (components: ProtocolServiceComponents) => ProtocolService): Promise<ProtocolService> {
  const service = factory({ registrar: libp2p })
  await service.start()
  return service
}

/**
 * close() only ends our writing: the stream, and its slot under the
 * per-protocol limit, lives until the asker closes its end too. An asker that
 * never does (a slowloris) would hold the slot for ever, so once the answer
 * has been handed to the transport the asker gets a short grace, then a reset.
 */
async function release (stream: Stream): Promise<void> {
  if (stream.status !== 'open' && stream.status !== 'closing') return
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => { stream.removeEventListener('close', done); stream.abort(new Error('the asker did not close the stream')); resolve() }, STREAM_LINGER_MS)
    function done (): void { clearTimeout(timer); resolve() }
    stream.addEventListener('close', done, { once: true })
  })
}

/**
 * Protocols a peer lacks only when it is not on ledger events v2 (network.md
 * r11): the event-carrying ones at their v2 ids, and those added with v2.
 */
const V2_PROTOCOLS: ReadonlySet<string> = new Set([SYNC_PROTOCOL, VERIFY_PROTOCOL, CONSUME_PROTOCOL, DELIVER_PROTOCOL, DOCUMENT_PROTOCOL])

/**
 * Open a stream for `protocol`. A peer that does not support one of the v2
 * protocols (multistream-select finds no common id: UnsupportedProtocolError)
 * is a node on ledger events v1: PeerEventVersionMismatchError, not a
 * network failure, so the caller can say why.
 */
async function open (libp2p: Libp2p, peer: PeerId, protocol: string, signal: AbortSignal): Promise<Stream> {
  try {
    return await libp2p.dialProtocol(peer, protocol, { signal })
  } catch (err) {
    if ((err as Error).name === 'UnsupportedProtocolError' && V2_PROTOCOLS.has(protocol)) {
      throw new PeerEventVersionMismatchError(protocol, `${protocol}: the peer does not support it (a node on ledger events v1?)`)
    }
    throw err
  }
}

/**
 * Ask a peer once, within the stream timeout (or sooner, when `options.signal`
 * aborts: a node stopping). A closing failure after the answer is read is
 * churn, not the answer's fault.
 */
export async function ask<Req, Res> (libp2p: Libp2p, peer: PeerId, protocol: string, maxResponse: number, req: Codec<Req>, res: Codec<Res>, request: Req, options: { signal?: AbortSignal } = {}): Promise<Res> {
  const timeout = AbortSignal.timeout(STREAM_TIMEOUT_MS)
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal])
  const stream = await open(libp2p, peer, protocol, signal)
  try {
    const lp = lpStream(stream, { maxDataLength: maxResponse })
    await lp.write(req.encode(request), { signal })
    const data = await lp.read({ signal })
    let out: Res
    try {
      out = res.decode(data)
    } catch (err) {
      throw new MalformedResponseError(`${protocol}: the answer does not decode: ${(err as Error).message}`)
    }
    // The answer is in hand; the remote may already have reset the stream.
    await stream.close({ signal }).catch((err: unknown) => { stream.abort(err as Error) })
    return out
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
}
