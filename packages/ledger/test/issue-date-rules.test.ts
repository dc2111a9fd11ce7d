/**
 * Issue 20, finding 5: the act of issuing. A backdated issue date was
 * accepted (201) and every verifier then said ISSUER_CERT_NOT_GRANTED, which
 * customs reads as forgery; a permit already expired was issued; one whose
 * validity starts 11 months after the issue was too. Each is now refused
 * before anything is signed, with a code that says what is wrong.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { certPem } from '@cites/test-kit'
import { Ledger, type TrustSource } from '../src/index.js'
import { NOW, TRUST, chPermit, signer, tempDir } from './kit.js'

const DAY = 86_400_000
const iso = (t: number): string => new Date(t).toISOString()

describe('issue-date rules at issue', () => {
  let dir: ReturnType<typeof tempDir>
  let ch: Ledger
  const open = async (trust: TrustSource = TRUST, validityStartGraceMs?: number): Promise<Ledger> =>
    await Ledger.open({ location: dir.path, party: 'CH', signer: await signer('CH'), trust, now: () => NOW, ...(validityStartGraceMs === undefined ? {} : { issuePolicy: { validityStartGraceMs } }) })
  beforeEach(async () => { dir = tempDir() })
  afterEach(async () => { await ch?.close(); dir.cleanup() })

  const refusal = async (p: Promise<unknown>): Promise<string[]> => {
    const e = await p.then(() => undefined, (x: unknown) => x) as { name?: string, problems?: Array<{ code: string }> } | undefined
    expect(e?.name).toBe('PermitRefusedError')
    return (e?.problems ?? []).map((x) => x.code)
  }

  it('a backdated permit is refused at issue instead of verifying everywhere as ISSUER_CERT_NOT_GRANTED', async () => {
    ch = await open()
    expect(await refusal(ch.issue({ ...chPermit('26CHD0001'), issueDate: '2026-09-01T09:00:00Z' }))).toEqual(['ISSUE_DATE_NOT_NOW'])
    // A date without a time is not the time of signing either.
    expect(await refusal(ch.issue({ ...chPermit('26CHD0002'), issueDate: '2026-11-15' }))).toEqual(['ISSUE_DATE_NOT_NOW'])
    // Within the clocks' tolerance (5 minutes) it is the time of signing; left out, the node writes it.
    expect((await ch.issue({ ...chPermit('26CHD0003'), issueDate: iso(NOW - 2 * 60_000) })).state.issueTime).toBe(NOW - 2 * 60_000)
    const { state, signedXml } = await ch.issue(chPermit('26CHD0004'))
    expect(state.issueTime).toBe(NOW)
    expect(signedXml).toContain(`<ram:IssueDateTime>${iso(NOW)}</ram:IssueDateTime>`)
    expect(ch.heads().get('CH')?.size).toBe(2)
  })

  it('a permit already expired at issue is refused instead of being issued with no warning', async () => {
    ch = await open()
    expect(await refusal(ch.issue({ ...chPermit('26CHD0005'), validFrom: '2026-05-01', validUntil: '2026-10-31' }))).toEqual(['VALIDITY_ENDED_AT_ISSUE'])
    expect(await ch.status('CH', '26CHD0005')).toBeUndefined()
  })

  it('a validity starting 11 months after the issue is refused (grace 30 days by default, configurable)', async () => {
    ch = await open()
    const late = { ...chPermit('26CHD0006'), validFrom: iso(NOW + 330 * DAY), validUntil: iso(NOW + 400 * DAY) }
    expect(await refusal(ch.issue(late))).toEqual(['VALIDITY_START_TOO_LATE'])
    // 29 days ahead is within the default grace.
    await ch.issue({ ...chPermit('26CHD0007'), validFrom: iso(NOW + 29 * DAY), validUntil: iso(NOW + 100 * DAY) })
    await ch.close()
    ch = await open(TRUST, 365 * DAY)
    // A wider grace still counts the months from the grant (issue 14): a
    // start 60 days on is fine, an end 400 days on is not.
    expect((await ch.issue({ ...chPermit('26CHD0009'), validFrom: iso(NOW + 60 * DAY), validUntil: iso(NOW + 150 * DAY) })).state.status).toBe('ISSUED')
    const e = await ch.issue(late).catch((x: unknown) => x) as { problems?: Array<{ code: string }>, message?: string }
    expect(JSON.stringify(e.problems ?? e.message)).toContain('VALIDITY_TOO_LONG')
  })

  it('a certificate granted only after the issue date is refused at issue with a clear message, never signed', async () => {
    const later: TrustSource = { certificatesFor: (p) => p === 'CH' ? [{ certificate: certPem('CH'), grantedAt: iso(NOW + DAY) }] : TRUST.certificatesFor(p) }
    ch = await open(later)
    const e = await ch.issue(chPermit('26CHD0008')).catch((x: unknown) => x) as { problems: Array<{ code: string, message: string }> }
    expect(e.problems.map((p) => p.code)).toEqual(['CERT_NOT_GRANTED_AT_ISSUE'])
    expect(e.problems[0]!.message).toContain('ISSUER_CERT_NOT_GRANTED')
    expect(ch.heads().get('CH')?.size ?? 0).toBe(0)
  })
})
