/**
 * Issue 18, finding 5: 40 idle raw TCP sockets, each reopened 1 s after it
 * closed, took every "still upgrading" slot of CH, and a listed peer's new
 * connections then failed 19 times in 20. And two smaller findings: one
 * listed peer with 60 connections held 240 sync streams (the limits were per
 * connection), and an oversize trust-list request was answered MALFORMED.
 *
 * Real libp2p on loopback. Linux routes all of 127/8 to loopback, so the
 * outsiders bind their sockets to addresses of their own (127.0.0.10...) and
 * the listed peer TH dials from 127.0.0.2, the address the trust list gives
 * for it: the door tells them apart by address, as it would on a network.
 */
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import type { Connection, Stream } from '@libp2p/interface'
import type { Ledger } from '@cites/ledger'
import type { TrustStore } from '@cites/trust-list'
import { certPem, signedTrustList, trustStoreFor, waitFor } from '@cites/test-kit'
import {
  LISTED_PENDING_RESERVE, MAX_CONNECTIONS_PER_PEER, MAX_PENDING_INBOUND_CONNECTIONS, MAX_PENDING_UPGRADES_PER_IP, STREAM_LIMITS, SYNC_PROTOCOL,
  Status, TRUST_LIST_PROTOCOL, TrustListResponse, createAuthorisedNode, ledgerSyncPort, pendingUpgradeStats, syncService, trustListService, trustStorePort,
  type AuthorisedNode
} from '../src/index.js'
import { ledgerFor, parties, tempDir, type Party } from './kit.js'

const TH_IP = '127.0.0.2'
const FR_IP = '127.0.0.3'

/**
 * Raw sockets that connect, send nothing and, whenever the node closes one,
 * open it again after `reopenMs`: the attack as found. Counts what the node did.
 */
function holdTheDoor (port: number, from: string[], socketsPerAddress: number, reopenMs = 1000): { closed: () => number, stop: () => void } {
  let closed = 0
  let stopped = false
  const sockets = new Set<net.Socket>()
  const open = (localAddress: string): void => {
    if (stopped) return
    const s = net.connect({ host: '127.0.0.1', port, localAddress })
    sockets.add(s)
    s.on('error', () => {})
    s.on('close', () => {
      sockets.delete(s)
      closed++
      if (!stopped) setTimeout(() => { open(localAddress) }, reopenMs).unref()
    })
  }
  for (const ip of from) for (let i = 0; i < socketsPerAddress; i++) open(ip)
  return {
    closed: () => closed,
    stop: () => { stopped = true; for (const s of sockets) s.destroy() }
  }
}

const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

