/**
 * Issue 20, finding 1: CH/26CH000102 was reported lost and 26CH000103
 * replaced it, yet both stayed valid and US customs used both (60 pythons
 * on a 30-python permit). Replacing is now one act: REPLACED on the
 * original and the replacement's ISSUED in one batch, and the original is
 * refused everywhere, naming its replacement.
 */
import { describe, expect, it } from 'vitest'
import { EventType, ReplacedBody, ReplacementReason, decodeEvent, type Ledger } from '../src/index.js'
import { NOW, chPermit, ledgerPerTest } from './kit.js'
import type { Permit } from '@cites/permit'

const USE_30 = { lines: [{ line: 'A', quantity: 30, unit: 'PCS' }], port: 'THBKK', officer: 'Officer T.' }

/** A CH → TH permit of 30 pythons (line A only). */
function pythons (number: string): Permit {
  const p = chPermit(number)
  p.lines = [{ ...p.lines[0]!, quantity: 30 }]
  return p
}

describe('replacing a permit (Res. Conf. 12.3)', () => {
  const t = ledgerPerTest('CH')
  const ch = (): Ledger => t.ledger

  it('a replaced permit is refused at customs, naming its replacement', async () => {
    await ch().issue(pythons('26CH000102'))
    const before = ch().heads().get('CH')!.size
    const { state } = await ch().issue({ ...pythons('26CH000103'), replacement: { replaces: '26CH000102', reason: 'lost', details: 'original lost in transit' } })
    expect(state).toMatchObject({ number: '26CH000103', status: 'ISSUED', replaces: '26CH000102' })
    // One act: two events, REPLACED then ISSUED, one after the other.
    const evs = (await ch().eventsFrom('CH', before + 1)).map((b) => decodeEvent(b).event)
    expect(evs.map((e) => [e.type, e.permitNumber])).toEqual([[EventType.REPLACED, '26CH000102'], [EventType.ISSUED, '26CH000103']])
    expect(ReplacedBody.decode(evs[0]!.body)).toMatchObject({ replacementNumber: '26CH000103', reasonCode: ReplacementReason.REPLACEMENT_LOST, reason: 'original lost in transit' })

    const original = await ch().status('CH', '26CH000102')
    expect(original?.status).toBe('REPLACED')
    expect(original?.state.replacement).toMatchObject({ number: '26CH000103', reasonCode: 'lost' })
    const refused = await ch().decideUse({ party: 'CH', number: '26CH000102', requester: 'TH', ...USE_30 })
    expect(refused).toMatchObject({ kind: 'refused', code: 'PERMIT_REPLACED' })
    expect(refused.kind === 'refused' ? refused.message : '').toContain('26CH000103')
    // The replacement is used once; the network counts 30, not 60.
    expect(await ch().decideUse({ party: 'CH', number: '26CH000103', requester: 'TH', ...USE_30 })).toMatchObject({ kind: 'consumed' })
    // And survives a rebuild from the logs alone.
    await ch().rebuildIndexes()
    expect((await ch().status('CH', '26CH000102'))?.status).toBe('REPLACED')
  })

  it('a replacement of a permit that does not exist is refused (26CH999999 was accepted)', async () => {
    await expect(ch().issue({ ...pythons('26CH000104'), replacement: { replaces: '26CH999999', reason: 'lost' } })).rejects.toMatchObject({ code: 'PERMIT_NOT_FOUND' })
    expect(await ch().status('CH', '26CH000104')).toBeUndefined()
  })

  it('a replacement of a used permit is refused, and the used permit keeps its receipt', async () => {
    await ch().issue(pythons('26CH000105'))
    await ch().consume('CH', '26CH000105', USE_30)
    await expect(ch().replace('CH', '26CH000105', pythons('26CH000106'), 'lost')).rejects.toMatchObject({ code: 'ALREADY_CONSUMED' })
    expect(await ch().status('CH', '26CH000106')).toBeUndefined()
  })

  it('a replacement of another party\'s permit is refused', async () => {
    await expect(ch().replace('TH', '26TH000001', pythons('26CH000107'), 'lost')).rejects.toMatchObject({ code: 'NOT_ISSUER' })
  })

  it('a replacement may not exceed what remains of the original, per line in its unit', async () => {
    await ch().issue(pythons('26CH000108'))
    await expect(ch().replace('CH', '26CH000108', { ...pythons('26CH000109'), lines: [{ ...pythons('x').lines[0]!, quantity: 31 }] }, 'damaged')).rejects.toMatchObject({ code: 'REPLACEMENT_EXCEEDS_ORIGINAL' })
    // A line the original does not have adds goods.
    await expect(ch().replace('CH', '26CH000108', chPermit('26CH000109'), 'damaged')).rejects.toMatchObject({ code: 'REPLACEMENT_EXCEEDS_ORIGINAL' })
    // Endorsed for 20 at export: 20 remain.
    await ch().endorse('CH', '26CH000108', { lines: [{ line: 'A', quantity: 20, unit: 'PCS' }], port: 'CHZRH' })
    await expect(ch().replace('CH', '26CH000108', { ...pythons('26CH000109'), lines: [{ ...pythons('x').lines[0]!, quantity: 21 }] }, 'damaged')).rejects.toMatchObject({ code: 'REPLACEMENT_EXCEEDS_ORIGINAL' })
    // The same unit spelt otherwise ("number of specimens") is the same unit.
    const { state } = await ch().replace('CH', '26CH000108', { ...pythons('26CH000109'), lines: [{ ...pythons('x').lines[0]!, quantity: 20, unit: 'NAR' }] }, 'damaged')
    expect(state.status).toBe('ISSUED')
  })

  it('a replacement states why: lost, stolen, damaged or error', async () => {
    await ch().issue(pythons('26CH000110'))
    await expect(ch().issue({ ...pythons('26CH000111'), replacement: { replaces: '26CH000110', reason: 'original lost in transit' } }))
      .rejects.toMatchObject({ name: 'PermitRefusedError', problems: [expect.objectContaining({ code: 'REPLACEMENT_REASON_INVALID' })] })
    expect((await ch().status('CH', '26CH000110'))?.status).toBe('ISSUED')
  })

  it('a replaced permit cannot be replaced again, nor cancelled', async () => {
    await ch().issue(pythons('26CH000112'))
    await ch().replace('CH', '26CH000112', pythons('26CH000113'), 'error')
    await expect(ch().replace('CH', '26CH000112', pythons('26CH000114'), 'error')).rejects.toMatchObject({ code: 'PERMIT_REPLACED' })
    await expect(ch().cancel('CH', '26CH000112', 'x')).rejects.toMatchObject({ code: 'PERMIT_REPLACED' })
  })
})
