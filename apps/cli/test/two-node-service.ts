/**
 * Two authorities' nodes (CH and TH) as a user sets them up with the real
 * `cites` binary: an anchor, `node init`, a signed trust list, `node trust`,
 * and `node start` as child processes.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import { BIN, cites } from './run-cli.js'

export interface Init { party: string, peerId: string, configPath: string, tokens: { admin: string, issuer: string, customs: string, viewer: string }, accounts: Array<{ id: string, role: string, token: string }> }

/**
 * `cites node init … --json` (which makes the first admin account), then one
 * personal account per other role with `cites users add`, as an operator
 * does: the Init holds each role's token.
 */
export function initNode (dir: string, ...args: string[]): Init {
  const made = JSON.parse(ok(dir, 'node', 'init', ...args, '--json')) as Omit<Init, 'tokens'> & { tokens: { admin: string } }
  const nodeDir = args[args.indexOf('--dir') + 1] as string
  const tokens = { admin: made.tokens.admin, issuer: '', customs: '', viewer: '' }
  for (const role of ['issuer', 'customs', 'viewer'] as const) {
    const u = JSON.parse(ok(dir, 'users', 'add', '--dir', nodeDir, '--name', `Test ${role} officer`, '--role', role, '--json')) as { account: { id: string }, token: string }
    tokens[role] = u.token
    made.accounts.push({ id: u.account.id, role, token: u.token })
  }
  return { ...made, tokens }
}

export interface RunningNode { proc: ChildProcess, url: Promise<string>, exited: Promise<number | null>, output: () => string }

export function startNode (cwd: string, dir: string): RunningNode {
  const proc = spawn(process.execPath, [BIN, 'node', 'start', '--dir', dir], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } })
  let out = ''
  const url = new Promise<string>((resolve, reject) => {
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /running: (http:\/\/\S+)/.exec(out)
      if (m !== null) resolve(m[1] as string)
    })
    proc.stderr?.on('data', (d: Buffer) => { out += d.toString() })
    proc.on('exit', () => { reject(new Error(`node exited before it started:\n${out}`)) })
  })
  return { proc, url, exited: new Promise((resolve) => proc.on('exit', (code) => { resolve(code) })), output: () => out }
}

export interface TwoNodes { dir: string, ch: Init, th: Init, chUrl: string, thUrl: string, nodes: RunningNode[], stop: () => void }

/** Run `cites` in `dir`, expecting exit 0; returns stdout. */
export function ok (dir: string, ...args: string[]): string {
  const r = cites(dir, ...args)
  expect(r.code, `${args.join(' ')}\n${r.err}`).toBe(0)
  return r.out
}

export async function startTwoNodes (prefix: string): Promise<TwoNodes> {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  const base = 20000 + Math.floor(Math.random() * 600) * 20
  ok(dir, 'keys', 'generate', '--anchor', '--out', 'anchor')
  const ch = initNode(dir, '--party', 'CH', '--dir', 'nodes/CH', '--p2p-port', String(base), '--http-port', String(base + 10), '--listen', `/ip4/127.0.0.1/tcp/${base}`)
  const th = initNode(dir, '--party', 'TH', '--dir', 'nodes/TH', '--p2p-port', String(base + 1), '--http-port', String(base + 11), '--listen', `/ip4/127.0.0.1/tcp/${base + 1}`)
  ok(dir, 'trust-list', 'create', '--anchor', 'anchor', '--out', 'tl.xml')
  ok(dir, 'trust-list', 'add', 'tl.xml', '--keys', 'nodes/CH/keys', '--name', 'Federal Food Safety and Veterinary Office', '--role', 'management-authority', '--addr', `/ip4/127.0.0.1/tcp/${base}`)
  ok(dir, 'trust-list', 'add', 'tl.xml', '--keys', 'nodes/TH/keys', '--name', 'Department of National Parks', '--role', 'management-authority', '--addr', `/ip4/127.0.0.1/tcp/${base + 1}`)
  ok(dir, 'trust-list', 'sign', 'tl.xml', '--anchor', 'anchor')
  for (const p of ['CH', 'TH']) ok(dir, 'node', 'trust', '--dir', `nodes/${p}`, '--anchor', 'anchor', '--trust-list', 'tl.xml')
  const nodes = [startNode(dir, 'nodes/CH'), startNode(dir, 'nodes/TH')]
  const [chUrl, thUrl] = await Promise.all(nodes.map(async (n) => await n.url)) as [string, string]
  return {
    dir, ch, th, chUrl, thUrl, nodes,
    stop: () => {
      for (const n of nodes) n.proc.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
