import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as xmldsig from 'xmldsigjs'
import { DOMParser } from '@xmldom/xmldom'
import { makeVerdict, permitFromJsonText, readPermitXml } from '@cites/permit'
import {
  AlreadySignedError, KeyCertificateMismatchError, NS_DSIG, PermitRefusedError, cryptoEngine, generateSigningIdentity,
  loadSigner, parseCertificate, signPermit, signXml, verifySignedDocument
} from '../src/index.js'
import { certPem, keyPem, readVector } from '@cites/test-kit/base'
import { signedPermit, signer, verifyWith } from './attack-kit.js'

describe(`sign and verify (engine: ${process.env.CITES_CRYPTO_ENGINE ?? 'default'})`, () => {
  it('uses the engine the environment asks for', () => {
    const want = process.env.CITES_CRYPTO_ENGINE ?? 'node'
    expect(cryptoEngine().name).toBe(want)
  })

  it('an ECDSA P-256 signed permit verifies, and reads back to the signed model', async () => {
    const xml = await signedPermit('ch-export-th', 'CH')
    const v = await verifyWith(xml)
    expect(v.valid).toBe(true)
    expect(v.checks.map((c) => [c.name, c.status])).toEqual([
      ['integrity', 'VALID'], ['issuer', 'VALID'], ['rules', 'VALID'], ['validity', 'VALID'],
      ['status', 'SKIPPED'], ['use', 'SKIPPED'], ['confirmation', 'SKIPPED']
    ])
    expect(v.permit).toEqual(permitFromJsonText(readVector('permits/ch-export-th.json')))
    expect(v.signer?.sha256).toBe(parseCertificate(certPem('CH')).sha256)
    expect(xml).toContain('xmldsig-more#ecdsa-sha256')
  })

  it('an RSA-2048 signed permit verifies', async () => {
    const xml = await signedPermit('th-import-ch', 'TH')
    expect(xml).toContain('xmldsig-more#rsa-sha256')
    expect((await verifyWith(xml)).valid).toBe(true)
  })

  it('produces standard XML-DSig that xmldsigjs itself verifies with the trusted key', async () => {
    const xml = await signedPermit()
    const doc = new DOMParser().parseFromString(xml, 'text/xml') as unknown as Document
    const sx = new xmldsig.SignedXml(doc)
    sx.LoadXml(doc.getElementsByTagNameNS(NS_DSIG, 'Signature')[0] as Element)
    sx.Algorithm = { ...(sx.Algorithm as object), namedCurve: 'P-256' } as unknown as EcdsaParams
    const { crypto } = cryptoEngine()
    const cert = parseCertificate(certPem('CH'))
    const x509 = await import('@peculiar/x509')
    const key = await new x509.X509Certificate(Buffer.from(cert.der)).publicKey.export({ name: 'ECDSA', namedCurve: 'P-256' }, ['verify'], crypto)
    expect(await sx.Verify(key)).toBe(true)
  })

  it('reports the validity dates: expired and not yet valid', async () => {
    const xml = await signedPermit()
    const at = async (now: string) => {
      const { verifySignedPermit } = await import('../src/index.js')
      const v = await verifySignedPermit(xml, { now: new Date(now), certificatesFor: () => [{ certificate: certPem('CH'), grantedAt: '2026-01-01T00:00:00Z' }] })
      return [v.valid, v.checks.find((c) => c.name === 'validity')?.reason.code]
    }
    expect(await at('2027-06-01T00:00:00Z')).toEqual([false, 'PERMIT_EXPIRED'])
    expect(await at('2026-10-01T00:00:00Z')).toEqual([false, 'PERMIT_NOT_YET_VALID'])
  })

  it('refuses to sign a permit whose rules fail or whose issuing party is not the signer\'s', async () => {
    const p = permitFromJsonText(readVector('permits/ch-export-th.json'))
    await expect(signPermit(p, await signer('CH'), 'TH')).rejects.toMatchObject({ name: 'PermitRefusedError', problems: [{ code: 'ISSUER_NOT_SIGNER' }] })
    p.lines[0]!.appendix = 'I'
    const err = await signPermit(p, await signer('CH'), 'CH').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PermitRefusedError)
    expect((err as PermitRefusedError).problems.map((x) => x.code)).toEqual(['APPENDIX_I_IMPORT_PERMIT_MISSING'])
  })

  it('refuses to sign twice, and refuses a key that does not match its certificate', async () => {
    const xml = await signedPermit()
    await expect(signXml(xml, await signer('CH'))).rejects.toBeInstanceOf(AlreadySignedError)
    await expect(loadSigner(keyPem('ATTACKER'), certPem('CH'))).rejects.toBeInstanceOf(KeyCertificateMismatchError)
  })

  it('generates RSA-2048 and ECDSA identities whose certificates parse', async () => {
    const rsa = await generateSigningIdentity({ commonName: 'Test MA, "quoted"', country: 'FR', algorithm: 'RSA-2048' })
    expect(parseCertificate(rsa.certificatePem).algorithm).toBe('RSA-2048')
    const s = await loadSigner(rsa.privateKeyPem, rsa.certificatePem)
    const signed = await signXml('<a xmlns="urn:t"><b>1</b></a>', s)
    const r = await verifySignedDocument(signed, { trusted: [{ certificate: rsa.certificatePem, grantedAt: '2000-01-01T00:00:00Z' }], at: Date.now() })
    expect([r.integrity.status, r.issuer.status]).toEqual(['VALID', 'VALID'])
  })

  it('never throws and never accepts arbitrary or mutated input (fuzz)', async () => {
    const signed = await signedPermit()
    const trust = () => [{ certificate: certPem('CH'), grantedAt: '2026-01-01T00:00:00Z' }]
    await fc.assert(fc.asyncProperty(
      fc.oneof(
        fc.string({ maxLength: 300 }),
        // mutate one character of the signed document
        fc.tuple(fc.nat({ max: signed.length - 1 }), fc.string({ minLength: 1, maxLength: 3 })).map(([i, s]) => signed.slice(0, i) + s + signed.slice(i + 1))
      ),
      async (input) => {
        const r = await verifySignedDocument(input, { trusted: trust(), at: Date.parse('2026-11-01T09:30:00Z') })
        if (input === signed) return
        // A mutation may land in insignificant whitespace or the base64
        // padding of the certificate; it must never verify as a *different*
        // permit than the one signed.
        if (r.integrity.status === 'VALID') {
          expect(readPermitXml(input).permit).toEqual(readPermitXml(signed).permit)
        }
      }
    ), { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) })
  })

  it('fails closed: an empty or partial verdict is never valid', () => {
    expect(makeVerdict([]).valid).toBe(false)
    expect(makeVerdict([{ name: 'integrity', status: 'VALID', reason: { code: 'OK', message: '' } }]).valid).toBe(false)
    expect(makeVerdict([
      { name: 'integrity', status: 'VALID', reason: { code: 'OK', message: '' } },
      { name: 'issuer', status: 'VALID', reason: { code: 'OK', message: '' } },
      { name: 'rules', status: 'ERROR', reason: { code: 'X', message: '' } }
    ]).valid).toBe(false)
  })
})
