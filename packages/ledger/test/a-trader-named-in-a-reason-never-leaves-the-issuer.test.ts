/**
 * ledger.md r18 §2.4: a cancellation's or an export void's reason and a
 * replacement's details are signed into events every listed authority
 * receives. An officer who writes the trader's name or address there (in
 * any case, spacing or Unicode width) is refused FREE_TEXT_NAMES_TRADER,
 * and nothing is written; a reason without it is recorded as typed.
 */
import { describe, expect, it } from 'vitest'
import type { Ledger } from '../src/index.js'
import { ledgerPerTest, chPermit } from './kit.js'

const EXPORTER = 'Wilhelmina Quastenflosser'
const STREET = 'Rue des Mouettes Rieuses 17'
const IMPORTER = 'Somchai Paknamtongdee'
const ENDORSE = { lines: [{ line: 'A', quantity: 50, unit: 'PCS' }], port: 'CHZRH' }

function tradersPermit (number: string): ReturnType<typeof chPermit> {
  const p = chPermit(number)
  p.consignor = { ...p.consignor, name: EXPORTER, address: { ...p.consignor.address, street: STREET, country: 'CH' } }
  p.consignee = { ...p.consignee, name: IMPORTER, address: { ...p.consignee.address, country: 'TH' } }
  return p
}

/** Every byte of this ledger's own log, as other authorities receive it. */
async function logText (l: Ledger): Promise<string> {
  return (await l.eventsFrom(l.party, 1)).map((b) => Buffer.from(b).toString('utf8')).join('\n')
}

describe('a trader named in a free-text reason never leaves the issuer', () => {
  const t = ledgerPerTest('CH')
  const ch = (): Ledger => t.ledger

  it('a cancellation reason naming the importer (upper case, doubled spaces, full-width letters, accents, an invisible character) is refused; nothing is written', async () => {
    await ch().issue(tradersPermit('26CHF00001'))
    const before = (await ch().eventsFrom('CH', 1)).length
    const fullWidth = [...'Somchai'].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xFEE0)).join('')
    for (const reason of [`withdrawn by ${IMPORTER}`, 'SOMCHAI  PAKNAMTONGDEE cancelled the order', `${fullWidth} Paknamtongdee withdrew`, 'Som\u200bchai Paknamtongdee withdrew', 'Sómchái Paknamtongdee withdrew', `exporter at ${STREET.toLowerCase()} closed`]) {
      await expect(ch().cancel('CH', '26CHF00001', reason)).rejects.toMatchObject({ code: 'FREE_TEXT_NAMES_TRADER' })
    }
    expect((await ch().eventsFrom('CH', 1)).length).toBe(before)
    expect((await ch().status('CH', '26CHF00001'))?.status).toBe('ISSUED')
    // The message names the box, never the data it found.
    const err = await ch().cancel('CH', '26CHF00001', `withdrawn by ${IMPORTER}`).catch((e: Error) => e)
    expect(String((err as Error).message)).toContain('Box 3')
    expect(String((err as Error).message)).not.toContain('Somchai')
    await ch().cancel('CH', '26CHF00001', 'applicant withdrew the application')
    expect((await ch().status('CH', '26CHF00001'))?.status).toBe('CANCELLED')
  })

  it('an export void reason naming the exporter, and replacement details naming either trader, are refused', async () => {
    await ch().issue(tradersPermit('26CHF00002'))
    await ch().endorse('CH', '26CHF00002', ENDORSE)
    await expect(ch().voidExport('CH', '26CHF00002', `${EXPORTER} kept the shipment`)).rejects.toMatchObject({ code: 'FREE_TEXT_NAMES_TRADER' })
    await ch().voidExport('CH', '26CHF00002', 'the shipment did not leave')

    await ch().issue(tradersPermit('26CHF00003'))
    // The original's importer, named in the replacement's details.
    const replacement = { ...chPermit('26CHF00004'), replacement: { replaces: '26CHF00003', reason: 'lost' as const, details: `lost by ${IMPORTER}'s agent` } }
    await expect(ch().issue(replacement)).rejects.toMatchObject({ code: 'FREE_TEXT_NAMES_TRADER' })
    expect(await ch().status('CH', '26CHF00004')).toBeUndefined()
    // The replacement's own importer, named in its details.
    const newImporter = { ...replacement, consignee: { ...replacement.consignee, name: 'Kittipong Saetang' }, replacement: { ...replacement.replacement, details: 'reissued for kittipong saetang' } }
    await expect(ch().issue(newImporter)).rejects.toMatchObject({ code: 'FREE_TEXT_NAMES_TRADER' })
    await ch().issue({ ...replacement, replacement: { ...replacement.replacement, details: 'lost in transit' } })
    expect((await ch().status('CH', '26CHF00003'))?.status).toBe('REPLACED')

    // The log other authorities receive: the reasons as typed (a positive control), no trader.
    const text = await logText(ch())
    expect(text).toContain('the shipment did not leave')
    expect(text).toContain('lost in transit')
    for (const name of [EXPORTER, IMPORTER, STREET]) expect(text).not.toContain(name)
  })

  it('ordinary reasons pass: a trader\'s name inside a longer word, a blank postcode or city, a value under 4 characters', async () => {
    const p = tradersPermit('26CHF00005')
    p.consignor = { name: 'Mars', address: { street: 'Zoo', postcode: '', city: 'Zurich', country: 'CH' } }
    p.consignee = { ...p.consignee, address: { postcode: '8001', city: ' ', country: 'TH' } }
    await ch().issue(p)
    // "Mars" is not in "Marseille"; "Zurich" alone is not the address (its postcode is blank); "8001" is not in "18001".
    await ch().cancel('CH', '26CHF00005', 'rerouted via Marseille and held at Zurich airport, 18001 PCS counted at the zoo')
    expect((await ch().status('CH', '26CHF00005'))?.status).toBe('CANCELLED')
  })
})
