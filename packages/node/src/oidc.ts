/**
 * Sign-in with the ministry's identity provider (OpenID Connect, issue 15).
 *
 * Two ways in, both ending in an `OidcIdentity` with one of the node's roles:
 * - a person, on the customs page: the authorization code flow with PKCE
 *   (S256), `state` and `nonce` (openid-client does the protocol). The
 *   callback checks the ID token once more against the provider's published
 *   keys (its JWKS), maps the role claim through `roleMap`, lets the caller
 *   open a session (`onSignedIn`), and sends the browser to
 *   `/#session=<token>`: a fragment, which browsers never send to a server,
 *   so the session token reaches no request line and no log.
 * - a machine: `verifyBearer(jwt)` accepts an ID token the provider issued
 *   (signature, issuer, audience, time; asymmetric algorithms only).
 *
 * What a sign-in in progress needs (PKCE verifier, nonce) stays on the
 * server, keyed by `state`, for 5 minutes and one use, in a bounded map. The
 * state is also bound to the browser that started it by a cookie, so a
 * callback URL carried to another browser (login CSRF: signing a victim in
 * as the attacker) is refused. Nothing here logs a token, a code, a name or
 * a claim: errors carry fixed sentences and their stable codes.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import * as client from 'openid-client'
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose'
import { parseCookie, stringifySetCookie } from 'cookie'
import { z } from 'zod'
import {
  ConfigError, NodeFileError, OidcCodeRefusedError, OidcNoRoleError, OidcProviderUnreachableError, OidcStateUnknownError, OidcTokenInvalidError
} from './errors.js'

/** The node's roles, most powerful first: when a person's claim maps to several, the first wins. */
export const OIDC_ROLES = ['admin', 'issuer', 'customs', 'viewer'] as const
export type OidcRole = typeof OIDC_ROLES[number]

/** The `oidc:` block of the node config. */
export const OIDC_CONFIG = z.object({
  /** The provider's issuer URL; its discovery document is `<issuer>/.well-known/openid-configuration`. */
  issuer: z.url({ protocol: /^https?$/ }),
  clientId: z.string().min(1).max(256),
  /** The client secret, or a file holding it (preferred: kept out of the config). Neither: a public client (PKCE only). */
  clientSecret: z.string().min(1).optional(),
  clientSecretFile: z.string().min(1).optional(),
  /** This node's callback, as registered at the provider: `https://<node>/auth/oidc/callback`. */
  redirectUri: z.url({ protocol: /^https?$/ }),
  scopes: z.array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'a scope token')).min(1)
    .refine((s) => s.includes('openid'), 'must include openid').default(['openid', 'profile']),
  /** The claim holding the person's groups or roles (a string or a list of strings); a dotted path reaches into objects, e.g. realm_access.roles. */
  roleClaim: z.string().min(1).max(200).default('roles'),
  /** Claim value to node role, e.g. { cites-customs: customs }. A person whose values map to none is refused (OIDC_NO_ROLE). */
  roleMap: z.record(z.string().min(1), z.enum(OIDC_ROLES)).refine((m) => Object.keys(m).length > 0, 'map at least one claim value to a role'),
  /** The claim with the person's display name (kept in the account store, never logged). */
  nameClaim: z.string().min(1).max(200).default('name'),
  /** How long a session opened by a sign-in lasts. */
  sessionMinutes: z.number().int().min(1).max(7 * 24 * 60).default(480),
  /** The `aud` a bearer ID token must carry (machines). @default clientId */
  audience: z.string().min(1).optional()
}).strict().refine((c) => c.clientSecret === undefined || c.clientSecretFile === undefined, { message: 'give clientSecret or clientSecretFile, not both', path: ['clientSecretFile'] })

export type OidcConfig = z.infer<typeof OIDC_CONFIG>
/** The config as written (defaults not yet applied). */
export type OidcConfigInput = z.input<typeof OIDC_CONFIG>

/** Who signed in: the provider and its stable subject (the account's key), the mapped role, the display name if given. */
export interface OidcIdentity { issuer: string, subject: string, role: OidcRole, name?: string }

/** What `onSignedIn` learns about the session to open. */
export interface OidcSession { expiresAt: number }

