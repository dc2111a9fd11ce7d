/**
 * The pilot never runs a stale node bundle (issue 12 §9): the bundle records
 * what it was built from, and before a pilot starts a node it checks those
 * files; a changed one means rebuild first, or refuse. Real files in a temp
 * folder stand in for the compiled packages; the rebuild is the caller's.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { tempDir, type TempDir } from '@cites/test-kit/base'
import { PilotError } from '../src/errors.js'
import { bundleFreshness, pilotEntryPoint, writeBundleManifest } from '../src/pilot.js'

describe('the pilot\'s node bundle is checked against its inputs before use', () => {
  let dir: TempDir
  let bundle: string
  let unbundled: string
  let inputs: string[]
  /** A "bundler": the bundle is the inputs' contents joined, then recorded. */
  const build = (): void => {
    writeFileSync(bundle, inputs.map((f) => readFileSync(f, 'utf8')).join('\n'))
    writeBundleManifest(bundle, inputs)
  }

  beforeEach(() => {
    dir = tempDir('bundle')
    bundle = join(dir.path, 'dist', 'run-node.bundle.mjs')
    unbundled = join(dir.path, 'bin', 'run-node.js')
    inputs = [join(dir.path, 'packages', 'ledger.js'), join(dir.path, 'packages', 'node.js'), unbundled]
    for (const [i, f] of inputs.entries()) {
      mkdirSync(dirname(f), { recursive: true })
      writeFileSync(f, `export const v${i} = 1\n`)
    }
    mkdirSync(dirname(bundle), { recursive: true })
    build()
  })
  afterEach(() => { dir.cleanup() })

  it('a bundle that matches its inputs is used, and a touched but unchanged input keeps it so', () => {
    expect(bundleFreshness(bundle)).toEqual({ fresh: true })
    expect(pilotEntryPoint({ bundle, unbundled, rebuild: () => { throw new Error('must not rebuild') } })).toBe(bundle)
    // tsc -b may rewrite identical output: a new mtime alone is not a change.
    const later = new Date(Date.now() + 60_000)
    utimesSync(inputs[0]!, later, later)
    expect(bundleFreshness(bundle)).toEqual({ fresh: true })
  })

  it('an input whose content changed makes it stale: rebuilt first, then used', () => {
    writeFileSync(inputs[1]!, 'export const v1 = 2\n')
    expect(bundleFreshness(bundle)).toEqual({ fresh: false, why: `${inputs[1]!} changed since it was bundled` })
    let rebuilds = 0
    const entry = pilotEntryPoint({ bundle, unbundled, rebuild: () => { rebuilds++; build() } })
    expect(entry).toBe(bundle)
    expect(rebuilds).toBe(1)
    expect(readFileSync(bundle, 'utf8')).toContain('v1 = 2')
  })

  it('a stale bundle that cannot be rebuilt is refused with what to do, never run', () => {
    writeFileSync(inputs[0]!, 'export const v0 = 42\n')
    const lines: string[] = []
    let err: unknown
    try {
      pilotEntryPoint({ bundle, unbundled, rebuild: () => { throw new Error('rolldown is not installed') }, progress: (l) => lines.push(l) })
    } catch (e) { err = e }
    expect(err).toBeInstanceOf(PilotError)
    expect(err).toMatchObject({ code: 'PILOT_BUNDLE_STALE' })
    expect((err as Error).message).toContain('rolldown is not installed')
    expect((err as Error).message).toContain('npm run build')
    expect(lines).toEqual([`${inputs[0]!} changed since it was bundled: bundling the node entry point again`])
  })

  it('a rebuild that leaves it stale is refused too', () => {
    writeFileSync(inputs[0]!, 'export const v0 = 42\n')
    expect(() => pilotEntryPoint({ bundle, unbundled, rebuild: () => {} })).toThrow(/stale/)
  })

  it('a missing input, an edited bundle or a missing record each make it stale', () => {
    rmSync(inputs[0]!)
    expect(bundleFreshness(bundle)).toEqual({ fresh: false, why: `${inputs[0]!}, bundled into it, is gone` })
    writeFileSync(inputs[0]!, 'export const v0 = 1\n')
    build()
    writeFileSync(bundle, readFileSync(bundle, 'utf8') + '\n// edited by hand\n')
    expect(bundleFreshness(bundle)).toMatchObject({ fresh: false, why: `${bundle} changed since it was bundled` })
    rmSync(`${bundle}.inputs.json`)
    expect(bundleFreshness(bundle)).toMatchObject({ fresh: false })
    expect(pilotEntryPoint({ bundle, unbundled, rebuild: build })).toBe(bundle)
  })

  it('with no bundle and no way to build one, the unbundled entry runs (it loads the compiled packages themselves)', () => {
    rmSync(bundle)
    expect(pilotEntryPoint({ bundle, unbundled, rebuild: () => { throw new Error('no rolldown') } })).toBe(unbundled)
  })

  it('the real bundle records the compiled code of every package it runs', () => {
    const real = fileURLToPath(new URL('../dist/run-node.bundle.mjs', import.meta.url))
    // scripts/bootstrap.mjs (npm test, npm run build) builds it before the tests.
    expect(existsSync(`${real}.inputs.json`), 'run npm run build first').toBe(true)
    const files = (JSON.parse(readFileSync(`${real}.inputs.json`, 'utf8')) as { files: Array<{ path: string }> }).files.map((f) => f.path)
    for (const pkg of ['runtime', 'permit', 'xml-signature', 'trust-list', 'ledger', 'protocol', 'node']) {
      expect(files.some((f) => f.startsWith(`../../packages/${pkg}/dist/`)), pkg).toBe(true)
    }
    expect(files).toContain('../bin/run-node.js')
    expect(files).toContain('../scripts/bundle-node.mjs')
    expect(files).toContain('run-node.bundle.mjs')
  })
})
