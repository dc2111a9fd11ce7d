/**
 * `cites quota set|show --dir D`: the node's export-quota register (issue 14,
 * packages/node/src/quotas.ts). The register is the published quotas of the
 * node's party in the reference-data snapshot, overridden by the operator's
 * entries in `quotas.json` in the node's data folder: a file, so that a quota
 * set while the node runs holds from its next issuance, with no restart.
 */
import type { Command } from 'commander'
import { join, resolve } from 'node:path'
import { CONFIG_FILE, loadConfig, quotaFileOf, quotaRegister, quotaUnit, setQuota, type RegisterEntry } from '@cites/node'
import { loadReferenceData, SHIPPED_SNAPSHOT } from '@cites/refdata'
import { CliError, json, type Io } from '../io.js'

const nodeOf = (dir: string): { party: string, file: string } => {
  const { config } = loadConfig(join(resolve(dir), CONFIG_FILE))
  return { party: config.party, file: quotaFileOf(config.dataDir) }
}
const yearOption = (v: string): number => {
  const y = Number(v)
  if (!/^\d{4}$/.test(v) || y < 1975) throw new CliError('USAGE', `--year "${v}": a year such as 2026`)
  return y
}
const quantityOption = (v: string): number => {
  const q = Number(v)
  if (v.trim() === '' || !Number.isFinite(q) || q < 0) throw new CliError('USAGE', `--quantity "${v}": a number, 0 or more`)
  return q
}
const codes = (v: string | undefined): string[] => (v ?? '').split(',').map((c) => c.trim().toUpperCase()).filter((c) => c !== '')
/** "specimens" (or blank, PCS, NAR) is number of specimens; otherwise the permit's (eCITES, Rec. 20) unit code. */
const unitOption = (v: string): string => v.trim().toLowerCase() === 'specimens' ? '' : quotaUnit(v)
const unitLabel = (u: string): string => u === '' ? 'specimens' : u

function formatEntry (e: RegisterEntry): string {
  const scope = [e.terms.length > 0 ? `terms ${e.terms.join(',')}` : 'all terms', e.sources.length > 0 ? `sources ${e.sources.join(',')}` : 'all sources'].join(', ')
  return `${e.year}  ${e.taxon.padEnd(32)} ${String(e.quantity).padStart(8)} ${unitLabel(e.unit).padEnd(10)} ${scope.padEnd(34)} ${e.origin === 'operator' ? `operator (${e.set ?? ''})` : `published (snapshot ${e.snapshotDate ?? ''})`}${e.note !== undefined ? `  ${e.note}` : ''}\n`
}

export function quotaCommand (program: Command, io: Io): void {
  const quota = program.command('quota').description('export quotas of the node\'s party: published ones from the reference data, overridden by the operator\'s')

  quota.command('set')
    .description('set an export quota (replaces a published or earlier one with the same taxon, year, unit, terms and sources); a running node applies it from its next issuance')
    .requiredOption('--dir <dir>', 'the node folder (holding cites-node.yaml)')
    .requiredOption('--taxon <name>', 'scientific name (a synonym counts against its accepted name)')
    .requiredOption('--year <YYYY>', 'the calendar year', yearOption)
    .requiredOption('--quantity <n>', 'the quota (0: no export)', quantityOption)
    .requiredOption('--unit <unit>', 'the permit\'s unit (eCITES / Rec. 20 code, e.g. KGM), or "specimens"', unitOption)
    .option('--term <codes>', 'term code(s) the quota covers together, comma-separated (default: all terms)')
    .option('--source <codes>', 'source code(s), comma-separated (default: all sources)')
    .option('--note <text>', 'a note (e.g. the notification it was published in)')
    .option('--json', 'print the entry as JSON')
    .action(async (o: { dir: string, taxon: string, year: number, quantity: number, unit: string, term?: string, source?: string, note?: string, json?: boolean }) => {
      const { file } = nodeOf(o.dir)
      const e = await setQuota(file, { taxon: o.taxon.trim(), year: o.year, quantity: o.quantity, unit: o.unit, terms: codes(o.term), sources: codes(o.source), ...(o.note !== undefined ? { note: o.note } : {}) })
      if (o.json === true) { json(io, { quota: { ...e, origin: 'operator' } }); return }
      io.out(`quota set: ${formatEntry({ ...e, origin: 'operator' })}`)
    })

  quota.command('show')
    .description('the quota register: published quotas of the party (snapshot) and the operator\'s, the operator\'s overriding')
    .requiredOption('--dir <dir>', 'the node folder')
    .option('--taxon <name>', 'one taxon')
    .option('--year <YYYY>', 'one year', yearOption)
    .option('--snapshot <file>', 'a reference-data snapshot (default: the shipped 2013 one)')
    .option('--json', 'machine-readable output')
    .action((o: { dir: string, taxon?: string, year?: number, snapshot?: string, json?: boolean }) => {
      const { party, file } = nodeOf(o.dir)
      const refdata = loadReferenceData(o.snapshot ?? SHIPPED_SNAPSHOT)
      const entries = quotaRegister({ party, file, refdata, ...(o.year !== undefined ? { year: o.year } : {}), ...(o.taxon !== undefined ? { taxon: o.taxon } : {}) })
      if (o.json === true) { json(io, { party, quotas: entries }); return }
      if (entries.length === 0) { io.out(`no quota for ${party}${o.taxon !== undefined ? ` and ${o.taxon}` : ''}${o.year !== undefined ? ` in ${o.year}` : ''}\n`); return }
      for (const e of entries) io.out(formatEntry(e))
    })
}
