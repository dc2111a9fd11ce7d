/**
 * Pilot scenarios, driven through each node's HTTP API as the authorities'
 * systems and customs officers would. Each step reports what it expected and
 * what happened; a scenario ends by checking the network's invariants.
 */
import { NodeClient } from './client.js'
import { checkInvariants, type InvariantReport, type TradersOf } from './invariants.js'
import { killNode, partitionNode, healAll, restartNode } from './faults.js'
import { PilotError } from './errors.js'
import { waitForMesh, type PilotLayout } from './pilot.js'

export interface StepResult { step: number, title: string, ok: boolean, detail: string, ms: number }
export interface ScenarioResult { name: string, steps: StepResult[], invariants: InvariantReport, ok: boolean }

/** An export permit (JSON form) from `issuer` to `destination`, issued now. */
export function pilotPermit (issuer: string, destination: string, number: string, o: { appendix?: string, withImportPermit?: boolean, traders?: PilotTraders } = {}): Record<string, unknown> {
  const t = o.traders ?? { importer: 'Pilot Importer Ltd', importerCity: 'Port City', exporter: 'Pilot Exporter AG', exporterCity: 'Export Town' }
  const now = Date.now()
  const permit: Record<string, unknown> = {
    number, type: 'E', validFrom: new Date(now - 86_400_000).toISOString(), validUntil: new Date(now + 180 * 86_400_000).toISOString(), purpose: 'T',
    securityStamp: `${issuer}-SS-${number.slice(-4)}`,
    issuer: { name: `Management Authority of ${issuer}`, address: { city: 'Capital', country: issuer } },
    consignee: { name: t.importer, address: { ...(t.importerStreet !== undefined ? { street: t.importerStreet } : {}), city: t.importerCity, country: destination } },
    consignor: { name: t.exporter, address: { ...(t.exporterStreet !== undefined ? { street: t.exporterStreet } : {}), city: t.exporterCity, country: issuer } },
    lines: [
      o.appendix === 'I'
        ? { id: 'A', scientificName: 'Panthera tigris', commonName: 'Tiger', term: 'LIV', appendix: 'I', source: 'C', quantity: 2, unit: 'PCS', originCountry: issuer }
        : { id: 'A', scientificName: 'Python regius', commonName: 'Ball python', term: 'LIV', appendix: 'II', source: 'C', quantity: 50, unit: 'PCS', originCountry: issuer }
    ]
  }
  return permit
}

/** Boxes 3 and 4: the importer's and the exporter's names and addresses. */
export interface PilotTraders { importer: string, importerStreet?: string, importerCity: string, exporter: string, exporterStreet?: string, exporterCity: string }

type Step = (ctx: Ctx) => Promise<string>
/** `tradersOf`: permits whose traders only their parties may hold (invariant 5). */
interface Ctx { layout: PilotLayout, c: (party: string) => NodeClient, vars: Record<string, string>, faults: string[], tradersOf: TradersOf[] }

async function runSteps (name: string, layout: PilotLayout, steps: Array<[string, Step]>, say: (line: string) => void): Promise<ScenarioResult> {
  const byParty = new Map(layout.nodes.map((n) => [n.party, new NodeClient(n)]))
  const ctx: Ctx = {
    layout,
    c: (p) => { const x = byParty.get(p); if (x === undefined) throw new PilotError('PARTY_NOT_IN_PILOT', `${p} is not in this pilot`); return x },
    vars: {},
    faults: [],
    tradersOf: []
  }
  const results: StepResult[] = []
  for (const [i, [title, run]] of steps.entries()) {
    const t0 = Date.now()
    let ok = true
    let detail: string
    try {
      detail = await run(ctx)
    } catch (err) {
      ok = false
      detail = (err as Error).message
    }
    const r = { step: i + 1, title, ok, detail, ms: Date.now() - t0 }
    results.push(r)
    say(`${ok ? '✔' : '✘'} ${String(r.step).padStart(2)}. ${title}\n     ${detail}`)
    if (!ok) break
  }
  const invariants = await checkInvariants(layout, { expectedAlerts: ctx.faults, tradersOf: ctx.tradersOf })
  say(`${invariants.ok ? '✔' : '✘'} invariants: ${invariants.lines.join('; ')}`)
  return { name, steps: results, invariants, ok: results.every((r) => r.ok) && results.length === steps.length && invariants.ok }
}

