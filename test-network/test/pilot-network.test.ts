/**
 * The pilot network headless: `cites pilot up --json` brings up the default
 * five authorities as separate processes; the default scenario's eleven steps
 * and the partition scenario (uses on both sides, then heal) each pass and
 * end with the invariants holding; `pilot fault` kills and restarts a node;
 * `pilot status` and `pilot down` report and stop everything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { NodeClient, checkInvariants, defaultScenario, nodePid, partitionScenario, pilotPermit, readLayout, runCampaign, type PilotLayout } from '../src/index.js'

const BIN = fileURLToPath(new URL('../../apps/cli/bin/cites.js', import.meta.url))
const cites = (...args: string[]): { code: number, out: string, err: string } => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 180_000 })
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr }
}

describe('the pilot network', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'cites-pilot-')), 'pilot')
  const base = String(20000 + Math.floor(Math.random() * 500) * 20)
  let layout: PilotLayout

  beforeAll(() => {
    const up = cites('pilot', 'up', '--dir', dir, '--base-port', base, '--json')
    expect(up.code, up.err).toBe(0)
    const j = JSON.parse(up.out) as { dir: string, nodes: Array<{ party: string, peerId: string, url: string, tokens: Record<string, string> }> }
    expect(j.nodes.map((n) => n.party)).toEqual(['CH', 'FR', 'CN', 'TH', 'US'])
    for (const n of j.nodes) {
      expect(n.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(Object.keys(n.tokens).sort()).toEqual(['admin', 'customs', 'issuer', 'viewer'])
    }
    layout = readLayout(dir)
  }, 200_000)
  afterAll(() => {
    cites('pilot', 'down', '--dir', dir)
    rmSync(join(dir, '..'), { recursive: true, force: true })
  })

  it('every node runs as its own process and serves its customs page', async () => {
    const pids = layout.nodes.map((n) => nodePid(n))
    expect(pids.every((p) => p !== undefined && p !== process.pid)).toBe(true)
    expect(new Set(pids).size).toBe(5)
    const page = await fetch(`${layout.nodes[3]!.url}/`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('CITES permit check')
  })

  it('runs the default scenario: each of the eleven steps as expected, then the invariants hold', async () => {
    const r = await defaultScenario(layout)
    expect(r.steps.map((s) => `${s.step}:${s.ok ? 'ok' : s.detail}`)).toEqual(Array.from({ length: 11 }, (_, i) => `${i + 1}:ok`))
    expect(r.steps[6]!.detail).toContain('DIVERTED_USE alert at CH')
    // Step 10's TH→CH permit: its traders at CH and TH only (invariant 5, read through each node's API).
    expect(r.invariants).toMatchObject({ ok: true, missing: [], consumedTwice: [], badLogs: [], missingAlerts: [], unexpectedAlerts: [], traderLeaks: [] })
    expect(r.invariants.lines.some((l) => l.startsWith('trader data of 1 permit(s) only at the parties'))).toBe(true)
    // Step 2 waits for its permit's acknowledgement; the three issued while FR
    // was down may still be on their way to TH when the invariants run.
    expect(r.invariants.acknowledged).toBeGreaterThanOrEqual(1)
    expect(r.ok).toBe(true)
  }, 180_000)

  it('runs the partition scenario: uses on both sides of the partition, then heal; nothing consumed twice', async () => {
    const r = await partitionScenario(layout)
    expect(r.steps.map((s) => `${s.step}:${s.ok ? 'ok' : s.detail}`)).toEqual(['1:ok', '2:ok', '3:ok', '4:ok', '5:ok'])
    expect(r.invariants.ok).toBe(true)
    expect(r.invariants.consumedTwice).toEqual([])
  }, 180_000)

  it('the permit officer\'s walk on the pilot (issue 20): issue, replace, endorse less, use once, cancel, report', async () => {
    const [ch, , , , us] = layout.nodes.map((n) => new NodeClient(n)) as [NodeClient, NodeClient, NodeClient, NodeClient, NodeClient]
    const toUs = (number: string): Record<string, unknown> => {
      const p = pilotPermit('CH', 'US', number)
      return { ...p, lines: (p.lines as Array<Record<string, unknown>>).map((l) => ({ ...l, quantity: 30 })) }
    }
    const use = (port: string, quantity = 28): Record<string, unknown> => ({ lines: [{ line: 'A', quantity, unit: 'PCS' }], port })
    // Issue 26CHW00102 (30 pythons for the US), then replace it: the original was lost in transit.
    expect((await ch.request('POST', '/v1/permits', { role: 'issuer', body: toUs('26CHW00102') })).status).toBe(201)
    const replaced = await ch.request('POST', '/v1/permits', { role: 'issuer', body: { ...toUs('26CHW00103'), replacement: { replaces: '26CHW00102', reason: 'lost', details: 'original lost in transit' } } })
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(201)
    // The finding: both were used at US ports. Now the original is refused there, naming its replacement.
    let original = await us.request<{ code: string, detail: string }>('POST', '/v1/permits/CH/26CHW00102/consumptions', { role: 'customs', body: use('USMIA', 30) })
    for (let i = 0; i < 50 && original.body.code !== 'PERMIT_REPLACED'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      original = await us.request('POST', '/v1/permits/CH/26CHW00102/consumptions', { role: 'customs', body: use('USMIA', 30) })
    }
    expect([original.status, original.body.code]).toEqual([409, 'PERMIT_REPLACED'])
    expect(original.body.detail).toContain('26CHW00103')
    // Endorse less at Zurich: more than authorised refused; 28 of the 30 leave (Box 14).
    expect((await ch.request<{ code: string }>('POST', '/v1/permits/CH/26CHW00103/endorsements', { role: 'customs', body: { lines: [{ line: 'A', quantity: 31, unit: 'PCS' }], port: 'CHZRH' } })).body.code).toBe('QUANTITY_EXCEEDED')
    expect((await ch.request('POST', '/v1/permits/CH/26CHW00103/endorsements', { role: 'customs', body: { lines: [{ line: 'A', quantity: 28, unit: 'PCS' }], port: 'CHZRH' } })).status).toBe(201)
    // Use once at Miami; a second use at Los Angeles is refused with the first receipt.
    let first = await us.request<{ outcome: string }>('POST', '/v1/permits/CH/26CHW00103/consumptions', { role: 'customs', body: use('USMIA') })
    for (let i = 0; i < 50 && first.status !== 201; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      first = await us.request('POST', '/v1/permits/CH/26CHW00103/consumptions', { role: 'customs', body: use('USMIA') })
    }
    expect(first.status, JSON.stringify(first.body)).toBe(201)
    const second = await us.request<{ code: string, receipt: { port: string } }>('POST', '/v1/permits/CH/26CHW00103/consumptions', { role: 'customs', body: use('USLAX') })
    expect([second.status, second.body.code, second.body.receipt?.port]).toEqual([409, 'ALREADY_CONSUMED', 'USMIA'])
    // Cancel before use: 26CHW00104's use is refused.
    expect((await ch.request('POST', '/v1/permits', { role: 'issuer', body: toUs('26CHW00104') })).status).toBe(201)
    expect((await ch.request('POST', '/v1/permits/CH/26CHW00104/cancellation', { role: 'issuer', body: { reason: 'applicant withdrew' } })).status).toBe(201)
    let late = await us.request<{ code: string }>('POST', '/v1/permits/CH/26CHW00104/consumptions', { role: 'customs', body: use('USMIA', 30) })
    for (let i = 0; i < 50 && late.body.code !== 'PERMIT_CANCELLED'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      late = await us.request('POST', '/v1/permits/CH/26CHW00104/consumptions', { role: 'customs', body: use('USMIA', 30) })
    }
    expect([late.status, late.body.code]).toEqual([409, 'PERMIT_CANCELLED'])
    // The reports (CH's exports file, US's imports file): 28 exported and imported under 26CHW00103; nothing under the replaced or the cancelled permit.
    const year = new Date().getUTCFullYear()
    const rows = (csv: string): string[] => csv.split('\n').filter((l) => l.includes('26CHW001'))
    const chReport = rows(String((await ch.request<string>('GET', `/v1/reports/annual?year=${year}`, { role: 'issuer', accept: 'text/csv' })).body))
    expect(chReport.filter((l) => l.includes('26CHW00103'))).toHaveLength(1)
    expect(chReport.find((l) => l.includes('26CHW00103'))).toContain(',28,')
    expect(chReport.some((l) => l.includes('26CHW00102') || l.includes('26CHW00104'))).toBe(false)
    const usReport = rows(String((await us.request<string>('GET', `/v1/reports/annual?year=${year}&kind=imports`, { role: 'issuer', accept: 'text/csv' })).body))
    expect(usReport.filter((l) => l.includes('26CHW00103'))).toHaveLength(1)
  }, 120_000)

  it('pilot fault kill and restart through the CLI; the invariants still hold', async () => {
    const kill = cites('pilot', 'fault', 'kill', 'US', '--dir', dir, '--json')
    expect(kill.code, kill.err).toBe(0)
    expect(nodePid(layout.nodes.find((n) => n.party === 'US')!)).toBeUndefined()
    const status = JSON.parse(cites('pilot', 'status', '--dir', dir, '--json').out) as Array<{ party: string, running: boolean }>
    expect(status.find((s) => s.party === 'US')?.running).toBe(false)
    const restart = cites('pilot', 'fault', 'restart', 'US', '--dir', dir, '--json')
    expect(restart.code, restart.err).toBe(0)
    expect(JSON.parse(restart.out).invariants.ok).toBe(true)
    const slow = cites('pilot', 'fault', 'slow', 'US', '--dir', dir)
    expect(slow.code).toBe(2)
    expect(slow.err).toContain('NETNS_REQUIRED')
    expect((await checkInvariants(layout)).ok).toBe(true)
  }, 120_000)

  it('a crash and partition campaign (random kills, restarts and partitions, 45 s): no permit used twice, no acknowledged permit lost, the invariants hold after every run', async () => {
    const r = await runCampaign(layout, { durationMs: 45_000 })
    console.log(`crash and partition campaign:\n  ${r.lines.join('\n  ')}`)
    expect(r.invariantFailures).toEqual([])
    expect(r.doubleConsumptions).toBe(0)
    expect(r.acknowledgedLost).toBe(0)
    expect(r.runs).toBeGreaterThanOrEqual(2)
    expect(r.faults.kills + r.faults.partitions).toBeGreaterThanOrEqual(2)
    expect(r.permits.acknowledged).toBeGreaterThan(0)
    expect(r.consumptions.consumed).toBeGreaterThan(0)
    expect(r.ok).toBe(true)
  }, 300_000)

  it('pilot down stops every node', () => {
    const down = JSON.parse(cites('pilot', 'down', '--dir', dir, '--json').out) as { stopped: string[] }
    expect(down.stopped).toEqual(['CH', 'CN', 'FR', 'TH', 'US'])
    expect(layout.nodes.every((n) => nodePid(n) === undefined)).toBe(true)
  })
})
