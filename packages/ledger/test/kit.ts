/** The ledger's test kit: real LevelDB in a temp folder, on @cites/test-kit's vectors, keys and clock. */
import { NOW, USE_A, certificatesFor, signer, type Clock } from '@cites/test-kit'
import { Ledger, type TrustSource } from '../src/index.js'

export { VECTORS, NOW, chPermit, signer, tempDir, readVector as read } from '@cites/test-kit'
export type { Clock } from '@cites/test-kit'

/** CH and TH, each its own vector certificate, granted from 2026-01-01. */
export const TRUST: TrustSource = { certificatesFor: certificatesFor() }

export async function openLedger (party: 'CH' | 'TH', location: string, clock: Clock = { now: NOW }, checkpointInterval = 1000): Promise<Ledger> {
  return await Ledger.open({ location, party, signer: await signer(party), trust: TRUST, now: () => clock.now, checkpointInterval })
}

export const CONSUME_A = USE_A
