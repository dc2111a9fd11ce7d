/**
 * Free text signed into an event (a cancellation's or an export void's
 * reason, a replacement's details) reaches every listed authority, which
 * must never receive the traders' data (ledger.md §2.4). The document is
 * the only place for it. Before such text is signed, it is checked against
 * the traders of the permit it is about (Box 3 and Box 4: names, streets,
 * postcodes with cities), as the issuer holds them in the document. A
 * guard against the officer's slip, not a proof: a name spelt otherwise is
 * not found (SECURITY.md §28).
 */
import type { Permit } from '@cites/permit'
import { FreeTextNamesTraderError } from './errors.js'

/** Case, width, accents, invisible characters and spacing do not hide a name. */
function folded (s: string): string {
  return s.normalize('NFKD').replace(/[\p{M}\p{Cf}]/gu, '').normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim()
}

// Shorter values ("Zoo", "1") would match ordinary words and numbers.
const MIN_LENGTH = 4

const blank = (s: string | undefined): boolean => s === undefined || s.trim() === ''

/** `value` in `text` as whole words: trader "Mars" is not in "via Marseille". */
function holds (text: string, value: string): boolean {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'u').test(text)
}

/** Refuse `text` (the event field `field`) when it holds a trader's name or address of one of `permits`: FREE_TEXT_NAMES_TRADER. */
export function assertNoTraderData (text: string, field: string, permits: ReadonlyArray<Permit | undefined>): void {
  const t = folded(text)
  if (t === '') return
  for (const p of permits) {
    if (p === undefined) continue
    for (const [box, party] of [['Box 3 (importer)', p.consignee], ['Box 4 (exporter)', p.consignor]] as const) {
      // The message names the box and the kind of value, never the value found.
      const a = party.address
      const found = [['name', party.name], ['street', a?.street], ['postcode and city', !blank(a?.postcode) && !blank(a?.city) ? `${a?.postcode ?? ''} ${a?.city ?? ''}` : undefined]] as const
      for (const [kind, v] of found) {
        if (v === undefined) continue
        const f = folded(v)
        if (f.length >= MIN_LENGTH && holds(t, f)) throw new FreeTextNamesTraderError(`the ${field} holds the trader's ${kind} from ${box}: every listed authority receives it, so it may not; describe the circumstances without naming the trader`)
      }
    }
  }
}
