/** The vector trust as plain grants (no trust list): what the ledger and permit verification ask. */
import type { TrustedCertificate } from '@cites/xml-signature'
import { VECTOR_GRANTED_AT } from './clock.js'
import { certPem, type KeyName } from './vectors.js'

/** Which vector certificates each party holds, and when they were granted (and withdrawn). */
export type Grants = Record<string, Array<{ cert: KeyName, grantedAt: string, withdrawnAt?: string }>>

/** Trust as the vectors assume it: CH and TH, each its own certificate, granted from 2026-01-01. */
export const VECTOR_GRANTS: Grants = {
  CH: [{ cert: 'CH', grantedAt: VECTOR_GRANTED_AT }],
  TH: [{ cert: 'TH', grantedAt: VECTOR_GRANTED_AT }]
}

/** `certificatesFor` over `grants` (what the ledger's TrustSource and permit verification ask). */
export function certificatesFor (grants: Grants = VECTOR_GRANTS): (party: string) => TrustedCertificate[] | undefined {
  return (party) => grants[party]?.map((g): TrustedCertificate => {
    const c: TrustedCertificate = { certificate: certPem(g.cert), grantedAt: g.grantedAt }
    if (g.withdrawnAt !== undefined) c.withdrawnAt = g.withdrawnAt
    return c
  })
}
