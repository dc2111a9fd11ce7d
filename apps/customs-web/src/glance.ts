/**
 * The verdict at a glance: one state (its colour class, icon and word) and
 * what the officer does, decided here from the checks, in order of what
 * must stop a release first. Never "valid" unless the verdict is.
 */
import { sentence, type Ctx } from './words.js'
import { day, when } from './format.js'
import type { Check, Verdict } from './types.js'

export type Glance = { cls: string, icon: string, word: string, todo: string }

const failing = (v: Verdict): Check[] => v.checks.filter((c) => c.status === 'INVALID' || c.status === 'ERROR')
const codeOf = (v: Verdict, name: string): string | undefined => failing(v).find((c) => c.name === name)?.reason.code

/** The verdict in one state: its class (colour), icon, word, and what to do. Never "valid" unless the verdict is. */
export function glance (v: Verdict, here: string): Glance {
  const c: Ctx = { party: v.party, here }
  const dest = codeOf(v, 'destination')
  const integrity = failing(v).find((x) => x.name === 'integrity' || x.name === 'issuer')
  if (integrity !== undefined) return { cls: 'refused', icon: '✗', word: 'Refused — forged or changed', todo: sentence(integrity.reason.code, c) }
  if (codeOf(v, 'status') === 'PERMIT_NOT_FOUND') return { cls: 'unknown', icon: '?', word: `Not known to ${here || 'this node'} or to ${v.party}: check the number`, todo: sentence('PERMIT_NOT_FOUND', c) }
  if (dest !== undefined) {
    const to = v.state?.destination ?? v.permit?.importer?.country ?? '?'
    return { cls: 'notforus', icon: '✋', word: `Not for import into ${here} — made out to ${to}`, todo: sentence(dest, c) }
  }
  const use = codeOf(v, 'use')
  if (use === 'ALREADY_CONSUMED') {
    const r = v.receipt ?? v.state?.consumption
    return { cls: 'used', icon: '⊘', word: `Already used${r !== undefined ? ` on ${when(r.consumedAt)} at ${r.port}` : ''}`, todo: sentence(use, c) }
  }
  if (use === 'ALREADY_CONSUMED_PROVISIONALLY') return { cls: 'provisional', icon: '⏸', word: 'Used provisionally elsewhere — not confirmed by the issuer', todo: sentence(use, c) }
  const status = codeOf(v, 'status')
  if (status === 'PERMIT_CANCELLED') return { cls: 'cancelled', icon: '⛔', word: 'Cancelled by the issuer', todo: sentence(status, c) }
  if (status === 'PERMIT_REPLACED') return { cls: 'cancelled', icon: '⛔', word: 'Replaced by another permit', todo: sentence(status, c) }
  const validity = codeOf(v, 'validity')
  if (validity === 'PERMIT_EXPIRED') return { cls: 'expired', icon: '⌛', word: `Expired${v.permit?.validUntil !== undefined ? ` on ${day(v.permit.validUntil)}` : ''}`, todo: sentence(validity, c) }
  if (validity === 'PERMIT_NOT_YET_VALID') return { cls: 'expired', icon: '⌛', word: 'Not valid yet', todo: sentence(validity, c) }
  if (v.valid) {
    // Issue 20: Box 14 empty on an export: valid, but only Box 11 bounds the goods.
    const unendorsed = use === 'NOT_ENDORSED_AT_EXPORT' ? ` ${sentence('NOT_ENDORSED_AT_EXPORT', c)}` : ''
    if (v.checks.find((x) => x.name === 'confirmation')?.status === 'VALID') return { cls: 'valid', icon: '✓', word: 'Valid', todo: `Genuine, in force, not used, and for this country. Check the goods against the permit below.${unendorsed}` }
    return { cls: 'unconfirmed', icon: '✓', word: `Valid — ${v.party}'s node did not answer`, todo: sentence('NOT_CONFIRMED_BY_ISSUER', c) }
  }
  const first = failing(v)[0]
  return { cls: 'refused', icon: '✗', word: 'Refused', todo: first !== undefined ? (first.name === 'rules' ? `${sentence('RULES', c)} (${first.reason.message})` : sentence(first.reason.code, c)) : sentence('INTERNAL', c) }
}

