/**
 * Issue 16, finding 7: each aborted request was logged at error level
 * ("unhandled error … aborted"), and 202 answers carried networking library
 * text ("Too many outbound protocol streams …", "Cannot write to a stream
 * that is closed"). Against real nodes, through real HTTP and the node's real
 * logger (pino, captured):
 * - 20 requests aborted while their bodies are read: 20 debug lines, one
 *   each, and no line at warn or above;
 * - a use recorded provisionally (the issuer cut off) is answered 202 with
 *   the stable code PROVISIONAL and a plain message, no library text;
 * - a use refused because the issuer is unreachable (policy off) is answered
 *   503 ISSUER_UNREACHABLE with the code's plain summary; the detail goes to
 *   the log.
 */
import { connect } from 'node:net'
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { createLogger } from '@cites/runtime'
import { chPermit, USE_A, waitFor } from '@cites/test-kit'
import { buildHttpApi, hashToken, plainMessage, PROVISIONAL_MESSAGE } from '../src/index.js'
import { authorities, basePort, meshFormed, startPermitNode, stopAll, trustListXml, type TestNode } from './kit.js'

const CUSTOMS = 'customs-token-aborted'
const tokens = { issuer: hashToken('issuer-token-aborted'), customs: hashToken(CUSTOMS), viewer: hashToken('viewer-token-aborted') }
// What networking libraries say; none of it may reach an answer.
const LIBRARY_TEXT = /stream|dial|ECONN|libp2p|protocol|closed|timeout|aborted|Error/i

interface Line { level: number, msg: string, code?: string }

describe('aborted requests are logged once at debug; 5xx and 202 answers say a code and a plain message', () => {
  let nodes: TestNode[] = []
  const by = (p: string): TestNode => nodes.find((n) => n.a.party === p) as TestNode
  const lines: Line[] = []
  let th: FastifyInstance
  let fr: FastifyInstance
  let thUrl = { port: 0 }

  beforeAll(async () => {
    const all = await authorities(['CH', 'TH', 'FR'], basePort())
    const xml = await trustListXml(all)
    nodes = await Promise.all(all.map(async (a) => await startPermitNode(a, xml, a.party === 'TH' ? { provisional: { allow: true, issuerTimeoutMs: 1500 } } : {})))
    await meshFormed(nodes)
    await by('CH').node.issue(chPermit('26CHL0001'))
    await waitFor(async () => (await by('TH').node.internals.ledger.status('CH', '26CHL0001')) !== undefined, { timeoutMs: 20_000, what: 'TH to hold the permit' })
    // r17: TH judges a provisional use from its replica with the document, delivered beside the event: wait for it before the cut.
    await waitFor(async () => (await by('TH').node.internals.ledger.documentStatus('CH', '26CHL0001')) === 'held', { timeoutMs: 20_000, what: 'the delivery to TH' })
    const sink = new Writable({ write (chunk: Buffer, _enc, done) { for (const l of chunk.toString('utf8').split('\n')) if (l !== '') lines.push(JSON.parse(l) as Line); done() } })
    th = (await buildHttpApi(by('TH').node, { tokens, logger: createLogger({ level: 'debug', destination: sink }) })).app
    await th.listen({ host: '127.0.0.1', port: 0 })
    thUrl = th.server.address() as { port: number }
    fr = (await buildHttpApi(by('FR').node, { tokens, logger: false })).app
    // The issuer, CH, is cut off from both.
    await by('TH').node.partition(['CH'])
    await by('FR').node.partition(['CH'])
    await by('CH').node.partition(['TH', 'FR'])
    await waitFor(() => !by('TH').node.peerParties().includes('CH') && !by('FR').node.peerParties().includes('CH'), { timeoutMs: 10_000, what: 'the partition' })
  })
  afterAll(async () => {
    await th?.close()
    await fr?.close()
    await stopAll(nodes)
  })

  it('20 requests aborted while their bodies are read give 20 debug lines, one each, and nothing at warn or above', async () => {
    const from = lines.length
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve) => {
        const s = connect({ host: '127.0.0.1', port: thUrl.port }, () => {
          // A valid token: the node accepts the request and starts reading its body, then the client goes away.
          s.write(`POST /v1/verify HTTP/1.1\r\nHost: node\r\nAuthorization: Bearer ${CUSTOMS}\r\nContent-Type: application/xml\r\nContent-Length: 100000\r\n\r\n<a>`)
          setTimeout(() => { s.destroy(); resolve() }, 50)
        })
        s.on('error', () => {})
      })
    }
    const aborted = (): Line[] => lines.slice(from).filter((l) => l.code === 'CLIENT_ABORTED')
    await waitFor(() => aborted().length >= 20, { timeoutMs: 10_000, what: '20 abort lines' })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(aborted().length).toBe(20)
    expect(aborted().every((l) => l.level === 20)).toBe(true) // pino's debug
    const loud = lines.slice(from).filter((l) => l.level >= 40)
    expect(loud).toEqual([])
    expect(lines.slice(from).some((l) => /unhandled/.test(l.msg))).toBe(false)
    // And the node still answers.
    expect((await th.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200)
  })

  it('a provisional use is answered 202 PROVISIONAL with a plain message, without library text', async () => {
    const r = await th.inject({ method: 'POST', url: '/v1/permits/CH/26CHL0001/consumptions', headers: { authorization: `Bearer ${CUSTOMS}` }, payload: USE_A })
    expect(r.statusCode).toBe(202)
    const body = r.json()
    expect(body).toMatchObject({ outcome: 'PROVISIONAL', code: 'PROVISIONAL', message: PROVISIONAL_MESSAGE, claim: { claimant: 'TH', resolution: 'provisional', port: 'THBKK' } })
    expect(body.claim.reason).toBeUndefined()
    expect(JSON.stringify(body.claim)).not.toMatch(LIBRARY_TEXT)
    expect(PROVISIONAL_MESSAGE).not.toMatch(LIBRARY_TEXT)
  })

  it('a use refused because the issuer is unreachable (policy off) is answered 503 ISSUER_UNREACHABLE with the code\'s summary', async () => {
    const r = await fr.inject({ method: 'POST', url: '/v1/permits/CH/26CHL0001/consumptions', headers: { authorization: `Bearer ${CUSTOMS}` }, payload: USE_A })
    expect(r.statusCode).toBe(503)
    expect(r.json()).toMatchObject({ status: 503, code: 'ISSUER_UNREACHABLE', detail: plainMessage('ISSUER_UNREACHABLE') })
    expect(r.json().detail).not.toMatch(LIBRARY_TEXT)
  })
})
