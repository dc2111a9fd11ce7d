/**
 * The audit trail end to end over HTTP (issue 15 §3, SECURITY.md §24): CH's
 * permit officer issues through CH's API with a personal token, TH's customs
 * officer records the use through TH's API with theirs. An auditor traces the
 * use, from CH's signed CONSUMED event, to TH's account and, in TH's own
 * account store only, to the officer's name; TH's access log holds the call.
 * Then an edited access-log line is found. Real nodes on loopback, real
 * LevelDB, real signatures, real HTTP.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { chPermit, tempDir, waitFor, type TempDir } from '@cites/test-kit'
import { AccessLog, AccountRegistry, addAccount, buildHttpApi, readAccessLog, readAccounts, verifyAccessLog, type MadeAccount } from '../src/index.js'
import { authorities, basePort, meshFormed, startPermitNode, stopAll, trustListXml, type TestNode } from './kit.js'

describe('who did what: a recorded use traced back to the officer', () => {
  let nodes: TestNode[] = []
  const apps: Record<string, FastifyInstance> = {}
  const logs: Record<string, AccessLog> = {}
  const registries: AccountRegistry[] = []
  let dir: TempDir
  let issuer: MadeAccount
  let officer: MadeAccount
  const by = (p: string): TestNode => nodes.find((n) => n.a.party === p)!
  const store = (p: string): string => join(dir.path, `${p}-accounts.json`)

  beforeAll(async () => {
    dir = tempDir('who-did-what')
    const all = await authorities(['CH', 'TH'], basePort())
    const xml = await trustListXml(all)
    nodes = await Promise.all(all.map(async (a) => await startPermitNode(a, xml)))
    await meshFormed(nodes)
    issuer = await addAccount(store('CH'), { name: 'Beatrice Keller', role: 'issuer' })
    officer = await addAccount(store('TH'), { name: 'Somchai Prasert', role: 'customs' })
    for (const n of nodes) {
      const accounts = new AccountRegistry(store(n.a.party))
      registries.push(accounts)
      logs[n.a.party] = await AccessLog.open(n.dir, n.a.peerKey)
      apps[n.a.party] = (await buildHttpApi(n.node, { accounts, accessLog: logs[n.a.party], logger: false })).app
    }
  })
  afterAll(async () => {
    for (const a of Object.values(apps)) await a.close()
    for (const l of Object.values(logs)) await l.close()
    for (const r of registries) r.close()
    await stopAll(nodes)
    dir?.cleanup()
  })

  it('CH\'s signed CONSUMED names TH\'s account; TH\'s store names the officer; TH\'s access log holds the call; no name left TH', async () => {
    const issued = await apps.CH!.inject({ method: 'POST', url: '/v1/permits', headers: { authorization: `Bearer ${issuer.token}` }, payload: chPermit('26CHW00001') })
    expect(issued.statusCode).toBe(201)
    await waitFor(async () => (await by('TH').node.permit('CH', '26CHW00001')) !== undefined)
    // The officer types a name into the free-text field as before: the account, not the text, is what is signed.
    const used = await apps.TH!.inject({
      method: 'POST', url: '/v1/permits/CH/26CHW00001/consumptions', headers: { authorization: `Bearer ${officer.token}` },
      payload: { lines: [{ line: 'A', quantity: 50, unit: 'PCS' }], port: 'THBKK', officer: 'Somchai Prasert' }
    })
    expect(used.statusCode).toBe(201)

    // The auditor at CH reads the permit: who issued (CH's account) and who used it (an account at TH).
    const view = (await apps.CH!.inject({ method: 'GET', url: '/v1/permits/CH/26CHW00001', headers: { authorization: `Bearer ${issuer.token}` } })).json() as { state: { issuedBy: string, consumption: { actor: string, consumingParty: string } } }
    expect(view.state.issuedBy).toBe(issuer.account.id)
    expect(view.state.consumption).toMatchObject({ actor: officer.account.id, consumingParty: 'TH' })
    // TH's authority resolves its pseudonym to the person, in its own store only.
    expect(readAccounts(store('TH')).accounts.find((a) => a.id === view.state.consumption.actor)?.name).toBe('Somchai Prasert')
    // Nothing CH holds names the officer.
    const chEvents = await by('CH').node.internals.ledger.eventsFrom('CH', 1)
    expect(chEvents.some((b) => Buffer.from(b).includes(Buffer.from('Somchai')))).toBe(false)

    // TH's access log: the use, by that account, with its outcome and the permit.
    await waitFor(() => readAccessLog(by('TH').dir).some((l) => l.route === '/v1/permits/:party/:number/consumptions'))
    const line = readAccessLog(by('TH').dir, { account: officer.account.id }).find((l) => l.route === '/v1/permits/:party/:number/consumptions')
    expect(line).toMatchObject({ account: officer.account.id, role: 'customs', via: 'token', method: 'POST', target: 'CH/26CHW00001', status: 201, outcome: 'ok' })
    expect(readFileSync(join(by('TH').dir, 'audit', 'access.log'), 'utf8')).not.toMatch(/Somchai|Bearer|cites_/)
  })

  it('a refused call is recorded too, with its code and no account', async () => {
    const r = await apps.TH!.inject({ method: 'POST', url: '/v1/permits/CH/26CHW00001/consumptions', headers: { authorization: 'Bearer cites_not-a-real-token-at-all-000000' }, payload: { lines: [{ line: 'A', quantity: 1 }], port: 'THBKK' } })
    expect(r.statusCode).toBe(401)
    await waitFor(() => readAccessLog(by('TH').dir).some((l) => l.code === 'TOKEN_INVALID'))
    expect(readAccessLog(by('TH').dir).find((l) => l.code === 'TOKEN_INVALID')).toMatchObject({ account: '-', outcome: 'refused', status: 401 })
  })

  it('an edited access-log line is found (AUDIT_LINE_EDITED), and so is a removed last line', async () => {
    await logs.TH!.close()
    const file = join(by('TH').dir, 'audit', 'access.log')
    const original = readFileSync(file, 'utf8')
    expect((await verifyAccessLog(by('TH').dir, by('TH').a.peerKey.publicKey)).ok).toBe(true)
    // An insider turns their own use into somebody else's.
    writeFileSync(file, original.replace(officer.account.id, 'u_aaaaaaaaaa'))
    expect((await verifyAccessLog(by('TH').dir, by('TH').a.peerKey.publicKey)).problem?.code).toBe('AUDIT_LINE_EDITED')
    const lines = original.trimEnd().split('\n')
    writeFileSync(file, lines.slice(0, -1).join('\n') + '\n')
    expect((await verifyAccessLog(by('TH').dir, by('TH').a.peerKey.publicKey)).problem?.code).toBe('AUDIT_TAIL_TRUNCATED')
    writeFileSync(file, original)
    appendFileSync(file, '')
    expect((await verifyAccessLog(by('TH').dir, by('TH').a.peerKey.publicKey)).ok).toBe(true)
  })
})
