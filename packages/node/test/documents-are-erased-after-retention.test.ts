/**
 * Issue 13 §4: a node erases the permit documents it holds once their
 * retention period has passed (the later of Box 2's end and the last
 * event, plus `documentYears`), at start and every hour; summaries, hashes
 * and logs stay and verify, and nothing serves the document any more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NOW, chPermit, waitFor, type Clock } from '@cites/test-kit'
import { authorities, basePort, meshFormed, startPermitNode, stopAll, trustListXml, type TestNode } from './kit.js'
import { buildHttpApi, hashToken } from '../src/index.js'

const DAY = 86_400_000
const YEAR = 365.25 * DAY

describe('permit documents are erased after their retention period', () => {
  const clock: Clock = { now: NOW }
  let ch: TestNode
  let th: TestNode
  let list: Awaited<ReturnType<typeof authorities>>
  let xml: string

  beforeAll(async () => {
    list = await authorities(['CH', 'TH'], basePort())
    xml = await trustListXml(list)
    ch = await startPermitNode(list[0]!, xml, { now: () => clock.now })
    th = await startPermitNode(list[1]!, xml, { now: () => clock.now })
    await meshFormed([ch, th])
  })
  afterAll(async () => { await stopAll([ch, th]) })

  it('both parties hold the document until 5 years after expiry; then a restart erases it at both, and the logs still verify', async () => {
    await ch.node.issue(chPermit('26CHRET001'))
    await waitFor(async () => await th.node.internals.ledger.documentStatus('CH', '26CHRET001') === 'held', { timeoutMs: 20_000, what: 'the delivery to TH' })
    const validUntil = (await ch.node.internals.ledger.status('CH', '26CHRET001'))!.state.validUntil
    // Four years after expiry: kept (the default is five).
    clock.now = validUntil + 4 * YEAR
    for (const n of [ch, th]) await n.node.stop()
    ch = await startPermitNode(list[0]!, xml, { now: () => clock.now }, ch.dir)
    th = await startPermitNode(list[1]!, xml, { now: () => clock.now }, th.dir)
    await waitFor(() => (ch.node.workers().retention?.runs ?? 0) >= 1 && (th.node.workers().retention?.runs ?? 0) >= 1, { what: 'the retention job at start' })
    expect(await ch.node.internals.ledger.documentStatus('CH', '26CHRET001')).toBe('held')
    expect(await th.node.internals.ledger.documentStatus('CH', '26CHRET001')).toBe('held')
    // Five years and a day: erased at the next start, at both parties.
    clock.now = validUntil + 5 * YEAR + DAY
    for (const n of [ch, th]) await n.node.stop()
    ch = await startPermitNode(list[0]!, xml, { now: () => clock.now }, ch.dir)
    th = await startPermitNode(list[1]!, xml, { now: () => clock.now }, th.dir)
    await waitFor(async () => await ch.node.internals.ledger.documentStatus('CH', '26CHRET001') === 'erased' && await th.node.internals.ledger.documentStatus('CH', '26CHRET001') === 'erased', { what: 'the erasure at start' })
    expect(ch.node.counters().documentsErased).toBe(1)
    for (const n of [ch, th]) {
      const ledger = n.node.internals.ledger
      expect(await ledger.signedXml('CH', '26CHRET001')).toBeUndefined()
      expect((await ledger.status('CH', '26CHRET001'))?.state.xmlSha256).toMatch(/^[0-9a-f]{64}$/)
      expect(await ledger.verifyLog('CH')).toMatchObject({ ok: true })
    }
    // What people see: 410 for the document, the summary still there, a verdict that says the document was erased.
    const { app: http } = await buildHttpApi(th.node, { tokens: { viewer: hashToken('v-token') }, logger: false })
    try {
      const asXml = await http.inject({ method: 'GET', url: '/v1/permits/CH/26CHRET001', headers: { authorization: 'Bearer v-token', accept: 'application/xml' } })
      expect([asXml.statusCode, asXml.json<{ code: string }>().code]).toEqual([410, 'DOCUMENT_ERASED'])
      const v = await th.node.verify('CH', '26CHRET001')
      expect(v.checks.find((c) => c.name === 'integrity')?.reason.code).toBe('DOCUMENT_ERASED')
      expect(v.valid).toBe(false)
      const metrics = await http.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer v-token' } })
      expect(metrics.body).toContain('cites_documents_erased_total{party="TH"} 1')
    } finally {
      await http.close()
    }
  })
})
