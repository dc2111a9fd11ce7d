/**
 * Issue 15 §3: every act by a person (issue, endorse, use, cancel, replace,
 * void) signs the acting account's pseudonymous ID into the event, and the
 * free-text officer (a name, gossiped to every authority) is then not
 * written. A name passed off as an account ID is refused, whether asked of
 * this ledger or received in another authority's signed event.
 */
import { describe, expect, it } from 'vitest'
import {
  ConsumedBody, EndorsedBody, EventType, ProvisionalBody, decodeEvent, signEvent, type Ledger
} from '../src/index.js'
import { CONSUME_A, NOW, chPermit, ledgerPerTest, openLedger, signer, tempDir } from './kit.js'

const ISSUER = 'u_3kq9x7a2mf'
const CUSTOMS_TH = 'u_8hd2p0wz4c'
const ENDORSE = { lines: [{ line: 'A', quantity: 50, unit: 'PCS' }], port: 'CHZRH', officer: 'Jane Roe, export desk' }

async function eventsOf (l: Ledger, from = 1): Promise<Array<ReturnType<typeof decodeEvent>['event']>> {
  return (await l.eventsFrom(l.party, from)).map((b) => decodeEvent(b).event)
}

describe('the acting account in the signed events', () => {
  const t = ledgerPerTest('CH')
  const ch = (): Ledger => t.ledger

  it('each act names its account in the event and the state; the officer\'s name is not written beside it', async () => {
    await ch().issue(chPermit('26CHA00001'), { actor: ISSUER })
    await ch().endorse('CH', '26CHA00001', { ...ENDORSE, actor: ISSUER })
    await ch().voidExport('CH', '26CHA00001', 'did not leave', { actor: ISSUER })
    await ch().cancel('CH', '26CHA00001', 'abandoned', { actor: ISSUER })
    await ch().issue(chPermit('26CHA00002'), { actor: ISSUER })
    await ch().replace('CH', '26CHA00002', chPermit('26CHA00003'), 'lost', 'lost in transit', { actor: ISSUER })
    // A use asked by TH's customs officer: TH's account, as its signed request carries it.
    const used = await ch().decideUse({ party: 'CH', number: '26CHA00003', requester: 'TH', ...CONSUME_A, actor: CUSTOMS_TH })
    expect(used).toMatchObject({ kind: 'consumed', receipt: { actor: CUSTOMS_TH, officer: '', consumingParty: 'TH' } })

    const evs = await eventsOf(ch())
    expect(evs.map((e) => [e.type, e.actor])).toEqual([
      [EventType.ISSUED, ISSUER], [EventType.EXPORT_ENDORSED, ISSUER], [EventType.EXPORT_VOIDED, ISSUER], [EventType.CANCELLED, ISSUER],
      [EventType.ISSUED, ISSUER], [EventType.REPLACED, ISSUER], [EventType.ISSUED, ISSUER], [EventType.CONSUMED, CUSTOMS_TH]
    ])
    expect(EndorsedBody.decode(evs[1]!.body).officer).toBe('')
    expect(ConsumedBody.decode(evs[7]!.body).officer).toBe('')
    for (const e of evs) expect(new TextDecoder().decode(e.body)).not.toContain('Jane Roe')

    const voided = await ch().getPermit('CH', '26CHA00001')
    expect(voided?.state).toMatchObject({ issuedBy: ISSUER, cancellation: { actor: ISSUER }, voidedExports: [{ actor: ISSUER }] })
    expect(voided?.history.map((h) => h.actor)).toEqual([ISSUER, ISSUER, ISSUER, ISSUER])
    expect((await ch().getPermit('CH', '26CHA00002'))?.state.replacement).toMatchObject({ number: '26CHA00003', actor: ISSUER })
    expect((await ch().getPermit('CH', '26CHA00003'))?.state).toMatchObject({ issuedBy: ISSUER, consumption: { actor: CUSTOMS_TH } })
  })

  it('without an actor, events are written as before: no actor field, the officer text kept', async () => {
    await ch().issue(chPermit('26CHA00004'))
    await ch().endorse('CH', '26CHA00004', ENDORSE)
    const [issued, endorsed] = await eventsOf(ch())
    expect(issued!.actor).toBeUndefined()
    expect(endorsed!.actor).toBeUndefined()
    expect(EndorsedBody.decode(endorsed!.body).officer).toBe(ENDORSE.officer)
    const view = await ch().getPermit('CH', '26CHA00004')
    expect(view?.history.every((h) => !('actor' in h))).toBe(true)
    expect(view?.state).not.toHaveProperty('issuedBy')
  })

  it('a name passed off as an account ID is refused (ACTOR_INVALID) and nothing is written', async () => {
    await ch().issue(chPermit('26CHA00005'), { actor: ISSUER })
    const size = ch().heads().get('CH')!.size
    for (const actor of ['Jane Roe', '', 'u_' + 'x'.repeat(63), 'u_3kq9x7a2mf\n', 'jane.roe@ministry.example']) {
      await expect(ch().issue(chPermit('26CHA00006'), { actor })).rejects.toMatchObject({ code: 'ACTOR_INVALID' })
      await expect(ch().endorse('CH', '26CHA00005', { ...ENDORSE, actor })).rejects.toMatchObject({ code: 'ACTOR_INVALID' })
      await expect(ch().cancel('CH', '26CHA00005', 'x', { actor })).rejects.toMatchObject({ code: 'ACTOR_INVALID' })
      await expect(ch().consume('CH', '26CHA00005', { ...CONSUME_A, actor })).rejects.toMatchObject({ code: 'ACTOR_INVALID' })
      expect(await ch().decideUse({ party: 'CH', number: '26CHA00005', requester: 'TH', ...CONSUME_A, actor })).toMatchObject({ kind: 'refused', code: 'ACTOR_INVALID' })
    }
    expect(ch().heads().get('CH')!.size).toBe(size)
    expect((await ch().status('CH', '26CHA00005'))?.status).toBe('ISSUED')
  })
})

