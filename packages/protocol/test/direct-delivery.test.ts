/**
 * Direct delivery: CH pushes each ISSUED event to the destination's node; the
 * queue survives a restart; the destination answers with a signed
 * acknowledgement, or a signed refusal with its codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Ledger } from '@cites/ledger'
import type { TrustStore } from '@cites/trust-list'
import { createAuthorisedNode, deliverOnce, handleDeliver, startDelivery, type AuthorisedNode, type DeliveryWorker } from '../src/index.js'
import { NOW, chPermit, ledgerFor, parties, tempDir, trustFor } from './kit.js'

const waitFor = async (cond: () => Promise<boolean>, ms = 10_000): Promise<boolean> => {
  for (let t = 0; t < ms; t += 50) {
    if (await cond()) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return await cond()
}

describe('direct delivery (/cites/deliver/2.0.0)', () => {
  let P: Awaited<ReturnType<typeof parties>>
  let trust: TrustStore
  const dirs = { CH: tempDir(), TH: tempDir() }
  let ch: { node: AuthorisedNode, ledger: Ledger, worker?: DeliveryWorker }
  let th: { node: AuthorisedNode, ledger: Ledger } | undefined

  beforeAll(async () => {
    P = await parties()
    trust = await trustFor([P.CH, P.TH, P.FR])
    const node = await createAuthorisedNode({ privateKey: P.CH.peerKey, trust })
    await node.start()
    ch = { node, ledger: await ledgerFor(P.CH, trust, dirs.CH.path) }
  })

  afterAll(async () => {
    await ch.worker?.stop()
    await ch.node.stop()
    await ch.ledger.close()
    if (th !== undefined) { await th.node.stop(); await th.ledger.close() }
    for (const d of Object.values(dirs)) d.cleanup()
  })

  it('queues the delivery with the ISSUED event, keeps it across a restart, and delivers when the destination is up', async () => {
    await ch.ledger.issue(chPermit('26CHD00001'))
    expect(await ch.ledger.delivery('CH', '26CHD00001')).toMatchObject({ destination: 'TH', state: 'pending', attempts: 0 })
    ch.worker = startDelivery(ch.node, ch.ledger, trust, { intervalMs: 50, minBackoffMs: 50 })
    // TH is not running: attempts fail and back off
    expect(await waitFor(async () => ((await ch.ledger.delivery('CH', '26CHD00001'))?.attempts ?? 0) >= 2)).toBe(true)
    expect((await ch.ledger.delivery('CH', '26CHD00001'))?.lastError).toBeDefined()

    // CH restarts: the pending delivery is still there
    await ch.worker.stop()
    await ch.ledger.close()
    ch.ledger = await ledgerFor(P.CH, trust, dirs.CH.path)
    expect((await ch.ledger.delivery('CH', '26CHD00001'))?.state).toBe('pending')

    // TH comes up; CH's worker delivers and records TH's signed acknowledgement
    const node = await createAuthorisedNode({ privateKey: P.TH.peerKey, trust })
    await node.start()
    th = { node, ledger: await ledgerFor(P.TH, trust, dirs.TH.path) }
    await handleDeliver(th.node, th.ledger, { trust, signer: P.TH.signer, now: () => NOW })
    await ch.node.dial(th.node.getMultiaddrs())
    ch.worker = startDelivery(ch.node, ch.ledger, trust, { intervalMs: 50, minBackoffMs: 50 })
    expect(await waitFor(async () => (await ch.ledger.delivery('CH', '26CHD00001'))?.state === 'delivered')).toBe(true)
    const d = await ch.ledger.delivery('CH', '26CHD00001')
    expect(d?.ack).toMatch(/^[0-9a-f]+$/)
    expect((await th.ledger.status('CH', '26CHD00001'))?.status).toBe('ISSUED')

    // a new permit is pushed at once
    await ch.ledger.issue(chPermit('26CHD00002'))
    expect(await waitFor(async () => (await ch.ledger.delivery('CH', '26CHD00002'))?.state === 'delivered')).toBe(true)
  })

  it('the destination refuses, with a signed refusal, a permit that is not for it', async () => {
    const p = chPermit('26CHD00003')
    p.consignee.address!.country = 'FR'
    await ch.ledger.issue(p)
    const d = await ch.ledger.delivery('CH', '26CHD00003')
    expect(d?.destination).toBe('FR')
    const [event] = await ch.ledger.eventsFrom('CH', d!.seq, 1)
    // pushed to TH by mistake: TH signs a refusal
    const r = await deliverOnce(ch.node, peerIdFromString(P.TH.peerId), event!, { ...d!, destination: 'TH' }, trust)
    expect(r).toMatchObject({ delivered: false, codes: ['NOT_DESTINATION'] })
  })
})
