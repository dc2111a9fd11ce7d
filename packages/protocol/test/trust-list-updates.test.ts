/**
 * A new trust list reaches running nodes and is enforced: a withdrawn peer is
 * disconnected and kept out; a peer cannot roll a node back to an older list
 * or feed it a list the anchor did not sign.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import type { Libp2p } from '@libp2p/interface'
import { TrustListSignatureError, addAuthority, createTrustList, signTrustList, withdrawAuthority } from '@cites/trust-list'
import { NOW, WatchedTrustStore, anchorCertPem, certPem, signer, waitFor, type KeyName } from '@cites/test-kit'
import { Status, TRUST_LIST_PROTOCOL, TrustListResponse, applyTrustList, createAuthorisedNode, fetchTrustList, handleTrustList } from '../src/index.js'
import { parties } from './kit.js'

describe('trust-list updates on running nodes', () => {
  let P: Awaited<ReturnType<typeof parties>>
  let xml1: string
  let xml2: string
  let forged: string
  // Each store counts the peers its node's gater refused.
  const nodes: Record<string, { node: Libp2p, trust: WatchedTrustStore }> = {}

  beforeAll(async () => {
    P = await parties()
    const t0 = new Date('2026-01-01T00:00:00Z')
    let tl = createTrustList({ now: t0 })
    for (const p of [P.CH, P.TH, P.FR]) tl = addAuthority(tl, { party: p.party, name: `${p.party} MA`, role: 'management-authority', peerId: p.peerId, certificate: certPem(p.keyName as KeyName), at: t0 })
    const anchor = await signer('ANCHOR')
    const one = await signTrustList(tl, anchor, { now: t0, validDays: 3650 })
    xml1 = one.xml
    xml2 = (await signTrustList(withdrawAuthority(one.list, P.FR.peerId, new Date(NOW)), anchor, { now: t0, validDays: 3650 })).xml
    forged = (await signTrustList({ ...one.list, sequence: 41 }, P.CH.signer, { now: t0, validDays: 3650 })).xml
    for (const p of [P.CH, P.TH, P.FR]) {
      const trust = new WatchedTrustStore(anchorCertPem())
      await trust.accept(xml1, { now: new Date(NOW) })
      const node = await createAuthorisedNode({ privateKey: p.peerKey, trust })
      await node.start()
      await handleTrustList(node, trust)
      nodes[p.party] = { node, trust }
    }
    await nodes.TH!.node.dial(nodes.CH!.node.getMultiaddrs())
    await nodes.FR!.node.dial(nodes.CH!.node.getMultiaddrs())
    await waitFor(() => nodes.CH!.node.getConnections().length === 2, { timeoutMs: 5_000, what: 'CH to register TH\'s and FR\'s connections' })
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
    await waitFor(() => nodes.CH!.node.getConnections(fr).length === 0, { timeoutMs: 5_000, what: 'CH to drop FR' })
    // FR, still on the old list, tries to come back: CH's gater refuses it
    // after Noise. Until FR has seen the close, its dial would only return
    // the old connection and never reach CH; so wait for that first, then
    // for CH's refusal, and only then check that nothing was kept.
    await waitFor(() => nodes.FR!.node.getConnections(peerIdFromString(P.CH.peerId)).length === 0, { timeoutMs: 5_000, what: 'FR to see CH close the connection' })
    const refusedBefore = nodes.CH!.trust.refusals(P.FR.peerId)
    await nodes.FR!.node.dial(nodes.CH!.node.getMultiaddrs()).catch(() => undefined)
    await waitFor(() => nodes.CH!.trust.refusals(P.FR.peerId) > refusedBefore, { timeoutMs: 10_000, what: 'CH\'s gater to refuse FR' })
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
