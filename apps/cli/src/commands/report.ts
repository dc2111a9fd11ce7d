/**
 * `cites report add-paper|list-paper --dir D`: paper permits for the annual
 * report (issue 14). A party not on the network still trades on paper; the
 * officer enters each such permit once, and the report (`cites ledger
 * report`, GET /v1/reports/annual) adds it to the file of its kind. The
 * store is `<dataDir>/paper-permits.json`, written under a lock, so this
 * works while the node runs. Codes are Trade Database codes, checked here
 * against the reference data (code tables and term-unit / term-purpose
 * pairs) before anything is written: the report then holds only rows the
 * Trade Database accepts.
 */
import type { Command } from 'commander'
import { join, resolve } from 'node:path'
import { CONFIG_FILE, addPaperPermit, loadConfig, paperPermitsFile, readPaperPermits, type NewPaperPermit } from '@cites/node'
import { loadReferenceData, SHIPPED_SNAPSHOT, type ReferenceData } from '@cites/refdata'
import { CliError, EXIT_USAGE, json, type Io } from '../io.js'

/** The paper-permit store of the node whose folder is `dir` (in its config's dataDir). */
const storeOf = (dir: string): string => paperPermitsFile(loadConfig(join(resolve(dir), CONFIG_FILE)).config.dataDir)

/** Every reason the Trade Database would refuse this record, by field (empty: it would accept it). */
export function paperProblems (p: NewPaperPermit, rd: ReferenceData): string[] {
  const out: string[] = []
  const known = (table: 'terms' | 'units' | 'purposes' | 'sources' | 'countries', v: string, what: string): void => {
    const name = { terms: 'term', units: 'unit', purposes: 'purpose', sources: 'source', countries: 'country' }[table]
    if (!rd.codes(table).has(v)) out.push(`${what} "${v}" is not a Trade Database ${name} code`)
  }
  known('countries', p.partner, '--partner')
  if (p.origin !== undefined) known('countries', p.origin, '--origin')
  known('terms', p.term, '--term')
  if (p.unit !== '') known('units', p.unit, '--unit')
  known('purposes', p.purpose, '--purpose')
  known('sources', p.source, '--source')
  if (!['I', 'II', 'III'].includes(p.appendix)) out.push(`--appendix "${p.appendix}": I, II or III`)
  if (out.length === 0 && !rd.termUnitAllowed(p.term, p.unit)) out.push(`the Trade Database does not allow term ${p.term} with ${p.unit === '' ? 'a number of specimens (no unit)' : `unit ${p.unit}`}`)
  if (out.length === 0 && !rd.termPurposeAllowed(p.term, p.purpose)) out.push(`the Trade Database does not allow term ${p.term} with purpose ${p.purpose}`)
  return out
}

const quantityOption = (v: string): number => {
  if (!/^\d{1,12}(\.\d{1,6})?$/.test(v) || Number(v) <= 0) throw new CliError('USAGE', `--quantity "${v}": a number greater than 0`)
  return Number(v)
}
const yearOption = (v: string): number => {
  if (!/^(19[7-9]\d|20\d\d)$/.test(v)) throw new CliError('USAGE', `--year "${v}": four digits, 1975..2099`)
  return Number(v)
}

export function reportCommand (program: Command, io: Io): void {
  const report = program.command('report').description('the annual report\'s paper permits: trade under permits of parties not on the network (see also cites ledger report)')

  report.command('add-paper')
    .description('record a paper permit so the annual report is complete (works while the node runs)')
    .requiredOption('--dir <dir>', 'the node folder (holding cites-node.yaml)')
    .requiredOption('--kind <kind>', 'import: goods that came in under the partner\'s paper export or re-export permit; export: goods this party sent out under a paper permit')
    .requiredOption('--partner <XX>', 'the trading partner (ISO 3166 code): the exporter for an import, the importer for an export')
    .requiredOption('--permit <number>', 'the export or re-export permit\'s number')
    .option('--import-permit <number>', 'with --kind import: this party\'s import permit, when there was one')
    .requiredOption('--species <name>', 'the scientific name')
    .requiredOption('--term <code>', 'Trade Database term code, e.g. LIV, SKI')
    .requiredOption('--quantity <n>', 'the quantity that crossed the border', quantityOption)
    .option('--unit <code>', 'Trade Database unit code, e.g. KIL, CTM (= centimetre); omit for a number of specimens', '')
    .requiredOption('--source <code>', 'source code, e.g. W, C')
    .requiredOption('--purpose <code>', 'purpose code, e.g. T')
    .requiredOption('--appendix <I|II|III>', 'the appendix')
    .requiredOption('--year <yyyy>', 'the year the goods crossed the border', yearOption)
    .option('--origin <XX>', 'country of origin (re-exports)')
    .option('--origin-permit <number>', 'the origin permit (re-exports)')
    .option('--snapshot <file>', 'reference data to check the codes against (default: the shipped snapshot)')
    .option('--json', 'print the record')
    .action(async (o: { dir: string, kind: string, partner: string, permit: string, importPermit?: string, species: string, term: string, quantity: number, unit: string, source: string, purpose: string, appendix: string, year: number, origin?: string, originPermit?: string, snapshot?: string, json?: boolean }) => {
      if (o.kind !== 'import' && o.kind !== 'export') throw new CliError('USAGE', '--kind must be import or export')
      if (o.kind === 'export' && o.importPermit !== undefined) throw new CliError('USAGE', '--import-permit is for --kind import (an exporter\'s file has no import_permit)')
      const up = (s: string): string => s.trim().toUpperCase()
      const p: NewPaperPermit = {
        kind: o.kind, partner: up(o.partner), permit: o.permit, species: o.species, term: up(o.term), quantity: o.quantity, unit: up(o.unit),
        source: up(o.source), purpose: up(o.purpose), appendix: up(o.appendix), year: o.year,
        ...(o.importPermit !== undefined ? { importPermit: o.importPermit } : {}),
        ...(o.origin !== undefined ? { origin: up(o.origin) } : {}),
        ...(o.originPermit !== undefined ? { originPermit: o.originPermit } : {})
      }
      const rd = loadReferenceData(o.snapshot ?? SHIPPED_SNAPSHOT)
      const problems = paperProblems(p, rd)
      if (problems.length > 0) throw new CliError('PAPER_PERMIT_INVALID', problems.join('; '), EXIT_USAGE)
      // An unknown name is a warning, never a refusal (the snapshot may be older than the listing).
      const taxon = rd.taxon(p.species)
      if (!taxon.found) io.err(`warning: "${p.species}" is not in the reference data of ${rd.snapshotDate}; recorded as given\n`)
      const made = await addPaperPermit(storeOf(o.dir), p)
      if (o.json === true) { json(io, made); return }
      io.out(`recorded paper permit ${made.id}: ${made.kind} ${made.partner}/${made.permit}, ${made.year}\n`)
    })

  report.command('list-paper')
    .description('the paper permits recorded for the annual report')
    .requiredOption('--dir <dir>', 'the node folder')
    .option('--year <yyyy>', 'only this year', yearOption)
    .option('--json', 'print JSON')
    .action((o: { dir: string, year?: number, json?: boolean }) => {
      const all = readPaperPermits(storeOf(o.dir)).filter((p) => o.year === undefined || p.year === o.year)
      if (o.json === true) { json(io, all); return }
      for (const p of all) io.out(`${p.id}\t${p.year}\t${p.kind}\t${p.partner}/${p.permit}\t${p.species}\t${p.quantity} ${p.unit === '' ? 'specimens' : p.unit}\t${p.term}\n`)
    })
}
