/**
 * Who may do what over HTTP (SECURITY.md §15, "Accounts"): the one place
 * where a request's bearer is checked, its role compared with the route's,
 * and its rate limits applied — all in onRequest, before any byte of the
 * body is read.
 *
 * A bearer is a personal token, a sign-in session, or (with OIDC) an ID token
 * of the ministry's identity provider. Failed bearers are counted per client
 * address (IPv6: per /64): past the limit, that address gets
 * SIGN_IN_RATE_LIMITED without any token being checked, so guessing tokens
 * is slowed to a few a minute per address whatever else the guesser sends.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { normalizeIP } from '@fastify/rate-limit'
import { HttpProblem } from './problems.js'
import { mayAct, type AccountRegistry, type Identity, type Role, type TokenRefusal } from './accounts.js'

/** Who presented a request, and their rate-limit bucket; or why not. */
export type Caller = (Identity & { bucket: string }) | { refused: TokenRefusal | 'OIDC_TOKEN_INVALID' }

export interface AuthOptions {
  accounts: AccountRegistry
  /** API requests a minute per account. @default 1200 */
  rateLimitPerMinute?: number
  /** API requests a minute per client address without a valid bearer. @default 120 */
  addressRateLimitPerMinute?: number
  /** Page files a minute per client address. @default 6000 */
  pageRateLimitPerMinute?: number
  /** Failed bearers a minute per client address before it is refused unheard. @default 10 */
  signInFailuresPerMinute?: number
  /** A bearer that is a JWT (three base64url parts): an ID token of the identity provider, when OIDC is configured. */
  verifyIdToken?: (jwt: string) => Promise<Identity>
  /** Each failed bearer, by reason (metrics). */
  onFailure?: (reason: string) => void
}

/** Probes polled by orchestrators: never rate-limited (a 429 costs as much as their answer). /readyz is limited with the page. */
const UNLIMITED: ReadonlySet<string> = new Set(['/health', '/livez'])
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/

/**
 * Failed bearers per address in fixed one-minute windows, at most `cap`
 * addresses held (the oldest window dropped first), so a flood of addresses
 * costs bounded memory.
 */
class FailureWindows {
  private readonly seen = new Map<string, { n: number, until: number }>()
  constructor (private readonly max: number, private readonly cap = 50_000) {}
  blocked (key: string, now: number): number | undefined {
    const w = this.seen.get(key)
    if (w === undefined || w.until <= now) return undefined
    return w.n >= this.max ? w.until - now : undefined
  }

  fail (key: string, now: number): void {
    const w = this.seen.get(key)
    if (w === undefined || w.until <= now) {
      this.seen.delete(key)
      if (this.seen.size >= this.cap) this.seen.delete(this.seen.keys().next().value as string)
      this.seen.set(key, { n: 1, until: now + 60_000 })
    } else w.n++
  }
}

export interface Callers {
  /** The authenticated caller of a route that has a role (throws for a public route: a bug). */
  callerOf: (req: FastifyRequest) => Identity
  /** The caller if one was authenticated (the access log, which also records refusals). */
  peek: (req: FastifyRequest) => Identity | undefined
}

