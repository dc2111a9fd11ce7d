/**
 * A use at import, as a permit node records it: this authority's own permit
 * is decided by its own ledger; another's is asked of the issuer's node, and
 * recorded provisionally (policy allowing) only when the issuer cannot be
 * reached in time. A malformed answer from the issuer is not "unreachable":
 * it surfaces as the ProtocolError it is (the HTTP layer answers 502).
 *
 * One use, one success (issue 16, finding 1): concurrent requests for one
 * permit are coalesced (the first decides; the others get ALREADY_CONSUMED,
 * ALREADY_CONSUMED_PROVISIONALLY or the same refusal); at the destination,
 * a permit this node knows to be used, provisionally used here, cancelled
 * or replaced is refused at once, without asking or claiming; requests to the issuer go
 * through a bounded lane (issuer-lanes.ts), and only the issuer's silence or
 * a missing connection is "unreachable": a failure here with the issuer
 * connected is NODE_BUSY (503, retry), never a provisional use.
 */
import type { PeerId } from '@libp2p/interface'
import { AlreadyConsumedError, LedgerError, checkConsumable, checkedActor, isDestination, type ActionInput, type Ledger, type Receipt } from '@cites/ledger'
import type { Signer } from '@cites/xml-signature'
import type { TrustStore } from '@cites/trust-list'
import { TimeoutError, errorCode, errorMessage, within, type Logger } from '@cites/runtime'
import { requestConsumption, ProtocolError, type AuthorisedNode } from '@cites/protocol'
import { IssuerUnreachableError, NodeBusyError } from './errors.js'
import { issuerUnreachable, RETRY_AFTER_S, type IssuerLanes } from './issuer-lanes.js'
import { useCitedImportPermits } from './import-permits.js'
import { keepDocument } from './verify.js'
import type { NodeConsumeResult, NodeVerdict, ProvisionalPolicy } from './node.js'

/** A use at import as the officer records it. */
export interface UseInput extends ActionInput {
  /**
   * The signed document the holder presented (XML, as signed). Used only
   * for a provisional use when this node, the destination, has no copy yet
   * (its delivery cut off by the partition): it must hash to the issuer's
   * record (DOCUMENT_HASH_MISMATCH) and is then kept (ledger.md §3.1, r18).
   */
  document?: string
}

export interface ConsumeOperationInit {
  party: string
  libp2p: AuthorisedNode
  ledger: Ledger
  trust: TrustStore
  signer: Signer
  policy: ProvisionalPolicy
  peerOf: (party: string) => PeerId
  /** The node's verdict, to judge a permit from the replica before a provisional use. */
  verify: (party: string, number: string) => Promise<NodeVerdict>
  /** Keep a signed event of the issuer's log that reached us in an answer. */
  keepEvent: (event: Uint8Array, author: string, from: PeerId) => Promise<void>
  /** The bounded lanes to other authorities' nodes (shared with verify). */
  lanes: IssuerLanes
  now: () => number
  log: Logger
}

/** Uses decided here remembered this long, against a second use before the replica has the issuer's event. */
const SETTLED_MS = 10 * 60_000
const SETTLED_MAX = 10_000

/** What a request that arrived while `first` was being decided for the same permit is told. */
function after (first: NodeConsumeResult): NodeConsumeResult {
  if (first.outcome === 'CONSUMED') return { outcome: 'REFUSED', code: 'ALREADY_CONSUMED', message: 'the permit was just used at this node', ...(first.receipt !== undefined ? { receipt: first.receipt } : {}) }
  if (first.outcome === 'PROVISIONAL') return { outcome: 'REFUSED', code: 'ALREADY_CONSUMED_PROVISIONALLY', message: 'the permit was just used provisionally at this node' }
  return first
}

/** Who acted, as the ledger and the signed request carry it: the account, else (before accounts) the officer text. */
function who (input: ActionInput): { officer?: string, actor?: string } {
  if (input.actor !== undefined) return { actor: input.actor }
  return input.officer !== undefined ? { officer: input.officer } : {}
}

