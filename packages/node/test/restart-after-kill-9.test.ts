/**
 * A node killed with `kill -9` while permits are being issued restarts on its
 * data and catches up through sync with nothing missing: FR runs as a child
 * process (built code); CH issues permits before, during and after the kill.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ledger } from '@cites/ledger'
import { anchorCertPem, chPermit, NOW, trustStoreFor, waitFor } from '@cites/test-kit'
import { authorities, basePort, meshFormed, startPermitNode, stopAll, trustListXml, type Authority, type TestNode } from './kit.js'

const CHILD = fileURLToPath(new URL('./node-child.mjs', import.meta.url))

interface ChildNode { proc: ChildProcess, status: { logs?: Record<string, number>, peers?: string[] }, exited: Promise<number | null> }

function startChild (a: Authority, xml: string, dataDir: string): ChildNode {
  const env = { ...process.env, CITES_CHILD: JSON.stringify({ party: a.party, keyPem: a.keyPem, certPem: a.certPem, peerKeyHex: a.peerKeyHex, address: a.address, trustXml: xml, anchorCert: anchorCertPem(), dataDir, now: NOW }) }
  const proc = spawn(process.execPath, [CHILD], { env, stdio: ['ignore', 'pipe', 'inherit'] })
  const child: ChildNode = { proc, status: {}, exited: new Promise((resolve) => proc.on('exit', (code) => { resolve(code) })) }
  let buf = ''
  proc.stdout?.on('data', (d: Buffer) => {
    buf += d.toString()
    const lines = buf.split('\n')
    buf = lines.pop() ?? ''
    for (const l of lines) { try { child.status = JSON.parse(l) } catch { /* partial line */ } }
  })
  return child
}

describe('restart after kill -9 while permits are issued', () => {
  let nodes: TestNode[] = []
  let child: ChildNode | undefined
  let fr: Authority
  let xml: string
  const frDir = mkdtempSync(join(tmpdir(), 'cites-node-FR-'))

  beforeAll(async () => {
    const all = await authorities(['CH', 'TH', 'FR'], basePort())
    fr = all[2] as Authority
    xml = await trustListXml(all)
    nodes = await Promise.all(all.slice(0, 2).map(async (a) => await startPermitNode(a, xml)))
    child = startChild(fr, xml, frDir)
    await meshFormed(nodes)
    await waitFor(() => (child?.status.peers ?? []).length === 2, { timeoutMs: 30_000, what: 'FR to join' })
  })
  afterAll(async () => {
    child?.proc.kill('SIGKILL')
    await stopAll(nodes)
    rmSync(frDir, { recursive: true, force: true })
  })

  it('catches up every permit issued before, during and after the crash, and its replica verifies', async () => {
    const ch = nodes[0] as TestNode
    let issued = 0
    const issue = async (n: number): Promise<void> => { for (let i = 0; i < n; i++) await ch.node.issue(chPermit(`26CH9${String(issued++).padStart(4, '0')}`)) }
    await issue(20)
    // Killed mid-stream: issuing goes on while the SIGKILL lands.
    const during = issue(20)
    child?.proc.kill('SIGKILL')
    expect(await child?.exited).toBe(null)
    await during
    await issue(20) // while FR is down
    const head = ch.node.internals.ledger.heads().get('CH')?.size
    expect(head).toBe(60)

    child = startChild(fr, xml, frDir)
    await waitFor(() => child?.status.logs?.CH === head, { timeoutMs: 30_000, what: 'FR to catch up' })
    child.proc.kill('SIGTERM')
    expect(await child.exited).toBe(0)

    // FR's ledger, opened after a clean stop: every event of CH's log, verified end to end.
    const ledger = await Ledger.open({ location: join(frDir, 'ledger'), trust: await trustStoreFor(xml), now: () => NOW })
    try {
      expect(await ledger.verifyLog('CH')).toMatchObject({ ok: true, size: 60 })
      expect(await ledger.count({ party: 'CH' })).toBe(60)
      expect(Buffer.concat(await ledger.eventsFrom('CH', 1, 100))).toEqual(Buffer.concat(await ch.node.internals.ledger.eventsFrom('CH', 1, 100)))
    } finally {
      await ledger.close()
    }
  })
})
