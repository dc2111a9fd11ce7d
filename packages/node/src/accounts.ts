/**
 * Personal accounts (issue 15, SECURITY.md "Accounts"): every person who acts
 * through the node is an account with a role and a pseudonymous ID. The ID,
 * never the name, goes into signed events and the access log; the name stays
 * in this node's account store.
 *
 * The store is one JSON file (`accounts.file`, mode 0600) that both the
 * running node and `cites users` edit under its lock (json-store.ts). The running node polls the file and
 * reloads it on change, so `cites users revoke` takes effect within a second
 * with no restart. Tokens are kept only as SHA-256 hashes: they are 192
 * random bits, so a fast hash is enough (no one can search that space).
 */
import { createHash, randomBytes } from 'node:crypto'
import { statSync, unwatchFile, watchFile, type Stats } from 'node:fs'
import { z } from 'zod'
import { newRecordId, readJsonStore, updateJsonStore, type JsonStore } from './json-store.js'
import { AccountRevokedError, AccountsFileError, AccountUnknownError } from './errors.js'

export const ROLES = ['admin', 'issuer', 'customs', 'viewer'] as const
export type Role = typeof ROLES[number]

/**
 * What each role may do. `viewer` reads; `customs` also endorses and records
 * uses; `issuer` also issues, cancels and replaces. `admin` manages accounts
 * and reads, but acts on no permit: separation of duties, so the person who
 * hands out accounts cannot also use one to clear goods.
 */
const ALLOWED: Record<Role, ReadonlySet<Role>> = {
  viewer: new Set(['viewer', 'customs', 'issuer', 'admin']),
  customs: new Set(['customs', 'issuer']),
  issuer: new Set(['issuer']),
  admin: new Set(['admin'])
}
/** May an account of role `has` use a route that needs `need`? */
export const mayAct = (has: Role, need: Role): boolean => ALLOWED[need].has(has)

export const TOKEN_PREFIX = 'cites_'
/**
 * A new bearer token: `cites_` and 32 base64url characters (192 random
 * bits). The prefix means a token never begins with "-", so no command line
 * can read it as an option (issue 17), and secret scanners can find one
 * leaked in a log or a repository.
 */
export const newToken = (): string => `${TOKEN_PREFIX}${randomBytes(24).toString('base64url')}`
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex')

/** A pseudonymous account ID: `u_` and 10 random base32 characters; it says nothing of the person. */
export const newAccountId = (): string => newRecordId('u_')
export const ACCOUNT_ID = /^u_[a-z2-7]{10}$/

const iso = z.string().datetime()
const AccountSchema = z.object({
  id: z.string().regex(ACCOUNT_ID),
  /** The person's name: personal data, kept here only (never logged, never in an event). */
  name: z.string().min(1).max(200),
  role: z.enum(ROLES),
  created: iso,
  /** SHA-256 (hex) of the personal token; absent for an account that signs in only through the identity provider. */
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  /** When the current token was made; with tokenExpires, its lifetime (kept by a rotation). */
  tokenIssued: iso.optional(),
  tokenExpires: iso.optional(),
  revoked: iso.optional(),
  /** Signed in through OIDC: SHA-256 of the provider's issuer and subject (no provider identifier is kept in clear). */
  oidcSubject: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  lastSignIn: iso.optional()
}).strict()
export type Account = z.infer<typeof AccountSchema>
const FileSchema = z.object({ version: z.literal(1), accounts: z.array(AccountSchema).max(100_000) }).strict()
type AccountsFile = z.infer<typeof FileSchema>

/** `90d`, `12h`, `30m` or `45s` as milliseconds; undefined for anything else. */
export function parseDuration (s: string): number | undefined {
  const m = /^(\d{1,6})([dhms])$/.exec(s.trim())
  if (m === null) return undefined
  const n = Number(m[1])
  if (n === 0) return undefined
  return n * { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 }[m[2] as 'd' | 'h' | 'm' | 's']
}

const STORE: JsonStore<AccountsFile> = {
  what: 'the account store', schema: FileSchema, empty: () => ({ version: 1, accounts: [] }),
  invalid: (message) => new AccountsFileError(message)
}

/** Read the store; a missing file is an empty store. */
export const readAccounts = (path: string): AccountsFile => readJsonStore(path, STORE)

/** Change the store under its lock (json-store.ts). */
export async function updateAccounts<T> (path: string, change: (f: AccountsFile) => T): Promise<T> {
  return await updateJsonStore(path, STORE, change)
}

export interface NewAccount { name: string, role: Role, /** Token lifetime in ms; absent: never expires. */ expiresInMs?: number }
export interface MadeAccount { account: Account, /** The personal token: shown once, stored only as its hash. */ token: string }

const withToken = (a: Account, expiresInMs: number | undefined, now: number): string => {
  const token = newToken()
  a.tokenHash = hashToken(token)
  a.tokenIssued = new Date(now).toISOString()
  if (expiresInMs !== undefined) a.tokenExpires = new Date(now + expiresInMs).toISOString()
  else delete a.tokenExpires
  return token
}

