/**
 * /cites/verify/1.0.0: ask a peer about one permit. The answer is the
 * permit's signed events from the issuer's log, so the asker checks every
 * signature and derives the state itself rather than trusting the answerer;
 * plus the answerer's latest checkpoint of that log. `verifyRemote` turns it
 * into the full customs verdict (XML-DSig of the permit, rules, validity,
 * status, use, and whether the issuer itself answered).
 */
import type { Libp2p, PeerId } from '@libp2p/interface'
import { applyEvent, decodeEvent, derivedStatus, verifyEventSignature, viewEvent, sha256, hex, IssuedBody, LedgerError, type ClaimView, type EventView, type Ledger, type PermitState, type Receipt } from '@cites/ledger'
import { check, makeVerdict, type Check, type Permit, type Verdict } from '@cites/permit'
import { validityCheck, verifySignedPermit } from '@cites/xml-signature'
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

/** /cites/verify/1.0.0 as a libp2p service: decode, ask the port, encode. */
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

/** Serve /cites/verify/1.0.0 from this ledger on a running node (tests and tools). */
export async function handleVerify (libp2p: Libp2p, ledger: Ledger): Promise<ProtocolService> {
  return await startOn(libp2p, verifyService({ port: ledgerVerifyPort(ledger) }))
}

/** A customs verdict from the network, with what it was derived from. */
export interface RemoteVerdict extends Verdict {
  state?: PermitState
  receipt?: Receipt
  /** The party whose node answered. */
  answeredBy?: string
  /** The signed permit, as read from the ISSUED event's XML. */
  permit?: Permit
  /** The permit's events the verdict was judged from, in order. */
  history?: EventView[]
}

export interface VerifyRemoteOptions {
  party: string
  number: string
  trust: TrustStore
  /** @default now */
  now?: Date
  /** Provisional uses known to the asker (from destinations' logs): an unresolved one makes `use` INVALID. */
  claims?: readonly ClaimView[]
}

export interface JudgeOptions extends VerifyRemoteOptions {
  /** The party whose node supplied the events; the issuer's own node confirms. */
  answeredBy?: string
  /**
   * The events come from this node's own ledger, which checked every one
   * before storing it (signature or author's checkpoint): skip re-checking
   * their signatures. Never for events from an answer.
   */
  eventsFromOwnLedger?: boolean
}

/**
 * XML-DSig verdicts of signed permits, by the SHA-256 of the exact bytes and
 * the trust list's sequence: the same bytes under the same list always get
 * the same integrity, issuer and rules checks (only validity depends on the
 * time, and it is recomputed on every call). A new trust list (a withdrawn
 * certificate) misses the cache. Bounded; the oldest entries go first.
 */
// Per trust store (each node its own), then by hash and list sequence.
const xmlVerdictCaches = new WeakMap<TrustStore, Map<string, { checks: Check[], permit?: Permit, party?: string }>>()
const XML_VERDICT_CACHE = 20_000
/**
 * The offline verdict of a signed permit document (integrity, issuer, rules,
 * validity at `now`), from the cache when these exact bytes were judged under
 * the current trust list.
 */
export async function cachedPermitVerdict (xml: string | Uint8Array, trust: TrustStore, now: Date = new Date()): Promise<{ checks: Check[], permit?: Permit, party?: string, xmlSha256: string }> {
  const bytes = typeof xml === 'string' ? new TextEncoder().encode(xml) : xml
  const xmlSha256 = hex(sha256(bytes))
  const v = await xmlVerdictOf(bytes, xmlSha256, trust)
  return { ...v, checks: v.permit !== undefined ? [...v.checks, validityCheck(v.permit, now)] : [...v.checks], xmlSha256 }
}

async function xmlVerdictOf (xml: Uint8Array, xmlSha: string, trust: TrustStore): Promise<{ checks: Check[], permit?: Permit, party?: string }> {
  let xmlVerdicts = xmlVerdictCaches.get(trust)
  if (xmlVerdicts === undefined) { xmlVerdicts = new Map(); xmlVerdictCaches.set(trust, xmlVerdicts) }
  const key = `${xmlSha}:${trust.sequence}`
  const hit = xmlVerdicts.get(key)
  if (hit !== undefined) return hit
  const v = await verifySignedPermit(new TextDecoder().decode(xml), { certificatesFor: (p) => trust.certificatesFor(p) })
  const entry: { checks: Check[], permit?: Permit, party?: string } = { checks: v.checks.filter((c) => c.name === 'integrity' || c.name === 'issuer' || c.name === 'rules') }
  if (v.permit !== undefined) entry.permit = v.permit
  if (v.party !== undefined) entry.party = v.party
  if (xmlVerdicts.size >= XML_VERDICT_CACHE) xmlVerdicts.delete(xmlVerdicts.keys().next().value as string)
  xmlVerdicts.set(key, entry)
  return entry
}

/** Ask `peer` about a permit and judge the answer locally. Never trusts the answerer's word. */
export async function verifyRemote (libp2p: Libp2p, peer: PeerId, opts: VerifyRemoteOptions): Promise<RemoteVerdict> {
  const now = opts.now ?? new Date()
  const res = await ask(libp2p, peer, VERIFY_PROTOCOL, MAX_VERIFY_RESPONSE_BYTES, VerifyRequest, VerifyResponse, { party: opts.party, number: opts.number })
  const answeredBy = opts.trust.byPeerId(peer.toString())?.party
  if (res.status === Status.NOT_FOUND) {
    const v: RemoteVerdict = makeVerdict([check('status', 'INVALID', 'PERMIT_NOT_FOUND', `${opts.party}/${opts.number} is not known to the node asked`)])
    if (answeredBy !== undefined) v.answeredBy = answeredBy
    return v
  }
  if (res.status !== Status.OK || res.events.length === 0) {
    const v: RemoteVerdict = makeVerdict([check('integrity', 'ERROR', 'REMOTE_ERROR', `the node asked answered ${res.status}: ${res.message}`)])
    if (answeredBy !== undefined) v.answeredBy = answeredBy
    return v
  }
  return await judgePermitEvents(res.events, { ...opts, ...(answeredBy !== undefined ? { answeredBy } : {}) })
}

