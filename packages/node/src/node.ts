/**
 * One CITES permit node (ARCHITECTURE.md): the authority's ledger, its trust
 * store, the authorised libp2p node, and every protocol and worker wired
 * together. This is what `cites node start` runs and what the HTTP API and
 * the pilot network drive.
 */
import { join } from 'node:path'
import { peerIdFromString } from '@libp2p/peer-id'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import { KeyedMutex, Ledger, checkedActor, type ActOptions, type ActionInput, type Alert, type ClaimView, type DeliveryState, type EventView, type IssuePolicy, type LedgerInit, type PermitState, type Receipt } from '@cites/ledger'
import type { Permit, Verdict } from '@cites/permit'
import type { CertificateInfo, Signer } from '@cites/xml-signature'
import type { Authority, TrustStore } from '@cites/trust-list'
import { errorCode, errorMessage, type Logger, type WorkerStats } from '@cites/runtime'
import {
  Misbehaviour, applyTrustList, consumeService, createAuthorisedNode, deliverService, keepConnected, ledgerConsumePort, ledgerDeliverPort, ledgerSyncPort, ledgerVerifyPort, logFor, loggedElsewhere,
  startDelivery, startEventGossip, gossipScore, syncService, trustListService, trustStorePort, verifyService, documentService, ledgerDocumentPort, versionRefusalServices, RefusalCounts,
  type AuthorisedNode, type DeliveryWorker, type EventGossip,
  type GossipStats, type KeepConnected, type KeepConnectedOptions
} from '@cites/protocol'
import { medianOffset, type ClockEstimate, type PeerClockOffset } from '@cites/protocol'
import { PartyNotListedError } from './errors.js'
import { checkAgainstReference, sharedReferenceData, type ReferenceData, type ReferenceProblem } from '@cites/refdata'
import { PermitRefusedError } from '@cites/xml-signature'

/** How long the issuer syncs a claimant's log before answering a claim it does not hold yet (CLAIM_UNKNOWN). */
import { startClaimSubmitter, type ClaimSubmitter } from './claims.js'
import { startPermitChecker, type PermitChecker, type PermitCheckStats } from './permit-checks.js'
import { DEFAULT_DOCUMENT_YEARS, startRetention } from './retention.js'
import { startCatchUp, type CatchUp } from './catch-up.js'
import { verifyOperation } from './verify.js'
import { consumeOperation, type UseInput } from './use.js'
import { IssuerLanes } from './issuer-lanes.js'
import { recordOperations, type RecordOperations } from './records.js'
import { importPermitCheck, type ImportPermitUse, type IssueWarning } from './import-permits.js'
import { quotaCheck, quotaFileOf, type QuotaFigure } from './quotas.js'
import { reexportChainCheck, type ReexportWarning } from './reexport-chains.js'

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
  /**
   * Years a permit document is kept after the later of its Box 2 end and its
   * last event, then erased with its key (retention.ts). @default 5
   */
  documentYears?: number
  /** How often every log is caught up from the network (anti-entropy, ms). @default 30000 */
  syncIntervalMs?: number
  keepConnected?: KeepConnectedOptions
  checkpointInterval?: number
  /** The rules of issuing: the authority's time zone, issue-date tolerance, validity-start grace (LedgerInit.issuePolicy). */
  issuePolicy?: IssuePolicy
  /** Clock (ms), for tests. @default Date.now */
  now?: () => number
  /**
   * The process's root logger (the node service passes its pino root): each
   * component logs through a named child (`node`, `gossip`, `sync`,
   * `delivery`, `claims`, `permit-checks`, `keep-connected`, `verify`,
   * `consume`, `deliver`, `trust-list`). @default silent
   */
  log?: Logger
  /**
   * The CITES reference data (issue 14): the snapshot file (default: the
   * one shipped with @cites/refdata, loaded once per process) and whether a
   * trade suspension in force warns or refuses at issuance. @default { suspensions: 'warn' }
   */
  refdata?: { snapshot?: string, suspensions?: 'warn' | 'refuse' }
  /** The operator's quota register (quotas.ts). @default DIR/quotas.json in dataDir */
  quotaFile?: string
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
  /** CONSUMED at the destination: what became of this authority's import permits the export cites (ledger.md §3.6). */
  importPermits?: ImportPermitUse[]
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
  /** The reference data the node checks permits against: its snapshot's date. */
  refdata: { snapshotDate: string, suspensions: 'warn' | 'refuse' }
}

