/**
 * The node's view of the current trust list: accepts only anchor-signed lists
 * with a higher sequence number, and answers the lookups the rest of the node
 * needs (by party, by peer ID, by certificate).
 */
import type { TrustedCertificate } from '@cites/xml-signature'
import { TrustListSequenceError } from './errors.js'
import type { Authority, ListedCertificate, TrustList } from './model.js'
import { verifyTrustList, type VerifiedTrustList, type VerifyTrustListOptions } from './sign.js'

export class TrustStore {
  readonly #anchor: string | Uint8Array
  #current: VerifiedTrustList | undefined
  #byPeer = new Map<string, Authority>()
  #byCert = new Map<string, { authority: Authority, certificate: ListedCertificate }>()

  constructor (anchorCertificate: string | Uint8Array) {
    this.#anchor = anchorCertificate
  }

  /** The current list, if one was accepted. */
  get current (): VerifiedTrustList | undefined { return this.#current }

  /** Sequence number of the current list (0 when none). */
  get sequence (): number { return this.#current?.list.sequence ?? 0 }

  /**
   * Verify and accept a list. Refuses a list the anchor did not sign, and a
   * list whose sequence number is not higher than the current one.
   */
  async accept (xml: string, opts?: VerifyTrustListOptions): Promise<VerifiedTrustList> {
    const v = await verifyTrustList(xml, this.#anchor, opts)
    // Re-read after the await: another accept may have landed meanwhile.
    if (this.#current !== undefined && v.list.sequence <= this.#current.list.sequence) {
      throw new TrustListSequenceError(`trust list ${v.list.sequence} is not newer than the current ${this.#current.list.sequence}`)
    }
    this.#current = v
    this.#index(v.list)
    return v
  }

  #index (tl: TrustList): void {
    this.#byPeer = new Map(tl.authorities.map((a) => [a.peerId, a]))
    this.#byCert = new Map(tl.authorities.flatMap((a) => a.certificates.map((c) => [c.sha256, { authority: a, certificate: c }] as const)))
  }

  /** Every authority of a party (any role, any status). */
  byParty (party: string): Authority[] {
    return this.#current?.list.authorities.filter((a) => a.party === party) ?? []
  }

  /** The authority with this peer ID, if listed (any status). */
  byPeerId (peerId: string): Authority | undefined {
    return this.#byPeer.get(peerId)
  }

  /** The authority and entry for a certificate's SHA-256. */
  byCertificate (sha256: string): { authority: Authority, certificate: ListedCertificate } | undefined {
    return this.#byCert.get(sha256.toLowerCase())
  }

  /** May this peer connect? Listed and not withdrawn. */
  isAuthorisedPeer (peerId: string): boolean {
    return this.#byPeer.get(peerId)?.status === 'granted'
  }

  /**
   * Certificates that may verify a permit of `party`: those of its
   * management authorities, withdrawn ones included with their times (the
   * verifier checks status at the issue time). `undefined` for an unknown party.
   */
  certificatesFor (party: string): TrustedCertificate[] | undefined {
    return certificatesFor(this.#current?.list, party)
  }
}

/** {@link TrustStore.certificatesFor} on a plain list. */
export function certificatesFor (tl: TrustList | undefined, party: string): TrustedCertificate[] | undefined {
  const mas = tl?.authorities.filter((a) => a.party === party && a.role === 'management-authority') ?? []
  if (mas.length === 0) return undefined
  return mas.flatMap((a) => a.certificates.map((c) => {
    const t: TrustedCertificate = { certificate: c.certificate, grantedAt: c.grantedAt }
    if (c.status === 'withdrawn') t.withdrawnAt = c.statusTime
    return t
  }))
}