/**
 * The customs verdict from a permit's signed events (from a peer's answer or
 * this node's own replica): every event must be the issuer's, about this
 * permit, validly signed; the state is derived from them in order, and the
 * ISSUED event's permit passes the XML-DSig profile.
 */
export async function judgePermitEvents (events: readonly Uint8Array[], opts: JudgeOptions): Promise<RemoteVerdict> {
  const now = opts.now ?? new Date()
  const answeredBy = opts.answeredBy
  const base = (checks: Check[]): RemoteVerdict => {
    const v: RemoteVerdict = makeVerdict(checks)
    if (answeredBy !== undefined) v.answeredBy = answeredBy
    return v
  }
  let state: PermitState | undefined
  let xmlChecks: Check[] = []
  let permit: Permit | undefined
  const history: EventView[] = []
  const trusted = opts.trust.certificatesFor(opts.party)
  for (const b of events) {
    let le
    try { le = decodeEvent(b) } catch { return base([check('integrity', 'INVALID', 'EVENT_MALFORMED', 'an event in the answer does not decode')]) }
    const e = le.event
    if (e.author !== opts.party || e.permitParty !== opts.party || e.permitNumber !== opts.number) {
      return base([check('integrity', 'INVALID', 'EVENT_WRONG_LOG', 'the answer holds an event of another log or permit')])
    }
    if (opts.eventsFromOwnLedger !== true) {
      const sig = await verifyEventSignature(le, trusted)
      if (sig !== 'OK') return base([check('integrity', 'INVALID', sig, `event #${e.seq} is not validly signed by ${opts.party}`)])
    }
    history.push(viewEvent(le))
    try {
      state = applyEvent(state, le)
    } catch (err) {
      if (!(err instanceof LedgerError)) throw err
      return base([check('status', 'INVALID', err.code, `the issuer's events are inconsistent: ${err.message}`)])
    }
    if (state.events.length === 1) {
      // The ISSUED event: the permit itself, verified under the XML-DSig profile.
      const body = IssuedBody.decode(e.body)
      const xmlSha = hex(sha256(body.signedXml))
      if (xmlSha !== hex(body.xmlSha256)) return base([check('integrity', 'INVALID', 'XML_HASH_MISMATCH', 'the permit XML does not match its recorded hash')])
      const xmlVerdict = await xmlVerdictOf(body.signedXml, xmlSha, opts.trust)
      const validity = xmlVerdict.permit !== undefined ? [validityCheck(xmlVerdict.permit, now)] : []
      if (xmlVerdict.permit?.number !== opts.number || xmlVerdict.party !== opts.party) {
        return base([...xmlVerdict.checks, ...validity, check('status', 'INVALID', 'PERMIT_MISMATCH', 'the signed permit is not the one asked about')])
      }
      xmlChecks = [...xmlVerdict.checks, ...validity]
      permit = xmlVerdict.permit
    }
  }
  if (state === undefined) return base([check('integrity', 'ERROR', 'REMOTE_ERROR', 'no events')])
  const status = derivedStatus(state, now.getTime())
  const checks: Check[] = [...xmlChecks]
  checks.push(status === 'CANCELLED'
    ? check('status', 'INVALID', 'PERMIT_CANCELLED', `cancelled: ${state.cancellation?.reason ?? ''}`)
    : status === 'REPLACED'
      ? check('status', 'INVALID', 'PERMIT_REPLACED', `replaced by ${state.replacement?.number ?? '?'}`)
      : check('status', 'VALID', 'OK', status === 'ENDORSED' ? 'in force; export endorsed' : 'in force'))
  // A provisional use recorded by a destination during a partition counts
  // until the issuer's log confirms or refuses it.
  const s = state
  const claimOpen = (opts.claims ?? []).find((c) => c.resolution !== 'refused' &&
    !(s.refusedClaims ?? []).some((r) => r.claimant === c.claimant && r.seq === c.seq && r.hash === c.hash))
  checks.push(state.consumption !== undefined
    ? check('use', 'INVALID', 'ALREADY_CONSUMED', `already used on ${state.consumption.consumedAt} at ${state.consumption.port} (for ${state.consumption.consumingParty})`)
    : claimOpen !== undefined
      ? check('use', 'INVALID', 'ALREADY_CONSUMED_PROVISIONALLY', `already used provisionally on ${new Date(claimOpen.time).toISOString()} at ${claimOpen.port} (${claimOpen.claimant}); not yet confirmed by the issuer`)
      : check('use', 'VALID', 'OK', 'not used'))
  checks.push(answeredBy === opts.party
    ? check('confirmation', 'VALID', 'ISSUER_CONFIRMED', 'answered by the issuing authority\'s node')
    : check('confirmation', 'SKIPPED', 'NOT_CONFIRMED_BY_ISSUER', answeredBy === undefined ? 'from this node\'s replica of the issuer\'s log; the issuer was not asked' : `answered from ${answeredBy}'s replica, not by the issuer`))
  const v = base(checks)
  v.state = state
  if (permit !== undefined) v.permit = permit
  v.history = history
  if (state.consumption !== undefined) v.receipt = state.consumption
  return v
}