export interface OidcDeps {
  /** The clock (ms): state expiry and the ID token's time checks. @default Date.now */
  now?: () => number
  /** Let the issuer (and the keys and endpoints it names) be plain http: tests on loopback only. @default false */
  allowHttpIssuer?: boolean
  /** Sign-ins in progress held at once; past it the oldest is dropped. @default 10000 */
  maxPending?: number
}

export interface Oidc {
  /** Adds `GET /auth/oidc/login` and `GET /auth/oidc/callback` to `app` (public routes). */
  register: (app: FastifyInstance, onSignedIn: (who: OidcIdentity, session: OidcSession) => Promise<{ sessionToken: string }>) => Promise<void>
  /** A provider-issued ID token as a bearer: the person or machine it names, or OidcTokenInvalidError / OidcNoRoleError. */
  verifyBearer: (jwt: string) => Promise<OidcIdentity>
  /** Sign-ins in progress (for metrics and tests). */
  pending: () => number
  close: () => void
}

/** How long a started sign-in may take to come back. */
export const OIDC_STATE_TTL_MS = 5 * 60_000
/** Tolerated clock difference with the provider for exp, nbf and iat. */
const CLOCK_TOLERANCE_S = 30
/** Asymmetric algorithms only: HS* would make the client secret (known to every node sharing it) a signing key; 'none' is no signature. */
const ID_TOKEN_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519']
const LOGIN = '/auth/oidc/login'
const CALLBACK = '/auth/oidc/callback'

interface Pending { verifier: string, nonce: string, binding: Buffer, expires: number }

