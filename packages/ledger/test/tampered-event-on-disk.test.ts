/**
 * The attack: someone with access to the node's disk edits a stored event
 * (e.g. raises a consumed quantity, or rewrites a permit number) behind the
 * ledger's back. Verification from the stored bytes must find it and name
 * the sequence number.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Level } from 'level'
import { Sublevel, logKey, type Ledger } from '../src/index.js'
import { CONSUME_A, chPermit, openLedger, tempDir } from './kit.js'

describe('tampered event on disk', () => {
  let dir: ReturnType<typeof tempDir>
  let ch: Ledger
  beforeEach(async () => {
    dir = tempDir()
    ch = await openLedger('CH', dir.path, undefined, 4)
    for (let i = 0; i < 6; i++) await ch.issue(chPermit(`26CHT0000${i}`))
    await ch.consume('CH', '26CHT00002', CONSUME_A) // event #7
    for (let i = 6; i < 9; i++) await ch.issue(chPermit(`26CHT0000${i}`))
    expect((await ch.verifyLog('CH')).ok).toBe(true)
    await ch.close()
  })
  afterEach(() => dir.cleanup())

  async function editRaw (seq: number, edit: (b: Uint8Array) => Uint8Array | undefined): Promise<void> {
    const db = new Level<string, Uint8Array>(dir.path, { keyEncoding: 'utf8', valueEncoding: 'view' })
    const log = db.sublevel<string, Uint8Array>(Sublevel.LOG, { keyEncoding: 'utf8', valueEncoding: 'view' })
    const key = logKey('CH', seq)
    const v = await log.get(key)
    const next = edit(new Uint8Array(v!))
    if (next === undefined) await log.del(key)
    else await log.put(key, next)
    await db.close()
  }

  it('a changed byte in an event is found and named by its sequence number', async () => {
    // change the consumed quantity 50 -> something else inside event #7's body
    await editRaw(7, (b) => {
      const i = Buffer.from(b).indexOf(Buffer.from('THBKK'))
      b[i] = 'X'.charCodeAt(0)
      return b
    })
    ch = await openLedger('CH', dir.path, undefined, 4)
    const v = await ch.verifyLog('CH')
    expect(v.ok).toBe(false)
    expect(v.problems.map((p) => [p.seq, p.code])).toEqual(expect.arrayContaining([
      [7, 'EVENT_SIGNATURE_INVALID'],
      [8, 'EVENT_PREV_HASH_MISMATCH'],
      [8, 'CHECKPOINT_MISMATCH']
    ]))
    expect(Math.min(...v.problems.map((p) => p.seq))).toBe(7)
    await ch.close()
  })

  it('a deleted event is found as missing', async () => {
    await editRaw(3, () => undefined)
    ch = await openLedger('CH', dir.path, undefined, 4)
    const v = await ch.verifyLog('CH')
    expect(v.problems.map((p) => [p.seq, p.code])).toEqual(expect.arrayContaining([[3, 'EVENT_MISSING'], [4, 'EVENT_PREV_HASH_MISMATCH']]))
    await ch.close()
  })

  it('a whole event swapped for a validly signed one from elsewhere in the log breaks the chain', async () => {
    let two: Uint8Array | undefined
    await editRaw(2, (b) => { two = b; return b })
    await editRaw(5, () => two)
    ch = await openLedger('CH', dir.path, undefined, 4)
    const v = await ch.verifyLog('CH')
    expect(v.problems.map((p) => [p.seq, p.code])).toEqual(expect.arrayContaining([[5, 'EVENT_WRONG_LOG'], [5, 'EVENT_PREV_HASH_MISMATCH']]))
    await ch.close()
  })
})
