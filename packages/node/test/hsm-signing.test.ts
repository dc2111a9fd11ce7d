/**
 * Key custody in a token (issue 15 §5, SECURITY.md): the permit-signing key
 * is made inside a PKCS#11 token (SoftHSM2, Debian's package, in a token
 * folder of this test), non-extractable, and signs there through
 * node-webcrypto-p11 put in front of the crypto engine. A real node folder
 * (`initNodeFolder`) whose config names the token (`keys.pkcs11`) and holds
 * no signing key file is started with `startNodeService`; it issues permits
 * whose XML signatures and ledger events verify with the ordinary verifiers.
 *
 * `npm test` (scripts/test.mjs) installs softhsm2 with apt when it runs as
 * root; without it the suite is skipped, and says so.
 */
import { spawnSync } from 'node:child_process'
import { createPrivateKey } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '@cites/runtime'
import { EventType, signEvent, verifyEventSignature } from '@cites/ledger'
import { parseCertificate, verifySignedPermit } from '@cites/xml-signature'
import { NOW, VECTOR_GRANTED_AT, anchorCertPem, chPermit, signedTrustList, tempDir, type TempDir } from '@cites/test-kit'
import { generatePkcs11Key, initNodeFolder, loadPkcs11Signer, openPkcs11Token, startNodeService, type InitializedNode, type Pkcs11Config } from '../src/index.js'

const MODULE = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so'].find((p) => existsSync(p))
const UTIL = existsSync('/usr/bin/softhsm2-util')
const p11Loads = await import('node-webcrypto-p11').then(() => true, () => false)
const why = MODULE === undefined || !UTIL
  ? 'SoftHSM2 is not installed (apt-get install softhsm2; npm test installs it as root)'
  : !p11Loads ? 'node-webcrypto-p11 or its native addon pkcs11js did not build here' : undefined
if (why !== undefined) console.log(`[hsm-signing] skipped: ${why}`)

const PIN = '314159'
const TOKEN = 'cites-ch'
const KEY = 'cites-signing'

