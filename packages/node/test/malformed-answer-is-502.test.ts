/**
 * A hostile or broken issuer node: CH is listed, but its node answers every
 * /cites/verify and /cites/consume request with bytes that are not the
 * protocol's message. TH's customs officer must get a 502 problem+json with
 * the stable code MALFORMED_RESPONSE (another node answered wrongly), never
 * a 500 INTERNAL (this node's fault), and never a verdict or a recorded use.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { lpStream } from '@libp2p/utils'
import { createAuthorisedNode, CONSUME_PROTOCOL, VERIFY_PROTOCOL, type AuthorisedNode } from '@cites/protocol'
import { buildHttpApi, hashToken } from '../src/index.js'
import { trustStoreFor, USE_A, waitFor } from '@cites/test-kit'
import { authorities, basePort, startPermitNode, stopAll, trustListXml, type TestNode } from './kit.js'

const T = { issuer: 'issuer-token-0123456789', customs: 'customs-token-0123456789', viewer: 'viewer-token-0123456789' }
const tokens = { issuer: hashToken(T.issuer), customs: hashToken(T.customs), viewer: hashToken(T.viewer) }
const auth = { authorization: `Bearer ${T.customs}` }
// A length-prefixed frame whose content is no protobuf message: field 1 with wire type 7, which does not exist.
const GARBAGE = new Uint8Array([0x0f, 0xff, 0xff, 0xff])

describe('an issuer node that answers garbage', () => {
  let th: TestNode | undefined
  let ch: AuthorisedNode | undefined
  let api: FastifyInstance | undefined
  let answered = 0

  beforeAll(async () => {
    const [chA, thA] = await authorities(['CH', 'TH'], basePort())
    const xml = await trustListXml([chA!, thA!])
    ch = await createAuthorisedNode({ privateKey: chA!.peerKey, trust: await trustStoreFor(xml), listen: [chA!.address], sharedHost: true })
    for (const protocol of [VERIFY_PROTOCOL, CONSUME_PROTOCOL]) {
      await ch.handle(protocol, async (stream) => {
        const lp = lpStream(stream)
        await lp.read()
        await lp.write(GARBAGE)
        answered++
        await stream.close()
      })
    }
    await ch.start()
    th = await startPermitNode(thA!, xml, { provisional: { allow: true, issuerTimeoutMs: 5000 } })
    await waitFor(() => th!.node.peerParties().includes('CH'), { timeoutMs: 20_000, what: 'TH connected to CH' })
    api = (await buildHttpApi(th.node, { tokens, logger: false })).app
  })
  afterAll(async () => {
    await api?.close()
    await ch?.stop()
    await stopAll([th])
  })

  it('a verification is answered 502 MALFORMED_RESPONSE, not 500', async () => {
    const before = answered
    const r = await api!.inject({ method: 'POST', url: '/v1/verify', headers: auth, payload: { party: 'CH', number: '26CH000001' } })
    expect(answered).toBe(before + 1)
    expect(r.statusCode).toBe(502)
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(r.json()).toMatchObject({ status: 502, code: 'MALFORMED_RESPONSE' })
  })

  it('a use is answered 502 MALFORMED_RESPONSE and nothing is recorded, not even provisionally', async () => {
    const before = answered
    const r = await api!.inject({ method: 'POST', url: '/v1/permits/CH/26CH000001/consumptions', headers: auth, payload: USE_A })
    expect(answered).toBe(before + 1)
    expect(r.statusCode).toBe(502)
    expect(r.json()).toMatchObject({ status: 502, code: 'MALFORMED_RESPONSE' })
    expect(th!.node.internals.ledger.heads().get('TH')?.size ?? 0).toBe(0)
  })
})
