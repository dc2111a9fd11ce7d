import type { Command } from 'commander'
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { Ledger, REPORT_KINDS, annualReport, annualReportCsv, annualReportFileName, type LedgerInit, type ReportKind, type LineQty, type PermitStatus, type PermitView } from '@cites/ledger'
import { TrustStore } from '@cites/trust-list'
import { paperPermitsFile, readPaperPermits } from '@cites/node'
import { CliError, EXIT_INVALID, json, readText, writeAtomic, type Io } from '../io.js'
import { loadKeyFolder, readAnchorCertificate } from '../keys.js'
import { collect, dateOption, positiveInt } from './options.js'
import { tokenOf } from '../token.js'
import { ledgerLockedError, isLockedError } from '../locked.js'
import { callNode, refusal } from '../client.js'

interface DbOptions {
  db: string, key?: string, trustList?: string, anchor?: string
  /** What to use instead when a running node holds the ledger (URL: the node's address). */
  whileRunning?: string
}

const STATUSES: readonly PermitStatus[] = ['ISSUED', 'ENDORSED', 'CONSUMED', 'CANCELLED', 'REPLACED', 'EXPIRED']

/** Open the ledger at --db: with --key it can write; with --trust-list/--anchor it can check signatures. */
async function openLedger (o: DbOptions, needs: { write?: boolean, trust?: boolean, create?: boolean } = {}): Promise<Ledger> {
  if (needs.create !== true && !existsSync(join(o.db, 'CURRENT'))) throw new CliError('LEDGER_NOT_FOUND', `no ledger at ${o.db}`)
  if (needs.write === true && o.key === undefined) throw new CliError('USAGE', 'this command writes: give --key <dir> with the party\'s keys')
  if (needs.trust === true && (o.trustList === undefined || o.anchor === undefined)) throw new CliError('USAGE', 'give --trust-list <file> and --anchor <cert> to check signatures')
  // Without a trust list the ledger can still be read; it just checks no signature.
  let trust: LedgerInit['trust'] = { certificatesFor: () => undefined }
  if (o.trustList !== undefined && o.anchor !== undefined) {
    const store = new TrustStore(readAnchorCertificate(o.anchor))
    await store.accept(readText(o.trustList, 'trust list'))
    trust = store
  }
  const init: LedgerInit = { location: o.db, trust }
  if (o.key !== undefined) {
    const k = await loadKeyFolder(o.key)
    if (k.identity.party === undefined) throw new CliError('KEYS_INVALID', `${o.key} is not an MA key folder`)
    init.party = k.identity.party
    init.signer = k.signer
  }
  try {
    return await Ledger.open(init)
  } catch (err) {
    if (isLockedError(err)) throw ledgerLockedError(o.db, o.whileRunning ?? 'use the node\'s HTTP API instead (URL/openapi.json; cites verify|issue|endorse|cancel --node URL)')
    throw err
  }
}

async function withLedger<T> (o: DbOptions, needs: Parameters<typeof openLedger>[1], fn: (l: Ledger) => Promise<T>): Promise<T> {
  const l = await openLedger(o, needs)
  try { return await fn(l) } finally { await l.close() }
}

const dbOpt = (c: Command): Command => c.requiredOption('--db <dir>', 'the ledger folder')
const trustOpts = (c: Command): Command => c.option('--trust-list <file>', 'trust list').option('--anchor <cert>', 'anchor certificate or folder')

function parseLines (specs: string[]): LineQty[] {
  if (specs.length === 0) throw new CliError('USAGE', 'give at least one --line A:50[:unit]')
  return specs.map((s) => {
    const [line, q, unit] = s.split(':')
    if (line === undefined || line === '' || q === undefined || !/^\d+(\.\d+)?$/.test(q)) throw new CliError('USAGE', `--line "${s}": use LINE:QUANTITY[:UNIT], e.g. A:50:PCS`)
    return { line, quantity: Number(q), unit: unit ?? '' }
  })
}

function formatView (v: PermitView): string {
  const s = v.state
  const out = [
    `${s.party}/${s.number}  ${v.status}  (type ${s.type}, ${s.exporter} -> ${s.destination}, valid ${new Date(s.validFrom).toISOString().slice(0, 10)}..${new Date(s.validUntil).toISOString().slice(0, 10)})`,
    ...s.lines.map((l) => `  line ${l.line}: ${l.scientificName}  App. ${l.appendix}  ${l.quantity} ${l.unit === '' ? 'specimens' : l.unit}`)
  ]
  if (s.consumption !== undefined) out.push(`  used ${s.consumption.consumedAt} at ${s.consumption.port} for ${s.consumption.consumingParty} (event #${s.consumption.seq})`)
  out.push('  history:')
  for (const h of v.history) out.push(`    #${h.seq} ${h.time} ${h.type} ${h.hash.slice(0, 16)}`)
  return out.join('\n') + '\n'
}

