/**
 * Box 2 as instants (permit-profile.md §3.3). A date-only validity runs by
 * calendar day: from the start of its first day to the end of its last, in
 * the issuing authority's time zone. The issuer's node writes the instants
 * with their offset when it signs; a date-only date in a document signed
 * elsewhere is read at UTC+14, where a day ends first, so no verifier ever
 * accepts a permit after its last day has ended for its issuer.
 */
import { parseIsoDate } from './rules.js'
import type { Permit } from './model.js'

/** UTC+14 as an IANA zone (the Etc/GMT signs are inverted): the safe bound when no zone is known. */
export const SAFE_VALIDITY_ZONE = 'Etc/GMT-14'

const DATE_ONLY_RE = /^(\d{4})-(\d{2})-(\d{2})$/

const formats = new Map<string, Intl.DateTimeFormat>()
function format (zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    formats.set(zone, f)
  }
  return f
}

/** Is `zone` an IANA time zone name this runtime knows? */
export function isTimeZone (zone: string): boolean {
  try {
    format(zone)
    return true
  } catch {
    return false
  }
}

/** The zone's wall clock at `t` as [y, m, d, h, min, s] and its offset from UTC (ms). */
function wall (zone: string, t: number): { parts: number[], offset: number } {
  const p: Record<string, number> = {}
  for (const x of format(zone).formatToParts(new Date(t))) if (x.type !== 'literal') p[x.type] = Number(x.value)
  const parts = [p.year ?? 0, p.month ?? 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0]
  const asUtc = Date.UTC(parts[0]!, parts[1]! - 1, parts[2]!, parts[3]!, parts[4]!, parts[5]!)
  return { parts, offset: asUtc - Math.floor(t / 1000) * 1000 }
}

/** The instant a calendar day (y, m 1-12, d) starts in `zone`. */
function dayStart (y: number, m: number, d: number, zone: string): number {
  const guess = Date.UTC(y, m - 1, d)
  const first = guess - wall(zone, guess).offset
  return guess - wall(zone, first).offset
}

/** `t` as ISO 8601 in `zone`'s wall time with its offset, e.g. 2026-12-02T23:59:59.999-05:00. */
export function isoInZone (t: number, zone: string): string {
  const { parts, offset } = wall(zone, t)
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0')
  const [y, mo, d, h, mi, s] = parts as [number, number, number, number, number, number]
  const ms = ((t % 1000) + 1000) % 1000
  const sign = offset < 0 ? '-' : '+'
  const off = Math.abs(offset) / 60_000
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}.${pad(ms, 3)}${sign}${pad(Math.floor(off / 60))}:${pad(off % 60)}`
}

/** Is `s` a date without a time (YYYY-MM-DD)? */
export function isDateOnly (s: string | undefined): boolean {
  return s !== undefined && DATE_ONLY_RE.test(s)
}

/**
 * Box 2's first and last instants (ms; `until` is the last millisecond in
 * force). A date-only start is the start of that day, a date-only end the
 * end of that day, in `zone` (default: UTC+14). Undefined where a date is
 * absent or not ISO 8601.
 */
export function validityInstants (p: Pick<Permit, 'validFrom' | 'validUntil'>, zone: string = SAFE_VALIDITY_ZONE): { from?: number, until?: number } {
  const at = (s: string | undefined, end: boolean): number | undefined => {
    const m = s === undefined ? null : DATE_ONLY_RE.exec(s)
    if (m === null) return parseIsoDate(s)
    if (parseIsoDate(s) === undefined) return undefined
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
    return end ? dayStart(y, mo, d + 1, zone) - 1 : dayStart(y, mo, d, zone)
  }
  const out: { from?: number, until?: number } = {}
  const from = at(p.validFrom, false)
  const until = at(p.validUntil, true)
  if (from !== undefined) out.from = from
  if (until !== undefined) out.until = until
  return out
}

/**
 * The permit as its issuer signs it: a date-only Box 2 written as the
 * instants it means in the issuer's zone, with their offset, so every
 * verifier reads the same last moment whatever its own zone.
 */
export function withExplicitValidity (p: Permit, zone: string = SAFE_VALIDITY_ZONE): Permit {
  if (!isDateOnly(p.validFrom) && !isDateOnly(p.validUntil)) return p
  const { from, until } = validityInstants(p, zone)
  const out = { ...p }
  if (isDateOnly(p.validFrom) && from !== undefined) out.validFrom = isoInZone(from, zone)
  if (isDateOnly(p.validUntil) && until !== undefined) out.validUntil = isoInZone(until, zone)
  return out
}
