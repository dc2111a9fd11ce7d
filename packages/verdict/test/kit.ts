/**
 * Real material for the verdict tests: the vector keys and permits, an
 * anchor-signed trust list, and real ledgers (LevelDB in a temporary folder)
 * that sign real events.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadSigner, type Signer } from '@cites/xml-signature'
import { TrustStore, addAuthority, createTrustList, signTrustList } from '@cites/trust-list'
import { Ledger } from '@cites/ledger'
import { permitFromJsonText, type Permit } from '@cites/permit'

import { NOW, readVector as read } from '@cites/test-kit'
export { VECTORS, NOW, readVector as read } from '@cites/test-kit'
export const LINES = [{ line: 'A', quantity: 50, unit: 'PCS' }]

const PEER_IDS: Record<string, string> = {
  CH: '12D3KooWCHxqbG5Ysw7Uxo4QmZT1Fh8kbF9mQw2PnRj6DxVu3Ws7',
  TH: '12D3KooWTHyqbG5Ysw7Uxo4QmZT1Fh8kbF9mQw2PnRj6DxVu3Ws8',
  FR: '12D3KooWCCzqbG5Ysw7Uxo4QmZT1Fh8kbF9mQw2PnRj6DxVu3Ws9'
}
/** Which vector key pair each party signs with (FR uses the ATTACKER pair). */
const KEY_OF: Record<string, string> = { CH: 'CH', TH: 'TH', FR: 'ATTACKER' }

export async function signer (party: string): Promise<Signer> {
  const k = KEY_OF[party] ?? party
  return await loadSigner(read(`keys/${k}/key.pem`), read(`keys/${k}/cert.pem`))
}

/** A trust store holding an anchor-signed list of `parties`. */
export async function trustOf (parties: readonly string[]): Promise<TrustStore> {
  const at = new Date('2026-01-01T00:00:00Z')
  let tl = createTrustList({ now: at })
  for (const p of parties) {
    tl = addAuthority(tl, { party: p, name: `${p} MA`, role: 'management-authority', peerId: PEER_IDS[p] as string, certificate: read(`keys/${KEY_OF[p] ?? p}/cert.pem`), at })
  }
  const anchor = await loadSigner(read('keys/ANCHOR/key.pem'), read('keys/ANCHOR/cert.pem'))
  const store = new TrustStore(read('keys/ANCHOR/cert.pem'))
  await store.accept((await signTrustList(tl, anchor, { now: at, validDays: 3650 })).xml, { now: new Date(NOW) })
  return store
}

export function tempDir (): { path: string, cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'cites-verdict-'))
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) }
}

export async function openLedger (party: string, trust: TrustStore, location: string): Promise<Ledger> {
  return await Ledger.open({ location, party, signer: await signer(party), trust, now: () => NOW })
}

/** The vector CH export permit to TH, under another number. */
export function chPermit (number: string): Permit {
  const p = permitFromJsonText(read('permits/ch-export-th.json'))
  p.number = number
  delete p.issueDate // the issuing node writes the time of signing (ISSUE_DATE_NOT_NOW otherwise)
  return p
}
