/**
 * The node's HTTP API (ARCHITECTURE.md, Interfaces): Fastify with a JSON
 * Schema on every route, OpenAPI at /openapi.json, role bearer tokens,
 * errors as application/problem+json with the stable codes, body limits,
 * rate limits (per known token, per address without one), a connection cap
 * per address, browser security headers, Prometheus /metrics, and the
 * customs page at /.
 *
 * Order of work for a request (SECURITY.md §15): the connection cap, then
 * (onRequest, before any byte of the body is read) the security headers, the
 * rate limit and the token and role check; only then the body is read and
 * checked against the route's schema.
 */
import { existsSync } from 'node:fs'
import type { Socket } from 'node:net'
import type { ServerOptions as HttpsOptions } from 'node:https'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import swagger from '@fastify/swagger'
import rateLimit, { normalizeIP } from '@fastify/rate-limit'
import helmet from '@fastify/helmet'
import fastifyStatic from '@fastify/static'
import type { Logger } from '@cites/runtime'
import { importPermit, permitFromJson, type Permit } from '@cites/permit'
import { documentRegisteredFragment, judgePresentedDocument, replaceCheck, withDestination, withReference, withStamp } from '@cites/verdict'
import { annualReportFileName, sha256, hex, type ReportKind } from '@cites/ledger'
import type { NodeVerdict, PermitNode } from './node.js'
import { HttpProblem, answerError, sendProblem } from './problems.js'
import { createMetrics, type NodeMetrics } from './metrics.js'
import type { Port } from './config.js'
import { AccountRegistry, type Role } from './accounts.js'
import { registerAuth } from './auth.js'
import { registerUserRoutes } from './users-api.js'
import { recordAccess, registerOidcSignIn, signedInThrough } from './access-trail.js'
import type { AccessLog } from './access-log.js'
import type { Oidc } from './oidc.js'
import { permitStateJson, permitViewJson } from './records.js'
import { readiness } from './health.js'

export type { Role } from './accounts.js'

export interface HttpApiOptions {
  /** The node's accounts (accounts.ts): personal tokens and sign-in sessions. */
  accounts?: AccountRegistry
  /** Fixed role tokens as SHA-256 hex (tests, and configs of before accounts): each an account `static-<role>`. */
  tokens?: Partial<Record<Role, string>>
  /** Append every API call to this hash-chained access log (access-log.ts). */
  accessLog?: AccessLog
  /** Sign-in with the ministry's identity provider (oidc.ts): /auth/oidc/* and bearer ID tokens. */
  oidc?: Oidc
  /** /readyz: the clock check's bound (health.ts). @default 60000 */
  maxClockSkewMs?: number
  /** Failed bearers a minute per client address (IPv6: per /64) before it is refused unheard. @default 10 */
  signInFailuresPerMinute?: number
  /** @default 1 MiB */
  bodyLimitBytes?: number
  /**
   * API requests a minute per account: one bucket per person, so a random
   * token never gets a bucket of its own (it lands in its address's).
   * @default 1200
   */
  rateLimitPerMinute?: number
  /** API requests a minute per client address (IPv6: per /64) without a known token: none, or a wrong one. @default 120 */
  addressRateLimitPerMinute?: number
  /** Requests a minute per client address for the customs page's files and /openapi.json. `/health` is never limited. @default 6000 */
  pageRateLimitPerMinute?: number
  /** Open connections per client address; more are closed at once. @default 128 */
  maxConnectionsPerAddress?: number
  /** A request's headers and body must have arrived within this (headers alone: 15 s at most). @default 60000 */
  requestTimeoutMs?: number
  /** pino logger (no bodies or tokens are logged); false for none. */
  logger?: Logger | false
  /** Folder of the built customs page; served at / when it exists. */
  webRoot?: string
  /**
   * Pilot networks only: expose fault injection (`POST /v1/admin/partition`,
   * `/v1/admin/heal`) to the issuer token. Off in production.
   * @default false
   */
  faultInjection?: boolean
  /**
   * This authority's ports (the config's list): offered by the customs page
   * (GET /v1/whoami), and the only ports a use or an endorsement may name
   * (PORT_NOT_LISTED otherwise). Absent: any well-formed UN/LOCODE.
   */
  ports?: readonly Port[]
  /** Serve HTTPS with these options (the config's http.tls, tls.ts), with HSTS; absent: plain HTTP. */
  https?: HttpsOptions
}

