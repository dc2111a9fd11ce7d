/**
 * Multi-use certificates (ledger.md §3.7, issue 14): a musical-instrument
 * certificate is endorsed and used at every crossing until it expires, each
 * crossing on the record; every other document keeps its one use.
 */
import { describe, expect, it } from 'vitest'
import { vectorPermit } from '@cites/test-kit'
import { AlreadyConsumedError, AlreadyEndorsedError, PermitExpiredError, derivedStatus } from '../src/index.js'
import { CONSUME_A, chPermit, ledgerPerTest } from './kit.js'

const DAY = 86_400_000
const GUITAR = [{ line: 'A', quantity: 1, unit: '' }]

/** The CH musical-instrument certificate vector, to issue (the node writes the issue date). */
function instrumentCertificate (number = '26CHMI0001') {
  const p = vectorPermit('ch-musical-instrument')
  p.number = number
  delete p.issueDate
  return p
}

describe('multi-use certificates on the issuer\'s ledger', () => {
  const t = ledgerPerTest('CH')

  it('records a musical-instrument certificate crossing five borders over three years, endorsed and used at each', async () => {
    const { state } = await t.ledger.issue(instrumentCertificate())
    expect(state.certificateType).toBe('musical-instrument')
    // out of CH into FR, on to DE, to the US, to JP, and home: about every seven months
    const tour = [['CHGVA', 'FRCDG', 'FR'], ['FRCDG', 'DEFRA', 'DE'], ['DEFRA', 'USJFK', 'US'], ['USJFK', 'JPNRT', 'JP'], ['JPNRT', 'CHZRH', 'CH']] as const
    for (const [exit, entry, into] of tour) {
      t.clock.now += 210 * DAY
      await t.ledger.endorse('CH', '26CHMI0001', { lines: GUITAR, port: exit })
      t.clock.now += DAY / 2
      const receipt = await t.ledger.consume('CH', '26CHMI0001', { lines: GUITAR, port: entry, consumingParty: into })
      expect(receipt).toMatchObject({ port: entry, consumingParty: into })
    }
    const s = (await t.ledger.status('CH', '26CHMI0001'))!
    expect(s.status).toBe('CONSUMED')
    expect(s.state.endorsement).toBeUndefined()
    expect(s.state.crossings?.map((c) => [c.endorsement?.port, c.use.port, c.use.consumingParty])).toEqual(tour.map(([x, e, p]) => [x, e, p]))
    expect(s.state.consumption?.port).toBe('CHZRH')
    const view = await t.ledger.getPermit('CH', '26CHMI0001')
    expect(view?.history.map((h) => h.type)).toEqual(['ISSUED', ...tour.flatMap(() => ['EXPORT_ENDORSED', 'CONSUMED'])])
    // about three years later the certificate has expired: no sixth crossing
    t.clock.now = Date.parse('2029-11-16T00:00:00Z')
    expect(derivedStatus(s.state, t.clock.now)).toBe('EXPIRED')
    await expect(t.ledger.endorse('CH', '26CHMI0001', { lines: GUITAR, port: 'CHGVA' })).rejects.toBeInstanceOf(PermitExpiredError)
    await expect(t.ledger.consume('CH', '26CHMI0001', { lines: GUITAR, port: 'FRCDG', consumingParty: 'FR' })).rejects.toBeInstanceOf(PermitExpiredError)
  })

  it('stops a cloned certificate crossing twice at once: a second export endorsement before the first crossing is used is ALREADY_ENDORSED', async () => {
    await t.ledger.issue(instrumentCertificate())
    await t.ledger.endorse('CH', '26CHMI0001', { lines: GUITAR, port: 'CHGVA' })
    await expect(t.ledger.endorse('CH', '26CHMI0001', { lines: GUITAR, port: 'CHBSL' })).rejects.toBeInstanceOf(AlreadyEndorsedError)
  })

  it('bounds each crossing by Box 11: the one instrument, never two', async () => {
    await t.ledger.issue(instrumentCertificate())
    await expect(t.ledger.consume('CH', '26CHMI0001', { lines: [{ line: 'A', quantity: 2, unit: '' }], port: 'FRCDG', consumingParty: 'FR' })).rejects.toMatchObject({ code: 'QUANTITY_EXCEEDED', allowed: 1 })
  })

  it('lets any listed authority record a crossing into it, through the use decision', async () => {
    await t.ledger.issue(instrumentCertificate())
    for (const requester of ['TH', 'FR']) {
      t.clock.now += 30 * DAY
      const d = await t.ledger.decideUse({ party: 'CH', number: '26CHMI0001', requester, lines: GUITAR, port: `${requester}XXX` })
      expect(d).toMatchObject({ kind: 'consumed', repeated: false, receipt: { consumingParty: requester } })
    }
    expect((await t.ledger.status('CH', '26CHMI0001'))?.state.crossings).toHaveLength(2)
  })

  it('stops a second use of a single-use export permit: ALREADY_CONSUMED with the first receipt, as before', async () => {
    await t.ledger.issue(chPermit('26CH000001'))
    const first = await t.ledger.consume('CH', '26CH000001', CONSUME_A)
    t.clock.now += DAY
    const again = await t.ledger.consume('CH', '26CH000001', { ...CONSUME_A, port: 'THHKT' }).catch((e: unknown) => e)
    expect(again).toBeInstanceOf(AlreadyConsumedError)
    expect((again as AlreadyConsumedError).receipt).toEqual(first)
    const d = await t.ledger.decideUse({ party: 'CH', number: '26CH000001', requester: 'TH', lines: CONSUME_A.lines, port: 'THHKT' })
    expect(d).toMatchObject({ kind: 'refused', code: 'ALREADY_CONSUMED' })
    expect((await t.ledger.status('CH', '26CH000001'))?.state.crossings).toBeUndefined()
  })

  it('stops a second use of a single-use certificate: a pre-Convention certificate is used once', async () => {
    const pc = vectorPermit('ch-pre-convention')
    delete pc.issueDate
    await t.ledger.issue(pc)
    await t.ledger.consume('CH', '26CHPC0001', { lines: [{ line: 'A', quantity: 1, unit: '' }], port: 'THBKK' })
    await expect(t.ledger.consume('CH', '26CHPC0001', { lines: [{ line: 'A', quantity: 1, unit: '' }], port: 'THBKK' })).rejects.toBeInstanceOf(AlreadyConsumedError)
    // and the diverted-copy rule still holds for it
    const d = await t.ledger.decideUse({ party: 'CH', number: '26CHPC0001', requester: 'FR', lines: [{ line: 'A', quantity: 1, unit: '' }], port: 'FRCDG' })
    expect(d).toMatchObject({ kind: 'refused', code: 'NOT_DESTINATION' })
  })
})
