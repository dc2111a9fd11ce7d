/**
 * The permit officer's acts against a running node, through its HTTP API:
 * `cites issue`, `cites endorse`, `cites cancel` and `cites replace`. Same
 * conventions as `cites verify` and `cites consume`: `--node`, `--token`,
 * `--json`, and exit 0 done, 1 refused by the node (with its code and
 * problems), 2 usage, input, token or role errors.
 */
import { Option, type Command } from 'commander'
import { readFileSync } from 'node:fs'
import { REPLACEMENT_REASONS, importPermit, permitParty, type Permit, type ReplacementReason } from '@cites/permit'
import { CliError, json, readText, type Io } from '../io.js'
import { formatProblems } from '../format.js'
import { callNode, parsePermitId, permitPath, refusal, type NodeAnswer, type Problem } from '../client.js'
import { lineOption } from './node.js'
import { tokenOf, withToken, type TokenOptions } from '../token.js'
import { collect } from './options.js'

interface NodeOptions extends TokenOptions { node: string, json?: boolean }

const withNode = (c: Command, role: string): Command => withToken(c
  .requiredOption('--node <url>', 'the node\'s HTTP address, e.g. http://127.0.0.1:8080'), role)
  .option('--json', 'print the node\'s answer as JSON')

/** A permit file's text, or stdin for "-" (so `cites permit new ... | cites issue -` works). */
function readPermitText (file: string): string {
  if (file !== '-') return readText(file, 'permit')
  try { return readFileSync(0, 'utf8') } catch (err) { throw new CliError('FILE_UNREADABLE', `cannot read the permit from stdin: ${(err as Error).message}`) }
}

/** What a permit file holds, as the node takes it: unsigned eCITES XML as text, the JSON form as an object. */
function permitBody (text: string): string | Record<string, unknown> {
  if (text.trimStart().startsWith('<')) return text
  try {
    const v = JSON.parse(text) as unknown
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object')
    return v as Record<string, unknown>
  } catch (err) {
    throw new CliError('PERMIT_JSON_INVALID', `the permit is neither eCITES XML nor the JSON form: ${(err as Error).message}`)
  }
}

/** Print a refusal for people (with --json the answer is printed as it is), then fail with the node's code. */
function refused (io: Io, o: NodeOptions, id: string, r: NodeAnswer): never {
  const p = r.body as Problem
  if (o.json === true) json(io, r.body)
  else {
    io.out(`${id}: REFUSED ${p.code ?? r.status}: ${p.detail ?? ''}\n`)
    if (p.problems !== undefined && p.problems.length > 0) io.out(formatProblems(p.problems))
  }
  throw refusal(r)
}

interface IssueAnswer { party: string, number: string, status: string, sha256: string, warnings?: Array<{ code: string, message: string }> }

function printIssued (io: Io, a: IssueAnswer, replaces?: string): void {
  io.out(`${a.party}/${a.number}: issued (${a.status})${replaces !== undefined ? `, replacing ${replaces}` : ''}; signed XML sha256 ${a.sha256}\n`)
  for (const w of a.warnings ?? []) io.out(`  warning ${w.code}: ${w.message}\n`)
}