/** The node's `consume(party, number, input)`. */
export function consumeOperation (init: ConsumeOperationInit): (party: string, number: string, input: UseInput) => Promise<NodeConsumeResult> {
  const { party, ledger, policy, log } = init

  /** This authority's own permit used at one of its own ports (rare: a permit for import into the issuing country). */
  const own = async (p: string, number: string, input: ActionInput): Promise<NodeConsumeResult> => {
    // The one use decision, as for a request over the wire (a diverted use is put on the record there too).
    const d = await ledger.decideUse({ party: p, number, requester: party, lines: input.lines, port: input.port, ...who(input) })
    if (d.kind === 'consumed') return { outcome: 'CONSUMED', code: 'OK', message: '', receipt: d.receipt }
    return { outcome: 'REFUSED', code: d.code, message: d.message, ...(d.receipt !== undefined ? { receipt: d.receipt } : {}) }
  }

  /**
   * The document the holder presented (ledger.md §3.1, r18), taken as this
   * destination's copy when the issuer's summary records its hash: a
   * delivery the partition cut off. Another document is refused
   * (DOCUMENT_HASH_MISMATCH); one already held or erased is not replaced.
   */
  const takePresented = async (p: string, number: string, xml: string): Promise<NodeConsumeResult | undefined> => {
    if (await ledger.documentStatus(p, number) !== 'absent') return undefined
    try {
      // Not in the replica: nothing kept, and the verdict says so.
      if (await keepDocument(ledger, p, number, Buffer.from(xml, 'utf8'))) log.info({ party: p, number }, 'the presented document hashes to the issuer\'s record: kept as this node\'s copy')
      return undefined
    } catch (err) {
      if (!(err instanceof LedgerError)) throw err
      return { outcome: 'REFUSED', code: err.code, message: `the presented document: ${err.message}` }
    }
  }

  /** Record a provisional use from the replica, after judging the permit there (with the presented document, if the replica has none). */
  const provisional = async (p: string, number: string, input: UseInput, reason: string): Promise<NodeConsumeResult> => {
    if (input.document !== undefined) {
      const refused = await takePresented(p, number, input.document)
      if (refused !== undefined) return refused
    }
    const v = await init.verify(p, number)
    if (!v.valid) {
      // A summary verdict (no document here) is never valid: its integrity check is SKIPPED, and says why.
      const failing = v.checks.filter((c) => c.status === 'INVALID' || c.status === 'ERROR' || (c.name === 'integrity' && c.status === 'SKIPPED'))
      // A use already on record answers with the use check's own code (and the receipt); anything else is PERMIT_INVALID.
      const used = failing.find((c) => c.name === 'use')?.reason.code
      const noDocument = failing.some((c) => c.reason.code === 'DOCUMENT_NOT_PRESENTED')
      const hint = noDocument ? ': this node has no copy of the signed document yet (its delivery has not arrived); present the holder\'s signed document with the use' : ''
      return { outcome: 'REFUSED', code: used ?? 'PERMIT_INVALID', message: `refused from this node's replica: ${failing.map((c) => c.reason.code).join(', ')}${hint}`, ...(v.receipt !== undefined ? { receipt: v.receipt } : {}) }
    }
    try {
      const { document: _document, ...action } = input
      const claim = await ledger.consumeProvisionally(p, number, { ...action, reason: reason.slice(0, 300) })
      log.info({ party: p, number, seq: claim.seq }, 'use recorded provisionally: the issuer was unreachable')
      return { outcome: 'PROVISIONAL', code: 'PROVISIONAL', message: `recorded provisionally: not confirmed by issuer (${reason})`, claim }
    } catch (err) {
      if (!(err instanceof LedgerError)) throw err
      return { outcome: 'REFUSED', code: err.code, message: err.message }
    }
  }

  /**
   * A use this node can refuse from what it holds, without asking the
   * issuer or recording a claim: the issuer's signed CONSUMED, CANCELLED or
   * REPLACED in the replica, or this node's own provisional use.
   */
  const knownRefusal = async (p: string, number: string): Promise<NodeConsumeResult | undefined> => {
    const s = await ledger.status(p, number)
    // A copy presented anywhere but at its destination goes to the issuer,
    // which puts the attempt on the signed record (USE_REFUSED, alerts).
    if (s === undefined || !isDestination(s.state, party)) return undefined
    // The ledger's own state rules (used, cancelled, replaced), as the issuer would apply them.
    try {
      checkConsumable(s.state)
    } catch (err) {
      if (!(err instanceof LedgerError)) throw err
      return { outcome: 'REFUSED', code: err.code, message: err.message, ...(err instanceof AlreadyConsumedError ? { receipt: err.receipt } : {}) }
    }
    const mine = (await ledger.claims(p, number)).find((c) => c.claimant === party && c.resolution !== 'refused')
    if (mine !== undefined) return { outcome: 'REFUSED', code: 'ALREADY_CONSUMED_PROVISIONALLY', message: `${p}/${number} was already used provisionally here on ${new Date(mine.time).toISOString()} at ${mine.port}` }
    return undefined
  }

  const connected = (peer: PeerId): boolean => init.libp2p.getConnections(peer).some((c) => c.status === 'open')

  const decide = async (p: string, number: string, input: UseInput): Promise<NodeConsumeResult> => {
    if (p === party) return await own(p, number, input)
    const known = await knownRefusal(p, number)
    if (known !== undefined) return known
    const issuer = init.peerOf(p)
    const ask = { party: p, number, lines: input.lines, port: input.port, ...who(input) }
    let reason: string
    try {
      // The issuer's timeout runs once the request is in flight, not while it waits in the lane.
      const out = await init.lanes.run(p, 'consume', async () => await within(policy.issuerTimeoutMs, requestConsumption(init.libp2p, issuer, ask, { requester: party, signer: init.signer, trust: init.trust, now: init.now() })))
      if (out.receipt !== undefined) await init.keepEvent(out.receipt.event, p, issuer)
      const { event: _e, ...receipt } = out.receipt ?? { event: undefined }
      const r = out.receipt !== undefined ? { receipt: receipt as Receipt } : {}
      if (out.code !== 'OK') log.debug({ code: out.code, party: p, number }, 'the issuer refused the use')
      if (out.code !== 'OK') return { outcome: 'REFUSED', code: out.code, message: out.message, ...r }
      // The goods are in: the import permit the export cites is used with them (ledger.md §3.6).
      const importPermits = await useCitedImportPermits({ party, ledger, log }, p, number, input).catch((err: unknown) => {
        log.warn({ code: errorCode(err, 'IMPORT_PERMIT_USE_FAILED'), party: p, number }, `the cited import permit's use was not recorded: ${errorMessage(err)}`)
        return []
      })
      return { outcome: 'CONSUMED', code: 'OK', message: '', ...r, ...(importPermits.length > 0 ? { importPermits } : {}) }
    } catch (err) {
      // The issuer's node answered, but wrongly: its fault, reported as such (never provisional).
      if (err instanceof ProtocolError) {
        log.warn({ code: err.code, party: p, number }, `the issuer's answer is unusable: ${err.message}`)
        throw err
      }
      if (err instanceof NodeBusyError) throw err
      if (!issuerUnreachable(err, connected(issuer))) {
        // Our own limits or a stream closed under load, with the issuer connected: not a partition.
        log.info({ code: 'NODE_BUSY', cause: errorCode(err, 'STREAM_FAILED'), party: p, number }, `the request to the issuer failed here: ${errorMessage(err)}`)
        throw new NodeBusyError(`the request to ${p}'s node could not be completed now (this node is busy); nothing was recorded; retry in ${RETRY_AFTER_S} s`)
      }
      // Unreachable: the issuer's silence, or no connection to it. Plain words for the record (no library text).
      reason = err instanceof TimeoutError ? `${p}'s node did not answer within ${policy.issuerTimeoutMs} ms` : `${p}'s node could not be reached`
      log.info({ code: errorCode(err, 'ISSUER_UNREACHABLE'), party: p, number, provisionalAllowed: policy.allow }, `${reason}: ${errorMessage(err)}`)
    }
    if (!policy.allow) throw new IssuerUnreachableError(`${reason}; this node's policy does not allow a provisional use`)
    return await provisional(p, number, input, reason)
  }

  // Uses being decided, and decided lately, by permit: the first decides; the rest are told after it.
  const deciding = new Map<string, Promise<NodeConsumeResult>>()
  const settled = new Map<string, { at: number, result: NodeConsumeResult }>()

  return async (p, number, input) => {
    // A malformed actor is refused before the issuer is asked or anything is claimed.
    checkedActor(input.actor)
    const key = `${p}/${number}`
    const running = deciding.get(key)
    if (running !== undefined) return after(await running)
    const done = settled.get(key)
    if (done !== undefined && init.now() - done.at < SETTLED_MS) return after(done.result)
    const d = decide(p, number, input)
    deciding.set(key, d)
    try {
      const result = await d
      if (result.outcome !== 'REFUSED') {
        if (settled.size >= SETTLED_MAX) settled.delete(settled.keys().next().value as string)
        settled.set(key, { at: init.now(), result })
      }
      return result
    } finally {
      deciding.delete(key)
    }
  }
}
