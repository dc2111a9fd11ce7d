/**
 * The customs verdict of a permit by number, as a permit node gives it: asked
 * of the issuer's node; judged from this node's replica when the issuer
 * cannot be reached in time. Either way, a known permit whose issuer this
 * node holds evidence of a split log against fails `status` with
 * ISSUER_EQUIVOCATED (the issuer's own answer cannot clear it). A malformed answer from the issuer is not
 * "unreachable": it surfaces as the ProtocolError it is (the HTTP layer
 * answers 502), never as a replica verdict. Every verdict with a known
 * permit carries the `destination` check for this node's party: a permit
 * made out to another country is not valid here (a diverted copy). Every
 * verdict with a readable permit carries the `reference` check (the CITES
 * reference data, with its snapshot's date).
 */
import type { PeerId } from '@libp2p/interface'
import { decodeEvent, isPartyTo, type Ledger } from '@cites/ledger'
import { judgePermitEvents, withDestination, withEquivocation, withReference, withValidityAt, type RemoteVerdict } from '@cites/verdict'
import type { ReferenceData } from '@cites/refdata'
import type { TrustStore } from '@cites/trust-list'
import { errorCode, errorMessage, within, type Logger } from '@cites/runtime'
import { fetchDocument, verifyRemote, ProtocolError, type AuthorisedNode } from '@cites/protocol'
import type { NodeVerdict } from './node.js'
import { NodeBusyError } from './errors.js'
import { issuerUnreachable, RETRY_AFTER_S, type IssuerLanes } from './issuer-lanes.js'

export interface VerifyOperationInit {
  party: string
  libp2p: AuthorisedNode
  ledger: Ledger
  trust: TrustStore
  /** How long to wait for the issuer before judging from the replica (ms). */
  issuerTimeoutMs: () => number
  /** The issuer's node, by party; throws PartyNotListedError. */
  peerOf: (party: string) => PeerId
  /** The bounded lanes to other authorities' nodes (shared with consume). */
  lanes: IssuerLanes
  now: () => number
  log: Logger
  /** The reference data every verdict with a readable permit is checked against (the `reference` check). */
  refdata: { data: ReferenceData, suspensions: 'warn' | 'refuse' }
}

const VERDICT_MEMO = 50_000
const NOT_GIVEN_MS = 30_000

/**
 * Keep `bytes` as this node's copy of a permit's document, checked against
 * the hash its issuer's ISSUED event records (Ledger.putDocument: NOT_A_PARTY,
 * DOCUMENT_HASH_MISMATCH, DOCUMENT_ERASED). False when the event is not held.
 */
export async function keepDocument (ledger: Ledger, party: string, number: string, bytes: Uint8Array): Promise<boolean> {
  const [first] = await ledger.permitEvents(party, number) ?? []
  if (first === undefined) return false
  await ledger.putDocument(decodeEvent(first), bytes)
  return true
}

