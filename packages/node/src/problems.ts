/**
 * Errors as the HTTP API answers them: application/problem+json with the
 * stable `code`, and a status derived from the code's kind in the registry of
 * its domain (one table for every package), so no route decides a status.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { CodedError, errorMessage, httpStatusTable, type CodeRegistry } from '@cites/runtime'
import { PERMIT_CODES } from '@cites/permit'
import { SIGNATURE_INPUT_CODES } from '@cites/xml-signature'
import { TRUST_LIST_CODES } from '@cites/trust-list'
import { LEDGER_CODES } from '@cites/ledger'
import { PROTOCOL_CODES } from '@cites/protocol'
import { NODE_CODES, type NodeCode } from './errors.js'
import { RETRY_AFTER_S } from './issuer-lanes.js'

/** Refusals that pass by themselves: this node busy, or the issuer's refusal budget for it spent. */
const RETRY_LATER: ReadonlySet<string> = new Set(['NODE_BUSY', 'PEER_RATE_LIMITED'])

const REGISTRIES: CodeRegistry[] = [PERMIT_CODES, SIGNATURE_INPUT_CODES, TRUST_LIST_CODES, LEDGER_CODES, PROTOCOL_CODES, NODE_CODES]
const STATUS = httpStatusTable(...REGISTRIES)
const SUMMARY = new Map(REGISTRIES.flatMap((r) => Object.entries(r).map(([code, { summary }]) => [code, summary] as const)))

/** The plain, fixed sentence of a code (its registry summary), for answers that must not carry an error's own text. */
export function plainMessage (code: string): string {
  return SUMMARY.get(code) ?? 'the node could not answer this request'
}

/** The HTTP status of a code; `fallback` for a code no registry holds (e.g. one another node sent). */
export function statusOf (code: string, fallback = 400): number {
  return STATUS.get(code) ?? fallback
}

/** A refusal raised by a route: its status comes from the code. */
export class HttpProblem extends Error {
  readonly status: number
  readonly code: string
  readonly extra: Record<string, unknown>
  constructor (code: NodeCode | string, message: string, extra: Record<string, unknown> = {}, fallbackStatus = 422) {
    super(message)
    this.code = code
    this.status = statusOf(code, fallbackStatus)
    this.extra = extra
  }
}

export function sendProblem (reply: FastifyReply, code: string, detail: string, extra: Record<string, unknown> = {}, status = statusOf(code)): FastifyReply {
  if (status === 401) void reply.header('www-authenticate', 'Bearer')
  // Nothing was recorded and the cause passes (issue 16): say when to try again.
  if (RETRY_LATER.has(code)) void reply.header('retry-after', String(RETRY_AFTER_S))
  return reply.code(status).type('application/problem+json').send({ type: `urn:cites:error:${code}`, title: code, status, code, detail, ...extra })
}

/** Fastify's own errors that are the caller's fault, by Fastify's code. */
const FASTIFY_CODES: Readonly<Record<string, NodeCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'MEDIA_TYPE_UNSUPPORTED',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'JSON_INVALID',
  FST_ERR_CTP_INVALID_JSON_BODY: 'JSON_INVALID',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'REQUEST_INVALID'
}
/** Fields of a coded error that the caller may see (evidence, problems); never a stack or a cause. */
const EXTRA_FIELDS = ['problems', 'issues', 'reasons', 'receipt', 'line', 'allowed', 'quota', 'balance'] as const

/**
 * Turn anything a route threw into a problem. Returns the code answered, for
 * the refusal counter. An error without a registered code is this node's
 * fault: logged (name and message only) and answered 500 INTERNAL. A 5xx
 * answer says its code's summary, never the error's own text (which may come
 * from a networking library); that text goes to the log.
 */
export function answerError (err: Error & { statusCode?: number, code?: string, validation?: unknown }, req: FastifyRequest, reply: FastifyReply): string {
  // The client went away while its body was being read: nobody to answer,
  // nothing wrong here. Logged once, at debug (a flood must not fill the log).
  if (err.code === 'ECONNRESET' || req.raw.aborted || req.raw.socket?.destroyed === true) {
    req.log.debug({ code: 'CLIENT_ABORTED' }, 'the client closed the connection before the request was complete')
    if (!reply.raw.destroyed) reply.raw.destroy()
    return 'CLIENT_ABORTED'
  }
  if (err instanceof HttpProblem) {
    sendProblem(reply, err.code, err.status >= 500 ? plainMessage(err.code) : err.message, err.extra, err.status)
    return err.code
  }
  if (err.validation !== undefined) { sendProblem(reply, 'REQUEST_INVALID', err.message); return 'REQUEST_INVALID' }
  const fst = err.code !== undefined ? FASTIFY_CODES[err.code] : undefined
  if (fst !== undefined) { sendProblem(reply, fst, err.message); return fst }
  if (err instanceof SyntaxError && err.statusCode === 400) { sendProblem(reply, 'JSON_INVALID', 'the body is not valid JSON'); return 'JSON_INVALID' }
  if (err instanceof CodedError && STATUS.has(err.code)) {
    const extra: Record<string, unknown> = {}
    for (const k of EXTRA_FIELDS) if (k in err) extra[k] = (err as unknown as Record<string, unknown>)[k]
    const internal = statusOf(err.code) >= 500
    if (internal) req.log.warn({ code: err.code }, errorMessage(err))
    sendProblem(reply, err.code, internal ? plainMessage(err.code) : err.message, extra)
    return err.code
  }
  req.log.error({ err: { name: err.name, message: err.message } }, 'unhandled error')
  sendProblem(reply, 'INTERNAL', 'the node could not answer this request')
  return 'INTERNAL'
}