/** Register authentication, roles and rate limits; returns the caller of a request (after onRequest). */
export async function registerAuth (app: FastifyInstance, o: AuthOptions): Promise<Callers> {
  const callers = new WeakMap<FastifyRequest, Caller>()
  const failures = new FailureWindows(o.signInFailuresPerMinute ?? 10)
  const address = (req: FastifyRequest): string => normalizeIP(req.ip, 64)

  const identify = async (h: string | undefined): Promise<Caller> => {
    if (typeof h !== 'string' || !h.startsWith('Bearer ') || h.length < 8) return { refused: 'TOKEN_MISSING' }
    const bearer = h.slice(7)
    if (o.verifyIdToken !== undefined && JWT.test(bearer)) {
      try {
        const who = await o.verifyIdToken(bearer)
        return { ...who, bucket: `u:${who.account}` }
      } catch (err) {
        // No mapped role (403), a revoked account, or the provider unreachable (503) are answered as such; any other failure is an invalid token.
        const code = (err as { code?: string }).code
        if (code === 'OIDC_NO_ROLE' || code === 'OIDC_PROVIDER_UNREACHABLE') throw err
        if (code === 'TOKEN_REVOKED') return { refused: 'TOKEN_REVOKED' }
        return { refused: 'OIDC_TOKEN_INVALID' }
      }
    }
    const who = o.accounts.identify(bearer)
    return 'refused' in who ? who : { ...who, bucket: `u:${who.account}` }
  }

  // Buckets per account (each person their own), per address for API
  // requests without a valid bearer, and per address for the page's files
  // (so API traffic never starves the page).
  const byAccount = app.rateLimit({ max: o.rateLimitPerMinute ?? 1200, keyGenerator: (req) => (callers.get(req) as { bucket: string }).bucket })
  const byAddress = app.rateLimit({ max: o.addressRateLimitPerMinute ?? 120, keyGenerator: (req) => `a:${address(req)}` })
  const forPage = app.rateLimit({ max: o.pageRateLimitPerMinute ?? 6000, keyGenerator: (req) => `p:${address(req)}` })

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    try {
      const need = (req.routeOptions.config as { role?: Role }).role
      if (need === undefined && !req.is404) {
        if (!UNLIMITED.has(req.routeOptions.url ?? '')) await forPage.call(app, req, reply)
        return
      }
      const now = Date.now()
      const where = address(req)
      const wait = failures.blocked(where, now)
      if (wait !== undefined) {
        o.onFailure?.('SIGN_IN_RATE_LIMITED')
        void reply.header('retry-after', String(Math.ceil(wait / 1000)))
        throw new HttpProblem('SIGN_IN_RATE_LIMITED', `too many failed sign-ins from this address; retry in ${Math.ceil(wait / 1000)} s`)
      }
      const caller = await identify(req.headers.authorization)
      callers.set(req, caller)
      await ('refused' in caller ? byAddress : byAccount).call(app, req, reply)
      if (need === undefined) return // no such route: 404, after counting it
      if ('refused' in caller) {
        // Only unknown bearers are guesses: a missing one is none, and an
        // expired or revoked token was once handed out (a customs page left
        // open must not lock its post's address out).
        if (caller.refused === 'TOKEN_INVALID' || caller.refused === 'OIDC_TOKEN_INVALID') failures.fail(where, now)
        o.onFailure?.(caller.refused)
        throw new HttpProblem(caller.refused, REFUSAL_TEXT[caller.refused])
      }
      if (!mayAct(caller.role, need)) throw new HttpProblem('ROLE_FORBIDDEN', `this needs the ${need} role; the account's role is ${caller.role}`)
    } catch (err) {
      // A refused request's body is never read: close the connection after
      // the answer rather than drain it, so a held body holds nothing here.
      if (hasBody(req)) void reply.header('connection', 'close')
      throw err
    }
  })
  const peek = (req: FastifyRequest): Identity | undefined => {
    const c = callers.get(req)
    return c === undefined || 'refused' in c ? undefined : { account: c.account, role: c.role, via: c.via }
  }
  return {
    peek,
    callerOf: (req) => {
      const c = peek(req)
      if (c === undefined) throw new Error('no authenticated caller for this request (a route without a role asked)')
      return c
    }
  }
}

const REFUSAL_TEXT: Record<TokenRefusal | 'OIDC_TOKEN_INVALID', string> = {
  TOKEN_MISSING: 'an Authorization: Bearer token is required',
  TOKEN_INVALID: 'the bearer token is not valid for this node',
  TOKEN_EXPIRED: 'the token has expired: ask for a new one (cites users rotate) or sign in again',
  TOKEN_REVOKED: 'the account was revoked',
  OIDC_TOKEN_INVALID: 'the ID token does not verify against the identity provider (signature, issuer, audience or expiry)'
}

/** Does the request announce a body (that the node has not read yet)? */
export function hasBody (req: FastifyRequest): boolean {
  const len = req.headers['content-length']
  return req.headers['transfer-encoding'] !== undefined || (len !== undefined && len !== '0')
}
