/**
 * The permit officer's acts with the real `cites` binary against real node
 * services (issue 20, finding 9): `cites issue|endorse|cancel|replace` with
 * the exit codes and `--json` of `verify` and `consume`; `permit new`
 * filling Box 12 so a re-export can be made at all; and a ledger a running
 * node holds answered in one line that names the node and what to use.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { BIN, cites, citesWithInput } from './run-cli.js'
import { ok, startTwoNodes, type TwoNodes } from './two-node-service.js'

describe('cites issue | endorse | cancel | replace against a running node', () => {
  let net: TwoNodes
  const year = String(new Date().getUTCFullYear())
  const newPermit = (number: string, ...extra: string[]): string => ok(net.dir, 'permit', 'new', '--number', number, '--party', 'CH', '--exporter-country', 'CH', '--importer-country', 'TH', '--line', 'A:Python regius:II:C:LIV:50:PCS', ...extra)
  const issue = (json: string): ReturnType<typeof cites> => citesWithInput(net.dir, json, 'issue', '-', '--node', net.chUrl, '--token', net.ch.tokens.issuer, '--json')

  beforeAll(async () => { net = await startTwoNodes('cites-officer-') })
  afterAll(() => { net?.stop() })

  it('issues from `permit new` on stdin (exit 0), and a re-export whose origin was set with --origin', () => {
    const r = issue(newPermit('26CHT0001'))
    expect(r.code, r.err).toBe(0)
    expect(JSON.parse(r.out)).toMatchObject({ party: 'CH', number: '26CHT0001', status: 'ISSUED' })
    // The finding: `--type R` could not set Box 12, so every re-export failed REEXPORT_ORIGIN_MISSING.
    const reexport = ok(net.dir, 'permit', 'new', '--number', '26CHT0002', '--type', 'R', '--party', 'CH', '--exporter-country', 'CH', '--importer-country', 'TH',
      '--line', 'A:Python regius:II:C:LIV:5:PCS', '--origin', 'A:GH:GH-2025-0042:2025-11-03', '--description', 'A:live, captive-bred', '--exporter', 'Alpine Herpetoculture AG', '--exporter-city', 'Zurich')
    expect(JSON.parse(reexport)).toMatchObject({ type: 'R', consignor: { address: { city: 'Zurich', country: 'CH' } }, lines: [{ originCountry: 'GH', originPermit: { id: 'GH-2025-0042', issueDate: '2025-11-03' }, description: 'live, captive-bred' }] })
    const human = citesWithInput(net.dir, reexport, 'issue', '-', '--node', net.chUrl, '--token', net.ch.tokens.issuer)
    expect(human.code, human.err).toBe(0)
    expect(human.out).toMatch(/^CH\/26CHT0002: issued \(ISSUED\); signed XML sha256 [0-9a-f]{64}$/m)
  })

  it('refuses an Appendix I export without its import permit or citing one TH never issued (exit 1, the code), warns for a destination off the network, refuses a malformed file and a customs token (exit 2)', () => {
    const bad = JSON.parse(newPermit('26CHT0003')) as { lines: Array<{ appendix: string }> }
    for (const l of bad.lines) l.appendix = 'I'
    const r = issue(JSON.stringify(bad))
    expect(r.code, r.out + r.err).toBe(1)
    expect(JSON.stringify(JSON.parse(r.out))).toContain('APPENDIX_I_IMPORT_PERMIT_MISSING')
    const human = citesWithInput(net.dir, JSON.stringify(bad), 'issue', '-', '--node', net.chUrl, '--token', net.ch.tokens.issuer)
    expect(human.code).toBe(1)
    expect(human.out).toContain('permit 26CHT0003: REFUSED')
    expect(human.out).toContain('APPENDIX_I_IMPORT_PERMIT_MISSING')
    // With the import permit cited: checked in TH's log (issue 20 #3); one TH never issued is refused, exit 1.
    const cited = (number: string, importer: string, importPermit: string): string => ok(net.dir, 'permit', 'new', '--number', number, '--party', 'CH', '--exporter-country', 'CH', '--importer-country', importer, '--line', 'A:Python regius:I:C:LIV:5:PCS', '--import-permit', importPermit)
    const nowhere = citesWithInput(net.dir, cited('26CHT0006', 'TH', 'TH-DOES-NOT-EXIST-9'), 'issue', '-', '--node', net.chUrl, '--token', net.ch.tokens.issuer)
    expect(nowhere.code, nowhere.out + nowhere.err).toBe(1)
    expect(nowhere.out).toContain('permit 26CHT0006: REFUSED IMPORT_PERMIT_NOT_FOUND: TH/TH-DOES-NOT-EXIST-9 is not in TH\'s log')
    // A destination off the network: issued, with the warning printed.
    const off = citesWithInput(net.dir, cited('26CHT0007', 'JP', 'JP-2026-0001'), 'issue', '-', '--node', net.chUrl, '--token', net.ch.tokens.issuer)
    expect(off.code, off.out + off.err).toBe(0)
    expect(off.out).toContain('warning IMPORT_PERMIT_UNCHECKED: JP is not on the network')
    expect(citesWithInput(net.dir, '{"number":', 'issue', '-', '--node', net.chUrl, '--token', net.ch.tokens.issuer).code).toBe(2)
    const customs = citesWithInput(net.dir, newPermit('26CHT0005'), 'issue', '-', '--node', net.chUrl, '--token', net.ch.tokens.customs, '--json')
    expect(customs.code).toBe(2)
    expect(customs.err).toContain('ROLE_FORBIDDEN')
  })

  it('endorses a smaller quantity at the port of export, refuses more than the permit allows (exit 1), and the import uses it', async () => {
    expect(issue(newPermit('26CHT0010')).code).toBe(0)
    const over = cites(net.dir, 'endorse', 'CH/26CHT0010', '--node', net.chUrl, '--token', net.ch.tokens.customs, '--port', 'CHZRH', '--line', 'A:51:PCS', '--json')
    expect(over.code, over.out + over.err).toBe(1)
    expect((JSON.parse(over.err) as { error: { code: string } }).error.code).toBe('QUANTITY_EXCEEDED')
    const e = cites(net.dir, 'endorse', 'CH/26CHT0010', '--node', net.chUrl, '--token', net.ch.tokens.customs, '--port', 'chzrh', '--line', 'A:48:PCS', '--officer', 'B. Zoll')
    expect(e.code, e.out + e.err).toBe(0)
    expect(e.out).toBe('CH/26CHT0010: endorsed at CHZRH (A 48 PCS), status ENDORSED\n')
    const viewer = cites(net.dir, 'endorse', 'CH/26CHT0010', '--node', net.chUrl, '--token', net.ch.tokens.viewer, '--port', 'CHZRH', '--line', 'A:1:PCS')
    expect(viewer.code).toBe(2)
    expect(viewer.err).toContain('ROLE_FORBIDDEN')
    let used = cites(net.dir, 'consume', 'CH/26CHT0010', '--node', net.thUrl, '--token', net.th.tokens.customs, '--port', 'THBKK', '--line', 'A:48:PCS', '--json')
    for (let i = 0; i < 50 && used.code !== 0 && used.err.includes('ISSUER_UNREACHABLE'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      used = cites(net.dir, 'consume', 'CH/26CHT0010', '--node', net.thUrl, '--token', net.th.tokens.customs, '--port', 'THBKK', '--line', 'A:48:PCS', '--json')
    }
    expect(used.code, used.out + used.err).toBe(0)
    // A used permit cannot be cancelled: refused by the ledger's rule, exit 1.
    const cancel = cites(net.dir, 'cancel', 'CH/26CHT0010', '--node', net.chUrl, '--token', net.ch.tokens.issuer, '--reason', 'too late', '--json')
    expect(cancel.code, cancel.out + cancel.err).toBe(1)
    expect((JSON.parse(cancel.err) as { error: { code: string } }).error.code).toBe('ALREADY_CONSUMED')
  })

  it('cancels with a reason (exit 0); a second cancellation and an unknown permit are refused (exit 1)', () => {
    expect(issue(newPermit('26CHT0020')).code).toBe(0)
    const c = cites(net.dir, 'cancel', 'CH/26CHT0020', '--node', net.chUrl, '--token', net.ch.tokens.issuer, '--reason', 'applicant withdrew')
    expect(c.code, c.out + c.err).toBe(0)
    expect(c.out).toBe('CH/26CHT0020: cancelled (applicant withdrew)\n')
    const again = cites(net.dir, 'cancel', 'CH/26CHT0020', '--node', net.chUrl, '--token', net.ch.tokens.issuer, '--reason', 'again')
    expect(again.code).toBe(1)
    expect(again.out).toContain('REFUSED PERMIT_CANCELLED')
    const unknown = cites(net.dir, 'cancel', 'CH/26CH999999', '--node', net.chUrl, '--token', net.ch.tokens.issuer, '--reason', 'x', '--json')
    expect(unknown.code).toBe(1)
    expect(unknown.err).toContain('PERMIT_NOT_FOUND')
  })

  it('replaces: the new permit names the original and the reason in its signed XML; another authority\'s permit is a usage error', async () => {
    expect(issue(newPermit('26CHT0030')).code).toBe(0)
    const r = citesWithInput(net.dir, newPermit('26CHT0031'), 'replace', 'CH/26CHT0030', '-', '--reason', 'lost', '--details', 'original lost in transit', '--node', net.chUrl, '--token', net.ch.tokens.issuer, '--json')
    expect(r.code, r.out + r.err).toBe(0)
    expect(JSON.parse(r.out)).toMatchObject({ party: 'CH', number: '26CHT0031', replaces: 'CH/26CHT0030', reason: 'lost' })
    const xml = await (await fetch(`${net.chUrl}/v1/permits/CH/26CHT0031`, { headers: { authorization: `Bearer ${net.ch.tokens.viewer}`, accept: 'application/xml' } })).text()
    expect(xml).toContain('Replaces: 26CHT0030')
    expect(xml).toContain('Reason: lost\nDetails: original lost in transit')
    // The original is replaced in the same act: refused from now on, naming its replacement.
    const original = await (await fetch(`${net.chUrl}/v1/permits/CH/26CHT0030`, { headers: { authorization: `Bearer ${net.ch.tokens.viewer}` } })).json() as { status: string }
    expect(original.status).toBe('REPLACED')
    // A reason that is none of lost, stolen, damaged, error is a usage error.
    expect(citesWithInput(net.dir, newPermit('26CHT0033'), 'replace', 'CH/26CHT0031', '-', '--reason', 'because', '--node', net.chUrl, '--token', net.ch.tokens.issuer).code).toBe(2)
    const other = citesWithInput(net.dir, newPermit('26CHT0032'), 'replace', 'TH/26TH0001', '-', '--reason', 'lost', '--node', net.chUrl, '--token', net.ch.tokens.issuer)
    expect(other.code).toBe(2)
    expect(other.err).toContain('a replacement is issued by the same authority')
  })

  it('a ledger held by a running node: one LEDGER_LOCKED line naming the node and `--node`, no stack; the report through the node instead', () => {
    const r = cites(net.dir, 'ledger', 'report', '--db', 'nodes/CH/data/ledger', '--year', year, '--kind', 'exports')
    expect(r.code).toBe(2)
    expect(r.err.trim().split('\n')).toHaveLength(1)
    expect(r.err).toContain('error [LEDGER_LOCKED]: the ledger at nodes/CH/data/ledger is in use by the running node of CH (nodes/CH, ')
    expect(r.err).toContain(`cites ledger report --node ${net.chUrl} --token <issuer token> --year ${year}`)
    expect(r.err).not.toMatch(/\n\s+at |INTERNAL|Database failed to open/)
    const j = cites(net.dir, 'ledger', 'show', 'CH', '26CHT0001', '--db', 'nodes/CH/data/ledger', '--json')
    expect(j.code).toBe(2)
    expect((JSON.parse(j.err) as { error: { code: string } }).error.code).toBe('LEDGER_LOCKED')
    // A second `node start` on the same folder: refused the same way, before it listens.
    const twice = spawnSync(process.execPath, [BIN, 'node', 'start', '--dir', 'nodes/CH'], { cwd: net.dir, encoding: 'utf8', timeout: 60_000 })
    expect(twice.status).toBe(2)
    expect(twice.stderr).toContain('error [LEDGER_LOCKED]')
    const csv = cites(net.dir, 'ledger', 'report', '--node', net.chUrl, '--token', net.ch.tokens.issuer, '--year', year, '--kind', 'exports')
    expect(csv.code, csv.err).toBe(0)
    expect(csv.out.split('\n')[0]).toBe('appendix,species_name,term_code,quantity,unit_code,trading_partner,country_of_origin,export_permit,origin_permit,ifs_permit,purpose_code,source_code,year')
    expect(csv.out).toContain(',48,,TH,,26CHT0010,') // Box 14's 48, a blank unit for a number of specimens
  })

  it('report add-paper: a paper permit from a party not on the network, entered while the node runs, is in its report; codes the Trade Database refuses are refused (issue 14)', () => {
    const paper = ['report', 'add-paper', '--dir', 'nodes/CH', '--kind', 'import', '--partner', 'MG', '--permit', 'MG-0191', '--import-permit', '26CHT9001',
      '--species', 'Furcifer pardalis', '--term', 'LIV', '--quantity', '40', '--source', 'W', '--purpose', 'T', '--appendix', 'II', '--year', year]
    const pcs = cites(net.dir, ...paper, '--unit', 'PCS')
    expect([pcs.code, pcs.err]).toEqual([2, expect.stringContaining('error [PAPER_PERMIT_INVALID]: the Trade Database does not allow term LIV with unit PCS')])
    const carat = cites(net.dir, ...paper, '--unit', 'CTM')
    expect([carat.code, carat.err]).toEqual([2, expect.stringContaining('does not allow term LIV with unit CTM')])
    expect(cites(net.dir, ...paper.map((a) => a === 'MG' ? 'QQ' : a)).err).toContain('--partner "QQ" is not a Trade Database country code')
    const added = cites(net.dir, ...paper, '--json')
    expect(added.code, added.err).toBe(0)
    expect(JSON.parse(added.out)).toMatchObject({ kind: 'import', partner: 'MG', permit: 'MG-0191', unit: '', year: Number(year) })
    expect(cites(net.dir, 'report', 'list-paper', '--dir', 'nodes/CH').out).toContain('MG/MG-0191')
    // Both files through the running node, named after its party.
    const both = cites(net.dir, 'ledger', 'report', '--node', net.chUrl, '--token', net.ch.tokens.issuer, '--year', year, '--out', 'reports')
    expect(both.code, both.err).toBe(0)
    const imports = readFileSync(join(net.dir, 'reports', `cites-annual-report-CH-${year}-imports.csv`), 'utf8')
    expect(imports.split('\n')[1]).toBe(`II,Furcifer pardalis,LIV,40,,MG,,26CHT9001,MG-0191,,,T,W,${year}`)
    expect(readFileSync(join(net.dir, 'reports', `cites-annual-report-CH-${year}-exports.csv`), 'utf8')).toMatch(/^appendix,species_name,term_code,quantity,unit_code,trading_partner,country_of_origin,export_permit,/)
    const usage = cites(net.dir, 'ledger', 'report', '--node', net.chUrl, '--token', net.ch.tokens.issuer, '--year', year)
    expect([usage.code, usage.err]).toEqual([2, expect.stringContaining('give --out <dir> for both files, or --kind exports|imports')])
  })
})
