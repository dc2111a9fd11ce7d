/**
 * /cites/verify/2.0.0: ask a peer about one permit. The answer is the
 * permit's signed events from the issuer's log (never its document, r17),
 * so the asker checks every signature and derives the state itself rather
 * than trusting the answerer;
 * plus the answerer's latest checkpoint of that log. `verifyRemote` turns it
 * into the full customs verdict (XML-DSig of the permit, rules, validity,
 * status, use, and whether the issuer itself answered).
 */
import type { Libp2p, PeerId } from '@libp2p/interface'
import type { ClaimView, Ledger } from '@cites/ledger'
import { canonicalPermitNumber } from '@cites/permit'
import { judgePermitEvents, notFoundVerdict, remoteErrorVerdict, type RemoteVerdict } from '@cites/verdict'
import type { TrustStore } from '@cites/trust-list'
import { Status, VerifyRequest, VerifyResponse } from './pb/network.js'
import { MAX_VERIFY_REQUEST_BYTES, MAX_VERIFY_RESPONSE_BYTES, VERIFY_PROTOCOL } from './constants.js'
import type { Logger } from '@cites/runtime'
import { logFor } from './log.js'
import { ask, rpcService, startOn, type ProtocolService, type ProtocolServiceComponents } from './rpc.js'

const EMPTY = new Uint8Array(0)
const PARTY_RE = /^[A-Z]{2}$/

/** What /cites/verify answers from: a permit's signed events as held here, with this node's latest checkpoint of that log. */
export interface VerifyPort {
  permitEvents: (party: string, number: string) => Promise<{ events: Uint8Array[], checkpoint?: Uint8Array, headSize: number } | undefined>
}

/** The verify port backed by this node's ledger (its own log or a replica). */
export function ledgerVerifyPort (ledger: Ledger): VerifyPort {
  return {
    permitEvents: async (party, number) => {
      const events = await ledger.permitEvents(party, number)
      if (events === undefined) return undefined
      const checkpoint = await ledger.latestCheckpoint(party)
      return { events, ...(checkpoint !== undefined ? { checkpoint } : {}), headSize: ledger.heads().get(party)?.size ?? 0 }
    }
  }
}

export interface VerifyServiceInit {
  port: VerifyPort
  log?: Logger
}

/** /cites/verify/2.0.0 as a libp2p service: decode, ask the port, encode. */
export function verifyService (init: VerifyServiceInit): (components: ProtocolServiceComponents) => ProtocolService {
  const log = logFor(init.log, 'verify')
  const refuse = (status: Status, message: string): VerifyResponse => ({ status, events: [], checkpoint: EMPTY, headSize: 0n, message })
  return (components) => rpcService(components, {
    protocol: VERIFY_PROTOCOL,
    maxRequest: MAX_VERIFY_REQUEST_BYTES,
    request: VerifyRequest,
    response: VerifyResponse,
    log,
    unreadable: (failure) => refuse(failure === 'TOO_LARGE' ? Status.TOO_LARGE : Status.MALFORMED, 'request unreadable'),
    answer: async (req) => {
      if (!PARTY_RE.test(req.party) || req.number === '' || req.number.length > 64) return refuse(Status.MALFORMED, 'party must be a party code and number 1..64 characters')
      const found = await init.port.permitEvents(req.party, req.number)
      if (found === undefined) return refuse(Status.NOT_FOUND, `${req.party}/${req.number} is not known here`)
      return {
        status: Status.OK,
        events: found.events as Array<Uint8Array<ArrayBuffer>>,
        checkpoint: (found.checkpoint ?? EMPTY) as Uint8Array<ArrayBuffer>,
        headSize: BigInt(found.headSize),
        message: ''
      }
    }
  })
}

/** Serve /cites/verify/2.0.0 from this ledger on a running node (tests and tools). */
export async function handleVerify (libp2p: Libp2p, ledger: Ledger): Promise<ProtocolService> {
  return await startOn(libp2p, verifyService({ port: ledgerVerifyPort(ledger) }))
}

export interface VerifyRemoteOptions {
  party: string
  number: string
  trust: TrustStore
  /** @default now */
  now?: Date
  /** Provisional uses known to the asker (from destinations' logs): an unresolved one makes `use` INVALID. */
  claims?: readonly ClaimView[]
  /**
   * r17: the permit's signed document, when the asker holds it (it is the
   * destination) or it was presented; else the verdict is the issuer's summary's.
   */
  document?: Uint8Array
  /** Without a document: it was erased here under the retention rule. */
  documentErased?: boolean
  /** Abort the ask (e.g. the node is stopping). */
  signal?: AbortSignal
}

/** Ask `peer` about a permit and judge the answer locally (@cites/verdict). Never trusts the answerer's word. */
export async function verifyRemote (libp2p: Libp2p, peer: PeerId, opts: VerifyRemoteOptions): Promise<RemoteVerdict> {
  const { signal, ...judge } = opts
  const res = await ask(libp2p, peer, VERIFY_PROTOCOL, MAX_VERIFY_RESPONSE_BYTES, VerifyRequest, VerifyResponse, { party: opts.party, number: canonicalPermitNumber(opts.number) ?? opts.number }, signal !== undefined ? { signal } : {})
  const answeredBy = opts.trust.byPeerId(peer.toString())?.party
  if (res.status === Status.NOT_FOUND) return notFoundVerdict(`${opts.party}/${opts.number} is not known to the node asked`, answeredBy)
  if (res.status !== Status.OK || res.events.length === 0) return remoteErrorVerdict(res.status, res.message, answeredBy)
  return await judgePermitEvents(res.events, { ...judge, ...(answeredBy !== undefined ? { answeredBy } : {}) })
}