/** Add an account with a personal token. */
export async function addAccount (path: string, n: NewAccount, now = Date.now()): Promise<MadeAccount> {
  return await updateAccounts(path, (f) => {
    let id = newAccountId()
    while (f.accounts.some((a) => a.id === id)) id = newAccountId()
    const account: Account = { id, name: n.name, role: n.role, created: new Date(now).toISOString() }
    const token = withToken(account, n.expiresInMs, now)
    f.accounts.push(account)
    return { account: { ...account }, token }
  })
}

const find = (f: AccountsFile, id: string): Account => {
  const a = f.accounts.find((x) => x.id === id)
  if (a === undefined) throw new AccountUnknownError(`no account ${id} in this node's store`)
  return a
}

/** Revoke an account: its token (and any sign-in) is refused from the next reload on. Kept for the audit trail. */
export async function revokeAccount (path: string, id: string, now = Date.now()): Promise<Account> {
  return await updateAccounts(path, (f) => {
    const a = find(f, id)
    a.revoked ??= new Date(now).toISOString()
    return { ...a }
  })
}

/** A new personal token for an account; the old one is refused from the next reload on. */
export async function rotateToken (path: string, id: string, expiresInMs?: number, now = Date.now()): Promise<MadeAccount> {
  return await updateAccounts(path, (f) => {
    const a = find(f, id)
    if (a.revoked !== undefined) throw new AccountUnknownError(`account ${id} is revoked; add a new account instead`)
    // The new token keeps the old one's lifetime unless a new one is given.
    const kept = a.tokenExpires !== undefined ? Date.parse(a.tokenExpires) - Date.parse(a.tokenIssued ?? a.created) : undefined
    const token = withToken(a, expiresInMs ?? kept, now)
    return { account: { ...a }, token }
  })
}

const subjectKey = (issuer: string, subject: string): string => createHash('sha256').update(`${issuer}\n${subject}`, 'utf8').digest('hex')

/** The account an identity provider's subject signs in as: found by the subject's hash, else created; its role follows the provider's claim at each sign-in. */
export async function accountForSubject (path: string, who: { issuer: string, subject: string, role: Role, name?: string }, now = Date.now()): Promise<Account> {
  const key = subjectKey(who.issuer, who.subject)
  return await updateAccounts(path, (f) => {
    let a = f.accounts.find((x) => x.oidcSubject === key)
    if (a === undefined) {
      a = { id: newAccountId(), name: who.name ?? 'signed in through the identity provider', role: who.role, created: new Date(now).toISOString(), oidcSubject: key }
      f.accounts.push(a)
    }
    a.role = who.role
    if (who.name !== undefined) a.name = who.name
    a.lastSignIn = new Date(now).toISOString()
    return { ...a }
  })
}

/** Why a bearer token was refused. */
export type TokenRefusal = 'TOKEN_MISSING' | 'TOKEN_INVALID' | 'TOKEN_EXPIRED' | 'TOKEN_REVOKED'
export interface Identity { account: string, role: Role, via: 'token' | 'session' | 'oidc' | 'static' }

/** A short-lived sign-in session (OIDC): held in memory only, so a restart signs everyone out. */
interface Session { account: string, role: Role, expires: number }

/**
 * The accounts a running node knows: the store (reloaded when the file
 * changes), fixed role tokens (tests, and configs of before accounts), and
 * sessions of people signed in through the identity provider.
 */
export class AccountRegistry {
  private byHash = new Map<string, Account>()
  private readonly fixed = new Map<string, Identity>()
  private readonly sessions = new Map<string, Session>()
  private accounts: Account[] = []
  private lastStat: { mtimeMs: number, size: number, ino: number } | undefined
  private watching = false
  onReloadError: (err: Error) => void = () => {}

  constructor (readonly path?: string, private readonly now: () => number = Date.now) {
    if (path !== undefined) this.reload()
  }

  /** Role tokens given as hashes (tests; legacy `tokens:` configs): each becomes an account `static-<role>`. */
  addFixed (tokens: Partial<Record<Role, string>>): void {
    for (const [role, hash] of Object.entries(tokens)) this.fixed.set(hash, { account: `static-${role}`, role: role as Role, via: 'static' })
  }

  /** Read the file again if it changed (size, mtime or inode). */
  reload (): void {
    if (this.path === undefined) return
    let st: Stats | undefined
    try { st = statSync(this.path) } catch { st = undefined }
    const sig = st === undefined ? undefined : { mtimeMs: st.mtimeMs, size: st.size, ino: st.ino }
    if (sig !== undefined && this.lastStat !== undefined && sig.mtimeMs === this.lastStat.mtimeMs && sig.size === this.lastStat.size && sig.ino === this.lastStat.ino) return
    const f = readAccounts(this.path)
    this.accounts = f.accounts
    this.byHash = new Map(f.accounts.filter((a) => a.tokenHash !== undefined).map((a) => [a.tokenHash as string, a]))
    this.lastStat = sig
  }

