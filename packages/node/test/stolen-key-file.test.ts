/**
 * Key custody (issue 15 §5, SECURITY.md §10): the node's keys are encrypted
 * at rest (PKCS#8, PBES2 with scrypt and AES-256-CBC), so a copied key file
 * is useless without the passphrase; a plain key loads only when the config
 * says `keys.allowPlainKeys: true`. Real node folders (`initNodeFolder`), a
 * real node started with `startNodeService`, real signatures.
 */
import { createPrivateKey } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { createLogger } from '@cites/runtime'
import { verifySignedPermit } from '@cites/xml-signature'
import { NOW, VECTOR_GRANTED_AT, anchorCertPem, chPermit, signedTrustList, tempDir, type TempDir } from '@cites/test-kit'
import { decryptPrivateKey, encryptKeyFolder, encryptPrivateKey, initNodeFolder, loadNodeKeys, startNodeService, CONFIG_FILE, type InitializedNode } from '../src/index.js'

const PASSPHRASE = 'correct horse battery staple ✓ 7f3a'
// Cheaper than the default (2^17) so the suite stays quick; the format and code path are the same.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1 }

/** Every log line of a start, as text. */
function capture (): { lines: string[], logger: ReturnType<typeof createLogger> } {
  const lines: string[] = []
  const destination = new Writable({ write (chunk: Buffer, _enc, cb) { lines.push(chunk.toString('utf8')); cb() } })
  return { lines, logger: createLogger({ level: 'trace', base: { party: 'CH' }, destination }) }
}

/** A node folder for CH with encrypted keys, its anchor and a trust list granting its key from 2026-01-01. */
async function encryptedNode (dir: TempDir): Promise<InitializedNode> {
  const passFile = join(dir.path, 'secret', 'passphrase')
  mkdirSync(join(dir.path, 'secret'), { recursive: true })
  writeFileSync(passFile, `${PASSPHRASE}\n`, { mode: 0o600 })
  const made = await initNodeFolder({
    party: 'CH', dir: join(dir.path, 'node'), listen: ['/ip4/127.0.0.1/tcp/0'], httpPort: 0, sharedHost: true,
    notBefore: new Date(VECTOR_GRANTED_AT), passphrase: PASSPHRASE, passphraseFile: passFile, scrypt: SCRYPT
  })
  writeFileSync(join(dir.path, 'node', 'anchor.pem'), anchorCertPem())
  writeFileSync(join(dir.path, 'node', 'trust-list.xml'), (await signedTrustList([{ party: 'CH', peerId: made.peerId, certificate: made.certificatePem }])).xml)
  return made
}

/** The config without its passphraseFile line (the passphrase then comes from elsewhere). */
function dropPassphraseFile (configPath: string): void {
  writeFileSync(configPath, readFileSync(configPath, 'utf8').replace(/^ {2}passphraseFile: .*$/m, '  # passphraseFile: (removed by the test)'))
}

async function withEnv<T> (vars: Record<string, string | undefined>, f: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]))
  for (const [k, v] of Object.entries(vars)) { if (v === undefined) delete process.env[k]; else process.env[k] = v }
  try {
    return await f()
  } finally {
    for (const [k, v] of Object.entries(before)) { if (v === undefined) delete process.env[k]; else process.env[k] = v }
  }
}

