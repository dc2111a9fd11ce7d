/**
 * Issue 16, finding 2 (one permit number, several spellings), on a real
 * ledger: every look-alike spelling of an issued and used number (case,
 * separators, invisible characters, leading zeros, fullwidth and
 * mathematical digits, Cyrillic and Greek twins) is refused at issue as
 * DUPLICATE_NUMBER and finds the original, already used; a look-alike with
 * a character that has no Latin twin is refused and finds nothing. No
 * spelling ever creates a second usable permit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { canonicalPermitNumber } from '@cites/permit'
import { Level } from 'level'
import { SCHEMA_VERSION, decodeEvent, signEvent, type Ledger, type PermitState } from '../src/index.js'
import { CONSUME_A, chPermit, openLedger, signer, tempDir } from './kit.js'

const ISSUED = ['26CH015809', '26CHOPAX42', '26CH000123', 'CH2026EYKB7']

// Twins of a character that fold to it: its lower case, fullwidth form, and
// Cyrillic, Greek or mathematical look-alike where there is one.
const TWINS: Record<string, string[]> = {
  A: ['\u0410', '\u0430', '\u0391', '\u03B1'], B: ['\u0412', '\u0392'], C: ['\u0421', '\u0441', '\u03F9'], E: ['\u0415', '\u0435', '\u0395'],
  H: ['\u041D', '\u0397', '\u04BB'], K: ['\u041A', '\u039A', '\u212A'], O: ['\u041E', '\u043E', '\u039F', '\u03BF'], P: ['\u0420', '\u0440', '\u03A1', '\u03C1'],
  T: ['\u0422', '\u03A4'], X: ['\u0425', '\u0445', '\u03A7'], Y: ['\u0423', '\u0443', '\u03A5'], I: ['\u0406', '\u0456', '\u0399', '\u2160'],
  '3': ['\u0417', '\u00B3'], '6': ['\u0431']
}
const twinsOf = (ch: string): string[] => {
  const out = [ch, ch.toLowerCase(), String.fromCharCode(ch.charCodeAt(0) + 0xFEE0), ...(TWINS[ch] ?? [])]
  if (/[0-9]/.test(ch)) out.push(String.fromCodePoint(0x1D7CE + Number(ch)), String.fromCodePoint(0x2460 + Number(ch) - 1).repeat(ch === '0' ? 0 : 1) || ch)
  return out
}
const SEPARATORS = ['', '', '', ' ', '.', '-', '/', '_', '\u200B', '\u00A0', '\u00AD', '\u2011', '\u3000', '\t']
// Characters drawn like a Latin letter that are not folded: refused.
const UNTWINNED: Record<string, string> = { H: '\u029C', T: '\u13A2', O: '\u0555', C: '\u13DF', A: '\u13AA', K: '\u1D0B', P: '\u13E2' }

/** A spelling of `n` a person could take for it. */
const lookAlike = (n: string): fc.Arbitrary<string> => fc.tuple(
  fc.tuple(...[...n].map((ch) => fc.constantFrom(...twinsOf(ch)))),
  fc.array(fc.constantFrom(...SEPARATORS), { minLength: n.length + 1, maxLength: n.length + 1 }),
  fc.nat(3)
).map(([chars, seps, zeros]) => '0'.repeat(/^[0-9]/.test(n) ? zeros : 0) + seps[0] + chars.map((c, i) => c + seps[i + 1]).join(''))

