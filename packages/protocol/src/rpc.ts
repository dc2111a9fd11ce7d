/** One request, one response, over a length-prefixed stream, with caps and a timeout. */
import { lpStream } from '@libp2p/utils'
import type { Libp2p, PeerId, Stream } from '@libp2p/interface'
import { STREAM_LIMITS, STREAM_LINGER_MS, STREAM_TIMEOUT_MS } from './constants.js'
import { MalformedResponseError } from './errors.js'

export interface Codec<T> {
  encode: (v: T) => Uint8Array
  decode: (b: Uint8Array | import('uint8arraylist').Uint8ArrayList) => T
}

/** Serve a protocol: decode the request (or pass undefined when it cannot be read), answer, close. */
export async function serve<Req, Res> (
  libp2p: Libp2p, protocol: string, maxRequest: number, req: Codec<Req>, res: Codec<Res>,
  answer: (request: Req | undefined, remote: PeerId, failure?: 'TOO_LARGE' | 'MALFORMED') => Promise<Res>
): Promise<void> {
  await libp2p.handle(protocol, async (stream: Stream, connection) => {
    const signal = AbortSignal.timeout(STREAM_TIMEOUT_MS)
    const lp = lpStream(stream, { maxDataLength: maxRequest })
    let out: Res
    try {
      const data = await lp.read({ signal })
      let decoded: Req | undefined
      try { decoded = req.decode(data) } catch { decoded = undefined }
      out = await answer(decoded, connection.remotePeer, decoded === undefined ? 'MALFORMED' : undefined)
    } catch (err) {
      const tooLarge = /length|too long|too large/i.test((err as Error).message ?? '')
      out = await answer(undefined, connection.remotePeer, tooLarge ? 'TOO_LARGE' : 'MALFORMED')
    }
    try {
      await lp.write(res.encode(out), { signal })
      await stream.close({ signal })
    } catch {
      stream.abort(new Error(`${protocol}: the answer could not be sent`))
      return
    }
    await release(stream)
  }, { maxInboundStreams: STREAM_LIMITS[protocol]?.inbound ?? 8, maxOutboundStreams: STREAM_LIMITS[protocol]?.outbound ?? 8 })
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

/** Ask a peer once. */
export async function ask<Req, Res> (libp2p: Libp2p, peer: PeerId, protocol: string, maxResponse: number, req: Codec<Req>, res: Codec<Res>, request: Req): Promise<Res> {
  const signal = AbortSignal.timeout(STREAM_TIMEOUT_MS)
  const stream = await libp2p.dialProtocol(peer, protocol, { signal })
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
    await stream.close({ signal }).catch(() => {})
    return out
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
}
