/** Box 2 by calendar day (permit-profile.md §3.3; issue 20, finding 4), across zones and DST changes. */
import { describe, expect, it } from 'vitest'
import { isTimeZone, isoInZone, validityInstants, withExplicitValidity } from '../src/index.js'
import { readVector } from '@cites/test-kit'
import { permitFromJsonText } from '../src/index.js'

const until = (d: string, zone?: string): string => new Date(validityInstants({ validUntil: d }, zone).until!).toISOString()
const from = (d: string, zone?: string): string => new Date(validityInstants({ validFrom: d }, zone).from!).toISOString()

describe('validity by calendar day', () => {
  it('a date-only last day is not over at 00:00 UTC: it ends at the end of the day in the zone', () => {
    expect(until('2026-12-02', 'America/New_York')).toBe('2026-12-03T04:59:59.999Z')
    expect(until('2026-12-02', 'Pacific/Honolulu')).toBe('2026-12-03T09:59:59.999Z')
    expect(until('2026-12-02', 'Asia/Bangkok')).toBe('2026-12-02T16:59:59.999Z')
    expect(until('2026-12-02', 'UTC')).toBe('2026-12-02T23:59:59.999Z')
    // No zone: UTC+14, where the day ends first.
    expect(until('2026-12-02')).toBe('2026-12-02T09:59:59.999Z')
    expect(from('2026-12-02')).toBe('2026-12-01T10:00:00.000Z')
  })

  it('days on which the clocks change are 23 or 25 hours long', () => {
    // Europe/Zurich leaves summer time on 2026-10-25 at 03:00 local.
    expect(from('2026-10-25', 'Europe/Zurich')).toBe('2026-10-24T22:00:00.000Z')
    expect(until('2026-10-25', 'Europe/Zurich')).toBe('2026-10-25T22:59:59.999Z')
    // America/New_York starts summer time on 2026-03-08.
    expect(until('2026-03-08', 'America/New_York')).toBe('2026-03-09T03:59:59.999Z')
    // Year end and leap day.
    expect(until('2026-12-31', 'Asia/Tokyo')).toBe('2026-12-31T14:59:59.999Z')
    expect(until('2028-02-29', 'UTC')).toBe('2028-02-29T23:59:59.999Z')
  })

  it('date-times keep their own instant; nonsense is no instant', () => {
    expect(until('2026-12-02T12:00:00Z', 'America/New_York')).toBe('2026-12-02T12:00:00.000Z')
    expect(validityInstants({ validUntil: '2026-13-45' }).until).toBeUndefined()
    expect(validityInstants({ validUntil: 'soon' }).until).toBeUndefined()
  })

  it('the issuer signs the instants with their offset, and they read back to the same instants', () => {
    const p = { ...permitFromJsonText(readVector('permits/ch-export-th.json')), validFrom: '2026-11-15', validUntil: '2026-12-02' }
    const signed = withExplicitValidity(p, 'America/New_York')
    expect(signed.validUntil).toBe('2026-12-02T23:59:59.999-05:00')
    expect(validityInstants(signed, 'Asia/Tokyo')).toEqual(validityInstants(p, 'America/New_York'))
    expect(isoInZone(Date.parse('2026-07-01T12:00:00Z'), 'Europe/Zurich')).toBe('2026-07-01T14:00:00.000+02:00')
    expect(isTimeZone('Europe/Zurich')).toBe(true)
    expect(isTimeZone('Mars/Olympus')).toBe(false)
  })
})
