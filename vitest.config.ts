import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'test-network/test/**/*.test.ts'],
    // Node 20 polyfills (Promise.withResolvers for libp2p 3) load in every run.
    setupFiles: ['./packages/node20-polyfill/src/index.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks'
  }
})
