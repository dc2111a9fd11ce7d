/**
 * Issue 15 §3: the access log is hash-chained and its head signed with the
 * node's peer key, so each way of rewriting history is found, with its
 * code: an edited line (with or without its hash recomputed), a removed
 * line, two lines swapped, the last lines cut off, a head forged with
 * another key, the whole log removed. And it refuses to hold a name.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PrivateKey } from '@libp2p/interface'
import { tempDir, type TempDir } from '@cites/test-kit'
import { AccessLog, canonicalJson, lineHash, peerPublicKey, readAccessLog, verifyAccessLog, type AccessEntry, type AccessLine } from '../../src/index.js'

const T0 = Date.parse('2026-12-01T08:00:00Z')
const CALLS: AccessEntry[] = [
  { account: 'u_3kq9x7a2mf', role: 'issuer', via: 'token', method: 'POST', route: '/v1/permits', target: 'CH/26CH0001', status: 201, outcome: 'ok' },
  { account: 'u_8hd2p0wz4c', role: 'customs', via: 'oidc', method: 'POST', route: '/v1/permits/:party/:number/consumptions', target: 'CH/26CH0001', status: 201, outcome: 'ok' },
  { account: 'u_8hd2p0wz4c', role: 'customs', via: 'oidc', method: 'POST', route: '/v1/permits', status: 403, outcome: 'refused', code: 'ROLE_FORBIDDEN' },
  { account: '-', role: '-', via: 'none', method: 'GET', route: '/v1/permits/:party/:number', status: 401, outcome: 'refused', code: 'TOKEN_MISSING' },
  { account: 'u_3kq9x7a2mf', role: 'issuer', via: 'token', method: 'POST', route: '/v1/permits/:party/:number/cancellation', target: 'CH/26CH0002', status: 200, outcome: 'ok' }
]

describe('the access log', () => {
  let dir: TempDir
  let key: PrivateKey
  let file: string
  let headFile: string
  const lines = (): string[] => readFileSync(file, 'utf8').trimEnd().split('\n')
  const write = (ls: string[]): void => { writeFileSync(file, ls.join('\n') + '\n') }
  const verify = async (): ReturnType<typeof verifyAccessLog> => await verifyAccessLog(dir.path, key.publicKey)

  beforeEach(async () => {
    dir = tempDir('audit')
    key = await generateKeyPair('Ed25519')
    file = join(dir.path, 'audit', 'access.log')
    headFile = join(dir.path, 'audit', 'access.head.json')
    let t = T0
    const log = await AccessLog.open(dir.path, key, { now: () => (t += 60_000) })
    // At once: one batch, as concurrent requests give.
    await Promise.all(CALLS.map(async (c) => await log.append(c)))
    await log.close()
  })
  afterEach(() => { dir.cleanup() })

  it('chains each line to the one before and signs the head: the log as written verifies', async () => {
    const ls = lines().map((l) => JSON.parse(l) as AccessLine)
    expect(ls.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5])
    expect(ls[0]!.prev).toBe('0'.repeat(64))
    for (const [i, l] of ls.entries()) {
      expect(l.hash).toBe(lineHash(l))
      if (i > 0) expect(l.prev).toBe(ls[i - 1]!.hash)
    }
    expect(await verify()).toMatchObject({ ok: true, lines: 5, unsigned: 0, head: { seq: 5, peerId: peerIdFromPrivateKey(key).toString() } })
    // The verifier needs only the peer ID (on the trust list): it holds the public key.
    expect((await verifyAccessLog(dir.path, peerPublicKey(peerIdFromPrivateKey(key).toString()))).ok).toBe(true)
  })

  it('goes on after a restart, and reads by account and time', async () => {
    const log = await AccessLog.open(dir.path, key, { now: () => T0 + 86_400_000 })
    expect(log.size).toBe(5)
    await log.append({ ...CALLS[0]!, target: 'CH/26CH0003' })
    await log.close()
    expect(await verify()).toMatchObject({ ok: true, lines: 6 })
    expect(readAccessLog(dir.path, { account: 'u_8hd2p0wz4c' }).map((l) => l.seq)).toEqual([2, 3])
    expect(readAccessLog(dir.path, { from: '2026-12-02' }).map((l) => l.seq)).toEqual([6])
    expect(readAccessLog(dir.path, { to: '2026-12-01' }).map((l) => l.seq)).toEqual([1, 2, 3, 4, 5])
    // The clock ticks a minute per read: the first head at T0+1 min, line n at T0+(n+1) min.
    expect(readAccessLog(dir.path, { from: new Date(T0 + 210_000), to: new Date(T0 + 270_000) }).map((l) => l.seq)).toEqual([3])
  })

  it('an edited line is found (AUDIT_LINE_EDITED)', async () => {
    const ls = lines()
    ls[1] = ls[1]!.replace('u_8hd2p0wz4c', 'u_3kq9x7a2mf')
    write(ls)
    expect(await verify()).toMatchObject({ ok: false, problem: { line: 2, code: 'AUDIT_LINE_EDITED' } })
  })

  it('an edited line with its hash recomputed is found (AUDIT_LINE_EDITED): the next line does not chain to it', async () => {
    const ls = lines()
    const l = JSON.parse(ls[2]!) as AccessLine
    const forged = { ...l, outcome: 'ok' as const, status: 201, code: undefined }
    ls[2] = JSON.stringify({ ...forged, hash: lineHash(forged) })
    write(ls)
    expect(await verify()).toMatchObject({ ok: false, problem: { line: 3, code: 'AUDIT_LINE_EDITED' } })
  })

  it('the last line edited with its hash recomputed is found (AUDIT_LINE_EDITED): the signed head names another', async () => {
    const ls = lines()
    const l = JSON.parse(ls[4]!) as AccessLine
    const forged = { ...l, account: 'u_8hd2p0wz4c' }
    ls[4] = JSON.stringify({ ...forged, hash: lineHash(forged) })
    write(ls)
    expect(await verify()).toMatchObject({ ok: false, problem: { line: 5, code: 'AUDIT_LINE_EDITED' } })
  })

  it('a removed middle line is found (AUDIT_LINE_REMOVED)', async () => {
    const ls = lines()
    ls.splice(2, 1)
    write(ls)
    expect(await verify()).toMatchObject({ ok: false, problem: { line: 3, code: 'AUDIT_LINE_REMOVED' } })
  })

  it('two swapped lines are found (AUDIT_LINE_REORDERED)', async () => {
    const ls = lines()
    ;[ls[1], ls[2]] = [ls[2]!, ls[1]!]
    write(ls)
    expect(await verify()).toMatchObject({ ok: false, problem: { line: 2, code: 'AUDIT_LINE_REORDERED' } })
  })

  it('a truncated tail is found (AUDIT_TAIL_TRUNCATED): the chain still holds, the signed head does not', async () => {
    write(lines().slice(0, 3))
    expect(await verify()).toMatchObject({ ok: false, problem: { line: 4, code: 'AUDIT_TAIL_TRUNCATED' } })
  })

  it('a forged head is found (AUDIT_HEAD_SIGNATURE_BAD): the tail cut and the head re-signed with another key', async () => {
    write(lines().slice(0, 3))
    const attacker = await generateKeyPair('Ed25519')
    const l3 = JSON.parse(lines()[2]!) as AccessLine
    const h = { seq: 3, hash: l3.hash, at: l3.at, peerId: peerIdFromPrivateKey(key).toString() }
    const signature = Buffer.from(await attacker.sign(new TextEncoder().encode('CITES-ACCESS-LOG-HEAD-1\n' + canonicalJson(h)))).toString('base64')
    writeFileSync(headFile, JSON.stringify({ ...h, signature }))
    expect(await verify()).toMatchObject({ ok: false, problem: { line: 0, code: 'AUDIT_HEAD_SIGNATURE_BAD' } })
    // A head's number changed under its genuine signature is forged too.
    const genuine = JSON.parse(readFileSync(headFile, 'utf8')) as { seq: number }
    writeFileSync(headFile, JSON.stringify({ ...genuine, seq: 2 }))
    expect((await verify()).problem?.code).toBe('AUDIT_HEAD_SIGNATURE_BAD')
  })

  it('the log removed with its head is found (AUDIT_HEAD_MISSING)', async () => {
    rmSync(file)
    rmSync(headFile)
    expect(await verify()).toMatchObject({ ok: false, problem: { code: 'AUDIT_HEAD_MISSING' } })
  })

  it('a tampered log is refused at open, not signed over', async () => {
    const ls = lines()
    ls.splice(2, 1)
    write(ls)
    await expect(AccessLog.open(dir.path, key)).rejects.toMatchObject({ code: 'AUDIT_LINE_REMOVED' })
  })

  it('a line torn by a crash (no newline, after the head) is dropped at open', async () => {
    writeFileSync(file, readFileSync(file, 'utf8') + '{"seq":6,"at":"2026-12-0')
    const log = await AccessLog.open(dir.path, key)
    await log.append(CALLS[0]!)
    await log.close()
    expect(await verify()).toMatchObject({ ok: true, lines: 6 })
  })

  it('a name, token or raw URL is refused (AUDIT_ENTRY_INVALID) and nothing is written', async () => {
    const log = await AccessLog.open(dir.path, key)
    const bad: Array<Partial<AccessEntry>> = [
      { account: 'Jane Roe' }, { account: 'cites_Zm9vYmFyYmF6cXV4cXV1eA-token with space' }, { route: '/v1/permits/CH/26CH0001?officer=Jane' },
      { target: 'CH/26CH0001 Jane Roe' }, { code: 'not a code' }, { role: 'Chief Officer' }, { status: 1.5 }
    ]
    for (const b of bad) await expect(log.append({ ...CALLS[0]!, ...b })).rejects.toMatchObject({ code: 'AUDIT_ENTRY_INVALID' })
    await log.close()
    expect(lines()).toHaveLength(5)
    expect(readFileSync(file, 'utf8')).not.toMatch(/Jane|cites_/)
  })
})