const PARTY = { type: 'string', pattern: '^[A-Z]{2}$' } as const
const NUMBER = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9./_ -]{0,63}$' } as const
const LOCODE = { type: 'string', pattern: '^[A-Z]{2}[A-Z2-9]{3}$', description: 'UN/LOCODE, e.g. THBKK' } as const
const LINES = {
  type: 'array', minItems: 1, maxItems: 100,
  items: {
    type: 'object', additionalProperties: false, required: ['line', 'quantity'],
    properties: { line: { type: 'string', minLength: 1, maxLength: 8 }, quantity: { type: 'number', exclusiveMinimum: 0 }, unit: { type: 'string', maxLength: 16 } }
  }
} as const
const ACTION_BODY = {
  type: 'object', additionalProperties: false, required: ['lines', 'port'],
  properties: { lines: LINES, port: LOCODE, officer: { type: 'string', maxLength: 128 } }
} as const
// A use may carry the signed document the holder presented (a provisional use before its delivery arrived; UseInput).
const CONSUME_BODY = {
  ...ACTION_BODY,
  properties: { ...ACTION_BODY.properties, document: { type: 'string', minLength: 1, maxLength: 262_144 } }
} as const
const PERMIT_PARAMS = { type: 'object', required: ['party', 'number'], properties: { party: PARTY, number: NUMBER } } as const

/**
 * The Content-Security-Policy of every answer (the page and the API alike):
 * scripts, styles and connections only from this node, no inline script or
 * style, images also as data: URLs (the QR code), no plugins, and no framing
 * by any page (clickjacking of "Record use").
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  manifestSrc: ["'self'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  objectSrc: ["'none'"]
}

const REQUEST_LOG_SERIALIZERS = {
  req: (req: { method?: string, url?: string }) => ({ method: req.method, path: (req.url ?? '').split('?')[0] }),
  res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode })
}

/** Key fields of a permit for a customs officer (no addresses, no trader identifiers beyond names and countries). */
export function permitSummary (p: Permit): Record<string, unknown> {
  return {
    number: p.number, type: p.type, validFrom: p.validFrom, validUntil: p.validUntil, purpose: p.purpose,
    exporter: { name: p.consignor.name, country: p.consignor.address?.country },
    importer: { name: p.consignee.name, country: p.consignee.address?.country },
    // Boxes 8 to 12 and 14 of each line: enough to match the goods against the crate.
    lines: p.lines.map((l) => ({
      line: l.id, scientificName: l.scientificName, commonName: l.commonName, description: l.description, term: l.term, appendix: l.appendix,
      source: l.source, quantity: l.quantity, unit: l.unit, originCountry: l.originCountry, exportCountry: l.exportCountry, marks: l.marks,
      exportedQuantity: l.exportedQuantity, exportedUnit: l.exportedUnit
    }))
  }
}

