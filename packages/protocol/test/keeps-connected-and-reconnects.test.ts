/** A node dials the trust list's addresses by itself and redials, with backoff, after a peer restarts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { peerIdFromString } from '@libp2p/peer-id'
import { loadSigner } from '@cites/xml-signature'
import { TrustStore, addAuthority, createTrustList, signTrustList } from '@cites/trust-list'
import { createAuthorisedNode, keepConnected, type AuthorisedNode, type KeepConnected } from '../src/index.js'
import { NOW, VECTORS, parties } from './kit.js'

const read = (p: string): string => readFileSync(VECTORS + p, 'utf8')
const waitFor = async (cond: () => boolean, ms = 10_000): Promise<boolean> => {
  for (let t = 0; t < ms && !cond(); t += 25) await new Promise((resolve) => setTimeout(resolve, 25))
  return cond()
}

describe('keep connected to the trust list\'s peers', () => {
  let P: Awaited<ReturnType<typeof parties>>
  let trust: TrustStore
  let ch: AuthorisedNode
  let th: AuthorisedNode | undefined
  let keeper: KeepConnected
  // Fixed loopback ports, as a trust list names them.
  // Below Linux's ephemeral range (32768+), so no outgoing connection holds them.
  const base = 21000 + Math.floor(Math.random() * 10000)
  const addr = { CH: `/ip4/127.0.0.1/tcp/${base}`, TH: `/ip4/127.0.0.1/tcp/${base + 1}` }

  beforeAll(async () => {
    P = await parties()
    const t0 = new Date('2026-01-01T00:00:00Z')
    let tl = createTrustList({ now: t0 })
    for (const p of [P.CH, P.TH]) tl = addAuthority(tl, { party: p.party, name: `${p.party} MA`, role: 'management-authority', peerId: p.peerId, addresses: [addr[p.party as 'CH' | 'TH']], certificate: read(`keys/${p.keyName}/cert.pem`), at: t0 })
    const anchor = await loadSigner(read('keys/ANCHOR/key.pem'), read('keys/ANCHOR/cert.pem'))
    const xml = (await signTrustList(tl, anchor, { now: t0, validDays: 3650 })).xml
    trust = new TrustStore(read('keys/ANCHOR/cert.pem'))
    await trust.accept(xml, { now: new Date(NOW) })
    ch = await createAuthorisedNode({ privateKey: P.CH.peerKey, trust, listen: [addr.CH] })
    th = await createAuthorisedNode({ privateKey: P.TH.peerKey, trust, listen: [addr.TH] })
    await ch.start()
    await th.start()
  })

  afterAll(async () => {
    await keeper?.stop()
    await ch?.stop()
    await th?.stop()
  })

  it('connects to every listed peer without being told to, and reconnects after the peer restarts', async () => {
    const thId = peerIdFromString(P.TH.peerId)
    keeper = keepConnected(ch, () => trust.current?.list.authorities ?? [], { minBackoffMs: 50, maxBackoffMs: 400, sweepMs: 200 })
    expect(await waitFor(() => ch.getConnections(thId).length > 0)).toBe(true)

    await th!.stop()
    expect(await waitFor(() => ch.getConnections(thId).length === 0)).toBe(true)
    const before = keeper.attempts
    // while TH is down, CH keeps trying (with backoff)
    expect(await waitFor(() => keeper.attempts >= before + 2)).toBe(true)

    th = await createAuthorisedNode({ privateKey: P.TH.peerKey, trust, listen: [addr.TH] })
    await th.start()
    expect(await waitFor(() => ch.getConnections(thId).length > 0)).toBe(true)
  })
})
