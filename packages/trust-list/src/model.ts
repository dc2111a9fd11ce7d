/**
 * The trust list: the anchor-signed list of authorised authorities, modelled
 * on ETSI TS 119 612 (sequence number, issue date, next update; one entry per
 * authority with its certificates and their status history).
 */

export const AUTHORITY_ROLES = ['management-authority', 'enforcement', 'observer'] as const
export type AuthorityRole = typeof AUTHORITY_ROLES[number]
export type EntryStatus = 'granted' | 'withdrawn'

/** A permit-signing certificate on the list. Withdrawn certificates stay, so older permits still verify. */
export interface ListedCertificate {
  /** Base64 DER. */
  certificate: string
  /** SHA-256 of the DER, lowercase hex (derived; not stored in the XML). */
  sha256: string
  status: EntryStatus
  /** When the current status took effect (ISO 8601). */
  statusTime: string
  /** When it was first granted (ISO 8601). */
  grantedAt: string
}

/** One authority: an MA, an enforcement (customs) authority, or an observer. */
export interface Authority {
  /** ISO 3166-1 alpha-2 party code, or `EU`. */
  party: string
  name: string
  role: AuthorityRole
  /** libp2p peer ID (transport identity; never used to verify permits). */
  peerId: string
  /** libp2p multiaddrs to dial. */
  addresses: string[]
  status: EntryStatus
  statusTime: string
  certificates: ListedCertificate[]
}

export interface TrustList {
  /** Raised by each signing; a node accepts only a higher one. */
  sequence: number
  issueDate: string
  nextUpdate: string
  /** Scheme operator, e.g. the task-force secretariat. */
  operator: string
  authorities: Authority[]
}