export function officerCommands (program: Command, io: Io): void {
  withNode(program.command('issue'), 'an issuer')
    .description('issue a permit through a running node: checked, signed, recorded and sent (exit 0 issued, 1 refused)')
    .argument('<file>', 'the permit: the JSON form or unsigned eCITES XML; "-" reads stdin (e.g. from `cites permit new`)')
    .action(async (file: string, o: NodeOptions) => {
      const body = permitBody(readPermitText(file))
      const r = await callNode(o.node, tokenOf(o), '/v1/permits', body)
      const label = typeof body === 'object' && typeof body.number === 'string' ? `permit ${body.number}` : 'permit'
      if (r.status !== 201) refused(io, o, label, r)
      if (o.json === true) json(io, r.body); else printIssued(io, r.body as unknown as IssueAnswer)
    })

  withNode(program.command('replace'), 'an issuer')
    .description('issue a replacement of one of this authority\'s permits (Res. Conf. 12.3): the new permit names the original and the reason')
    .argument('<original>', 'the permit replaced, PARTY/NUMBER')
    .argument('<file>', 'the replacement permit: JSON form or unsigned eCITES XML; "-" reads stdin')
    .addOption(new Option('--reason <reason>', 'why the original is replaced (Res. Conf. 12.3)').choices([...REPLACEMENT_REASONS]).makeOptionMandatory())
    .option('--details <text>', 'in words, e.g. "original lost in transit" (signed in Box 5)')
    .action(async (original: string, file: string, o: NodeOptions & { reason: ReplacementReason, details?: string }) => {
      const { party, number } = parsePermitId(original)
      let permit: Permit
      try { permit = importPermit(readPermitText(file)).permit } catch (err) {
        if (err instanceof CliError) throw err
        throw new CliError((err as { code?: string }).code ?? 'PERMIT_INVALID', `the replacement permit does not read: ${(err as Error).message}`)
      }
      const issuer = permitParty(permit)
      if (issuer !== undefined && issuer !== party) throw new CliError('USAGE', `${original} is ${party}'s; a replacement is issued by the same authority, but this permit's Box 6 is ${issuer}`)
      if (permit.number === number) throw new CliError('USAGE', 'a replacement has a number of its own')
      if (permit.replacement !== undefined && permit.replacement.replaces !== number) throw new CliError('USAGE', `the permit file already replaces ${permit.replacement.replaces}, not ${number}`)
      permit.replacement = { replaces: number, reason: o.reason, ...(o.details !== undefined ? { details: o.details } : {}) }
      const r = await callNode(o.node, tokenOf(o), '/v1/permits', permit)
      if (r.status !== 201) refused(io, o, `replacement ${permit.number} of ${original}`, r)
      if (o.json === true) json(io, { ...r.body, replaces: `${party}/${number}`, reason: o.reason }); else printIssued(io, r.body as unknown as IssueAnswer, `${party}/${number} (${o.reason})`)
    })

  withNode(program.command('endorse'), 'a customs')
    .description('record the export endorsement (Box 14) of one of this authority\'s permits at its port of export (exit 0 recorded, 1 refused)')
    .argument('<permit>', 'PARTY/NUMBER')
    .requiredOption('--port <locode>', 'UN/LOCODE of the port of export, e.g. CHZRH')
    .option('--line <LINE:QTY[:UNIT]>', 'quantity actually exported per line (repeatable)', collect, [])
    .option('--officer <name>', 'the endorsing officer')
    .action(async (id: string, o: NodeOptions & { port: string, line: string[], officer?: string }) => {
      const { party, number } = parsePermitId(id)
      if (o.line.length === 0) throw new CliError('USAGE', 'give at least one --line A:48[:unit]')
      const r = await callNode(o.node, tokenOf(o), permitPath(party, number, '/endorsements'), { lines: o.line.map(lineOption), port: o.port.toUpperCase(), ...(o.officer !== undefined ? { officer: o.officer } : {}) })
      if (r.status !== 201) refused(io, o, `${party}/${number}`, r)
      if (o.json === true) { json(io, r.body); return }
      const e = (r.body as { endorsement?: { lines: Array<{ line: string, quantity: number, unit: string }>, port: string } }).endorsement
      io.out(`${party}/${number}: endorsed at ${e?.port ?? o.port.toUpperCase()} (${(e?.lines ?? []).map((l) => `${l.line} ${l.quantity}${l.unit !== '' ? ` ${l.unit}` : ''}`).join(', ')}), status ${String(r.body.status)}\n`)
    })

  withNode(program.command('cancel'), 'an issuer')
    .description('cancel one of this authority\'s permits, with the reason (exit 0 cancelled, 1 refused)')
    .argument('<permit>', 'PARTY/NUMBER')
    .requiredOption('--reason <text>', 'why it is cancelled')
    .action(async (id: string, o: NodeOptions & { reason: string }) => {
      const { party, number } = parsePermitId(id)
      const r = await callNode(o.node, tokenOf(o), permitPath(party, number, '/cancellation'), { reason: o.reason })
      if (r.status !== 201) refused(io, o, `${party}/${number}`, r)
      if (o.json === true) json(io, r.body); else io.out(`${party}/${number}: cancelled (${o.reason})\n`)
    })
}
