/**
 * Issue 20, finding 4: a date-only validUntil meant 00:00 UTC, so a permit
 * valid until 2026-12-02 was refused EXPIRED at 00:10Z on 2026-12-02 — at
 * US ports the evening before. Box 2 now runs by calendar day in the issuing
 * authority's zone (UTC+14 when none is configured), signed as instants.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { verifySignedPermit } from '@cites/xml-signature'
import { Ledger } from '../src/index.js'
import { NOW, TRUST, chPermit, signer, tempDir, type Clock } from './kit.js'

const USE = { lines: [{ line: 'A', quantity: 5 }], port: 'THBKK' } as never

describe('validity by calendar day', () => {
  const open: Array<{ l: Ledger, d: ReturnType<typeof tempDir> }> = []
  afterEach(async () => { for (const o of open.splice(0)) { await o.l.close(); o.d.cleanup() } })
  const ledger = async (clock: Clock, timeZone?: string): Promise<Ledger> => {
    const d = tempDir()
    const l = await Ledger.open({ location: d.path, party: 'CH', signer: await signer('CH'), trust: TRUST, now: () => clock.now, ...(timeZone === undefined ? {} : { issuePolicy: { timeZone } }) })
    open.push({ l, d })
    return l
  }
  const dateOnly = (n: string): ReturnType<typeof chPermit> => ({ ...chPermit(n), validFrom: '2026-11-15', validUntil: '2026-12-02' })

  it('a permit valid until 2026-12-02 is not refused EXPIRED at 00:10Z on 2026-12-02 (New York authority)', async () => {
    const clock = { now: NOW }
    const us = await ledger(clock, 'America/New_York')
    const { signedXml, state } = await us.issue(dateOnly('26CHZ0001'))
    // Signed as the instants the days mean in the authority's zone.
    expect(signedXml).toContain('<ram:EndDateTime>2026-12-02T23:59:59.999-05:00</ram:EndDateTime>')
    expect(signedXml).toContain('<ram:StartDateTime>2026-11-15T00:00:00.000-05:00</ram:StartDateTime>')
    expect(state.validUntil).toBe(Date.parse('2026-12-03T04:59:59.999Z'))
    // Every verifier reads the same last moment, whatever its own zone.
    const at = async (t: string): Promise<string | undefined> => (await verifySignedPermit(signedXml, { certificatesFor: (p) => TRUST.certificatesFor(p), now: new Date(t) })).checks.find((c) => c.name === 'validity')?.reason.code
    expect(await at('2026-12-02T00:10:00Z')).toBe('OK')
    expect(await at('2026-12-03T04:59:59Z')).toBe('OK')
    expect(await at('2026-12-03T05:00:00Z')).toBe('PERMIT_EXPIRED')
    clock.now = Date.parse('2026-12-02T00:10:00Z')
    expect((await us.status('CH', '26CHZ0001'))?.status).toBe('ISSUED')
    expect((await us.consume('CH', '26CHZ0001', USE)).port).toBe('THBKK')
  })

  it('the last day ends at the end of the day in the issuer\'s zone, not the verifier\'s (Tokyo, Zurich)', async () => {
    const tokyo = await ledger({ now: NOW }, 'Asia/Tokyo')
    expect((await tokyo.issue(dateOnly('26CHZ0002'))).state.validUntil).toBe(Date.parse('2026-12-02T14:59:59.999Z'))
    const zurich = await ledger({ now: NOW }, 'Europe/Zurich')
    expect((await zurich.issue(dateOnly('26CHZ0003'))).state.validUntil).toBe(Date.parse('2026-12-02T22:59:59.999Z'))
  })

  it('with no zone configured the day ends at UTC+14, the earliest anywhere: never accepted after it ended for its issuer', async () => {
    const clock = { now: NOW }
    const l = await ledger(clock)
    const { signedXml, state } = await l.issue(dateOnly('26CHZ0004'))
    expect(signedXml).toContain('<ram:EndDateTime>2026-12-02T23:59:59.999+14:00</ram:EndDateTime>')
    expect(state.validUntil).toBe(Date.parse('2026-12-02T09:59:59.999Z'))
    clock.now = Date.parse('2026-12-02T10:00:00Z')
    await expect(l.consume('CH', '26CHZ0004', USE)).rejects.toMatchObject({ code: 'PERMIT_EXPIRED' })
  })

  it('a date-only Box 2 in a document signed elsewhere is read at UTC+14 by the ledger and every verifier alike', async () => {
    const { signPermit } = await import('@cites/xml-signature')
    const xml = await signPermit({ ...dateOnly('26CHZ0005'), issueDate: new Date(NOW).toISOString() }, await signer('CH'), 'CH')
    expect(xml).toContain('<ram:EndDateTime>2026-12-02</ram:EndDateTime>')
    const l = await ledger({ now: NOW }, 'America/New_York')
    expect((await l.recordSigned(xml)).state.validUntil).toBe(Date.parse('2026-12-02T09:59:59.999Z'))
    const v = await verifySignedPermit(xml, { certificatesFor: (p) => TRUST.certificatesFor(p), now: new Date('2026-12-02T09:59:59Z') })
    expect(v.checks.find((c) => c.name === 'validity')?.reason.code).toBe('OK')
  })
})
