/**
 * The offline document verdict: on every shared signature vector (valid
 * permits and one file per attack), `offlineVerdict(judgeDocument(...))` is
 * exactly what `verifySignedPermit` reports (the CLI's `permit verify`), and
 * `documentFailures` is exactly the filter written out five times today.
 * The cache is keyed by the bytes and the trust list's sequence; validity is
 * recomputed on every call.
 */
import { describe, expect, it } from 'vitest'
import type { Check } from '@cites/permit'
import { PermitNotSignedError } from '@cites/ledger'
import { verifySignedPermit, type TrustedCertificate } from '@cites/xml-signature'
import { acceptanceCodes, documentChecks, documentFailures, judgeDocument, offlineVerdict, unregisteredDocument, type TrustView } from '../src/index.js'
import { openLedger, read, tempDir, trustOf } from './kit.js'

type TrustSpec = Record<string, Array<{ cert: string, grantedAt: string, withdrawnAt?: string }>>
interface Expected {
  now: string
  defaultTrust: TrustSpec
  valid: Array<{ file: string, party: string }>
  attacks: Array<{ name: string, file: string | null, trust?: TrustSpec, expect: { integrity?: string, issuer?: string } }>
}

const expected = JSON.parse(read('signature/expected.json')) as Expected
const NOW = new Date(expected.now)

function trustView (spec: TrustSpec, sequence = 1): TrustView {
  return {
    sequence,
    certificatesFor: (party: string): TrustedCertificate[] | undefined => spec[party]?.map((t) => ({
      certificate: read(`keys/${t.cert}/cert.pem`), grantedAt: t.grantedAt, ...(t.withdrawnAt !== undefined ? { withdrawnAt: t.withdrawnAt } : {})
    }))
  }
}

const vectors = [
  ...expected.valid.map((v) => ({ name: v.file, file: v.file, trust: expected.defaultTrust, expect: { integrity: 'OK', issuer: 'OK' } as { integrity?: string, issuer?: string } })),
  ...expected.attacks.filter((a) => a.file !== null).map((a) => ({ name: a.name, file: a.file as string, trust: a.trust ?? expected.defaultTrust, expect: a.expect }))
]

/** The filter as written today in ledger recordSigned, protocol deliver and the verify cache. */
const todayFilter = (checks: Check[], names = ['integrity', 'issuer', 'rules']): Check[] => checks.filter((c) => names.includes(c.name) && c.status !== 'VALID')

