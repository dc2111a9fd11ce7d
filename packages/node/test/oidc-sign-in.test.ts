/**
 * Sign-in with the ministry's identity provider (issue 15 §2 and §7;
 * SECURITY.md "Sign-in with the ministry's identity provider (OIDC)"),
 * against a real OpenID provider (`oidc-provider`) on loopback, with a
 * Fastify app that registers the node's OIDC module. A small cookie-keeping
 * user agent follows the redirects as a browser does; the provider's login
 * step is finished programmatically (the test says who signs in).
 *
 * What it stops: a replayed callback, a stolen authorization code redeemed
 * in the thief's own sign-in, a callback URL carried to another browser
 * (login CSRF), a late or unknown state, a person with no mapped role, and,
 * as bearer tokens, ID tokens that are forged, expired, not yet valid, for
 * another audience or issuer, unsigned (alg none) or HMAC-signed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { pino } from 'pino'
import Provider, { type KoaContextWithOIDC } from 'oidc-provider'
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type JWTPayload } from 'jose'
import { parseSetCookie } from 'cookie'
import { join } from 'node:path'
import { tempDir, type TempDir } from '@cites/test-kit'
import { authorities, basePort, startPermitNode, stopAll, trustListXml, type TestNode } from './kit.js'
import { answerError, statusOf } from '../src/problems.js'
import { AccountRegistry, buildHttpApi, readAccounts, revokeAccount, ConfigError, OIDC_CONFIG, OidcProviderUnreachableError, claimAt, createOidc, mapRole, parseOidcConfig, type Oidc, type OidcIdentity } from '../src/index.js'

const CLIENT_ID = 'cites-node'
const CLIENT_SECRET = 'a-client-secret-for-the-loopback-provider-only'
const KID = 'idp-key-1'

/** The provider's people: their display name and groups (the `roles` claim). */
const PEOPLE: Record<string, { name: string, roles: string[] | string }> = {
  alice: { name: 'Alice Officer', roles: ['staff', 'cites-customs'] },
  // In two mapped groups: the more powerful role is taken.
  dora: { name: 'Dora Director', roles: ['cites-viewer', 'cites-admin'] },
  // In no mapped group.
  bob: { name: 'Bob Bystander', roles: ['staff'] }
}
const ROLE_MAP = { 'cites-customs': 'customs', 'cites-issuer': 'issuer', 'cites-admin': 'admin', 'cites-viewer': 'viewer' } as const

async function listen (server: Server, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, '127.0.0.1', resolve) })
  return (server.address() as AddressInfo).port
}
/** A loopback port free now (the app's callback must be registered at the provider before the app listens). */
async function freePort (): Promise<number> {
  const s = createServer()
  const port = await listen(s)
  await new Promise((resolve) => s.close(resolve))
  return port
}

interface Idp {
  issuer: string
  server: Server
  signingKey: CryptoKey
  publicPem: string
  /** When set, the token endpoint's ID token is altered on its way out (a proxy or a broken TLS path), its signature kept. */
  alterIdToken?: (claims: Record<string, unknown>) => void
}