describe('another authority\'s events with an actor', () => {
  it('a provisional use names the destination\'s account, and a replica keeps it', async () => {
    const dirs = [tempDir(), tempDir()]
    const ch = await openLedger('CH', dirs[0]!.path)
    const th = await openLedger('TH', dirs[1]!.path)
    try {
      await ch.issue(chPermit('26CHA00007'), { actor: ISSUER })
      await th.acceptEvents(await ch.eventsFrom('CH', 1))
      const claim = await th.consumeProvisionally('CH', '26CHA00007', { ...CONSUME_A, actor: CUSTOMS_TH, reason: 'CH unreachable' })
      expect(claim).toMatchObject({ actor: CUSTOMS_TH, officer: '' })
      const [provisional] = (await th.eventsFrom('TH', 1)).map((b) => decodeEvent(b).event)
      expect(provisional).toMatchObject({ type: EventType.PROVISIONAL_CONSUMED, actor: CUSTOMS_TH })
      expect(ProvisionalBody.decode(provisional!.body).officer).toBe('')
      await th.waitForIndex('CH')
      expect((await th.getPermit('CH', '26CHA00007'))?.state.issuedBy).toBe(ISSUER)
    } finally {
      await ch.close(); await th.close()
      for (const d of dirs) d.cleanup()
    }
  })

  it('a validly signed event whose actor is a person\'s name is refused by a replica (EVENT_MALFORMED)', async () => {
    const dirs = [tempDir(), tempDir()]
    const ch = await openLedger('CH', dirs[0]!.path)
    const th = await openLedger('TH', dirs[1]!.path)
    try {
      await ch.issue(chPermit('26CHA00008'))
      const [first] = (await ch.eventsFrom('CH', 1)).map((b) => decodeEvent(b))
      // CH's own key signs it: only the actor's form is wrong.
      const named = await signEvent({ ...first!.event, actor: 'Jane Roe, CH export desk', time: BigInt(NOW) }, await signer('CH'))
      await expect(th.acceptEvents([named.bytes])).rejects.toMatchObject({ code: 'EVENT_INVALID', reason: 'EVENT_MALFORMED' })
      expect(th.heads().get('CH')).toBeUndefined()
    } finally {
      await ch.close(); await th.close()
      for (const d of dirs) d.cleanup()
    }
  })
})
