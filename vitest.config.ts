import { defineConfig } from 'vitest/config'

// Every crypto-using suite runs twice: once on Node's built-in WebCrypto and
// once on @peculiar/webcrypto (the engine is injectable; both must pass).
const cryptoSuites = ['packages/xml-signature/test/**/*.test.ts', 'packages/trust-list/test/**/*.test.ts', 'packages/ledger/test/**/*.test.ts', 'packages/protocol/test/**/*.test.ts', 'apps/cli/test/**/*.test.ts']
// The kill -9 campaign spawns its own processes on the default engine; once is enough.
const onceOnly = ['packages/ledger/test/kill-9-during-consumption.test.ts']

export default defineConfig({
  test: {
    // Node 20 polyfills (Promise.withResolvers for libp2p 3) load in every run.
    setupFiles: ['./packages/node20-polyfill/src/index.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'node-webcrypto',
          include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'test-network/test/**/*.test.ts'],
          env: { CITES_CRYPTO_ENGINE: 'node' }
        }
      },
      {
        extends: true,
        test: {
          name: 'peculiar-webcrypto',
          include: cryptoSuites,
          exclude: onceOnly,
          env: { CITES_CRYPTO_ENGINE: 'peculiar' }
        }
      }
    ]
  }
})
