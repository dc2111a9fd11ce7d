/**
 * A use at import, as a permit node records it: this authority's own permit
 * is decided by its own ledger; another's is asked of the issuer's node, and
 * recorded provisionally (policy allowing) only when the issuer cannot be
 * reached in time. A malformed answer from the issuer is not "unreachable":
 * it surfaces as the ProtocolError it is (the HTTP layer answers 502).
 */
import type { PeerId } from '@libp2p/interface'
import { LedgerError, type ActionInput, type Ledger, type Receipt } from '@cites/ledger'
import type { Signer } from '@cites/xml-signature'
import type { TrustStore } from '@cites/trust-list'
import { errorCode, errorMessage, within, type Logger } from '@cites/runtime'
import { requestConsumption, ProtocolError, type AuthorisedNode } from '@cites/protocol'
import { IssuerUnreachableError } from './errors.js'
import type { NodeConsumeResult, NodeVerdict, ProvisionalPolicy } from './node.js'

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
  now: () => number
  log: Logger
}

/** The node's `consume(party, number, input)`. */
export function consumeOperation (init: ConsumeOperationInit): (party: string, number: string, input: ActionInput) => Promise<NodeConsumeResult> {
  const { party, ledger, policy, log } = init

  /** This authority's own permit used at one of its own ports (rare: a permit for import into the issuing country). */
  const own = async (p: string, number: string, input: ActionInput): Promise<NodeConsumeResult> => {
    // The one use decision, as for a request over the wire (a diverted use is put on the record there too).
    const d = await ledger.decideUse({ party: p, number, requester: party, lines: input.lines, port: input.port, ...(input.officer !== undefined ? { officer: input.officer } : {}) })
    if (d.kind === 'consumed') return { outcome: 'CONSUMED', code: 'OK', message: '', receipt: d.receipt }
    return { outcome: 'REFUSED', code: d.code, message: d.message, ...(d.receipt !== undefined ? { receipt: d.receipt } : {}) }
  }

  /** Record a provisional use from the replica, after judging the permit there. */
  const provisional = async (p: string, number: string, input: ActionInput, reason: string): Promise<NodeConsumeResult> => {
    const v = await init.verify(p, number)
    if (!v.valid) {
      const failing = v.checks.filter((c) => c.status === 'INVALID' || c.status === 'ERROR')
      // A use already on record answers with the use check's own code (and the receipt); anything else is PERMIT_INVALID.
      const used = failing.find((c) => c.name === 'use')?.reason.code
      return { outcome: 'REFUSED', code: used ?? 'PERMIT_INVALID', message: `refused from this node's replica: ${failing.map((c) => c.reason.code).join(', ')}`, ...(v.receipt !== undefined ? { receipt: v.receipt } : {}) }
    }
    try {
      const claim = await ledger.consumeProvisionally(p, number, { ...input, reason: reason.slice(0, 300) })
      log.info({ party: p, number, seq: claim.seq }, 'use recorded provisionally: the issuer was unreachable')
      return { outcome: 'PROVISIONAL', code: 'PROVISIONAL', message: `recorded provisionally: not confirmed by issuer (${reason})`, claim }
    } catch (err) {
      if (!(err instanceof LedgerError)) throw err
      return { outcome: 'REFUSED', code: err.code, message: err.message }
    }
  }

  return async (p, number, input) => {
    if (p === party) return await own(p, number, input)
    const issuer = init.peerOf(p)
    const ask = { party: p, number, lines: input.lines, port: input.port, ...(input.officer !== undefined ? { officer: input.officer } : {}) }
    let reason: string
    try {
      const out = await within(policy.issuerTimeoutMs, requestConsumption(init.libp2p, issuer, ask, { requester: party, signer: init.signer, trust: init.trust, now: init.now() }))
      if (out.receipt !== undefined) await init.keepEvent(out.receipt.event, p, issuer)
      const { event: _e, ...receipt } = out.receipt ?? { event: undefined }
      const r = out.receipt !== undefined ? { receipt: receipt as Receipt } : {}
      if (out.code !== 'OK') log.debug({ code: out.code, party: p, number }, 'the issuer refused the use')
      return out.code === 'OK' ? { outcome: 'CONSUMED', code: 'OK', message: '', ...r } : { outcome: 'REFUSED', code: out.code, message: out.message, ...r }
    } catch (err) {
      // The issuer's node answered, but wrongly: its fault, reported as such (never provisional).
      if (err instanceof ProtocolError) {
        log.warn({ code: err.code, party: p, number }, `the issuer's answer is unusable: ${err.message}`)
        throw err
      }
      // Unreachable (a timeout, a dial or stream failure).
      reason = `${p}'s node did not answer: ${errorMessage(err)}`
      log.info({ code: errorCode(err, 'ISSUER_UNREACHABLE'), party: p, number, provisionalAllowed: policy.allow }, reason)
    }
    if (!policy.allow) throw new IssuerUnreachableError(`${reason}; this node's policy does not allow a provisional use`)
    return await provisional(p, number, input, reason)
  }
}
