/**
 * The state machine against a simple in-memory model of the rules, over
 * random sequences of operations (issue, endorse, consume, cancel, replace,
 * time passing). Every outcome, success or refusal code, must agree. A
 * replacement (line A, 1 specimen) is issued now, so after Box 2 it is
 * refused at issue (VALIDITY_ENDED_AT_ISSUE), as an issue is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { PermitRefusedError } from '@cites/xml-signature'
import { LedgerError, derivedStatus, type Ledger } from '../src/index.js'
import { NOW, chPermit, openLedger, tempDir, type Clock } from './kit.js'

type Op =
  | { kind: 'issue', p: number }
  | { kind: 'endorse', p: number, qty: number }
  | { kind: 'consume', p: number, qty: number }
  | { kind: 'cancel', p: number }
  | { kind: 'replace', p: number }
  | { kind: 'wait', days: number }

const VALID_FROM = Date.parse('2026-11-01T00:00:00Z')
const VALID_UNTIL = Date.parse('2027-04-30T23:59:59Z')
const AUTHORISED = 50

interface ModelPermit { status: 'ISSUED' | 'ENDORSED' | 'CONSUMED' | 'CANCELLED' | 'REPLACED', endorsed?: number }

/** The rules, written plainly. Returns 'OK' or the refusal code. */
function model (m: Map<number, ModelPermit>, op: Exclude<Op, { kind: 'wait' }>, now: number): string {
  const p = m.get(op.p)
  const endedAtIssue = now > VALID_UNTIL
  if (op.kind === 'issue') {
    if (endedAtIssue) return 'VALIDITY_ENDED_AT_ISSUE'
    if (p !== undefined) return 'DUPLICATE_NUMBER'
    m.set(op.p, { status: 'ISSUED' })
    return 'OK'
  }
  if (op.kind === 'replace' && endedAtIssue) return 'VALIDITY_ENDED_AT_ISSUE'
  if (p === undefined) return 'PERMIT_NOT_FOUND'
  if (p.status === 'CANCELLED') return 'PERMIT_CANCELLED'
  if (p.status === 'REPLACED') return 'PERMIT_REPLACED'
  const inForce = now < VALID_FROM ? 'PERMIT_NOT_YET_VALID' : now > VALID_UNTIL ? 'PERMIT_EXPIRED' : undefined
  switch (op.kind) {
    case 'endorse':
      if (p.status === 'CONSUMED') return 'ENDORSEMENT_AFTER_CONSUMPTION'
      if (p.endorsed !== undefined) return 'ALREADY_ENDORSED'
      if (inForce !== undefined) return inForce
      if (op.qty <= 0) return 'INVALID_LINES'
      if (op.qty > AUTHORISED) return 'QUANTITY_EXCEEDED'
      p.status = 'ENDORSED'
      p.endorsed = op.qty
      return 'OK'
    case 'consume':
      if (p.status === 'CONSUMED') return 'ALREADY_CONSUMED'
      if (inForce !== undefined) return inForce
      if (op.qty <= 0) return 'INVALID_LINES'
      if (op.qty > (p.endorsed ?? AUTHORISED)) return 'QUANTITY_EXCEEDED'
      p.status = 'CONSUMED'
      return 'OK'
    case 'cancel':
    case 'replace':
      if (p.status === 'CONSUMED') return 'ALREADY_CONSUMED'
      // Box 14 endorsed: the goods left; cancelling would erase the export.
      if (op.kind === 'cancel' && p.endorsed !== undefined) return 'EXPORT_ENDORSED'
      p.status = op.kind === 'cancel' ? 'CANCELLED' : 'REPLACED'
      return 'OK'
  }
}

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('issue' as const), p: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('endorse' as const), p: fc.integer({ min: 0, max: 3 }), qty: fc.integer({ min: -1, max: 60 }) }),
  fc.record({ kind: fc.constant('consume' as const), p: fc.integer({ min: 0, max: 3 }), qty: fc.integer({ min: -1, max: 60 }) }),
  fc.record({ kind: fc.constant('cancel' as const), p: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('replace' as const), p: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('wait' as const), days: fc.integer({ min: 1, max: 120 }) })
)

describe('permit transitions (property, against a model)', () => {
  let dir: ReturnType<typeof tempDir>
  let ch: Ledger
  const clock: Clock = { now: NOW }
  let run = 0
  beforeAll(async () => { dir = tempDir(); ch = await openLedger('CH', dir.path, clock) })
  afterAll(async () => { await ch.close(); dir.cleanup() })

  it('every outcome matches the model', async () => {
    await fc.assert(fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), async (ops) => {
      run++
      clock.now = NOW
      const m = new Map<number, ModelPermit>()
      const num = (p: number): string => `26CHP${run}-${p}`
      for (const op of ops) {
        if (op.kind === 'wait') { clock.now += op.days * 86_400_000; continue }
        const expected = model(m, op, clock.now)
        let got = 'OK'
        try {
          const lines = op.kind === 'endorse' || op.kind === 'consume' ? [{ line: 'A', quantity: op.qty, unit: 'PCS' }] : []
          if (op.kind === 'issue') await ch.issue(chPermit(num(op.p)))
          else if (op.kind === 'endorse') await ch.endorse('CH', num(op.p), { lines, port: 'CHZRH' })
          else if (op.kind === 'consume') await ch.consume('CH', num(op.p), { lines, port: 'THBKK' })
          else if (op.kind === 'cancel') await ch.cancel('CH', num(op.p), 'test')
          else await ch.replace('CH', num(op.p), { ...chPermit(`${num(op.p)}R`), lines: [{ ...chPermit('X').lines[0]!, quantity: 1 }] }, 'lost')
        } catch (e) {
          if (e instanceof PermitRefusedError) got = e.problems.map((x) => x.code).join(',')
          else if (!(e instanceof LedgerError)) throw e
          else got = e.code
        }
        expect(got, `${JSON.stringify(op)} at ${new Date(clock.now).toISOString()}`).toBe(expected)
      }
      for (const [p, mp] of m) {
        const s = await ch.status('CH', num(p))
        const modelStatus = (mp.status === 'ISSUED' || mp.status === 'ENDORSED') && clock.now > VALID_UNTIL ? 'EXPIRED' : mp.status
        expect(s?.status).toBe(modelStatus)
        expect(derivedStatus(s!.state, clock.now)).toBe(modelStatus)
      }
    }), { numRuns: Number(process.env.PROPERTY_RUNS ?? 60) })
  })
})