describe('the offline document verdict', () => {
  it('is verifySignedPermit\'s verdict on every signature vector, with the expected codes', async () => {
    expect(vectors.length).toBeGreaterThan(30)
    for (const v of vectors) {
      const xml = read(v.file)
      const trust = trustView(v.trust)
      const today = await verifySignedPermit(xml, { certificatesFor: (p) => trust.certificatesFor(p), now: NOW })
      const doc = await judgeDocument(xml, { trust, now: NOW })
      expect(offlineVerdict(doc), v.name).toStrictEqual(today)
      const codes = Object.fromEntries(doc.checks.map((c) => [c.name, c.reason.code]))
      if (v.expect.integrity !== undefined) expect(codes.integrity, v.name).toBe(v.expect.integrity)
      if (v.expect.issuer !== undefined) expect(codes.issuer, v.name).toBe(v.expect.issuer)
      // documentFailures is each of today's filters.
      expect(documentFailures(today.checks), v.name).toStrictEqual(todayFilter(today.checks))
      expect(documentFailures(today.checks, { only: ['integrity', 'issuer'] }), v.name).toStrictEqual(todayFilter(today.checks, ['integrity', 'issuer']))
      expect(documentFailures(doc.checks), v.name).toStrictEqual(todayFilter(doc.checks))
      // Deliver's acceptance, as written today.
      const bad = todayFilter(today.checks)
      const number = today.permit?.number ?? ''
      const party = today.party ?? ''
      expect(acceptanceCodes(doc, { party, number }), v.name).toEqual(bad.length > 0 ? bad.map((c) => c.reason.code) : [])
      expect(acceptanceCodes(doc, { party, number: `${number}X` }), v.name).toEqual(bad.length > 0 ? bad.map((c) => c.reason.code) : ['PERMIT_MISMATCH'])
      // A document presented at the border is looked up only when integrity and issuer hold and it names a permit.
      const ok = today.checks.some((c) => c.name === 'integrity' && c.status === 'VALID') && today.checks.some((c) => c.name === 'issuer' && c.status === 'VALID') && party !== '' && number !== ''
      expect(unregisteredDocument(doc) === undefined, v.name).toBe(ok)
    }
  })

  it('fails closed when a required check is missing and nothing else failed', () => {
    const ok = (name: Check['name']): Check => ({ name, status: 'VALID', reason: { code: 'OK', message: '' } })
    expect(documentFailures([ok('integrity'), ok('issuer'), ok('rules')])).toEqual([])
    expect(documentFailures([ok('integrity'), ok('issuer')]).map((c) => [c.name, c.status, c.reason.code])).toEqual([['rules', 'ERROR', 'NOT_CHECKED']])
    expect(documentFailures([ok('integrity'), ok('rules')], { only: ['integrity', 'issuer'] }).map((c) => c.name)).toEqual(['issuer'])
    expect(documentFailures([ok('integrity'), ok('issuer')], { only: ['integrity', 'issuer'] })).toEqual([])
  })

  it('is cached by the exact bytes and the trust list\'s sequence, with validity recomputed on every call', async () => {
    const xml = read('signature/valid/ch-export-th.xml')
    const bytes = new TextEncoder().encode(xml)
    const trust = trustView(expected.defaultTrust)
    const first = await judgeDocument(bytes, { trust, now: NOW })
    const again = await documentChecks(bytes, first.xmlSha256, trust)
    expect(await documentChecks(bytes, first.xmlSha256, trust)).toBe(again)
    expect(first.checks.map((c) => c.reason.code)).toEqual(['OK', 'OK', 'OK', 'OK'])
    // Same bytes later: the cached checks, a new validity.
    const later = await judgeDocument(xml, { trust, now: new Date('2027-06-01T00:00:00Z') })
    expect(later.checks.map((c) => c.reason.code)).toEqual(['OK', 'OK', 'OK', 'PERMIT_EXPIRED'])
    expect(later.xmlSha256).toBe(first.xmlSha256)
    // A new list (here: CH withdrawn before the issue time) misses the cache.
    const withdrawn = trustView({ CH: [{ cert: 'CH', grantedAt: '2026-01-01T00:00:00Z', withdrawnAt: '2026-10-01T00:00:00Z' }] }, 2)
    expect((await judgeDocument(xml, { trust: withdrawn, now: NOW })).checks.find((c) => c.name === 'issuer')?.reason.code).toBe('ISSUER_CERT_NOT_GRANTED')
    // One byte more is another document.
    const other = await judgeDocument(xml + '\n', { trust, now: NOW })
    expect(other.xmlSha256).not.toBe(first.xmlSha256)
  })

  it('the ledger\'s own copy of the filter (recordSigned, below this package) refuses exactly documentFailures', async () => {
    const dir = tempDir()
    const store = await trustOf(['CH', 'TH'])
    const ledger = await openLedger('CH', store, dir.path)
    try {
      let refused = 0
      for (const v of vectors.filter((x) => x.trust === expected.defaultTrust && x.expect.integrity !== 'OK')) {
        const xml = read(v.file)
        const failures = documentFailures((await judgeDocument(xml, { trust: store, now: NOW })).checks)
        if (failures.length === 0) continue
        const err = await ledger.recordSigned(xml).then(() => undefined, (e: unknown) => e)
        expect(err, v.name).toBeInstanceOf(PermitNotSignedError)
        expect((err as PermitNotSignedError).reasons, v.name).toEqual(failures.map((c) => ({ check: c.name, code: c.reason.code, message: c.reason.message })))
        refused++
      }
      expect(refused).toBeGreaterThan(30)
    } finally {
      await ledger.close()
      dir.cleanup()
    }
  })
})