/** The node's `verify(party, number)`. */
export function verifyOperation (init: VerifyOperationInit): (party: string, number: string) => Promise<NodeVerdict> {
  const { ledger, trust, libp2p, log } = init
  const verdictMemo = new Map<string, { stamp: string, verdict: NodeVerdict }>()

  // Permits whose document the issuer did not give lately: not asked again for a while (a refusing or erased issuer costs one round trip per 30 s, not per check).
  const notGiven = new Map<string, number>()

  /**
   * The destination's document, when its delivery has not come (yet): asked
   * of the issuer's node with /cites/document/1.0.0 (network.md §8.1), in the
   * issuer's verify lane and only while it is connected, and kept only as
   * the document the issuer registered. Best effort, within the issuer's
   * timeout: without it the verdict is the summary's.
   */
  const fetchOwnDocument = async (p: string, number: string, issuer: PeerId): Promise<boolean> => {
    const key = `${p}/${number}`
    if ((notGiven.get(key) ?? 0) > Date.now() || !libp2p.getConnections(issuer).some((c) => c.status === 'open')) return false
    const s = await ledger.status(p, number)
    if (s === undefined || !isPartyTo(s.state, init.party) || s.state.party === init.party) return false
    try {
      const got = await init.lanes.run(p, 'verify', async () => await within(init.issuerTimeoutMs(), fetchDocument(libp2p, issuer, { party: p, number: s.state.number, sha256: s.state.xmlSha256 })))
      if (got.status === 'OK' && await keepDocument(ledger, p, number, got.document)) return true
      log.debug({ code: got.status === 'OK' ? 'PERMIT_NOT_FOUND' : got.code, party: p, number }, 'the issuer did not give the document')
    } catch (err) {
      log.debug({ code: errorCode(err, 'DOCUMENT_FETCH_FAILED'), party: p, number }, `the document could not be fetched from its issuer: ${errorMessage(err)}`)
    }
    if (notGiven.size >= VERDICT_MEMO) notGiven.clear()
    notGiven.set(key, Date.now() + NOT_GIVEN_MS)
    return false
  }

  const judge = async (p: string, number: string): Promise<NodeVerdict> => {
    // r17: the document, when this node is a party to the trade and holds it;
    // else the verdict is the issuer's summary's (DOCUMENT_NOT_PRESENTED).
    let documentStatus = await ledger.documentStatus(p, number)
    const claimsHeld = await ledger.claims(p, number)
    // Decrypted only when a verdict is judged, not for a memoised one (the customs hot path).
    const withDocument = async (): Promise<{ document?: Uint8Array, documentErased: boolean }> => {
      const document = documentStatus === 'held' ? await ledger.document(p, number) : undefined
      return { ...(document !== undefined ? { document } : {}), documentErased: documentStatus === 'erased' }
    }
    const finish = (v: RemoteVerdict, source: NodeVerdict['source']): NodeVerdict => {
      const out: NodeVerdict = { valid: v.valid, checks: v.checks, party: p, number, source, claims: claimsHeld }
      if (v.state !== undefined) out.state = v.state
      if (v.receipt !== undefined) out.receipt = v.receipt
      if (v.permit !== undefined) out.permit = v.permit
      if (v.history !== undefined) out.history = v.history
      return out
    }
    const local = async (answeredBy?: string): Promise<NodeVerdict> => {
      const notFound = (): NodeVerdict => ({ valid: false, party: p, number, source: 'none', claims: claimsHeld, checks: [{ name: 'status', status: 'INVALID', reason: { code: 'PERMIT_NOT_FOUND', message: `${p}/${number} is not known here${p === init.party ? '' : ', and its issuer could not be asked'}` } }] })
      const at = new Date(init.now())
      // The verdict from this ledger changes only with the permit's events,
      // its claims or the trust list: memoised on exactly those, with the
      // one time-dependent check (validity) recomputed on every call.
      const s = await ledger.status(p, number)
      if (s === undefined) return notFound()
      const memoKey = `${p}/${number}`
      const stamp = `${s.state.events.join(',')}|${documentStatus}|${trust.sequence}|${claimsHeld.map((c) => `${c.claimant}#${c.seq}:${c.resolution}`).join(',')}|${answeredBy ?? ''}`
      const hit = verdictMemo.get(memoKey)
      if (hit !== undefined && hit.stamp === stamp) return withValidityAt(hit.verdict, at)
      const events = await ledger.permitEvents(p, number)
      if (events === undefined) return notFound()
      const v = finish(await judgePermitEvents(events, { party: p, number, trust, now: at, claims: claimsHeld, eventsFromOwnLedger: true, ...await withDocument(), ...(answeredBy !== undefined ? { answeredBy } : {}) }), answeredBy === p ? 'issuer' : 'replica')
      if (verdictMemo.size >= VERDICT_MEMO) verdictMemo.delete(verdictMemo.keys().next().value as string)
      verdictMemo.set(memoKey, { stamp, verdict: v })
      return v
    }
    if (p === init.party) return await local(init.party)
    let issuer: PeerId
    try {
      issuer = init.peerOf(p)
    } catch (err) {
      log.debug({ code: errorCode(err), party: p, number }, 'the issuer is not on the trust list: judged from the replica')
      return await local()
    }
    if (documentStatus === 'absent' && await fetchOwnDocument(p, number, issuer)) documentStatus = 'held'
    const document = await withDocument()
    try {
      // Under load the request waits its turn in the issuer's lane (issue 16):
      // the issuer's timeout runs only once it is in flight.
      return finish(await init.lanes.run(p, 'verify', async () => await within(init.issuerTimeoutMs(), verifyRemote(libp2p, issuer, { party: p, number, trust, now: new Date(init.now()), claims: claimsHeld, ...document }))), 'issuer')
    } catch (err) {
      // The issuer's node answered, but wrongly: its fault, reported as such.
      if (err instanceof ProtocolError) {
        log.warn({ code: err.code, party: p, number }, `the issuer's answer is unusable: ${err.message}`)
        throw err
      }
      if (err instanceof NodeBusyError) throw err
      if (!issuerUnreachable(err, libp2p.getConnections(issuer).some((c) => c.status === 'open'))) {
        // A failure here with the issuer connected is no reason to answer "not confirmed by issuer".
        log.info({ code: 'NODE_BUSY', cause: errorCode(err, 'STREAM_FAILED'), party: p, number }, `the request to the issuer failed here: ${errorMessage(err)}`)
        throw new NodeBusyError(`the request to ${p}'s node could not be completed now (this node is busy); retry in ${RETRY_AFTER_S} s`)
      }
      // Unreachable (the issuer's silence, or no connection): the replica answers.
      log.debug({ code: errorCode(err, 'ISSUER_UNREACHABLE'), party: p, number }, `the issuer did not answer: judged from the replica (${errorMessage(err)})`)
      return await local()
    }
  }
  return async (p, number) => {
    const judged = await judge(p, number)
    if (judged.state === undefined) return judged
    const v = withReference(withDestination(judged, init.party, p), init.refdata.data, { suspensions: init.refdata.suspensions })
    const { positions } = await ledger.equivocations(p)
    return positions.length > 0 ? withEquivocation(v, p, positions) : v
  }
}
