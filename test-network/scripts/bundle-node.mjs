#!/usr/bin/env node
// Bundle the pilot's node entry point (bin/run-node.js and everything it
// imports) into dist/run-node.bundle.mjs with rolldown, so that each of up to
// 64 node processes starts without resolving and loading ~1,500 module
// files. classic-level stays outside (a native addon that finds its binary
// next to itself) and is required by its absolute path on this machine; so
// is node-webcrypto-p11 (keys.pkcs11 only, with the native addon pkcs11js),
// when it was installed. The bundle is a build product, never committed.
//
// Beside it, dist/run-node.bundle.mjs.inputs.json records every file it was
// built from; the pilot (src/pilot.ts, pilotEntryPoint) compares them before
// each use and rebuilds a stale bundle by running this script again.
import { createRequire } from 'node:module'
import { copyFileSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, isAbsolute, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { rolldown } from 'rolldown'
// The one home of the manifest's format (compiled; bootstrap builds before bundling).
import { writeBundleManifest } from '../dist/pilot.js'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..')
const out = join(here, '..', 'dist', 'run-node.bundle.mjs')
const level = createRequire(join(root, 'packages', 'ledger', 'package.json')).resolve('level')
const classicLevel = createRequire(level).resolve('classic-level')
// An optional dependency: absent where its addon did not build (the import then fails as PKCS11_UNAVAILABLE).
let p11
try { p11 = createRequire(join(root, 'packages', 'node', 'package.json')).resolve('node-webcrypto-p11') } catch { p11 = undefined }
const bundle = await rolldown({
  input: join(here, '..', 'bin', 'run-node.js'),
  platform: 'node',
  external: [/^node:/, 'classic-level', 'node-webcrypto-p11'],
  logLevel: 'silent'
})
const { output } = await bundle.generate({ format: 'esm', codeSplitting: false, minify: true, paths: { 'classic-level': classicLevel, ...(p11 !== undefined ? { 'node-webcrypto-p11': p11 } : {}) } })
await bundle.close()
const chunk = output.find((o) => o.type === 'chunk')
if (chunk === undefined || output.length !== 1) throw new Error(`expected one chunk from rolldown, got ${output.map((o) => o.fileName).join(', ')}`)
// Written whole, then renamed: a pilot starting meanwhile never reads half a file.
writeFileSync(`${out}.tmp`, chunk.code)
renameSync(`${out}.tmp`, out)
// The reference-data snapshot is read at run time from ../data beside the
// code that reads it (@cites/refdata's SHIPPED_SNAPSHOT); inside the bundle
// that is test-network/data, so a copy goes there (a build product too).
const refdata = join(root, 'packages', 'refdata', 'data')
const snapshots = readdirSync(refdata).filter((f) => f.endsWith('.json.gz'))
mkdirSync(join(here, '..', 'data'), { recursive: true })
for (const f of snapshots) copyFileSync(join(refdata, f), join(here, '..', 'data', f))
// Rolldown's own helpers have virtual ids; every real module is a file.
const inputs = chunk.moduleIds.filter((id) => isAbsolute(id))
writeBundleManifest(out, [...inputs, ...snapshots.map((f) => join(refdata, f)), fileURLToPath(import.meta.url)])