  /** Poll the file (every 250 ms: a revocation holds within a second); a bad file keeps the last good one and reports. */
  watch (): void {
    if (this.path === undefined || this.watching) return
    this.watching = true
    watchFile(this.path, { interval: 250, persistent: false }, () => {
      try { this.reload() } catch (err) { this.onReloadError(err as Error) }
    })
  }

  close (): void {
    if (this.path !== undefined && this.watching) unwatchFile(this.path)
    this.watching = false
  }

  /**
   * The identity a bearer token names, or why not. Lookup is by the token's
   * SHA-256: a timing difference could at most reveal bits of a hash, which
   * says nothing of any token.
   */
  identify (token: string): Identity | { refused: TokenRefusal } {
    const hash = hashToken(token)
    const fixed = this.fixed.get(hash)
    if (fixed !== undefined) return fixed
    const now = this.now()
    const s = this.sessions.get(hash)
    if (s !== undefined) {
      if (s.expires <= now) { this.sessions.delete(hash); return { refused: 'TOKEN_EXPIRED' } }
      const a = this.accounts.find((x) => x.id === s.account)
      if (a?.revoked !== undefined) return { refused: 'TOKEN_REVOKED' }
      return { account: s.account, role: s.role, via: 'session' }
    }
    const a = this.byHash.get(hash)
    if (a === undefined) return { refused: 'TOKEN_INVALID' }
    if (a.revoked !== undefined) return { refused: 'TOKEN_REVOKED' }
    if (a.tokenExpires !== undefined && Date.parse(a.tokenExpires) <= now) return { refused: 'TOKEN_EXPIRED' }
    return { account: a.id, role: a.role, via: 'token' }
  }

  /** An account signed in through the identity provider: a session token, valid `ttlMs`. */
  openSession (account: Account, ttlMs: number): string {
    // Expired sessions are dropped as new ones open, so the map stays bounded by those live.
    const now = this.now()
    for (const [h, s] of this.sessions) if (s.expires <= now) this.sessions.delete(h)
    const token = newToken()
    this.sessions.set(hashToken(token), { account: account.id, role: account.role, expires: now + ttlMs })
    return token
  }

  /**
   * The account a person signed in through the identity provider acts as:
   * found in memory by the subject's hash when its role is unchanged (a
   * bearer ID token on every request writes nothing), else created or updated
   * in the store. A revoked account stays refused whatever the provider says.
   */
  async accountOfSubject (who: { issuer: string, subject: string, role: Role, name?: string }, touch: boolean): Promise<Account> {
    const key = subjectKey(who.issuer, who.subject)
    const known = this.accounts.find((a) => a.oidcSubject === key)
    if (known?.revoked !== undefined) throw new AccountRevokedError(`account ${known.id} is revoked`)
    if (known !== undefined && known.role === who.role && !touch) return known
    if (this.path === undefined) throw new AccountUnknownError('this node has no account store (accounts.file) for people signed in through the identity provider')
    const a = await accountForSubject(this.path, who, this.now())
    this.reload()
    if (a.revoked !== undefined) throw new AccountRevokedError(`account ${a.id} is revoked`)
    return a
  }

  list (): Account[] { return this.accounts.map((a) => ({ ...a })) }

  /** Seconds until the soonest expiry of a live personal token (metrics); undefined when none expires. */
  nextTokenExpirySeconds (): number | undefined {
    const now = this.now()
    let soonest: number | undefined
    for (const a of this.accounts) {
      if (a.revoked !== undefined || a.tokenHash === undefined || a.tokenExpires === undefined) continue
      const t = Date.parse(a.tokenExpires)
      if (t > now && (soonest === undefined || t < soonest)) soonest = t
    }
    return soonest === undefined ? undefined : (soonest - now) / 1000
  }

  /** Live accounts per role (metrics). */
  countsByRole (): Record<Role, number> {
    const out: Record<Role, number> = { admin: 0, issuer: 0, customs: 0, viewer: 0 }
    const now = this.now()
    for (const a of this.accounts) if (a.revoked === undefined && (a.tokenExpires === undefined || Date.parse(a.tokenExpires) > now)) out[a.role]++
    return out
  }
}

/** The public view of an account (the API and `cites users list`): no token hash, no subject hash. */
export function accountView (a: Account, now = Date.now()): Record<string, unknown> {
  const state = a.revoked !== undefined ? 'revoked' : a.tokenExpires !== undefined && Date.parse(a.tokenExpires) <= now ? 'expired' : 'active'
  return {
    id: a.id, name: a.name, role: a.role, state, created: a.created,
    ...(a.tokenExpires !== undefined ? { tokenExpires: a.tokenExpires } : {}),
    ...(a.revoked !== undefined ? { revoked: a.revoked } : {}),
    signIn: a.oidcSubject !== undefined ? 'oidc' : 'token',
    ...(a.lastSignIn !== undefined ? { lastSignIn: a.lastSignIn } : {})
  }
}
