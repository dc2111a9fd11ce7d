import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import { InvalidEventError, signEvent, decodeEvent, type Ledger } from '@cites/ledger'
import { Status, SyncResponse, SYNC_PROTOCOL, createAuthorisedNode, handleSync, requestSyncPage, syncLog, RemoteRefusedError } from '../src/index.js'
import { certPem, signedTrustList, tempDir, trustStoreFor, waitFor, type KeyName, type WatchedTrustStore } from '@cites/test-kit'
import { chPermit, ledgerFor, parties, stopNode, trustFor, type Party, type RunningNode } from './kit.js'

describe('authorised peers and /cites/sync/2.0.0 (real libp2p on loopback)', () => {
  let P: Awaited<ReturnType<typeof parties>>
  const running: RunningNode[] = []
  let ch: WatchedNode
  let th: WatchedNode
  let fr: WatchedNode
  const extraLedgers: Array<{ ledger: Ledger, dir: ReturnType<typeof tempDir> }> = []

  /** A running node whose trust store counts the peers its gater refused. */
  type WatchedNode = RunningNode & { trust: WatchedTrustStore }
  async function start (p: Party, listed: Party[]): Promise<WatchedNode> {
    const { xml } = await signedTrustList(listed.map((l) => ({ party: l.party, peerId: l.peerId, certificate: certPem(l.keyName as KeyName) })))
    const trust = await trustStoreFor(xml)
    const node = await createAuthorisedNode({ privateKey: p.peerKey, trust })
    await node.start()
    const dir = tempDir('proto')
    const n: WatchedNode = { p, node, ledger: await ledgerFor(p, trust, dir.path), trust, dir }
    await handleSync(n.node, n.ledger)
    running.push(n)
    return n
  }

  beforeAll(async () => {
    P = await parties()
    const listed = [P.CH, P.TH, P.FR]
    ch = await start(P.CH, listed)
    th = await start(P.TH, listed)
    fr = await start(P.FR, listed)
    // CH's log: 600 events, checkpoints stored every 250
    const numbers = Array.from({ length: 600 }, (_, i) => `26CHN${String(i).padStart(5, '0')}`)
    for (let i = 0; i < numbers.length; i += 100) await Promise.all(numbers.slice(i, i + 100).map(async (n) => await ch.ledger.issue(chPermit(n))))
  }, 120_000)

  afterAll(async () => {
    for (const n of running) await stopNode(n)
    for (const x of extraLedgers) { await x.ledger.close(); x.dir.cleanup() }
  })

  it('an authorised peer connects; a stranger is dropped after Noise and never dialled', async () => {
    await th.node.dial(ch.node.getMultiaddrs())
    // the listener registers the connection a moment after the dialler
    await waitFor(() => ch.node.getConnections(peerIdFromString(P.TH.peerId)).length > 0, { timeoutMs: 5_000, what: 'CH to register TH\'s connection' })

    // The stranger's own list admits CH; CH's list does not hold the stranger.
    const strangerTrust = await trustFor([P.CH])
    const stranger = await createAuthorisedNode({ privateKey: P.STRANGER.peerKey, trust: strangerTrust })
    await stranger.start()
    try {
      // The stranger's own dial may "succeed" before CH learns who it is
      // (FACTS.md); what matters is CH's side: no connection kept. Wait
      // until CH's gater has judged and refused it, then look.
      const refusedBefore = ch.trust.refusals(P.STRANGER.peerId)
      await stranger.dial(ch.node.getMultiaddrs()).catch(() => undefined)
      await waitFor(() => ch.trust.refusals(P.STRANGER.peerId) > refusedBefore, { timeoutMs: 10_000, what: 'CH\'s gater to refuse the stranger' })
      expect(ch.node.getConnections(peerIdFromString(P.STRANGER.peerId))).toHaveLength(0)
      // and CH's gater refuses to dial it
      const refusedInbound = ch.trust.refusals(P.STRANGER.peerId)
      await expect(ch.node.dial(stranger.getMultiaddrs())).rejects.toThrow()
      expect(ch.trust.refusals(P.STRANGER.peerId)).toBeGreaterThan(refusedInbound)
      expect(ch.node.getConnections(peerIdFromString(P.STRANGER.peerId))).toHaveLength(0)
    } finally {
      await stranger.stop()
    }
  })

  it('TH catches up on CH\'s log from CH in checkpoint-verified pages', async () => {
    const r = await syncLog(th.node, peerIdFromString(P.CH.peerId), th.ledger, 'CH', { pageSize: 400 })
    expect(r).toMatchObject({ author: 'CH', accepted: 600, size: 600, peerSize: 600 })
    expect(r.pages).toBe(2) // cut at the stored checkpoint 250, then to CH's head
    expect(th.ledger.heads().get('CH')).toEqual(ch.ledger.heads().get('CH'))
    expect(await th.ledger.verifyLog('CH')).toMatchObject({ ok: true, size: 600 })
    expect((await th.ledger.status('CH', '26CHN00042'))?.status).toBe('ISSUED')
    // nothing more to fetch
    expect((await syncLog(th.node, peerIdFromString(P.CH.peerId), th.ledger, 'CH')).accepted).toBe(0)
  })

  it('FR catches up on CH\'s log from TH, a replica, using the checkpoints TH kept', async () => {
    await fr.node.dial(th.node.getMultiaddrs())
    const r = await syncLog(fr.node, peerIdFromString(P.TH.peerId), fr.ledger, 'CH', { pageSize: 1000 })
    expect(r).toMatchObject({ accepted: 600, size: 600 })
    expect(await fr.ledger.verifyLog('CH')).toMatchObject({ ok: true })
  })

  it('refuses unknown logs and malformed or oversized requests, and keeps serving', async () => {
    const chPeer = peerIdFromString(P.CH.peerId)
    await expect(syncLog(th.node, chPeer, th.ledger, 'US')).rejects.toBeInstanceOf(RemoteRefusedError)
    expect((await requestSyncPage(th.node, chPeer, { author: 'ch; drop', fromSeq: 1n, limit: 1 })).status).toBe(Status.MALFORMED)
    for (const payload of [new Uint8Array([0xff, 0xff, 0xff, 0x01]), new Uint8Array(5000).fill(7)]) {
      const stream = await th.node.dialProtocol(chPeer, SYNC_PROTOCOL)
      const lp = lpStream(stream, { maxDataLength: 8 * 1024 * 1024 })
      await lp.write(payload)
      const res = SyncResponse.decode(await lp.read())
      expect([Status.MALFORMED, Status.TOO_LARGE]).toContain(res.status)
      await stream.close().catch(() => {})
    }
    expect((await requestSyncPage(th.node, chPeer, { author: 'CH', fromSeq: 1n, limit: 5 })).events).toHaveLength(5)
  })

  it('a hostile answerer\'s forged page is refused and nothing of it is accepted', async () => {
    // FR's node starts answering sync with CH events re-signed by FR's key.
    const [first] = await ch.ledger.eventsFrom('CH', 1, 1)
    const forged = await signEvent({ ...decodeEvent(first!).event }, P.FR.signer)
    await fr.node.unhandle(SYNC_PROTOCOL)
    await fr.node.handle(SYNC_PROTOCOL, async (stream) => {
      const lp = lpStream(stream)
      await lp.read()
      await lp.write(SyncResponse.encode({ status: Status.OK, events: [forged.bytes as Uint8Array<ArrayBuffer>], checkpoint: new Uint8Array(0), headSize: 1n, message: '' }))
      await stream.close()
    })
    const d = tempDir()
    const victim = await ledgerFor(P.TH, await trustFor([P.CH, P.TH, P.FR]), d.path)
    extraLedgers.push({ ledger: victim, dir: d })
    await th.node.dial(fr.node.getMultiaddrs())
    await expect(syncLog(th.node, peerIdFromString(P.FR.peerId), victim, 'CH')).rejects.toBeInstanceOf(InvalidEventError)
    expect(victim.heads().get('CH')).toBeUndefined()
  })
})
