/**
 * Background XML-DSig checks of replicated permits (ledger.md §4.1): TH
 * receives CH's permits by gossip (accepted on the event signatures alone)
 * and checks every signed document in the background. An ISSUED event that
 * CH signed over a document whose XML-DSig fails (a rogue or broken issuer)
 * is accepted into TH's replica, since the event itself is genuine, but the
 * background check records a PERMIT_SIGNATURE_INVALID alert. The progress
 * is durable: after a restart nothing is checked or alerted twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EventType, IssuedBody, decodeEvent, sha256, signEvent } from '@cites/ledger'
import { verifyDocument } from '../src/index.js'
import { chPermit, NOW, waitFor } from '@cites/test-kit'
import { authorities, basePort, meshFormed, startPermitNode, stopAll, trustListXml, type Authority, type TestNode } from './kit.js'

describe('background XML-DSig checks of replicated permits', () => {
  let all: Authority[]
  let xml = ''
  let nodes: TestNode[] = []
  let tampered = ''
  const by = (p: string): TestNode => nodes.find((n) => n.a.party === p) as TestNode

  beforeAll(async () => {
    all = await authorities(['CH', 'TH'], basePort())
    xml = await trustListXml(all)
    nodes = await Promise.all(all.map(async (a) => await startPermitNode(a, xml)))
    await meshFormed(nodes)
  })
  afterAll(async () => { await stopAll(nodes) })

  it('every replicated permit gets its full check in the background, and none fails', async () => {
    for (let i = 1; i <= 5; i++) await by('CH').node.issue(chPermit(`26CHG000${i}`))
    const th = by('TH').node
    await waitFor(async () => (await th.internals.ledger.status('CH', '26CHG0005')) !== undefined, { timeoutMs: 20_000, what: 'TH to hold the permits' })
    await waitFor(() => th.internals.permitChecks.stats.checked >= 5 && th.internals.permitChecks.stats.behind === 0, { timeoutMs: 20_000, what: 'the background checks' })
    expect(th.internals.permitChecks.stats).toMatchObject({ checked: 5, invalid: 0, behind: 0 })
    expect((await th.status()).permitChecks.checked).toBe(5)
    expect(await th.internals.ledger.permitCheckCursor('CH')).toBe(th.internals.ledger.heads().get('CH')?.size)
    // CH does not check its own log in the background: it checked each document when it signed it.
    expect(by('CH').node.internals.permitChecks.stats.checked).toBe(0)
  })

  it('an ISSUED event that CH signed over a document failing XML-DSig is accepted as an event, then alerted by the background check', async () => {
    const th = by('TH').node
    const size = th.internals.ledger.heads().get('CH')?.size ?? 0
    const last = decodeEvent((await th.internals.ledger.eventsFrom('CH', size, 1))[0] as Uint8Array)
    const issued = decodeEvent((await th.internals.ledger.eventsFrom('CH', 1, 1))[0] as Uint8Array)
    const body = IssuedBody.decode(issued.event.body)
    // The signed permit 26CHG0001 (TH holds it: it is the destination), with its number changed after signing.
    tampered = (await th.internals.ledger.signedXml('CH', '26CHG0001'))!.replaceAll('26CHG0001', '26CHG0666')
    const bytes = new TextEncoder().encode(tampered)
    const { version: _v, carriedFrom: _f, carriedAt: _a, ...fields } = issued.event
    const rogue = await signEvent({
      ...fields, seq: BigInt(size + 1), prevHash: new Uint8Array(last.hash), type: EventType.ISSUED, permitNumber: '26CHG0666', time: BigInt(NOW),
      body: IssuedBody.encode({ ...body, xmlSha256: new Uint8Array(sha256(bytes)) })
    }, all[0]!.signer)
    // As a sync page would bring it: the event's own signature is CH's, so it is accepted;
    // and the document it registers by hash is held here (r17: taken on its hash alone).
    const [r] = await th.internals.ledger.acceptEvents([rogue.bytes])
    expect(r?.status).toBe('accepted')
    expect(await th.internals.ledger.putDocument(rogue, bytes)).toBe('stored')
    await waitFor(() => th.internals.permitChecks.stats.invalid === 1, { timeoutMs: 20_000, what: 'the background check to fail the document' })
    const alerts = (await th.alerts()).filter((a) => a.kind === 'PERMIT_SIGNATURE_INVALID')
    expect(alerts).toHaveLength(1)
    expect(alerts[0]).toMatchObject({ author: 'CH', seq: size + 1 })
    expect(alerts[0]?.message).toContain('26CHG0666')
    // A verdict never relied on the background check: it fails the document itself.
    const v = await verifyDocument(th, tampered)
    expect(v.valid).toBe(false)
    expect(v.checks.find((c) => c.name === 'integrity')?.status).toBe('INVALID')
  })

  it('after a restart, nothing is checked or alerted twice', async () => {
    const th = by('TH')
    await th.node.stop()
    const again = await startPermitNode(th.a, xml, {}, th.dir)
    nodes = [by('CH'), again]
    await again.node.internals.permitChecks.drain()
    expect(again.node.internals.permitChecks.stats).toMatchObject({ checked: 0, invalid: 0, behind: 0 })
    expect((await again.node.alerts()).filter((a) => a.kind === 'PERMIT_SIGNATURE_INVALID')).toHaveLength(1)
  })
})
