/**
 * Account management over HTTP (`admin` role only): list, add, revoke and
 * rotate, acting on the same store file as `cites users` (accounts.ts). A
 * change is reloaded at once here; other processes see it within a second.
 */
import type { FastifyInstance } from 'fastify'
import { ACCOUNT_ID, ROLES, accountView, addAccount, parseDuration, revokeAccount, rotateToken, type AccountRegistry, type Role } from './accounts.js'
import { HttpProblem } from './problems.js'

const EXPIRES = { type: 'string', pattern: '^[0-9]{1,6}[dhms]$', description: 'token lifetime, e.g. 90d, 12h' } as const
const ID_PARAMS = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: ACCOUNT_ID.source } } } as const

export function registerUserRoutes (app: FastifyInstance, accounts: AccountRegistry): void {
  const path = accounts.path
  const store = (): string => {
    if (path === undefined) throw new HttpProblem('ACCOUNT_UNKNOWN', 'this node has no account store (accounts.file)')
    return path
  }
  const lifetime = (s: unknown): number | undefined => typeof s === 'string' ? parseDuration(s) : undefined

  app.get('/v1/users', { config: { role: 'admin' }, schema: { summary: 'The accounts of this node (names are personal data: admin only)' } }, async () => {
    accounts.reload()
    return { accounts: accounts.list().map((a) => accountView(a)) }
  })
  app.post('/v1/users', {
    config: { role: 'admin' },
    schema: {
      summary: 'Add a personal account; its token is in this answer only',
      body: { type: 'object', additionalProperties: false, required: ['name', 'role'], properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, role: { type: 'string', enum: [...ROLES] }, expires: EXPIRES } }
    }
  }, async (req, reply) => {
    const b = req.body as { name: string, role: Role, expires?: string }
    const made = await addAccount(store(), { name: b.name, role: b.role, ...(b.expires !== undefined ? { expiresInMs: lifetime(b.expires) as number } : {}) })
    accounts.reload()
    return await reply.code(201).send({ account: accountView(made.account), token: made.token })
  })
  app.post('/v1/users/:id/revoke', { config: { role: 'admin' }, schema: { summary: 'Revoke an account: its token and sessions are refused from now on', params: ID_PARAMS } }, async (req) => {
    const a = await revokeAccount(store(), (req.params as { id: string }).id)
    accounts.reload()
    return { account: accountView(a) }
  })
  app.post('/v1/users/:id/rotate', {
    config: { role: 'admin' },
    schema: { summary: 'A new personal token for an account (the old one is refused from now on); in this answer only', params: ID_PARAMS, body: { type: 'object', additionalProperties: false, properties: { expires: EXPIRES } } }
  }, async (req) => {
    const b = (req.body ?? {}) as { expires?: string }
    const made = await rotateToken(store(), (req.params as { id: string }).id, lifetime(b.expires))
    accounts.reload()
    return { account: accountView(made.account), token: made.token }
  })
}