describe('look-alike permit numbers (property, real LevelDB)', () => {
  let dir: ReturnType<typeof tempDir>
  let ch: Ledger
  beforeAll(async () => {
    dir = tempDir('lookalike')
    ch = await openLedger('CH', dir.path)
    for (const n of ISSUED) {
      await ch.issue(chPermit(n))
      await ch.consume('CH', n, CONSUME_A)
    }
  })
  afterAll(async () => { await ch.close(); dir.cleanup() })

  it('a look-alike of an issued number is refused as DUPLICATE_NUMBER and finds the original, already used', async () => {
    const spelt = fc.constantFrom(...ISSUED).chain((n) => lookAlike(n).map((s) => [n, s] as const))
    await fc.assert(fc.asyncProperty(spelt, async ([n, s]) => {
      expect(canonicalPermitNumber(s)).toBe(n)
      await expect(ch.issue(chPermit(s))).rejects.toMatchObject({ code: 'DUPLICATE_NUMBER', existing: n })
      const found = await ch.status('CH', s)
      expect(found?.state.number).toBe(n)
      expect(found?.status).toBe('CONSUMED')
      await expect(ch.consume('CH', s, CONSUME_A)).rejects.toMatchObject({ code: 'ALREADY_CONSUMED', receipt: { number: n } })
      const d = await ch.decideUse({ party: 'CH', number: s, requester: 'TH', ...CONSUME_A })
      expect(d).toMatchObject({ kind: 'refused', code: 'ALREADY_CONSUMED' })
    }), { numRuns: 150 })
    expect(await ch.count({ party: 'CH' })).toBe(ISSUED.length)
  })

  it('a look-alike with a letter that has no Latin twin is refused at issue and finds nothing', async () => {
    const spelt = fc.constantFrom(...ISSUED).chain((n) => {
      const at = [...n].map((c, i) => [c, i] as const).filter(([c]) => UNTWINNED[c] !== undefined).map(([, i]) => i)
      return fc.tuple(lookAlike(n), fc.constantFrom(...at)).map(([s, i]) => {
        // Put the untwinned look-alike in place of the i-th letter of n, however the rest is spelt.
        const chars = [...n]
        chars[i] = UNTWINNED[chars[i]!]!
        return [s, chars.join('')] as const
      })
    })
    await fc.assert(fc.asyncProperty(spelt, async ([, s]) => {
      expect(canonicalPermitNumber(s)).toBeUndefined()
      await expect(ch.issue(chPermit(s))).rejects.toMatchObject({ code: 'PERMIT_NUMBER_INVALID' })
      expect(await ch.status('CH', s)).toBeUndefined()
      await expect(ch.consume('CH', s, CONSUME_A)).rejects.toMatchObject({ code: 'PERMIT_NOT_FOUND' })
      expect(await ch.decideUse({ party: 'CH', number: s, requester: 'TH', ...CONSUME_A })).toMatchObject({ kind: 'refused', code: 'PERMIT_NOT_FOUND' })
    }), { numRuns: 60 })
    expect(await ch.count({ party: 'CH' })).toBe(ISSUED.length)
  })

  /**
   * CH's log as an older (or hostile) CH node could sign it: ISSUED events
   * copied from a genuine one under other spellings. Numbers: seq 1 as
   * issued, 2 another spelling of it, 3 an old non-canonical number, 4 one
   * with no canonical form.
   */
  async function chLogSpelt (numbers: string[]): Promise<Uint8Array[]> {
    const template = decodeEvent((await ch.eventsFrom('CH', 1, 1))[0]!)
    const key = await signer('CH')
    const out: Uint8Array[] = []
    let prev: Uint8Array = new Uint8Array(0)
    for (const [i, permitNumber] of numbers.entries()) {
      const { certSha256: _, ...fields } = template.event
      const le = await signEvent({ ...fields, seq: BigInt(i + 1), prevHash: prev as Uint8Array<ArrayBuffer>, permitNumber }, key)
      out.push(le.bytes)
      prev = le.hash
    }
    return out
  }

  it('two spellings of one number in a replicated log are one permit: the second ISSUED is refused with an alert', async () => {
    const thDir = tempDir('lookalike-th')
    const th = await openLedger('TH', thDir.path)
    try {
      const results = await th.acceptEvents(await chLogSpelt(['26CH015809', '26ch 015809', '26CH-777', '26CH€1']))
      expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted'])
      expect(await th.count({ party: 'CH' })).toBe(2)
      expect((await th.status('CH', '26CH777'))?.state.number).toBe('26CH777')
      expect((await th.status('CH', '２６ｃｈ　０１５８０９'))?.state.events).toEqual([1])
      const alerts = await th.alerts()
      expect(alerts.map((a) => [a.kind, a.code, a.seq])).toEqual([
        ['TRANSITION_REFUSED', 'PERMIT_ALREADY_ISSUED', 2],
        ['TRANSITION_REFUSED', 'PERMIT_NUMBER_INVALID', 4]
      ])
    } finally { await th.close(); thDir.cleanup() }
  })

  it('a ledger written before canonical numbers (schema 1) is upgraded at open; the replica, fetched again, is keyed canonically', async () => {
    const thDir = tempDir('lookalike-old')
    let th = await openLedger('TH', thDir.path)
    await th.acceptEvents(await chLogSpelt(['26CH-777']))
    await th.waitForIndex()
    await th.close()
    // What the release before r8 stored: the raw number as key, schema 1.
    const db = new Level<string, unknown>(thDir.path, { keyEncoding: 'utf8', valueEncoding: 'json' })
    const permits = db.sublevel<string, PermitState>('permit', { valueEncoding: 'json' })
    const state = await permits.get('CH!26CH777')
    await permits.batch([{ type: 'del', key: 'CH!26CH777' }, { type: 'put', key: 'CH!26CH-777', value: { ...state!, number: '26CH-777' } }])
    await db.sublevel<string, number>('meta', { valueEncoding: 'json' }).put('schema', 1)
    await db.close()
    th = await openLedger('TH', thDir.path)
    try {
      // Schema 1 holds version 1 events: the v1 upgrade (ledger.md §7.1) drops
      // other authors' replicas, with their derived keys; sync fetches them again.
      expect(th.authors()).toEqual([])
      expect(await th.status('CH', '26CH-777')).toBeUndefined()
      await th.acceptEvents(await chLogSpelt(['26CH-777']))
      expect((await th.status('CH', '26CH-777'))?.state.number).toBe('26CH777')
      expect((await th.list({ party: 'CH' })).items.map((i) => i.state.number)).toEqual(['26CH777'])
      expect((await th.verifyLog('CH')).ok).toBe(true)
    } finally { await th.close() }
    const again = new Level<string, unknown>(thDir.path, { keyEncoding: 'utf8', valueEncoding: 'json' })
    expect(await again.sublevel<string, number>('meta', { valueEncoding: 'json' }).get('schema')).toBe(SCHEMA_VERSION)
    await again.close()
    thDir.cleanup()
  })
})
