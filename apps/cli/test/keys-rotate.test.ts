/**
 * `cites keys rotate` with the real binary (issue 15 §5): a new signing key,
 * encrypted at rest, and an enrolment request for the task force, while the
 * key in use stays in use until a verified trust list grants the new
 * certificate. The task force's side is the ordinary `trust-list add/sign`.
 * (The network side of a rotation, nodes restarted on the new key, is
 * packages/node/test/key-rotation.test.ts.)
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { decryptPrivateKey } from '@cites/node'
import { loadSigner, parseCertificate } from '@cites/xml-signature'
import { BIN, type Run } from './run-cli.js'

const PASSPHRASE = 'rotation passphrase for the CLI test'
const HSM = existsSync('/usr/bin/softhsm2-util') ? ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so'].find((p) => existsSync(p)) : undefined
if (HSM === undefined) console.log('[keys-rotate] the PKCS#11 case is skipped: SoftHSM2 is not installed (apt-get install softhsm2; npm test installs it as root)')

describe('cites keys rotate: a new key is enrolled before it is used', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cites-keys-rotate-'))
  afterAll(() => { rmSync(dir, { recursive: true, force: true }) })
  // The passphrase goes to `keys rotate` only: the other keys are plain, which keeps the suite quick (scrypt is slow on purpose).
  const run = (...args: string[]): Run => {
    const { CITES_KEY_PASSPHRASE: _p, CREDENTIALS_DIRECTORY: _c, ...base } = process.env
    const env = { ...base, NO_COLOR: '1', ...(args[1] === 'rotate' ? { CITES_KEY_PASSPHRASE: PASSPHRASE } : {}) }
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', env })
    return { code: r.status ?? -1, out: r.stdout, err: r.stderr }
  }
  const ok = (...args: string[]): Run => { const r = run(...args); expect(r.code, `${args.join(' ')}\n${r.err}`).toBe(0); return r }
  const ch = join(dir, 'keys/CH')
  const file = (p: string): string => readFileSync(join(dir, p), 'utf8')
  let oldKey = ''
  let oldCert = ''
  let newSha = ''

  it('rotate writes an encrypted new key and an enrolment request with no secret, and leaves the key in use alone', () => {
    ok('keys', 'generate', '--anchor', '--out', 'anchor')
    ok('keys', 'generate', '--party', 'CH', '--out', 'keys/CH')
    ok('trust-list', 'create', '--anchor', 'anchor', '--out', 'tl.xml')
    ok('trust-list', 'add', 'tl.xml', '--keys', 'keys/CH', '--name', 'CH MA', '--addr', '/ip4/127.0.0.1/tcp/7001')
    ok('trust-list', 'sign', 'tl.xml', '--anchor', 'anchor')
    oldKey = file('keys/CH/key.pem')
    oldCert = file('keys/CH/cert.pem')

    const r = ok('keys', 'rotate', '--dir', 'keys/CH', '--json')
    const out = JSON.parse(r.out) as { next: string, enrolment: string, certificateSha256: string, replaces: string, party: string, peerId: string }
    newSha = out.certificateSha256
    const id = JSON.parse(file('keys/CH/identity.json')) as { certificateSha256: string, peerId: string }
    expect(out).toMatchObject({ party: 'CH', peerId: id.peerId, replaces: id.certificateSha256 })
    expect(newSha).not.toBe(id.certificateSha256)
    // The key in use is untouched.
    expect(file('keys/CH/key.pem')).toBe(oldKey)
    expect(file('keys/CH/cert.pem')).toBe(oldCert)
    // The new key is encrypted, and belongs to the new certificate.
    const nextKey = file('keys/CH/next/key.pem')
    expect(nextKey).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/)
    expect(parseCertificate(file('keys/CH/next/cert.pem')).sha256).toBe(newSha)
    // The enrolment request carries nothing secret: a certificate and an identity only.
    expect(readdirSync(join(ch, 'next/enrolment')).sort()).toEqual(['cert.pem', 'identity.json'])
    for (const f of ['cert.pem', 'identity.json']) expect(file(`keys/CH/next/enrolment/${f}`)).not.toMatch(/PRIVATE KEY/)
    // A second rotate would overwrite the pending one: refused without --force.
    const again = run('keys', 'rotate', '--dir', 'keys/CH')
    expect(again.code).toBe(2)
    expect(again.err).toContain('KEYS_EXIST')
  })

  it('rotate without a passphrase refuses to write a plain key (KEY_PASSPHRASE_MISSING)', () => {
    const { CITES_KEY_PASSPHRASE: _p, CREDENTIALS_DIRECTORY: _c, ...base } = process.env
    const r = spawnSync(process.execPath, [BIN, 'keys', 'rotate', '--dir', 'keys/CH', '--force'], { cwd: dir, encoding: 'utf8', env: { ...base, NO_COLOR: '1' } })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('KEY_PASSPHRASE_MISSING')
    expect(parseCertificate(file('keys/CH/next/cert.pem')).sha256).toBe(newSha)
  })

  it('an ungranted key is not put in use: --activate against a list without it is CERTIFICATE_NOT_GRANTED, and the key in use stays', () => {
    const r = run('keys', 'rotate', '--dir', 'keys/CH', '--activate', '--trust-list', 'tl.xml', '--anchor', 'anchor')
    expect(r.code).toBe(1)
    expect(r.err).toContain('CERTIFICATE_NOT_GRANTED')
    expect(file('keys/CH/key.pem')).toBe(oldKey)
    // A list the anchor did not sign (edited after signing) does not count either.
    writeFileSync(join(dir, 'forged.xml'), file('tl.xml').replace('CH MA', 'CH MB'))
    const forged = run('keys', 'rotate', '--dir', 'keys/CH', '--activate', '--trust-list', 'forged.xml', '--anchor', 'anchor')
    expect(forged.code).toBe(1)
    expect(file('keys/CH/key.pem')).toBe(oldKey)
  })

  it('once the task force grants the enrolled certificate, --activate puts the new key in use and retires the old one', async () => {
    const added = ok('trust-list', 'add', 'tl.xml', '--keys', 'keys/CH/next/enrolment', '--name', 'CH MA')
    expect(added.out).toContain('added CH')
    ok('trust-list', 'sign', 'tl.xml', '--anchor', 'anchor')
    const shown = JSON.parse(ok('trust-list', 'show', 'tl.xml', '--anchor', 'anchor', '--json').out) as { list: { authorities: Array<{ party: string, certificates: Array<{ sha256: string }> }> } }
    const entries = shown.list.authorities.filter((a) => a.party === 'CH')
    expect(entries).toHaveLength(1) // the same entry (same peer ID), two certificates
    expect(entries[0]?.certificates.map((c) => c.sha256)).toContain(newSha)

    const r = ok('keys', 'rotate', '--dir', 'keys/CH', '--activate', '--trust-list', 'tl.xml', '--anchor', 'anchor')
    expect(r.out).toMatch(/new key is in use/)
    expect(existsSync(join(ch, 'next'))).toBe(false)
    expect(parseCertificate(file('keys/CH/cert.pem')).sha256).toBe(newSha)
    expect((JSON.parse(file('keys/CH/identity.json')) as { certificateSha256: string }).certificateSha256).toBe(newSha)
    // The key in use now signs for the new certificate; the old key is kept, retired.
    const key = decryptPrivateKey(file('keys/CH/key.pem'), PASSPHRASE).export({ type: 'pkcs8', format: 'pem' }) as string
    await expect(loadSigner(key, file('keys/CH/cert.pem'))).resolves.toBeDefined()
    const retired = readdirSync(join(ch, 'retired'))
    expect(retired.filter((f) => f.endsWith('-key.pem'))).toHaveLength(1)
    expect(readFileSync(join(ch, 'retired', retired.find((f) => f.endsWith('-key.pem')) as string), 'utf8')).toBe(oldKey)
  })

  it.skipIf(HSM === undefined)('keys generate --pkcs11-* makes the signing key in the token (no key.pem) and a certificate the task force can add; rotate will not replace it with a file key', () => {
    // A SoftHSM2 token in a folder of this test (npm test installs softhsm2 as root).
    mkdirSync(join(dir, 'tokens'))
    writeFileSync(join(dir, 'softhsm2.conf'), `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`)
    const env = { ...process.env, SOFTHSM2_CONF: join(dir, 'softhsm2.conf') }
    expect(spawnSync('softhsm2-util', ['--init-token', '--free', '--label', 'th', '--so-pin', '11223344', '--pin', '5678'], { env }).status).toBe(0)
    writeFileSync(join(dir, 'pin'), '5678\n')
    const gen = (out: string): ReturnType<typeof spawnSync> => spawnSync(process.execPath, [BIN, 'keys', 'generate', '--party', 'TH', '--out', out, '--pkcs11-module', HSM as string,
      '--pkcs11-token', 'th', '--pkcs11-pin-file', 'pin', '--pkcs11-key-label', 'th-signing', '--json'], { cwd: dir, encoding: 'utf8', env: { ...env, NO_COLOR: '1', CITES_KEY_PASSPHRASE: PASSPHRASE } })
    const r = gen('keys/TH')
    expect(r.status, String(r.stderr)).toBe(0)
    expect(existsSync(join(dir, 'keys/TH/key.pem'))).toBe(false)
    expect(file('keys/TH/peer.key')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/)
    expect(JSON.parse(file('keys/TH/identity.json'))).toMatchObject({ party: 'TH', pkcs11KeyLabel: 'th-signing', certificateSha256: parseCertificate(file('keys/TH/cert.pem')).sha256 })
    ok('trust-list', 'add', 'tl.xml', '--keys', 'keys/TH', '--name', 'TH MA')
    // A second key under the same label would make keys.pkcs11.keyLabel ambiguous.
    const again = gen('keys/TH2')
    expect(again.status).toBe(2)
    expect(String(again.stderr)).toContain('PKCS11_KEY_EXISTS')
    const rot = run('keys', 'rotate', '--dir', 'keys/TH')
    expect(rot.code).toBe(2)
    expect(rot.err).toContain('PKCS#11 token')
  })
})
