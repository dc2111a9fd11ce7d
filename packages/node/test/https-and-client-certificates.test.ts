/**
 * HTTPS and client certificates (issue 15 §4, SECURITY.md §15), with real
 * TLS: node folders made by `initNodeFolder`, started in process by
 * `startNodeService`, and reached by Node's own TLS client. The CA, the server
 * and client certificates are generated here.
 *
 * What it stops: bearer tokens read off the wire (plain HTTP is off when TLS
 * is on; HSTS tells browsers to stay on HTTPS), and, with `clientCa`, a caller
 * without a certificate from the MA's CA, or with one from another CA, who is
 * refused in the handshake before any HTTP is read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { request as httpsRequest, type RequestOptions } from 'node:https'
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { parseDocument } from 'yaml'
import { createLogger } from '@cites/runtime'
import { anchorCertPem, signedTrustList, tempDir, waitFor, type TempDir } from '@cites/test-kit'
import {
  ConfigError, NodeFileError, generateTlsCa, initNodeFolder, issueTlsCertificate, loadConfig, startNodeService, tlsServerOptions,
  type InitializedNode, type NodeService, type TlsKeyPair
} from '../src/index.js'

interface Answer { status: number, headers: IncomingHttpHeaders, body: string }

/** One GET on a fresh connection (no agent: no session reuse between cases), with `send` (https or http). */
async function getWith (send: typeof httpsRequest, url: string, o: RequestOptions = {}): Promise<Answer> {
  return await new Promise((resolve, reject) => {
    const req = send(url, { agent: false, ...o }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => { body += c })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body }) })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}
/** Over TLS. */
const get = async (url: string, o: RequestOptions = {}): Promise<Answer> => await getWith(httpsRequest, url, o)
/** The same request in plain HTTP: what a client (or a downgrade) sends to a TLS port. */
const plainGet = async (url: string): Promise<Answer> => await getWith(httpRequest as unknown as typeof httpsRequest, url)

/** A node folder with the test anchor and a trust list naming the node, ready to start. */
async function nodeFolder (dir: string, tls?: 'self-signed'): Promise<InitializedNode> {
  const made = await initNodeFolder({ party: 'CH', dir, listen: ['/ip4/127.0.0.1/tcp/0'], httpHost: '127.0.0.1', httpPort: 0, accounts: [{ name: 'Test viewer', role: 'viewer' }], ...(tls !== undefined ? { tls } : {}) })
  writeFileSync(join(dir, 'anchor.pem'), anchorCertPem())
  writeFileSync(join(dir, 'trust-list.xml'), (await signedTrustList([{ party: 'CH', peerId: made.peerId, certificate: made.certificatePem }])).xml)
  return made
}

/** Set `http.tls` in a node's config file (as an operator edits it). */
function setTls (configPath: string, tls: Record<string, string>): void {
  const doc = parseDocument(readFileSync(configPath, 'utf8'))
  doc.setIn(['http', 'tls'], tls)
  writeFileSync(configPath, doc.toString())
}

/**
 * The TLS errors the node's server itself reports (the refusals seen from the
 * node's side), as they come: a client that gave up in an earlier case may
 * report late, so a case waits for its own code rather than the next error.
 */
function tlsErrors (svc: NodeService): { has: (code: string) => Promise<void>, sessions: () => number } {
  const codes: string[] = []
  let sessions = 0
  svc.http.server.on('tlsClientError', (err: Error & { code?: string }) => { codes.push(err.code ?? err.message) })
  // Emitted only once a handshake has succeeded: a refused client never gets here.
  svc.http.server.on('secureConnection', () => { sessions++ })
  return { has: async (code) => { await waitFor(() => codes.includes(code), { what: `the node's TLS error ${code} (seen: ${codes.join(', ')})` }) }, sessions: () => sessions }
}

const start = async (configPath: string): Promise<NodeService> => await startNodeService({ configPath, logger: createLogger({ level: 'silent' }) })

describe('node init --tls self-signed: a pilot node over HTTPS', () => {
  let tmp: TempDir
  let made: InitializedNode
  let svc: NodeService
  let cert: string
  let refusals: ReturnType<typeof tlsErrors>
  beforeAll(async () => {
    tmp = tempDir('tls-self')
    made = await nodeFolder(tmp.path, 'self-signed')
    svc = await start(made.configPath)
    refusals = tlsErrors(svc)
    cert = readFileSync(join(tmp.path, 'keys', 'tls-cert.pem'), 'utf8')
  }, 60_000)
  afterAll(async () => { await svc?.stop(); tmp?.cleanup() })

  it('writes http.tls into the config, the key readable by the owner only', () => {
    const { config } = loadConfig(made.configPath)
    expect(config.http.tls).toEqual({ cert: join(tmp.path, 'keys', 'tls-cert.pem'), key: join(tmp.path, 'keys', 'tls-key.pem') })
    expect(statSync(join(tmp.path, 'keys', 'tls-key.pem')).mode & 0o777).toBe(0o600)
    expect(made.tls?.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(svc.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
  })

  it('serves /health over HTTPS to a client trusting the certificate, by IP and by localhost, with HSTS', async () => {
    const a = await get(`${svc.url}/health`, { ca: cert })
    expect(a.status).toBe(200)
    expect(JSON.parse(a.body)).toMatchObject({ status: 'ok', party: 'CH' })
    expect(a.headers['strict-transport-security']).toBe('max-age=31536000')
    const port = new URL(svc.url).port
    expect((await get(`https://localhost:${port}/health`, { ca: cert, family: 4 })).status).toBe(200)
  })

  it('a client that does not trust the certificate refuses the node (no token would be sent)', async () => {
    await expect(get(`${svc.url}/health`)).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })
  })

  it('plain HTTP to the same port gets no answer from the API (bearer tokens are never read in clear)', async () => {
    const plain = svc.url.replace('https:', 'http:')
    await expect(plainGet(`${plain}/health`)).rejects.toMatchObject({ code: 'ECONNRESET' })
    await refusals.has('ERR_SSL_HTTP_REQUEST')
  })
})

