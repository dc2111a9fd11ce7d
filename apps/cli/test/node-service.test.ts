/**
 * The README's two-authority flow with the real binary: `cites node init`
 * for CH and TH, a trust list, `cites node trust`, `cites node start` (child
 * processes), a permit issued with `cites issue` through CH's API, then `cites verify` and
 * `cites consume` against TH's node; a graceful stop on SIGTERM; a bad
 * config refused with a message naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { VECTORS } from '@cites/test-kit/base'
import { cites } from './run-cli.js'
import { initNode, startNode, type Init } from './two-node-service.js'

describe('cites node init / trust / start, and cites verify / consume against a running node', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cites-node-cli-'))
  const base = 20000 + Math.floor(Math.random() * 600) * 20
  const ok = (...args: string[]): string => { const r = cites(dir, ...args); expect(r.code, `${args.join(' ')}\n${r.err}`).toBe(0); return r.out }
  let ch: Init
  let th: Init
  const nodes: Array<ReturnType<typeof startNode>> = []
  let chUrl = ''
  let thUrl = ''

  beforeAll(async () => {
    ok('keys', 'generate', '--anchor', '--out', 'anchor')
    ch = initNode(dir, '--party', 'CH', '--dir', 'nodes/CH', '--p2p-port', String(base), '--http-port', String(base + 10), '--listen', `/ip4/127.0.0.1/tcp/${base}`)
    th = initNode(dir, '--party', 'TH', '--dir', 'nodes/TH', '--p2p-port', String(base + 1), '--http-port', String(base + 11), '--listen', `/ip4/127.0.0.1/tcp/${base + 1}`, '--allow-provisional')
    ok('trust-list', 'create', '--anchor', 'anchor', '--out', 'tl.xml')
    ok('trust-list', 'add', 'tl.xml', '--keys', 'nodes/CH/keys', '--name', 'Federal Food Safety and Veterinary Office', '--role', 'management-authority', '--addr', `/ip4/127.0.0.1/tcp/${base}`)
    ok('trust-list', 'add', 'tl.xml', '--keys', 'nodes/TH/keys', '--name', 'Department of National Parks', '--role', 'management-authority', '--addr', `/ip4/127.0.0.1/tcp/${base + 1}`)
    ok('trust-list', 'sign', 'tl.xml', '--anchor', 'anchor')
    for (const p of ['CH', 'TH']) ok('node', 'trust', '--dir', `nodes/${p}`, '--anchor', 'anchor', '--trust-list', 'tl.xml')
    nodes.push(startNode(dir, 'nodes/CH'), startNode(dir, 'nodes/TH'))
    const urls = await Promise.all(nodes.map(async (n) => await n.url))
    chUrl = urls[0] as string
    thUrl = urls[1] as string
  })
  afterAll(() => {
    for (const n of nodes) n.proc.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  })

  it('init writes a commented config and an account store (tokens only as hashes, both mode 0600) and prints the tokens once', () => {
    expect(ch).toMatchObject({ party: 'CH', configPath: join(dir, 'nodes/CH/cites-node.yaml') })
    expect(ch.peerId).toMatch(/^12D3KooW/)
    const text = readFileSync(ch.configPath, 'utf8')
    expect(text).toMatch(/^# CITES permit node of CH/)
    expect(text).toContain('host: 127.0.0.1')
    const store = readFileSync(join(dir, 'nodes/CH/accounts.json'), 'utf8')
    expect(ch.accounts.map((a) => a.role)).toEqual(['admin', 'issuer', 'customs', 'viewer'])
    for (const a of ch.accounts) expect(store).toContain(a.id)
    for (const t of Object.values(ch.tokens)) { expect(text).not.toContain(t); expect(store).not.toContain(t) }
    // The people's names stay in the store; the config holds none.
    expect(store).toContain('Test customs officer')
    expect(text).not.toContain('Test customs officer')
    expect(statSync(ch.configPath).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir, 'nodes/CH/accounts.json')).mode & 0o777).toBe(0o600)
    const again = cites(dir, 'node', 'init', '--party', 'CH', '--dir', 'nodes/CH', '--json')
    expect(again.code).toBe(2)
    expect(again.err).toContain('NODE_EXISTS')
  })

  it('verifies and consumes through TH\'s node; a second use is refused with the first receipt', async () => {
    const permit = JSON.parse(readFileSync(join(VECTORS, 'permits/ch-export-th.json'), 'utf8')) as { number: string, issueDate?: string }
    permit.number = '26CHN0001'
    // Issued now: CH's certificate was granted on the list only today.
    delete permit.issueDate
    writeFileSync(join(dir, 'permit.json'), JSON.stringify(permit))
    const issued = cites(dir, 'issue', '--node', chUrl, '--token', ch.tokens.issuer, 'permit.json')
    expect(issued.code, issued.out + issued.err).toBe(0)
    expect(issued.out).toContain('CH/26CHN0001: issued (ISSUED)')
    // TH asks CH directly, once the two nodes are connected.
    let v = cites(dir, 'verify', '--node', thUrl, '--token', th.tokens.viewer, 'CH/26CHN0001', '--json')
    for (let i = 0; i < 100 && v.code !== 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      v = cites(dir, 'verify', '--node', thUrl, '--token', th.tokens.viewer, 'CH/26CHN0001', '--json')
    }
    expect(v.code, v.out + v.err).toBe(0)
    expect(JSON.parse(v.out)).toMatchObject({ valid: true, source: 'issuer' })

    const used = cites(dir, 'consume', '--node', thUrl, '--token', th.tokens.customs, 'CH/26CHN0001', '--line', 'A:50:PCS', '--port', 'THBKK')
    expect(used.code, used.err).toBe(0)
    expect(used.out).toContain('use recorded, confirmed by the issuer')
    const again = cites(dir, 'consume', '--node', thUrl, '--token', th.tokens.customs, 'CH/26CHN0001', '--line', 'A:50:PCS', '--port', 'THBKK')
    expect(again.code, again.out + again.err).toBe(1)
    expect(again.out).toMatch(/REFUSED ALREADY_CONSUMED: .*first used .* at THBKK/)
    const after = cites(dir, 'verify', '--node', thUrl, '--token', th.tokens.viewer, 'CH/26CHN0001')
    expect(after.code, after.out + after.err).toBe(1)
    expect(after.out).toContain('ALREADY_CONSUMED')
  })

  it('refuses a viewer token for a use (403) and a wrong token (401), and a malformed permit id (exit 2)', () => {
    const viewer = cites(dir, 'consume', '--node', thUrl, '--token', th.tokens.viewer, 'CH/26CHN0001', '--line', 'A:1', '--port', 'THBKK', '--json')
    expect(viewer.code).toBe(2)
    expect(viewer.err).toContain('ROLE_FORBIDDEN')
    expect(cites(dir, 'verify', '--node', thUrl, '--token', 'wrong', 'CH/26CHN0001').err).toContain('TOKEN_INVALID')
    expect(cites(dir, 'verify', '--node', thUrl, '--token', 'x', 'not-an-id').code).toBe(2)
    expect(cites(dir, 'verify', '--node', 'http://127.0.0.1:1', '--token', 'x', 'CH/1').err).toContain('NODE_UNREACHABLE')
  })

  it('a stolen token revoked with cites users revoke is refused by the running node, with no restart; a rotated token replaces the old one', async () => {
    const call = async (token: string): Promise<{ status: number, code?: string }> => {
      const r = await fetch(`${thUrl}/v1/status`, { headers: { authorization: `Bearer ${token}` } })
      return { status: r.status, ...(r.status !== 200 ? { code: ((await r.json()) as { code: string }).code } : {}) }
    }
    const added = JSON.parse(ok('users', 'add', '--dir', 'nodes/TH', '--name', 'A. Stolen', '--role', 'viewer', '--expires', '30d', '--json')) as { account: { id: string, state: string, tokenExpires: string }, token: string }
    expect(added.account).toMatchObject({ state: 'active' })
    expect(Date.parse(added.account.tokenExpires) - Date.now()).toBeGreaterThan(29 * 86_400_000)
    // The running node picks up the new account from its store (polled, no restart).
    const deadline = Date.now() + 10_000
    while ((await call(added.token)).status !== 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    expect((await call(added.token)).status).toBe(200)
    const revokedAt = Date.now()
    ok('users', 'revoke', added.account.id, '--dir', 'nodes/TH')
    let answer = await call(added.token)
    while (answer.status === 200 && Date.now() - revokedAt < 10_000) { await new Promise((r) => setTimeout(r, 50)); answer = await call(added.token) }
    expect(answer).toEqual({ status: 401, code: 'TOKEN_REVOKED' })
    // (How soon is measured in packages/node/test/personal-accounts.test.ts, without CLI process starts in the way.)
    const list = JSON.parse(ok('users', 'list', '--dir', 'nodes/TH', '--json')) as { accounts: Array<{ id: string, state: string }> }
    expect(list.accounts.find((a) => a.id === added.account.id)?.state).toBe('revoked')

    // Rotation: the viewer's new token works, the old one is refused.
    const viewer = th.accounts.find((a) => a.role === 'viewer') as { id: string, token: string }
    const rotated = JSON.parse(ok('users', 'rotate', viewer.id, '--dir', 'nodes/TH', '--json')) as { token: string }
    let old = await call(viewer.token)
    const t0 = Date.now()
    while (old.status === 200 && Date.now() - t0 < 10_000) { await new Promise((r) => setTimeout(r, 50)); old = await call(viewer.token) }
    expect(old).toEqual({ status: 401, code: 'TOKEN_INVALID' })
    expect((await call(rotated.token)).status).toBe(200)
    th.tokens.viewer = rotated.token
    // An unknown account is a refusal (exit 1) naming the code, not a stack trace.
    const unknown = cites(dir, 'users', 'revoke', 'u_aaaaaaaaaa', '--dir', 'nodes/TH')
    expect(unknown.code).toBe(1)
    expect(unknown.err).toContain('ACCOUNT_UNKNOWN')
  })

  it('stops cleanly on SIGTERM (exit 0), and the ledger is intact for the next start', async () => {
    const th = nodes[1] as ReturnType<typeof startNode>
    th.proc.kill('SIGTERM')
    expect(await th.exited).toBe(0)
    expect(th.output()).not.toMatch(/BEGIN (EC )?PRIVATE KEY|Bearer /)
    const show = cites(dir, 'ledger', 'show', 'CH', '26CHN0001', '--db', 'nodes/TH/data/ledger', '--json')
    expect(show.code, show.err).toBe(0)
    expect(JSON.parse(show.out)).toMatchObject({ status: 'CONSUMED' })
  })

  it('refuses to start on a bad config, naming the field (exit 2)', () => {
    const cfg = join(dir, 'nodes/CH/cites-node.yaml')
    writeFileSync(join(dir, 'bad.yaml'), readFileSync(cfg, 'utf8'))
    ok('node', 'init', '--party', 'FR', '--dir', 'nodes/FR', '--json')
    const frCfg = join(dir, 'nodes/FR/cites-node.yaml')
    writeFileSync(frCfg, readFileSync(frCfg, 'utf8').replace('party: FR', 'party: France').replace('port: 8080', 'port: "eighty"'))
    const r = cites(dir, 'node', 'start', '--dir', 'nodes/FR', '--json')
    expect(r.code).toBe(2)
    const e = JSON.parse(r.err) as { error: { code: string, message: string, details: Array<{ field: string }> } }
    expect(e.error.code).toBe('CONFIG_INVALID')
    expect(e.error.details.map((d) => d.field)).toEqual(expect.arrayContaining(['party', 'http.port']))
    const missing = cites(dir, 'node', 'start', '--dir', 'nodes/nowhere')
    expect(missing.code).toBe(2)
    expect(missing.err).toContain('CONFIG_INVALID')
  })
})
