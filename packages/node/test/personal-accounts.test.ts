/**
 * Personal accounts (issue 15 §1, §7; SECURITY.md "Accounts"): a real node
 * folder (`initNodeFolder` with an account per role), a real node started with
 * `startNodeService`, real HTTP, the account store edited as `cites users`
 * edits it (another writer of the same file), every log line captured.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '@cites/runtime'
import { VECTOR_GRANTED_AT, anchorCertPem, chPermit, signedTrustList, tempDir, waitFor, type TempDir } from '@cites/test-kit'
import { addAccount, initNodeFolder, revokeAccount, startNodeService, type InitializedNode, type NodeService } from '../src/index.js'

function capture (): { lines: string[], logger: ReturnType<typeof createLogger> } {
  const lines: string[] = []
  const destination = new Writable({ write (chunk: Buffer, _enc, cb) { lines.push(chunk.toString('utf8')); cb() } })
  return { lines, logger: createLogger({ level: 'trace', base: { party: 'CH' }, destination }) }
}

describe('personal accounts: each person a role, a token that expires and can be revoked at once', () => {
  let dir: TempDir
  let made: InitializedNode
  let svc: NodeService
  let store = ''
  const logs = capture()
  const call = async (method: string, path: string, token: string | undefined, body?: unknown): Promise<{ status: number, body: Record<string, unknown> }> => {
    const r = await fetch(`${svc.url}${path}`, {
      method,
      headers: { ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {})
    })
    const text = await r.text()
    return { status: r.status, body: text.startsWith('{') ? JSON.parse(text) as Record<string, unknown> : {} }
  }
  const token = (role: string): string => made.accounts.find((a) => a.role === role)?.token as string

  beforeAll(async () => {
    dir = tempDir('accounts')
    made = await initNodeFolder({
      party: 'CH', dir: dir.path, listen: ['/ip4/127.0.0.1/tcp/0'], httpPort: 0, sharedHost: true, notBefore: new Date(VECTOR_GRANTED_AT),
      accounts: [{ name: 'Ada Admin', role: 'admin' }, { name: 'Ivo Issuer', role: 'issuer' }, { name: 'Cleo Customs', role: 'customs' }, { name: 'Vera Viewer', role: 'viewer' }]
    })
    writeFileSync(join(dir.path, 'anchor.pem'), anchorCertPem())
    writeFileSync(join(dir.path, 'trust-list.xml'), (await signedTrustList([{ party: 'CH', peerId: made.peerId, certificate: made.certificatePem }])).xml)
    store = join(dir.path, 'accounts.json')
    // The property below sends wrong tokens on purpose; the lockout itself is shown in rate-limits-cannot-be-dodged.test.ts.
    writeFileSync(made.configPath, readFileSync(made.configPath, 'utf8').replace(/signInFailuresPerMinute: 10$/m, 'signInFailuresPerMinute: 1000'))
    svc = await startNodeService({ configPath: made.configPath, logger: logs.logger })
  })
  afterAll(async () => {
    await svc?.stop()
    dir?.cleanup()
  })

  it('node init makes the accounts asked for, stores only token hashes, and keeps names out of the config', () => {
    const text = readFileSync(store, 'utf8')
    for (const a of made.accounts) {
      expect(a.id).toMatch(/^u_[a-z2-7]{10}$/)
      expect(text).not.toContain(a.token)
    }
    expect(readFileSync(made.configPath, 'utf8')).not.toMatch(/Ada Admin|Cleo Customs/)
  })

  it('a customs token cannot issue, an issuer token cannot manage accounts, and the admin acts on no permit', async () => {
    const permit = chPermit('26CHA0001')
    expect(await call('POST', '/v1/permits', token('customs'), permit)).toMatchObject({ status: 403, body: { code: 'ROLE_FORBIDDEN' } })
    expect(await call('GET', '/v1/users', token('issuer'))).toMatchObject({ status: 403, body: { code: 'ROLE_FORBIDDEN' } })
    expect(await call('POST', '/v1/users', token('issuer'), { name: 'Mallory', role: 'issuer' })).toMatchObject({ status: 403, body: { code: 'ROLE_FORBIDDEN' } })
    expect(await call('POST', '/v1/users', token('customs'), { name: 'Mallory', role: 'admin' })).toMatchObject({ status: 403, body: { code: 'ROLE_FORBIDDEN' } })
    // Separation of duties: whoever hands out accounts cannot also issue or clear goods with one.
    expect(await call('POST', '/v1/permits', token('admin'), permit)).toMatchObject({ status: 403, body: { code: 'ROLE_FORBIDDEN' } })
    expect(await call('POST', '/v1/permits/CH/26CHA0001/consumptions', token('admin'), { lines: [{ line: 'A', quantity: 1 }], port: 'CHZRH' })).toMatchObject({ status: 403 })
    // The issuer can; whoami names the caller's pseudonymous account, never the person.
    expect((await call('POST', '/v1/permits', token('issuer'), permit)).status).toBe(201)
    const who = await call('GET', '/v1/whoami', token('customs'))
    expect(who.body).toMatchObject({ role: 'customs', account: made.accounts.find((a) => a.role === 'customs')?.id })
    expect(JSON.stringify(who.body)).not.toContain('Cleo')
  })

  it('an account added through the admin API works at once; revoked through it, its token is refused at once with TOKEN_REVOKED', async () => {
    const added = await call('POST', '/v1/users', token('admin'), { name: 'Otto Officer', role: 'customs', expires: '90d' })
    expect(added.status).toBe(201)
    const t = added.body.token as string
    const id = (added.body.account as { id: string }).id
    expect((await call('GET', '/v1/status', t)).status).toBe(200)
    const listed = await call('GET', '/v1/users', token('admin'))
    expect((listed.body.accounts as Array<{ id: string, name: string, state: string }>).find((a) => a.id === id)).toMatchObject({ name: 'Otto Officer', state: 'active' })
    expect(JSON.stringify(listed.body)).not.toMatch(/tokenHash|oidcSubject/)
    expect((await call('POST', `/v1/users/${id}/revoke`, token('admin'))).status).toBe(200)
    expect(await call('GET', '/v1/status', t)).toMatchObject({ status: 401, body: { code: 'TOKEN_REVOKED' } })
    expect(await call('POST', '/v1/users/u_notanacct/revoke', token('admin'))).toMatchObject({ status: 400, body: { code: 'REQUEST_INVALID' } })
    expect(await call('POST', '/v1/users/u_aaaaaaaaaa/revoke', token('admin'))).toMatchObject({ status: 404, body: { code: 'ACCOUNT_UNKNOWN' } })
  })

  it('a stolen token revoked in the store by another process (cites users revoke) is refused within a second, with no restart', async () => {
    const { account, token: t } = await addAccount(store, { name: 'Stolen Token', role: 'viewer' })
    await waitFor(async () => (await call('GET', '/v1/status', t)).status === 200, { timeoutMs: 5000 })
    await revokeAccount(store, account.id)
    const revokedAt = Date.now()
    await waitFor(async () => (await call('GET', '/v1/status', t)).status === 401, { timeoutMs: 5000 })
    // The store is polled every 250 ms; a second is the bound the issue sets (slack for a loaded CI machine).
    const took = Date.now() - revokedAt
    console.log(`a revoked token was refused ${took} ms after the store changed (polled every 250 ms)`)
    expect(took).toBeLessThan(1000 + 1000)
    expect(await call('GET', '/v1/status', t)).toMatchObject({ status: 401, body: { code: 'TOKEN_REVOKED' } })
  })

  it('an expired token is refused with TOKEN_EXPIRED, and the soonest expiry is a metric', async () => {
    // Made three hours ago with a two-hour lifetime: expired an hour ago.
    const old = await addAccount(store, { name: 'Old Token', role: 'viewer', expiresInMs: 2 * 3_600_000 }, Date.now() - 3 * 3_600_000)
    const soon = await addAccount(store, { name: 'Soon Expired', role: 'viewer', expiresInMs: 1500 })
    await waitFor(async () => (await call('GET', '/v1/status', old.token)).status === 401 && (await call('GET', '/v1/status', old.token)).body.code === 'TOKEN_EXPIRED', { timeoutMs: 5000 })
    const metrics = await (await fetch(`${svc.url}/metrics`, { headers: { authorization: `Bearer ${token('viewer')}` } })).text()
    expect(metrics).toMatch(/^cites_token_next_expiry_seconds\{party="CH"\} [0-9.]+$/m)
    expect(metrics).toMatch(/^cites_accounts\{role="customs",party="CH"\} [1-9]/m)
    expect(metrics).toMatch(/^cites_sign_in_failures_total\{reason="TOKEN_REVOKED",party="CH"\} [1-9]/m)
    await waitFor(async () => (await call('GET', '/v1/status', soon.token)).body.code === 'TOKEN_EXPIRED', { timeoutMs: 10_000 })
  })

  it('no token, account name or passphrase-like secret appears in any log line (property over random secrets)', async () => {
    await fc.assert(fc.asyncProperty(
      fc.string({ minLength: 12, maxLength: 40, unit: 'grapheme' }).filter((s) => s.trim().length >= 12),
      fc.stringMatching(/^[A-Za-z0-9_-]{20,48}$/),
      async (name, guess) => {
        const before = logs.lines.length
        const added = await call('POST', '/v1/users', token('admin'), { name, role: 'viewer', expires: '1h' })
        expect(added.status).toBe(201)
        const t = added.body.token as string
        expect((await call('GET', '/v1/status', t)).status).toBe(200)
        // A wrong guess, and a token given in the query string and a header the node does not read.
        await fetch(`${svc.url}/v1/status?token=${encodeURIComponent(guess)}`, { headers: { authorization: `Bearer ${guess}`, 'x-api-key': t } })
        const rotated = await call('POST', `/v1/users/${(added.body.account as { id: string }).id}/rotate`, token('admin'), {})
        const written = logs.lines.slice(before).join('')
        for (const secret of [t, rotated.body.token as string, guess, name.trim(), ...made.accounts.map((a) => a.token)]) {
          expect(written).not.toContain(secret)
          expect(written).not.toContain(JSON.stringify(secret).slice(1, -1))
        }
      }
    ), { numRuns: 8 })
    // Failures are logged by code only, so the lines were written (the check above is not vacuous).
    expect(logs.lines.length).toBeGreaterThan(10)
  })
})