describe('http.tls with clientCa: client certificates (mTLS) before the bearer token', () => {
  let tmp: TempDir
  let made: InitializedNode
  let svc: NodeService
  let ca: TlsKeyPair
  let client: TlsKeyPair
  let stranger: TlsKeyPair
  let refusals: ReturnType<typeof tlsErrors>
  beforeAll(async () => {
    tmp = tempDir('tls-mtls')
    made = await nodeFolder(tmp.path)
    // The ministry's CA issues the node's server certificate and the permit system's client certificate.
    ca = await generateTlsCa('Ministry CA (test)')
    const server = await issueTlsCertificate({ ca, commonName: 'cites-node.test', usage: 'server', hosts: ['localhost', '127.0.0.1'] })
    client = await issueTlsCertificate({ ca, commonName: 'CH permit system', usage: 'client' })
    // A valid-looking client certificate, but from a CA the node never named.
    stranger = await issueTlsCertificate({ ca: await generateTlsCa('Another CA'), commonName: 'CH permit system', usage: 'client' })
    writeFileSync(join(tmp.path, 'keys', 'server-cert.pem'), server.certPem)
    writeFileSync(join(tmp.path, 'keys', 'server-key.pem'), server.keyPem, { mode: 0o600 })
    writeFileSync(join(tmp.path, 'keys', 'client-ca.pem'), ca.certPem)
    setTls(made.configPath, { cert: './keys/server-cert.pem', key: './keys/server-key.pem', clientCa: './keys/client-ca.pem' })
    svc = await start(made.configPath)
    refusals = tlsErrors(svc)
  }, 60_000)
  afterAll(async () => { await svc?.stop(); tmp?.cleanup() })

  it('serves a client with a certificate from the configured CA', async () => {
    const before = refusals.sessions()
    const a = await get(`${svc.url}/health`, { ca: ca.certPem, cert: client.certPem, key: client.keyPem })
    expect(a.status).toBe(200)
    expect(a.headers['strict-transport-security']).toBe('max-age=31536000')
    expect(refusals.sessions()).toBe(before + 1)
  })

  it('still needs the bearer token after the certificate (mTLS is an additional gate)', async () => {
    const tls = { ca: ca.certPem, cert: client.certPem, key: client.keyPem }
    const none = await get(`${svc.url}/metrics`, tls)
    expect(none.status).toBe(401)
    expect(JSON.parse(none.body)).toMatchObject({ code: 'TOKEN_MISSING' })
    expect((await get(`${svc.url}/metrics`, { ...tls, headers: { authorization: `Bearer ${made.tokens.viewer}` } })).status).toBe(200)
  })

  it('refuses a client without a certificate in the handshake, even with a valid token', async () => {
    const before = refusals.sessions()
    await expect(get(`${svc.url}/metrics`, { ca: ca.certPem, headers: { authorization: `Bearer ${made.tokens.viewer}` } })).rejects.toMatchObject({ code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' })
    expect(refusals.sessions()).toBe(before)
    await refusals.has('ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE')
  })

  it('refuses a client certificate from another CA in the handshake, even with a valid token', async () => {
    const before = refusals.sessions()
    await expect(get(`${svc.url}/metrics`, { ca: ca.certPem, cert: stranger.certPem, key: stranger.keyPem, headers: { authorization: `Bearer ${made.tokens.viewer}` } })).rejects.toMatchObject({ code: expect.stringMatching(/^(ECONNRESET|ERR_SSL_TLSV13_ALERT_UNKNOWN_CA)$/) })
    // No TLS session was ever set up for it, so no HTTP byte (nor its token) was read.
    expect(refusals.sessions()).toBe(before)
  })

  it('a client checking the server against another CA refuses the node (no token is sent to an impostor)', async () => {
    const other = await generateTlsCa('Not the ministry')
    await expect(get(`${svc.url}/health`, { ca: other.certPem, cert: client.certPem, key: client.keyPem })).rejects.toMatchObject({ code: expect.stringMatching(/^(SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)$/) })
  })
})

describe('http.tls that does not load refuses to start, naming the field', () => {
  it('a missing key file, and a key that is not the certificate\'s', async () => {
    const tmp = tempDir('tls-bad')
    try {
      const made = await nodeFolder(tmp.path, 'self-signed')
      const { config } = loadConfig(made.configPath)
      expect(() => tlsServerOptions({ ...config.http.tls!, key: join(tmp.path, 'nope.pem') })).toThrow(/http\.tls\.key/)
      const other = await generateTlsCa('x')
      writeFileSync(join(tmp.path, 'keys', 'tls-key.pem'), other.keyPem)
      await expect(start(made.configPath)).rejects.toBeInstanceOf(NodeFileError)
      setTls(made.configPath, { cert: './keys/tls-cert.pem', key: './keys/tls-key.pem', clientKey: 'x' })
      expect(() => loadConfig(made.configPath)).toThrow(ConfigError)
      expect(() => loadConfig(made.configPath)).toThrow(/http\.tls/)
    } finally {
      tmp.cleanup()
    }
  }, 60_000)
})
