/**
 * A small network of real permit nodes on loopback: each with its own
 * LevelDB in a temporary folder, real keys, and one anchor-signed trust list
 * naming every node's peer ID, certificate and (fixed) address.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PrivateKey } from '@libp2p/interface'
import { generateSigningIdentity, loadSigner, type Signer } from '@cites/xml-signature'
import { TrustStore, addAuthority, createTrustList, signTrustList } from '@cites/trust-list'
import { permitFromJsonText, type Permit } from '@cites/permit'
import { createPermitNode, type PermitNode, type PermitNodeConfig } from '../src/index.js'

export const VECTORS = fileURLToPath(new URL('../../../protocol-spec/vectors/', import.meta.url))
const read = (p: string): string => readFileSync(VECTORS + p, 'utf8')
export const NOW = Date.parse('2026-11-15T00:00:00Z')

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
    let keyPem: string
    let certPem: string
    if (party === 'CH' || party === 'TH') {
      keyPem = read(`keys/${party}/key.pem`)
      certPem = read(`keys/${party}/cert.pem`)
    } else {
      const id = await generateSigningIdentity({ commonName: `${party} Management Authority`, country: party, notBefore: new Date('2026-01-01T00:00:00Z') })
      keyPem = id.privateKeyPem
      certPem = id.certificatePem
    }
    const peerKey = await generateKeyPair('Ed25519')
    return {
      party, keyPem, certPem, signer: await loadSigner(keyPem, certPem), peerKey, peerId: peerIdFromPrivateKey(peerKey).toString(),
      peerKeyHex: Buffer.from(privateKeyToProtobuf(peerKey)).toString('hex'), address: `/ip4/127.0.0.1/tcp/${basePort + i}`
    }
  }))
}

/** The anchor-signed trust list naming `listed` (XML). */
export async function trustListXml (listed: readonly Authority[], sequence = 1): Promise<string> {
  const t0 = new Date('2026-01-01T00:00:00Z')
  // Signing raises the sequence by one.
  let tl = { ...createTrustList({ now: t0 }), sequence: sequence - 1 }
  for (const a of listed) {
    tl = addAuthority(tl, { party: a.party, name: `${a.party} MA`, role: 'management-authority', peerId: a.peerId, addresses: [a.address], certificate: a.certPem, at: t0 })
  }
  const anchor = await loadSigner(read('keys/ANCHOR/key.pem'), read('keys/ANCHOR/cert.pem'))
  return (await signTrustList(tl, anchor, { now: t0, validDays: 3650 })).xml
}

export const ANCHOR_CERT = (): string => read('keys/ANCHOR/cert.pem')

export async function trustStore (xml: string): Promise<TrustStore> {
  const store = new TrustStore(ANCHOR_CERT())
  await store.accept(xml, { now: new Date(NOW) })
  return store
}

/** Loopback ports below Linux's ephemeral range (32768+), so no outgoing connection holds them. */
export function basePort (): number {
  return 20000 + Math.floor(Math.random() * 600) * 20
}

export interface TestNode { a: Authority, node: PermitNode, dir: string }

/** Start a node for `a` with its own data folder (or `dir`, to restart on the same data). */
export async function startPermitNode (a: Authority, xml: string, extra: Partial<PermitNodeConfig> = {}, dir?: string): Promise<TestNode> {
  const dataDir = dir ?? mkdtempSync(join(tmpdir(), `cites-node-${a.party}-`))
  const node = await createPermitNode({
    party: a.party, dataDir, signer: a.signer, peerKey: a.peerKey, trust: await trustStore(xml), listen: [a.address], sharedHost: true,
    now: () => NOW, deliveryIntervalMs: 200, claimIntervalMs: 200, syncIntervalMs: 1000,
    keepConnected: { minBackoffMs: 50, maxBackoffMs: 500, sweepMs: 250 },
    ...extra
  })
  return { a, node, dir: dataDir }
}

export async function stopAll (nodes: ReadonlyArray<TestNode | undefined>, removeData = true): Promise<void> {
  await Promise.allSettled(nodes.map(async (n) => { await n?.node.stop() }))
  if (removeData) for (const n of nodes) if (n !== undefined) rmSync(n.dir, { recursive: true, force: true })
}

/** Poll until `cond` holds (or fail after `ms`). */
export async function waitFor (cond: () => boolean | Promise<boolean>, ms = 20_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms
  for (;;) {
    if (await cond()) return
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Until every node is connected to every other and sees it on the gossip topic. */
export async function meshFormed (nodes: readonly TestNode[], ms = 30_000): Promise<void> {
  await waitFor(() => nodes.every((n) => {
    const subs = new Set(n.node.libp2p.services.pubsub.getSubscribers('cites/events/1').map((p) => p.toString()))
    return nodes.every((m) => m === n || subs.has(m.a.peerId))
  }), ms, 'the gossip mesh')
}

/** The CH export vector permit (for TH), renumbered. */
export function chPermit (number: string): Permit {
  const p = permitFromJsonText(read('permits/ch-export-th.json'))
  p.number = number
  return p
}

export const USE_A = { lines: [{ line: 'A', quantity: 50, unit: 'PCS' }], port: 'THBKK', officer: 'Officer T.' }
