/** Real libp2p nodes on loopback with real ledgers and a real anchor-signed trust list. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PrivateKey } from '@libp2p/interface'
import { loadSigner, type Signer } from '@cites/xml-signature'
import { TrustStore, addAuthority, createTrustList, signTrustList } from '@cites/trust-list'
import { Ledger } from '@cites/ledger'
import { permitFromJsonText, type Permit } from '@cites/permit'
import { createAuthorisedNode, type AuthorisedNode } from '../src/index.js'

export const VECTORS = fileURLToPath(new URL('../../../protocol-spec/vectors/', import.meta.url))
const read = (p: string): string => readFileSync(VECTORS + p, 'utf8')
export const NOW = Date.parse('2026-11-15T00:00:00Z')

export interface Party { party: string, keyName: string, signer: Signer, peerKey: PrivateKey, peerId: string }

/** CH and TH are the vector MAs; FR uses the ATTACKER key pair, listed here as FR's. */
export async function parties (): Promise<Record<'CH' | 'TH' | 'FR' | 'STRANGER', Party>> {
  const mk = async (party: string, keyName: string): Promise<Party> => {
    const peerKey = await generateKeyPair('Ed25519')
    return { party, keyName, signer: await loadSigner(read(`keys/${keyName}/key.pem`), read(`keys/${keyName}/cert.pem`)), peerKey, peerId: peerIdFromPrivateKey(peerKey).toString() }
  }
  return { CH: await mk('CH', 'CH'), TH: await mk('TH', 'TH'), FR: await mk('FR', 'ATTACKER'), STRANGER: await mk('XS', 'ATTACKER') }
}

/** A trust store holding a list with the given parties (the stranger is never listed). */
export async function trustFor (listed: Party[]): Promise<TrustStore> {
  let tl = createTrustList({ now: new Date('2026-01-01T00:00:00Z') })
  for (const p of listed) {
    tl = addAuthority(tl, { party: p.party, name: `${p.party} MA`, role: 'management-authority', peerId: p.peerId, certificate: read(`keys/${p.keyName}/cert.pem`), at: new Date('2026-01-01T00:00:00Z') })
  }
  const anchor = await loadSigner(read('keys/ANCHOR/key.pem'), read('keys/ANCHOR/cert.pem'))
  const store = new TrustStore(read('keys/ANCHOR/cert.pem'))
  await store.accept((await signTrustList(tl, anchor, { now: new Date('2026-01-01T00:00:00Z'), validDays: 3650 })).xml, { now: new Date(NOW) })
  return store
}

export function tempDir (): { path: string, cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'cites-proto-'))
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) }
}

export async function ledgerFor (p: Party, trust: TrustStore, location: string, checkpointInterval = 250): Promise<Ledger> {
  return Ledger.open({ location, party: p.party, signer: p.signer, trust, now: () => NOW, checkpointInterval })
}

export function chPermit (number: string): Permit {
  const p = permitFromJsonText(read('permits/ch-export-th.json'))
  p.number = number
  return p
}

/** A started authorised node with its own ledger in a temporary folder. */
export interface RunningNode {
  p: Party
  node: AuthorisedNode
  ledger: Ledger
  trust: TrustStore
  dir: { path: string, cleanup: () => void }
}

/** Start `p`'s node with a trust list holding `listed`, and open its ledger. Handlers are the caller's. */
export async function startNode (p: Party, listed: Party[]): Promise<RunningNode> {
  const trust = await trustFor(listed)
  const node = await createAuthorisedNode({ privateKey: p.peerKey, trust })
  await node.start()
  const dir = tempDir()
  return { p, node, ledger: await ledgerFor(p, trust, dir.path), trust, dir }
}

export async function stopNode (n: RunningNode): Promise<void> {
  await n.node.stop()
  await n.ledger.close()
  n.dir.cleanup()
}
