/**
 * Key custody with the real `cites` binary (issue 15 §5): `keys generate` and
 * `node init` write encrypted keys when given a passphrase, and plain ones
 * (with allowPlainKeys: true and a warning) when not; an encrypted anchor key
 * signs a trust list only with its passphrase; `node start` with encrypted
 * keys runs, and with a plain key and no allowPlainKeys refuses, naming the field.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { BIN, type Run } from './run-cli.js'

const PASSPHRASE = 'a long passphrase for the CLI test'

describe('cites: keys encrypted at rest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cites-keys-enc-'))
  afterAll(() => { rmSync(dir, { recursive: true, force: true }) })
  // No passphrase from the test runner's own environment.
  const run = (env: Record<string, string>, ...args: string[]): Run => {
    const { CITES_KEY_PASSPHRASE: _p, CREDENTIALS_DIRECTORY: _c, ...base } = process.env
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...base, NO_COLOR: '1', ...env } })
    return { code: r.status ?? -1, out: r.stdout, err: r.stderr }
  }
  const ok = (env: Record<string, string>, ...args: string[]): Run => { const r = run(env, ...args); expect(r.code, `${args.join(' ')}\n${r.err}`).toBe(0); return r }
  writeFileSync(join(dir, 'pass'), `${PASSPHRASE}\n`, { mode: 0o600 })

  it('keys generate --passphrase-file writes encrypted keys; the anchor signs a trust list only with its passphrase', () => {
    const r = ok({}, 'keys', 'generate', '--anchor', '--out', 'anchor', '--passphrase-file', 'pass')
    expect(r.err).not.toMatch(/warning/)
    expect(readFileSync(join(dir, 'anchor/key.pem'), 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/)
    ok({ CITES_KEY_PASSPHRASE: PASSPHRASE }, 'keys', 'generate', '--party', 'CH', '--out', 'keys/CH')
    for (const f of ['key.pem', 'peer.key']) expect(readFileSync(join(dir, 'keys/CH', f), 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/)
    ok({}, 'trust-list', 'create', '--anchor', 'anchor', '--out', 'tl.xml')
    ok({}, 'trust-list', 'add', 'tl.xml', '--keys', 'keys/CH', '--name', 'CH MA', '--role', 'management-authority', '--addr', '/ip4/127.0.0.1/tcp/7001')
    const none = run({}, 'trust-list', 'sign', 'tl.xml', '--anchor', 'anchor')
    expect(none.code).toBe(2)
    expect(none.err).toContain('KEY_PASSPHRASE_MISSING')
    const wrong = run({ CITES_KEY_PASSPHRASE: 'wrong' }, 'trust-list', 'sign', 'tl.xml', '--anchor', 'anchor')
    expect(wrong.code).toBe(2)
    expect(wrong.err).toContain('KEY_PASSPHRASE_WRONG')
    expect(`${wrong.out}${wrong.err}`).not.toContain(PASSPHRASE)
    ok({ CITES_KEY_PASSPHRASE: PASSPHRASE }, 'trust-list', 'sign', 'tl.xml', '--anchor', 'anchor')
  })

  it('keys generate without a passphrase warns and writes plain keys', () => {
    const r = ok({}, 'keys', 'generate', '--party', 'TH', '--out', 'keys/TH')
    expect(r.err).toMatch(/warning: no passphrase/)
    expect(readFileSync(join(dir, 'keys/TH/key.pem'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/)
  })

  it('node init without a passphrase warns and allows plain keys; with one, the node starts from encrypted keys and the passphrase file', async () => {
    const plain = ok({}, 'node', 'init', '--party', 'TH', '--dir', 'nodes/TH', '--json')
    expect(plain.err).toMatch(/warning: no passphrase.*allowPlainKeys: true/)
    expect(readFileSync(join(dir, 'nodes/TH/cites-node.yaml'), 'utf8')).toMatch(/^ {2}allowPlainKeys: true$/m)

    const base = 20000 + Math.floor(Math.random() * 600) * 20
    const init = ok({}, 'node', 'init', '--party', 'CH', '--dir', 'nodes/CH', '--passphrase-file', 'pass', '--listen', `/ip4/127.0.0.1/tcp/${base}`, '--http-port', String(base + 1), '--json')
    expect(init.err).not.toMatch(/warning/)
    const config = readFileSync(join(dir, 'nodes/CH/cites-node.yaml'), 'utf8')
    expect(config).toMatch(/^ {2}allowPlainKeys: false$/m)
    expect(config).toContain(`passphraseFile: ${JSON.stringify(join(dir, 'pass'))}`)
    expect(config).not.toContain(PASSPHRASE)
    ok({}, 'trust-list', 'create', '--anchor', 'anchor', '--out', 'tl2.xml')
    ok({}, 'trust-list', 'add', 'tl2.xml', '--keys', 'nodes/CH/keys', '--name', 'CH MA', '--role', 'management-authority', '--addr', `/ip4/127.0.0.1/tcp/${base}`)
    ok({ CITES_KEY_PASSPHRASE: PASSPHRASE }, 'trust-list', 'sign', 'tl2.xml', '--anchor', 'anchor')
    ok({}, 'node', 'trust', '--dir', 'nodes/CH', '--anchor', 'anchor', '--trust-list', 'tl2.xml')

    const { CITES_KEY_PASSPHRASE: _p, CREDENTIALS_DIRECTORY: _c, ...env } = process.env
    const proc = spawn(process.execPath, [BIN, 'node', 'start', '--dir', 'nodes/CH'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, NO_COLOR: '1' } })
    let out = ''
    try {
      await new Promise<void>((resolve, reject) => {
        proc.stdout.on('data', (d: Buffer) => { out += d.toString(); if (/running: http:/.test(out)) resolve() })
        proc.stderr.on('data', (d: Buffer) => { out += d.toString() })
        proc.on('exit', () => { reject(new Error(`the node exited:\n${out}`)) })
      })
      expect(out).toContain('"passphraseSource":"keys.passphraseFile"')
    } finally {
      proc.kill('SIGTERM')
      await new Promise((resolve) => proc.on('exit', resolve))
    }
    expect(out).not.toContain(PASSPHRASE)
  })

  it('node start with a plain key and no allowPlainKeys refuses, naming keys.allowPlainKeys', () => {
    const path = join(dir, 'nodes/TH/cites-node.yaml')
    writeFileSync(path, readFileSync(path, 'utf8').replace(/^ {2}allowPlainKeys: true$/m, '  allowPlainKeys: false'))
    writeFileSync(join(dir, 'nodes/TH/anchor.pem'), readFileSync(join(dir, 'anchor/cert.pem')))
    writeFileSync(join(dir, 'nodes/TH/trust-list.xml'), readFileSync(join(dir, 'tl.xml')))
    const r = run({}, 'node', 'start', '--dir', 'nodes/TH', '--json')
    expect(r.code).toBe(2)
    expect(r.err).toContain('KEY_NOT_ENCRYPTED')
    expect(r.err).toContain('keys.allowPlainKeys')
  })
})
