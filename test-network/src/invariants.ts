/**
 * The pilot network's invariants, checked after each scenario:
 *  1. every acknowledged (delivered) permit is present on every live node;
 *  2. no permit is consumed twice (no issuer log holds a second CONSUMED);
 *  3. every node's copy of every log verifies end to end;
 *  4. the alerts match the faults: each expected alert is there, and nothing
 *     that only misbehaviour causes (equivocation, refused transitions,
 *     checkpoint mismatches) appears.
 */
import { NodeClient } from './client.js'
import { nodePid, type PilotLayout } from './pilot.js'

export interface InvariantReport {
  ok: boolean
  live: string[]
  acknowledged: number
  missing: string[]
  consumedTwice: string[]
  logsChecked: number
  badLogs: string[]
  missingAlerts: string[]
  unexpectedAlerts: string[]
  lines: string[]
}

const MISBEHAVIOUR = new Set(['EQUIVOCATION', 'TRANSITION_REFUSED', 'CHECKPOINT_MISMATCH', 'PERMIT_SIGNATURE_INVALID'])

export async function checkInvariants (layout: PilotLayout, o: { expectedAlerts?: readonly string[] } = {}): Promise<InvariantReport> {
  const live = layout.nodes.filter((n) => nodePid(n) !== undefined)
  const clients = new Map(live.map((n) => [n.party, new NodeClient(n)]))
  const acknowledged: Array<{ party: string, number: string }> = []
  for (const [party, c] of clients) {
    const d = await c.request<Array<{ party: string, number: string, state: string }>>('GET', '/v1/deliveries?state=delivered', { role: 'viewer' })
    if (d.status === 200) for (const e of d.body) acknowledged.push({ party, number: e.number })
  }
  const missing: string[] = []
  for (const [holder, c] of clients) {
    for (const a of acknowledged) {
      const r = await c.request('GET', `/v1/permits/${a.party}/${encodeURIComponent(a.number)}?wait=10000`, { role: 'viewer' })
      if (r.status !== 200) missing.push(`${a.party}/${a.number} at ${holder}`)
    }
  }
  const consumedTwice: string[] = []
  const badLogs: string[] = []
  let logsChecked = 0
  const alerts = new Map<string, string[]>()
  for (const [holder, c] of clients) {
    const audit = await c.request<{ logs: Array<{ author: string, ok: boolean, size: number }>, consumedTwice: string[] }>('GET', '/v1/audit', { role: 'viewer', timeoutMs: 120_000 })
    for (const l of audit.body.logs) { logsChecked++; if (!l.ok) badLogs.push(`${l.author} at ${holder}`) }
    consumedTwice.push(...audit.body.consumedTwice.map((m) => `${holder}: ${m}`))
    const a = await c.request<Array<{ kind: string }>>('GET', '/v1/alerts', { role: 'viewer' })
    alerts.set(holder, a.body.map((x) => x.kind))
  }
  const missingAlerts = (o.expectedAlerts ?? []).filter((e) => {
    const [kind, at] = e.split('@')
    return at !== undefined && clients.has(at) && !(alerts.get(at) ?? []).includes(kind as string)
  })
  const unexpectedAlerts = [...alerts].flatMap(([holder, kinds]) => kinds.filter((k) => MISBEHAVIOUR.has(k)).map((k) => `${k}@${holder}`))
  const lines = [
    `${acknowledged.length} acknowledged permits on all ${live.length} live nodes${missing.length > 0 ? ` — MISSING ${missing.slice(0, 5).join(', ')}` : ''}`,
    `consumed twice: ${consumedTwice.length}`,
    `${logsChecked} log copies verified${badLogs.length > 0 ? ` — FAILED ${badLogs.join(', ')}` : ''}`,
    `alerts as expected${missingAlerts.length > 0 ? ` — MISSING ${missingAlerts.join(', ')}` : ''}${unexpectedAlerts.length > 0 ? ` — UNEXPECTED ${unexpectedAlerts.join(', ')}` : ''}`
  ]
  return {
    ok: missing.length === 0 && consumedTwice.length === 0 && badLogs.length === 0 && missingAlerts.length === 0 && unexpectedAlerts.length === 0,
    live: live.map((n) => n.party), acknowledged: acknowledged.length, missing, consumedTwice, logsChecked, badLogs, missingAlerts, unexpectedAlerts, lines
  }
}
