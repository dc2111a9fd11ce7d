/**
 * One CITES permit node (ARCHITECTURE.md): the authority's ledger, its trust
 * store, the authorised libp2p node, and every protocol and worker wired
 * together. This is what `cites node start` runs and what the HTTP API and
 * the pilot network drive.
 */
import { join } from 'node:path'
import { peerIdFromString } from '@libp2p/peer-id'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import { Ledger, type ActionInput, type Alert, type ClaimView, type DeliveryState, type EventView, type LedgerInit, type PermitState, type Receipt } from '@cites/ledger'
import { makeVerdict, type Permit, type Verdict } from '@cites/permit'
import { validityCheck, type Signer } from '@cites/xml-signature'
import type { Authority, TrustStore } from '@cites/trust-list'
import {
  applyTrustList, createAuthorisedNode, handleConsume, handleDeliver, handleSync, handleTrustList, handleVerify, judgePermitEvents, keepConnected, requestConsumption,
  startDelivery, startEventGossip, gossipScore, syncLog, verifyRemote, ProtocolError, type AuthorisedNode, type DeliveryWorker, type EventGossip, type GossipStats,
  type KeepConnected, type KeepConnectedOptions, type RemoteVerdict
} from '@cites/protocol'
import { IssuerUnreachableError, PartyNotListedError } from './errors.js'
import { startClaimSubmitter, type ClaimSubmitter } from './claims.js'
import { within } from './within.js'
import { startPermitChecker, type PermitChecker, type PermitCheckStats } from './permit-checks.js'

/** What the destination may do when the issuer's node cannot be reached. */
export interface ProvisionalPolicy {
  /** Record a provisional use in this node's own log. @default false */
  allow: boolean
  /** How long to wait for the issuer before the node counts it unreachable (ms). @default 5000 */
  issuerTimeoutMs: number
}

export interface PermitNodeConfig {
  /** This authority's party code (ISO 3166-1 alpha-2). */
  party: string
  /** Folder for the node's data; the ledger lives in `DIR/ledger`. */
  dataDir: string
  /** The permit-signing key and certificate, as listed on the trust list. */
  signer: Signer
  /** The libp2p identity, whose peer ID the trust list names. */
  peerKey: PrivateKey
  /** Holds the anchor and the current signed trust list. */
  trust: TrustStore
  /** @default ['/ip4/127.0.0.1/tcp/0'] */
  listen?: string[]
  /** All nodes on one host (a pilot): lifts libp2p's per-host connection rate limit. @default false */
  sharedHost?: boolean
  provisional?: Partial<ProvisionalPolicy>
  /** How often pending deliveries are retried (ms). @default 1000 */
  deliveryIntervalMs?: number
  /** How often open provisional claims are submitted (ms). @default 2000 */
  claimIntervalMs?: number
  /**
   * Background XML-DSig checks of replicated permits, documents per second
   * (ledger.md §4.1); 0 turns them off. @default 50
   */
  permitChecksPerSecond?: number
  /** How often every log is caught up from the network (anti-entropy, ms). @default 30000 */
  syncIntervalMs?: number
  keepConnected?: KeepConnectedOptions
  checkpointInterval?: number
  /** Clock (ms), for tests. @default Date.now */
  now?: () => number
}

/** A verdict with what it was derived from. */
export interface NodeVerdict extends Verdict {
  party: string
  number: string
  /** `issuer`: the issuer's node answered; `replica`: judged from this node's copy of the issuer's log. */
  source: 'issuer' | 'replica' | 'none'
  state?: PermitState
  receipt?: Receipt
  claims: ClaimView[]
  /** The signed permit (from its ISSUED event), when it could be read. */
  permit?: Permit
  /** The permit's events the verdict was judged from. */
  history?: EventView[]
}

export type ConsumeOutcomeKind = 'CONSUMED' | 'PROVISIONAL' | 'REFUSED'

export interface NodeConsumeResult {
  outcome: ConsumeOutcomeKind
  /** `OK`, `PROVISIONAL`, or the refusal code (ALREADY_CONSUMED, NOT_DESTINATION, QUANTITY_EXCEEDED, ...). */
  code: string
  message: string
  /** CONSUMED: the issuer's signed receipt. ALREADY_CONSUMED: the first receipt, as evidence. */
  receipt?: Receipt
  /** PROVISIONAL: the claim recorded in this node's log, "not confirmed by issuer". */
  claim?: ClaimView
}

