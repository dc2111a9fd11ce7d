/**
 * Issue 20, finding 2: with `unit` left out (optional in the API) every
 * endorsement got 422 INVALID_LINES 'unit "undefined" does not match the
 * permit's ""'; PCS was refused on a line counted in specimens (no unit),
 * so the README's `--line A:50:PCS` failed; and the import then used all 50
 * with Box 14 empty and no warning. One unit rule now decides issue,
 * endorsement and use, and such a use carries NOT_ENDORSED_AT_EXPORT.
 */
import { describe, expect, it } from 'vitest'
import { canonicalUnit, sameUnit } from '@cites/permit'
import type { LineQty, Ledger } from '../src/index.js'
import { NOW, chPermit, ledgerPerTest } from './kit.js'

// Line A of the vector permit is 50 PCS; line B, 120 with no unit (number of specimens).
const omitted = (line: string, quantity: number): LineQty => ({ line, quantity }) as unknown as LineQty

describe('one unit rule across issue, endorsement and use', () => {
  const t = ledgerPerTest('CH')
  const ch = (): Ledger => t.ledger

  it('an endorsement with the unit left out is the line\'s own unit, not refused as "undefined"', async () => {
    await ch().issue(chPermit('26CHU0001'))
    const s = await ch().endorse('CH', '26CHU0001', { lines: [omitted('A', 45), omitted('B', 100)], port: 'CHZRH' })
    // Recorded in each line's own spelling.
    expect(s.endorsement?.lines).toEqual([{ line: 'A', quantity: 45, unit: 'PCS' }, { line: 'B', quantity: 100, unit: '' }])
    const r = await ch().consume('CH', '26CHU0001', { lines: [omitted('A', 45)], port: 'THBKK' })
    expect(r.lines).toEqual([{ line: 'A', quantity: 45, unit: 'PCS' }])
    expect(r.warnings).toBeUndefined()
  })

  it('PCS on a line counted in specimens (no unit) is the same unit, as the README\'s --line B:50:PCS says', async () => {
    await ch().issue(chPermit('26CHU0002'))
    const s = await ch().endorse('CH', '26CHU0002', { lines: [{ line: 'B', quantity: 50, unit: 'PCS' }], port: 'CHZRH' })
    expect(s.endorsement?.lines).toEqual([{ line: 'B', quantity: 50, unit: '' }])
    expect((await ch().consume('CH', '26CHU0002', { lines: [{ line: 'B', quantity: 50, unit: 'NAR' }], port: 'THBKK' })).lines).toEqual([{ line: 'B', quantity: 50, unit: '' }])
  })

  it('another unit is still refused, naming the line\'s unit', async () => {
    await ch().issue(chPermit('26CHU0003'))
    await expect(ch().endorse('CH', '26CHU0003', { lines: [{ line: 'A', quantity: 5, unit: 'kg' }], port: 'CHZRH' })).rejects.toMatchObject({ code: 'INVALID_LINES', message: expect.stringContaining('PCS') })
    await expect(ch().consume('CH', '26CHU0003', { lines: [{ line: 'B', quantity: 5, unit: 'KGM' }], port: 'THBKK' })).rejects.toMatchObject({ code: 'INVALID_LINES', message: expect.stringContaining('number of specimens') })
  })

  it('an import use of an export permit with Box 14 empty carries NOT_ENDORSED_AT_EXPORT in the receipt and the signed event', async () => {
    await ch().issue(chPermit('26CHU0004'))
    const d = await ch().decideUse({ party: 'CH', number: '26CHU0004', requester: 'TH', lines: [omitted('A', 50)], port: 'THBKK' })
    expect(d.kind === 'consumed' ? d.receipt.warnings : undefined).toEqual(['NOT_ENDORSED_AT_EXPORT'])
    // The first receipt, given again with ALREADY_CONSUMED, says so too.
    const again = await ch().decideUse({ party: 'CH', number: '26CHU0004', requester: 'TH', lines: [omitted('A', 1)], port: 'THBKK' })
    expect(again).toMatchObject({ kind: 'refused', code: 'ALREADY_CONSUMED', receipt: { warnings: ['NOT_ENDORSED_AT_EXPORT'] } })
    expect((await ch().getPermit('CH', '26CHU0004'))?.history.at(-1)?.body).toMatchObject({ warnings: ['NOT_ENDORSED_AT_EXPORT'] })
  })

  it('one function decides unit equality: every spelling of "number of specimens" is one unit, and each measure has two spellings', () => {
    for (const u of ['', 'PCS', 'pcs', 'NAR', 'H87', 'C62', 'NMB', undefined]) expect(canonicalUnit(u)).toBe('')
    expect(sameUnit('kg', 'KGM')).toBe(true)
    expect(sameUnit('PCS', '')).toBe(true)
    expect(sameUnit(undefined, 'kg')).toBe(true)
    expect(sameUnit('PCS', 'kg')).toBe(false)
    expect(sameUnit('g', 'KGM')).toBe(false)
  })
})