/** Build the API for a running node. Call `listen` on the result. */
export async function buildHttpApi (node: PermitNode, opts: HttpApiOptions): Promise<{ app: FastifyInstance, metrics: NodeMetrics }> {
  const accounts = opts.accounts ?? new AccountRegistry()
  if (opts.tokens !== undefined) accounts.addFixed(opts.tokens)
  const metrics = createMetrics(node, accounts)
  const requestTimeout = opts.requestTimeoutMs ?? 60_000
  const app = Fastify({
    // Request lines carry the method and the path without its query string
    // (a token pasted into a URL stays out of the logs), and no client
    // address (personal data under the GDPR; the access log names accounts).
    loggerInstance: opts.logger === false || opts.logger === undefined ? undefined : opts.logger.child({}, { serializers: REQUEST_LOG_SERIALIZERS }) as never,
    bodyLimit: opts.bodyLimitBytes ?? 1024 * 1024,
    // Node's default is no limit on a whole request: a client trickling a body could hold its socket for ever.
    requestTimeout,
    // Request logs carry method, route and status only: never headers (tokens) or bodies (trader data).
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    return503OnClosing: true,
    // Fastify gives a plugin 10 s to load by default; a node starting on a
    // saturated host (64 pilot nodes on 2 cores) can take longer, and a
    // failed start is worse than a slow one.
    pluginTimeout: 120_000,
    // On shutdown, keep-alive sockets of clients must not hold the stop up.
    forceCloseConnections: true,
    ...(opts.https !== undefined ? { https: opts.https } : {})
  })

  // Headers must be complete well before the whole request (Node checks both every few seconds).
  app.server.headersTimeout = Math.min(15_000, requestTimeout)
  capConnectionsPerAddress(app, opts.maxConnectionsPerAddress ?? 128)

  app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'string' }, (_req, body, done) => { done(null, body) })
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_req, body, done) => { done(null, body) })

  await app.register(swagger, {
    openapi: {
      info: { title: `CITES permit node (${node.party})`, version: '1.0.0', description: 'Issue, read, verify and record the use of CITES permits. Errors are application/problem+json with a stable `code`.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }]
    }
  })
  // Headers first, so that every answer carries them, refusals included.
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // HSTS only when this server speaks TLS (http.tls); behind an operator's TLS proxy, the proxy sets it.
    strictTransportSecurity: opts.https !== undefined ? { maxAge: 31_536_000, includeSubDomains: false } : false
  })

  // Three kinds of rate-limit bucket, none of which a caller can multiply (auth.ts).
  await app.register(rateLimit, {
    global: false,
    timeWindow: 60_000,
    // Buckets held in memory, least recently used dropped first; large enough for many thousand addresses.
    cache: 50_000,
    errorResponseBuilder: (_req, ctx) => new HttpProblem('RATE_LIMITED', `more than ${ctx.max} requests a minute; retry in ${Math.ceil(ctx.ttl / 1000)} s`)
  })
  // Authentication, role and rate limits before the body is read. A route's
  // role is its `config.role`; a route without one is public (the page,
  // /openapi.json, the probes).
  const { callerOf, peek } = await registerAuth(app, {
    accounts,
    ...(opts.rateLimitPerMinute !== undefined ? { rateLimitPerMinute: opts.rateLimitPerMinute } : {}),
    ...(opts.addressRateLimitPerMinute !== undefined ? { addressRateLimitPerMinute: opts.addressRateLimitPerMinute } : {}),
    ...(opts.pageRateLimitPerMinute !== undefined ? { pageRateLimitPerMinute: opts.pageRateLimitPerMinute } : {}),
    ...(opts.signInFailuresPerMinute !== undefined ? { signInFailuresPerMinute: opts.signInFailuresPerMinute } : {}),
    onFailure: (reason) => metrics.signInFailures.inc({ reason }),
    ...(opts.oidc !== undefined ? { verifyIdToken: async (jwt: string) => await signedInThrough(opts.oidc as Oidc, accounts, jwt) } : {})
  })
  if (opts.oidc !== undefined) await registerOidcSignIn(app, opts.oidc, accounts)

  /** The code each refused request was answered with (the access log's `code`). */
  const answeredCodes = new WeakMap<FastifyRequest, string>()
  app.setErrorHandler((err: Error & { statusCode?: number, code?: string, validation?: unknown }, req, reply) => {
    const code = answerError(err, req, reply)
    answeredCodes.set(req, code)
    metrics.refusals.inc({ code })
  })
  app.setNotFoundHandler((req, reply) => sendProblem(reply, 'ROUTE_NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0] ?? ''}`))

  app.addHook('onResponse', async (req, reply) => {
    metrics.httpLatency.observe({ route: req.routeOptions.url ?? 'unknown', method: req.method, status: String(reply.statusCode) }, reply.elapsedTime / 1000)
  })
  if (opts.accessLog !== undefined) recordAccess(app, opts.accessLog, peek, (req) => answeredCodes.get(req))

  // ---- routes ---------------------------------------------------------

  // Health checks and scrapes are frequent and carry nothing: kept out of the info logs.
  app.get('/livez', { logLevel: 'warn', schema: { summary: 'Liveness: 200 while the process serves HTTP (no checks; never rate-limited)', security: [] } }, async () => ({ status: 'live' }))
  app.get('/readyz', { logLevel: 'warn', schema: { summary: 'Readiness for customs: 200 when no check fails, else 503; each check with its status, stable code and message (health.ts)', security: [] } }, async (_req, reply) => {
    const r = await readiness(node, opts.maxClockSkewMs !== undefined ? { maxClockSkewMs: opts.maxClockSkewMs } : {})
    return await reply.code(r.ready ? 200 : 503).send(r)
  })
  // Legacy liveness (kept for existing monitors and the pilot's start-up wait): says nothing of peers, trust or keys; see /readyz.
  app.get('/health', { logLevel: 'warn', schema: { summary: 'Legacy liveness (use /livez and /readyz)', security: [] } }, async () => {
    // Cheap on purpose (polled often): no ledger reads.
    return { status: 'ok', party: node.party, peerId: node.peerId.toString(), peers: node.peerParties().length, trustListSequence: node.trust.sequence, refdataSnapshotDate: node.refdata.data.snapshotDate }
  })

  // Public: which sign-ins this node offers (the customs page shows the ministry sign-in only when there is one).
  app.get('/auth/methods', { schema: { summary: 'The sign-ins this node offers: personal tokens always, the ministry\'s identity provider (OIDC) when configured', security: [] } }, async () => ({ token: true, oidc: opts.oidc !== undefined }))

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  app.get('/metrics', { logLevel: 'warn', config: { role: 'viewer' }, schema: { summary: 'Prometheus metrics' } }, async (_req, reply) => {
    void reply.type(metrics.registry.contentType)
    return await metrics.registry.metrics()
  })

  app.post('/v1/permits', {
    config: { role: 'issuer' },
    schema: { summary: 'Issue a permit: unsigned eCITES XML (application/xml) or the JSON form; it is signed, recorded, gossiped and delivered', body: {} }
  }, async (req, reply) => {
    let permit: Permit
    if (typeof req.body === 'string') permit = importPermit(req.body).permit
    else if (typeof req.body === 'object' && req.body !== null) permit = permitFromJson(req.body)
    else throw new HttpProblem('REQUEST_INVALID', 'send unsigned eCITES XML or the JSON form of a permit')
    const { state, signedXml, warnings, quotas } = await node.issue(permit, { actor: callerOf(req).account })
    metrics.issued.inc()
    return await reply.code(201).header('location', `/v1/permits/${state.party}/${encodeURIComponent(state.number)}`)
      .send({ party: state.party, number: state.number, status: state.status, sha256: hex(sha256(new TextEncoder().encode(signedXml))), ...(warnings.length > 0 ? { warnings } : {}), ...(quotas.length > 0 ? { quotas } : {}) })
  })

  app.get('/v1/permits/:party/:number', {
    config: { role: 'viewer' },
    schema: {
      summary: 'Read a permit with its status and history; Accept: application/xml gives the signed eCITES XML where this node holds it (the issuer and the destination; else 404 DOCUMENT_NOT_HELD, or 410 DOCUMENT_ERASED after retention). With ?wait=ms, wait up to that long for the permit to arrive (replication measurements).',
      params: PERMIT_PARAMS,
      querystring: { type: 'object', additionalProperties: false, properties: { wait: { type: 'string', pattern: '^[0-9]{1,5}$' } } }
    }
  }, async (req, reply) => {
    const { party, number } = req.params as { party: string, number: string }
    const wait = Number((req.query as { wait?: string }).wait ?? 0)
    if ((req.headers.accept ?? '').includes('application/xml')) {
      const xml = await node.signedXml(party, number, wait)
      if (xml !== undefined) return await reply.type('application/xml').send(xml)
      // r17: the document is held only by the parties of the trade, and only until its retention ends.
      if (await node.permit(party, number) === undefined) throw new HttpProblem('PERMIT_NOT_FOUND', `${party}/${number} is not in this node's ledger`)
      if (await node.internals.ledger.documentStatus(party, number) === 'erased') throw new HttpProblem('DOCUMENT_ERASED', `the document of ${party}/${number} was erased under the retention rule; its summary remains (GET without Accept: application/xml)`)
      throw new HttpProblem('DOCUMENT_NOT_HELD', `this node holds ${party}/${number}'s signed summary, not its document: only the issuer and the destination hold it`)
    }
    const v = await node.permit(party, number, wait)
    if (v === undefined) throw new HttpProblem('PERMIT_NOT_FOUND', `${party}/${number} is not in this node's ledger`)
    return permitViewJson(v)
  })

  app.post('/v1/verify', {
    config: { role: 'viewer' },
    schema: {
      summary: 'Verify a permit: a signed eCITES XML document (the full verdict, anywhere), or {party, number, securityStamp?, sha256?} (sha256: the document hash a QR code carries, which must be the recorded one). By number, a node that is not a party to the trade answers from the issuer\'s signed summary (integrity SKIPPED, DOCUMENT_NOT_PRESENTED): present the document to check its content.',
      body: { oneOf: [{ type: 'string', minLength: 1 }, { type: 'object', additionalProperties: false, required: ['party', 'number'], properties: { party: PARTY, number: NUMBER, securityStamp: { type: 'string', maxLength: 64 }, sha256: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' } } }] }
    }
  }, async (req) => {
    const out = typeof req.body === 'string' ? await verifyDocument(node, req.body) : await verifyByNumber(node, req.body as { party: string, number: string, securityStamp?: string, sha256?: string })
    metrics.verifications.inc({ result: out.valid ? 'valid' : 'invalid', source: out.source })
    return out
  })

  // A port must be one of this authority's, when it lists them: a typo or a
  // truncated name ("BANGK") would otherwise be signed as a permanent record.
  const ports = opts.ports
  const checkPort = (port: unknown): void => {
    if (ports === undefined || typeof port !== 'string' || ports.some((p) => p.locode === port)) return
    throw new HttpProblem('PORT_NOT_LISTED', `${port} is not one of ${node.party}'s ports: choose one of ${ports.map((p) => `${p.locode} (${p.name})`).join(', ')}`, { allowed: ports.map((p) => p.locode) })
  }
  // The acting account comes from the sign-in, never from the body (whose schema has no such field).
  const actionRoute = (path: string, role: Role, summary: string, run: (party: string, number: string, body: Record<string, unknown>, reply: FastifyReply, actor: string) => Promise<unknown>, body: object = ACTION_BODY): void => {
    app.post(path, { config: { role }, schema: { summary, params: PERMIT_PARAMS, body } }, async (req, reply) => {
      const { party, number } = req.params as { party: string, number: string }
      checkPort((req.body as { port?: unknown }).port)
      return await run(party, number, req.body as Record<string, unknown>, reply, callerOf(req).account)
    })
  }

  actionRoute('/v1/permits/:party/:number/endorsements', 'customs', 'Record the export endorsement (Box 14) of one of this authority\'s permits', async (party, number, body, reply, actor) => {
    const state = await node.endorse(party, number, { ...body, actor } as never)
    return await reply.code(201).send({ party, number, status: state.status, endorsement: permitStateJson(state).endorsement })
  })

  actionRoute('/v1/permits/:party/:number/consumptions', 'customs', 'Record the use of a permit at import: 201 with the issuer\'s signed receipt, 202 when recorded provisionally (not confirmed by issuer), 409 ALREADY_CONSUMED with the earlier receipt', async (party, number, body, reply, actor) => {
    const r = await node.consume(party, number, { ...body, actor } as never)
    metrics.consumptions.inc({ outcome: r.outcome })
    if (r.outcome === 'CONSUMED') return await reply.code(201).send({ outcome: r.outcome, receipt: r.receipt, ...(r.importPermits !== undefined ? { importPermits: r.importPermits } : {}) })
    if (r.outcome === 'PROVISIONAL') {
      // A plain message, and the claim without its stored reason: that reason
      // may hold networking library text, which is no business of the caller's.
      const { reason: _reason, ...claim } = r.claim ?? {} as Partial<NonNullable<typeof r.claim>>
      return await reply.code(202).send({ outcome: r.outcome, code: 'PROVISIONAL', message: PROVISIONAL_MESSAGE, claim })
    }
    throw new HttpProblem(r.code, r.message, r.receipt !== undefined ? { receipt: r.receipt } : {}, 422)
  }, CONSUME_BODY)

  actionRoute('/v1/permits/:party/:number/cancellation', 'issuer', 'Cancel one of this authority\'s permits', async (party, number, body, reply, actor) => {
    const state = await node.cancel(party, number, String(body.reason), { actor })
    return await reply.code(201).send({ party, number, status: state.status, cancellation: permitStateJson(state).cancellation })
  }, { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason: { type: 'string', minLength: 1, maxLength: 500 } } })

  app.get('/v1/whoami', {
    config: { role: 'viewer' },
    schema: { summary: 'The caller\'s role, this node\'s party and ports, and which authorities\' nodes are connected now (for the customs page)' }
  }, async (req) => {
    const caller = callerOf(req)
    const connected = node.peerParties()
    const others = [...new Set((node.trust.current?.list.authorities ?? []).filter((a) => a.status === 'granted').map((a) => a.party))]
      .filter((p) => p !== node.party).sort()
    return {
      role: caller.role, account: caller.account, party: node.party, ports: ports ?? [], portsListed: ports !== undefined,
      peers: { connected, unreachable: others.filter((p) => !connected.includes(p)) }
    }
  })

  registerUserRoutes(app, accounts)

  // Issue 20: once Box 14 is endorsed a cancellation is refused (EXPORT_ENDORSED) until the export is recorded as not having happened.
  actionRoute('/v1/permits/:party/:number/export-void', 'issuer', 'Record that the endorsed export of one of this authority\'s permits did not happen (EXPORT_VOIDED, kept in the report); the permit may then be cancelled', async (party, number, body, reply, actor) => {
    const state = await node.voidExport(party, number, String(body.reason), { actor })
    return await reply.code(201).send({ party, number, status: state.status, voidedExports: permitStateJson(state).voidedExports })
  }, { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason: { type: 'string', minLength: 1, maxLength: 500 } } })

  app.get('/v1/trust-list', { config: { role: 'viewer' }, schema: { summary: 'The current trust list: its sequence, validity and authorities' } }, async () => {
    const cur = node.trust.current
    if (cur === undefined) throw new HttpProblem('TRUST_LIST_MISSING', 'this node holds no trust list')
    const l = cur.list
    return { sequence: l.sequence, issueDate: l.issueDate, nextUpdate: l.nextUpdate, operator: l.operator, authorities: l.authorities.map((a) => ({ party: a.party, name: a.name, role: a.role, status: a.status, peerId: a.peerId, addresses: a.addresses })) }
  })

  app.get('/v1/peers', { config: { role: 'viewer' }, schema: { summary: 'Connected authorised peers, one entry per peer (two nodes dialling each other at once may hold two connections)' } }, async () => {
    return node.peers()
  })

  app.get('/v1/status', { config: { role: 'viewer' }, schema: { summary: 'This node: peers, log sizes, delivery states, open claims, alerts, gossip counters' } }, async () => await node.status())

  app.get('/v1/deliveries', {
    config: { role: 'viewer' },
    schema: { summary: 'Deliveries of this authority\'s ISSUED events to their destinations', querystring: { type: 'object', additionalProperties: false, properties: { state: { type: 'string', enum: ['pending', 'delivered', 'failed'] } } } }
  }, async (req) => {
    const { state } = req.query as { state?: 'pending' | 'delivered' | 'failed' }
    return await node.deliveries(state)
  })

  app.get('/v1/alerts', { config: { role: 'viewer' }, schema: { summary: 'Alerts: equivocations, refused transitions, diverted uses, refused claims' } }, async () => await node.alerts())

  app.get('/v1/audit', { config: { role: 'viewer' }, schema: { summary: 'Check every log held end to end (chain, signatures, checkpoints) and list permits used more than once' } }, async () => {
    return await node.audit()
  })

  if (opts.faultInjection === true) {
    app.post('/v1/admin/partition', {
      config: { role: 'issuer' },
      schema: { summary: 'Pilot only: cut this node off from the given parties', body: { type: 'object', additionalProperties: false, required: ['parties'], properties: { parties: { type: 'array', maxItems: 250, items: PARTY } } } }
    }, async (req) => {
      const { parties } = req.body as { parties: string[] }
      await node.partition(parties)
      return { partitioned: parties }
    })
    app.post('/v1/admin/heal', { config: { role: 'issuer' }, schema: { summary: 'Pilot only: undo every partition' } }, async () => { node.heal(); return { healed: true } })
  }

  app.get('/v1/reports/annual', {
    config: { role: 'issuer' },
    schema: { summary: 'One file of the CITES annual report (Trade Database upload template, CSV): exports (default) or imports; cites-report-left-out counts the lines it could not write', querystring: { type: 'object', additionalProperties: false, required: ['year'], properties: { year: { type: 'string', pattern: '^(19[7-9][0-9]|20[0-9][0-9])$', description: 'four digits, 1975..2099' }, kind: { type: 'string', enum: ['exports', 'imports'], default: 'exports' } } } }
  }, async (req, reply) => {
    // Query strings stay strings (no type coercion anywhere: a body's "50" is not 50).
    const q = req.query as { year: string, kind?: ReportKind }
    const [year, kind] = [Number(q.year), q.kind ?? 'exports']
    const { csv, leftOut } = await node.annualReport(year, kind)
    return await reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${annualReportFileName(node.party, year, kind)}"`).header('cites-report-left-out', String(leftOut)).send(csv)
  })

  if (opts.webRoot !== undefined && existsSync(opts.webRoot)) {
    await app.register(fastifyStatic, { root: opts.webRoot, prefix: '/', index: ['index.html'], wildcard: false, schemaHide: true })
  }
  return { app, metrics }
}

/** A verdict as the API answers it: the permit's key fields rather than the whole model, and the history held here. */
export interface VerifyAnswer extends Omit<NodeVerdict, 'permit' | 'history'> {
  permit?: Record<string, unknown>
  history?: Array<{ seq: number, type: string, time: string, body: Record<string, unknown> }>
}

/** The API's shape: key fields rather than the whole model; the history the verdict was judged from (without the XML's hash list). */
function answer (v: NodeVerdict): VerifyAnswer {
  const { permit, history, ...rest } = v
  const out: VerifyAnswer = rest
  if (permit !== undefined) out.permit = permitSummary(permit)
  if (history !== undefined) out.history = history.map((h) => ({ seq: h.seq, type: h.type, time: h.time, body: h.type === 'ISSUED' ? { destination: h.body.destination, validUntil: h.body.validUntil } : h.body }))
  return out
}

/**
 * Verify by party and number (with the security stamp, when the officer has
 * it), or by a QR code's number and document hash (r17): the hash must be
 * the one the issuer recorded, else DOCUMENT_NOT_REGISTERED.
 */
export async function verifyByNumber (node: PermitNode, q: { party: string, number: string, securityStamp?: string, sha256?: string }): Promise<VerifyAnswer> {
  const v = withStamp(await node.verify(q.party, q.number), q.securityStamp)
  const unregistered = q.sha256 === undefined ? undefined : documentRegisteredFragment(v.state, q.sha256.toLowerCase())
  return answer(unregistered === undefined ? v : replaceCheck(v, unregistered, true))
}

/**
 * Verify a signed document as presented: its XML-DSig verdict, then the
 * ledger's word on its status and use; and it must be the very document the
 * issuer recorded (a second document signed under the same number is not).
 */
export async function verifyDocument (node: PermitNode, xml: string): Promise<VerifyAnswer> {
  // The destination from the document itself when the ledger does not know the permit.
  return answer(withReference(withDestination(await judgePresentedDocument(xml, { trust: node.trust, verify: node.verify }), node.party), node.refdata.data, { suspensions: node.refdata.suspensions }))
}

/** What a 202 says, whatever the networking failure was. */
export const PROVISIONAL_MESSAGE = 'recorded provisionally: not confirmed by the issuer, whose node could not be reached in time; the issuer confirms or refuses it when the two nodes can talk again'

/**
 * At most `cap` open connections per client address (IPv6: per /64); a
 * connection beyond it is closed before a byte is read. Bounds the sockets
 * (and, with the timeouts, the time) one address can hold.
 */
function capConnectionsPerAddress (app: FastifyInstance, cap: number): void {
  const open = new Map<string, number>()
  app.server.on('connection', (socket: Socket) => {
    const key = normalizeIP(socket.remoteAddress ?? '', 64)
    const n = open.get(key) ?? 0
    if (n >= cap) {
      app.log.debug({ open: n }, 'connection refused: too many open from one address')
      socket.destroy()
      return
    }
    open.set(key, n + 1)
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1
      if (left <= 0) open.delete(key)
      else open.set(key, left)
    })
  })
}
