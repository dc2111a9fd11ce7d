import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  AlreadyConsumedError, EndorsementAfterConsumptionError, InvalidLinesError, NotIssuerError, DuplicateNumberError,
  PermitCancelledError, PermitExpiredError, PermitNotFoundError, PermitReplacedError, QuantityExceededError, Ledger
} from '../src/index.js'
import { CONSUME_A, NOW, TRUST, chPermit, openLedger, signer, tempDir, type Clock } from './kit.js'

describe('permit lifecycle on the issuer\'s ledger', () => {
  let dir: ReturnType<typeof tempDir>
  let clock: Clock
  let ch: Ledger
  beforeEach(async () => {
    dir = tempDir()
    clock = { now: NOW }
    ch = await openLedger('CH', dir.path, clock)
  })
  afterEach(async () => { await ch.close(); dir.cleanup() })

  it('issues, endorses and consumes once; a second use gets ALREADY_CONSUMED with the first receipt', async () => {
    const { state, signedXml } = await ch.issue(chPermit('26CH000001'))
    expect(state.status).toBe('ISSUED')
    expect(signedXml).toContain('ds:Signature')
    await ch.endorse('CH', '26CH000001', { lines: [{ line: 'A', quantity: 45, unit: 'PCS' }, { line: 'B', quantity: 120, unit: '' }], port: 'CHZRH', officer: 'Officer C.' })
    clock.now += 3_600_000
    const receipt = await ch.consume('CH', '26CH000001', { ...CONSUME_A, lines: [{ line: 'A', quantity: 45, unit: 'PCS' }] })
    expect(receipt).toMatchObject({ party: 'CH', number: '26CH000001', port: 'THBKK', consumingParty: 'TH', seq: 3 })
    const again = await ch.consume('CH', '26CH000001', { ...CONSUME_A, lines: [{ line: 'A', quantity: 1, unit: 'PCS' }], port: 'CNSHA' }).catch((e: unknown) => e)
    expect(again).toBeInstanceOf(AlreadyConsumedError)
    expect((again as AlreadyConsumedError).code).toBe('ALREADY_CONSUMED')
    expect((again as AlreadyConsumedError).receipt).toEqual(receipt)
    const view = await ch.getPermit('CH', '26CH000001')
    expect(view?.status).toBe('CONSUMED')
    expect(view?.history.map((h) => h.type)).toEqual(['ISSUED', 'EXPORT_ENDORSED', 'CONSUMED'])
  })

  it('refuses consumption above what was endorsed, per line', async () => {
    await ch.issue(chPermit('26CH000002'))
    await ch.endorse('CH', '26CH000002', { lines: [{ line: 'A', quantity: 40, unit: 'PCS' }], port: 'CHZRH' })
    const e = await ch.consume('CH', '26CH000002', { ...CONSUME_A, lines: [{ line: 'A', quantity: 41, unit: 'PCS' }] }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(QuantityExceededError)
    expect(e).toMatchObject({ code: 'QUANTITY_EXCEEDED', line: 'A', allowed: 40 })
    // line B was not endorsed: nothing of it was exported
    await expect(ch.consume('CH', '26CH000002', { ...CONSUME_A, lines: [{ line: 'B', quantity: 1, unit: '' }] })).rejects.toMatchObject({ code: 'QUANTITY_EXCEEDED', allowed: 0 })
  })

  it('refuses consumption above what was authorised when there is no endorsement, and bad lines', async () => {
    await ch.issue(chPermit('26CH000003'))
    await expect(ch.consume('CH', '26CH000003', { ...CONSUME_A, lines: [{ line: 'A', quantity: 51, unit: 'PCS' }] })).rejects.toMatchObject({ code: 'QUANTITY_EXCEEDED', allowed: 50 })
    await expect(ch.consume('CH', '26CH000003', { ...CONSUME_A, lines: [{ line: 'Z', quantity: 1, unit: 'PCS' }] })).rejects.toBeInstanceOf(InvalidLinesError)
    await expect(ch.consume('CH', '26CH000003', { ...CONSUME_A, lines: [{ line: 'A', quantity: 0, unit: 'PCS' }] })).rejects.toBeInstanceOf(InvalidLinesError)
    await expect(ch.consume('CH', '26CH000003', { ...CONSUME_A, lines: [{ line: 'A', quantity: 5, unit: 'kg' }] })).rejects.toBeInstanceOf(InvalidLinesError)
    await expect(ch.consume('CH', '26CH000003', { ...CONSUME_A, lines: [] })).rejects.toBeInstanceOf(InvalidLinesError)
    expect((await ch.consume('CH', '26CH000003', CONSUME_A)).lines).toEqual(CONSUME_A.lines)
  })

  it('refuses an endorsement after consumption', async () => {
    await ch.issue(chPermit('26CH000004'))
    await ch.consume('CH', '26CH000004', CONSUME_A)
    await expect(ch.endorse('CH', '26CH000004', { lines: [{ line: 'A', quantity: 1, unit: 'PCS' }], port: 'CHZRH' })).rejects.toBeInstanceOf(EndorsementAfterConsumptionError)
  })

  it('refuses any action on a cancelled or replaced permit', async () => {
    await ch.issue(chPermit('26CH000005'))
    await ch.cancel('CH', '26CH000005', 'reported stolen')
    await expect(ch.consume('CH', '26CH000005', CONSUME_A)).rejects.toBeInstanceOf(PermitCancelledError)
    await expect(ch.endorse('CH', '26CH000005', { lines: [{ line: 'A', quantity: 1, unit: 'PCS' }], port: 'CHZRH' })).rejects.toMatchObject({ code: 'PERMIT_CANCELLED' })
    await expect(ch.cancel('CH', '26CH000005', 'again')).rejects.toBeInstanceOf(PermitCancelledError)
    await ch.issue(chPermit('26CH000006'))
    await ch.replace('CH', '26CH000006', chPermit('26CH000007'), 'lost')
    await expect(ch.consume('CH', '26CH000006', CONSUME_A)).rejects.toBeInstanceOf(PermitReplacedError)
  })

  it('refuses consumption of an expired permit (expiry derived from the dates)', async () => {
    await ch.issue(chPermit('26CH000008'))
    clock.now = Date.parse('2027-05-01T00:00:00Z')
    expect((await ch.status('CH', '26CH000008'))?.status).toBe('EXPIRED')
    await expect(ch.consume('CH', '26CH000008', CONSUME_A)).rejects.toBeInstanceOf(PermitExpiredError)
  })

  it('refuses a permit number issued twice, unknown permits, and writes for another party', async () => {
    await ch.issue(chPermit('26CH000009'))
    await expect(ch.issue(chPermit('26CH000009'))).rejects.toBeInstanceOf(DuplicateNumberError)
    await expect(ch.consume('CH', 'NOPE', CONSUME_A)).rejects.toBeInstanceOf(PermitNotFoundError)
    await expect(ch.consume('TH', '26TH000007', CONSUME_A)).rejects.toBeInstanceOf(NotIssuerError)
    await expect(ch.issue(chPermit('26CH€000010'))).rejects.toMatchObject({ code: 'PERMIT_NUMBER_INVALID' })
    const p = chPermit('26CH000010')
    p.issuer.address!.country = 'TH'
    await expect(ch.issue(p)).rejects.toMatchObject({ name: 'PermitRefusedError' })
  })

  it('records an externally signed permit only if it verifies as this party\'s', async () => {
    const { signedXml } = await ch.issue(chPermit('26CH000011'))
    await expect(ch.recordSigned(signedXml)).rejects.toBeInstanceOf(DuplicateNumberError)
    const tampered = signedXml.replace('>26CH000011<', '>26CH000012<')
    await expect(ch.recordSigned(tampered)).rejects.toMatchObject({ code: 'PERMIT_SIGNATURE_INVALID', reasons: [{ code: 'SIG_DIGEST_MISMATCH' }] })
  })

  it('lists and counts by party, species, status and date, with paging; rebuilds every index from the logs', async () => {
    for (let i = 0; i < 12; i++) await ch.issue(chPermit(`26CH1000${String(i).padStart(2, '0')}`))
    for (let i = 0; i < 5; i++) await ch.consume('CH', `26CH1000${String(i).padStart(2, '0')}`, CONSUME_A)
    await ch.cancel('CH', '26CH100011', 'error')
    expect(await ch.count()).toBe(12)
    expect(await ch.count({ status: 'CONSUMED' })).toBe(5)
    expect(await ch.count({ status: 'ISSUED' })).toBe(6)
    expect(await ch.count({ status: 'CANCELLED' })).toBe(1)
    expect(await ch.count({ species: 'python REGIUS' })).toBe(12)
    expect(await ch.count({ species: 'Panthera tigris' })).toBe(0)
    expect(await ch.count({ party: 'CH', status: 'CONSUMED' })).toBe(5)
    expect(await ch.count({ from: Date.parse('2026-10-01'), to: Date.parse('2026-12-01') })).toBe(12)
    expect(await ch.count({ from: Date.parse('2027-01-01') })).toBe(0)
    const seen: string[] = []
    let after: string | undefined
    for (;;) {
      const page = await ch.list({ party: 'CH' }, { limit: 5, ...(after !== undefined ? { after } : {}) })
      seen.push(...page.items.map((i) => i.state.number))
      if (page.next === undefined) break
      after = page.next
    }
    expect(seen).toHaveLength(12)
    expect(new Set(seen).size).toBe(12)
    const before = await ch.list({}, { limit: 100 })
    expect(await ch.rebuildIndexes()).toEqual({ permits: 12, events: 18 })
    expect(await ch.list({}, { limit: 100 })).toEqual(before)
    expect(await ch.count({ status: 'CONSUMED' })).toBe(5)
  })

  it('its own log verifies end to end, with checkpoints', async () => {
    await ch.close()
    ch = await openLedger('CH', dir.path, clock, 4)
    for (let i = 0; i < 9; i++) await ch.issue(chPermit(`26CH2000${i}`))
    const v = await ch.verifyLog('CH')
    expect(v).toMatchObject({ author: 'CH', size: 9, ok: true, problems: [], checkpointsChecked: 2 })
  })
})

describe('a node whose own certificate is withdrawn', () => {
  it('stops writing: SIGNER_NOT_TRUSTED, and nothing is appended', async () => {
    const dir = tempDir()
    let withdrawn = false
    const ch = await Ledger.open({
      location: dir.path, party: 'CH', signer: await signer('CH'), now: () => NOW,
      trust: { certificatesFor: (p) => TRUST.certificatesFor(p)?.map((c) => withdrawn ? { ...c, withdrawnAt: '2026-11-10T00:00:00Z' } : c) }
    })
    try {
      await ch.issue(chPermit('26CHW00001'))
      withdrawn = true
      await expect(ch.consume('CH', '26CHW00001', CONSUME_A)).rejects.toMatchObject({ code: 'SIGNER_NOT_TRUSTED' })
      expect(ch.heads().get('CH')?.size).toBe(1)
      expect((await ch.status('CH', '26CHW00001'))?.status).toBe('ISSUED')
    } finally {
      await ch.close()
      dir.cleanup()
    }
  })
})
