/**
 * Crash safety of the v1 upgrade (ledger.md §7, "Upgrading a v1 ledger"):
 * a child process upgrades a copy of the v1 fixture and is killed with
 * SIGKILL right after its n-th write (batch or clear), for every n the
 * upgrade makes. After each kill the ledger on disk is the v1 one (schema 2,
 * the own log byte for byte as it was) or a committed v2 one (schema 3,
 * marker set); reopening it then gives exactly the ledger of an upgrade
 * that was never interrupted: the own log verifies, statuses and documents
 * are those expected.
 */
import { spawn } from 'node:child_process'
import { cpSync, readFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { Level } from 'level'
import { Sublevel, decodeEvent } from '../src/index.js'
import { VECTORS, openLedger, tempDir } from './kit.js'

const CHILD = fileURLToPath(new URL('./fixtures/upgrade-child.mjs', import.meta.url))
const FIXTURE = fileURLToPath(new URL('./fixtures/ledger-v1/', import.meta.url))
const EXPECTED = JSON.parse(readFileSync(new URL('./fixtures/ledger-v1.expected.json', import.meta.url), 'utf8')) as {
  clock: { endMs: number }
  heads: { CH: { size: number } }
  permits: Array<{ party: string, number: string, held: string, destination: string, status: string | null, xmlSha256: string }>
}
const AT = EXPECTED.clock.endMs + 86_400_000

function runChild (location: string, killAt: number): Promise<{ batches?: number, killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, location, VECTORS, String(AT)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KILL_AT: String(killAt) } })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => { out += d.toString() })
    child.stderr.on('data', (d: Buffer) => { err += d.toString() })
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ killed: true })
      else if (code === 0) resolve({ batches: Number(/DONE (\d+)/.exec(out)?.[1]), killed: false })
      else reject(new Error(`upgrade child exited ${code}: ${err}`))
    })
  })
}

/** What is on disk: the schema, the marker, and the own log's raw events. */
async function onDisk (location: string): Promise<{ schema: unknown, marker: boolean, own: Buffer[] }> {
  const db = new Level<string, unknown>(location, { keyEncoding: 'utf8', valueEncoding: 'json' })
  try {
    const meta = db.sublevel<string, unknown>(Sublevel.META, { valueEncoding: 'json' })
    const log = db.sublevel<string, Uint8Array>(Sublevel.LOG, { valueEncoding: 'view' })
    const own: Buffer[] = []
    for await (const v of log.values({ gt: 'CH!', lt: 'CH!\xff' })) own.push(Buffer.from(v))
    return { schema: await meta.get('schema'), marker: (await meta.get('upgrade')) !== undefined, own }
  } finally {
    await db.close()
  }
}

describe('kill -9 during the v1 upgrade', () => {
  it('leaves the v1 ledger or the committed v2 one, and the next open finishes it', async () => {
    const dir = tempDir('v1-upgrade-kill')
    try {
      // LevelDB writes to any folder it opens: the fixture is only ever copied.
      const pristine = join(dir.path, 'v1')
      cpSync(FIXTURE, pristine, { recursive: true })
      const v1 = await onDisk(pristine)
      const whole = join(dir.path, 'whole')
      cpSync(FIXTURE, whole, { recursive: true })
      const { batches } = await runChild(whole, 0)
      expect(batches).toBeGreaterThan(5)
      const states = { v1: 0, v2: 0 }
      const points = Array.from({ length: batches! - 1 }, (_, i) => i + 1)
      // The children mostly wait on synced writes: a few at a time.
      for (let i = 0; i < points.length; i += 4) {
        await Promise.all(points.slice(i, i + 4).map(async (n) => {
          const at = join(dir.path, `kill-${n}`)
          cpSync(FIXTURE, at, { recursive: true })
          expect(await runChild(at, n)).toMatchObject({ killed: true })
        }))
      }
      for (const n of points) {
        const at = join(dir.path, `kill-${n}`)
        const disk = await onDisk(at)
        if (disk.schema === 2) {
          // Not committed: the v1 ledger as it was.
          expect(disk.marker).toBe(false)
          expect(disk.own).toEqual(v1.own)
          states.v1++
        } else {
          expect(disk.schema).toBe(3)
          states.v2++
        }
        const ch = await openLedger('CH', at, { now: AT })
        try {
          expect(await ch.verifyLog('CH'), `killed after write ${n}`).toMatchObject({ ok: true, size: EXPECTED.heads.CH.size })
          expect(ch.authors()).toEqual(['CH'])
          for (const p of EXPECTED.permits) {
            if (p.held === 'own') expect((await ch.status(p.party, p.number))?.status, `${p.number} after write ${n}`).toBe(p.status)
            const doc = await ch.document(p.party, p.number)
            if (p.held === 'own' || p.destination === 'CH') expect(createHash('sha256').update(doc!).digest('hex')).toBe(p.xmlSha256)
            else expect(doc).toBeUndefined()
          }
          for (const e of (await ch.eventsFrom('CH', 1, 1000)).map(decodeEvent)) expect(e.event.version).toBe(2)
        } finally {
          await ch.close()
        }
        expect((await onDisk(at)).marker).toBe(false)
      }
      expect(states.v1).toBeGreaterThan(0)
      expect(states.v2).toBeGreaterThan(0)
    } finally {
      dir.cleanup()
    }
  }, 480_000)
})