/** Parse the `oidc:` block; problems name their field under `oidc.`. */
export function parseOidcConfig (raw: unknown): OidcConfig {
  const r = OIDC_CONFIG.safeParse(raw)
  if (r.success) return r.data
  const problems = r.error.issues.map((i) => ({ field: ['oidc', ...i.path].join('.'), message: i.message }))
  throw new ConfigError(`oidc: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, problems)
}

export function createOidc (config: OidcConfig, deps: OidcDeps = {}): Oidc {
  const now = deps.now ?? Date.now
  const allowHttp = deps.allowHttpIssuer === true
  const maxPending = deps.maxPending ?? 10_000
  const audience = config.audience ?? config.clientId
  const issuerUrl = new URL(config.issuer)
  const redirect = new URL(config.redirectUri)
  if (!allowHttp && (issuerUrl.protocol !== 'https:' || redirect.protocol !== 'https:')) {
    throw new ConfigError('oidc: the issuer and the redirectUri must be https', [{ field: issuerUrl.protocol !== 'https:' ? 'oidc.issuer' : 'oidc.redirectUri', message: 'must be https' }])
  }
  if (redirect.pathname !== CALLBACK) {
    throw new ConfigError(`oidc: the redirectUri must end in ${CALLBACK}`, [{ field: 'oidc.redirectUri', message: `must be this node's ${CALLBACK}` }])
  }
  const secret = clientSecret(config)
  // Cookies that bind a sign-in to its browser: __Host- (https only) so no
  // sibling subdomain can plant one; on plain http (loopback tests) a path-scoped one.
  const secureCookie = redirect.protocol === 'https:'
  const cookiePrefix = secureCookie ? '__Host-cites_oidc_' : 'cites_oidc_'
  const cookiePath = secureCookie ? '/' : CALLBACK

  const pending = new Map<string, Pending>()
  let provider: Promise<{ config: client.Configuration, keys: ReturnType<typeof createRemoteJWKSet>, issuer: string }> | undefined
  let closed = false

  /** Discovery once, on first use (a provider down at the node's start must not stop the node); retried after a failure. */
  const discover = async (): Promise<NonNullable<Awaited<typeof provider>>> => {
    if (closed) throw new OidcProviderUnreachableError('the sign-in module is closed')
    provider ??= (async () => {
      const c = await client.discovery(issuerUrl, config.clientId, { redirect_uris: [config.redirectUri], response_types: ['code'], [client.clockTolerance]: CLOCK_TOLERANCE_S },
        secret === undefined ? client.None() : client.ClientSecretBasic(secret),
        { ...(allowHttp ? { execute: [client.allowInsecureRequests] } : {}), timeout: 10 })
      const meta = c.serverMetadata()
      if (meta.jwks_uri === undefined) throw new Error('the provider publishes no jwks_uri')
      const jwks = new URL(meta.jwks_uri)
      if (!allowHttp && jwks.protocol !== 'https:') throw new Error('the provider\'s jwks_uri is not https')
      // Unknown kid: refetched (key rotation), at most every 30 s (a flood of forged kids costs the provider nothing).
      return { config: c, keys: createRemoteJWKSet(jwks, { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000, timeoutDuration: 10_000 }), issuer: meta.issuer }
    })()
    try {
      return await provider
    } catch {
      provider = undefined
      throw new OidcProviderUnreachableError('the identity provider\'s discovery document or keys could not be loaded')
    }
  }

  /** Signature against the provider's JWKS, iss, aud, exp/nbf/iat; then the role. */
  const checkIdToken = async (jwt: string, aud: string): Promise<OidcIdentity> => {
    const p = await discover()
    let claims: JWTPayload
    try {
      ({ payload: claims } = await jwtVerify(jwt, p.keys, {
        issuer: p.issuer, audience: aud, algorithms: ID_TOKEN_ALGS, clockTolerance: CLOCK_TOLERANCE_S,
        currentDate: new Date(now()), requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat']
      }))
    } catch (err) {
      // The keys endpoint down is the provider's fault, not the token's.
      if (err instanceof Error && (err as { code?: string }).code === 'ERR_JWKS_TIMEOUT') throw new OidcProviderUnreachableError('the identity provider\'s keys could not be loaded')
      throw new OidcTokenInvalidError('the ID token is not valid for this node')
    }
    return identify(claims, p.issuer)
  }

  const identify = (claims: JWTPayload, issuer: string): OidcIdentity => {
    const role = mapRole(claimAt(claims, config.roleClaim), config.roleMap)
    if (role === undefined) throw new OidcNoRoleError(`the identity provider gives this person no role mapped in oidc.roleMap (claim ${config.roleClaim})`)
    const name = claimAt(claims, config.nameClaim)
    return { issuer, subject: String(claims.sub), role, ...(typeof name === 'string' && name.trim() !== '' ? { name: name.trim().slice(0, 200) } : {}) }
  }

  /** Drop expired sign-ins (insertion order is time order), then the oldest while full. */
  const prune = (): void => {
    const t = now()
    for (const [state, p] of pending) {
      if (p.expires > t) break
      pending.delete(state)
    }
    while (pending.size >= maxPending) {
      const oldest = pending.keys().next().value
      if (oldest === undefined) break
      pending.delete(oldest)
    }
  }

  const cookieName = (state: string): string => cookiePrefix + createHash('sha256').update(state).digest('hex').slice(0, 16)

  const login = async (_req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const p = await discover()
    const verifier = client.randomPKCECodeVerifier()
    const state = client.randomState()
    const nonce = client.randomNonce()
    const binding = randomBytes(32)
    prune()
    pending.set(state, { verifier, nonce, binding: sha256(binding), expires: now() + OIDC_STATE_TTL_MS })
    const url = client.buildAuthorizationUrl(p.config, {
      redirect_uri: config.redirectUri,
      scope: config.scopes.join(' '),
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce
    })
    return await reply
      .header('cache-control', 'no-store')
      .header('set-cookie', stringifySetCookie({ name: cookieName(state), value: binding.toString('base64url'), path: cookiePath, httpOnly: true, secure: secureCookie, sameSite: 'lax', maxAge: OIDC_STATE_TTL_MS / 1000 }))
      .redirect(url.href, 302)
  }

  const callback = (onSignedIn: Parameters<Oidc['register']>[1]) => async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const query = new URL(req.url, 'http://callback.invalid').searchParams
    const state = query.get('state') ?? ''
    const entry = pending.get(state)
    // Single use: gone whatever happens next, so a replayed callback finds nothing.
    pending.delete(state)
    void reply.header('cache-control', 'no-store')
    if (entry === undefined || entry.expires <= now()) throw new OidcStateUnknownError('this sign-in is unknown, expired or already used: start it again')
    void reply.header('set-cookie', stringifySetCookie({ name: cookieName(state), value: '', path: cookiePath, httpOnly: true, secure: secureCookie, sameSite: 'lax', maxAge: 0 }))
    const cookie = parseCookie(req.headers.cookie ?? '')[cookieName(state)]
    const given = sha256(Buffer.from(cookie ?? '', 'base64url'))
    if (cookie === undefined || !timingSafeEqual(given, entry.binding)) throw new OidcStateUnknownError('this sign-in was started in another browser: start it again')

    const p = await discover()
    const current = new URL(config.redirectUri)
    current.search = query.toString()
    let idToken: string | undefined
    try {
      const tokens = await client.authorizationCodeGrant(p.config, current, { pkceCodeVerifier: entry.verifier, expectedState: state, expectedNonce: entry.nonce, idTokenExpected: true })
      idToken = tokens.id_token
    } catch (err) {
      throw grantError(err)
    }
    if (idToken === undefined) throw new OidcTokenInvalidError('the identity provider returned no ID token')
    // openid-client checks the token endpoint's ID token claims but, as OIDC
    // allows over TLS, not its signature: checked here against the JWKS,
    // like a bearer's.
    const who = await checkIdToken(idToken, config.clientId)
    const { sessionToken } = await onSignedIn(who, { expiresAt: now() + config.sessionMinutes * 60_000 })
    return await reply.redirect(`/#session=${encodeURIComponent(sessionToken)}`, 302)
  }

  return {
    async register (app, onSignedIn) {
      // logLevel warn: the info request log would carry the callback's URL (code and state).
      app.get(LOGIN, { logLevel: 'warn', schema: { summary: 'Sign in with the identity provider (OIDC): redirects to it', security: [] } }, login)
      app.get(CALLBACK, { logLevel: 'warn', schema: { summary: 'The identity provider\'s redirect back: opens a session and redirects to /#session=<token>', security: [] } }, callback(onSignedIn))
    },
    verifyBearer: async (jwt) => await checkIdToken(jwt, audience),
    pending: () => pending.size,
    close () {
      closed = true
      pending.clear()
      provider = undefined
    }
  }
}

