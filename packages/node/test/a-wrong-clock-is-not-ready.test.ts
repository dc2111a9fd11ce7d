/**
 * Clock skew against peers (issue 15 §6; network.md §4.2), on three real
 * nodes over real libp2p: a node whose clock is 10 minutes fast (past the
 * consumption-request freshness window of its peers) is told so by /readyz
 * (503, CLOCK_SKEW), measured from the `time` its peers put in their sync
 * answers. Its honest peers each see one peer off, a lying clock as far as
 * they can tell: the median over their two peers keeps them ready.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { NOW, waitFor } from '@cites/test-kit'
import { buildHttpApi, hashToken, type Readiness, type ReadinessCheck } from '../src/index.js'
import { authorities, basePort, meshFormed, startPermitNode, stopAll, trustListXml, type TestNode } from './kit.js'

const MIN = 60_000
const tokens = { issuer: hashToken('issuer-token-0123456789'), customs: hashToken('customs-token-0123456789'), viewer: hashToken('viewer-token-0123456789') }

const clockOf = (r: Readiness): ReadinessCheck => {
  const c = r.checks.find((x) => x.name === 'clock')
  if (c === undefined) throw new Error(`no clock check in ${JSON.stringify(r)}`)
  return c
}

describe('a node with a wrong clock', () => {
  const nodes: TestNode[] = []
  const apps: FastifyInstance[] = []
  let ch: TestNode
  let th: TestNode
  let us: TestNode

  const readyz = async (n: TestNode): Promise<{ status: number, body: Readiness }> => {
    const api = (await buildHttpApi(n.node, { tokens, logger: false })).app
    apps.push(api)
    const r = await api.inject({ method: 'GET', url: '/readyz' })
    return { status: r.statusCode, body: r.json() as Readiness }
  }

  beforeAll(async () => {
    const all = await authorities(['CH', 'TH', 'US'], basePort())
    const xml = await trustListXml(all)
    ch = await startPermitNode(all[0]!, xml)
    th = await startPermitNode(all[1]!, xml)
    // US's host clock runs 10 minutes fast.
    us = await startPermitNode(all[2]!, xml, { now: () => NOW + 10 * MIN })
    nodes.push(ch, th, us)
    await meshFormed(nodes)
    // No permit anywhere yet: the heads exchange (with no heads) still measures.
    for (const n of nodes) await waitFor(() => n.node.clockOffsets().peers === 2, { what: `${n.a.party} measured both peers' clocks`, timeoutMs: 30_000 })
  }, 90_000)
  afterAll(async () => {
    await Promise.allSettled(apps.map(async (a) => { await a.close() }))
    await stopAll(nodes)
  })

  it('is not ready (503, CLOCK_SKEW): both its peers read 10 minutes behind it', async () => {
    const est = us.node.clockOffsets()
    expect(est.samples.map((s) => s.party)).toEqual(['CH', 'TH'])
    for (const s of est.samples) expect(Math.abs(s.offsetMs + 10 * MIN)).toBeLessThanOrEqual(s.roundTripMs / 2 + 1)
    const { status, body } = await readyz(us)
    expect(status).toBe(503)
    expect(clockOf(body)).toMatchObject({ ok: false, status: 'fail', code: 'CLOCK_SKEW' })
    expect(clockOf(body).message).toMatch(/^this node's clock is 600\.\d s ahead of the median of 2 peers/)
    // Only the clock: the rest of the node is fit.
    expect(body.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['clock'])
  })

  it('one peer with a lying clock does not make an honest node unready: the median of its peers stays near zero', async () => {
    for (const n of [ch, th]) {
      const est = n.node.clockOffsets()
      expect(est.samples.find((s) => s.party === 'US')!.offsetMs).toBeGreaterThan(9 * MIN)
      expect(Math.abs(est.medianOffsetMs!)).toBeLessThan(MIN)
      const { status, body } = await readyz(n)
      expect(status).toBe(200)
      expect(clockOf(body)).toMatchObject({ ok: true, status: 'pass', code: 'CLOCK_WITHIN_BOUND' })
      expect(clockOf(body).message).toMatch(/of 2 peers/)
    }
  })

  it('a disconnected peer\'s clock no longer counts', async () => {
    await stopAll([th], false)
    await waitFor(() => !us.node.peerParties().includes('TH') && !ch.node.peerParties().includes('TH'), { what: 'TH gone' })
    expect(us.node.clockOffsets().samples.map((s) => s.party)).toEqual(['CH'])
    // CH now hears only US, 10 minutes ahead: with one peer, its word is all there is
    // (and that peer could as well leave, which fails the peers check).
    const { body } = await readyz(ch)
    expect(clockOf(body)).toMatchObject({ ok: false, code: 'CLOCK_SKEW' })
    expect(clockOf(body).message).toMatch(/^this node's clock is 600\.\d s behind the median of 1 peer /)
  })
})
