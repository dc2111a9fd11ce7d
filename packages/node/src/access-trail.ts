/**
 * Who did what over HTTP (issue 15, items 2 and 3): every API call appended
 * to the hash-chained access log, and people signed in through the ministry's
 * identity provider turned into accounts of this node.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { canonicalPermitNumber } from '@cites/permit'
import { isAccessTarget, type AccessLog, type AccessOutcome } from './access-log.js'
import type { AccountRegistry, Identity } from './accounts.js'
import type { Oidc, OidcIdentity } from './oidc.js'

/** Scraped every few seconds and telling nothing of any permit: kept out of the access log. */
const NOT_LOGGED: ReadonlySet<string> = new Set(['/metrics'])

/**
 * Append each API call (a route with a role, or a sign-in route) once its
 * answer is sent: who (account ID, never a name), what (method, route
 * pattern, the permit it was about), when, and the outcome with its code.
 * Refused calls are recorded too, with account `-` when no bearer was valid.
 */
export function recordAccess (app: FastifyInstance, log: AccessLog, peek: (req: FastifyRequest) => Identity | undefined, codeOf: (req: FastifyRequest) => string | undefined): void {
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url
    if (route === undefined || NOT_LOGGED.has(route)) return
    const hasRole = (req.routeOptions.config as { role?: string }).role !== undefined
    if (!hasRole && !route.startsWith('/auth/')) return
    const who = peek(req)
    const p = (req.params ?? {}) as { party?: string, number?: string, id?: string }
    const target = p.party !== undefined && p.number !== undefined ? `${p.party}/${canonicalPermitNumber(p.number) ?? 'INVALID'}` : p.id
    const status = reply.statusCode
    const outcome: AccessOutcome = status < 400 ? 'ok' : status < 500 ? 'refused' : 'error'
    const code = codeOf(req)
    // Not awaited: the answer is already sent; a failed append is logged by code (the verify command finds the gap in the chain).
    log.append({
      account: who?.account ?? '-', role: who?.role ?? '-', via: who?.via ?? 'none', method: req.method, route, status, outcome,
      ...(target !== undefined && isAccessTarget(target) ? { target } : {}),
      ...(code !== undefined ? { code } : {})
    }).catch((err: Error & { code?: string }) => { app.log.error({ code: err.code ?? 'AUDIT_APPEND_FAILED' }, 'an access-log line could not be written') })
  })
}

/** A bearer ID token of the identity provider, as the account it signs in (no write when the account is known with that role). */
export async function signedInThrough (oidc: Oidc, accounts: AccountRegistry, jwt: string): Promise<Identity> {
  const who: OidcIdentity = await oidc.verifyBearer(jwt)
  const a = await accounts.accountOfSubject(who, false)
  return { account: a.id, role: a.role, via: 'oidc' }
}

/** The sign-in routes: a person back from the provider gets a session token of their account (held in memory, `sessionMinutes`). */
export async function registerOidcSignIn (app: FastifyInstance, oidc: Oidc, accounts: AccountRegistry): Promise<void> {
  await oidc.register(app, async (who, session) => {
    const a = await accounts.accountOfSubject(who, true)
    return { sessionToken: accounts.openSession(a, Math.max(1000, session.expiresAt - Date.now())) }
  })
}
