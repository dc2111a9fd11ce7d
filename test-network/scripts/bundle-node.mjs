#!/usr/bin/env node
// Bundle the pilot's node entry point (bin/run-node.js and everything it
// imports) into dist/run-node.bundle.mjs with rolldown, so that each of up to
// 64 node processes starts without resolving and loading ~1,500 module
// files. classic-level stays outside (a native addon that finds its binary
// next to itself) and is required by its absolute path on this machine; the
// bundle is a build product, never committed.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { rolldown } from 'rolldown'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..')
const level = createRequire(join(root, 'packages', 'ledger', 'package.json')).resolve('level')
const classicLevel = createRequire(level).resolve('classic-level')
const bundle = await rolldown({
  input: join(here, '..', 'bin', 'run-node.js'),
  platform: 'node',
  external: [/^node:/, 'classic-level'],
  logLevel: 'silent'
})
await bundle.write({ file: join(here, '..', 'dist', 'run-node.bundle.mjs'), format: 'esm', codeSplitting: false, minify: true, paths: { 'classic-level': classicLevel } })
await bundle.close()