/** An error of the code exchange as our code: the provider's refusal, the provider unreachable, or a bad token. */
function grantError (err: unknown): Error {
  if (err instanceof client.ResponseBodyError || err instanceof client.AuthorizationResponseError) {
    return new OidcCodeRefusedError('the identity provider refused the sign-in')
  }
  const code = (err as { code?: unknown } | null)?.code
  if (err instanceof TypeError || code === 'OAUTH_TIMEOUT' || code === 'OAUTH_ABORT' || code === 'OAUTH_RESPONSE_IS_NOT_CONFORM') {
    return new OidcProviderUnreachableError('the identity provider could not complete the sign-in')
  }
  return new OidcTokenInvalidError('the identity provider\'s answer failed a check (issuer, audience, time or nonce)')
}

function clientSecret (config: OidcConfig): string | undefined {
  if (config.clientSecretFile === undefined) return config.clientSecret
  try {
    const s = readFileSync(config.clientSecretFile, 'utf8').trim()
    if (s === '') throw new Error('empty')
    return s
  } catch {
    throw new NodeFileError(`oidc.clientSecretFile ${config.clientSecretFile} is missing, unreadable or empty`)
  }
}

const sha256 = (b: Buffer): Buffer => createHash('sha256').update(b).digest()

/** The value at a dotted path of the claims (own properties only). */
export function claimAt (claims: Record<string, unknown>, path: string): unknown {
  let v: unknown = claims
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, part)) return undefined
    v = (v as Record<string, unknown>)[part]
  }
  return v
}

/** The most powerful role any of the claim's values maps to; the claim is a string or an array of strings. */
export function mapRole (claim: unknown, roleMap: Readonly<Record<string, OidcRole>>): OidcRole | undefined {
  const values = typeof claim === 'string' ? [claim] : Array.isArray(claim) ? claim.filter((x): x is string => typeof x === 'string') : []
  const roles = new Set(values.filter((v) => Object.hasOwn(roleMap, v)).map((v) => roleMap[v]))
  return OIDC_ROLES.find((r) => roles.has(r))
}