/**
 * The parts a node is built from. For tests, benchmarks and tools that
 * inspect or drive a part directly; the HTTP API, metrics, the CLI and the
 * pilot use only the node's operations.
 */
export interface PermitNodeInternals {
  readonly libp2p: AuthorisedNode
  readonly ledger: Ledger
  readonly gossip: EventGossip
  readonly delivery: DeliveryWorker
  readonly claims: ClaimSubmitter
  /** Background XML-DSig checks of replicated permits. */
  readonly permitChecks: PermitChecker
  readonly connections: KeepConnected
}

/** One permit node: what it is, and the operations on it. */
export interface PermitNode extends RecordOperations {
  readonly party: string
  readonly peerId: PeerId
  readonly trust: TrustStore
  readonly policy: ProvisionalPolicy
  /** The parts, for tests and tools; not for serving. */
  readonly internals: PermitNodeInternals
  /** This authority's permit-signing certificate (the signer's), for readiness and metrics. */
  readonly certificate: CertificateInfo
  /** The node's clock (ms): the one its ledger and checks use. */
  now: () => number
  /** Throws unless the ledger can be written now (a small write, or LEDGER_READ_ONLY without the signing key). */
  probeLedger: () => Promise<void>
  /** Listen addresses with the peer ID. */
  addresses: () => string[]
  /**
   * Sign a permit as this authority and record its issuance (gossiped and
   * delivered). An export or re-export citing the destination's import
   * permit is checked against the destination's log first (ledger.md §3.6);
   * `warnings` says what could not be checked. An export is checked against
   * this party's quotas (QUOTA_EXCEEDED; Box 11a filled in, `quotas` the
   * figures) and a re-export against the permits its lines cite (ledger.md
   * §3.7, §3.8). A permit with `replacement`
   * replaces the one it names (REPLACED and ISSUED, one act).
   *
   * Every act takes the acting account (`opts.actor`, or `input.actor`): its
   * pseudonymous ID is signed into the event, and the free-text `officer` is
   * then not written (ledger.md §2.3). A malformed ID is ACTOR_INVALID (422).
   */
  issue: (permit: Permit, opts?: ActOptions) => Promise<{ state: PermitState, signedXml: string, warnings: Array<IssueWarning | ReferenceProblem | ReexportWarning>, quotas: QuotaFigure[] }>
  /** The CITES reference data this node checks permits against at issuance and in verdicts. */
  readonly refdata: { data: ReferenceData, suspensions: 'warn' | 'refuse' }
  /** Record a permit signed by this authority's own permit system. */
  recordSigned: (signedXml: string, opts?: ActOptions) => Promise<{ state: PermitState }>
  /** Box 14 on one of this authority's permits (the ledger refuses another party's: NOT_ISSUER). */
  endorse: (party: string, number: string, input: ActionInput) => Promise<PermitState>
  cancel: (party: string, number: string, reason: string, opts?: ActOptions) => Promise<PermitState>
  /** Record that an endorsed export did not happen (EXPORT_VOIDED); then the permit may be cancelled. */
  voidExport: (party: string, number: string, reason: string, opts?: ActOptions) => Promise<PermitState>
  /** Parties of the connected authorised peers, sorted. */
  peerParties: () => string[]
  /** This node's gossip score for each connected authority, by party. */
  peerScores: () => Record<string, number>
  /** The customs verdict: asked of the issuer's node; from this node's replica if the issuer cannot be reached in time. */
  verify: (party: string, number: string) => Promise<NodeVerdict>
  /**
   * Record a use at import: asked of the issuer; provisional if the issuer is
   * unreachable and the policy allows it. `input.actor` travels in the signed
   * request, and the issuer writes it as the CONSUMED event's actor. A
   * presented `input.document` lets a provisional use be judged when the
   * delivery has not reached this node.
   */
  consume: (party: string, number: string, input: UseInput) => Promise<NodeConsumeResult>
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
  /**
   * The connected listed peers' clocks against ours (network.md §4.2): each
   * one's latest sample from the heads exchange (at most 5 minutes old), and
   * their median, which readiness judges (one liar cannot move it past the
   * middle).
   */
  clockOffsets: () => ClockEstimate & { samples: PeerClockOffset[] }
  /** Runs and failures of each background worker (delivery, claims, sync, permit-checks, keep-connected). */
  workers: () => Record<string, WorkerStats>
  /** Gossip validation outcomes and background permit-check counts, now (for metrics). */
  /** Gossip and permit-check counts; consume refusals by code and requests answered PEER_RATE_LIMITED (network.md §7.2). */
  counters: () => { gossip: GossipStats, permitChecks: PermitCheckStats, consume: { refusals: Record<string, number>, rateLimited: number }, versionRefusals: Record<string, number>, documentRefusals: Record<string, number>, documentsErased: number }
  alerts: () => Promise<Alert[]>
  stop: () => Promise<void>
}

