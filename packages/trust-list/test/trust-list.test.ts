import { describe, expect, it } from 'vitest'
import { mkdirSync, writeFileSync } from 'node:fs'
import { permitFromJsonText } from '@cites/permit'
import { loadSigner, parseCertificate, signPermit, verifySignedPermit } from '@cites/xml-signature'
import { VECTORS, certPem as cert, keyPem, readVector as read, type KeyName } from '@cites/test-kit/base'
import {
  TrustListEditError, TrustListSequenceError, TrustListSignatureError, TrustStore, addAuthority, createTrustList,
  readTrustListXml, signTrustList, verifyTrustList, withdrawAuthority, withdrawCertificate, writeTrustListXml, type TrustList
} from '../src/index.js'

const signer = (k: KeyName) => loadSigner(keyPem(k), cert(k))

// Format-valid peer IDs (the trust list does not need libp2p to check them).
export const PEER = {
  CH: '12D3KooWCHxqbG5Ysw7Uxo4QmZT1Fh8kbF9mQw2PnRj6DxVu3Ws7',
  TH: '12D3KooWTHyqbG5Ysw7Uxo4QmZT1Fh8kbF9mQw2PnRj6DxVu3Ws8',
  CHC: '12D3KooWCCzqbG5Ysw7Uxo4QmZT1Fh8kbF9mQw2PnRj6DxVu3Ws9'
}
const T0 = new Date('2026-01-01T00:00:00Z')

function pilotList (): TrustList {
  let tl = createTrustList({ now: T0 })
  tl = addAuthority(tl, { party: 'CH', name: 'Federal Food Safety and Veterinary Office', role: 'management-authority', peerId: PEER.CH, addresses: ['/ip4/127.0.0.1/tcp/7001'], certificate: cert('CH'), at: T0 })
  tl = addAuthority(tl, { party: 'TH', name: 'Department of National Parks', role: 'management-authority', peerId: PEER.TH, addresses: ['/ip4/127.0.0.1/tcp/7002'], certificate: cert('TH'), at: T0 })
  tl = addAuthority(tl, { party: 'CH', name: 'Swiss customs', role: 'enforcement', peerId: PEER.CHC, at: T0 })
  return tl
}

