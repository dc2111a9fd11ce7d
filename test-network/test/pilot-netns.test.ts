/**
 * Netns mode: each node in its own network namespace, linked to a bridge by a
 * veth (separate hosts on a private /24). A permit issued at CH reaches every
 * node across the bridge; `fault slow` puts tc netem on a node's link and
 * `heal` takes it off; `pilot down` removes the namespaces and the bridge.
 * Runs only where namespaces can be made (root, iproute2); reports the skip.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { NodeClient, healAll, netnsAvailable, pilotDown, pilotPermit, pilotUp, slowLink, type PilotLayout } from '../src/index.js'

const can = netnsAvailable()
if (!can.ok) console.warn(`pilot netns test SKIPPED: network namespaces cannot be made here (${can.why ?? '?'})`)
const qdisc = (ns: string): string => execFileSync('ip', ['netns', 'exec', ns, 'tc', 'qdisc', 'show', 'dev', 'eth0'], { encoding: 'utf8' })

describe.runIf(can.ok)('the pilot in network namespaces', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'cites-netns-')), 'pilot')
  let layout: PilotLayout

  beforeAll(async () => {
    layout = (await pilotUp({ nodes: 4, dir, netns: true })).layout
  }, 120_000)
  afterAll(async () => {
    await pilotDown(dir).catch(() => {})
    rmSync(join(dir, '..'), { recursive: true, force: true })
  })

  it('puts every node on its own address in its own namespace', () => {
    expect(layout.netns).toBeDefined()
    const ips = layout.nodes.map((n) => n.ip)
    expect(new Set(ips).size).toBe(4)
    for (const n of layout.nodes) {
      expect(n.url).toBe(`http://${n.ip}:8080`)
      expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).toContain(n.ns)
      expect(execFileSync('ip', ['-n', n.ns as string, 'addr', 'show', 'eth0'], { encoding: 'utf8' })).toContain(`${n.ip}/24`)
    }
  })

  it('gossips a permit across the bridge to every node', async () => {
    const ch = new NodeClient(layout.nodes[0]!)
    const r = await ch.request('POST', '/v1/permits', { role: 'issuer', body: pilotPermit('CH', 'TH', '26CHNS0001') })
    expect(r.status).toBe(201)
    for (const n of layout.nodes) expect((await new NodeClient(n).request('GET', '/v1/permits/CH/26CHNS0001?wait=20000', { role: 'viewer' })).status).toBe(200)
  })

  it('slows a link with tc netem, and heal takes it off', async () => {
    const th = layout.nodes.find((n) => n.party === 'TH')!
    const what = slowLink(layout, 'TH', 150)
    // netem where the kernel has it; a token-bucket rate limit otherwise (said so).
    expect(qdisc(th.ns as string)).toMatch(what.startsWith('netem') ? /netem.*delay 150ms/ : /tbf .*rate 256Kbit/)
    // Still working, only slower.
    expect((await new NodeClient(th).request('POST', '/v1/verify', { role: 'viewer', body: { party: 'CH', number: '26CHNS0001' } })).body.valid).toBe(true)
    await healAll(layout)
    expect(qdisc(th.ns as string)).not.toMatch(/netem|tbf/)
  })

  it('pilot down removes the namespaces and the bridge', async () => {
    await pilotDown(dir)
    const list = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    for (const n of layout.nodes) expect(list).not.toContain(n.ns)
    expect(execFileSync('ip', ['link', 'show'], { encoding: 'utf8' })).not.toContain(layout.netns!.bridge)
  })
})
