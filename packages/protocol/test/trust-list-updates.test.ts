/**
 * A new trust list reaches running nodes and is enforced: a withdrawn peer is
 * disconnected and kept out; a peer cannot roll a node back to an older list
 * or feed it a list the anchor did not sign.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import type { Libp2p } from '@libp2p/interface'
import { loadSigner } from '@cites/xml-signature'
import { TrustListSignatureError, TrustStore, addAuthority, createTrustList, signTrustList, withdrawAuthority } from '@cites/trust-list'
import { Status, TRUST_LIST_PROTOCOL, TrustListResponse, applyTrustList, createAuthorisedNode, fetchTrustList, handleTrustList } from '../src/index.js'
import { NOW, VECTORS, parties } from './kit.js'

const read = (p: string): string => readFileSync(VECTORS + p, 'utf8')
const waitFor = async (cond: () => boolean, ms = 2000): Promise<void> => {
  for (let t = 0; t < ms && !cond(); t += 20) await new Promise((resolve) => setTimeout(resolve, 20))
}

describe('trust-list updates on running nodes', () => {
  let P: Awaited<ReturnType<typeof parties>>
  let xml1: string
  let xml2: string
  let forged: string
  const nodes: Record<string, { node: Libp2p, trust: TrustStore }> = {}

  beforeAll(async () => {
    P = await parties()
    const t0 = new Date('2026-01-01T00:00:00Z')
    let tl = createTrustList({ now: t0 })
    for (const p of [P.CH, P.TH, P.FR]) tl = addAuthority(tl, { party: p.party, name: `${p.party} MA`, role: 'management-authority', peerId: p.peerId, certificate: read(`keys/${p.keyName}/cert.pem`), at: t0 })
    const anchor = await loadSigner(read('keys/ANCHOR/key.pem'), read('keys/ANCHOR/cert.pem'))
    const one = await signTrustList(tl, anchor, { now: t0, validDays: 3650 })
    xml1 = one.xml
    xml2 = (await signTrustList(withdrawAuthority(one.list, P.FR.peerId, new Date(NOW)), anchor, { now: t0, validDays: 3650 })).xml
    forged = (await signTrustList({ ...one.list, sequence: 41 }, P.CH.signer, { now: t0, validDays: 3650 })).xml
    for (const p of [P.CH, P.TH, P.FR]) {
      const trust = new TrustStore(read('keys/ANCHOR/cert.pem'))
      await trust.accept(xml1, { now: new Date(NOW) })
      const node = await createAuthorisedNode({ privateKey: p.peerKey, trust })
      await node.start()
      await handleTrustList(node, trust)
      nodes[p.party] = { node, trust }
    }
    await nodes.TH!.node.dial(nodes.CH!.node.getMultiaddrs())
    await nodes.FR!.node.dial(nodes.CH!.node.getMultiaddrs())
    await waitFor(() => nodes.CH!.node.getConnections().length === 2)
  })

  afterAll(async () => {
    for (const n of Object.values(nodes)) await n.node.stop()
  })

  it('applying a list that withdraws FR disconnects FR at once, and the gater keeps it out', async () => {
    const fr = peerIdFromString(P.FR.peerId)
    expect(nodes.CH!.node.getConnections(fr).length).toBeGreaterThan(0)
    const { dropped, list } = await applyTrustList(nodes.CH!.node, nodes.CH!.trust, xml2)
    expect(list.list.sequence).toBe(2)
    expect(dropped).toEqual([P.FR.peerId])
    await waitFor(() => nodes.CH!.node.getConnections(fr).length === 0)
    expect(nodes.CH!.node.getConnections(fr)).toHaveLength(0)
    // FR, still on the old list, tries to come back: CH drops it after Noise
    await nodes.FR!.node.dial(nodes.CH!.node.getMultiaddrs()).catch(() => undefined)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(nodes.CH!.node.getConnections(fr)).toHaveLength(0)
    expect(nodes.CH!.node.getConnections(peerIdFromString(P.TH.peerId)).length).toBeGreaterThan(0)
  })

  it('TH fetches the newer list from CH over /cites/trust-list/1.0.0, once', async () => {
    const ch = peerIdFromString(P.CH.peerId)
    expect(await fetchTrustList(nodes.TH!.node, ch, nodes.TH!.trust)).toMatchObject({ updated: true, sequence: 2 })
    expect(nodes.TH!.trust.isAuthorisedPeer(P.FR.peerId)).toBe(false)
    expect(await fetchTrustList(nodes.TH!.node, ch, nodes.TH!.trust)).toMatchObject({ updated: false, sequence: 2 })
  })

  it('a peer cannot roll TH back to the older list, nor feed it one the anchor did not sign', async () => {
    const serve = async (xml: string): Promise<void> => {
      await nodes.CH!.node.unhandle(TRUST_LIST_PROTOCOL)
      await nodes.CH!.node.handle(TRUST_LIST_PROTOCOL, async (stream) => {
        const lp = lpStream(stream)
        await lp.read()
        await lp.write(TrustListResponse.encode({ status: Status.OK, trustList: new TextEncoder().encode(xml), sequence: 99n, message: '' }))
        await stream.close()
      })
    }
    const ch = peerIdFromString(P.CH.peerId)
    await serve(xml1)
    expect(await fetchTrustList(nodes.TH!.node, ch, nodes.TH!.trust)).toMatchObject({ updated: false, sequence: 2 })
    await serve(forged)
    await expect(fetchTrustList(nodes.TH!.node, ch, nodes.TH!.trust)).rejects.toBeInstanceOf(TrustListSignatureError)
    expect(nodes.TH!.trust.sequence).toBe(2)
  })
})
