/**
 * ledger.md r18 §3.2: a destination judges a provisional use from its
 * replica, which needs the permit's document. When the partition cut off
 * the delivery, the holder presents the document: TH (cut off from CH, the
 * issuer, but not from FR, which relays CH's events) takes it once it hashes
 * to CH's record and records the use provisionally. A tampered copy is
 * refused DOCUMENT_HASH_MISMATCH and nothing is kept; without a document the
 * use is refused (fail closed). Real CH, TH and FR nodes, over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chPermit, USE_A, waitFor } from '@cites/test-kit'
import { buildHttpApi, hashToken } from '../src/index.js'
import { authorities, basePort, meshFormed, startPermitNode, stopAll, trustListXml, type TestNode } from './kit.js'

describe('a provisional use before the delivery arrived judges the document the holder presents', () => {
  let nodes: TestNode[] = []
  const by = (p: string): TestNode => nodes.find((n) => n.a.party === p) as TestNode
  let signedXml = ''
  const T = { issuer: 'i-token', customs: 'c-token', viewer: 'v-token' }
  let use: (body: object) => Promise<{ status: number, body: Record<string, unknown> }> = async () => ({ status: 0, body: {} })
  let closeHttp = async (): Promise<void> => {}

  beforeAll(async () => {
    const all = await authorities(['CH', 'TH', 'FR'], basePort())
    const xml = await trustListXml(all)
    nodes = await Promise.all(all.map(async (a) => await startPermitNode(a, xml, a.party === 'TH' ? { provisional: { allow: true, issuerTimeoutMs: 1500 } } : {})))
    await meshFormed(nodes)
    // TH and CH cut off from each other; FR still talks to both.
    await by('TH').node.partition(['CH'])
    await by('CH').node.partition(['TH'])
    await waitFor(() => by('TH').node.internals.libp2p.getConnections().every((c) => c.remotePeer.toString() !== by('CH').a.peerId), { timeoutMs: 10_000, what: 'the partition' })
    signedXml = (await by('CH').node.issue(chPermit('26CH81001'))).signedXml
    // The summary reaches TH through FR; the delivery, direct from CH, cannot.
    await waitFor(async () => (await by('TH').node.internals.ledger.status('CH', '26CH81001')) !== undefined, { timeoutMs: 20_000, what: 'CH\'s ISSUED event at TH, through FR' })
    const { app } = await buildHttpApi(by('TH').node, { tokens: { issuer: hashToken(T.issuer), customs: hashToken(T.customs), viewer: hashToken(T.viewer) }, logger: false })
    use = async (body) => {
      const r = await app.inject({ method: 'POST', url: '/v1/permits/CH/26CH81001/consumptions', headers: { authorization: `Bearer ${T.customs}` }, payload: body })
      return { status: r.statusCode, body: r.json() }
    }
    closeHttp = async () => { await app.close() }
  })
  afterAll(async () => {
    await closeHttp()
    await stopAll(nodes)
  })

  it('without the document the use is refused, and nothing is recorded', async () => {
    expect(await by('TH').node.internals.ledger.documentStatus('CH', '26CH81001')).toBe('absent')
    const r = await use(USE_A)
    expect(r.status).toBe(422)
    expect(r.body).toMatchObject({ code: 'PERMIT_INVALID' })
    // The officer is told what to do.
    expect(String(r.body.detail)).toContain('DOCUMENT_NOT_PRESENTED')
    expect(String(r.body.detail)).toContain('present the holder\'s signed document')
    expect(await by('TH').node.internals.ledger.openClaims()).toHaveLength(0)
  })

  it('a tampered copy is refused DOCUMENT_HASH_MISMATCH, and is not kept', async () => {
    const r = await use({ ...USE_A, document: signedXml.replace('>50<', '>500<') })
    expect(r.status).toBe(422)
    expect(r.body).toMatchObject({ code: 'DOCUMENT_HASH_MISMATCH' })
    expect(await by('TH').node.internals.ledger.documentStatus('CH', '26CH81001')).toBe('absent')
    expect(await by('TH').node.internals.ledger.openClaims()).toHaveLength(0)
  })

  it('the genuine document is kept as TH\'s copy and the use is recorded provisionally; after the heal CH confirms it', async () => {
    const r = await use({ ...USE_A, document: signedXml })
    expect(r.status).toBe(202)
    expect(r.body).toMatchObject({ outcome: 'PROVISIONAL', claim: { claimant: 'TH', port: 'THBKK' } })
    expect(await by('TH').node.internals.ledger.documentStatus('CH', '26CH81001')).toBe('held')
    expect(Buffer.from((await by('TH').node.internals.ledger.document('CH', '26CH81001'))!).toString('utf8')).toBe(signedXml)
    // A second presentation during the partition is refused.
    expect((await use({ ...USE_A, document: signedXml })).body).toMatchObject({ code: 'ALREADY_CONSUMED_PROVISIONALLY' })
    for (const n of nodes) n.node.heal()
    await waitFor(async () => (await by('CH').node.internals.ledger.status('CH', '26CH81001'))?.status === 'CONSUMED', { timeoutMs: 30_000, what: 'CH to confirm TH\'s claim' })
    // TH sees its claim confirmed once CH's event reaches it.
    await waitFor(async () => (await by('TH').node.internals.ledger.openClaims()).length === 0, { timeoutMs: 30_000, what: 'TH to see its claim confirmed' })
    expect((await by('TH').node.internals.ledger.claims('CH', '26CH81001'))[0]).toMatchObject({ claimant: 'TH', resolution: 'confirmed' })
  })
})