/** A real OpenID provider on loopback: one confidential client (PKCE required), RS256 ID tokens carrying name and roles. */
async function startIdp (redirectUri: string): Promise<Idp> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => { res.statusCode = 503; res.end() }
  const server = createServer((req, res) => { handle(req, res) })
  const issuer = `http://127.0.0.1:${await listen(server)}`
  const provider = new Provider(issuer, {
    clients: [{
      client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [redirectUri],
      response_types: ['code'], grant_types: ['authorization_code'], token_endpoint_auth_method: 'client_secret_basic'
    }],
    pkce: { required: () => true },
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: KID, alg: 'RS256', use: 'sig' }] },
    cookies: { keys: ['loopback-provider-cookie-key'] },
    claims: { openid: ['sub'], profile: ['name', 'roles'] },
    // The scope's claims in the ID token itself (not only at userinfo), as ministry providers are set up for this client.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    ttl: { Interaction: 600, Grant: 600, Session: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx, sub) => {
      const p = PEOPLE[sub]
      return p === undefined ? undefined : { accountId: sub, claims: async () => ({ sub, name: p.name, roles: p.roles }) }
    },
    // A first-party client: consent is given by the ministry, not asked of each officer.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { client, session } = ctx.oidc
      if (client === undefined || session?.accountId === undefined) return undefined
      const id = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId)
      if (id !== undefined) return await ctx.oidc.provider.Grant.find(id)
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId })
      grant.addOIDCScope('openid profile')
      await grant.save()
      return grant
    }
  })
  const callback = provider.callback()
  const idp: Idp = { issuer, server, signingKey: privateKey, publicPem: await exportSPKI(publicKey) }
  handle = (req, res) => {
    const url = new URL(req.url ?? '/', issuer)
    if (url.pathname.startsWith('/interaction/')) {
      // The login page: the test's user agent asks again with ?login=<person>.
      const login = url.searchParams.get('login')
      if (login === null) { res.writeHead(200, { 'content-type': 'text/html' }).end('<form>sign in</form>'); return }
      provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false }).catch(() => { res.statusCode = 500; res.end() })
      return
    }
    const alter = idp.alterIdToken
    if (alter !== undefined && req.url === '/token') {
      // Koa sets its headers and then ends with the whole body: rewrite it there.
      const end = res.end.bind(res) as (body: string) => ServerResponse
      res.end = ((body: Buffer | string) => {
        const answer = JSON.parse(String(body)) as { id_token?: string }
        const [h, p, sig] = (answer.id_token ?? '').split('.')
        const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as Record<string, unknown>
        alter(claims)
        answer.id_token = `${h ?? ''}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig ?? ''}`
        const out = JSON.stringify(answer)
        res.setHeader('content-length', Buffer.byteLength(out))
        return end(out)
      }) as typeof res.end
    }
    callback(req, res)
  }
  return idp
}

/** A user agent that keeps cookies per host (not port, as browsers do) and lets the test follow redirects one at a time. */
class Browser {
  private readonly jar = new Map<string, Map<string, { value: string, path: string }>>()

  async get (url: string): Promise<Response> {
    const u = new URL(url)
    const cookies = [...(this.jar.get(u.hostname) ?? new Map()).entries()]
      .filter(([, c]) => u.pathname === c.path || u.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map(([k, c]) => `${k.split('\0')[0] ?? ''}=${c.value}`)
    const res = await fetch(u, { redirect: 'manual', headers: cookies.length > 0 ? { cookie: cookies.join('; ') } : {} })
    for (const line of res.headers.getSetCookie()) {
      const c = parseSetCookie(line)
      const path = c.path ?? '/'
      const host = this.jar.get(u.hostname) ?? new Map()
      this.jar.set(u.hostname, host)
      if (c.value === undefined || c.value === '' || c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() < Date.now())) host.delete(`${c.name}\0${path}`)
      else host.set(`${c.name}\0${path}`, { value: c.value, path })
    }
    return res
  }

  /** GET `/auth/oidc/login` of `app`; answers the provider's redirect (the authorization request). */
  async startSignIn (app: string): Promise<URL> {
    const res = await this.get(`${app}/auth/oidc/login`)
    expect(res.status).toBe(302)
    return new URL(res.headers.get('location') ?? '')
  }

  /** At the provider, sign in as `person`; answers the callback URL the provider sends the browser to (not yet followed). */
  async atProvider (authorizationUrl: URL, person: string, redirectUri: string): Promise<URL> {
    let url = authorizationUrl
    for (let hops = 0; hops < 10; hops++) {
      if (url.href.startsWith(redirectUri)) return url
      if (url.pathname.startsWith('/interaction/') && !url.searchParams.has('login')) url.searchParams.set('login', person)
      const res = await this.get(url.href)
      const location = res.headers.get('location')
      if (location === null) throw new Error(`the provider answered ${res.status} at ${url.pathname} without a redirect`)
      url = new URL(location, url)
    }
    throw new Error('too many redirects at the provider')
  }

