/** Exit codes: 0 ok/valid, 1 invalid/refused with reasons, 2 usage or input error with a stable code. */
import { describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { VECTORS } from '@cites/test-kit/base'
import { spawnSync } from 'node:child_process'
import { BIN, checkCodes, cites, citesWithInput } from './run-cli.js'

const dir = mkdtempSync(join(tmpdir(), 'cites-exit-'))

describe('cites exit codes and errors', () => {
  it('2 for usage errors: unknown command, missing option, bad option value', () => {
    expect(cites(dir, 'frobnicate').code).toBe(2)
    expect(cites(dir, 'keys', 'generate').code).toBe(2)
    const bad = cites(dir, 'keys', 'generate', '--party', 'QQ', '--out', 'k')
    expect(bad.code).toBe(2)
    expect(bad.err).toContain('not an ISO 3166-1 alpha-2 code')
    expect(cites(dir, 'keys', 'generate', '--party', 'CH', '--anchor', '--out', 'k').code).toBe(2)
  })

  it('`pilot up` reads CITES_PILOT_BASE_PORT as `npm start` does (a bad value is a usage error that names it)', () => {
    const r = spawnSync(process.execPath, [BIN, 'pilot', 'up', '--dir', join(dir, 'never')], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CITES_PILOT_BASE_PORT: 'abc' } })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('CITES_PILOT_BASE_PORT')
  })

  it('0 for --help and --version', () => {
    const h = cites(dir, '--help')
    expect(h.code).toBe(0)
    expect(h.out).toContain('trust-list')
    expect(cites(dir, '--version').code).toBe(0)
  })

  it('2 with FILE_NOT_FOUND for a missing file, as JSON with --json', () => {
    const r = cites(dir, 'permit', 'import', 'nope.xml', '--json')
    expect(r.code).toBe(2)
    expect(JSON.parse(r.err)).toMatchObject({ error: { code: 'FILE_NOT_FOUND' } })
  })

  it('2 with the parser\'s code for hostile or broken XML', () => {
    writeFileSync(join(dir, 'xxe.xml'), '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>')
    expect(cites(dir, 'permit', 'import', 'xxe.xml').err).toContain('XML_DOCTYPE')
    writeFileSync(join(dir, 'broken.xml'), '<CITESEPermit><HeaderExchangedDocument>')
    const r = cites(dir, 'permit', 'import', 'broken.xml', '--json')
    expect(r.code).toBe(2)
    expect(JSON.parse(r.err)).toMatchObject({ error: { code: 'XML_MALFORMED' } })
    writeFileSync(join(dir, 'bad.json'), '{"number": 1}')
    const j = cites(dir, 'permit', 'import', 'bad.json', '--json')
    expect(j.code).toBe(2)
    expect(JSON.parse(j.err)).toMatchObject({ error: { code: 'PERMIT_JSON_INVALID' } })
  })

  it('imports both EPIX samples (exit 0) and diagnoses a permit that breaks the rules (exit 1)', () => {
    for (const v of ['v1', 'v2']) {
      const r = cites(dir, 'permit', 'import', join(VECTORS, `epix/${v}-get-non-final-cites-certificate.xml`), '--json')
      expect(r.code).toBe(0)
      expect(JSON.parse(r.out)).toMatchObject({ format: `ecites-${v}`, valid: true, permit: { number: 'XA000000', type: 'R' } })
    }
    const p = JSON.parse(readFileSync(join(VECTORS, 'permits/ch-export-th.json'), 'utf8')) as { validUntil: string, lines: Array<{ appendix: string }> }
    p.validUntil = '2028-01-01T00:00:00Z'
    p.lines[0]!.appendix = 'IV'
    writeFileSync(join(dir, 'rulebreaker.json'), JSON.stringify(p))
    const r = cites(dir, 'permit', 'import', 'rulebreaker.json', '--json')
    expect(r.code).toBe(1)
    const out = JSON.parse(r.out) as { valid: boolean, problems: Array<{ code: string, box: string }> }
    expect(out.valid).toBe(false)
    expect(out.problems.map((x) => `${x.code}@${x.box}`)).toEqual(expect.arrayContaining(['VALIDITY_TOO_LONG@2', 'APPENDIX_INVALID@10']))
  })

  it('2 when the trust list does not verify against the anchor', () => {
    const r = cites(dir, 'permit', 'verify', '--trust-list', join(VECTORS, 'trust-list/tampered.xml'), '--anchor', join(VECTORS, 'keys/ANCHOR/cert.pem'), join(VECTORS, 'signature/valid/ch-export-th.xml'))
    expect(r.code).toBe(2)
    expect(r.err).toContain('TRUST_LIST_SIGNATURE')
  })

  it('1 for a hostile signed permit, 0 for the valid vector, against the vector trust list', () => {
    const tl = ['--trust-list', join(VECTORS, 'trust-list/valid-seq1.xml'), '--anchor', join(VECTORS, 'keys/ANCHOR/cert.pem'), '--at', '2026-12-01']
    expect(cites(dir, 'permit', 'verify', ...tl, join(VECTORS, 'signature/valid/ch-export-th.xml')).code).toBe(0)
    const r = cites(dir, 'permit', 'verify', ...tl, join(VECTORS, 'signature/attacks/comment-in-text.xml'), '--json')
    expect(r.code).toBe(1)
    expect(checkCodes(r.out).integrity).toBe('INVALID XML_FORBIDDEN_NODE')
  })

  it('permit verify --for: a CH permit made out to TH is not valid for FR (exit 1, NOT_FOR_THIS_PARTY), and is for TH', () => {
    const tl = ['--trust-list', join(VECTORS, 'trust-list/valid-seq1.xml'), '--anchor', join(VECTORS, 'keys/ANCHOR/cert.pem'), '--at', '2026-12-01', '--json']
    const fr = cites(dir, 'permit', 'verify', ...tl, '--for', 'FR', join(VECTORS, 'signature/valid/ch-export-th.xml'))
    expect(fr.code).toBe(1)
    expect(checkCodes(fr.out).destination).toBe('INVALID NOT_FOR_THIS_PARTY')
    const th = cites(dir, 'permit', 'verify', ...tl, '--for', 'TH', join(VECTORS, 'signature/valid/ch-export-th.xml'))
    expect(th.code).toBe(0)
    expect(checkCodes(th.out).destination).toMatch(/^VALID /)
  })

  it('permit new --interactive takes its answers from stdin, and stops cleanly when they run out', () => {
    const answers = ['26CH000200', 'E', 'CH', 'FSVO', 'Exporter AG', '', 'Importer Ltd', 'TH', 'T', 'Python regius', 'II', 'C', 'LIV', '10', '', 'n', ''].join('\n')
    const r = citesWithInput(dir, answers, 'permit', 'new', '--interactive')
    expect(r.code, r.err).toBe(0)
    expect(JSON.parse(r.out)).toMatchObject({ number: '26CH000200', consignor: { address: { country: 'CH' } }, lines: [{ scientificName: 'Python regius', quantity: 10 }] })
    // A re-export asks for Box 12, so it can pass the rules (it always failed REEXPORT_ORIGIN_MISSING: issue 20 #9).
    const reexport = ['26CH000202', 'R', 'CH', '', '', '', '', 'TH', 'T', 'Python regius', 'II', 'C', 'LIV', '10', '', 'GH', 'GH-2025-0042', 'n', ''].join('\n')
    const re = citesWithInput(dir, reexport, 'permit', 'new', '--interactive')
    expect(re.code, re.err).toBe(0)
    expect(JSON.parse(re.out)).toMatchObject({ type: 'R', lines: [{ originCountry: 'GH', originPermit: { id: 'GH-2025-0042' } }] })
    const short = citesWithInput(dir, '26CH000201\n', 'permit', 'new', '--interactive')
    expect(short.code).toBe(2)
    expect(short.err).toContain('input ended')
  })
})