export interface NodeStatus {
  party: string
  peerId: string
  addresses: string[]
  /** Parties of the connected authorised peers. */
  peers: string[]
  logs: Record<string, number>
  deliveries: Record<DeliveryState, number>
  openClaims: number
  alerts: number
  gossip: GossipStats
  /** Background XML-DSig checks of replicated permits (ledger.md §4.1). */
  permitChecks: PermitCheckStats
  /** This node's gossip score for each connected authority (network.md §3.1; under -80 it is graylisted). */
  peerScores: Record<string, number>
  trustListSequence: number
}

export interface PermitNode {
  readonly party: string
  readonly peerId: PeerId
  readonly libp2p: AuthorisedNode
  readonly ledger: Ledger
  readonly trust: TrustStore
  readonly gossip: EventGossip
  readonly delivery: DeliveryWorker
  readonly claims: ClaimSubmitter
  /** Background XML-DSig checks of replicated permits. */
  readonly permitChecks: PermitChecker
  readonly connections: KeepConnected
  readonly policy: ProvisionalPolicy
  /** Listen addresses with the peer ID. */
  addresses: () => string[]
  /** Sign a permit as this authority and record its issuance (gossiped and delivered). */
  issue: (permit: Permit) => Promise<{ state: PermitState, signedXml: string }>
  /** Record a permit signed by this authority's own permit system. */
  recordSigned: (signedXml: string) => Promise<{ state: PermitState }>
  /** Box 14 on one of this authority's permits (the ledger refuses another party's: NOT_ISSUER). */
  endorse: (party: string, number: string, input: ActionInput) => Promise<PermitState>
  cancel: (party: string, number: string, reason: string) => Promise<PermitState>
  /** Parties of the connected authorised peers, sorted. */
  peerParties: () => string[]
  /** This node's gossip score for each connected authority, by party. */
  peerScores: () => Record<string, number>
  /** The customs verdict: asked of the issuer's node; from this node's replica if the issuer cannot be reached in time. */
  verify: (party: string, number: string) => Promise<NodeVerdict>
  /** Record a use at import: asked of the issuer; provisional if the issuer is unreachable and the policy allows it. */
  consume: (party: string, number: string, input: ActionInput) => Promise<NodeConsumeResult>
  /** Catch every listed authority's log up from the network now. */
  syncAll: () => Promise<void>
  /**
   * Accept a newer anchor-signed trust list (e.g. installed by the operator):
   * withdrawn peers are disconnected, new ones dialled, and the list is
   * announced on gossip so every node fetches it.
   */
  acceptTrustList: (xml: string) => Promise<{ sequence: number, dropped: string[] }>
  /** Fault injection: cut this node off from the given parties (gater refuses them; open connections close). */
  partition: (parties: readonly string[]) => Promise<void>
  /** Undo every partition(); connections come back through keep-connected. */
  heal: () => void
  status: () => Promise<NodeStatus>
  alerts: () => Promise<Alert[]>
  stop: () => Promise<void>
}

/** The granted management authority of a party, if listed. */
function authorityOf (trust: TrustStore, party: string): Authority | undefined {
  return trust.byParty(party).find((a) => a.role === 'management-authority' && a.status === 'granted')
}

const VERDICT_MEMO = 50_000

/** A memoised verdict with its validity check recomputed at `at` (the only check that depends on the time). */
function withValidity (v: NodeVerdict, at: Date): NodeVerdict {
  // Always a copy: callers may adjust their verdict (e.g. a security stamp check).
  if (v.permit === undefined) return { ...v, checks: [...v.checks] }
  const validity = validityCheck(v.permit, at)
  return { ...v, ...makeVerdict(v.checks.map((c) => c.name === 'validity' ? validity : c)) }
}

