/**
 * Issue 18 on the pilot, attacked as the independent run did: a *listed*
 * insider holding FR's real peer and signing keys (FR's own node killed)
 * speaks /cites/consume to CH directly through the insider harness
 * (`@cites/test-kit/insider`). Every request is validly signed by FR; what
 * it claims is checked, not believed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Insider } from '@cites/test-kit/insider'
import { waitFor } from '@cites/test-kit'
import { NodeClient, killNode, pilotDown, pilotPermit, pilotUp, type PilotLayout } from '../src/index.js'

describe('a listed insider (FR\'s keys) against CH\'s node', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'cites-insider-')), 'pilot')
  let layout: PilotLayout
  let ch: NodeClient
  let insider: Insider
  const LINES = [{ line: 'A', quantity: 50, unit: 'PCS' }]

  /** Issue a CH permit for FR through CH's HTTP API; `validForMs` from now. */
  async function issue (number: string, validForMs = 180 * 86_400_000): Promise<{ validUntil: number }> {
    const permit = pilotPermit('CH', 'FR', number)
    const validUntil = Date.now() + validForMs
    permit.validUntil = new Date(validUntil).toISOString()
    const r = await ch.request('POST', '/v1/permits', { role: 'issuer', body: permit })
    expect(r.status, JSON.stringify(r.body)).toBe(201)
    return { validUntil }
  }
  async function chLogSize (): Promise<number> {
    return (await ch.status()).logs.CH ?? 0
  }

  beforeAll(async () => {
    const base = 23000 + Math.floor(Math.random() * 400) * 10
    layout = (await pilotUp({ nodes: 3, dir, basePort: base })).layout
    expect(layout.nodes.map((n) => n.party)).toEqual(['CH', 'FR', 'CN'])
    ch = new NodeClient(layout.nodes[0]!)
    await killNode(layout, 'FR')
    insider = await Insider.takeOver(dir, 'FR')
    await insider.dial('CH')
  }, 300_000)
  afterAll(async () => {
    await insider?.stop()
    await pilotDown(dir).catch(() => {})
    rmSync(join(dir, '..'), { recursive: true, force: true })
  })

  it('cannot get an expired permit consumed with an invented claim dated before expiry (CLAIM_UNKNOWN, nothing written)', async () => {
    const { validUntil } = await issue('26CHX1730', 3000)
    await waitFor(() => Date.now() > validUntil + 500, { timeoutMs: 10_000, what: 'the permit to expire' })
    const plain = await insider.consume({ party: 'CH', number: '26CHX1730', lines: LINES, port: 'FRCDG' })
    expect([plain.status, plain.code]).toEqual(['REFUSED', 'PERMIT_EXPIRED'])
    const before = await chLogSize()
    // Claim #42 of a log that holds no such event, a random hash, "used" 10 s before expiry.
    const invented = await insider.consume({ party: 'CH', number: '26CHX1730', lines: LINES, port: 'FRCDG', claim: { seq: 42, hash: 'a5'.repeat(32), usedAt: validUntil - 10_000 } })
    expect([invented.status, invented.code]).toEqual(['REFUSED', 'CLAIM_UNKNOWN'])
    expect(invented.event.length).toBe(0)
    // Claim #999 on the same permit: the same.
    const again = await insider.consume({ party: 'CH', number: '26CHX1730', lines: LINES, port: 'FRCDG', claim: { seq: 999, hash: '5a'.repeat(32), usedAt: validUntil - 10_000 } })
    expect(again.code).toBe('CLAIM_UNKNOWN')
    expect(await chLogSize()).toBe(before)
    const permit = await ch.request<{ status: string }>('GET', '/v1/permits/CH/26CHX1730', { role: 'viewer' })
    expect(permit.body.status).not.toBe('CONSUMED')
  })

  it('a replayed consume request is refused REQUEST_REPLAYED', async () => {
    await issue('26CHX1731')
    // Asking for more than authorised: refused on its merits, and the request is spent.
    const signed = await insider.signConsumeRequest({ party: 'CH', number: '26CHX1731', lines: [{ line: 'A', quantity: 5000, unit: 'PCS' }], port: 'FRCDG' })
    expect((await insider.sendConsume('CH', signed)).code).toBe('QUANTITY_EXCEEDED')
    expect((await insider.sendConsume('CH', signed)).code).toBe('REQUEST_REPLAYED')
  })

  it('300 invented claims: CH\'s log does not grow, the insider is cut off, and its gossip score falls', async () => {
    await issue('26CHX1732')
    const before = await chLogSize()
    const codes = new Map<string, number>()
    for (let i = 0; i < 300; i++) {
      const r = await insider.consume({ party: 'CH', number: '26CHX1732', lines: LINES, port: 'FRCDG', claim: { seq: 100 + i, hash: (i + 1).toString(16).padStart(64, '0'), usedAt: Date.now() - 60_000 } })
      codes.set(r.code, (codes.get(r.code) ?? 0) + 1)
    }
    // A handful judged (each costs the budget ten ordinary refusals), the rest refused unread.
    expect((codes.get('CLAIM_UNKNOWN') ?? 0)).toBeGreaterThan(0)
    expect((codes.get('CLAIM_UNKNOWN') ?? 0)).toBeLessThanOrEqual(10)
    expect(codes.get('PEER_RATE_LIMITED') ?? 0).toBeGreaterThanOrEqual(290)
    expect(await chLogSize()).toBe(before)
    // Cut off: even a plain, valid use is not served now.
    expect((await insider.consume({ party: 'CH', number: '26CHX1732', lines: LINES, port: 'FRCDG' })).code).toBe('PEER_RATE_LIMITED')
    const metrics = String((await ch.request<string>('GET', '/metrics', { role: 'viewer', accept: 'text/plain' })).body)
    const lines = metrics.split('\n').filter((l) => /^cites_(gossip_peer_score|consume_refusals)/.test(l))
    const value = (re: RegExp): number => Number(lines.map((l) => re.exec(l)?.[1]).find((v) => v !== undefined))
    expect(value(/^cites_gossip_peer_score\{party="FR"[^}]*\} (\S+)/), lines.join('\n')).toBeLessThan(0)
    expect(value(/^cites_consume_refusals\{code="PEER_RATE_LIMITED"[^}]*\} (\S+)/), lines.join('\n')).toBeGreaterThanOrEqual(290)
  })
})