  /** The whole sign-in as far as the callback URL. */
  async signInAt (app: string, person: string, redirectUri: string): Promise<URL> {
    return await this.atProvider(await this.startSignIn(app), person, redirectUri)
  }
}

interface Problem { status: number, code: string, location: string | null }
async function deliver (browser: Browser, callback: URL): Promise<Problem> {
  const res = await browser.get(callback.href)
  const body = res.headers.get('content-type')?.includes('json') === true ? await res.json() as { code?: string } : {}
  return { status: res.status, code: body.code ?? '', location: res.headers.get('location') }
}

describe('sign-in with the identity provider (OIDC, code flow with PKCE)', () => {
  let idp: Idp
  let app: FastifyInstance
  let oidc: Oidc
  let appUrl: string
  let redirectUri: string
  const signedIn: OidcIdentity[] = []
  const logLines: string[] = []
  /** Moves this node's clock (the state's 5 minutes, the ID token's times). */
  let skewMs = 0

  beforeAll(async () => {
    const port = await freePort()
    appUrl = `http://127.0.0.1:${port}`
    redirectUri = `${appUrl}/auth/oidc/callback`
    idp = await startIdp(redirectUri)
    oidc = createOidc(OIDC_CONFIG.parse({ issuer: idp.issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri, roleMap: ROLE_MAP }),
      { allowHttpIssuer: true, now: () => Date.now() + skewMs, maxPending: 8 })
    const logger = pino({ level: 'info' }, new Writable({ write (chunk: Buffer, _enc, done) { logLines.push(chunk.toString()); done() } }))
    app = Fastify({ loggerInstance: logger as FastifyBaseLogger })
    app.setErrorHandler((err: Error, req, reply) => { answerError(err, req, reply) })
    await oidc.register(app, async (who) => {
      signedIn.push(who)
      return { sessionToken: `session-${signedIn.length}` }
    })
    await app.listen({ port, host: '127.0.0.1' })
  })
  afterAll(async () => {
    oidc?.close()
    await app?.close()
    await new Promise((resolve) => idp?.server.close(resolve))
  })

  it('a full sign-in gives the mapped role, and the session token only in the fragment', async () => {
    const browser = new Browser()
    const authorization = await browser.startSignIn(appUrl)
    expect(authorization.origin).toBe(idp.issuer)
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256')
    for (const p of ['state', 'nonce', 'code_challenge']) expect(authorization.searchParams.get(p)?.length).toBeGreaterThanOrEqual(22)
    const callback = await browser.atProvider(authorization, 'alice', redirectUri)
    const code = callback.searchParams.get('code') ?? ''
    expect(code).not.toBe('')

    const answer = await deliver(browser, callback)
    expect(answer.status).toBe(302)
    expect(answer.location).toBe('/#session=session-1')
    expect(signedIn.at(-1)).toEqual({ issuer: idp.issuer, subject: 'alice', role: 'customs', name: 'Alice Officer' })
    expect(oidc.pending()).toBe(0)
    // Never in a log line: the code, the state, the session token, the name.
    for (const secret of [code, callback.searchParams.get('state') ?? '', 'session-1', 'Alice Officer']) {
      expect(logLines.filter((l) => l.includes(secret))).toEqual([])
    }
  })

  it('an ID token altered between the provider and the node (roles raised to admin, signature kept) is refused: OIDC_TOKEN_INVALID', async () => {
    const browser = new Browser()
    const callback = await browser.signInAt(appUrl, 'alice', redirectUri)
    const before = signedIn.length
    idp.alterIdToken = (claims) => { claims.roles = ['cites-admin'] }
    try {
      expect(await deliver(browser, callback)).toMatchObject({ status: 401, code: 'OIDC_TOKEN_INVALID' })
    } finally {
      delete idp.alterIdToken
    }
    expect(signedIn.length).toBe(before)
  })

  it('a person in two mapped groups gets the more powerful role', async () => {
    const browser = new Browser()
    const answer = await deliver(browser, await browser.signInAt(appUrl, 'dora', redirectUri))
    expect(answer.status).toBe(302)
    expect(signedIn.at(-1)?.role).toBe('admin')
  })

  it('a replayed callback (the same code and state again) is refused: OIDC_STATE_UNKNOWN', async () => {
    const browser = new Browser()
    const callback = await browser.signInAt(appUrl, 'alice', redirectUri)
    expect((await deliver(browser, callback)).status).toBe(302)
    const before = signedIn.length
    const replay = await deliver(browser, callback)
    expect(replay).toMatchObject({ status: 401, code: 'OIDC_STATE_UNKNOWN' })
    expect(signedIn.length).toBe(before)
  })

  it('a replayed authorization code, redeemed in the thief\'s own sign-in after its owner used it, is refused by the provider: OIDC_CODE_REFUSED', async () => {
    const victim = new Browser()
    const callback = await victim.signInAt(appUrl, 'alice', redirectUri)
    expect((await deliver(victim, callback)).status).toBe(302)
    const before = signedIn.length
    // The thief starts a sign-in of its own (a fresh state bound to its browser) and hands the stolen code in with it.
    const thief = new Browser()
    const own = await thief.startSignIn(appUrl)
    const forged = new URL(callback)
    forged.searchParams.set('state', own.searchParams.get('state') ?? '')
    expect(await deliver(thief, forged)).toMatchObject({ status: 401, code: 'OIDC_CODE_REFUSED' })
    expect(signedIn.length).toBe(before)
  })

  it('an intercepted code not yet used, redeemed in the thief\'s own sign-in, is refused (PKCE: the thief lacks its verifier): OIDC_CODE_REFUSED', async () => {
    const victim = new Browser()
    const callback = await victim.signInAt(appUrl, 'alice', redirectUri)
    const before = signedIn.length
    const thief = new Browser()
    const own = await thief.startSignIn(appUrl)
    const forged = new URL(callback)
    forged.searchParams.set('state', own.searchParams.get('state') ?? '')
    expect(await deliver(thief, forged)).toMatchObject({ status: 401, code: 'OIDC_CODE_REFUSED' })
    expect(signedIn.length).toBe(before)
  })

  it('a callback URL carried to another browser (login CSRF: signing the victim in as the attacker) is refused: OIDC_STATE_UNKNOWN', async () => {
    const attacker = new Browser()
    const callback = await attacker.signInAt(appUrl, 'alice', redirectUri)
    const before = signedIn.length
    expect(await deliver(new Browser(), callback)).toMatchObject({ status: 401, code: 'OIDC_STATE_UNKNOWN' })
    expect(signedIn.length).toBe(before)
  })

  it('an unknown state is refused: OIDC_STATE_UNKNOWN', async () => {
    const browser = new Browser()
    const callback = await browser.signInAt(appUrl, 'alice', redirectUri)
    callback.searchParams.set('state', 'a-state-this-node-never-issued')
    expect(await deliver(browser, callback)).toMatchObject({ status: 401, code: 'OIDC_STATE_UNKNOWN' })
  })

  it('a sign-in that comes back after its 5 minutes is refused: OIDC_STATE_UNKNOWN', async () => {
    const browser = new Browser()
    const callback = await browser.signInAt(appUrl, 'alice', redirectUri)
    skewMs = 5 * 60_000 + 1000
    try {
      expect(await deliver(browser, callback)).toMatchObject({ status: 401, code: 'OIDC_STATE_UNKNOWN' })
    } finally {
      skewMs = 0
    }
  })

  it('a person the role map gives no role is refused: OIDC_NO_ROLE', async () => {
    const browser = new Browser()
    const before = signedIn.length
    expect(await deliver(browser, await browser.signInAt(appUrl, 'bob', redirectUri))).toMatchObject({ status: 403, code: 'OIDC_NO_ROLE' })
    expect(signedIn.length).toBe(before)
  })

  it('a flood of started sign-ins holds at most maxPending; the oldest is dropped', async () => {
    const browser = new Browser()
    const first = await browser.startSignIn(appUrl)
    for (let i = 0; i < 20; i++) await browser.startSignIn(appUrl)
    expect(oidc.pending()).toBe(8)
    const callback = await browser.atProvider(first, 'alice', redirectUri)
    expect(await deliver(browser, callback)).toMatchObject({ status: 401, code: 'OIDC_STATE_UNKNOWN' })
  })

  describe('verifyBearer: an ID token as a machine\'s bearer', () => {
    const claims = (over: JWTPayload = {}): JWTPayload => {
      const t = Math.floor(Date.now() / 1000)
      return { iss: idp.issuer, aud: CLIENT_ID, sub: 'permit-system', roles: ['cites-issuer'], iat: t, exp: t + 600, ...over }
    }
    const signed = async (payload: JWTPayload, key: CryptoKey | Uint8Array = idp.signingKey, alg = 'RS256'): Promise<string> =>
      await new SignJWT(payload).setProtectedHeader({ alg, kid: KID, typ: 'JWT' }).sign(key)
    const refusal = async (jwt: string): Promise<string> => await oidc.verifyBearer(jwt).then(() => 'accepted', (err: { code?: string }) => err.code ?? 'no code')

    it('an ID token the provider signed is accepted with its mapped role', async () => {
      expect(await oidc.verifyBearer(await signed(claims()))).toEqual({ issuer: idp.issuer, subject: 'permit-system', role: 'issuer' })
    })

    it('a forged ID token (signed by another key under the provider\'s kid) is refused: OIDC_TOKEN_INVALID', async () => {
      const other = await generateKeyPair('RS256')
      expect(await refusal(await signed(claims(), other.privateKey))).toBe('OIDC_TOKEN_INVALID')
    })

    it('an expired ID token is refused (beyond the 30 s leeway), a just-expired one within it is not', async () => {
      const t = Math.floor(Date.now() / 1000)
      expect(await refusal(await signed(claims({ iat: t - 3600, exp: t - 120 })))).toBe('OIDC_TOKEN_INVALID')
      expect(await refusal(await signed(claims({ iat: t - 3600, exp: t - 5 })))).toBe('accepted')
    })

    it('an ID token not yet valid (nbf ahead) is refused', async () => {
      expect(await refusal(await signed(claims({ nbf: Math.floor(Date.now() / 1000) + 600 })))).toBe('OIDC_TOKEN_INVALID')
    })

    it('an ID token for another audience is refused', async () => {
      expect(await refusal(await signed(claims({ aud: 'another-client' })))).toBe('OIDC_TOKEN_INVALID')
    })

    it('an ID token of another issuer is refused', async () => {
      expect(await refusal(await signed(claims({ iss: 'http://127.0.0.1:1' })))).toBe('OIDC_TOKEN_INVALID')
    })

    it('an unsigned ID token (alg none) is refused', async () => {
      const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url')
      expect(await refusal(`${b64({ alg: 'none', kid: KID })}.${b64(claims())}.`)).toBe('OIDC_TOKEN_INVALID')
    })

    it('an HMAC-signed ID token is refused, keyed with the client secret or with the provider\'s public key (key confusion)', async () => {
      expect(await refusal(await signed(claims(), new TextEncoder().encode(CLIENT_SECRET), 'HS256'))).toBe('OIDC_TOKEN_INVALID')
      expect(await refusal(await signed(claims(), new TextEncoder().encode(idp.publicPem), 'HS256'))).toBe('OIDC_TOKEN_INVALID')
    })

    it('with the provider unreachable, a bearer ID token is not accepted: OIDC_PROVIDER_UNREACHABLE (503), and sign-in does not start', async () => {
      const port = await freePort()
      const down = createOidc(OIDC_CONFIG.parse({ issuer: `http://127.0.0.1:${port}`, clientId: CLIENT_ID, redirectUri, roleMap: ROLE_MAP }), { allowHttpIssuer: true })
      const err = await down.verifyBearer(await signed(claims())).then(() => undefined, (e: unknown) => e)
      expect(err).toBeInstanceOf(OidcProviderUnreachableError)
      expect(statusOf((err as OidcProviderUnreachableError).code)).toBe(503)
      down.close()
    })

    it('a genuine ID token whose roles map to nothing is refused: OIDC_NO_ROLE', async () => {
      expect(await refusal(await signed(claims({ roles: ['staff'] })))).toBe('OIDC_NO_ROLE')
      expect(await refusal(await signed(claims({ roles: undefined })))).toBe('OIDC_NO_ROLE')
    })
  })
})

