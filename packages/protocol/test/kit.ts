/** Real libp2p nodes on loopback with real ledgers and a real anchor-signed trust list. */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PrivateKey } from '@libp2p/interface'
import type { Signer } from '@cites/xml-signature'
import type { TrustStore } from '@cites/trust-list'
import { Ledger } from '@cites/ledger'
import { NOW, certPem, signedTrustList, signer, tempDir, trustStoreFor, type KeyName } from '@cites/test-kit'
import { createAuthorisedNode, type AuthorisedNode } from '../src/index.js'

export { VECTORS, NOW, chPermit, tempDir } from '@cites/test-kit'

export interface Party { party: string, keyName: KeyName, signer: Signer, peerKey: PrivateKey, peerId: string }

/** CH and TH are the vector MAs; FR uses the ATTACKER key pair, listed here as FR's. */
export async function parties (): Promise<Record<'CH' | 'TH' | 'FR' | 'STRANGER', Party>> {
  const mk = async (party: string, keyName: KeyName): Promise<Party> => {
    const peerKey = await generateKeyPair('Ed25519')
    return { party, keyName, signer: await signer(keyName), peerKey, peerId: peerIdFromPrivateKey(peerKey).toString() }
  }
  return { CH: await mk('CH', 'CH'), TH: await mk('TH', 'TH'), FR: await mk('FR', 'ATTACKER'), STRANGER: await mk('XS', 'ATTACKER') }
}

/** A trust store holding a list with the given parties (the stranger is never listed). */
export async function trustFor (listed: Party[]): Promise<TrustStore> {
  return await trustStoreFor((await signedTrustList(listed.map((p) => ({ party: p.party, peerId: p.peerId, certificate: certPem(p.keyName) })))).xml)
}

export async function ledgerFor (p: Party, trust: TrustStore, location: string, checkpointInterval = 250): Promise<Ledger> {
  return Ledger.open({ location, party: p.party, signer: p.signer, trust, now: () => NOW, checkpointInterval })
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
