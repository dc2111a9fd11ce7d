/**
 * Issue 17: `cites consume --token -VKo2… CH/26CH000042 …` printed the
 * version and exited 0 without recording the use (one base64url token in 64
 * begins with "-"). Here the real binary runs against TH's HTTP API (real
 * CH and TH nodes on loopback, CH issuing) with tokens that begin with
 * `-V`, `-h`, `--` and `-`, given as `--token T`, `--token=T`, `CITES_TOKEN`
 * and `--token-file`: each either records the use (exit 0, and CH's ledger
 * shows it) or fails with exit 2 and a clear error; none exits 0 without a
 * use. A property test drives the same CLI code in process over random
 * tokens and permit numbers: exit 0 only with the use recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { buildHttpApi, hashToken, newToken } from '@cites/node'
import { chPermit } from '@cites/test-kit'
import { main } from '../src/index.js'
import { BIN } from './run-cli.js'
import { authorities, basePort, meshFormed, startPermitNode, stopAll, trustListXml, type TestNode } from '../../../packages/node/test/kit.js'

const TOKENS = ['-VKo2ZYNRnMiIfHPvYeBYNXF3PpXWaqW', '-hQ1sT9vXaB2cD3eF4gH5iJ6kL7mN8oP', '--Zq8rS7tU6vW5xY4zA3bC2dE1fG0hIj', '-k2LmN3oP4qR5sT6uV7wX8yZ9aB0cD1e']
const WAYS = ['--token T', '--token=T', 'CITES_TOKEN', '--token-file'] as const

interface Run { code: number | null, out: string, err: string }
async function run (args: string[], env: Record<string, string> = {}): Promise<Run> {
  return await new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', CITES_TOKEN: '', ...env } })
    let out = ''
    let err = ''
    p.stdout.on('data', (d: Buffer) => { out += d.toString() })
    p.stderr.on('data', (d: Buffer) => { err += d.toString() })
    p.on('close', (code) => { resolve({ code, out, err }) })
  })
}

describe('a token that begins with "-" is a token, never an option', () => {
  let nodes: TestNode[] = []
  const apps: Array<Awaited<ReturnType<typeof buildHttpApi>>['app']> = []
  const urls = new Map<string, string>()
  const dir = mkdtempSync(join(tmpdir(), 'cites-tokens-'))
  let serial = 0
  const by = (p: string): TestNode => nodes.find((n) => n.a.party === p) as TestNode
  const issue = async (): Promise<string> => {
    const number = `26CH8${String(++serial).padStart(5, '0')}`
    await by('CH').node.issue(chPermit(number))
    return number
  }
  const used = async (number: string): Promise<boolean> => (await by('CH').node.internals.ledger.status('CH', number))?.status === 'CONSUMED'

  beforeAll(async () => {
    const all = await authorities(['CH', 'TH'], basePort())
    const xml = await trustListXml(all)
    nodes = await Promise.all(all.map(async (a) => await startPermitNode(a, xml)))
    await meshFormed(nodes)
    // One HTTP API on TH per token, that token its customs token.
    for (const t of TOKENS) {
      const { app } = await buildHttpApi(by('TH').node, { tokens: { issuer: hashToken(newToken()), customs: hashToken(t), viewer: hashToken(newToken()) }, logger: false })
      apps.push(app)
      urls.set(t, await app.listen({ host: '127.0.0.1', port: 0 }))
    }
  }, 120_000)
  afterAll(async () => {
    await Promise.allSettled(apps.map(async (a) => { await a.close() }))
    await stopAll(nodes)
    rmSync(dir, { recursive: true, force: true })
  })

  it('the real binary, tokens beginning -V, -h, -- and -, given four ways: the use is recorded (exit 0), never a silent exit 0', async () => {
    const cases = await Promise.all(TOKENS.flatMap((t) => WAYS.map(async (way) => ({ t, way, number: await issue() }))))
    await Promise.all(cases.map(async ({ number }) => {
      const { waitFor } = await import('@cites/test-kit')
      await waitFor(async () => (await by('TH').node.internals.ledger.status('CH', number)) !== undefined, { timeoutMs: 30_000, what: 'TH to hold the permit' })
    }))
    const results = await Promise.all(cases.map(async ({ t, way, number }) => {
      const common = ['consume', '--node', urls.get(t) as string, `CH/${number}`, '--line', 'A:50:PCS', '--port', 'THBKK']
      let r: Run
      if (way === '--token T') r = await run([...common, '--token', t])
      else if (way === '--token=T') r = await run([...common, `--token=${t}`])
      else if (way === 'CITES_TOKEN') r = await run(common, { CITES_TOKEN: t })
      else {
        const file = join(dir, `token-${number}`)
        writeFileSync(file, `${t}\n`, { mode: 0o600 })
        r = await run([...common, '--token-file', file])
      }
      return { t: t.slice(0, 3), way, number, r, recorded: await used(number) }
    }))
    for (const x of results) {
      // The rule the issue asks for: exit 0 only with the use on record; otherwise exit 2 and a clear error.
      if (x.r.code === 0) expect({ ...x, r: undefined, printed: x.r.out.includes('use recorded') }).toMatchObject({ recorded: true, printed: true })
      else expect({ way: x.way, t: x.t, code: x.r.code, err: x.r.err }).toMatchObject({ code: 2, err: expect.stringMatching(/^error \[[A-Z_]+\]: /) })
      // And here every one of them records the use: the token is a value wherever it stands.
      expect({ t: x.t, way: x.way, code: x.r.code, recorded: x.recorded }).toEqual({ t: x.t, way: x.way, code: 0, recorded: true })
      expect(x.r.out).not.toContain('0.1.0')
    }
  }, 240_000)

  it('--version and --help act only as the whole command line: `cites --version` prints it; no value can trigger them', async () => {
    const v = await run(['--version'])
    expect([v.code, v.out.trim()]).toEqual([0, '0.1.0'])
    // A permit number that looks like the version flag is a permit number (not found here, so refused: exit 1), not a version.
    const r = await run(['consume', '--node', urls.get(TOKENS[0]!) as string, '--token', TOKENS[0]!, '--line', 'A:1', '--port', 'THBKK', '--', 'CH/-V0001'])
    expect(r.out).not.toContain('0.1.0')
    expect(r.code).not.toBe(0)
  }, 60_000)

  it('no command exits 0 without its effect, over random tokens and permit numbers (property, the CLI code in process)', async () => {
    const pool = await Promise.all(Array.from({ length: 25 }, async () => await issue()))
    const { waitFor } = await import('@cites/test-kit')
    await waitFor(async () => (await by('TH').node.internals.ledger.status('CH', pool.at(-1)!)) !== undefined, { timeoutMs: 30_000, what: 'TH to hold the pool' })
    const valid = TOKENS[0]!
    const url = urls.get(valid) as string
    const dashy = fc.string({ minLength: 1, maxLength: 40 }).map((s) => `-${s}`)
    await fc.assert(fc.asyncProperty(
      fc.oneof(fc.constant(valid), dashy, fc.string({ minLength: 1, maxLength: 40 })),
      fc.oneof(fc.constantFrom(...pool), dashy, fc.string({ minLength: 1, maxLength: 20 })),
      fc.constantFrom('--token', '--token='),
      async (token, number, how) => {
        const before = pool.includes(number) ? await used(number) : false
        let out = ''
        const code = await main(['node', 'cites', 'consume', '--node', url, ...(how === '--token' ? ['--token', token] : [`--token=${token}`]), '--line', 'A:1:PCS', '--port', 'THBKK', '--', `CH/${number}`], { out: (s) => { out += s }, err: () => {} })
        if (code === 0) {
          // Exit 0 means: this run recorded the use, and said so.
          expect(pool.includes(number) && !before && await used(number)).toBe(true)
          expect(out).toContain('use recorded')
        } else {
          expect([1, 2]).toContain(code)
        }
      }), { numRuns: 80 })
  }, 240_000)
})
