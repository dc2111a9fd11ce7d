/**
 * What a permit node tells about what it holds, as operations (the HTTP API,
 * metrics and tools call these, never the ledger or libp2p directly): a
 * permit with its history, the signed document, deliveries, the audit of
 * every log, the annual report, and the connected peers.
 */
import { annualReport, annualReportCsv, isPartyTo, type DeliveryRecord, type ReportKind, type DeliveryState, type Ledger, type PermitState, type PermitView } from '@cites/ledger'
import { paperPermitsFile, readPaperPermits } from './paper-permits.js'
import type { TrustStore } from '@cites/trust-list'
import type { AuthorisedNode } from '@cites/protocol'

export interface PeerConnection {
  peerId: string
  party: string | undefined
  connections: Array<{ address: string, direction: string, since: string }>
}

export interface AuditReport {
  party: string
  logs: Array<{ author: string, size: number, ok: boolean, problems: Array<{ seq: number, code: string, message: string }> }>
  /** Permits held, by issuing party. */
  permits: Record<string, number>
  /** Alerts naming a permit its issuer signed as used twice (the state keeps the first use). */
  consumedTwice: string[]
}

export interface RecordOperations {
  /** A permit with its status and history as held here; `waitMs` waits for it to arrive (replication measurements). */
  permit: (party: string, number: string, waitMs?: number) => Promise<PermitView | undefined>
  /** The signed eCITES XML of a permit held here. */
  signedXml: (party: string, number: string, waitMs?: number) => Promise<string | undefined>
  /** Deliveries of this authority's ISSUED events (without the signed acknowledgements). */
  deliveries: (state?: DeliveryState) => Promise<Array<Omit<DeliveryRecord, 'ack'>>>
  /** Every log held, checked end to end; and the permits used twice. */
  audit: () => Promise<AuditReport>
  /** One file of the CITES annual report for `year` (Trade Database upload template, CSV), with how many lines it had to leave out. */
  annualReport: (year: number, kind: ReportKind) => Promise<{ csv: string, leftOut: number }>
  /** Connected peers, one entry per peer. */
  peers: () => PeerConnection[]
  /** Events held per authority log. */
  logSizes: () => Record<string, number>
  /** Provisional uses recorded here that the issuer has not yet answered. */
  openClaims: () => Promise<number>
}

const iso = (ms: number): string => new Date(ms).toISOString()

/**
 * A permit view as the HTTP API answers it: every date ISO 8601 (issue 20:
 * GET answered epoch milliseconds), the rest as the ledger holds it.
 */
export function permitViewJson (v: PermitView): Record<string, unknown> {
  return { ...v, state: permitStateJson(v.state), claims: v.claims.map((c) => ({ ...c, time: iso(c.time) })) }
}

/** A permit state as the HTTP API answers it: every date ISO 8601. */
export function permitStateJson (s: PermitState): Record<string, unknown> {
  const state: Record<string, unknown> = {
    ...s,
    validFrom: iso(s.validFrom),
    validUntil: iso(s.validUntil),
    issueTime: iso(s.issueTime)
  }
  if (s.endorsement !== undefined) state.endorsement = { ...s.endorsement, date: iso(s.endorsement.date) }
  if (s.cancellation !== undefined) state.cancellation = { ...s.cancellation, time: iso(s.cancellation.time) }
  if (s.replacement !== undefined) state.replacement = { ...s.replacement, time: iso(s.replacement.time) }
  if (s.refusedClaims !== undefined) state.refusedClaims = s.refusedClaims.map((r) => ({ ...r, time: iso(r.time) }))
  if (s.refusedUses !== undefined) state.refusedUses = s.refusedUses.map((r) => ({ ...r, time: iso(r.time) }))
  if (s.voidedExports !== undefined) state.voidedExports = s.voidedExports.map((r) => ({ ...r, date: iso(r.date), time: iso(r.time) }))
  return state
}

/** Poll this node's own ledger (one read every 5 ms, never the network) until `held()` or `waitMs` (at most 30 s) passes. */
async function until (held: () => Promise<boolean>, waitMs: number): Promise<void> {
  const end = Date.now() + Math.min(Math.max(waitMs, 0), 30_000)
  while (Date.now() < end && !await held()) await new Promise((resolve) => setTimeout(resolve, 5))
}

export function recordOperations (o: { party: string, ledger: Ledger, libp2p: AuthorisedNode, trust: TrustStore, dataDir: string }): RecordOperations {
  const { ledger, libp2p, trust } = o
  return {
    permit: async (party, number, waitMs = 0) => { await until(async () => await ledger.status(party, number) !== undefined, waitMs); return await ledger.getPermit(party, number) },
    signedXml: async (party, number, waitMs = 0) => {
      const start = Date.now()
      await until(async () => await ledger.status(party, number) !== undefined, waitMs)
      // The destination's document follows the event (its delivery): wait for it too, within the same bound.
      const s = (await ledger.status(party, number))?.state
      if (s !== undefined && isPartyTo(s, o.party) && s.party !== o.party) await until(async () => await ledger.documentStatus(party, number) !== 'absent', waitMs - (Date.now() - start))
      return await ledger.signedXml(party, number)
    },
    deliveries: async (state) => (await ledger.deliveries(state)).map(({ ack: _ack, ...d }) => d),
    audit: async () => {
      const logs: AuditReport['logs'] = []
      for (const author of ledger.authors()) {
        const v = await ledger.verifyLog(author)
        logs.push({ author, size: v.size, ok: v.ok, problems: v.problems.slice(0, 20) })
      }
      // A permit is used twice only if its issuer signed a second CONSUMED:
      // the state machine refuses it and a TRANSITION_REFUSED alert names it.
      const consumedTwice = (await ledger.alerts()).filter((a) => a.kind === 'TRANSITION_REFUSED' && a.code === 'ALREADY_CONSUMED').map((a) => a.message)
      const permits: Record<string, number> = {}
      for await (const st of ledger.permits()) permits[st.party] = (permits[st.party] ?? 0) + 1
      return { party: o.party, logs, permits, consumedTwice }
    },
    annualReport: async (year, kind) => {
      // The paper permits are read at each report: `cites report add-paper` writes them while the node runs.
      const r = await annualReport(ledger, year, { paper: readPaperPermits(paperPermitsFile(o.dataDir)) })
      return { csv: annualReportCsv(r, kind), leftOut: r.leftOut.filter((x) => x.kind === kind).length }
    },
    peers: () => {
      const peers = new Map<string, PeerConnection>()
      for (const c of libp2p.getConnections()) {
        const id = c.remotePeer.toString()
        const p = peers.get(id) ?? { peerId: id, party: trust.byPeerId(id)?.party, connections: [] }
        p.connections.push({ address: c.remoteAddr.toString(), direction: c.direction, since: new Date(c.timeline.open).toISOString() })
        peers.set(id, p)
      }
      return [...peers.values()]
    },
    logSizes: () => Object.fromEntries([...ledger.heads()].map(([a, h]) => [a, h.size])),
    openClaims: async () => (await ledger.openClaims()).length
  }
}
