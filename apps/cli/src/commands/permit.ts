import type { Command } from 'commander'
import { createHash } from 'node:crypto'
import { createInterface } from 'node:readline/promises'
import {
  DOCUMENT_TYPES, checkPermit, importPermit, maxValidityMonths, parseXml, passesRules, permitFromJson,
  permitParty, type Permit, type PermitLine
} from '@cites/permit'
import { NS_DSIG, PermitRefusedError, checkSignatureStructure, parseCertificate, signPermit } from '@cites/xml-signature'
import { judgeDocument, offlineVerdict, withDestination } from '@cites/verdict'
import { TrustListSignatureError, TrustStore } from '@cites/trust-list'
import { CliError, EXIT_INVALID, json, readText, writeAtomic, type Io } from '../io.js'
import { loadKeyFolder, readAnchorCertificate } from '../keys.js'
import { formatPermit, formatProblems, formatVerdict } from '../format.js'
import { collect, dateOption, partyOption } from './options.js'

export function permitCommand (program: Command, io: Io): void {
  const permit = program.command('permit').description('CITES permits: import, create, sign, verify, inspect')

  permit.command('import')
    .description('read an eCITES XML (v1/v2, bare or in SOAP) or JSON permit; print the model or diagnose it (exit 1)')
    .argument('<file>', 'eCITES XML or permit JSON')
    .option('--json', 'machine-readable output')
    .action((file: string, o: { json?: boolean }) => {
      const { permit: p, format } = importPermit(readText(file, 'permit'))
      const problems = checkPermit(p)
      const ok = passesRules(problems)
      if (o.json === true) json(io, { format, valid: ok, permit: p, problems })
      else io.out(`${formatPermit(p)}${problems.length > 0 ? `${ok ? 'rules: passed with warnings' : 'rules: FAILED'}\n${formatProblems(problems)}` : 'rules: passed\n'}`)
      if (!ok) throw new CliError('RULES_FAILED', `permit ${p.number} breaks CITES rules`, EXIT_INVALID, problems)
    })

  const make = permit.command('new')
    .description('make a permit JSON from flags (or, with --interactive, from prompts); every box of the JSON form has a flag')
    .option('--number <n>', 'Box 1: permit number')
    .option('--type <E|I|R|O>', 'document type', 'E')
    .option('--copy', 'Box 1: this document is a copy')
    .option('--party <code>', 'Box 6: the issuing MA\'s party', partyOption)
    .option('--issuer-name <name>', 'Box 6: the issuing MA\'s name')
    .option('--exporter <name>', 'Box 4: exporter (re-exporter) name')
    .option('--exporter-country <code>', 'Box 4: exporter country', partyOption)
    .option('--importer <name>', 'Box 3: importer name')
    .option('--importer-country <code>', 'Box 3: importer country', partyOption)
  for (const [who, box] of [['issuer', '6'], ['exporter', '4'], ['importer', '3']] as const) {
    make.option(`--${who}-street <text>`, `Box ${box}: street`).option(`--${who}-city <text>`, `Box ${box}: city`)
      .option(`--${who}-postcode <text>`, `Box ${box}: postcode`).option(`--${who}-country-name <text>`, `Box ${box}: country name`)
  }
  make
    .option('--purpose <code>', 'Box 5a: purpose code', 'T')
    .option('--valid-from <date>', 'Box 2: first day (default today)', dateOption)
    .option('--valid-months <n>', 'Box 2: months of validity (default: the longest allowed)')
    .option('--valid-until <date>', 'Box 2: last day, instead of --valid-months', dateOption)
    .option('--issue-date <date>', 'date of issue (default now)', dateOption)
    .option('--line <spec>', 'a species line "ID:Scientific name:Appendix:Source:Term:Quantity[:Unit]" (repeatable)', collect, [])
    .option('--common-name <ID:NAME>', 'Box 9: common name of a line (repeatable)', collect, [])
    .option('--description <ID:TEXT>', 'Box 9: description of the specimens of a line (repeatable)', collect, [])
    .option('--marks <ID:TEXT>', 'marks of the specimens of a line (repeatable)', collect, [])
    .option('--quota <ID:USED:ANNUAL>', 'Box 11a: quota used to date and annual quota of a line (repeatable)', collect, [])
    .option('--origin <ID:COUNTRY[:PERMIT[:DATE]]>', 'Box 12: country of origin of a line, with its permit number and date (repeatable)', collect, [])
    .option('--last-reexport <ID:COUNTRY[:CERTIFICATE[:DATE]]>', 'Box 12a: country of last re-export of a line, with its certificate (repeatable)', collect, [])
    .option('--exported <ID:QTY[:UNIT]>', 'Box 14: quantity exported on a line (repeatable)', collect, [])
    .option('--import-permit <number>', 'the import permit an Appendix I export refers to')
    .option('--reference <TYPE:ID[:DATE]>', 'a document the permit refers to, e.g. I:US-2026-0042 (repeatable)', collect, [])
    .option('--replaces <number>', 'the permit this one replaces')
    .option('--reason <text>', 'why it is replaced')
    .option('--condition <text>', 'Box 5: special condition (repeatable)', collect, [])
    .option('--security-stamp <id>', 'Box 5b')
    .option('--signatory <name>', 'Box 13: the signing official')
    .option('--place <place>', 'Box 13: place of issue')
    .option('--signatory-date <date>', 'Box 13: date of signature', dateOption)
    .option('--transport-document <number>', 'Box 15: bill of lading or air waybill number')
    .option('--endorsement-port <locode>', 'Box 14: port of export')
    .option('--endorsement-date <date>', 'Box 14: date of the endorsement', dateOption)
    .option('--endorsement-officer <name>', 'Box 14: the endorsing official')
    .option('--interactive', 'ask for what is missing')
    .option('--out <file>', 'write the JSON here instead of stdout')
    .action(async (o: NewOptions) => {
      if (o.interactive === true) await ask(o)
      const p = buildPermit(o)
      const problems = checkPermit(p)
      const text = JSON.stringify(p, null, 2) + '\n'
      if (o.out !== undefined) { writeAtomic(o.out, text); io.err(`wrote ${o.out}\n`) } else io.out(text)
      if (!passesRules(problems)) {
        io.err(`rules: FAILED\n${formatProblems(problems)}`)
        throw new CliError('RULES_FAILED', `permit ${p.number} breaks CITES rules`, EXIT_INVALID, problems)
      }
    })

  permit.command('sign')
    .description('check the CITES rules and sign as the key folder\'s MA; prints the signed eCITES XML')
    .argument('<file>', 'permit (eCITES XML or JSON)')
    .requiredOption('--key <dir>', 'the MA\'s key folder')
    .option('--out <file>', 'write the signed XML here instead of stdout')
    .action(async (file: string, o: { key: string, out?: string }) => {
      const { permit: p } = importPermit(readText(file, 'permit'))
      const { signer, identity } = await loadKeyFolder(o.key)
      if (identity.party === undefined) throw new CliError('KEYS_INVALID', `${o.key} is not an MA key folder`)
      let xml: string
      try {
        xml = await signPermit(p, signer, identity.party)
      } catch (err) {
        if (err instanceof PermitRefusedError) {
          io.err(`refused: permit ${p.number} was not signed\n${formatProblems(err.problems)}`)
          throw new CliError(err.code, err.message, EXIT_INVALID, err.problems)
        }
        throw err
      }
      if (o.out !== undefined) { writeAtomic(o.out, xml); io.err(`signed ${identity.party}/${p.number} -> ${o.out}\n`) } else io.out(xml)
    })

  permit.command('verify')
    .description('verify a signed permit against an anchor-signed trust list (exit 0 valid, 1 invalid)')
    .argument('<file>', 'signed eCITES XML')
    .requiredOption('--trust-list <file>', 'the trust list')
    .requiredOption('--anchor <cert>', 'anchor certificate (anchor/cert.pem) or folder')
    .option('--at <date>', 'check the validity dates as of this time (default now)', dateOption)
    .option('--for <party>', 'judge for this party (two letters, e.g. TH): the destination check fails when the permit is made out to another country')
    .option('--json', 'machine-readable verdict')
    .action(async (file: string, o: { trustList: string, anchor: string, at?: Date, for?: string, json?: boolean }) => {
      const judgedBy = o.for?.trim().toUpperCase()
      if (judgedBy !== undefined && !/^[A-Z]{2}$/.test(judgedBy)) throw new CliError('USAGE', '--for takes a two-letter party code, e.g. TH', 2)
      const store = new TrustStore(readAnchorCertificate(o.anchor))
      try {
        await store.accept(readText(o.trustList, 'trust list'))
      } catch (err) {
        // A trust list that does not verify means nothing can be checked: input error.
        if (err instanceof TrustListSignatureError) throw new CliError(err.code, `the trust list does not verify against the anchor: ${err.message}`, 2, err.reasons)
        throw err
      }
      const xml = readText(file, 'permit')
      const offline = offlineVerdict(await judgeDocument(xml, { trust: store, ...(o.at !== undefined ? { now: o.at } : {}) }))
      // Offline there is no node to say who judges: --for names the party.
      const v = judgedBy !== undefined ? withDestination(offline, judgedBy) : offline
      if (o.json === true) json(io, { valid: v.valid, party: v.party, number: v.permit?.number, sha256: sha256(xml), checks: v.checks, signer: v.signer })
      else io.out(formatVerdict(v))
      if (!v.valid) throw new CliError('INVALID', 'the permit is not valid', EXIT_INVALID, v.checks.filter((c) => c.status === 'INVALID' || c.status === 'ERROR'))
    })

  permit.command('inspect')
    .description('show a permit\'s fields and its signature block, without judging trust')
    .argument('<file>', 'permit (eCITES XML or JSON)')
    .option('--json', 'machine-readable output')
    .action((file: string, o: { json?: boolean }) => {
      const text = readText(file, 'permit')
      const { permit: p, format } = importPermit(text)
      const signature = format === 'json' ? undefined : describeSignature(text)
      const info = { format, sha256: sha256(text), party: permitParty(p), number: p.number, signature, permit: p }
      if (o.json === true) { json(io, info); return }
      io.out(`${formatPermit(p)}  format      ${format}\n  sha256      ${info.sha256}\n`)
      if (signature === undefined) io.out('  signature   none\n')
      else if ('error' in signature) io.out(`  signature   present but outside the profile: ${signature.error}\n`)
      else io.out(`  signature   ${signature.algorithm}\n  signer cert ${signature.subject} (sha256 ${signature.certificateSha256.slice(0, 16)}...)\n  (run "permit verify" to check it against the trust list)\n`)
    })
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex')

function describeSignature (xml: string): undefined | { error: string } | { algorithm: string, subject: string, certificateSha256: string } {
  let doc: Document
  try { doc = parseXml(xml) } catch (err) { return { error: (err as Error).message } }
  if (doc.getElementsByTagNameNS(NS_DSIG, 'Signature').length === 0) return undefined
  try {
    const s = checkSignatureStructure(doc)
    const cert = s.keyInfoCertificates[0]
    if (cert === undefined) return { error: 'no certificate in KeyInfo' }
    const info = parseCertificate(cert)
    return { algorithm: s.signatureMethod.split('#')[1] ?? s.signatureMethod, subject: info.subject, certificateSha256: info.sha256 }
  } catch (err) {
    return { error: (err as Error).message }
  }
}

type AddressFlags = { [K in `${'issuer' | 'exporter' | 'importer'}${'Street' | 'City' | 'Postcode' | 'CountryName'}`]?: string }

interface NewOptions extends AddressFlags {
  number?: string; type: string; copy?: boolean; party?: string; issuerName?: string; exporter?: string; exporterCountry?: string
  importer?: string; importerCountry?: string; purpose: string; validFrom?: Date; validMonths?: string; validUntil?: Date; issueDate?: Date; line: string[]
  commonName: string[]; description: string[]; marks: string[]; quota: string[]; origin: string[]; lastReexport: string[]; exported: string[]
  importPermit?: string; reference: string[]; replaces?: string; reason?: string; condition: string[]; securityStamp?: string
  signatory?: string; place?: string; signatoryDate?: Date; transportDocument?: string
  endorsementPort?: string; endorsementDate?: Date; endorsementOfficer?: string; interactive?: boolean; out?: string
}

/** `ID:REST` of the per-line flags: the line it names (which must exist) and the rest split into at most `parts` fields (the last keeps its colons). */
function lineField (lines: PermitLine[], flag: string, spec: string, parts: number): { line: PermitLine, fields: string[] } {
  const i = spec.indexOf(':')
  const id = i < 0 ? spec : spec.slice(0, i)
  const line = lines.find((l) => l.id === id.trim())
  if (i < 0 || line === undefined) throw new CliError('USAGE', `--${flag} "${spec}": start with the ID of a --line (${lines.map((l) => l.id).join(', ')}), then a colon`)
  const rest = spec.slice(i + 1).split(':')
  const fields = [...rest.slice(0, parts - 1), ...(rest.length >= parts ? [rest.slice(parts - 1).join(':')] : [])].map((x) => x.trim())
  return { line, fields }
}

function numberField (flag: string, v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined
  if (!/^\d+(\.\d+)?$/.test(v)) throw new CliError('USAGE', `--${flag}: "${v}" is not a number`)
  return Number(v)
}

/** A document reference from "NUMBER[:DATE]" fields (absent parts stay absent). */
function docRef (id: string | undefined, date: string | undefined): { id?: string, issueDate?: string } | undefined {
  const r = { ...(id !== undefined && id !== '' ? { id } : {}), ...(date !== undefined && date !== '' ? { issueDate: date } : {}) }
  return Object.keys(r).length > 0 ? r : undefined
}

/** The per-line flags: Boxes 9, 11a, 12, 12a, 14 and marks. */
function applyLineFlags (lines: PermitLine[], o: NewOptions): void {
  for (const s of o.commonName) { const { line, fields } = lineField(lines, 'common-name', s, 1); line.commonName = fields[0] ?? '' }
  for (const s of o.description) { const { line, fields } = lineField(lines, 'description', s, 1); line.description = fields[0] ?? '' }
  for (const s of o.marks) { const { line, fields } = lineField(lines, 'marks', s, 1); line.marks = fields[0] ?? '' }
  for (const s of o.quota) {
    const { line, fields } = lineField(lines, 'quota', s, 2)
    const used = numberField('quota', fields[0])
    const annual = numberField('quota', fields[1])
    if (used !== undefined) line.quotaUsed = used
    if (annual !== undefined) line.quotaAnnual = annual
  }
  for (const s of o.origin) {
    const { line, fields } = lineField(lines, 'origin', s, 3)
    if ((fields[0] ?? '') === '') throw new CliError('USAGE', `--origin "${s}": give the country of origin, e.g. A:TH:TH-2025-0042`)
    line.originCountry = partyOption(fields[0] as string)
    const ref = docRef(fields[1], fields[2])
    if (ref !== undefined) line.originPermit = ref
  }
  for (const s of o.lastReexport) {
    const { line, fields } = lineField(lines, 'last-reexport', s, 3)
    if ((fields[0] ?? '') === '') throw new CliError('USAGE', `--last-reexport "${s}": give the country of last re-export`)
    line.exportCountry = partyOption(fields[0] as string)
    const ref = docRef(fields[1], fields[2])
    if (ref !== undefined) line.lastReexport = ref
  }
  for (const s of o.exported) {
    const { line, fields } = lineField(lines, 'exported', s, 2)
    const q = numberField('exported', fields[0])
    if (q === undefined) throw new CliError('USAGE', `--exported "${s}": use ID:QUANTITY[:UNIT]`)
    line.exportedQuantity = q
    if ((fields[1] ?? '') !== '') line.exportedUnit = fields[1] as string
  }
}

function parseLine (spec: string): PermitLine {
  const f = spec.split(':').map((x) => x.trim())
  if (f.length < 6 || f.length > 7) throw new CliError('USAGE', `--line "${spec}": use ID:Scientific name:Appendix:Source:Term:Quantity[:Unit]`)
  const [id, scientificName, appendix, source, term, q, unit] = f as [string, string, string, string, string, string, string | undefined]
  if (!/^\d+(\.\d+)?$/.test(q)) throw new CliError('USAGE', `--line "${spec}": quantity "${q}" is not a number`)
  const l: PermitLine = { id, scientificName, appendix, source, term, quantity: Number(q) }
  if (unit !== undefined && unit !== '') l.unit = unit
  return l
}

/** Box 3, 4 or 6 from its flags. */
function tradeParty (o: NewOptions, who: 'issuer' | 'exporter' | 'importer', name: string | undefined, country: string | undefined): Record<string, unknown> {
  const address = {
    ...(o[`${who}Street`] !== undefined ? { street: o[`${who}Street`] } : {}),
    ...(o[`${who}City`] !== undefined ? { city: o[`${who}City`] } : {}),
    ...(o[`${who}Postcode`] !== undefined ? { postcode: o[`${who}Postcode`] } : {}),
    country,
    ...(o[`${who}CountryName`] !== undefined ? { countryName: o[`${who}CountryName`] } : {})
  }
  return { ...(name !== undefined ? { name } : {}), address }
}

function buildPermit (o: NewOptions): Permit {
  const missing = [['--number', o.number], ['--party', o.party], ['--exporter-country', o.exporterCountry], ['--importer-country', o.importerCountry]]
    .filter(([, v]) => v === undefined).map(([k]) => k)
  if (o.line.length === 0) missing.push('--line')
  if (missing.length > 0) throw new CliError('USAGE', `missing ${missing.join(', ')} (or use --interactive)`)
  if (!Object.hasOwn(DOCUMENT_TYPES, o.type)) throw new CliError('USAGE', `--type must be one of ${Object.keys(DOCUMENT_TYPES).join(', ')}`)
  const from = o.validFrom ?? new Date(new Date().toISOString().slice(0, 10))
  if (o.validUntil !== undefined && o.validMonths !== undefined) throw new CliError('USAGE', 'give --valid-until or --valid-months, not both')
  const months = o.validMonths === undefined ? maxValidityMonths(o.type) : Number(o.validMonths)
  if (!Number.isInteger(months) || months < 1) throw new CliError('USAGE', '--valid-months must be a whole number of at least 1')
  let until = new Date(from)
  until.setUTCMonth(until.getUTCMonth() + months)
  until.setUTCSeconds(until.getUTCSeconds() - 1)
  if (o.validUntil !== undefined) until = o.validUntil
  const lines = o.line.map(parseLine)
  applyLineFlags(lines, o)
  const p: Record<string, unknown> = {
    number: o.number,
    type: o.type,
    validFrom: from.toISOString(),
    validUntil: until.toISOString(),
    issueDate: (o.issueDate ?? new Date()).toISOString(),
    purpose: o.purpose,
    issuer: tradeParty(o, 'issuer', o.issuerName, o.party),
    consignor: tradeParty(o, 'exporter', o.exporter, o.exporterCountry),
    consignee: tradeParty(o, 'importer', o.importer, o.importerCountry),
    lines
  }
  if (o.copy === true) p.copy = true
  if (o.condition.length > 0) p.conditions = o.condition
  if (o.securityStamp !== undefined) p.securityStamp = o.securityStamp
  const references = o.reference.map((spec) => {
    const [typeCode, id, ...date] = spec.split(':').map((x) => x.trim())
    if (typeCode === undefined || typeCode === '' || id === undefined || id === '') throw new CliError('USAGE', `--reference "${spec}": use TYPE:ID[:DATE], e.g. I:US-2026-0042`)
    return { typeCode, id, ...(date.length > 0 ? { issueDate: date.join(':') } : {}) }
  })
  if (o.importPermit !== undefined) references.unshift({ id: o.importPermit, typeCode: 'I' })
  if (references.length > 0) p.references = references
  if (o.signatory !== undefined || o.place !== undefined || o.signatoryDate !== undefined) {
    p.signatory = { ...(o.signatory !== undefined ? { name: o.signatory } : {}), ...(o.place !== undefined ? { place: o.place } : {}), ...(o.signatoryDate !== undefined ? { date: o.signatoryDate.toISOString() } : {}) }
  }
  if (o.transportDocument !== undefined) p.transportDocument = o.transportDocument
  if (o.endorsementPort !== undefined || o.endorsementDate !== undefined || o.endorsementOfficer !== undefined) {
    p.endorsement = { ...(o.endorsementDate !== undefined ? { date: o.endorsementDate.toISOString() } : {}), ...(o.endorsementPort !== undefined ? { port: o.endorsementPort.toUpperCase() } : {}), ...(o.endorsementOfficer !== undefined ? { officer: o.endorsementOfficer } : {}) }
  }
  if (o.replaces !== undefined || o.reason !== undefined) p.replacement = { replaces: o.replaces ?? '', ...(o.reason !== undefined ? { reason: o.reason } : {}) }
  // The JSON schema is the single gate for shape, as for any back-office input.
  return permitFromJson(p)
}

async function ask (o: NewOptions): Promise<void> {
  // Lines are read through the async iterator, which buffers them: with
  // piped input, rl.question() would drop lines that arrive early.
  const rl = createInterface({ input: process.stdin, terminal: false })
  const lines = rl[Symbol.asyncIterator]()
  try {
    const q = async (label: string, def?: string): Promise<string> => {
      process.stderr.write(`${label}${def !== undefined ? ` [${def}]` : ''}: `)
      const next = await lines.next()
      if (next.done === true) throw new CliError('USAGE', `input ended before "${label}" was answered`)
      const a = String(next.value).trim()
      return a === '' ? (def ?? '') : a
    }
    o.number ??= await q('Permit number (Box 1)')
    o.type = (await q('Document type E/I/R/O', o.type)).toUpperCase()
    o.party ??= partyOption(await q('Issuing party (Box 6), e.g. CH'))
    o.issuerName ??= await q('Issuing authority name', '') || undefined
    o.exporter ??= await q('Exporter name (Box 4)', '') || undefined
    o.exporterCountry ??= partyOption(await q('Exporter country', o.type === 'I' ? undefined : o.party))
    o.importer ??= await q('Importer name (Box 3)', '') || undefined
    o.importerCountry ??= partyOption(await q('Importer country', o.type === 'I' ? o.party : undefined))
    o.purpose = (await q('Purpose code (Box 5a)', o.purpose)).toUpperCase()
    while (o.line.length === 0 || (await q('Add another line? y/n', 'n')).toLowerCase() === 'y') {
      const id = String.fromCharCode(65 + o.line.length)
      const sp = await q(`Line ${id}: scientific name`)
      const app = await q(`Line ${id}: appendix I/II/III`, 'II')
      const src = await q(`Line ${id}: source code`, 'W')
      const term = await q(`Line ${id}: term code`, 'LIV')
      const qty = await q(`Line ${id}: quantity`)
      const unit = await q(`Line ${id}: unit (empty = specimens)`, '')
      o.line.push([id, sp, app, src, term, qty, unit].join(':'))
      // Box 12: a re-export must name where the specimens came from (other types: --origin).
      if (o.type === 'R') {
        const origin = await q(`Line ${id}: country of origin (Box 12)`)
        const originPermit = await q(`Line ${id}: origin permit number`)
        o.origin.push([id, origin, originPermit].join(':'))
      }
    }
  } finally {
    rl.close()
  }
}