/** Create, wire and start a permit node. */
export async function createPermitNode (config: PermitNodeConfig): Promise<PermitNode> {
  const now = config.now ?? Date.now
  const policy: ProvisionalPolicy = { allow: config.provisional?.allow ?? false, issuerTimeoutMs: config.provisional?.issuerTimeoutMs ?? 5000 }
  const { trust, party } = config
  const ledgerInit: LedgerInit = { location: join(config.dataDir, 'ledger'), party, signer: config.signer, trust, now }
  if (config.checkpointInterval !== undefined) ledgerInit.checkpointInterval = config.checkpointInterval
  const ledger = await Ledger.open(ledgerInit)
  // Peer IDs cut off by partition() (fault injection), refused by the gater.
  const isolated = new Set<string>()
  let libp2p: AuthorisedNode
  try {
    libp2p = await createAuthorisedNode({ privateKey: config.peerKey, trust, listen: config.listen ?? ['/ip4/127.0.0.1/tcp/0'], sharedHost: config.sharedHost ?? false, isolated: (id) => isolated.has(id) })
    await handleSync(libp2p, ledger)
    await handleTrustList(libp2p, trust)
    await handleVerify(libp2p, ledger)
    await handleConsume(libp2p, ledger, { trust, now })
    await handleDeliver(libp2p, ledger, { trust, signer: config.signer, now })
    await libp2p.start()
  } catch (err) {
    await ledger.close()
    throw err
  }

  let connections: KeepConnected | undefined
  // An accepted announcement travels on through gossipsub itself; here only redial.
  const gossip = startEventGossip(libp2p, ledger, { trust, onTrustList: () => { connections?.refresh() } })
  const delivery = startDelivery(libp2p, ledger, trust, { intervalMs: config.deliveryIntervalMs ?? 1000 })
  connections = keepConnected(libp2p, () => trust.current?.list.authorities ?? [], config.keepConnected ?? {})

  const peerOf = (p: string): PeerId => {
    const a = authorityOf(trust, p)
    if (a === undefined) throw new PartyNotListedError(`${p} has no granted management authority on the trust list`)
    return peerIdFromString(a.peerId)
  }
  const connectedParties = (): Map<string, PeerId> => {
    const out = new Map<string, PeerId>()
    for (const c of libp2p.getConnections()) {
      const a = trust.byPeerId(c.remotePeer.toString())
      if (a !== undefined && c.status === 'open') out.set(a.party, c.remotePeer)
    }
    return out
  }

  // Catch-up: each log from its author when connected, else from any peer
  // holding a replica. Runs on connect, after a gap (gossip), and periodically.
  const syncing = new Map<string, Promise<void>>()
  const syncAuthor = async (author: string, from: PeerId): Promise<void> => {
    const key = `${author}@${from.toString()}`
    const running = syncing.get(key)
    if (running !== undefined) return await running
    const p = syncLog(libp2p, from, ledger, author).then(() => {}, () => { /* unreachable or refused: the next round retries */ })
      .finally(() => syncing.delete(key))
    syncing.set(key, p)
    return await p
  }
  const syncAll = async (): Promise<void> => {
    const peers = connectedParties()
    const anyPeer = [...peers.values()]
    const authors = new Set((trust.current?.list.authorities ?? []).filter((a) => a.role === 'management-authority').map((a) => a.party))
    for (const a of ledger.authors()) authors.add(a)
    authors.delete(party)
    await Promise.all([...authors].map(async (author) => {
      const from = peers.get(author) ?? anyPeer[Math.floor(Math.random() * anyPeer.length)]
      if (from !== undefined) await syncAuthor(author, from)
    }))
  }
  let stopped = false
  const onConnect = (evt: CustomEvent<PeerId>): void => {
    const a = trust.byPeerId(evt.detail.toString())
    if (a === undefined || stopped) return
    // A peer that (re)appears: take its own log from it, and submit claims it owes an answer to.
    void syncAuthor(a.party, evt.detail)
    void claims.runOnce().catch(() => {})
  }
  libp2p.addEventListener('peer:connect', onConnect)
  const syncTimer = setInterval(() => { if (!stopped) void syncAll() }, config.syncIntervalMs ?? 30_000)
  syncTimer.unref()

  const verdictMemo = new Map<string, { stamp: string, verdict: NodeVerdict }>()
  const verify = async (p: string, number: string): Promise<NodeVerdict> => {
    const claimsHeld = await ledger.claims(p, number)
    const finish = (v: RemoteVerdict, source: NodeVerdict['source']): NodeVerdict => {
      const out: NodeVerdict = { valid: v.valid, checks: v.checks, party: p, number, source, claims: claimsHeld }
      if (v.state !== undefined) out.state = v.state
      if (v.receipt !== undefined) out.receipt = v.receipt
      if (v.permit !== undefined) out.permit = v.permit
      if (v.history !== undefined) out.history = v.history
      return out
    }
    const local = async (answeredBy?: string): Promise<NodeVerdict> => {
      const notFound = (): NodeVerdict => ({ valid: false, party: p, number, source: 'none', claims: claimsHeld, checks: [{ name: 'status', status: 'INVALID', reason: { code: 'PERMIT_NOT_FOUND', message: `${p}/${number} is not known here${p === party ? '' : ', and its issuer could not be asked'}` } }] })
      const at = new Date(now())
      // The verdict from this ledger changes only with the permit's events,
      // its claims or the trust list: memoised on exactly those, with the
      // one time-dependent check (validity) recomputed on every call.
      const s = await ledger.status(p, number)
      if (s === undefined) return notFound()
      const memoKey = `${p}/${number}`
      const stamp = `${s.state.events.join(',')}|${trust.sequence}|${claimsHeld.map((c) => `${c.claimant}#${c.seq}:${c.resolution}`).join(',')}|${answeredBy ?? ''}`
      const hit = verdictMemo.get(memoKey)
      if (hit !== undefined && hit.stamp === stamp) return withValidity(hit.verdict, at)
      const events = await ledger.permitEvents(p, number)
      if (events === undefined) return notFound()
      const v = finish(await judgePermitEvents(events, { party: p, number, trust, now: at, claims: claimsHeld, eventsFromOwnLedger: true, ...(answeredBy !== undefined ? { answeredBy } : {}) }), answeredBy === p ? 'issuer' : 'replica')
      if (verdictMemo.size >= VERDICT_MEMO) verdictMemo.delete(verdictMemo.keys().next().value as string)
      verdictMemo.set(memoKey, { stamp, verdict: v })
      return v
    }
    if (p === party) return await local(party)
    let issuer: PeerId
    try { issuer = peerOf(p) } catch { return await local() }
    try {
      const v = await within(policy.issuerTimeoutMs, verifyRemote(libp2p, issuer, { party: p, number, trust, now: new Date(now()), claims: claimsHeld }))
      return finish(v, 'issuer')
    } catch (err) {
      if (err instanceof ProtocolError) throw err
      return await local()
    }
  }

  const consume = async (p: string, number: string, input: ActionInput): Promise<NodeConsumeResult> => {
    if (p === party) {
      // This authority's own permit used at one of its own ports (rare: a
      // permit for import into the issuing country). Same rule as over the wire.
      const s = await ledger.status(p, number)
      if (s !== undefined && s.state.destination !== party) return { outcome: 'REFUSED', code: 'NOT_DESTINATION', message: `${p}/${number} is for ${s.state.destination}, not ${party}` }
      try {
        return { outcome: 'CONSUMED', code: 'OK', message: '', receipt: await ledger.consume(p, number, { ...input, consumingParty: party }) }
      } catch (err) {
        const e = err as { code?: string, message: string, receipt?: Receipt }
        if (typeof e.code !== 'string') throw err
        return { outcome: 'REFUSED', code: e.code, message: e.message, ...(e.receipt !== undefined ? { receipt: e.receipt } : {}) }
      }
    }
    const issuer = peerOf(p)
    const ask = { party: p, number, lines: input.lines, port: input.port, ...(input.officer !== undefined ? { officer: input.officer } : {}) }
    let reason: string
    try {
      const out = await within(policy.issuerTimeoutMs, requestConsumption(libp2p, issuer, ask, { requester: party, signer: config.signer, trust, now: now() }))
      if (out.receipt !== undefined) await keepEvent(out.receipt.event, p, issuer)
      const { event: _e, ...receipt } = out.receipt ?? { event: undefined }
      const r = out.receipt !== undefined ? { receipt: receipt as Receipt } : {}
      return out.code === 'OK' ? { outcome: 'CONSUMED', code: 'OK', message: '', ...r } : { outcome: 'REFUSED', code: out.code, message: out.message, ...r }
    } catch (err) {
      if (err instanceof ProtocolError) throw err
      reason = `${p}'s node did not answer: ${(err as Error).message}`
    }
    if (!policy.allow) throw new IssuerUnreachableError(`${reason}; this node's policy does not allow a provisional use`)
    // Judge the permit from the replica before recording anything on it.
    const v = await verify(p, number)
    if (!v.valid) {
      const failing = v.checks.filter((c) => c.status === 'INVALID' || c.status === 'ERROR').map((c) => c.reason.code)
      return { outcome: 'REFUSED', code: failing.includes('ALREADY_CONSUMED_PROVISIONALLY') ? 'ALREADY_CONSUMED_PROVISIONALLY' : failing.includes('ALREADY_CONSUMED') ? 'ALREADY_CONSUMED' : 'PERMIT_INVALID', message: `refused from this node's replica: ${failing.join(', ')}`, ...(v.receipt !== undefined ? { receipt: v.receipt } : {}) }
    }
    try {
      const claim = await ledger.consumeProvisionally(p, number, { ...input, reason: reason.slice(0, 300) })
      return { outcome: 'PROVISIONAL', code: 'PROVISIONAL', message: `recorded provisionally: not confirmed by issuer (${reason})`, claim }
    } catch (err) {
      const e = err as { code?: string, message: string }
      if (typeof e.code !== 'string') throw err
      return { outcome: 'REFUSED', code: e.code, message: e.message }
    }
  }

  /** Keep a signed event of the issuer's log that reached us in an answer; sync if it does not fit yet. */
  const keepEvent = async (event: Uint8Array, author: string, from: PeerId): Promise<void> => {
    try {
      const [r] = await ledger.acceptEvents([event])
      if (r?.status === 'held') await syncAuthor(author, from)
    } catch { /* gossip and sync bring it anyway */ }
  }

  const permitChecks = startPermitChecker({ ledger, trust, party, perSecond: config.permitChecksPerSecond ?? 50 })
  const claims = startClaimSubmitter({ libp2p, ledger, trust, signer: config.signer, party, intervalMs: config.claimIntervalMs ?? 2000, timeoutMs: policy.issuerTimeoutMs, keepEvent, peerOf, now })

  const node: PermitNode = {
    party,
    peerId: libp2p.peerId,
    libp2p,
    ledger,
    trust,
    gossip,
    delivery,
    claims,
    permitChecks,
    connections,
    policy,
    addresses: () => libp2p.getMultiaddrs().map((a) => a.toString()),
    issue: async (permit) => {
      const r = await ledger.issue(permit)
      return { state: r.state, signedXml: r.signedXml }
    },
    recordSigned: async (xml) => ({ state: (await ledger.recordSigned(xml)).state }),
    endorse: async (p, number, input) => await ledger.endorse(p, number, input),
    cancel: async (p, number, reason) => await ledger.cancel(p, number, reason),
    peerParties: () => [...connectedParties().keys()].sort(),
    peerScores: () => {
      const out: Record<string, number> = {}
      for (const [p, id] of [...connectedParties()].sort(([a], [b]) => a.localeCompare(b))) out[p] = Math.round(gossipScore(libp2p, id.toString()) * 100) / 100
      return out
    },
    verify,
    consume,
    syncAll,
    acceptTrustList: async (xml) => {
      const { list, dropped } = await applyTrustList(libp2p, trust, xml)
      connections?.refresh()
      gossip.announceTrustList()
      return { sequence: list.list.sequence, dropped }
    },
    partition: async (parties) => {
      for (const p of parties) for (const a of trust.byParty(p)) isolated.add(a.peerId)
      await Promise.all(libp2p.getConnections().filter((c) => isolated.has(c.remotePeer.toString())).map(async (c) => { await c.close().catch(() => { c.abort(new Error('partitioned')) }) }))
    },
    heal: () => {
      isolated.clear()
      connections?.refresh()
    },
    status: async () => {
      const deliveries: Record<DeliveryState, number> = { pending: 0, delivered: 0, failed: 0 }
      for (const d of await ledger.deliveries()) deliveries[d.state]++
      const logs: Record<string, number> = {}
      for (const [a, h] of ledger.heads()) logs[a] = h.size
      return {
        party,
        peerId: libp2p.peerId.toString(),
        addresses: node.addresses(),
        peers: node.peerParties(),
        logs,
        deliveries,
        openClaims: (await ledger.openClaims()).length,
        alerts: (await ledger.alerts()).length,
        gossip: { ...gossip.stats },
        permitChecks: { ...permitChecks.stats },
        peerScores: node.peerScores(),
        trustListSequence: trust.sequence
      }
    },
    alerts: async () => await ledger.alerts(),
    stop: async () => {
      if (stopped) return
      stopped = true
      clearInterval(syncTimer)
      libp2p.removeEventListener('peer:connect', onConnect)
      claims.stop()
      permitChecks.stop()
      delivery.stop()
      connections?.stop()
      gossip.stop()
      await libp2p.stop()
      await Promise.allSettled([...syncing.values()])
      await ledger.close()
    }
  }
  return node
}
