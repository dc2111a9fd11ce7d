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
import type { Permit, TradeParty } from '@cites/permit'
import { FreeTextNamesTraderError } from './errors.js'

/** Case, width and spacing do not hide a name. */
function folded (s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim()
}

// Shorter values ("Zoo", "1") would match ordinary words and numbers.
const MIN_LENGTH = 4

function traderTexts (p: TradeParty): string[] {
  const a = p.address
  const out = [p.name, a?.street, a?.postcode !== undefined && a.city !== undefined ? `${a.postcode} ${a.city}` : undefined]
  return out.filter((s): s is string => s !== undefined).map(folded).filter((s) => s.length >= MIN_LENGTH)
}

/** Refuse `text` (the event field `field`) when it holds a trader's name or address of one of `permits`: FREE_TEXT_NAMES_TRADER. */
export function assertNoTraderData (text: string, field: string, permits: ReadonlyArray<Permit | undefined>): void {
  const t = folded(text)
  if (t === '') return
  for (const p of permits) {
    if (p === undefined) continue
    for (const [box, party] of [['Box 3 (importer)', p.consignee], ['Box 4 (exporter)', p.consignor]] as const) {
      // The message names the box, never the data found.
      if (traderTexts(party).some((v) => t.includes(v))) throw new FreeTextNamesTraderError(`the ${field} holds the name or address of the trader in ${box}: every listed authority receives it, so it may not; describe the circumstances without naming the trader`)
    }
  }
}
