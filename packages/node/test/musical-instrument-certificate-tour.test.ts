/**
 * Issue 14: a musical-instrument certificate (Res. Conf. 16.8) is valid for
 * three years and used at every border its holder crosses (ledger.md
 * §3.7). Real CH (issuer) and TH nodes on loopback, the clock moved
 * between crossings: five crossings over three years, each endorsed at exit
 * and used at entry, four of them asked over the network; an export permit
 * beside it is still used once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NOW, chPermit, vectorPermit, waitFor, type Clock } from '@cites/test-kit'
import { authorities, basePort, meshFormed, startPermitNode, stopAll, trustListXml, type TestNode } from './kit.js'
import { verifyDocument } from '../src/index.js'

const DAY = 86_400_000
const GUITAR = [{ line: 'A', quantity: 1, unit: '' }]

describe('a musical-instrument certificate crossing five borders over three years', () => {
  const clock: Clock = { now: NOW }
  let ch: TestNode
  let th: TestNode

  beforeAll(async () => {
    const list = await authorities(['CH', 'TH'], basePort())
    const xml = await trustListXml(list)
    ch = await startPermitNode(list[0]!, xml, { now: () => clock.now })
    th = await startPermitNode(list[1]!, xml, { now: () => clock.now })
    await meshFormed([ch, th])
  })
  afterAll(async () => { await stopAll([ch, th]) })

  it('is endorsed and used at each crossing, over the network and at home, until it expires', async () => {
    const cert = vectorPermit('ch-musical-instrument')
    delete cert.issueDate
    const { state, signedXml } = await ch.node.issue(cert)
    expect(state).toMatchObject({ type: 'O', certificateType: 'musical-instrument' })
    // The certificate travels with its holder (r17: it names the musician; no other authority is sent it):
    // by number, a border that does not hold it sees the issuer's summary only.
    await waitFor(async () => (await th.node.internals.ledger.status('CH', '26CHMI0001')) !== undefined, { what: 'TH to hold the summary' })
    expect((await th.node.verify('CH', '26CHMI0001')).checks.find((c) => c.name === 'integrity')?.reason.code).toBe('DOCUMENT_NOT_PRESENTED')
    // CH → TH, TH → CH, CH → TH, TH → CH, CH → TH: about every seven months.
    const tour = [['CHGVA', 'THBKK', th], ['THBKK', 'CHZRH', ch], ['CHZRH', 'THHKT', th], ['THHKT', 'CHGVA', ch], ['CHGVA', 'THBKK', th]] as const
    for (const [exit, entry, into] of tour) {
      clock.now += 200 * DAY
      await ch.node.endorse('CH', '26CHMI0001', { lines: GUITAR, port: exit })
      clock.now += DAY / 2
      // What the officer at the border sees from the certificate the holder presents before recording the crossing: valid, not "already used", not "not for this country".
      const seen = await verifyDocument(into.node, signedXml)
      expect(seen.valid, JSON.stringify(seen.checks.filter((c) => c.status !== 'VALID'))).toBe(true)
      expect(seen.checks.find((c) => c.name === 'use')?.reason.code).toBe('MULTI_USE')
      const r = await into.node.consume('CH', '26CHMI0001', { lines: GUITAR, port: entry })
      expect(r).toMatchObject({ outcome: 'CONSUMED', receipt: { port: entry, consumingParty: into.a.party } })
    }
    const held = (await ch.node.internals.ledger.status('CH', '26CHMI0001'))!
    expect(held.state.crossings?.map((c) => [c.endorsement?.port, c.use.port, c.use.consumingParty])).toEqual(tour.map(([x, e, n]) => [x, e, n.a.party]))
    // TH's replica of CH's log holds the same five crossings.
    await waitFor(async () => (await th.node.internals.ledger.status('CH', '26CHMI0001'))?.state.crossings?.length === 5, { what: 'the crossings in TH\'s replica' })
    // Past its three years (from the grant, 2026-11-15) the certificate is void.
    clock.now = Date.parse('2029-11-16T00:00:00Z')
    await expect(ch.node.endorse('CH', '26CHMI0001', { lines: GUITAR, port: 'CHGVA' })).rejects.toMatchObject({ code: 'PERMIT_EXPIRED' })
    expect(await th.node.consume('CH', '26CHMI0001', { lines: GUITAR, port: 'THBKK' })).toMatchObject({ outcome: 'REFUSED', code: 'PERMIT_EXPIRED' })
  })

  it('stops a second use of an export permit beside it: single-use documents are used once', async () => {
    const p = chPermit('26CH0TOUR1')
    const at = new Date(clock.now = NOW + 400 * DAY)
    p.validFrom = at.toISOString()
    p.validUntil = new Date(at.getTime() + 150 * DAY).toISOString()
    await ch.node.issue(p)
    expect(await th.node.consume('CH', '26CH0TOUR1', { lines: [{ line: 'A', quantity: 50, unit: 'PCS' }], port: 'THBKK' })).toMatchObject({ outcome: 'CONSUMED' })
    clock.now += 30 * DAY
    expect(await th.node.consume('CH', '26CH0TOUR1', { lines: [{ line: 'A', quantity: 1, unit: 'PCS' }], port: 'THHKT' })).toMatchObject({ outcome: 'REFUSED', code: 'ALREADY_CONSUMED' })
  })
})
