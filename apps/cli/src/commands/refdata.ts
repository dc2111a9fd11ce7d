import type { Command } from 'commander'
import { existsSync } from 'node:fs'
import {
  encodeSnapshot, importSapiCsv, importSpeciesPlusListings, loadReferenceData, readSnapshotFile, RefdataError, SHIPPED_SNAPSHOT,
  type ListingResult
} from '@cites/refdata'
import { CliError, json, writeAtomic, type Io } from '../io.js'

/** Refdata errors are input errors here (a bad file, a bad date): exit 2 with their code. */
function guard<T> (f: () => T): T {
  try {
    return f()
  } catch (err) {
    if (err instanceof RefdataError) throw new CliError(err.code, err.message)
    throw err
  }
}

export function refdataCommand (program: Command, io: Io): void {
  const rd = program.command('refdata').description('CITES reference data: taxonomy, listings, quotas, suspensions, code tables (a dated snapshot)')

  rd.command('import')
    .description('build a new snapshot from the SAPI CSV layout (--sapi DIR) or a Species+ "CITES listings" CSV export (--species-plus FILE)')
    .option('--sapi <dir>', 'a directory of SAPI CSV files (animalia_taxa_utf8.csv, ...)')
    .option('--species-plus <file>', 'a Species+ "CITES listings" CSV export')
    .requiredOption('--out <file>', 'where to write the snapshot (.json.gz)')
    .option('--date <YYYY-MM-DD>', 'the date the data is current on (Species+: the download date, default today; SAPI: default the newest date in the files)')
    .option('--base <file>', 'Species+ only: the snapshot whose quotas, suspensions and code tables are carried over (default: the shipped one)')
    .option('--force', 'overwrite an existing file')
    .option('--json', 'print the summary as JSON')
    .action((o: { sapi?: string, speciesPlus?: string, out: string, date?: string, base?: string, force?: boolean, json?: boolean }) => {
      if ((o.sapi === undefined) === (o.speciesPlus === undefined)) throw new CliError('USAGE', 'give exactly one of --sapi or --species-plus')
      if (existsSync(o.out) && o.force !== true) throw new CliError('FILE_EXISTS', `${o.out} exists; use --force to replace it`)
      const summary = guard(() => {
        if (o.sapi !== undefined) {
          const { snapshot, unresolved } = importSapiCsv(o.sapi, o.date !== undefined ? { date: o.date } : {})
          writeAtomic(o.out, encodeSnapshot(snapshot))
          return { out: o.out, snapshotDate: snapshot.snapshotDate, taxa: snapshot.taxa.length, synonyms: snapshot.synonyms.length, listedTaxa: Object.keys(snapshot.listings).length, quotas: snapshot.quotas.length, suspensions: snapshot.suspensions.length, notLinked: unresolved }
        }
        const r = importSpeciesPlusListings(o.speciesPlus as string, { date: o.date ?? new Date().toISOString().slice(0, 10), base: readSnapshotFile(o.base ?? SHIPPED_SNAPSHOT) })
        writeAtomic(o.out, encodeSnapshot(r.snapshot))
        return { out: o.out, snapshotDate: r.snapshot.snapshotDate, taxa: r.taxa, listedTaxa: r.listed, quotasCarried: r.carried.quotas, quotasDropped: r.dropped.quotas, suspensionsCarried: r.carried.suspensions, suspensionsDropped: r.dropped.suspensions }
      })
      if (o.json === true) { json(io, summary); return }
      io.out(`wrote ${summary.out}: snapshot of ${summary.snapshotDate}, ${summary.taxa} taxa, ${summary.listedTaxa} with listings\n`)
    })

  rd.command('show')
    .description('accepted name and synonyms, the appendix on a date for a population, the annotation, quotas and suspensions')
    .argument('<name>', 'scientific name (a synonym resolves to its accepted name)')
    .option('--on <YYYY-MM-DD>', 'the date (default today)')
    .option('--party <XX>', 'the population: ISO code of the country of origin (default: populations no split names)')
    .option('--snapshot <file>', 'a snapshot file (default: the shipped 2013 one)')
    .option('--json', 'print JSON')
    .action((name: string, o: { on?: string, party?: string, snapshot?: string, json?: boolean }) => {
      const on = o.on ?? new Date().toISOString().slice(0, 10)
      const result = guard(() => {
        const rd = loadReferenceData(o.snapshot ?? SHIPPED_SNAPSHOT)
        const taxon = rd.taxon(name)
        const listing = rd.listing(name, { on, ...(o.party !== undefined ? { party: o.party } : {}) })
        const quotas = rd.quotas(name, { ...(o.party !== undefined ? { party: o.party } : {}), year: Number(on.slice(0, 4)) })
        const suspensions = rd.suspensions(name, { on, ...(o.party !== undefined ? { party: o.party } : {}) })
        return { snapshotDate: rd.snapshotDate, taxon, listing, quotas, suspensions }
      })
      if (o.json === true) { json(io, result); return }
      io.out(formatShow(result))
    })
}