/** The granted management authority of a party, if listed. */
function authorityOf (trust: TrustStore, party: string): Authority | undefined {
  return trust.byParty(party).find((a) => a.role === 'management-authority' && a.status === 'granted')
}

/** A module built by createPermitNode; modules stop in the reverse order of their building. */
interface Module { name: string, stop: () => Promise<void> | void }

/**
 * Create, wire and start a permit node. Modules are built in order (ledger,
 * libp2p with the protocol services, gossip, delivery, keep-connected,
 * catch-up, permit checks, claims), each needing only those before it, and
 * stopped in the reverse order; a failure half-way stops what was built.
 */
export async function createPermitNode (config: PermitNodeConfig): Promise<PermitNode> {
  const now = config.now ?? Date.now
  const log = logFor(config.log, 'node')
  const childLog = { log: config.log }
  const policy: ProvisionalPolicy = { allow: config.provisional?.allow ?? false, issuerTimeoutMs: config.provisional?.issuerTimeoutMs ?? 5000 }
  const { trust, party } = config
  // Shared per process and path: every node of a pilot or a test loads it once.
  const refdata = { data: sharedReferenceData(config.refdata?.snapshot), suspensions: config.refdata?.suspensions ?? 'warn' as const }
  const modules: Module[] = []
  const stopModules = async (): Promise<void> => {
    for (const m of [...modules].reverse()) {
      try {
        await m.stop()
      } catch (err) {
        log.warn({ code: errorCode(err, 'STOP_FAILED'), module: m.name }, `${m.name} did not stop cleanly: ${errorMessage(err)}`)
      }
    }
    modules.length = 0
  }

  try {
    const ledgerInit: LedgerInit = { location: join(config.dataDir, 'ledger'), party, signer: config.signer, trust, now }
    if (config.checkpointInterval !== undefined) ledgerInit.checkpointInterval = config.checkpointInterval
    if (config.issuePolicy !== undefined) ledgerInit.issuePolicy = config.issuePolicy
    const ledger = await Ledger.open(ledgerInit)
    modules.push({ name: 'ledger', stop: async () => { await ledger.close() } })

    // Peer IDs cut off by partition() (fault injection), refused by the gater.
    const isolated = new Set<string>()
    // Refused consume requests cost the requesting peer budget and gossip score (network.md §7.2).
    const misbehaviour = new Misbehaviour({ now })
    // Refused v1 requests (network.md §2.1) and refused document requests (§8.1), counted for /metrics.
    const versionRefusals = new RefusalCounts()
    const documentRefusals = new RefusalCounts()
    // The consume port syncs a claimant's log before answering CLAIM_UNKNOWN; catch-up starts after libp2p.
    let claimantSync: CatchUp | undefined
    // The protocol services are libp2p services: libp2p gives each its
    // registrar and starts (handle) and stops (unhandle) them with itself.
    const libp2p = await createAuthorisedNode({
      privateKey: config.peerKey, trust, listen: config.listen ?? ['/ip4/127.0.0.1/tcp/0'], sharedHost: config.sharedHost ?? false, isolated: (id) => isolated.has(id),
      appScore: (id) => misbehaviour.score(id),
      services: {
        sync: syncService({ port: ledgerSyncPort(ledger, undefined, now), ...childLog }),
        trustList: trustListService({ port: trustStorePort(trust), ...childLog }),
        verify: verifyService({ port: ledgerVerifyPort(ledger), ...childLog }),
        consume: consumeService({
          port: ledgerConsumePort({ ledger, trust, now, misbehaviour, catchUp: async (author, peer) => { await claimantSync?.caughtUp(author, peer, 'a claim check') }, ...childLog }),
          ...childLog
        }),
        deliver: deliverService({ port: ledgerDeliverPort(ledger, { trust, signer: config.signer, now, ...childLog }), ...childLog }),
        // r17: a permit's document, only to the issuer's and the destination's nodes (NOT_A_PARTY, counted and charged).
        document: documentService({ port: ledgerDocumentPort({ ledger, trust, misbehaviour, onRefused: documentRefusals.count, ...childLog }), ...childLog }),
        // The v1 ids answer only EVENT_VERSION_MISMATCH: a v1 node and this one never exchange events.
        ...versionRefusalServices({ onRefused: versionRefusals.count, ...childLog })
      }
    })
    modules.push({ name: 'libp2p', stop: async () => { await libp2p.stop() } })
    await libp2p.start()

    let connections: KeepConnected | undefined
    // An accepted announcement travels on through gossipsub itself; here only redial.
    const gossip = startEventGossip(libp2p, ledger, { trust, onTrustList: () => { connections?.refresh() }, penalise: (peer, points) => { misbehaviour.penalise(peer, points) }, ...childLog })
    modules.push({ name: 'gossip', stop: gossip.stop })
    const delivery = startDelivery(libp2p, ledger, trust, { intervalMs: config.deliveryIntervalMs ?? 1000, ...childLog })
    modules.push({ name: 'delivery', stop: delivery.stop })
    connections = keepConnected(libp2p, () => trust.current?.list.authorities ?? [], { ...config.keepConnected, ...childLog })
    modules.push({ name: 'keep-connected', stop: connections.stop })

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

    let claims: ClaimSubmitter | undefined
    // A peer that (re)appears: submit the claims it owes an answer to.
    const catchUp: CatchUp = startCatchUp({ libp2p, ledger, trust, party, intervalMs: config.syncIntervalMs ?? 30_000, connectedParties, now, onPeer: () => { claims?.runOnce().catch(loggedElsewhere) }, ...childLog })
    modules.push({ name: 'sync', stop: catchUp.stop })
    claimantSync = catchUp

    /** Keep a signed event of the issuer's log that reached us in an answer; sync if it does not fit yet. */
    const keepEvent = async (event: Uint8Array, author: string, from: PeerId): Promise<void> => {
      try {
        const [r] = await ledger.acceptEvents([event])
        if (r?.status === 'held') await catchUp.syncAuthor(author, from)
      } catch (err) {
        // Gossip and sync bring it anyway.
        log.debug({ code: errorCode(err, 'EVENT_NOT_KEPT'), author }, `an event from an answer was not kept: ${errorMessage(err)}`)
      }
    }

    const permitChecks = startPermitChecker({ ledger, trust, party, perSecond: config.permitChecksPerSecond ?? 50, ...childLog })
    modules.push({ name: 'permit-checks', stop: permitChecks.stop })
    const retention = startRetention({ ledger, documentYears: config.documentYears ?? DEFAULT_DOCUMENT_YEARS, now, log: log.child({ component: 'retention' }) })
    modules.push({ name: 'retention', stop: retention.stop })
    claims = startClaimSubmitter({ libp2p, ledger, trust, signer: config.signer, party, intervalMs: config.claimIntervalMs ?? 2000, timeoutMs: policy.issuerTimeoutMs, keepEvent, peerOf, now, ...childLog })
    modules.push({ name: 'claims', stop: claims.stop })

    // One bounded lane per issuer and protocol for verify and consume requests (issue 16).
    const lanes = new IssuerLanes()
    const verify = verifyOperation({ refdata, party, libp2p, ledger, trust, issuerTimeoutMs: () => policy.issuerTimeoutMs, peerOf, lanes, now, log: logFor(config.log, 'verify') })
    const consume = consumeOperation({ party, libp2p, ledger, trust, signer: config.signer, policy, peerOf, verify, keepEvent, lanes, now, log: logFor(config.log, 'consume') })

    const checkImportPermits = importPermitCheck({ party, ledger, trust, caughtUp: async (p) => await catchUp.caughtUp(p, peerOf(p), 'the import permit check'), now, log })
    // Quotas and re-export balances (issue 14): one lane for the check and the signing, so two permits cannot both take the last of a quota or an import.
    const checkQuotas = quotaCheck({ party, ledger, file: config.quotaFile ?? quotaFileOf(config.dataDir), now, refdata: refdata.data, ...(config.issuePolicy?.timeZone !== undefined ? { timeZone: config.issuePolicy.timeZone } : {}) })
    const checkReexportChain = reexportChainCheck({ party, ledger, listed: (p) => authorityOf(trust, p) !== undefined, caughtUp: async (p) => await catchUp.caughtUp(p, peerOf(p), 'the re-export check'), now, log, refdata: refdata.data })
    const balanceLane = new KeyedMutex()

    let stopped = false
    let lastStatus: NodeStatus | undefined
    // Read from the ledger; stopping closes it (status() then keeps the last).
    const readStatus = async (): Promise<NodeStatus> => {
      const deliveries: Record<DeliveryState, number> = { pending: 0, delivered: 0, failed: 0 }
      for (const d of await ledger.deliveries()) deliveries[d.state]++
      const logs = node.logSizes()
      lastStatus = {
        party,
        peerId: libp2p.peerId.toString(),
        addresses: node.addresses(),
        peers: node.peerParties(),
        logs,
        deliveries,
        openClaims: await node.openClaims(),
        alerts: (await ledger.alerts()).length,
        gossip: { ...gossip.stats },
        permitChecks: { ...permitChecks.stats },
        peerScores: node.peerScores(),
        trustListSequence: trust.sequence,
        refdata: { snapshotDate: refdata.data.snapshotDate, suspensions: refdata.suspensions }
      }
      return structuredClone(lastStatus)
    }
    const node: PermitNode = {
      party,
      peerId: libp2p.peerId,
      trust,
      policy,
      internals: { libp2p, ledger, gossip, delivery, claims, permitChecks, connections },
      certificate: config.signer.certificate,
      refdata,
      now,
      probeLedger: async () => { await ledger.probeWrite() },
      ...recordOperations({ party, ledger, libp2p, trust, dataDir: config.dataDir }),
      addresses: () => libp2p.getMultiaddrs().map((a) => a.toString()),
      issue: async (permit, opts = {}) => {
        // Before anything is signed: a refused import permit (or a malformed actor) leaves no trace in the log.
        checkedActor(opts.actor)
        // The reference-data rules (issue 14): an error refuses before anything is signed, warnings go in the answer.
        const reference = checkAgainstReference(permit, refdata.data, { on: permit.issueDate ?? new Date(now()).toISOString(), suspensions: refdata.suspensions })
        const refusing = reference.filter((p) => p.severity === 'error')
        if (refusing.length > 0) throw new PermitRefusedError(`permit ${permit.number.slice(0, 70)} refused: ${refusing.map((p) => p.code).join(', ')}`, reference)
        const warnings: Array<IssueWarning | ReferenceProblem | ReexportWarning> = [...reference, ...await checkImportPermits(permit)]
        if (permit.type !== 'E' && permit.type !== 'R') {
          const r = await ledger.issue(permit, opts)
          return { state: r.state, signedXml: r.signedXml, warnings, quotas: [] }
        }
        // Exports and re-exports one at a time: two cannot both take the last of a quota or of an imported balance.
        return await balanceLane.run('issue', async () => {
          warnings.push(...await checkReexportChain(permit))
          const q = await checkQuotas(permit)
          const r = await ledger.issue(q.permit, opts)
          return { state: r.state, signedXml: r.signedXml, warnings, quotas: q.quotas }
        })
      },
      recordSigned: async (xml, opts = {}) => ({ state: (await ledger.recordSigned(xml, opts)).state }),
      endorse: async (p, number, input) => await ledger.endorse(p, number, input),
      cancel: async (p, number, reason, opts = {}) => await ledger.cancel(p, number, reason, opts),
      voidExport: async (p, number, reason, opts = {}) => await ledger.voidExport(p, number, reason, opts),
      peerParties: () => [...connectedParties().keys()].sort(),
      peerScores: () => {
        const out: Record<string, number> = {}
        for (const [p, id] of [...connectedParties()].sort(([a], [b]) => a.localeCompare(b))) out[p] = Math.round(gossipScore(libp2p, id.toString()) * 100) / 100
        return out
      },
      verify,
      consume,
      syncAll: catchUp.syncAll,
      acceptTrustList: async (xml) => {
        const { list, dropped } = await applyTrustList(libp2p, trust, xml)
        log.info({ sequence: list.list.sequence, dropped: dropped.length }, 'a newer trust list was installed')
        connections?.refresh()
        gossip.announceTrustList()
        return { sequence: list.list.sequence, dropped }
      },
      partition: async (parties) => {
        for (const p of parties) for (const a of trust.byParty(p)) isolated.add(a.peerId)
        log.info({ parties }, 'partitioned (fault injection)')
        await Promise.all(libp2p.getConnections().filter((c) => isolated.has(c.remotePeer.toString())).map(async (c) => { await c.close().catch(() => { c.abort(new Error('partitioned')) }) }))
      },
      heal: () => {
        isolated.clear()
        log.info('partitions healed (fault injection)')
        connections?.refresh()
      },
      status: async () => {
        // While the node stops, its ledger closes: the last status stands (a status poll must not fail then,
        // nor one that began just before the stop and reads the ledger as it closes).
        if (stopped && lastStatus !== undefined) return structuredClone(lastStatus)
        return await readStatus().catch((err: unknown) => {
          if (stopped && lastStatus !== undefined) return structuredClone(lastStatus)
          throw err
        })
      },
      clockOffsets: () => {
        const samples = catchUp.clocks.current(now(), connectedParties().keys())
        return { ...medianOffset(samples), samples }
      },
      counters: () => ({ gossip: { ...gossip.stats }, permitChecks: { ...permitChecks.stats }, consume: { refusals: Object.fromEntries(misbehaviour.refusals), rateLimited: misbehaviour.limited }, versionRefusals: versionRefusals.toJSON(), documentRefusals: documentRefusals.toJSON(), documentsErased: retention.erased() }),
      workers: () => ({ delivery: delivery.stats, claims: claims.stats, sync: catchUp.stats, 'permit-checks': permitChecks.workerStats, 'keep-connected': connections.stats, retention: retention.stats }),
      alerts: async () => await ledger.alerts(),
      stop: async () => {
        if (stopped) return
        stopped = true
        await stopModules()
        log.info('stopped')
      }
    }
    log.info({ peerId: libp2p.peerId.toString(), modules: modules.map((m) => m.name) }, 'started')
    return node
  } catch (err) {
    log.error({ code: errorCode(err, 'START_FAILED') }, `the node did not start: ${errorMessage(err)}`)
    await stopModules()
    throw err
  }
}
