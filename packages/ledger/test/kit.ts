/** The ledger's test kit: real LevelDB in a temp folder, on @cites/test-kit's vectors, keys and clock. */
import { afterEach, beforeEach } from 'vitest'
import { NOW, USE_A, certificatesFor, signer, tempDir, type Clock, type TempDir } from '@cites/test-kit'
import { Ledger, type TrustSource } from '../src/index.js'

export { VECTORS, NOW, chPermit, signer, tempDir, readVector as read } from '@cites/test-kit'
export type { Clock } from '@cites/test-kit'

/** CH and TH, each its own vector certificate, granted from 2026-01-01. */
export const TRUST: TrustSource = { certificatesFor: certificatesFor() }

export async function openLedger (party: 'CH' | 'TH', location: string, clock: Clock = { now: NOW }, checkpointInterval = 1000): Promise<Ledger> {
  return await Ledger.open({ location, party, signer: await signer(party), trust: TRUST, now: () => clock.now, checkpointInterval })
}

export const CONSUME_A = USE_A

/**
 * A fresh ledger of `party` for each test of the calling describe block (a
 * new temp folder, the clock back at NOW), closed and removed after it.
 */
export function ledgerPerTest (party: 'CH' | 'TH' = 'CH'): { readonly ledger: Ledger, readonly clock: Clock } {
  const clock: Clock = { now: NOW }
  let dir: TempDir | undefined
  let ledger: Ledger | undefined
  beforeEach(async () => {
    clock.now = NOW
    dir = tempDir()
    ledger = await openLedger(party, dir.path, clock)
  })
  afterEach(async () => { await ledger?.close(); dir?.cleanup() })
  return {
    get ledger (): Ledger { if (ledger === undefined) throw new Error('ledgerPerTest: used outside a test'); return ledger },
    clock
  }
}