describe('outsiders cannot hold the door (issue 18, finding 5; real libp2p on loopback)', () => {
  let P: Awaited<ReturnType<typeof parties>>
  let trust: TrustStore
  let ch: AuthorisedNode
  let th: AuthorisedNode
  let fr: AuthorisedNode
  let ledger: Ledger
  const dir = tempDir()

  beforeAll(async () => {
    P = await parties()
    // Only the IP of a listed address matters to the door; nobody dials TH or FR here.
    const listed = (p: Party, ip?: string): { party: string, peerId: string, certificate: string, addresses?: string[] } =>
      ({ party: p.party, peerId: p.peerId, certificate: certPem(p.keyName), ...(ip === undefined ? {} : { addresses: [`/ip4/${ip}/tcp/7001`] }) })
    const xml = (await signedTrustList([listed(P.CH), listed(P.TH, TH_IP), listed(P.FR, FR_IP)])).xml
    trust = await trustStoreFor(xml)
    ledger = await ledgerFor(P.CH, trust, dir.path)
    // CH as an authority runs it: libp2p's per-host rate limit on (not a shared host).
    ch = await createAuthorisedNode({
      privateKey: P.CH.peerKey,
      trust,
      services: { sync: syncService({ port: ledgerSyncPort(ledger) }), trustList: trustListService({ port: trustStorePort(trust) }) }
    })
    th = await createAuthorisedNode({ privateKey: P.TH.peerKey, trust: await trustStoreFor(xml), listen: [`/ip4/${TH_IP}/tcp/0`], dialFrom: TH_IP })
    fr = await createAuthorisedNode({ privateKey: P.FR.peerKey, trust: await trustStoreFor(xml), listen: [`/ip4/${FR_IP}/tcp/0`], dialFrom: FR_IP })
    await Promise.all([ch.start(), th.start(), fr.start()])
  }, 60_000)

  afterAll(async () => {
    await Promise.allSettled([ch.stop(), th.stop(), fr.stop()])
    await ledger.close()
    dir.cleanup()
  })

  const chPort = (): number => Number(ch.getMultiaddrs()[0]!.toString().split('/tcp/')[1]!.split('/')[0])
  const chAddr = (): ReturnType<typeof multiaddr> => multiaddr(`/ip4/127.0.0.1/tcp/${chPort()}/p2p/${P.CH.peerId}`)

  /** TH drops its connection to CH and dials again, `n` times; how many dials connected. */
  const reconnections = async (n: number): Promise<number> => {
    let ok = 0
    for (let i = 0; i < n; i++) {
      await th.hangUp(peerIdFromString(P.CH.peerId))
      try {
        const conn = await th.dial(chAddr(), { signal: AbortSignal.timeout(10_000) })
        if (conn.status === 'open') ok++
      } catch {}
      // Under libp2p's 5 new connections a second from one host, which
      // holds for TH as for anyone.
      await sleep(300)
    }
    return ok
  }

  it('an outsider reopening 40 idle sockets from one address holds at most 4 upgrade slots, and a listed peer reconnects at least 19 times in 20', async () => {
    const before = pendingUpgradeStats(ch)!
    const attack = holdTheDoor(chPort(), ['127.0.0.10'], 40)
    try {
      // The loop has turned: refused sockets were reopened and refused again.
      await waitFor(() => attack.closed() >= 80, { timeoutMs: 30_000, what: 'the reopen loop to turn' })
      const ok = await reconnections(20)
      const stats = pendingUpgradeStats(ch)!
      console.log(`40 sockets from one address: TH reconnected ${ok}/20; most pending from that address at once ${stats.peakPerIp}; refused before upgrade ${stats.refused - before.refused}; sockets closed by CH ${attack.closed()}`)
      expect(ok).toBeGreaterThanOrEqual(19)
      // Never more than the per-address cap held at once; the rest refused before any upgrade work.
      expect(stats.peakPerIp).toBeLessThanOrEqual(MAX_PENDING_UPGRADES_PER_IP)
      expect(stats.refused - before.refused).toBeGreaterThanOrEqual(40 - MAX_PENDING_UPGRADES_PER_IP)
      expect(stats.listed - before.listed).toBeGreaterThanOrEqual(20)
    } finally {
      attack.stop()
    }
  }, 90_000)

  it('outsiders spread over 10 addresses (40 sockets, reopened) take only their share of slots: a listed peer reconnects at least 19 times in 20', async () => {
    // 10 addresses x 4 sockets: each within its per-address cap, together
    // more than libp2p's 32 slots, so only the reserve keeps TH's way open.
    const from = Array.from({ length: 10 }, (_, i) => `127.0.0.${20 + i}`)
    const attack = holdTheDoor(chPort(), from, 4)
    try {
      await waitFor(() => (pendingUpgradeStats(ch)?.outsiders ?? 0) >= MAX_PENDING_INBOUND_CONNECTIONS - LISTED_PENDING_RESERVE, { timeoutMs: 30_000, what: 'the outsiders to fill their share' })
      const ok = await reconnections(20)
      const stats = pendingUpgradeStats(ch)!
      console.log(`40 sockets from 10 addresses: TH reconnected ${ok}/20; most outsider upgrades pending at once ${stats.peakOutsiders} (of ${MAX_PENDING_INBOUND_CONNECTIONS}); sockets closed by CH ${attack.closed()}`)
      expect(ok).toBeGreaterThanOrEqual(19)
      expect(stats.peakOutsiders).toBeLessThanOrEqual(MAX_PENDING_INBOUND_CONNECTIONS - LISTED_PENDING_RESERVE)
      expect(stats.peakPerIp).toBeLessThanOrEqual(MAX_PENDING_UPGRADES_PER_IP)
    } finally {
      attack.stop()
    }
  }, 90_000)

  it('a listed peer opening 60 connections holds at most 4, and no more sync streams across them than one connection may', async () => {
    const frToCh = peerIdFromString(P.CH.peerId)
    const chToFr = peerIdFromString(P.FR.peerId)
    const limit = STREAM_LIMITS[SYNC_PROTOCOL]!.inbound
    for (let i = 0; i < 60; i++) {
      await fr.dial(chAddr(), { force: true, signal: AbortSignal.timeout(10_000) }).catch(() => undefined)
      // libp2p's 5 new connections a second per host, so the per-peer cap is what is shown.
      if (i % 4 === 3) await sleep(1000)
    }
    await waitFor(() => ch.getConnections(chToFr).length > 0 && ch.getConnections(chToFr).length === fr.getConnections(frToCh).length, { what: 'both ends to agree on the connections', timeoutMs: 20_000 })
    const conns: Connection[] = fr.getConnections(frToCh)
    expect(ch.getConnections(chToFr).length).toBeLessThanOrEqual(MAX_CONNECTIONS_PER_PEER)
    expect(conns.length).toBeGreaterThan(1)

    // On every connection, the per-connection limit of sync streams that send nothing.
    const streams: Stream[] = []
    for (const c of conns) {
      for (let i = 0; i < limit; i++) {
        const s = await c.newStream(SYNC_PROTOCOL).catch(() => undefined)
        if (s !== undefined) streams.push(s)
      }
    }
    const done = (s: Stream): boolean => s.status !== 'open'
    // All but the per-peer limit are reset by CH (before its 10 s stream timeout frees the others).
    await waitFor(() => streams.filter(done).length >= conns.length * limit - limit, { what: 'CH to reset the streams over the per-peer limit' })
    const held = ch.getConnections(chToFr).flatMap((c) => c.streams).filter((s) => s.protocol === SYNC_PROTOCOL && s.status === 'open')
    console.log(`FR dialled CH 60 times: ${conns.length} connections held; ${streams.length} silent sync streams opened, ${held.length} held at CH`)
    expect(held.length).toBeLessThanOrEqual(limit)
    expect(streams.filter((s) => !done(s)).length).toBeLessThanOrEqual(limit)
    for (const s of streams) s.abort(new Error('done'))
  }, 90_000)

  it('an oversize trust-list request is answered TOO_LARGE (a request that does not decode, MALFORMED)', async () => {
    const ask = async (body: Uint8Array): Promise<TrustListResponse> => {
      const stream = await th.dialProtocol(chAddr(), TRUST_LIST_PROTOCOL)
      const lp = lpStream(stream)
      await lp.write(body)
      const res = TrustListResponse.decode(await lp.read())
      await stream.close().catch(() => {})
      return res
    }
    // Over the 64-byte cap (network.md §5): TOO_LARGE, as §2 says.
    expect((await ask(new Uint8Array(65))).status).toBe(Status.TOO_LARGE)
    // Within the cap but not a TrustListRequest: a varint cut short.
    expect((await ask(new Uint8Array([0x08, 0xff]))).status).toBe(Status.MALFORMED)
  }, 30_000)
})