describe('sign-in through the node\'s own API: a person of the identity provider becomes an account of this node', () => {
  let idp: Idp
  let node: TestNode
  let app: FastifyInstance
  let oidc: Oidc
  let accounts: AccountRegistry
  let dir: TempDir
  let appUrl = ''
  let redirectUri = ''

  beforeAll(async () => {
    dir = tempDir('oidc-node')
    const port = await freePort()
    appUrl = `http://127.0.0.1:${port}`
    redirectUri = `${appUrl}/auth/oidc/callback`
    idp = await startIdp(redirectUri)
    const [ch] = await authorities(['CH'], basePort())
    node = await startPermitNode(ch!, await trustListXml([ch!]))
    accounts = new AccountRegistry(join(dir.path, 'accounts.json'))
    oidc = createOidc(OIDC_CONFIG.parse({ issuer: idp.issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri, roleMap: ROLE_MAP }), { allowHttpIssuer: true })
    app = (await buildHttpApi(node.node, { accounts, oidc, logger: false })).app
    await app.listen({ port, host: '127.0.0.1' })
  })
  afterAll(async () => {
    oidc?.close()
    await app?.close()
    accounts?.close()
    await stopAll([node])
    await new Promise((resolve) => idp?.server.close(resolve))
    dir?.cleanup()
  })

  const whoami = async (bearer: string): Promise<{ status: number, body: { role?: string, account?: string, code?: string } }> => {
    const r = await fetch(`${appUrl}/v1/whoami`, { headers: { authorization: `Bearer ${bearer}` } })
    return { status: r.status, body: await r.json() as { role?: string, account?: string, code?: string } }
  }

  it('the session from the fragment acts as the person\'s pseudonymous account; the name stays in the store; a bearer ID token acts as the same account', async () => {
    const browser = new Browser()
    const answer = await deliver(browser, await browser.signInAt(appUrl, 'alice', redirectUri))
    expect(answer.status).toBe(302)
    const session = /^\/#session=(cites_[A-Za-z0-9_-]+)$/.exec(answer.location ?? '')?.[1] as string
    expect(session).toBeDefined()
    const me = await whoami(session)
    expect(me).toMatchObject({ status: 200, body: { role: 'customs' } })
    expect(me.body.account).toMatch(/^u_[a-z2-7]{10}$/)
    expect(JSON.stringify(me.body)).not.toContain('Alice')
    const stored = readAccounts(join(dir.path, 'accounts.json')).accounts.find((a) => a.id === me.body.account)
    expect(stored).toMatchObject({ name: 'Alice Officer', role: 'customs' })
    expect(JSON.stringify(stored)).not.toContain('alice"') // the subject only as a hash
    // The provider's ID token for the same person, as a machine would present it.
    const t = Math.floor(Date.now() / 1000)
    const idToken = await new SignJWT({ iss: idp.issuer, aud: CLIENT_ID, sub: 'alice', roles: ['cites-customs'], iat: t, exp: t + 600 }).setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' }).sign(idp.signingKey)
    expect(await whoami(idToken)).toMatchObject({ status: 200, body: { role: 'customs', account: me.body.account } })
    // A forged ID token is refused as an invalid sign-in.
    expect(await whoami(`${idToken.slice(0, -4)}AAAA`)).toMatchObject({ status: 401, body: { code: 'OIDC_TOKEN_INVALID' } })
  })

  it('a person whose account the admin revoked is refused, by session and by ID token, whatever the provider says', async () => {
    const browser = new Browser()
    const answer = await deliver(browser, await browser.signInAt(appUrl, 'alice', redirectUri))
    const session = (answer.location ?? '').replace('/#session=', '')
    const me = await whoami(session)
    expect(me.status).toBe(200)
    await revokeAccount(join(dir.path, 'accounts.json'), me.body.account as string)
    accounts.reload()
    expect(await whoami(session)).toMatchObject({ status: 401, body: { code: 'TOKEN_REVOKED' } })
    const t = Math.floor(Date.now() / 1000)
    const idToken = await new SignJWT({ iss: idp.issuer, aud: CLIENT_ID, sub: 'alice', roles: ['cites-customs'], iat: t, exp: t + 600 }).setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' }).sign(idp.signingKey)
    expect(await whoami(idToken)).toMatchObject({ status: 401, body: { code: 'TOKEN_REVOKED' } })
    // Signing in again does not bring the account back.
    const b2 = new Browser()
    expect(await deliver(b2, await b2.signInAt(appUrl, 'alice', redirectUri))).toMatchObject({ status: 401, code: 'TOKEN_REVOKED' })
  })
})