function formatShow (r: { snapshotDate: string, taxon: ReturnType<ReturnType<typeof loadReferenceData>['taxon']>, listing: ListingResult, quotas: ReturnType<ReturnType<typeof loadReferenceData>['quotas']>, suspensions: ReturnType<ReturnType<typeof loadReferenceData>['suspensions']> }): string {
  const { taxon, listing } = r
  const lines: string[] = [`reference data: snapshot of ${r.snapshotDate} (listings to ${listing.snapshotDate})`]
  if (!taxon.found) {
    lines.push(`${taxon.query}: not in the snapshot${taxon.isSynonym ? ' (a synonym whose accepted name the source does not give)' : ''}; not proof that it is not listed`)
  } else {
    lines.push(`${taxon.name}${taxon.author !== '' ? ` ${taxon.author}` : ''} (${taxon.rank.toLowerCase()}, ${taxon.kingdom}${taxon.higher.family !== undefined ? `, ${taxon.higher.family}` : ''})`)
    if (taxon.isSynonym) lines.push(`  "${taxon.query}" is a synonym of ${taxon.name}`)
    if (taxon.synonyms.length > 0) lines.push(`  synonyms: ${taxon.synonyms.join(', ')}`)
    const pop = listing.party !== undefined ? `population of ${listing.party}` : 'populations not named by a split'
    if (listing.appendix === null && listing.splitUndetermined !== undefined) lines.push(`  appendix on ${listing.on} (${pop}): ${listing.splitUndetermined.join('/')} by population; see the annotation`)
    else lines.push(`  appendix on ${listing.on} (${pop}): ${listing.appendix ?? 'not listed in the snapshot'}${listing.listedUnder !== undefined ? ` as ${listing.listedUnder}` : ''}${listing.effectiveFrom !== undefined ? `, since ${listing.effectiveFrom}` : ''}`)
    if (listing.afterSnapshot) lines.push(`  note: ${listing.on} is after the snapshot's listings (${listing.snapshotDate}); later CoPs may have changed this`)
    if (listing.appendixIIIParties !== undefined) lines.push(`  Appendix III listed by: ${listing.appendixIIIParties.join(', ')}`)
    for (const s of listing.split ?? []) lines.push(`  split: ${s.appendix} ${s.populations !== undefined ? `for ${s.populations.join(', ')}` : s.excludedPopulations !== undefined ? `for all except ${s.excludedPopulations.join(', ')}` : 'for all'}`)
    if (listing.reservations !== undefined) lines.push(`  reservations: ${listing.reservations.join(', ')}`)
    const a = listing.annotation
    if (a?.short !== undefined) lines.push(`  annotation: ${a.short.en}`)
    if (a?.full !== undefined) lines.push(`  full annotation: ${a.full.replace(/\n+/g, ' ')}`)
    if (a?.hash !== undefined) lines.push(`  ${a.hash.mark}: ${a.hash.text.replace(/\n+/g, ' ')}`)
  }
  lines.push(`quotas ${listing.on.slice(0, 4)} (data of ${r.quotas.snapshotDate}): ${r.quotas.quotas.length === 0 ? 'none' : ''}`)
  for (const q of r.quotas.quotas) lines.push(`  ${q.party} ${q.quota === -1 ? 'in preparation' : q.quota} ${q.unit === '' ? 'specimens' : q.unit}${q.terms.length > 0 ? ` ${q.terms.join(',')}` : ''}${q.sources.length > 0 ? ` source ${q.sources.join(',')}` : ''}${q.notes !== '' ? `: ${q.notes}` : ''}`)
  const current = r.suspensions.suspensions.filter((s) => s.current)
  lines.push(`suspensions in force at ${r.suspensions.snapshotDate}: ${current.length === 0 ? 'none' : ''}`)
  for (const s of current) lines.push(`  ${s.party}${s.taxon !== '' ? ` (${s.taxon})` : ' (all CITES species)'}: ${s.notes}`)
  return lines.join('\n') + '\n'
}