export function ledgerCommand (program: Command, io: Io): void {
  const ledger = program.command('ledger').description('the LevelDB ledger: permits, their events, reports, verification')

  trustOpts(dbOpt(ledger.command('show')))
    .description('a permit with its derived status and history (exit 1 if not in the ledger)')
    .argument('<party>').argument('<number>')
    .option('--xml', 'print the signed eCITES XML instead')
    .option('--json', 'machine-readable output')
    .action(async (party: string, number: string, o: DbOptions & { xml?: boolean, json?: boolean }) => {
      await withLedger(o, {}, async (l) => {
        if (o.xml === true) {
          const xml = await l.signedXml(party, number)
          if (xml !== undefined) { io.out(xml); return }
          if (await l.getPermit(party, number) === undefined) throw new CliError('PERMIT_NOT_FOUND', `${party}/${number} is not in the ledger`, EXIT_INVALID)
          // r17: a summary without its document: not a party to the trade, or erased after retention.
          if (await l.documentStatus(party, number) === 'erased') throw new CliError('DOCUMENT_ERASED', `the document of ${party}/${number} was erased under the retention rule; its summary remains (without --xml)`, EXIT_INVALID)
          throw new CliError('DOCUMENT_NOT_HELD', `this ledger holds ${party}/${number}'s summary, not its document (only the issuer and the destination hold it)`, EXIT_INVALID)
        }
        const v = await l.getPermit(party, number)
        if (v === undefined) throw new CliError('PERMIT_NOT_FOUND', `${party}/${number} is not in the ledger`, EXIT_INVALID)
        if (o.json === true) json(io, v)
        else io.out(formatView(v))
      })
    })

  dbOpt(ledger.command('list'))
    .description('list permits by party, species, status and issue date, with paging')
    .option('--party <code>').option('--species <name>')
    .option('--status <status>', STATUSES.join(' | '))
    .option('--from <date>', 'issued at or after', dateOption).option('--to <date>', 'issued at or before', dateOption)
    .option('--limit <n>', 'page size (max 1000)', positiveInt, 50).option('--after <cursor>', 'the `next` cursor of the previous page')
    .option('--count', 'print only how many match')
    .option('--json', 'machine-readable output')
    .action(async (o: DbOptions & { party?: string, species?: string, status?: string, from?: Date, to?: Date, limit: number, after?: string, count?: boolean, json?: boolean }) => {
      if (o.status !== undefined && !(STATUSES as readonly string[]).includes(o.status)) throw new CliError('USAGE', `--status must be one of ${STATUSES.join(', ')}`)
      const filter = {
        ...(o.party !== undefined ? { party: o.party } : {}), ...(o.species !== undefined ? { species: o.species } : {}),
        ...(o.status !== undefined ? { status: o.status as PermitStatus } : {}),
        ...(o.from !== undefined ? { from: o.from.getTime() } : {}), ...(o.to !== undefined ? { to: o.to.getTime() } : {})
      }
      await withLedger(o, {}, async (l) => {
        if (o.count === true) {
          const n = await l.count(filter)
          if (o.json === true) json(io, { count: n }); else io.out(`${n}\n`)
          return
        }
        const page = await l.list(filter, { limit: o.limit, ...(o.after !== undefined ? { after: o.after } : {}) })
        if (o.json === true) { json(io, { items: page.items.map((i) => ({ party: i.state.party, number: i.state.number, status: i.status, destination: i.state.destination, issueTime: new Date(i.state.issueTime).toISOString(), species: i.state.lines.map((x) => x.scientificName) })), next: page.next }); return }
        for (const i of page.items) io.out(`${i.state.party}/${i.state.number}\t${i.status}\t${new Date(i.state.issueTime).toISOString().slice(0, 10)}\t${i.state.destination}\t${i.state.lines.map((x) => x.scientificName).join('; ')}\n`)
        if (page.next !== undefined) io.out(`(more: --after '${page.next}')\n`)
      })
    })

  ledger.command('report')
    .description('the CITES annual report in the Trade Database upload template: two CSV files, exports (no import_permit column) and imports; from a ledger folder, or from a running node')
    .option('--db <dir>', 'the ledger folder (of a node that is not running); paper permits are read from its data folder (dataDir/paper-permits.json)')
    .option('--node <url>', 'instead of --db: the running node\'s HTTP address (GET /v1/reports/annual?kind=)')
    .option('--token-file <path>', 'with --node: a file holding an issuer token (or set CITES_TOKEN)')
    .option('--token <token>', 'with --node: an issuer token itself, visible to other users of this machine; prefer CITES_TOKEN or --token-file')
    .requiredOption('--year <yyyy>', 'report year', positiveInt)
    .option('--reporter <code>', 'party reporting (default: the ledger\'s)')
    .option('--paper <file>', 'with --db: the paper-permit store (default: paper-permits.json beside the ledger folder)')
    .option('--kind <kind>', 'exports | imports: only this file (required without --out, as stdout holds one CSV)')
    .option('--out <dir>', 'write cites-annual-report-XX-YYYY-exports.csv and -imports.csv into this folder')
    .action(async (o: Partial<DbOptions> & { node?: string, token?: string, tokenFile?: string, year: number, reporter?: string, paper?: string, kind?: string, out?: string }) => {
      if (o.kind !== undefined && !(REPORT_KINDS as readonly string[]).includes(o.kind)) throw new CliError('USAGE', '--kind must be exports or imports')
      if (o.kind === undefined && o.out === undefined) throw new CliError('USAGE', 'give --out <dir> for both files, or --kind exports|imports to print one')
      const kinds = o.kind !== undefined ? [o.kind as ReportKind] : REPORT_KINDS
      const write = (reporter: string, kind: ReportKind, csv: string): void => {
        if (o.out === undefined) { io.out(csv); return }
        const file = join(o.out, annualReportFileName(reporter, o.year, kind))
        writeAtomic(file, csv)
        io.err(`wrote ${csv.trim().split('\n').length - 1} ${kind} rows to ${file}\n`)
      }
      if (o.node !== undefined) {
        if (o.db !== undefined) throw new CliError('USAGE', 'give --db or --node, not both')
        if (o.reporter !== undefined || o.paper !== undefined) throw new CliError('USAGE', '--reporter and --paper need --db (the node reports as itself, with its own paper permits)')
        const token = tokenOf(o)
        // The node's party names the files (GET /v1/status; an issuer token may read it).
        let party = ''
        if (o.out !== undefined) {
          const st = await callNode(o.node, token, '/v1/status')
          if (st.status !== 200) throw refusal(st)
          party = String(st.body.party ?? '')
        }
        for (const kind of kinds) {
          const r = await callNode(o.node, token, `/v1/reports/annual?year=${o.year}&kind=${kind}`)
          if (r.status !== 200) throw refusal(r)
          write(party, kind, String(r.body.text ?? ''))
        }
        return
      }
      if (o.db === undefined) throw new CliError('USAGE', 'give --db <dir> (a stopped node\'s ledger) or --node <url> --token <issuer token>')
      const db: DbOptions = { db: o.db, whileRunning: `ask it instead: cites ledger report --node URL --token <issuer token> --year ${o.year} (GET /v1/reports/annual)` }
      const paper = readPaperPermits(o.paper ?? paperPermitsFile(dirname(resolve(o.db))))
      await withLedger(db, {}, async (l) => {
        const r = await annualReport(l, o.year, { ...(o.reporter !== undefined ? { reporter: o.reporter } : {}), paper })
        for (const kind of kinds) write(r.reporter, kind, annualReportCsv(r, kind))
        // What could not be written, by permit and line only (no trader data), for the officer to follow up.
        for (const x of r.leftOut.filter((y) => kinds.includes(y.kind))) io.err(`left out of ${x.kind}: ${x.party}/${x.number} line ${x.line}: ${x.code}: ${x.message}\n`)
      })
    })

  trustOpts(dbOpt(ledger.command('verify-log')))
    .description('verify logs end to end from the stored bytes: chain, signatures, checkpoints (exit 1 on any problem)')
    .option('--author <code>', 'one author (default: every log held)')
    .option('--json', 'machine-readable output')
    .action(async (o: DbOptions & { author?: string, json?: boolean }) => {
      await withLedger(o, { trust: true }, async (l) => {
        const authors = o.author !== undefined ? [o.author] : l.authors()
        const results = []
        for (const a of authors) results.push(await l.verifyLog(a))
        if (o.json === true) json(io, results)
        else {
          for (const r of results) {
            io.out(`${r.author}: ${r.size} events, ${r.checkpointsChecked} checkpoints: ${r.ok ? 'OK' : `${r.problems.length} PROBLEM(S)`}\n`)
            for (const p of r.problems) io.out(`  #${p.seq} ${p.code}: ${p.message}\n`)
          }
        }
        if (results.some((r) => !r.ok)) throw new CliError('LOG_INVALID', 'a log does not verify', EXIT_INVALID, results.flatMap((r) => r.problems))
      })
    })

  dbOpt(ledger.command('purge'))
    .description('erase the permit documents (traders\' names and addresses) whose retention clock, the later of Box 2\'s end and the permit\'s last event, is before --before: ciphertext and key deleted, events, summaries and hashes kept (ledger.md §7.2); the node erases on its own after retention.documentYears')
    .requiredOption('--before <date>', 'erase documents whose retention clock is before this date (YYYY-MM-DD or ISO 8601)', dateOption)
    .option('--json', 'machine-readable output')
    .action(async (o: DbOptions & { before: Date, json?: boolean }) => {
      await withLedger({ ...o, whileRunning: 'stop the node first (it erases on its own after retention.documentYears), or run this again after it stops' }, {}, async (l) => {
        const r = await l.purgeDocuments(o.before)
        if (o.json === true) json(io, { before: o.before.toISOString(), ...r })
        else io.out(`erased ${r.erased} document(s) whose retention clock is before ${o.before.toISOString()}; ${r.held} still held\n`)
      })
    })

  dbOpt(ledger.command('rebuild'))
    .description('recreate every index from the logs alone')
    .action(async (o: DbOptions) => {
      await withLedger(o, {}, async (l) => {
        const r = await l.rebuildIndexes()
        io.out(`rebuilt the indexes of ${r.permits} permits from ${r.events} events\n`)
      })
    })

  trustOpts(dbOpt(ledger.command('record')))
    .description('record a permit this party signed (verified against the trust list); creates the ledger if needed')
    .argument('<signed.xml>')
    .requiredOption('--key <dir>', 'the party\'s key folder')
    .action(async (file: string, o: DbOptions) => {
      const xml = readText(file, 'signed permit')
      const l = await openLedger(o, { write: true, trust: true, create: true })
      try {
        const { state, event } = await l.recordSigned(xml)
        io.out(`recorded ${state.party}/${state.number} as event #${event.event.seq}\n`)
      } finally { await l.close() }
    })

  for (const action of ['endorse', 'consume'] as const) {
    trustOpts(dbOpt(ledger.command(action)))
      .description(action === 'endorse' ? 'record the export endorsement (Box 14)' : 'record the use of a permit at import (once only)')
      .argument('<party>').argument('<number>')
      .requiredOption('--key <dir>', 'the issuing party\'s key folder')
      .option('--line <LINE:QTY[:UNIT]>', 'quantity per line (repeatable)', collect, [])
      .requiredOption('--port <locode>', 'UN/LOCODE of the port')
      .option('--officer <name>')
      .option('--for <party>', 'consume: the destination party asking')
      .option('--json', 'machine-readable output')
      .action(async (party: string, number: string, o: DbOptions & { line: string[], port: string, officer?: string, for?: string, json?: boolean }) => {
        const lines = parseLines(o.line)
        await withLedger(o, { write: true, trust: true }, async (l) => {
          const input = { lines, port: o.port, ...(o.officer !== undefined ? { officer: o.officer } : {}) }
          if (action === 'endorse') {
            const s = await l.endorse(party, number, input)
            if (o.json === true) json(io, s); else io.out(`endorsed ${party}/${number} at ${o.port}\n`)
          } else {
            // The one use decision (destination rule, quantities, refusal events), as over the network.
            const requester = o.for ?? (await l.status(party, number))?.state.destination ?? ''
            const d = await l.decideUse({ party, number, requester, ...input })
            if (d.kind === 'refused') throw new CliError(d.code, d.message, EXIT_INVALID, o.json === true && d.receipt !== undefined ? { receipt: d.receipt } : undefined)
            const r = d.receipt
            if (o.json === true) json(io, r); else io.out(`consumed ${party}/${number} at ${r.port} on ${r.consumedAt} (receipt: event #${r.seq}, ${r.eventHash.slice(0, 16)})\n`)
          }
        })
      })
  }

  trustOpts(dbOpt(ledger.command('cancel')))
    .description('cancel a permit (with a reason)')
    .argument('<party>').argument('<number>')
    .requiredOption('--key <dir>', 'the issuing party\'s key folder')
    .requiredOption('--reason <text>')
    .action(async (party: string, number: string, o: DbOptions & { reason: string }) => {
      await withLedger(o, { write: true, trust: true }, async (l) => {
        await l.cancel(party, number, o.reason)
        io.out(`cancelled ${party}/${number}\n`)
      })
    })
}