describe.skipIf(why !== undefined)('a signing key that never leaves the token', () => {
  let dir: TempDir
  let made: InitializedNode
  let cfg: Pkcs11Config
  let certificatePem = ''
  const quiet = createLogger({ level: 'silent' })

  beforeAll(async () => {
    dir = tempDir('hsm')
    // SoftHSM2 keeps its tokens in the folder its config names: one of ours, not the machine's.
    mkdirSync(join(dir.path, 'tokens'))
    writeFileSync(join(dir.path, 'softhsm2.conf'), `directories.tokendir = ${join(dir.path, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`)
    process.env.SOFTHSM2_CONF = join(dir.path, 'softhsm2.conf')
    const init = spawnSync('softhsm2-util', ['--init-token', '--free', '--label', TOKEN, '--so-pin', '27182818', '--pin', PIN], { encoding: 'utf8' })
    expect(init.status, init.stderr).toBe(0)
    mkdirSync(join(dir.path, 'secret'))
    writeFileSync(join(dir.path, 'secret', 'pin'), `${PIN}\n`, { mode: 0o600 })
    writeFileSync(join(dir.path, 'secret', 'passphrase'), 'peer key passphrase 9c1e\n', { mode: 0o600 })
    cfg = { module: MODULE as string, tokenLabel: TOKEN, pinFile: join(dir.path, 'secret', 'pin'), keyLabel: KEY }

    // The node folder: encrypted peer key, then the signing key made in the token and its certificate.
    made = await initNodeFolder({
      party: 'CH', dir: join(dir.path, 'node'), listen: ['/ip4/127.0.0.1/tcp/0'], httpPort: 0, sharedHost: true,
      notBefore: new Date(VECTOR_GRANTED_AT), passphrase: 'peer key passphrase 9c1e', passphraseFile: join(dir.path, 'secret', 'passphrase'), scrypt: { N: 2 ** 14, r: 8, p: 1 }
    })
    certificatePem = (await generatePkcs11Key(cfg, { commonName: 'CH Management Authority (HSM)', country: 'CH', notBefore: new Date(VECTOR_GRANTED_AT) })).certificatePem
    const keys = join(dir.path, 'node', 'keys')
    writeFileSync(join(keys, 'cert.pem'), certificatePem)
    rmSync(join(keys, 'key.pem'))
    const config = readFileSync(made.configPath, 'utf8').replace(/^ {2}# pkcs11:\n(?: {2}# .*\n)+/m,
      `  pkcs11:\n    module: ${cfg.module}\n    tokenLabel: ${TOKEN}\n    pinFile: ${cfg.pinFile}\n    keyLabel: ${KEY}\n`)
    expect(config).toMatch(/^ {2}pkcs11:$/m)
    writeFileSync(made.configPath, config)
    writeFileSync(join(dir.path, 'node', 'anchor.pem'), anchorCertPem())
    writeFileSync(join(dir.path, 'node', 'trust-list.xml'), (await signedTrustList([{ party: 'CH', peerId: made.peerId, certificate: certificatePem }])).xml)
  })
  afterAll(() => {
    delete process.env.SOFTHSM2_CONF
    dir?.cleanup()
  })

  it('a stolen node disk holds no key: no file in the node folder is a private key, and the token refuses to export its key', async () => {
    const files: string[] = []
    const walk = (d: string): void => { for (const f of readdirSync(d)) { const p = join(d, f); if (statSync(p).isDirectory()) walk(p); else files.push(p) } }
    walk(join(dir.path, 'node'))
    for (const f of files) {
      const bytes = readFileSync(f)
      // Only the peer key is a key file, and it is encrypted.
      expect(bytes.toString('latin1').includes('-----BEGIN PRIVATE KEY-----'), f).toBe(false)
      if (bytes.toString('latin1').includes('ENCRYPTED PRIVATE KEY')) expect(f.endsWith('peer.key'), f).toBe(true)
      for (const format of ['pem', 'der'] as const) expect(() => createPrivateKey({ key: bytes, format, ...(format === 'der' ? { type: 'pkcs8' as const } : {}) }), f).toThrow()
    }
    // The thief with the PIN too asks the token for the key: it is non-extractable and sensitive.
    const token = await openPkcs11Token(cfg)
    try {
      let found = 0
      for (const id of await token.keyStorage.keys()) {
        const k = await token.keyStorage.getItem(id)
        if (k?.type !== 'private') continue
        found++
        expect(k.extractable).toBe(false)
        for (const format of ['pkcs8', 'jwk'] as const) await expect(token.crypto.subtle.exportKey(format, k as unknown as CryptoKey)).rejects.toThrow()
      }
      expect(found).toBe(1)
    } finally {
      token.close()
    }
  })

  it('the node started from keys.pkcs11 signs permits and their ledger events in the token, and the ordinary verifiers accept them', async () => {
    const svc = await startNodeService({ configPath: made.configPath, logger: quiet, now: () => NOW })
    try {
      expect(svc.node.peerId.toString()).toBe(made.peerId)
      // Several at once: the token's one session signs one at a time (serialised), none is lost.
      const numbers = ['26CHH00001', '26CHH00002', '26CHH00003', '26CHH00004']
      const issued = await Promise.all(numbers.map(async (n) => await svc.node.issue(chPermit(n))))
      for (const { signedXml } of issued) {
        const v = await verifySignedPermit(signedXml, { now: new Date(NOW), certificatesFor: (p) => svc.node.trust.certificatesFor(p) })
        expect(v.valid, JSON.stringify(v.checks.filter((c) => c.status !== 'VALID'))).toBe(true)
        expect(v.signer?.sha256).toBe(parseCertificate(certificatePem).sha256)
      }
      expect(await svc.node.internals.ledger.verifyLog('CH')).toMatchObject({ ok: true, problems: [] })
      expect(svc.node.internals.ledger.heads().get('CH')?.size).toBeGreaterThanOrEqual(numbers.length)
    } finally {
      await svc.stop()
    }
  })

  it('events signed in the token, sixteen at once, verify against the granted certificate, and one altered by one bit does not', async () => {
    const hsm = await loadPkcs11Signer(cfg, certificatePem)
    try {
      const trusted = [{ certificate: certificatePem, grantedAt: new Date(VECTOR_GRANTED_AT).toISOString() }]
      const fields = { author: 'CH', seq: 1n, prevHash: new Uint8Array(32), type: EventType.CANCELLED, permitParty: 'CH', permitNumber: '26CHH00009', time: BigInt(NOW), body: new Uint8Array(0) }
      const signed = await signEvent(fields, hsm.signer)
      expect(await verifyEventSignature(signed, trusted)).toBe('OK')
      const sig = new Uint8Array(signed.signature)
      sig[5] = (sig[5] ?? 0) ^ 1
      expect(await verifyEventSignature({ ...signed, signature: sig }, trusted)).toBe('EVENT_SIGNATURE_INVALID')
      // Sixteen at once through the token's one session: serialised, each one whole (CKR_OPERATION_ACTIVE otherwise).
      const many = await Promise.all(Array.from({ length: 16 }, async (_, i) => await signEvent({ ...fields, seq: BigInt(i + 1) }, hsm.signer)))
      for (const e of many) expect(await verifyEventSignature(e, trusted)).toBe('OK')
    } finally {
      hsm.close()
    }
  })

  it('a wrong PIN is PKCS11_LOGIN_FAILED without the PIN in the message; a wrong key label is PKCS11_KEY_NOT_FOUND; a wrong token PKCS11_TOKEN_NOT_FOUND', async () => {
    const wrongPin = join(dir.path, 'secret', 'wrong-pin')
    writeFileSync(wrongPin, '000000\n')
    const err = await loadPkcs11Signer({ ...cfg, pinFile: wrongPin }, certificatePem).then(() => undefined, (e: unknown) => e)
    expect(err).toMatchObject({ code: 'PKCS11_LOGIN_FAILED' })
    expect((err as Error).message).not.toContain('000000')
    await expect(loadPkcs11Signer({ ...cfg, keyLabel: 'no-such-key' }, certificatePem)).rejects.toMatchObject({ code: 'PKCS11_KEY_NOT_FOUND' })
    await expect(loadPkcs11Signer({ ...cfg, tokenLabel: 'no-such-token' }, certificatePem)).rejects.toMatchObject({ code: 'PKCS11_TOKEN_NOT_FOUND' })
    // The token key with another authority's certificate: refused at load, as for file keys.
    await expect(loadPkcs11Signer(cfg, readFileSync(join(dir.path, 'node', 'anchor.pem'), 'utf8'))).rejects.toMatchObject({ code: 'KEY_CERTIFICATE_MISMATCH' })
  })
})