describe('key custody: keys encrypted at rest', () => {
  let dir: TempDir
  let made: InitializedNode
  let keysDir = ''
  /** Secrets that must never appear in a log line. */
  let secrets: string[] = []

  beforeAll(async () => {
    dir = tempDir('key-custody')
    made = await encryptedNode(dir)
    keysDir = join(dir.path, 'node', 'keys')
    const signing = decryptPrivateKey(readFileSync(join(keysDir, 'key.pem'), 'utf8'), PASSPHRASE)
    const peer = decryptPrivateKey(readFileSync(join(keysDir, 'peer.key'), 'utf8'), PASSPHRASE)
    const keys = await loadNodeKeys({ signingKey: join(keysDir, 'key.pem'), peerKey: join(keysDir, 'peer.key'), passphraseFile: join(dir.path, 'secret', 'passphrase') })
    const d = (k: typeof signing): string => k.export({ format: 'jwk' }).d as string
    secrets = [
      PASSPHRASE,
      (signing.export({ type: 'pkcs8', format: 'der' })).toString('base64'),
      d(signing), Buffer.from(d(signing), 'base64url').toString('hex'), Buffer.from(d(signing), 'base64url').toString('base64'),
      (peer.export({ type: 'pkcs8', format: 'der' })).toString('base64'),
      d(peer), Buffer.from(d(peer), 'base64url').toString('hex'), Buffer.from(d(peer), 'base64url').toString('base64'),
      Buffer.from(privateKeyToProtobuf(keys.peerKey)).toString('base64'), Buffer.from(privateKeyToProtobuf(keys.peerKey)).toString('hex')
    ]
  })
  afterAll(() => { dir?.cleanup() })

  it('a stolen key file is useless without the passphrase: it does not parse as a plain key, and a wrong passphrase is refused with KEY_PASSPHRASE_WRONG', () => {
    for (const file of ['key.pem', 'peer.key']) {
      const text = readFileSync(join(keysDir, file), 'utf8')
      expect(text).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/)
      // As a thief would try it: as a plain PKCS#8 key, and through OpenSSL without a passphrase.
      expect(() => createPrivateKey({ key: text, format: 'pem' })).toThrow()
      const der = Buffer.from(text.replace(/-----[^-]+-----|\s/g, ''), 'base64')
      expect(() => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })).toThrow()
      for (const guess of ['', 'wrong', PASSPHRASE.slice(0, -1), `${PASSPHRASE} `, PASSPHRASE.toUpperCase()]) {
        expect(() => decryptPrivateKey(text, guess), `guess "${guess}"`).toThrow(expect.objectContaining({ code: guess === '' ? expect.stringMatching(/^KEY_PASSPHRASE_(WRONG|MISSING)$/) : 'KEY_PASSPHRASE_WRONG' }))
      }
      expect(decryptPrivateKey(text, PASSPHRASE).asymmetricKeyType).toBe(file === 'key.pem' ? 'ec' : 'ed25519')
    }
  })

  it('a node whose key was swapped for a plain copy refuses to start with KEY_NOT_ENCRYPTED, naming keys.allowPlainKeys', async () => {
    const d = tempDir('plain-key')
    try {
      const plain = await initNodeFolder({ party: 'CH', dir: d.path, listen: ['/ip4/127.0.0.1/tcp/0'], httpPort: 0, notBefore: new Date(VECTOR_GRANTED_AT) })
      writeFileSync(join(d.path, 'anchor.pem'), anchorCertPem())
      writeFileSync(join(d.path, 'trust-list.xml'), (await signedTrustList([{ party: 'CH', peerId: plain.peerId, certificate: plain.certificatePem }])).xml)
      // node init without a passphrase allows plain keys (a pilot); an operator who turns that off gets a refusal.
      const config = readFileSync(plain.configPath, 'utf8')
      expect(config).toMatch(/^ {2}allowPlainKeys: true$/m)
      writeFileSync(plain.configPath, config.replace(/^ {2}allowPlainKeys: true$/m, '  allowPlainKeys: false'))
      const err = await startNodeService({ configPath: plain.configPath, logger: capture().logger }).then(() => undefined, (e: unknown) => e)
      expect(err).toMatchObject({ code: 'KEY_NOT_ENCRYPTED', field: 'keys.allowPlainKeys' })
      expect((err as Error).message).toContain('keys.allowPlainKeys')
      // The field absent is the same as false: the default refuses.
      writeFileSync(plain.configPath, config.replace(/^ {2}allowPlainKeys: true\n/m, ''))
      await expect(startNodeService({ configPath: plain.configPath, logger: capture().logger })).rejects.toMatchObject({ code: 'KEY_NOT_ENCRYPTED' })
      // And an encrypted node whose key.pem a thief replaced with his own plain key.
      const ours = join(keysDir, 'key.pem')
      const saved = readFileSync(ours, 'utf8')
      try {
        writeFileSync(ours, readFileSync(join(d.path, 'keys', 'key.pem')))
        await expect(startNodeService({ configPath: made.configPath, logger: capture().logger })).rejects.toMatchObject({ code: 'KEY_NOT_ENCRYPTED', field: 'keys.allowPlainKeys' })
      } finally {
        writeFileSync(ours, saved, { mode: 0o600 })
      }
    } finally {
      d.cleanup()
    }
  })

  it('encrypted keys and no passphrase anywhere: KEY_PASSPHRASE_MISSING; a wrong one: KEY_PASSPHRASE_WRONG', async () => {
    const d = tempDir('no-passphrase')
    try {
      const copy = join(d.path, CONFIG_FILE)
      writeFileSync(copy, readFileSync(made.configPath, 'utf8').replace(/\.\/(keys|data|anchor|trust-list)/g, `${join(dir.path, 'node')}/$1`))
      dropPassphraseFile(copy)
      await withEnv({ CITES_KEY_PASSPHRASE: undefined, CREDENTIALS_DIRECTORY: undefined }, async () => {
        await expect(startNodeService({ configPath: copy, logger: capture().logger })).rejects.toMatchObject({ code: 'KEY_PASSPHRASE_MISSING' })
      })
      await withEnv({ CITES_KEY_PASSPHRASE: 'not the passphrase', CREDENTIALS_DIRECTORY: undefined }, async () => {
        await expect(startNodeService({ configPath: copy, logger: capture().logger })).rejects.toMatchObject({ code: 'KEY_PASSPHRASE_WRONG' })
      })
    } finally {
      d.cleanup()
    }
  })

  /** Start the node, issue one permit, check its XML signature and CH's signed log, and grep the log for secrets. */
  async function startSignAndCheck (configPath: string, number: string, source: string): Promise<void> {
    const { lines, logger } = capture()
    const svc = await startNodeService({ configPath, logger, now: () => NOW })
    try {
      expect(svc.node.peerId.toString()).toBe(made.peerId)
      const { signedXml } = await svc.node.issue(chPermit(number))
      const v = await verifySignedPermit(signedXml, { now: new Date(NOW), certificatesFor: (p) => svc.node.trust.certificatesFor(p) })
      expect(v.valid, JSON.stringify(v.checks.filter((c) => c.status !== 'VALID'))).toBe(true)
      expect(v.signer?.sha256).toBe(made.certificateSha256)
      // The issue event is signed with the same key: CH's whole log verifies against the trust list.
      expect(await svc.node.internals.ledger.verifyLog('CH')).toMatchObject({ ok: true, problems: [] })
    } finally {
      await svc.stop()
    }
    const log = lines.join('')
    expect(log).toContain(`"passphraseSource":"${source}"`)
    for (const s of secrets) expect(log.includes(s), `a secret (${s.length} chars) in the log`).toBe(false)
  }

  it('with the passphrase from keys.passphraseFile the node signs permits and events, and no passphrase or key bytes reach the log', async () => {
    await withEnv({ CITES_KEY_PASSPHRASE: undefined, CREDENTIALS_DIRECTORY: undefined }, async () => {
      await startSignAndCheck(made.configPath, '26CHK00001', 'keys.passphraseFile')
    })
  })

  it('with the passphrase from CITES_KEY_PASSPHRASE the node signs permits and events, and no passphrase or key bytes reach the log', async () => {
    dropPassphraseFile(made.configPath)
    await withEnv({ CITES_KEY_PASSPHRASE: PASSPHRASE, CREDENTIALS_DIRECTORY: undefined }, async () => {
      await startSignAndCheck(made.configPath, '26CHK00002', 'CITES_KEY_PASSPHRASE')
    })
  })

  it('with the passphrase from a systemd credential ($CREDENTIALS_DIRECTORY/cites-key-passphrase) the node signs permits and events, and no passphrase or key bytes reach the log', async () => {
    dropPassphraseFile(made.configPath)
    const creds = join(dir.path, 'credentials')
    mkdirSync(creds, { recursive: true })
    writeFileSync(join(creds, 'cites-key-passphrase'), PASSPHRASE, { mode: 0o400 })
    // The credential wins over the environment (a wrong value there must not matter).
    await withEnv({ CITES_KEY_PASSPHRASE: 'stale value', CREDENTIALS_DIRECTORY: creds }, async () => {
      await startSignAndCheck(made.configPath, '26CHK00003', 'systemd credential')
    })
  })

  it('no passphrase or key bytes reach a log line or an error, whatever the passphrase (property over random passphrases)', async () => {
    await fc.assert(fc.asyncProperty(
      fc.string({ minLength: 8, maxLength: 40, unit: 'grapheme' }).filter((p) => p.trim().length >= 8 && !p.includes('\n') && !p.includes('\r')),
      async (passphrase) => {
        const d = tempDir('random-passphrase')
        try {
          const node = await initNodeFolder({ party: 'CH', dir: d.path, listen: ['/ip4/127.0.0.1/tcp/0'], httpPort: 0, sharedHost: true, notBefore: new Date(VECTOR_GRANTED_AT), passphrase, scrypt: SCRYPT })
          writeFileSync(join(d.path, 'anchor.pem'), anchorCertPem())
          writeFileSync(join(d.path, 'trust-list.xml'), (await signedTrustList([{ party: 'CH', peerId: node.peerId, certificate: node.certificatePem }])).xml)
          const signing = decryptPrivateKey(readFileSync(join(d.path, 'keys', 'key.pem'), 'utf8'), passphrase)
          const peer = decryptPrivateKey(readFileSync(join(d.path, 'keys', 'peer.key'), 'utf8'), passphrase)
          const keyBytes = [signing, peer].flatMap((k) => {
            const dd = k.export({ format: 'jwk' }).d as string
            return [dd, Buffer.from(dd, 'base64url').toString('hex'), Buffer.from(dd, 'base64url').toString('base64'), k.export({ type: 'pkcs8', format: 'der' }).toString('base64')]
          })
          const { lines, logger } = capture()
          // A wrong passphrase first (one character changed): its refusal names neither.
          const wrong = await withEnv({ CITES_KEY_PASSPHRASE: `${passphrase}x`, CREDENTIALS_DIRECTORY: undefined }, async () => await startNodeService({ configPath: node.configPath, logger }).then(() => undefined, (e: unknown) => e as Error))
          expect(wrong).toMatchObject({ code: 'KEY_PASSPHRASE_WRONG' })
          const svc = await withEnv({ CITES_KEY_PASSPHRASE: passphrase, CREDENTIALS_DIRECTORY: undefined }, async () => await startNodeService({ configPath: node.configPath, logger, now: () => NOW }))
          try {
            await svc.node.issue(chPermit('26CHP00001'))
          } finally {
            await svc.stop()
          }
          const written = lines.join('') + (wrong?.message ?? '') + (wrong?.stack ?? '')
          expect(lines.length).toBeGreaterThan(3)
          for (const secret of [passphrase, `${passphrase}x`, JSON.stringify(passphrase).slice(1, -1), ...keyBytes]) expect(written.includes(secret), `a secret (${secret.length} chars) in a log line or error`).toBe(false)
        } finally {
          d.cleanup()
        }
      }
    ), { numRuns: 3 })
  })

  it('a plain folder encrypted in place (cites keys encrypt) keeps its peer ID and certificate, and starts without allowPlainKeys', async () => {
    const d = tempDir('encrypt-in-place')
    try {
      const plain = await initNodeFolder({ party: 'CH', dir: d.path, listen: ['/ip4/127.0.0.1/tcp/0'], httpPort: 0, sharedHost: true, notBefore: new Date(VECTOR_GRANTED_AT) })
      writeFileSync(join(d.path, 'anchor.pem'), anchorCertPem())
      writeFileSync(join(d.path, 'trust-list.xml'), (await signedTrustList([{ party: 'CH', peerId: plain.peerId, certificate: plain.certificatePem }])).xml)
      expect(await encryptKeyFolder(join(d.path, 'keys'), PASSPHRASE, SCRYPT)).toEqual([join(d.path, 'keys', 'key.pem'), join(d.path, 'keys', 'peer.key')])
      expect(await encryptKeyFolder(join(d.path, 'keys'), PASSPHRASE, SCRYPT)).toEqual([])
      writeFileSync(plain.configPath, readFileSync(plain.configPath, 'utf8').replace(/^ {2}allowPlainKeys: true$/m, '  allowPlainKeys: false'))
      await withEnv({ CITES_KEY_PASSPHRASE: PASSPHRASE, CREDENTIALS_DIRECTORY: undefined }, async () => {
        const svc = await startNodeService({ configPath: plain.configPath, logger: capture().logger, now: () => NOW })
        try {
          expect(svc.node.peerId.toString()).toBe(plain.peerId)
          const { signedXml } = await svc.node.issue(chPermit('26CHK00009'))
          expect((await verifySignedPermit(signedXml, { now: new Date(NOW), certificatesFor: (p) => svc.node.trust.certificatesFor(p) })).signer?.sha256).toBe(plain.certificateSha256)
        } finally {
          await svc.stop()
        }
      })
    } finally {
      d.cleanup()
    }
  })

  it('a key file cannot make the node spend unbounded memory: scrypt beyond N=2^20 is refused before any work', async () => {
    const k = decryptPrivateKey(readFileSync(join(keysDir, 'key.pem'), 'utf8'), PASSPHRASE)
    // Written with N=2^21 would take 2 GiB and seconds to make; build the header by hand instead: same format, N patched.
    const small = encryptPrivateKey(k, PASSPHRASE, { N: 2 ** 10, r: 8, p: 1 })
    const der = Buffer.from(small.replace(/-----[^-]+-----|\s/g, ''), 'base64')
    // INTEGER 1024 (02 02 04 00) → INTEGER 2^21 (02 02 ... won't fit): use r instead, INTEGER 8 (02 01 08) → 127 (02 01 7f).
    const at = der.indexOf(Buffer.from([0x02, 0x02, 0x04, 0x00, 0x02, 0x01, 0x08]))
    expect(at).toBeGreaterThan(0)
    der[at + 6] = 0x7f
    const patched = `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${der.toString('base64')}\n-----END ENCRYPTED PRIVATE KEY-----\n`
    expect(() => decryptPrivateKey(patched, PASSPHRASE)).toThrow(expect.objectContaining({ code: 'NODE_FILE_INVALID', message: expect.stringContaining('scrypt parameters') }))
  })
})
