/**
 * Issue 18, finding 6b and the delivery side of finding 4, at the deliver
 * port of the destination (its real ledger, trust store and signatures; no
 * network needed). A replayed delivery of a genuine ISSUED event must not
 * cost another permit XML-DSig check (the verdict is cached by the
 * document's SHA-256 and the trust-list sequence; the ledger answers the
 * replay as a duplicate before any signature check); an event delivered too
 * far ahead of the log held is not kept and is answered BUSY, so the sender
 * retries once sync has closed the gap.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeEvent, signEvent, MAX_PENDING_EVENTS, PENDING_WINDOW, type Ledger } from '@cites/ledger'
import { documentVerifications } from '@cites/verdict'
import type { TrustStore } from '@cites/trust-list'
import { AckBody, AckOutcome, SignedAck, ledgerDeliverPort, type DeliverAnswer, type DeliverPort } from '../src/index.js'
import { NOW, chPermit, ledgerFor, parties, tempDir, trustFor } from './kit.js'

const REPLAYS = 300

const outcome = (a: DeliverAnswer): string => a.kind === 'ack' ? AckOutcome[AckBody.decode(SignedAck.decode(a.ack).body).outcome] : a.kind

describe('deliveries replayed or far ahead of the log, at the destination', () => {
  let P: Awaited<ReturnType<typeof parties>>
  let trust: TrustStore
  const dirs = { CH: tempDir(), TH: tempDir() }
  let ch: Ledger
  let th: Ledger
  let port: DeliverPort

  let document: Uint8Array
  beforeAll(async () => {
    P = await parties()
    trust = await trustFor([P.CH, P.TH])
    ch = await ledgerFor(P.CH, trust, dirs.CH.path)
    th = await ledgerFor(P.TH, trust, dirs.TH.path)
    port = ledgerDeliverPort(th, { trust, signer: P.TH.signer, now: () => NOW })
  })
  afterAll(async () => {
    await ch.close()
    await th.close()
    for (const d of Object.values(dirs)) d.cleanup()
  })

  it(`${REPLAYS} replays of a genuine delivered event cost one permit signature check, not ${REPLAYS + 1}`, async () => {
    await ch.issue(chPermit('26CHR00001'))
    const [event] = await ch.eventsFrom('CH', 1, 1)
    // r11: the document travels beside the event.
    document = (await ch.document('CH', '26CHR00001'))!
    const before = documentVerifications(trust)
    expect(outcome(await port.receive(event!, undefined, document))).toBe('DELIVERED')
    expect(documentVerifications(trust) - before).toBe(1)
    for (let i = 0; i < REPLAYS; i++) expect(outcome(await port.receive(event!, undefined, document))).toBe('DELIVERED')
    console.log(`delivery replays: ${REPLAYS + 1} deliveries of one event, ${documentVerifications(trust) - before} permit XML-DSig check(s)`)
    expect(documentVerifications(trust) - before).toBe(1)
    expect(th.heads().get('CH')?.size).toBe(1)
  })

  it('an event delivered beyond the window is answered BUSY and kept nowhere; one within it is held and acknowledged', async () => {
    const [first] = await ch.eventsFrom('CH', 1, 1)
    const template = decodeEvent(first!).event
    const at = async (seq: number): Promise<Uint8Array> => (await signEvent({ ...template, seq: BigInt(seq) }, P.CH.signer)).bytes
    const far = 1 + PENDING_WINDOW + 1
    expect(await port.receive(await at(far), undefined, document)).toMatchObject({ kind: 'busy' })
    expect(th.pending()).toEqual([])
    // Within the window: held (the document is the same genuine permit).
    expect(outcome(await port.receive(await at(3), undefined, document))).toBe('DELIVERED')
    expect(th.pending()).toMatchObject([{ author: 'CH', events: 1, lowest: 3 }])
    // A delivered flood of gapped events fills no more than the caps.
    for (let seq = 4; seq <= far; seq++) await port.receive(await at(seq), undefined, document)
    expect(th.pending()[0]?.events).toBeLessThanOrEqual(MAX_PENDING_EVENTS)
  })
})
