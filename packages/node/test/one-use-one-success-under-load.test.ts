/**
 * Issue 16, finding 1: under load an officer was told `202 PROVISIONAL` for
 * a permit another officer had just been told `201 CONSUMED` for. The
 * destination's own stream limit ("17/16 outbound streams") and streams
 * closed under load were taken for "issuer unreachable", so the node
 * recorded a provisional use beside the issuer's. The ledgers stayed right;
 * the answer to the officer was wrong, and an officer who sees 202 may
 * release the goods.
 *
 * Here, the answers the officer sees: CH issues, TH is the destination with
 * provisional use allowed (as in the pilot), and TH's HTTP API is driven
 * with concurrent requests over real sockets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { buildHttpApi, hashToken } from '../src/index.js'
import { chPermit, USE_A, waitFor } from '@cites/test-kit'
import { authorities, basePort, meshFormed, startPermitNode, stopAll, trustListXml, type TestNode } from './kit.js'

const T = { issuer: 'i'.repeat(32), customs: 'c'.repeat(32), viewer: 'v'.repeat(32) }
const tokens = { issuer: hashToken(T.issuer), customs: hashToken(T.customs), viewer: hashToken(T.viewer) }

describe('one use, one success, under concurrent load at the destination', () => {
  let nodes: TestNode[] = []
  let th: FastifyInstance
  let url: string
  const by = (p: string): TestNode => nodes.find((n) => n.a.party === p) as TestNode
  let serial = 0
  /** A fresh CH permit for TH, held by TH's replica. */
  const issue = async (): Promise<string> => {
    const number = `26CH9${String(++serial).padStart(4, '0')}`
    await by('CH').node.issue(chPermit(number))
    return number
  }
  const held = async (numbers: readonly string[]): Promise<void> => {
    await waitFor(async () => (await Promise.all(numbers.map(async (n) => await by('TH').node.internals.ledger.status('CH', n)))).every((s) => s !== undefined), { timeoutMs: 30_000, what: 'TH to hold the permits' })
  }
  const use = async (number: string): Promise<{ status: number, code: string }> => {
    const r = await fetch(`${url}/v1/permits/CH/${number}/consumptions`, { method: 'POST', headers: { authorization: `Bearer ${T.customs}`, 'content-type': 'application/json' }, body: JSON.stringify(USE_A) })
    const body = await r.json() as { code?: string }
    return { status: r.status, code: body.code ?? '' }
  }
  const count = (answers: ReadonlyArray<{ status: number }>): Record<number, number> => {
    const out: Record<number, number> = {}
    for (const a of answers) out[a.status] = (out[a.status] ?? 0) + 1
    return out
  }

  beforeAll(async () => {
    const all = await authorities(['CH', 'TH'], basePort())
    const xml = await trustListXml(all)
    nodes = await Promise.all(all.map(async (a) => await startPermitNode(a, xml, a.party === 'TH' ? { provisional: { allow: true, issuerTimeoutMs: 5000 } } : {})))
    await meshFormed(nodes)
    th = (await buildHttpApi(by('TH').node, { tokens, logger: false, rateLimitPerMinute: 1_000_000, maxConnectionsPerAddress: 1000 })).app
    url = await th.listen({ host: '127.0.0.1', port: 0 })
  }, 120_000)
  afterAll(async () => {
    await th?.close()
    await stopAll(nodes)
  })

  for (const allow of [true, false]) {
    it(`200 concurrent uses of one permit give exactly one 201, no 202, the rest 409 (provisional use ${allow ? 'allowed' : 'off'})`, async () => {
      by('TH').node.policy.allow = allow
      const number = await issue()
      await held([number])
      const answers = await Promise.all(Array.from({ length: 200 }, async () => await use(number)))
      expect(count(answers)).toEqual({ 201: 1, 409: 199 })
      expect(new Set(answers.filter((a) => a.status === 409).map((a) => a.code))).toEqual(new Set(['ALREADY_CONSUMED']))
      // The ledgers agree: one CONSUMED at the issuer, no claim at the destination.
      expect((await by('CH').node.internals.ledger.status('CH', number))?.status).toBe('CONSUMED')
      expect(await by('TH').node.internals.ledger.claims('CH', number)).toEqual([])
    }, 120_000)
  }

  it('60 different permits used at once: 60 times 201, no 202 (requests wait their turn, never "unreachable")', async () => {
    by('TH').node.policy.allow = true
    const numbers = await Promise.all(Array.from({ length: 60 }, async () => await issue()))
    await held(numbers)
    const answers = await Promise.all(numbers.map(async (n) => await use(n)))
    expect(count(answers)).toEqual({ 201: 60 })
    expect(await by('TH').node.internals.ledger.openClaims()).toEqual([])
  }, 120_000)

  it('a use racing a cancellation at the issuer has exactly one winner, and never a 202', async () => {
    by('TH').node.policy.allow = true
    const numbers = await Promise.all(Array.from({ length: 10 }, async () => await issue()))
    await held(numbers)
    for (const number of numbers) {
      const [u, c] = await Promise.all([
        use(number),
        by('CH').node.cancel('CH', number, 'withdrawn by the issuer').then(() => 'CANCELLED', (err: { code?: string }) => err.code ?? 'ERROR')
      ])
      if (u.status === 201) expect(c).toBe('ALREADY_CONSUMED')
      else expect([u.status, u.code, c]).toEqual([409, 'PERMIT_CANCELLED', 'CANCELLED'])
    }
    expect(await by('TH').node.internals.ledger.openClaims()).toEqual([])
  }, 120_000)

  it('a flood of uses of a used permit never turns another permit\'s first use provisional', async () => {
    by('TH').node.policy.allow = true
    const used = await issue()
    const fresh = await issue()
    await held([used, fresh])
    expect((await use(used)).status).toBe(201)
    const [flood, first] = await Promise.all([
      Promise.all(Array.from({ length: 300 }, async () => await use(used))),
      (async () => { await new Promise((resolve) => setTimeout(resolve, 20)); return await use(fresh) })()
    ])
    expect(first.status).toBe(201)
    expect(count(flood)).toEqual({ 409: 300 })
  }, 120_000)

  it('150 concurrent verifications are all answered by the issuer while it is up, none "not confirmed by issuer"', async () => {
    const numbers = await Promise.all(Array.from({ length: 15 }, async () => await issue()))
    await held(numbers)
    const answers = await Promise.all(Array.from({ length: 150 }, async (_, i) => {
      const r = await fetch(`${url}/v1/verify`, { method: 'POST', headers: { authorization: `Bearer ${T.viewer}`, 'content-type': 'application/json' }, body: JSON.stringify({ party: 'CH', number: numbers[i % numbers.length] }) })
      const body = await r.json() as { source?: string, checks?: Array<{ name: string, reason: { code: string } }> }
      return { status: r.status, source: body.source, confirmation: body.checks?.find((c) => c.name === 'confirmation')?.reason.code }
    }))
    expect(count(answers)).toEqual({ 200: 150 })
    expect(new Set(answers.map((a) => a.source))).toEqual(new Set(['issuer']))
    expect(answers.filter((a) => a.confirmation === 'NOT_CONFIRMED_BY_ISSUER')).toEqual([])
  }, 120_000)
})