describe('the oidc: config block', () => {
  const base = { issuer: 'https://login.ministry.example', clientId: 'cites-node', redirectUri: 'https://node.ministry.example/auth/oidc/callback', roleMap: { 'cites-customs': 'customs' } }

  it('fills the defaults: scopes openid profile, roleClaim roles, nameClaim name, 480-minute sessions', () => {
    expect(OIDC_CONFIG.parse(base)).toMatchObject({ scopes: ['openid', 'profile'], roleClaim: 'roles', nameClaim: 'name', sessionMinutes: 480 })
  })

  it('refuses, naming the field: both a secret and a secret file, an empty role map, a role the node lacks, scopes without openid', () => {
    const fields = (raw: unknown): string[] => { try { parseOidcConfig(raw); return [] } catch (err) { return (err as ConfigError).problems.map((p) => p.field) } }
    expect(fields({ ...base, clientSecret: 's', clientSecretFile: 'secret.txt' })).toEqual(['oidc.clientSecretFile'])
    expect(fields({ ...base, roleMap: {} })).toEqual(['oidc.roleMap'])
    expect(fields({ ...base, roleMap: { 'cites-boss': 'superuser' } })).toEqual(['oidc.roleMap.cites-boss'])
    expect(fields({ ...base, scopes: ['profile'] })).toEqual(['oidc.scopes'])
    expect(fields({ ...base, issuer: 'ftp://login.ministry.example' })).toEqual(['oidc.issuer'])
  })

  it('refuses a plain-http issuer (tokens and keys in clear) unless allowHttpIssuer, and a redirectUri that is not /auth/oidc/callback', () => {
    const field = (c: unknown): string | undefined => { try { createOidc(OIDC_CONFIG.parse(c)); return undefined } catch (err) { return (err as ConfigError).problems[0]?.field } }
    expect(field({ ...base, issuer: 'http://login.ministry.example' })).toBe('oidc.issuer')
    expect(field({ ...base, redirectUri: 'https://node.ministry.example/elsewhere' })).toBe('oidc.redirectUri')
    expect(field(base)).toBeUndefined()
  })

  it('reads the role from a dotted claim path (e.g. realm_access.roles) and only from own properties', () => {
    const map = { 'cites-issuer': 'issuer', constructor: 'admin' } as const
    expect(mapRole(claimAt({ realm_access: { roles: ['x', 'cites-issuer'] } }, 'realm_access.roles'), map)).toBe('issuer')
    expect(mapRole(claimAt({ realm_access: { roles: 'cites-issuer' } }, 'realm_access.roles'), map)).toBe('issuer')
    expect(claimAt({ a: {} }, 'a.constructor')).toBeUndefined()
    expect(mapRole(['toString', '__proto__'], { 'cites-issuer': 'issuer' })).toBeUndefined()
  })
})
