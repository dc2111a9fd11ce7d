/**
 * The pilot network's invariants, checked after each scenario:
 *  1. every acknowledged (delivered) permit is present on every live node;
 *  2. no permit is consumed twice (no issuer log holds a second CONSUMED);
 *  3. every node's copy of every log verifies end to end;
 *  4. the alerts match the faults: each expected alert is there, and nothing
 *     that only misbehaviour causes (equivocation, refused transitions,
 *     checkpoint mismatches) appears;
 *  5. trader data stays with the parties (ledger.md §2.4, r17): for each
 *     permit a scenario names with its traders, the issuer's and the
 *     destination's nodes give its signed document (GET as XML) naming them,
 *     and every other node gives no document (404) and a view (JSON) that
 *     names none of them. Read through each node's own API, not its files.
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
  /** Invariant 5: where a trader's data was missing at a party, or found at a third party. */
  traderLeaks: string[]
  lines: string[]
}

/** A permit whose trader names and addresses (Boxes 3 and 4) only its issuer and destination may hold. */
export interface TradersOf { party: string, number: string, destination: string, traders: readonly string[] }

const MISBEHAVIOUR = new Set(['EQUIVOCATION', 'TRANSITION_REFUSED', 'CHECKPOINT_MISMATCH', 'PERMIT_SIGNATURE_INVALID'])

export async function checkInvariants (layout: PilotLayout, o: { expectedAlerts?: readonly string[], tradersOf?: readonly TradersOf[] } = {}): Promise<InvariantReport> {
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
  const traderLeaks: string[] = []
  for (const t of o.tradersOf ?? []) {
    const path = `/v1/permits/${t.party}/${encodeURIComponent(t.number)}?wait=10000`
    for (const [holder, c] of clients) {
      const asXml = await c.request<string | { code?: string }>('GET', path, { role: 'viewer', accept: 'application/xml' })
      const text = typeof asXml.body === 'string' ? asXml.body : JSON.stringify(asXml.body)
      if (holder === t.party || holder === t.destination) {
        const absent = t.traders.filter((s) => !text.includes(s))
        if (asXml.status !== 200 || absent.length > 0) traderLeaks.push(`${t.party}/${t.number}: ${holder}, a party, lacks the document (${asXml.status}, ${absent.length} of ${t.traders.length} names missing)`)
        continue
      }
      if (asXml.status !== 404 || (asXml.body as { code?: string }).code !== 'DOCUMENT_NOT_HELD') traderLeaks.push(`${t.party}/${t.number}: ${holder} answers GET as XML with ${asXml.status}, not 404 DOCUMENT_NOT_HELD`)
      const asJson = await c.request('GET', path, { role: 'viewer' })
      const json = JSON.stringify(asJson.body)
      if (asJson.status !== 200) traderLeaks.push(`${t.party}/${t.number}: ${holder} does not hold the summary (${asJson.status})`)
      if (t.traders.some((s) => json.includes(s) || text.includes(s))) traderLeaks.push(`${t.party}/${t.number}: ${holder}, not a party, names a trader`)
    }
  }
  const lines = [
    `${acknowledged.length} acknowledged permits on all ${live.length} live nodes${missing.length > 0 ? ` — MISSING ${missing.slice(0, 5).join(', ')}` : ''}`,
    `consumed twice: ${consumedTwice.length}`,
    `${logsChecked} log copies verified${badLogs.length > 0 ? ` — FAILED ${badLogs.join(', ')}` : ''}`,
    ...(o.tradersOf !== undefined && o.tradersOf.length > 0 ? [`trader data of ${o.tradersOf.length} permit(s) only at the parties${traderLeaks.length > 0 ? ` — ${traderLeaks.slice(0, 3).join('; ')}` : ''}`] : []),
    `alerts as expected${missingAlerts.length > 0 ? ` — MISSING ${missingAlerts.join(', ')}` : ''}${unexpectedAlerts.length > 0 ? ` — UNEXPECTED ${unexpectedAlerts.join(', ')}` : ''}`
  ]
  return {
    ok: missing.length === 0 && consumedTwice.length === 0 && badLogs.length === 0 && missingAlerts.length === 0 && unexpectedAlerts.length === 0 && traderLeaks.length === 0,
    live: live.map((n) => n.party), acknowledged: acknowledged.length, missing, consumedTwice, logsChecked, badLogs, missingAlerts, unexpectedAlerts, traderLeaks, lines
  }
}