const expect = (cond: boolean, what: string): void => { if (!cond) throw new PilotError('STEP_FAILED', what) }

const checkCode = (verdict: { checks?: Array<{ name: string, status: string, reason: { code: string } }> }, name: string): string =>
  verdict.checks?.find((c) => c.name === name)?.reason.code ?? '?'

/** The task force's default pilot scenario (test-network/README.md). */
export async function defaultScenario (layout: PilotLayout, say: (line: string) => void = () => {}): Promise<ScenarioResult> {
  for (const p of ['CH', 'TH', 'CN', 'FR']) if (!layout.nodes.some((n) => n.party === p)) throw new PilotError('PILOT_PARTIES', 'the default scenario needs CH, TH, CN and FR')
  const number = `26CH${String(Date.now() % 1_000_000).padStart(6, '0')}`
  return await runSteps('default', layout, [
    ['CH issues an export permit for an Appendix II species (Python regius) to TH', async (x) => {
      const r = await x.c('CH').request('POST', '/v1/permits', { role: 'issuer', body: pilotPermit('CH', 'TH', number) })
      expect(r.status === 201, `expected 201, got ${r.status} ${JSON.stringify(r.body)}`)
      return `201 CH/${number}, sha256 ${String(r.body.sha256).slice(0, 16)}…`
    }],
    ['it gossips to every authority and is delivered to TH, which acknowledges it', async (x) => {
      const t0 = Date.now()
      await Promise.all(x.layout.nodes.map(async (n) => {
        const r = await x.c(n.party).request('GET', `/v1/permits/CH/${number}?wait=20000`, { role: 'viewer' })
        expect(r.status === 200, `${n.party} does not hold the permit (${r.status})`)
      }))
      const gossipMs = Date.now() - t0
      for (let i = 0; i < 200; i++) {
        const d = await x.c('CH').request<Array<{ number: string, state: string }>>('GET', '/v1/deliveries', { role: 'viewer' })
        const mine = d.body.find((e) => e.number === number)
        if (mine?.state === 'delivered') return `on all ${x.layout.nodes.length} nodes within ${gossipMs} ms; delivery to TH: delivered (signed acknowledgement kept)`
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      throw new PilotError('STEP_FAILED', 'the delivery to TH was not acknowledged')
    }],
    ['TH customs verifies it: valid', async (x) => {
      const r = await x.c('TH').request<{ valid: boolean, source: string }>('POST', '/v1/verify', { role: 'viewer', body: { party: 'CH', number } })
      expect(r.body.valid && r.body.source === 'issuer', `expected valid from the issuer, got ${JSON.stringify(r.body).slice(0, 300)}`)
      return 'valid; confirmed by the issuing authority\'s node'
    }],
    ['CH customs endorses the export (Box 14)', async (x) => {
      const r = await x.c('CH').request('POST', `/v1/permits/CH/${number}/endorsements`, { role: 'customs', body: { lines: [{ line: 'A', quantity: 48, unit: 'PCS' }], port: 'CHZRH', officer: 'Export officer' } })
      expect(r.status === 201, `expected 201, got ${r.status} ${JSON.stringify(r.body)}`)
      return '48 of 50 PCS exported through CHZRH'
    }],
    ['TH consumes it at import', async (x) => {
      const r = await x.c('TH').request<{ receipt?: { seq: number } }>('POST', `/v1/permits/CH/${number}/consumptions`, { role: 'customs', body: { lines: [{ line: 'A', quantity: 48, unit: 'PCS' }], port: 'THBKK', officer: 'Import officer' } })
      expect(r.status === 201, `expected 201, got ${r.status} ${JSON.stringify(r.body)}`)
      x.vars.receiptSeq = String(r.body.receipt?.seq)
      return `201: CH's signed receipt, event #${r.body.receipt?.seq ?? '?'} of CH's log`
    }],
    ['a copy presented again at TH is refused as already used', async (x) => {
      const r = await x.c('TH').request<{ code: string, receipt?: { seq: number, port: string } }>('POST', `/v1/permits/CH/${number}/consumptions`, { role: 'customs', body: { lines: [{ line: 'A', quantity: 48, unit: 'PCS' }], port: 'THBKK' } })
      expect(r.status === 409 && r.body.code === 'ALREADY_CONSUMED' && String(r.body.receipt?.seq) === x.vars.receiptSeq, `expected 409 ALREADY_CONSUMED with the first receipt, got ${r.status} ${JSON.stringify(r.body)}`)
      return `409 ALREADY_CONSUMED, evidence: the first receipt (#${r.body.receipt?.seq ?? '?'}, ${r.body.receipt?.port ?? '?'})`
    }],
    ['the same permit presented at CN (diverted) is refused; an alert goes to CH and TH', async (x) => {
      const r = await x.c('CN').request<{ code: string }>('POST', `/v1/permits/CH/${number}/consumptions`, { role: 'customs', body: { lines: [{ line: 'A', quantity: 48, unit: 'PCS' }], port: 'CNPVG' } })
      expect(r.status === 422 && r.body.code === 'NOT_DESTINATION', `expected 422 NOT_DESTINATION, got ${r.status} ${JSON.stringify(r.body)}`)
      x.faults.push('DIVERTED_USE@CH', 'DIVERTED_USE@TH')
      for (const p of ['CH', 'TH']) {
        let seen = false
        for (let i = 0; i < 100 && !seen; i++) {
          const a = await x.c(p).request<Array<{ kind: string, message: string }>>('GET', '/v1/alerts', { role: 'viewer' })
          seen = a.body.some((al) => al.kind === 'DIVERTED_USE' && al.message.includes(number))
          if (!seen) await new Promise((resolve) => setTimeout(resolve, 100))
        }
        expect(seen, `no DIVERTED_USE alert at ${p}`)
      }
      return '422 NOT_DESTINATION; DIVERTED_USE alert at CH (signed USE_REFUSED event) and at TH'
    }],
    ['an Appendix I export that lacks an import permit is refused at issue', async (x) => {
      const r = await x.c('CH').request<{ code: string, problems?: Array<{ code: string }> }>('POST', '/v1/permits', { role: 'issuer', body: pilotPermit('CH', 'TH', `${number}X`, { appendix: 'I' }) })
      expect(r.status === 422 && r.body.code === 'PERMIT_REFUSED', `expected 422 PERMIT_REFUSED, got ${r.status} ${JSON.stringify(r.body)}`)
      return `422 PERMIT_REFUSED: ${(r.body.problems ?? []).map((p) => p.code).join(', ')}`
    }],
    ['a tampered permit is refused', async (x) => {
      const xml = await x.c('TH').request<string>('GET', `/v1/permits/CH/${number}`, { role: 'viewer', accept: 'application/xml' })
      const tampered = xml.body.replace(/>50</, '>500<')
      expect(tampered !== xml.body, 'could not tamper with the quantity')
      const r = await x.c('TH').request<{ valid: boolean, checks: Array<{ name: string, status: string, reason: { code: string } }> }>('POST', '/v1/verify', { role: 'viewer', xml: tampered })
      expect(r.status === 200 && !r.body.valid, `expected an invalid verdict, got ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`)
      return `invalid: integrity ${checkCode(r.body, 'integrity')}`
    }],
    ['TH issues an export permit to CH: its traders\' names and addresses reach CH and TH, and no other authority', async (x) => {
      const thNumber = `26TH${number.slice(4)}`
      // Distinctive (and not only ASCII), so that finding one anywhere else means it leaked.
      const traders: PilotTraders = {
        importer: `Zürcher Terrarien Import ${thNumber}`, importerStreet: `Bahnhofstrasse ${thNumber}`, importerCity: 'Zürich',
        exporter: `Chanthaburi Serpent Farm ${thNumber}`, exporterStreet: `Soi Ngu Lueam ${thNumber}`, exporterCity: 'จันทบุรี'
      }
      const r = await x.c('TH').request('POST', '/v1/permits', { role: 'issuer', body: pilotPermit('TH', 'CH', thNumber, { traders }) })
      expect(r.status === 201, `expected 201, got ${r.status} ${JSON.stringify(r.body)}`)
      // ?wait waits for the event (its summary); the document comes apart, with the delivery: poll for it.
      let delivered = await x.c('CH').request<string>('GET', `/v1/permits/TH/${thNumber}?wait=20000`, { role: 'viewer', accept: 'application/xml' })
      for (let i = 0; i < 200 && delivered.status !== 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        delivered = await x.c('CH').request<string>('GET', `/v1/permits/TH/${thNumber}`, { role: 'viewer', accept: 'application/xml' })
      }
      expect(delivered.status === 200 && delivered.body.includes(traders.importer), `CH, the destination, does not hold the document (${delivered.status})`)
      const others = x.layout.nodes.map((n) => n.party).filter((p) => p !== 'TH' && p !== 'CH')
      for (const p of others) {
        const v = await x.c(p).request('GET', `/v1/permits/TH/${thNumber}?wait=20000`, { role: 'viewer' })
        expect(v.status === 200, `${p} does not hold the summary (${v.status})`)
      }
      x.tradersOf.push({ party: 'TH', number: thNumber, destination: 'CH', traders: Object.values(traders).filter((s) => s.includes(thNumber)) })
      return `201 TH/${thNumber}; the document delivered to CH; ${others.join(', ')} hold its summary (checked with the invariants: no trader there)`
    }],
    ['FR\'s node is killed, permits are issued meanwhile, and FR catches up after a restart', async (x) => {
      await killNode(x.layout, 'FR')
      const numbers: string[] = []
      for (let i = 0; i < 3; i++) {
        const n = `${number}K${i}`
        const r = await x.c('CH').request('POST', '/v1/permits', { role: 'issuer', body: pilotPermit('CH', 'TH', n) })
        expect(r.status === 201, `issue while FR is down: ${r.status}`)
        numbers.push(n)
      }
      const t0 = Date.now()
      await restartNode(x.layout, 'FR')
      for (const n of numbers) {
        const r = await x.c('FR').request('GET', `/v1/permits/CH/${n}?wait=30000`, { role: 'viewer' })
        expect(r.status === 200, `FR does not hold CH/${n} after the restart`)
      }
      return `killed (SIGKILL); 3 permits issued while down; restarted and caught up in ${Date.now() - t0} ms`
    }]
  ], say)
}

/**
 * A partition with uses on both sides, then the heal: TH is cut off from
 * everyone. TH records two uses provisionally (CH's permits P1 and P2); on
 * the other side CH cancels P2 and US uses a permit of its own (P3). After
 * the heal, P1 is confirmed, P2's claim is refused (CLAIM_REFUSED, an alert at
 * CH and TH), and no permit is used twice.
 */
export async function partitionScenario (layout: PilotLayout, say: (line: string) => void = () => {}): Promise<ScenarioResult> {
  for (const p of ['CH', 'TH', 'US']) if (!layout.nodes.some((n) => n.party === p)) throw new PilotError('PILOT_PARTIES', 'the partition scenario needs CH, TH and US')
  const base = `26CP${String(Date.now() % 100_000).padStart(5, '0')}`
  const [p1, p2, p3] = [`${base}1`, `${base}2`, `${base}3`]
  const use = (port: string): Record<string, unknown> => ({ lines: [{ line: 'A', quantity: 50, unit: 'PCS' }], port })
  return await runSteps('partition', layout, [
    ['CH issues P1 and P2 to TH and P3 to US; every node holds them', async (x) => {
      for (const [n, d] of [[p1, 'TH'], [p2, 'TH'], [p3, 'US']] as const) {
        const r = await x.c('CH').request('POST', '/v1/permits', { role: 'issuer', body: pilotPermit('CH', d, n) })
        expect(r.status === 201, `issue ${n}: ${r.status}`)
      }
      for (const n of x.layout.nodes) {
        const r = await x.c(n.party).request('GET', `/v1/permits/CH/${p3}?wait=20000`, { role: 'viewer' })
        expect(r.status === 200, `${n.party} lacks ${p3}`)
      }
      // TH judges P1 and P2 from its replica during the partition: it needs their documents, delivered beside the events.
      for (const n of [p1, p2]) {
        const r = await x.c('TH').request('GET', `/v1/permits/CH/${n}?wait=20000`, { role: 'viewer', accept: 'application/xml' })
        expect(r.status === 200, `TH lacks the document of ${n}: ${r.status}`)
      }
      return `${p1}, ${p2} (for TH), ${p3} (for US) on all ${x.layout.nodes.length} nodes`
    }],
    ['TH is cut off from every other authority', async (x) => {
      await partitionNode(x.layout, 'TH', x.layout.nodes.map((n) => n.party).filter((p) => p !== 'TH'))
      x.faults.push('CLAIM_REFUSED@CH', 'CLAIM_REFUSED@TH')
      return 'partition through the gaters of TH and of every other node'
    }],
    ['TH customs records P1 and P2: provisional, not confirmed by issuer', async (x) => {
      for (const n of [p1, p2]) {
        const r = await x.c('TH').request<{ outcome: string }>('POST', `/v1/permits/CH/${n}/consumptions`, { role: 'customs', body: use('THBKK') })
        expect(r.status === 202 && r.body.outcome === 'PROVISIONAL', `expected 202 PROVISIONAL for ${n}, got ${r.status} ${JSON.stringify(r.body)}`)
      }
      const again = await x.c('TH').request<{ code: string }>('POST', `/v1/permits/CH/${p1}/consumptions`, { role: 'customs', body: use('THLCH') })
      expect(again.status === 409 && again.body.code === 'ALREADY_CONSUMED_PROVISIONALLY', `a second use of ${p1} during the partition: ${again.status} ${JSON.stringify(again.body)}`)
      return '202 PROVISIONAL twice; a second use of P1 at TH is refused (ALREADY_CONSUMED_PROVISIONALLY)'
    }],
    ['on the other side, CH cancels P2 and US uses P3', async (x) => {
      const c = await x.c('CH').request('POST', `/v1/permits/CH/${p2}/cancellation`, { role: 'issuer', body: { reason: 'shipment withdrawn by the exporter' } })
      expect(c.status === 201, `cancel ${p2}: ${c.status} ${JSON.stringify(c.body)}`)
      const u = await x.c('US').request('POST', `/v1/permits/CH/${p3}/consumptions`, { role: 'customs', body: use('USNYC') })
      expect(u.status === 201, `US use of ${p3}: ${u.status} ${JSON.stringify(u.body)}`)
      return 'P2 cancelled; P3 used at USNYC, confirmed by CH'
    }],
    ['the partition heals: P1 is confirmed, P2\'s claim is refused, with an alert at CH and TH', async (x) => {
      await healAll(x.layout)
      await waitForMesh(x.layout, { timeoutMs: 60_000 })
      for (let i = 0; i < 300; i++) {
        const s = await x.c('TH').status()
        if (s.openClaims === 0) break
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      const v1 = await x.c('TH').request<{ claims: Array<{ resolution: string }> }>('GET', `/v1/permits/CH/${p1}`, { role: 'viewer' })
      const v2 = await x.c('TH').request<{ claims: Array<{ resolution: string, code?: string }> }>('GET', `/v1/permits/CH/${p2}`, { role: 'viewer' })
      expect(v1.body.claims[0]?.resolution === 'confirmed', `P1's claim: ${JSON.stringify(v1.body.claims)}`)
      expect(v2.body.claims[0]?.resolution === 'refused' && v2.body.claims[0]?.code === 'PERMIT_CANCELLED', `P2's claim: ${JSON.stringify(v2.body.claims)}`)
      for (const p of ['CH', 'TH']) {
        let seen = false
        for (let i = 0; i < 100 && !seen; i++) {
          const a = await x.c(p).request<Array<{ kind: string }>>('GET', '/v1/alerts', { role: 'viewer' })
          seen = a.body.some((al) => al.kind === 'CLAIM_REFUSED')
          if (!seen) await new Promise((resolve) => setTimeout(resolve, 100))
        }
        expect(seen, `no CLAIM_REFUSED alert at ${p}`)
      }
      return 'P1 confirmed (CONSUMED naming the claim); P2 refused PERMIT_CANCELLED (CLAIM_REFUSED); alerts at CH and TH'
    }]
  ], say)
}

export const SCENARIOS: Record<string, (layout: PilotLayout, say?: (line: string) => void) => Promise<ScenarioResult>> = {
  default: defaultScenario,
  partition: partitionScenario
}
