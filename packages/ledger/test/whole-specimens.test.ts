/**
 * Issue 20, finding 8: 2.5 live pythons were issued, endorsed and used, and
 * reported as 0.5 specimens. A quantity counted in specimens (live animals,
 * and every term stated without a measure) takes whole numbers only: at
 * issue (QUANTITY_NOT_WHOLE) and at endorsement and use (INVALID_LINES).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { checkPermit, requiresWholeNumber } from '@cites/permit'
import type { Ledger } from '../src/index.js'
import { NOW, chPermit, openLedger, tempDir } from './kit.js'

describe('whole specimens', () => {
  let dir: ReturnType<typeof tempDir>
  let ch: Ledger
  beforeEach(async () => { dir = tempDir(); ch = await openLedger('CH', dir.path, { now: NOW }) })
  afterEach(async () => { await ch.close(); dir.cleanup() })

  it('2.5 live pythons are refused at issue instead of being reported as 0.5 specimens', async () => {
    const p = chPermit('26CHW0001')
    p.lines[0]!.quantity = 2.5
    expect(checkPermit(p).map((x) => x.code)).toEqual(['QUANTITY_NOT_WHOLE'])
    await expect(ch.issue(p)).rejects.toMatchObject({ name: 'PermitRefusedError', problems: [expect.objectContaining({ code: 'QUANTITY_NOT_WHOLE', box: '11', line: 'A' })] })
    // A measure may be a fraction: 2.5 kg of caviar is lawful.
    const kg = chPermit('26CHW0002')
    kg.lines = [{ ...kg.lines[0]!, term: 'CAV', quantity: 2.5, unit: 'kg' }]
    expect(checkPermit(kg)).toEqual([])
  })

  it('a fraction of a specimen is refused at endorsement and at use', async () => {
    await ch.issue(chPermit('26CHW0003'))
    await expect(ch.endorse('CH', '26CHW0003', { lines: [{ line: 'A', quantity: 2.5, unit: 'PCS' }], port: 'CHZRH' })).rejects.toMatchObject({ code: 'INVALID_LINES', message: expect.stringContaining('whole number') })
    await expect(ch.consume('CH', '26CHW0003', { lines: [{ line: 'B', quantity: 0.5 + 1, unit: '' }], port: 'THBKK' })).rejects.toMatchObject({ code: 'INVALID_LINES' })
    expect((await ch.consume('CH', '26CHW0003', { lines: [{ line: 'A', quantity: 3, unit: 'PCS' }], port: 'THBKK' })).lines[0]?.quantity).toBe(3)
  })

  it('one decision: counted in specimens means whole numbers', () => {
    for (const u of [undefined, '', 'PCS', 'NAR', 'H87']) expect(requiresWholeNumber(u)).toBe(true)
    for (const u of ['kg', 'KGM', 'l', 'm3']) expect(requiresWholeNumber(u)).toBe(false)
  })
})
