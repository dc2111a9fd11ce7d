/**
 * The pilot network headless: `cites pilot up --json` brings up the default
 * five authorities as separate processes; the default scenario's ten steps
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
import { checkInvariants, defaultScenario, nodePid, partitionScenario, readLayout, runCampaign, type PilotLayout } from '../src/index.js'

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
      expect(Object.keys(n.tokens).sort()).toEqual(['customs', 'issuer', 'viewer'])
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

  it('runs the default scenario: each of the ten steps as expected, then the invariants hold', async () => {
    const r = await defaultScenario(layout)
    expect(r.steps.map((s) => `${s.step}:${s.ok ? 'ok' : s.detail}`)).toEqual(Array.from({ length: 10 }, (_, i) => `${i + 1}:ok`))
    expect(r.steps[6]!.detail).toContain('DIVERTED_USE alert at CH')
    expect(r.invariants).toMatchObject({ ok: true, missing: [], consumedTwice: [], badLogs: [], missingAlerts: [], unexpectedAlerts: [] })
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
