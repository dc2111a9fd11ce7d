#!/usr/bin/env node
// The polyfill must load before any libp2p module (FACTS.md: Node 20 lacks
// Promise.withResolvers).
import '@cites/node20-polyfill'
const { main } = await import('../dist/index.js')
process.exitCode = await main(process.argv)
