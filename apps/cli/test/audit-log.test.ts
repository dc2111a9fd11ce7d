/**
 * `cites audit show|verify` with the real binary (issue 15 §3): a node's
 * access log, written with its peer key, reads back by account, verifies
 * intact, and an edited line makes `audit verify` exit 1 naming
 * AUDIT_LINE_EDITED. An attacker who rewrites the whole log and signs a new
 * head with a key of their own is caught too: the verifier takes the key
 * from the anchor-signed trust list, not from the node's files.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { AccessLog, CONFIG_FILE, canonicalJson, lineHash, loadConfig, loadNodeKeys, type AccessLine } from '@cites/node'
import { cites, type Run } from './run-cli.js'

const ISSUER = 'u_3kq9x7a2mf'
const CUSTOMS = 'u_8hd2p0wz4c'

describe('cites audit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cites-audit-'))
  const node = join(dir, 'CH')
  let logFile = ''
  let headFile = ''
  afterAll(() => { rmSync(dir, { recursive: true, force: true }) })
  const ok = (...args: string[]): Run => { const r = cites(dir, ...args); expect(r.code, `${args.join(' ')}\n${r.err}`).toBe(0); return r }

  beforeAll(async () => {
    ok('keys', 'generate', '--anchor', '--out', 'anchor')
    ok('node', 'init', '--party', 'CH', '--dir', 'CH')
    ok('trust-list', 'create', '--anchor', 'anchor', '--out', 'tl.xml')
    ok('trust-list', 'add', 'tl.xml', '--keys', 'CH/keys', '--name', 'CH MA', '--role', 'management-authority', '--addr', '/ip4/127.0.0.1/tcp/7001')
    ok('trust-list', 'sign', 'tl.xml', '--anchor', 'anchor')
    copyFileSync(join(dir, 'anchor', 'cert.pem'), join(node, 'anchor.pem'))
    copyFileSync(join(dir, 'tl.xml'), join(node, 'trust-list.xml'))
    // What the node's HTTP layer writes: three calls, signed with its peer key.
    const { config } = loadConfig(join(node, CONFIG_FILE))
    const { peerKey } = await loadNodeKeys(config.keys)
    const log = await AccessLog.open(config.dataDir, peerKey)
    await log.append({ account: ISSUER, role: 'issuer', via: 'token', method: 'POST', route: '/v1/permits', target: 'CH/26CH0001', status: 201, outcome: 'ok' })
    await log.append({ account: CUSTOMS, role: 'customs', via: 'token', method: 'POST', route: '/v1/permits', status: 403, outcome: 'refused', code: 'ROLE_FORBIDDEN' })
    await log.append({ account: ISSUER, role: 'issuer', via: 'token', method: 'POST', route: '/v1/permits/:party/:number/cancellation', target: 'CH/26CH0001', status: 200, outcome: 'ok' })
    await log.close()
    logFile = join(config.dataDir, 'audit', 'access.log')
    headFile = join(config.dataDir, 'audit', 'access.head.json')
  })

  it('shows the calls, by account, and verifies the log intact against the trust list\'s peer ID', () => {
    const all = JSON.parse(ok('audit', 'show', '--dir', 'CH', '--json').out) as AccessLine[]
    expect(all.map((l) => [l.seq, l.account, l.outcome])).toEqual([[1, ISSUER, 'ok'], [2, CUSTOMS, 'refused'], [3, ISSUER, 'ok']])
    const mine = ok('audit', 'show', '--dir', 'CH', '--user', CUSTOMS)
    expect(mine.out.trim().split('\n')).toHaveLength(1)
    expect(mine.out).toContain(`#2 `)
    expect(mine.out).toContain('ROLE_FORBIDDEN')
    expect(ok('audit', 'verify', '--dir', 'CH').out).toMatch(/3 line\(s\), intact/)
  })

  it('an edited line makes `audit verify` exit 1 naming AUDIT_LINE_EDITED', () => {
    const original = readFileSync(logFile, 'utf8')
    try {
      // The refused call made to look like the issuer's.
      writeFileSync(logFile, original.replace(`"account":"${CUSTOMS}"`, `"account":"${ISSUER}"`))
      const r = cites(dir, 'audit', 'verify', '--dir', 'CH')
      expect(r.code).toBe(1)
      expect(r.err).toContain('AUDIT_LINE_EDITED')
      expect(r.err).toContain('line 2')
      const j = cites(dir, 'audit', 'verify', '--dir', 'CH', '--json')
      expect(j.code).toBe(1)
      expect(JSON.parse(j.out)).toMatchObject({ ok: false, problem: { line: 2, code: 'AUDIT_LINE_EDITED' } })
    } finally {
      writeFileSync(logFile, original)
    }
  })

  it('a log rewritten with every hash recomputed and the head signed by the attacker\'s key exits 1 naming AUDIT_HEAD_SIGNATURE_BAD', async () => {
    const original = { log: readFileSync(logFile, 'utf8'), head: readFileSync(headFile, 'utf8') }
    try {
      // Drop the refused call, re-chain what is left, sign a head claiming the node's peer ID.
      const kept = original.log.trimEnd().split('\n').map((t) => JSON.parse(t) as AccessLine).filter((l) => l.account !== CUSTOMS)
      let prev = '0'.repeat(64)
      const rewritten = kept.map((l, i) => {
        const { hash: _h, ...rest } = { ...l, seq: i + 1, prev }
        const line = { ...rest, hash: lineHash(rest) }
        prev = line.hash
        return line
      })
      writeFileSync(logFile, rewritten.map((l) => JSON.stringify(l) + '\n').join(''))
      const attacker = await generateKeyPair('Ed25519')
      const genuine = JSON.parse(original.head) as { peerId: string, at: string }
      const h = { seq: rewritten.length, hash: prev, at: genuine.at, peerId: genuine.peerId }
      const signature = Buffer.from(await attacker.sign(new TextEncoder().encode('CITES-ACCESS-LOG-HEAD-1\n' + canonicalJson(h)))).toString('base64')
      writeFileSync(headFile, JSON.stringify({ ...h, signature }))
      const r = cites(dir, 'audit', 'verify', '--dir', 'CH')
      expect(r.code).toBe(1)
      expect(r.err).toContain('AUDIT_HEAD_SIGNATURE_BAD')
    } finally {
      writeFileSync(logFile, original.log)
      writeFileSync(headFile, original.head)
    }
    expect(cites(dir, 'audit', 'verify', '--dir', 'CH').code).toBe(0)
  })

  it('usage errors exit 2', () => {
    expect(cites(dir, 'audit', 'show', '--dir', 'CH', '--user', 'Jane Roe').code).toBe(2)
    expect(cites(dir, 'audit', 'verify', '--dir', 'CH', '--peer-id', 'not-a-peer').code).toBe(2)
    expect(cites(dir, 'audit', 'verify', '--dir', 'nowhere').code).toBe(2)
  })
})
