import { availableParallelism } from 'node:os'
import { configDefaults, defineConfig } from 'vitest/config'

// Test tiers (issue 12 §8). Every test file belongs to exactly one tier, by
// path: fuzz, then sim, then e2e; whatever none of them claims is unit. So
// a new file lands in unit unless it is named or placed as below, and
// `npm test` (all projects) runs every file at least once.
//
//   unit   pure and single-process: one ledger, one document, no network.
//          The fast loop, `npm run test:unit` (under 60 s on 2 cores).
//   e2e    several nodes or processes: real libp2p on loopback, HTTP,
//          Chromium, the CLI as a user runs it, kill -9, the 100k load.
//   sim    the pilot network (one process per authority) and its campaign.
//   fuzz   the 10,000-case fast-check runs.
//
// Name new files for their tier: `*.fuzz.test.ts` (or fuzz-*.test.ts, or
// under test/fuzz/), `*.sim.test.ts`, `*.e2e.test.ts` / `*.browser.test.ts`.
const ALL = ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'test-network/test/**/*.test.ts']
const FUZZ = [
  '**/test/**/fuzz-*.test.ts', '**/test/fuzz/**/*.test.ts', '**/*.fuzz.test.ts',
  // Not 10k inputs but fast-check's scheduler over 1000 permits consumed
  // 2-8 times at once (about 30 s): it fuzzes interleavings.
  'packages/ledger/test/consume-twice-concurrently.test.ts'
]
const SIM = ['test-network/test/pilot-network.test.ts', 'test-network/test/pilot-netns.test.ts', '**/*.sim.test.ts']
const E2E = [
  '**/*.e2e.test.ts',
  '**/*.browser.test.ts',
  // Every @cites/node test starts real permit nodes (libp2p + ledger + HTTP),
  // except those under packages/node/test/unit/ (single-process: unit).
  'packages/node/test/*.test.ts',
  // Real libp2p nodes on loopback.
  'packages/protocol/test/authorised-peers-and-sync.test.ts',
  'packages/protocol/test/customs-verify-and-consume.test.ts',
  'packages/protocol/test/direct-delivery.test.ts',
  'packages/protocol/test/event-gossip.test.ts',
  'packages/protocol/test/keeps-connected-and-reconnects.test.ts',
  'packages/protocol/test/trust-list-updates.test.ts',
  // Child processes killed with SIGKILL in a loop.
  'packages/ledger/test/kill-9-during-consumption.test.ts',
  // The real `cites` binary as a user runs it: a process per command (each
  // loads the whole stack), and a node service.
  'apps/cli/test/**/*.test.ts'
]

// The crypto engine (CITES_CRYPTO_ENGINE: Node's WebCrypto or
// @peculiar/webcrypto) is reached in two places only: @cites/xml-signature
// (xmldsigjs signs and verifies through it; key import, generation and
// export in certificates.ts) and the ledger's record signatures
// (ledger/src/events.ts: crypto.subtle.sign/verify of events, checkpoints
// and signed requests). Everything above (protocol, node, CLI, pilot) calls
// those two and adds no WebCrypto call of its own, so running it twice
// tests nothing new. The second engine runs:
// - xml-signature: signing, verification, every attack and the vectors;
// - trust-list: the anchor's XML-DSig over the list (another document
//   shape and a CA certificate through the same engine);
// - the ledger's signature tests: the vector events and checkpoint signed by
//   one engine must verify on the other (ledger-vectors), and forged
//   signatures are refused whether the engine throws or answers false
//   (replica-and-forks).
// The fuzz runs once (it only needs many inputs, not two engines).
const ENGINE_SENSITIVE = [
  'packages/xml-signature/test/**/*.test.ts',
  'packages/trust-list/test/**/*.test.ts',
  'packages/ledger/test/ledger-vectors.test.ts',
  'packages/ledger/test/replica-and-forks.test.ts'
]

const node = { CITES_CRYPTO_ENGINE: 'node' }
// An own `exclude` replaces vitest's default one (node_modules, dist, ...).
const never = configDefaults.exclude
// Groups run one after the other; projects in one group share maxWorkers.
// Vitest's default on 2 cores is one worker, which leaves a core idle while
// a test waits on its child processes (the CLI, kill -9) or on the network.
const workers = Math.max(2, availableParallelism() - 1)
const unitPool = { isolate: false, maxWorkers: workers, sequence: { groupOrder: 0 } }
// Correctness, not speed, is asserted here; on a saturated 2-core machine a
// CLI flow of 20 processes or a 10k fuzz run takes minutes, not seconds.
const slow = { testTimeout: 240_000, hookTimeout: 300_000 }
const restPool = { maxWorkers: workers, sequence: { groupOrder: 1 }, ...slow }
// The pilot runs a process per authority and kills them at random: alone.
const simPool = { maxWorkers: 1, sequence: { groupOrder: 2 }, ...slow }

export default defineConfig({
  test: {
    // Node 20 polyfills (Promise.withResolvers for libp2p 3) load in every run.
    setupFiles: ['./packages/node20-polyfill/src/index.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      // Unit files share one worker per project (isolate: false): most of a
      // unit file's time was loading the stack again (xmldsigjs, LevelDB,
      // the packages), not testing. Vitest never shares a worker between
      // projects, so the two engines never meet in one process.
      // They run first, on two workers (vitest's default on 2 cores is one).
      { extends: true, test: { name: 'unit', include: ALL, exclude: [...never, ...FUZZ, ...SIM, ...E2E], env: node, ...unitPool } },
      { extends: true, test: { name: 'unit-peculiar', include: ENGINE_SENSITIVE, exclude: [...never, ...FUZZ, ...SIM, ...E2E], env: { CITES_CRYPTO_ENGINE: 'peculiar' }, ...unitPool } },
      // Then e2e and fuzz side by side (a CPU-bound fuzz file beside a test
      // that mostly waits), then the pilot alone.
      { extends: true, test: { name: 'e2e', include: E2E, exclude: [...never, ...FUZZ, ...SIM], env: node, ...restPool } },
      { extends: true, test: { name: 'fuzz', include: FUZZ, exclude: never, env: node, ...restPool } },
      { extends: true, test: { name: 'sim', include: SIM, exclude: [...never, ...FUZZ], env: node, ...simPool } }
    ]
  }
})
