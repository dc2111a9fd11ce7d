/** Trust for tests: anchor-signed trust lists, and a store that counts refusals. */
import { TrustStore, addAuthority, createTrustList, signTrustList, type TrustList } from '@cites/trust-list'
import { NOW, VECTOR_GRANTED_AT } from './clock.js'
import { signer } from './keys.js'
import { anchorCertPem } from './vectors.js'

/** An authority to name on a test trust list. */
export interface ListedAuthority {
  party: string
  peerId: string
  /** PEM. */
  certificate: string
  addresses?: string[]
}

export interface SignedTrustListOptions {
  /** The list's sequence number. @default 1 */
  sequence?: number
  /** Days from the issue date (2026-01-01) to `nextUpdate`; under 318, the list is past it at `NOW`. @default 3650 */
  validDays?: number
}

/**
 * A trust list naming `listed` (each a management authority called
 * "<party> MA"), dated 2026-01-01, valid ten years (or `validDays`), signed with the vector
 * anchor key.
 */
export async function signedTrustList (listed: readonly ListedAuthority[], o: SignedTrustListOptions = {}): Promise<{ xml: string, list: TrustList }> {
  const at = new Date(VECTOR_GRANTED_AT)
  // Signing raises the sequence by one.
  let tl: TrustList = { ...createTrustList({ now: at }), sequence: (o.sequence ?? 1) - 1 }
  for (const a of listed) {
    tl = addAuthority(tl, { party: a.party, name: `${a.party} MA`, role: 'management-authority', peerId: a.peerId, certificate: a.certificate, at, ...(a.addresses !== undefined ? { addresses: a.addresses } : {}) })
  }
  return await signTrustList(tl, await signer('ANCHOR'), { now: at, validDays: o.validDays ?? 3650 })
}

/**
 * A trust store under the vector anchor holding `xml`, accepted as of `NOW`.
 * A {@link WatchedTrustStore}, so a test can also see whom it refused.
 */
export async function trustStoreFor (xml: string): Promise<WatchedTrustStore> {
  const store = new WatchedTrustStore(anchorCertPem())
  await store.accept(xml, { now: new Date(NOW) })
  return store
}

/**
 * A real {@link TrustStore} that also counts, per peer, the times it answered
 * "not authorised". The node's connection gater asks it on every dial and
 * every encrypted connection, so a test can wait until a stranger's attempt
 * was actually judged and refused before asserting that it got nothing in
 * (instead of sleeping and asserting nothing happened).
 *
 * Why a subclass and not a counter in the node: the gater keeps no count
 * today (issue 12 §8 asks for one); this observes the same decision.
 */
export class WatchedTrustStore extends TrustStore {
  readonly #refused = new Map<string, number>()

  override isAuthorisedPeer (peerId: string): boolean {
    const ok = super.isAuthorisedPeer(peerId)
    if (!ok) this.#refused.set(peerId, (this.#refused.get(peerId) ?? 0) + 1)
    return ok
  }

  /** How many times `peerId` (or anyone, without it) was refused so far. */
  refusals (peerId?: string): number {
    if (peerId !== undefined) return this.#refused.get(peerId) ?? 0
    let n = 0
    for (const c of this.#refused.values()) n += c
    return n
  }
}
