/**
 * The account store (accounts.ts) as `cites users` and a running node both
 * edit it: concurrent writers lose no account, a store edited into garbage
 * keeps the last good one in force, and token lifetimes parse strictly.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tempDir, type TempDir } from '@cites/test-kit'
import { AccountRegistry, addAccount, parseDuration, readAccounts, revokeAccount, rotateToken } from '../../src/index.js'

describe('the account store', () => {
  let dir: TempDir | undefined
  afterEach(() => { dir?.cleanup() })

  it('twenty writers adding at once (the CLI and the node\'s admin API) lose no account', async () => {
    dir = tempDir('accounts-concurrent')
    const path = join(dir.path, 'accounts.json')
    const made = await Promise.all(Array.from({ length: 20 }, async (_, i) => await addAccount(path, { name: `Officer ${i}`, role: 'customs' })))
    const stored = readAccounts(path).accounts
    expect(stored).toHaveLength(20)
    expect(new Set(stored.map((a) => a.id)).size).toBe(20)
    const registry = new AccountRegistry(path)
    for (const m of made) expect(registry.identify(m.token)).toMatchObject({ account: m.account.id, role: 'customs' })
  })

  it('a store edited into garbage is refused (ACCOUNTS_FILE_INVALID) and the last good one stays in force', async () => {
    dir = tempDir('accounts-garbage')
    const path = join(dir.path, 'accounts.json')
    const { token } = await addAccount(path, { name: 'A. Person', role: 'viewer' })
    const registry = new AccountRegistry(path)
    writeFileSync(path, '{"version":1,"accounts":[{"id":"not an id"}]}')
    expect(() => { registry.reload() }).toThrow(expect.objectContaining({ code: 'ACCOUNTS_FILE_INVALID' }))
    expect(registry.identify(token)).toMatchObject({ role: 'viewer' })
    expect(() => readAccounts(path)).toThrow(expect.objectContaining({ code: 'ACCOUNTS_FILE_INVALID' }))
  })

  it('a rotation keeps the old lifetime, refuses the old token, and a revoked account cannot be rotated back to life', async () => {
    dir = tempDir('accounts-rotate')
    const path = join(dir.path, 'accounts.json')
    const t0 = Date.parse('2026-06-01T00:00:00Z')
    const a = await addAccount(path, { name: 'B. Person', role: 'issuer', expiresInMs: 90 * 86_400_000 }, t0)
    const r = await rotateToken(path, a.account.id, undefined, t0 + 10 * 86_400_000)
    expect(Date.parse(r.account.tokenExpires ?? '') - (t0 + 10 * 86_400_000)).toBe(90 * 86_400_000)
    const registry = new AccountRegistry(path, () => t0 + 11 * 86_400_000)
    expect(registry.identify(a.token)).toEqual({ refused: 'TOKEN_INVALID' })
    expect(registry.identify(r.token)).toMatchObject({ account: a.account.id })
    await revokeAccount(path, a.account.id)
    await expect(rotateToken(path, a.account.id)).rejects.toMatchObject({ code: 'ACCOUNT_UNKNOWN' })
    expect(readFileSync(path, 'utf8')).not.toContain(r.token)
  })

  it('token lifetimes parse strictly: 90d, 12h, 30m, 45s; nothing else', () => {
    expect([parseDuration('90d'), parseDuration('12h'), parseDuration('30m'), parseDuration('45s')]).toEqual([90 * 86_400_000, 12 * 3_600_000, 30 * 60_000, 45_000])
    for (const bad of ['', '0d', '90', 'd', '-1d', '1.5d', '90days', '1e3d', '9999999d']) expect(parseDuration(bad), bad).toBeUndefined()
  })
})
