/**
 * The lock order (permit -> index -> log) is checked in one place, locks.ts:
 * under test every acquisition is checked against the locks its async
 * context holds, so every other ledger test also proves the ledger keeps it.
 */
import { describe, expect, it } from 'vitest'
import { Locks, LockOrderError } from '../src/locks.js'

describe('lock order', () => {
  const locks = new Locks(true)
  const ok = async (): Promise<string> => 'ok'

  it('allows permit -> index -> log', async () => {
    await expect(locks.run('permit', 'CH!1', async () => await locks.run('index', 'CH', async () => await locks.run('log', 'CH', ok)))).resolves.toBe('ok')
    await expect(locks.run('permit', 'CH!1', async () => await locks.run('log', 'CH', ok))).resolves.toBe('ok')
  })

  it('refuses a lower lock inside a higher one, and the same kind nested', async () => {
    await expect(locks.run('log', 'CH', async () => await locks.run('permit', 'CH!1', ok))).rejects.toBeInstanceOf(LockOrderError)
    await expect(locks.run('log', 'CH', async () => await locks.run('index', 'CH', ok))).rejects.toBeInstanceOf(LockOrderError)
    await expect(locks.run('index', 'CH', async () => await locks.run('permit', 'CH!1', ok))).rejects.toBeInstanceOf(LockOrderError)
    await expect(locks.run('permit', 'CH!1', async () => await locks.run('permit', 'CH!2', ok))).rejects.toThrow(/permit CH!2 taken while holding permit CH!1/)
    await expect(locks.run('log', 'CH', async () => await locks.run('log', 'TH', ok))).rejects.toBeInstanceOf(LockOrderError)
  })

  it('follows the async context: sequential sections and detached work hold nothing', async () => {
    await locks.run('log', 'CH', ok)
    await expect(locks.run('permit', 'CH!1', ok)).resolves.toBe('ok')
    let later: Promise<string | undefined> | undefined
    await locks.run('log', 'CH', async () => {
      // Work started here but meant to run on after the lock (background indexing, listeners).
      later = Locks.detached(async () => await new Promise<void>((resolve) => setTimeout(resolve, 1)).then(async () => await locks.run('permit', 'CH!1', ok)))
    })
    await expect(later).resolves.toBe('ok')
    expect(locks.size('permit') + locks.size('log') + locks.size('index')).toBe(0)
  })
})
