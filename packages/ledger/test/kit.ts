/** Shared test kit: real LevelDB in a temp folder, the vector keys, a fixed clock. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { permitFromJsonText, type Permit } from '@cites/permit'
import { loadSigner, type Signer, type TrustedCertificate } from '@cites/xml-signature'
import { Ledger, type TrustSource } from '../src/index.js'

export const VECTORS = fileURLToPath(new URL('../../../protocol-spec/vectors/', import.meta.url))
export const read = (rel: string): string => readFileSync(VECTORS + rel, 'utf8')

const signers = new Map<string, Promise<Signer>>()
export function signer (k: 'CH' | 'TH' | 'ATTACKER'): Promise<Signer> {
  let s = signers.get(k)
  if (s === undefined) { s = loadSigner(read(`keys/${k}/key.pem`), read(`keys/${k}/cert.pem`)); signers.set(k, s) }
  return s
}

export const TRUST: TrustSource = {
  certificatesFor: (party: string): TrustedCertificate[] | undefined =>
    party === 'CH' || party === 'TH' ? [{ certificate: read(`keys/${party}/cert.pem`), grantedAt: '2026-01-01T00:00:00Z' }] : undefined
}

/** 2026-11-15: inside the vector permits' validity. */
export const NOW = Date.parse('2026-11-15T00:00:00Z')

export function tempDir (name = 'ledger'): { path: string, cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), `cites-${name}-`))
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) }
}

export interface Clock { now: number }

export async function openLedger (party: 'CH' | 'TH', location: string, clock: Clock = { now: NOW }, checkpointInterval = 1000): Promise<Ledger> {
  return Ledger.open({ location, party, signer: await signer(party), trust: TRUST, now: () => clock.now, checkpointInterval })
}

/** The CH export vector permit, renumbered. */
export function chPermit (number: string): Permit {
  const p = permitFromJsonText(read('permits/ch-export-th.json'))
  p.number = number
  return p
}

export const CONSUME_A = { lines: [{ line: 'A', quantity: 50, unit: 'PCS' }], port: 'THBKK', officer: 'Officer T.' }
