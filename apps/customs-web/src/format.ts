/** Times in the officer's zone, and the quantities per line the page shows and starts the forms at. */
import { unitWords } from './words.js'
import type { Line, Verdict } from './types.js'

const tz = Intl.DateTimeFormat().resolvedOptions().timeZone
// (dateStyle cannot be combined with timeZoneName: the fields one by one.)
const fmt = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' })
const dayFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })
/** A time in the browser's zone, the zone named. */
export function when (iso: string | number): string {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? String(iso) : `${fmt.format(d)} (${tz})`
}
export function day (iso: string): string {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : dayFmt.format(d)
}

export const qty = (n: number | undefined, unit: string | undefined): string => n === undefined ? '?' : `${n} ${unitWords(unit, n)}`

/** Per line: the endorsed (Box 14) quantity, and what remains to be used. */
export function quantities (v: Verdict, l: Line): { authorised?: number, endorsed?: number, remaining?: number, unit: string } {
  const unit = l.unit ?? ''
  const endorsed = v.state?.endorsement?.lines.find((x) => x.line === l.line)?.quantity ?? l.exportedQuantity
  // A certificate used at every border (its use check MULTI_USE) has its whole quantity at each crossing.
  const used = !multiUse(v) && (v.state?.consumption !== undefined || v.receipt !== undefined)
  const cap = endorsed ?? l.quantity
  const out: { authorised?: number, endorsed?: number, remaining?: number, unit: string } = { unit }
  if (l.quantity !== undefined) out.authorised = l.quantity
  if (endorsed !== undefined) out.endorsed = endorsed
  if (used) out.remaining = 0
  else if (cap !== undefined) out.remaining = cap
  return out
}

/** A musical-instrument, travelling-exhibition or ownership certificate: used at every border until it expires. */
export const multiUse = (v: Verdict): boolean => v.checks.some((c) => c.name === 'use' && c.reason.code === 'MULTI_USE')
