/**
 * The protocol handlers as libp2p services: passed to libp2p, started with
 * it (the protocol is answered) and unregistered when stopped (a dial is
 * refused as an unsupported protocol). And a peer that answers garbage: its
 * answer surfaces as MalformedResponseError (a bad-gateway code), never as
 * anything else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import type { Ledger } from '@cites/ledger'
import type { TrustStore } from '@cites/trust-list'
import {
  CONSUME_PROTOCOL, ConsumeResponse, MalformedResponseError, PROTOCOL_CODES, ProtocolError, Status, VERIFY_PROTOCOL, consumeService, createAuthorisedNode,
  ledgerConsumePort, ledgerVerifyPort, requestConsumption, verifyRemote, verifyService, type AuthorisedNode, type ProtocolService
} from '../src/index.js'
import { NOW, chPermit, ledgerFor, parties, startNode, stopNode, tempDir, trustFor, type RunningNode } from './kit.js'

describe('protocol services and malformed answers (real libp2p on loopback)', () => {
  let P: Awaited<ReturnType<typeof parties>>
  let trust: TrustStore
  let ch: { node: AuthorisedNode, ledger: Ledger, dir: ReturnType<typeof tempDir> }
  let th: RunningNode
  let fr: RunningNode
  const LINES = [{ line: 'A', quantity: 50, unit: 'PCS' }]

  /** FR's node answers `protocol` with these bytes, length-prefixed, whatever it is asked. */
  const answerWith = async (protocol: string, bytes: Uint8Array): Promise<void> => {
    await fr.node.unhandle(protocol)
    await fr.node.handle(protocol, async (stream) => {
      const lp = lpStream(stream)
      await lp.read()
      await lp.write(bytes)
      await stream.close()
    })
  }

  beforeAll(async () => {
    P = await parties()
    const listed = [P.CH, P.TH, P.FR]
    trust = await trustFor(listed)
    const dir = tempDir()
    const ledger = await ledgerFor(P.CH, trust, dir.path)
    // CH's handlers are libp2p services: started by node.start(), not by hand.
    const node = await createAuthorisedNode({
      privateKey: P.CH.peerKey,
      trust,
      services: {
        verify: verifyService({ port: ledgerVerifyPort(ledger) }),
        consume: consumeService({ port: ledgerConsumePort({ ledger, trust, now: () => NOW }) })
      }
    })
    await node.start()
    ch = { node, ledger, dir }
    th = await startNode(P.TH, listed)
    fr = await startNode(P.FR, listed)
    await th.node.dial(ch.node.getMultiaddrs())
    await th.node.dial(fr.node.getMultiaddrs())
    await ch.ledger.issue(chPermit('26CHS00001'))
  }, 60_000)

  afterAll(async () => {
    await ch.node.stop()
    await ch.ledger.close()
    ch.dir.cleanup()
    await stopNode(th)
    await stopNode(fr)
  })

  const service = (name: string): ProtocolService => (ch.node.services as unknown as Record<string, ProtocolService>)[name]!

  it('the services start with libp2p and answer: verify and consume through CH\'s services', async () => {
    expect(service('verify').isStarted()).toBe(true)
    const chPeer = peerIdFromString(P.CH.peerId)
    // TH holds the document as the destination (delivered beside the event, r11).
    const document = (await ch.ledger.document('CH', '26CHS00001'))!
    const v = await verifyRemote(th.node, chPeer, { party: 'CH', number: '26CHS00001', trust: th.trust, now: new Date(NOW), document })
    expect([v.valid, v.answeredBy]).toEqual([true, 'CH'])
    const used = await requestConsumption(th.node, chPeer, { party: 'CH', number: '26CHS00001', lines: LINES, port: 'THBKK' }, { requester: 'TH', signer: P.TH.signer, trust: th.trust, now: NOW })
    expect(used.code).toBe('OK')
    expect(used.receipt).toMatchObject({ party: 'CH', number: '26CHS00001', consumingParty: 'TH' })
  })

  it('a verify answer that does not decode raises MalformedResponseError, a bad-gateway code', async () => {
    // A length-delimited field claiming 255 bytes where there are none: no protobuf decoder reads it.
    await answerWith(VERIFY_PROTOCOL, new Uint8Array([0x0a, 0xff, 0x01]))
    const err = await verifyRemote(th.node, peerIdFromString(P.FR.peerId), { party: 'CH', number: '26CHS00001', trust: th.trust, now: new Date(NOW) }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MalformedResponseError)
    expect(err).toBeInstanceOf(ProtocolError)
    expect((err as MalformedResponseError).code).toBe('MALFORMED_RESPONSE')
    expect(PROTOCOL_CODES.MALFORMED_RESPONSE.kind).toBe('bad-gateway')
  })

  it('a consume answer that does not decode, or carries a receipt that does not, raises MalformedResponseError', async () => {
    const ask = async (): Promise<unknown> => await requestConsumption(th.node, peerIdFromString(P.FR.peerId), { party: 'CH', number: '26CHS00001', lines: LINES, port: 'THBKK' }, { requester: 'TH', signer: P.TH.signer, trust: th.trust, now: NOW }).catch((e: unknown) => e)
    await answerWith(CONSUME_PROTOCOL, new Uint8Array([0x0a, 0xff, 0x01]))
    expect(await ask()).toBeInstanceOf(MalformedResponseError)
    await answerWith(CONSUME_PROTOCOL, ConsumeResponse.encode({ status: Status.OK, code: 'OK', message: '', event: new Uint8Array([1, 2, 3]) }))
    const err = await ask()
    expect(err).toBeInstanceOf(MalformedResponseError)
    expect((err as Error).message).toMatch(/receipt does not decode/)
  })

  it('a stopped service is unregistered: a dial of /cites/verify/2.0.0 is refused as unsupported, and it answers again once restarted', async () => {
    const chPeer = peerIdFromString(P.CH.peerId)
    await service('verify').stop()
    expect(service('verify').isStarted()).toBe(false)
    await expect(th.node.dialProtocol(chPeer, VERIFY_PROTOCOL)).rejects.toMatchObject({ name: 'UnsupportedProtocolError' })
    // the other services are untouched
    expect(service('consume').isStarted()).toBe(true)
    await service('verify').start()
    const v = await verifyRemote(th.node, chPeer, { party: 'CH', number: '26CHS00001', trust: th.trust, now: new Date(NOW) })
    expect(v.answeredBy).toBe('CH')
  })
})
