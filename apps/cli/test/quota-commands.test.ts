/**
 * `cites quota set|show --dir D` with the real binary (issue 14 #5): the
 * register shows the node's party's published quotas from the shipped 2013
 * snapshot (TZ, Crocodylus niloticus), and an operator quota with the same
 * key replaces the published one; a bad unit or year is a usage error.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONFIG_FILE, loadConfig, quotaFileOf } from '@cites/node'
import { cites, type Run } from './run-cli.js'

describe('cites quota', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cites-quota-'))
  afterAll(() => { rmSync(dir, { recursive: true, force: true }) })
  const ok = (...args: string[]): Run => { const r = cites(dir, ...args); expect(r.code, `${args.join(' ')}\n${r.err}`).toBe(0); return r }
  beforeAll(() => { ok('node', 'init', '--party', 'TZ', '--dir', 'TZ') })

  interface Shown { party: string, quotas: Array<{ taxon: string, year: number, quantity: number, unit: string, terms: string[], sources: string[], origin: string }> }
  const show = (...args: string[]): Shown => JSON.parse(ok('quota', 'show', '--dir', 'TZ', '--json', ...args).out) as Shown

  it('shows the published quotas of the node\'s party, seeded from the snapshot', () => {
    const s = show('--taxon', 'Crocodylus niloticus', '--year', '2013')
    expect(s.party).toBe('TZ')
    expect(s.quotas.map((q) => [q.quantity, q.terms.join(), q.sources.join(), q.origin])).toEqual([[400, '', 'R', 'published'], [1600, '', 'W', 'published'], [40, 'LIV', 'C', 'published']])
    expect(ok('quota', 'show', '--dir', 'TZ', '--taxon', 'Crocodylus niloticus', '--year', '2013').out).toContain('published (snapshot 2013-')
  })

  it('set overrides the published quota with the same key; show lists it as the operator\'s; the file is in the data folder', () => {
    const set = JSON.parse(ok('quota', 'set', '--dir', 'TZ', '--taxon', 'Crocodylus niloticus', '--year', '2013', '--quantity', '55', '--unit', 'specimens', '--term', 'liv', '--source', 'C', '--json').out) as { quota: { quantity: number, terms: string[], unit: string } }
    expect(set.quota).toMatchObject({ quantity: 55, terms: ['LIV'], unit: '' })
    const s = show('--taxon', 'Crocodylus niloticus', '--year', '2013')
    expect(s.quotas.map((q) => [q.quantity, q.origin])).toEqual([[400, 'published'], [1600, 'published'], [55, 'operator']])
    // A quota of its own (kilograms of skins, 2026) next to the published ones.
    ok('quota', 'set', '--dir', 'TZ', '--taxon', 'Crocodylus niloticus', '--year', '2026', '--quantity', '120.5', '--unit', 'KGM', '--term', 'SKI')
    expect(show('--year', '2026').quotas).toMatchObject([{ taxon: 'Crocodylus niloticus', quantity: 120.5, unit: 'KGM', terms: ['SKI'], sources: [], origin: 'operator' }])
    const file = quotaFileOf(loadConfig(join(dir, 'TZ', CONFIG_FILE)).config.dataDir)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 1, quotas: [{ quantity: 55 }, { quantity: 120.5 }] })
  })

  it('a bad year or quantity is a usage error (exit 2)', () => {
    expect(cites(dir, 'quota', 'set', '--dir', 'TZ', '--taxon', 'X y', '--year', '26', '--quantity', '1', '--unit', 'KGM').code).toBe(2)
    expect(cites(dir, 'quota', 'set', '--dir', 'TZ', '--taxon', 'X y', '--year', '2026', '--quantity', '-1', '--unit', 'KGM').code).toBe(2)
  })
})
