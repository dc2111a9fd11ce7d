/**
 * Editing a trust list. Every edit returns a new list (the input is never
 * changed); signing raises the sequence number. Withdrawn entries are kept,
 * so permits signed before a withdrawal can still be checked.
 */
import { ISO_COUNTRIES, isUserAssignedCountry } from '@cites/permit'
import { certificateBase64, parseCertificate } from '@cites/xml-signature'
import { TrustListEditError } from './errors.js'
import { AUTHORITY_ROLES, type Authority, type AuthorityRole, type TrustList } from './model.js'

/** base58btc multihash peer IDs: Ed25519 (12D3KooW...) or legacy RSA (Qm...). */
const PEER_ID_RE = /^(12D3KooW|16Uiu2|Qm)[1-9A-HJ-NP-Za-km-z]{20,100}$/
const MULTIADDR_RE = /^\/(ip4|ip6|dns|dns4|dns6)\/[^/\s]+\/tcp\/\d{1,5}(\/[^\s]*)?$/

export interface CreateOptions {
  /** @default 'CITES e-permitting task force' */
  operator?: string
  /** @default now */
  now?: Date
}

/** An empty, unsigned list (sequence 0). */
export function createTrustList (opts: CreateOptions = {}): TrustList {
  const now = (opts.now ?? new Date()).toISOString()
  return { sequence: 0, issueDate: now, nextUpdate: now, operator: opts.operator ?? 'CITES e-permitting task force', authorities: [] }
}

export interface AddAuthorityOptions {
  party: string
  name: string
  role: AuthorityRole
  peerId: string
  addresses?: string[]
  /** PEM or DER permit-signing certificate; optional for roles that sign nothing. */
  certificate?: string | Uint8Array
  /** @default now */
  at?: Date
}

function validParty (p: string): boolean {
  return ISO_COUNTRIES.has(p) || p === 'EU' || isUserAssignedCountry(p)
}

/**
 * Add an authority, or add a certificate to an existing one with the same
 * peer ID (key rotation keeps the peer ID).
 */
export function addAuthority (tl: TrustList, o: AddAuthorityOptions): TrustList {
  if (!validParty(o.party)) throw new TrustListEditError('INVALID_FIELD', `party "${o.party}" is not an ISO 3166-1 alpha-2 code or EU`)
  if (!(AUTHORITY_ROLES as readonly string[]).includes(o.role)) throw new TrustListEditError('INVALID_FIELD', `role "${o.role}" is not one of ${AUTHORITY_ROLES.join(', ')}`)
  if (!PEER_ID_RE.test(o.peerId)) throw new TrustListEditError('INVALID_FIELD', `"${o.peerId}" is not a libp2p peer ID`)
  if (o.name.trim() === '') throw new TrustListEditError('INVALID_FIELD', 'the authority needs a name')
  for (const a of o.addresses ?? []) if (!MULTIADDR_RE.test(a)) throw new TrustListEditError('INVALID_FIELD', `"${a}" is not a TCP multiaddr like /ip4/127.0.0.1/tcp/7001`)
  const at = (o.at ?? new Date()).toISOString()
  const next = structuredClone(tl)
  const cert = o.certificate === undefined ? undefined : parseCertificate(o.certificate)
  if (cert !== undefined) {
    for (const a of next.authorities) {
      if (a.certificates.some((c) => c.sha256 === cert.sha256)) throw new TrustListEditError('DUPLICATE_CERTIFICATE', `that certificate is already listed for ${a.party} (${a.name})`)
    }
  }
  const existing = next.authorities.find((a) => a.peerId === o.peerId)
  if (existing !== undefined && (existing.party !== o.party || existing.role !== o.role)) {
    throw new TrustListEditError('DUPLICATE_PEER_ID', `peer ID ${o.peerId} is already listed for ${existing.party} as ${existing.role}`)
  }
  const entry: Authority = existing ?? {
    party: o.party, name: o.name, role: o.role, peerId: o.peerId, addresses: [], status: 'granted', statusTime: at, certificates: []
  }
  if (existing === undefined) next.authorities.push(entry)
  entry.name = o.name
  if (o.addresses !== undefined && o.addresses.length > 0) entry.addresses = [...new Set(o.addresses)]
  if (entry.status === 'withdrawn') { entry.status = 'granted'; entry.statusTime = at }
  if (cert !== undefined) {
    entry.certificates.push({ certificate: certificateBase64(cert.der), sha256: cert.sha256, status: 'granted', statusTime: at, grantedAt: at })
  }
  return next
}

/** Withdraw one certificate, found by its SHA-256 (hex, any unique prefix of 8+). It stays on the list. */
export function withdrawCertificate (tl: TrustList, sha256: string, at: Date = new Date()): TrustList {
  const next = structuredClone(tl)
  const want = sha256.toLowerCase()
  if (want.length < 8) throw new TrustListEditError('INVALID_FIELD', 'give at least 8 hex digits of the certificate\'s SHA-256')
  const hits = next.authorities.flatMap((a) => a.certificates.filter((c) => c.sha256.startsWith(want)))
  if (hits.length === 0) throw new TrustListEditError('NOT_FOUND', `no certificate with SHA-256 ${sha256}`)
  if (hits.length > 1) throw new TrustListEditError('INVALID_FIELD', `SHA-256 prefix ${sha256} matches ${hits.length} certificates`)
  const c = hits[0]!
  if (c.status === 'withdrawn') throw new TrustListEditError('ALREADY_WITHDRAWN', `certificate ${c.sha256.slice(0, 16)} is already withdrawn`)
  c.status = 'withdrawn'
  c.statusTime = at.toISOString()
  return next
}

/**
 * Withdraw an authority (by peer ID, or by party when the party has a single
 * entry) and all its certificates. Nodes disconnect a withdrawn peer.
 */
export function withdrawAuthority (tl: TrustList, partyOrPeerId: string, at: Date = new Date()): TrustList {
  const next = structuredClone(tl)
  const hits = next.authorities.filter((a) => a.peerId === partyOrPeerId || a.party === partyOrPeerId)
  if (hits.length === 0) throw new TrustListEditError('NOT_FOUND', `no authority ${partyOrPeerId}`)
  if (hits.length > 1) throw new TrustListEditError('INVALID_FIELD', `${partyOrPeerId} has ${hits.length} authorities; give the peer ID`)
  const a = hits[0]!
  if (a.status === 'withdrawn') throw new TrustListEditError('ALREADY_WITHDRAWN', `${a.party} (${a.peerId}) is already withdrawn`)
  const t = at.toISOString()
  a.status = 'withdrawn'
  a.statusTime = t
  for (const c of a.certificates) if (c.status === 'granted') { c.status = 'withdrawn'; c.statusTime = t }
  return next
}
