/**
 * A small network of real permit nodes on loopback: each with its own
 * LevelDB in a temporary folder, real keys, and one anchor-signed trust list
 * naming every node's peer ID, certificate and (fixed) address. What every
 * suite shares (vectors, clock, permits, trust lists, waitFor) comes from
 * @cites/test-kit; this kit adds only the libp2p identities and the nodes.
 */
import { rmSync } from 'node:fs'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PrivateKey } from '@libp2p/interface'
import { generateSigningIdentity, loadSigner, type Signer } from '@cites/xml-signature'
import { NOW, VECTOR_GRANTED_AT, certPem, keyPem, signedTrustList, tempDir, trustStoreFor, waitFor, type WatchedTrustStore } from '@cites/test-kit'
import { createPermitNode, type PermitNode, type PermitNodeConfig } from '../src/index.js'

export interface Authority {
  party: string
  keyPem: string
  certPem: string
  signer: Signer
  peerKey: PrivateKey
  peerId: string
  /** hex of the protobuf private key, to hand to a child process. */
  peerKeyHex: string
  address: string
}

/** Keys for each party: the vector keys for CH and TH, fresh ones for the rest. */
export async function authorities (parties: readonly string[], basePort: number): Promise<Authority[]> {
  return await Promise.all(parties.map(async (party, i) => {
    let key: string
    let cert: string
    if (party === 'CH' || party === 'TH') {
      key = keyPem(party)
      cert = certPem(party)
    } else {
      const id = await generateSigningIdentity({ commonName: `${party} Management Authority`, country: party, notBefore: new Date(VECTOR_GRANTED_AT) })
      key = id.privateKeyPem
      cert = id.certificatePem
    }
    const peerKey = await generateKeyPair('Ed25519')
    return {
      party, keyPem: key, certPem: cert, signer: await loadSigner(key, cert), peerKey, peerId: peerIdFromPrivateKey(peerKey).toString(),
      peerKeyHex: Buffer.from(privateKeyToProtobuf(peerKey)).toString('hex'), address: `/ip4/127.0.0.1/tcp/${basePort + i}`
    }
  }))
}

/** The anchor-signed trust list naming `listed` with their addresses (XML). */
export async function trustListXml (listed: readonly Authority[], sequence = 1): Promise<string> {
  return (await signedTrustList(listed.map((a) => ({ party: a.party, peerId: a.peerId, certificate: a.certPem, addresses: [a.address] })), { sequence })).xml
}

/** Loopback ports below Linux's ephemeral range (32768+), so no outgoing connection holds them. */
export function basePort (): number {
  return 20000 + Math.floor(Math.random() * 600) * 20
}

/** `trust` is the node's own store: it also counts the peers its gater refused. */
export interface TestNode { a: Authority, node: PermitNode, dir: string, trust: WatchedTrustStore }

/** Start a node for `a` with its own data folder (or `dir`, to restart on the same data). */
export async function startPermitNode (a: Authority, xml: string, extra: Partial<PermitNodeConfig> = {}, dir?: string): Promise<TestNode> {
  const dataDir = dir ?? tempDir(`node-${a.party}`).path
  const trust = await trustStoreFor(xml)
  const node = await createPermitNode({
    party: a.party, dataDir, signer: a.signer, peerKey: a.peerKey, trust, listen: [a.address], sharedHost: true,
    now: () => NOW, deliveryIntervalMs: 200, claimIntervalMs: 200, syncIntervalMs: 1000,
    keepConnected: { minBackoffMs: 50, maxBackoffMs: 500, sweepMs: 250 },
    ...extra
  })
  return { a, node, dir: dataDir, trust }
}

export async function stopAll (nodes: ReadonlyArray<TestNode | undefined>, removeData = true): Promise<void> {
  await Promise.allSettled(nodes.map(async (n) => { await n?.node.stop() }))
  if (removeData) for (const n of nodes) if (n !== undefined) rmSync(n.dir, { recursive: true, force: true })
}

/** Until every node is connected to every other and sees it on the gossip topic. */
export async function meshFormed (nodes: readonly TestNode[], timeoutMs = 30_000): Promise<void> {
  await waitFor(() => nodes.every((n) => {
    const subs = new Set(n.node.internals.libp2p.services.pubsub.getSubscribers('cites/events/2').map((p) => p.toString()))
    return nodes.every((m) => m === n || subs.has(m.a.peerId))
  }), { timeoutMs, what: 'the gossip mesh' })
}