describe('trust list', () => {
  it('signs, verifies against the anchor, and reads back the same list', async () => {
    const { xml, list } = await signTrustList(pilotList(), await signer('ANCHOR'), { now: T0 })
    expect(list.sequence).toBe(1)
    const v = await verifyTrustList(xml, cert('ANCHOR'), { now: T0 })
    expect(v.list).toEqual(list)
    expect(v.stale).toBe(false)
    expect(readTrustListXml(writeTrustListXml(list))).toEqual(list)
  })

  it('looks authorities up by party, by peer ID and by certificate', async () => {
    const store = new TrustStore(cert('ANCHOR'))
    await store.accept((await signTrustList(pilotList(), await signer('ANCHOR'))).xml)
    expect(store.byParty('CH').map((a) => a.role).sort()).toEqual(['enforcement', 'management-authority'])
    expect(store.byPeerId(PEER.TH)?.party).toBe('TH')
    expect(store.byCertificate(parseCertificate(cert('CH')).sha256)?.authority.party).toBe('CH')
    expect(store.isAuthorisedPeer(PEER.CH)).toBe(true)
    expect(store.isAuthorisedPeer('12D3KooWStrangerqbG5Ysw7Uxo4QmZT1Fh8kbF9mQw2PnRj6D')).toBe(false)
    // only management authorities' certificates verify permits
    expect(store.certificatesFor('CH')).toHaveLength(1)
    expect(store.certificatesFor('FR')).toBeUndefined()
  })

  it('refuses a rollback: a lower or equal sequence number', async () => {
    const anchor = await signer('ANCHOR')
    const one = await signTrustList(pilotList(), anchor)
    const two = await signTrustList(one.list, anchor)
    const store = new TrustStore(cert('ANCHOR'))
    await store.accept(two.xml)
    expect(store.sequence).toBe(2)
    await expect(store.accept(one.xml)).rejects.toBeInstanceOf(TrustListSequenceError)
    await expect(store.accept(two.xml)).rejects.toMatchObject({ code: 'TRUST_LIST_NOT_NEWER' })
    const three = await signTrustList(two.list, anchor)
    await store.accept(three.xml)
    expect(store.sequence).toBe(3)
  })

  it('refuses a list signed by anyone but the anchor (a rogue MA mints its own list)', async () => {
    const forged = await signTrustList(pilotList(), await signer('CH'))
    const err = await verifyTrustList(forged.xml, cert('ANCHOR')).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TrustListSignatureError)
    expect((err as TrustListSignatureError).reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['ISSUER_CERT_NOT_TRUSTED']))
  })

  it('refuses a list changed after signing (an authority slipped in)', async () => {
    const { xml } = await signTrustList(pilotList(), await signer('ANCHOR'))
    const tampered = xml.replace('<tl:Party>TH</tl:Party>', '<tl:Party>FR</tl:Party>')
    await expect(verifyTrustList(tampered, cert('ANCHOR'))).rejects.toMatchObject({ code: 'TRUST_LIST_SIGNATURE', reasons: [{ code: 'SIG_DIGEST_MISMATCH' }] })
  })

  it('keeps a withdrawn certificate: permits issued before still verify, later ones do not', async () => {
    const anchor = await signer('ANCHOR')
    const withdrawnAt = new Date('2026-11-10T00:00:00Z')
    const tl = withdrawCertificate(pilotList(), parseCertificate(cert('CH')).sha256.slice(0, 12), withdrawnAt)
    const store = new TrustStore(cert('ANCHOR'))
    await store.accept((await signTrustList(tl, anchor)).xml)
    const ch = await signer('CH')
    const permit = permitFromJsonText(read('permits/ch-export-th.json')) // issued 2026-11-01
    const verify = async (xml: string) => verifySignedPermit(xml, { now: new Date('2026-11-20T00:00:00Z'), certificatesFor: (p) => store.certificatesFor(p) })
    expect((await verify(await signPermit(permit, ch, 'CH'))).valid).toBe(true)
    permit.issueDate = '2026-11-12T00:00:00Z'
    const late = await verify(await signPermit(permit, ch, 'CH'))
    expect(late.valid).toBe(false)
    expect(late.checks.find((c) => c.name === 'issuer')?.reason.code).toBe('ISSUER_CERT_NOT_GRANTED')
  })

  it('rotates a key without changing the peer ID, and withdraws a whole authority', async () => {
    let tl = addAuthority(pilotList(), { party: 'CH', name: 'Federal Food Safety and Veterinary Office', role: 'management-authority', peerId: PEER.CH, certificate: cert('ATTACKER'), at: T0 })
    expect(tl.authorities.find((a) => a.peerId === PEER.CH)?.certificates).toHaveLength(2)
    tl = withdrawAuthority(tl, PEER.CH, new Date('2026-06-01T00:00:00Z'))
    const ch = tl.authorities.find((a) => a.peerId === PEER.CH)!
    expect(ch.status).toBe('withdrawn')
    expect(ch.certificates.every((c) => c.status === 'withdrawn')).toBe(true)
    const store = new TrustStore(cert('ANCHOR'))
    await store.accept((await signTrustList(tl, await signer('ANCHOR'))).xml)
    expect(store.isAuthorisedPeer(PEER.CH)).toBe(false)
  })

  it('refuses inconsistent edits with stable codes', () => {
    const tl = pilotList()
    const codeOf = (f: () => unknown) => { try { f(); return 'none' } catch (e) { expect(e).toBeInstanceOf(TrustListEditError); return (e as TrustListEditError).code } }
    expect(codeOf(() => addAuthority(tl, { party: 'FR', name: 'x', role: 'management-authority', peerId: '12D3KooWFRyqbG5Ysw7Uxo4QmZT1Fh8kbF9mQw2PnRj6DxVu3Ws1', certificate: cert('CH') }))).toBe('DUPLICATE_CERTIFICATE')
    expect(codeOf(() => addAuthority(tl, { party: 'FR', name: 'x', role: 'management-authority', peerId: PEER.TH }))).toBe('DUPLICATE_PEER_ID')
    expect(codeOf(() => addAuthority(tl, { party: 'ZZ', name: 'x', role: 'management-authority', peerId: PEER.TH }))).toBe('INVALID_FIELD')
    expect(codeOf(() => addAuthority(tl, { party: 'FR', name: 'x', role: 'management-authority', peerId: 'not-a-peer' }))).toBe('INVALID_FIELD')
    expect(codeOf(() => addAuthority(tl, { party: 'FR', name: 'x', role: 'management-authority', peerId: '12D3KooWFRyqbG5Ysw7Uxo4QmZT1Fh8kbF9mQw2PnRj6DxVu3Ws1', addresses: ['http://x'] }))).toBe('INVALID_FIELD')
    expect(codeOf(() => withdrawCertificate(tl, 'deadbeefdeadbeef'))).toBe('NOT_FOUND')
    expect(codeOf(() => withdrawAuthority(tl, 'CH'))).toBe('INVALID_FIELD') // CH has two entries: give the peer ID
  })
})

describe('trust-list vectors (protocol-spec/vectors/trust-list)', () => {
  if (process.env.UPDATE_VECTORS === '1') {
    it('regenerates them', async () => {
      mkdirSync(VECTORS + 'trust-list', { recursive: true })
      const anchor = await signer('ANCHOR')
      const { xml, list } = await signTrustList(pilotList(), anchor, { now: T0, validDays: 3650 })
      writeFileSync(VECTORS + 'trust-list/valid-seq1.xml', xml)
      writeFileSync(VECTORS + 'trust-list/valid-seq2.xml', (await signTrustList(list, anchor, { now: T0, validDays: 3650 })).xml)
      writeFileSync(VECTORS + 'trust-list/tampered.xml', xml.replace('<tl:Party>TH</tl:Party>', '<tl:Party>FR</tl:Party>'))
      writeFileSync(VECTORS + 'trust-list/signed-by-ma.xml', (await signTrustList(pilotList(), await signer('CH'), { now: T0, validDays: 3650 })).xml)
    })
  }

  it('valid lists verify; the tampered and the MA-signed ones are refused', async () => {
    const anchor = cert('ANCHOR')
    const now = { now: new Date('2026-12-01T00:00:00Z') }
    expect((await verifyTrustList(read('trust-list/valid-seq1.xml'), anchor, now)).list.sequence).toBe(1)
    expect((await verifyTrustList(read('trust-list/valid-seq2.xml'), anchor, now)).list.sequence).toBe(2)
    await expect(verifyTrustList(read('trust-list/tampered.xml'), anchor, now)).rejects.toMatchObject({ reasons: [{ code: 'SIG_DIGEST_MISMATCH' }] })
    await expect(verifyTrustList(read('trust-list/signed-by-ma.xml'), anchor, now)).rejects.toBeInstanceOf(TrustListSignatureError)
  })
})
