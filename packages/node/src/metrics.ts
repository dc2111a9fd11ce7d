/**
 * Prometheus metrics (prom-client), one registry per node so that several
 * nodes can share a process (tests, the pilot). Counters are fed by the HTTP
 * layer; gauges are read from the node when scraped. Node's default metrics
 * (event-loop lag, heap, GC, ...) are the process's: collected once per
 * process and registered in every node's registry.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Metric } from 'prom-client'
import type { PermitNode } from './node.js'
import type { AccountRegistry } from './accounts.js'

export interface NodeMetrics {
  registry: Registry
  verifications: Counter<'result' | 'source'>
  consumptions: Counter<'outcome'>
  refusals: Counter<'code'>
  issued: Counter
  httpLatency: Histogram<'route' | 'method' | 'status'>
  signInFailures: Counter<'reason'>
}

/** The process's default metrics: one event-loop monitor and one GC observer, however many nodes the process runs. */
let processMetrics: Registry | undefined
function processRegistry (): Registry {
  if (processMetrics === undefined) {
    processMetrics = new Registry()
    collectDefaultMetrics({ register: processMetrics })
  }
  return processMetrics
}

export function createMetrics (node: PermitNode, accounts?: AccountRegistry): NodeMetrics {
  const registry = new Registry()
  // prom-client's declared type says MetricObject; the registry holds the metrics themselves.
  for (const metric of processRegistry().getMetricsAsArray() as unknown as Metric[]) registry.registerMetric(metric)
  registry.setDefaultLabels({ party: node.party })
  const m: NodeMetrics = {
    registry,
    verifications: new Counter({ name: 'cites_verifications_total', help: 'Customs verifications, by result (valid/invalid) and source (issuer/replica/none)', labelNames: ['result', 'source'], registers: [registry] }),
    consumptions: new Counter({ name: 'cites_consumptions_total', help: 'Uses at import recorded through this node, by outcome (CONSUMED/PROVISIONAL/REFUSED)', labelNames: ['outcome'], registers: [registry] }),
    refusals: new Counter({ name: 'cites_refusals_total', help: 'Requests refused, by stable code', labelNames: ['code'], registers: [registry] }),
    issued: new Counter({ name: 'cites_permits_issued_total', help: 'Permits issued through this node\'s API', registers: [registry] }),
    signInFailures: new Counter({ name: 'cites_sign_in_failures_total', help: 'Bearers refused, by reason (TOKEN_INVALID, TOKEN_EXPIRED, TOKEN_REVOKED, OIDC_TOKEN_INVALID, SIGN_IN_RATE_LIMITED; a missing token counts as TOKEN_MISSING)', labelNames: ['reason'], registers: [registry] }),
    httpLatency: new Histogram({ name: 'cites_http_request_duration_seconds', help: 'HTTP request latency', labelNames: ['route', 'method', 'status'], buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers: [registry] })
  }
  // Gauges are read from the node when scraped: always current, nothing to keep in step.
  new Gauge({ name: 'cites_log_events', help: 'Events held per authority log', labelNames: ['author'], registers: [registry], collect: function () { this.reset(); for (const [a, size] of Object.entries(node.logSizes())) this.set({ author: a }, size) } })
  new Gauge({ name: 'cites_peers', help: 'Connected authorised peers', registers: [registry], collect: function () { this.set(node.peers().reduce((n, p) => n + p.connections.length, 0)) } })
  new Gauge({ name: 'cites_deliveries', help: 'Deliveries of own ISSUED events, by state', labelNames: ['state'], registers: [registry], collect: async function () {
    // One scan of the delivery records, nothing else (status() would also scan claims and alerts).
    const counts: Record<string, number> = { pending: 0, delivered: 0, failed: 0 }
    for (const d of await node.deliveries()) counts[d.state] = (counts[d.state] ?? 0) + 1
    for (const [k, v] of Object.entries(counts)) this.set({ state: k }, v)
  } })
  new Gauge({ name: 'cites_open_claims', help: 'Provisional uses recorded here, not yet confirmed or refused by the issuer', registers: [registry], collect: async function () { this.set(await node.openClaims()) } })
  new Gauge({ name: 'cites_alerts', help: 'Alerts recorded (equivocation, refused transitions, diverted uses, refused claims)', registers: [registry], collect: async function () { this.set((await node.alerts()).length) } })
  new Gauge({ name: 'cites_gossip_messages', help: 'Gossip validation outcomes and gap syncs', labelNames: ['outcome'], registers: [registry], collect: function () { for (const [k, v] of Object.entries(node.counters().gossip)) this.set({ outcome: k }, v) } })
  new Gauge({ name: 'cites_consume_refusals', help: 'Consume requests from other authorities refused, by code (PEER_RATE_LIMITED: answered without work once a peer\'s refusal budget was spent)', labelNames: ['code'], registers: [registry], collect: function () { const c = node.counters().consume; for (const [k, v] of Object.entries(c.refusals)) this.set({ code: k }, v); this.set({ code: 'PEER_RATE_LIMITED' }, c.rateLimited) } })
  new Gauge({ name: 'cites_version_refusals_total', help: 'Requests on a v1 event protocol id refused EVENT_VERSION_MISMATCH (a node still on ledger events v1), by protocol', labelNames: ['protocol'], registers: [registry], collect: function () { for (const [k, v] of Object.entries(node.counters().versionRefusals)) this.set({ protocol: k }, v) } })
  new Gauge({ name: 'cites_document_refusals_total', help: 'Document requests (/cites/document/1.0.0) refused, by code (NOT_A_PARTY: an authority that is neither issuer nor destination asked)', labelNames: ['code'], registers: [registry], collect: function () { for (const [k, v] of Object.entries(node.counters().documentRefusals)) this.set({ code: k }, v) } })
  new Gauge({ name: 'cites_documents_erased_total', help: 'Permit documents erased by the retention job since start', registers: [registry], collect: function () { this.set(node.counters().documentsErased) } })
  new Gauge({ name: 'cites_permit_checks', help: 'Background XML-DSig checks of replicated permits: checked, invalid (each an alert), behind (events not yet looked at)', labelNames: ['state'], registers: [registry], collect: function () { for (const [k, v] of Object.entries(node.counters().permitChecks)) this.set({ state: k }, v) } })
  new Gauge({ name: 'cites_gossip_peer_score', help: 'Gossip score of each connected authority (under -80: graylisted, its messages dropped unread)', labelNames: ['party'], registers: [registry], collect: function () { this.reset(); for (const [p, v] of Object.entries(node.peerScores())) this.set({ party: p }, v) } })
  new Gauge({ name: 'cites_worker_failures', help: 'Failed runs of each background worker since start (each logged with its code)', labelNames: ['worker'], registers: [registry], collect: function () { for (const [w, st] of Object.entries(node.workers())) this.set({ worker: w }, st.failures) } })
  new Gauge({ name: 'cites_worker_failing', help: 'Failed runs in a row now, per background worker (0 once a run succeeds)', labelNames: ['worker'], registers: [registry], collect: function () { for (const [w, st] of Object.entries(node.workers())) this.set({ worker: w }, st.failing) } })
  // Validity ahead, read from the node's clock: alert well before these reach 0.
  new Gauge({ name: 'cites_trust_list_age_seconds', help: 'Seconds since the current trust list was issued', registers: [registry], collect: function () { this.reset(); const l = node.trust.current?.list; if (l !== undefined) this.set((node.now() - Date.parse(l.issueDate)) / 1000) } })
  new Gauge({ name: 'cites_trust_list_next_update_seconds', help: 'Seconds until the current trust list\'s nextUpdate (negative: past it, /readyz fails)', registers: [registry], collect: function () { this.reset(); const l = node.trust.current?.list; if (l !== undefined) this.set((Date.parse(l.nextUpdate) - node.now()) / 1000) } })
  new Gauge({ name: 'cites_signing_certificate_expiry_seconds', help: 'Seconds until this node\'s permit-signing certificate expires (negative: expired)', registers: [registry], collect: function () { this.set((node.certificate.notAfter.getTime() - node.now()) / 1000) } })
  new Gauge({ name: 'cites_clock_offset_seconds', help: 'Median of the connected peers\' clocks minus this node\'s (absent until a peer is measured; /readyz fails beyond health.maxClockSkewSeconds)', registers: [registry], collect: function () { this.reset(); const o = node.clockOffsets(); if (o.medianOffsetMs !== undefined) this.set(o.medianOffsetMs / 1000) } })
  if (accounts !== undefined) {
    new Gauge({ name: 'cites_token_next_expiry_seconds', help: 'Seconds until the soonest expiry of a live personal token (absent when none expires): rotate before 0', registers: [registry], collect: function () { this.reset(); const s = accounts.nextTokenExpirySeconds(); if (s !== undefined) this.set(s) } })
    new Gauge({ name: 'cites_accounts', help: 'Live accounts (not revoked, token not expired), by role', labelNames: ['role'], registers: [registry], collect: function () { for (const [r, n] of Object.entries(accounts.countsByRole())) this.set({ role: r }, n) } })
  }
  return m
}
