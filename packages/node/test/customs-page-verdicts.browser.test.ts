/**
 * What the officer sees must be right and in view (issue 19), in Debian's
 * Chromium at phone (360×740) and desktop sizes, on TH's page served by TH's
 * real node, with CH (issuer) and US real nodes on loopback; FR is on the
 * trust list but never started (an unreachable authority). Each test is
 * named after the wrong release it prevents. The network is cut and slowed
 * with Playwright's request routing (the browser's own fetch, not a mock of
 * the page's code).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { FastifyInstance } from 'fastify'
import { buildHttpApi, customsWebRoot, hashToken, verifyByNumber } from '../src/index.js'
import { chPermit, waitFor } from '@cites/test-kit'
import type { Permit } from '@cites/permit'
import { authorities, basePort, meshFormed, startPermitNode, stopAll, trustListXml, type TestNode } from './kit.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/customs-page/', import.meta.url))
const haveChromium = existsSync(CHROMIUM)
/** axe-core (npm), the accessibility audit the issue's tester ran. */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

const CUSTOMS = 'customs-token-verdicts-test'
const VIEWER = 'viewer-token-verdicts-test'
const tokens = { issuer: hashToken('issuer-token-verdicts-test'), customs: hashToken(CUSTOMS), viewer: hashToken(VIEWER) }
const PORTS = [{ locode: 'THBKK', name: 'Bangkok (Suvarnabhumi)' }, { locode: 'THLCH', name: 'Laem Chabang' }]
const SIZES = [{ name: 'phone', width: 360, height: 740 }, { name: 'desktop', width: 1280, height: 900 }] as const

/** The vector CH→TH permit, made out to `to` instead. */
function permitTo (number: string, to: string): Permit {
  const p = chPermit(number)
  p.consignee = { ...p.consignee, address: { ...p.consignee.address, country: to } }
  return p
}

describe.runIf(haveChromium)('what the officer sees is right and in view (Chromium)', () => {
  let nodes: TestNode[] = []
  let http: FastifyInstance
  let url = ''
  let browser: Browser
  const by = (p: string): TestNode => nodes.find((n) => n.a.party === p) as TestNode

  beforeAll(async () => {
    const all = await authorities(['CH', 'TH', 'US', 'FR'], basePort())
    const xml = await trustListXml(all)
    nodes = await Promise.all(all.filter((a) => a.party !== 'FR').map(async (a) => await startPermitNode(a, xml)))
    await meshFormed(nodes)
    const ch = by('CH').node
    for (const size of SIZES) {
      await ch.issue(chPermit(`26CHV${size.name.toUpperCase()}1`))
      await ch.issue(permitTo(`26CHD${size.name.toUpperCase()}1`, 'US'))
      await ch.issue(chPermit(`26CHE${size.name.toUpperCase()}1`))
      // Box 14: 50 of line A and 48 of the 120 of line B left the country.
      await ch.endorse('CH', `26CHE${size.name.toUpperCase()}1`, { lines: [{ line: 'A', quantity: 50, unit: 'PCS' }, { line: 'B', quantity: 48, unit: '' }], port: 'CHZRH' } as never)
    }
    await waitFor(async () => (await by('TH').node.internals.ledger.status('CH', '26CHEDESKTOP1'))?.state.endorsement !== undefined, { timeoutMs: 30_000, what: 'TH to hold the permits' })
    http = (await buildHttpApi(by('TH').node, { tokens, logger: false, webRoot: customsWebRoot() as string, ports: PORTS })).app
    await http.listen({ host: '127.0.0.1', port: 0 })
    url = `http://127.0.0.1:${(http.server.address() as { port: number }).port}/`
    mkdirSync(ARTIFACTS, { recursive: true })
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS })
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await http?.close()
    await stopAll(nodes)
  })

  it('a diverted permit is not valid at a third country, and is at its destination and at the issuer (the API verdict every client reads)', async () => {
    const atTh = await verifyByNumber(by('TH').node, { party: 'CH', number: '26CHDPHONE1' })
    expect(atTh.valid).toBe(false)
    expect(atTh.checks.find((c) => c.name === 'destination')).toMatchObject({ status: 'INVALID', reason: { code: 'NOT_FOR_THIS_PARTY', message: 'Not for import into TH — made out to US' } })
    // Only the destination says no; TH, not a party, holds the summary, not the document (r17).
    expect(atTh.checks.filter((c) => c.status === 'INVALID' || c.status === 'ERROR').map((c) => c.name)).toEqual(['destination'])
    expect(atTh.checks.find((c) => c.name === 'integrity')).toMatchObject({ status: 'SKIPPED', reason: { code: 'DOCUMENT_NOT_PRESENTED' } })
    const atUs = await verifyByNumber(by('US').node, { party: 'CH', number: '26CHDPHONE1' })
    expect(atUs.valid).toBe(true)
    expect(atUs.checks.find((c) => c.name === 'destination')?.reason.code).toBe('OK')
    const atCh = await verifyByNumber(by('CH').node, { party: 'CH', number: '26CHDPHONE1' })
    expect(atCh.valid).toBe(true)
    expect(atCh.checks.find((c) => c.name === 'destination')?.reason.code).toBe('ISSUED_HERE')
  })

  it('a port typed wrong ("BANGK") is not signed as a permanent record: PORT_NOT_LISTED, and nothing is recorded', async () => {
    const res = await fetch(`${url}v1/permits/CH/26CHVPHONE1/consumptions`, {
      method: 'POST', headers: { authorization: `Bearer ${CUSTOMS}`, 'content-type': 'application/json' }, body: JSON.stringify({ lines: [{ line: 'A', quantity: 1, unit: 'PCS' }], port: 'BANGK' })
    })
    expect(res.status).toBe(422)
    const body = await res.json() as { code: string, detail: string, allowed: string[] }
    expect(body.code).toBe('PORT_NOT_LISTED')
    expect(body.detail).toContain('THBKK (Bangkok (Suvarnabhumi))')
    expect(body.allowed).toEqual(['THBKK', 'THLCH'])
    expect((await by('TH').node.internals.ledger.status('CH', '26CHVPHONE1'))?.state.consumption).toBeUndefined()
    const who = await (await fetch(`${url}v1/whoami`, { headers: { authorization: `Bearer ${VIEWER}` } })).json() as { role: string, ports: unknown[], peers: { unreachable: string[] } }
    expect(who).toMatchObject({ role: 'viewer', ports: PORTS, peers: { unreachable: ['FR'] } })
  })

  for (const size of SIZES) {
    const N = size.name.toUpperCase()
    describe(`at ${size.name} size (${size.width}×${size.height})`, () => {
      let page: Page
      const csp: string[] = []
      const pageErrors: string[] = []
      beforeAll(async () => {
        const context = await browser.newContext({ viewport: { width: size.width, height: size.height }, timezoneId: 'Asia/Bangkok' })
        page = await context.newPage()
        page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) csp.push(m.text()) })
        page.on('pageerror', (e) => { pageErrors.push(e.message) })
        await page.addInitScript(() => {
          const w = window as unknown as { cspViolations: string[], verdictsSeen: string[] }
          w.cspViolations = []
          w.verdictsSeen = []
          document.addEventListener('securitypolicyviolation', (e) => { w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`) })
          // Every state the banner ever shows, as it is shown.
          new MutationObserver(() => {
            const b = document.getElementById('banner')
            if (b !== null && b.dataset.verdict !== undefined && w.verdictsSeen.at(-1) !== b.dataset.verdict) w.verdictsSeen.push(b.dataset.verdict)
          }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-verdict'] })
        })
        await page.goto(url)
        await signIn(CUSTOMS)
      })

      async function signIn (token: string, role = 'customs'): Promise<void> {
        await page.getByLabel('Officer token').fill(token)
        await page.getByLabel('Officer token').dispatchEvent('change')
        await page.waitForFunction((r) => document.getElementById('whoami')?.dataset.role === r, role)
      }
      const seen = async (): Promise<string[]> => await page.evaluate(() => (window as unknown as { verdictsSeen: string[] }).verdictsSeen)
      const resetSeen = async (): Promise<void> => { await page.evaluate(() => { (window as unknown as { verdictsSeen: string[] }).verdictsSeen = [] }) }
      async function verify (party: string, number: string, settled = true): Promise<string> {
        await resetSeen()
        await page.getByLabel('Issuing country').fill(party)
        await page.getByLabel('Permit number').fill(number)
        await page.getByRole('button', { name: 'Verify', exact: true }).click()
        if (!settled) return ''
        await page.waitForFunction(() => !['', 'pending'].includes(document.getElementById('banner')?.dataset.verdict ?? ''))
        return await page.locator('#banner').getAttribute('data-verdict') ?? ''
      }
      /** The banner is in the first screen (not scrolled past, not below) and holds the focus. */
      async function expectBannerInViewAndFocused (): Promise<void> {
        const box = await page.locator('#banner').boundingBox()
        expect(box).not.toBeNull()
        expect(box!.y).toBeGreaterThanOrEqual(-1) // sub-pixel, after scrolling it to the top
        expect(box!.y).toBeLessThan(size.height / 2)
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('banner')
      }

      it('the verdict out of view: after Verify the banner is in the first screen and takes the focus; the signed-in role is shown', async () => {
        expect(await page.locator('#whoami').textContent()).toBe('Signed in as customs officer (check and record uses)')
        expect(await verify('CH', `26CHV${N}1`)).toBe('valid')
        expect(await page.locator('#banner-word').textContent()).toBe('Valid')
        expect(await page.locator('#banner-icon').textContent()).toBe('✓')
        await expectBannerInViewAndFocused()
        await page.screenshot({ path: `${ARTIFACTS}${size.name}-valid.png` })
      })

      it('a stale green verdict after the network is cut: the previous permit is cleared at once and "No answer — do not release" is shown with a retry', async () => {
        expect(await verify('CH', `26CHV${N}1`)).toBe('valid')
        await page.route('**/v1/verify', async (r) => { await r.abort('internetdisconnected') })
        try {
          expect(await verify('CH', `26CHE${N}1`)).toBe('noanswer')
          expect(await seen()).toEqual(['pending', 'noanswer'])
          expect(await page.locator('#banner-word').textContent()).toBe('No answer — do not release on this screen')
          expect(await page.locator('#banner-todo').textContent()).toContain('The connection to this node failed')
          expect(await page.locator('#checks li').count()).toBe(0)
          expect(await page.locator('#goods .good').count()).toBe(0)
          expect(await page.locator('#consume').isHidden()).toBe(true)
          expect(await page.getByRole('button', { name: 'Retry' }).isVisible()).toBe(true)
          await expectBannerInViewAndFocused()
          await page.screenshot({ path: `${ARTIFACTS}${size.name}-no-answer.png` })
        } finally {
          await page.unroute('**/v1/verify')
        }
        // The retry asks again, about the number asked.
        await resetSeen()
        await page.getByRole('button', { name: 'Retry' }).click()
        await expect.poll(async () => await page.locator('#banner').getAttribute('data-verdict')).toBe('valid')
        expect(await page.locator('#banner-what').textContent()).toContain(`CH/26CHE${N}1`)
      })

      it('a stale green verdict on a slow network: until the answer comes, nothing of the previous permit shows and no green is shown for the new number', async () => {
        expect(await verify('CH', `26CHV${N}1`)).toBe('valid')
        let release: () => void = () => {}
        const held = new Promise<void>((resolve) => { release = resolve })
        await page.route('**/v1/verify', async (r) => { await held; await r.continue() })
        try {
          await verify('CH', `26CHD${N}1`, false)
          await expect.poll(async () => await page.locator('#banner').getAttribute('data-verdict')).toBe('pending')
          expect(await page.locator('#banner-word').textContent()).toBe('Checking — wait for the answer')
          expect(await page.locator('#banner-what').textContent()).toBe(`CH/26CHD${N}1`)
          expect(await page.locator('#checks li').count()).toBe(0)
          expect(await page.locator('#fields dt').count()).toBe(0)
          expect(await page.locator('#consume').isHidden()).toBe(true)
        } finally {
          release()
        }
        await page.waitForFunction(() => document.getElementById('banner')?.dataset.verdict === 'notforus')
        await page.unroute('**/v1/verify')
        expect(await seen()).toEqual(['pending', 'notforus'])
      })

      it('a permit made out to another country shows no green "Valid" at TH: "Not for import into TH — made out to US", and no Record-use form', async () => {
        expect(await verify('CH', `26CHD${N}1`)).toBe('notforus')
        expect(await seen()).not.toContain('valid')
        expect(await page.locator('#banner-word').textContent()).toBe('Not for import into TH — made out to US')
        expect(await page.locator('#banner-icon').textContent()).toBe('✋')
        expect(await page.locator('#banner-todo').textContent()).toContain('hold the goods and report a diverted shipment')
        expect(await page.locator('#banner-codes').textContent()).toContain('NOT_FOR_THIS_PARTY')
        expect(await page.locator('#checks li').first().textContent()).toMatch(/^✗For this country: failed\./)
        expect(await page.locator('#consume').isHidden()).toBe(true)
        await expectBannerInViewAndFocused()
        await page.screenshot({ path: `${ARTIFACTS}${size.name}-not-for-us.png` })
      })

      it('goods not described: each line gives species with common name, term, quantity and unit in words, source, origin, description, Box 14 endorsed and remaining; purpose in words', async () => {
        expect(await verify('CH', `26CHE${N}1`)).toBe('valid')
        const goods = page.locator('#goods .good')
        expect(await goods.count()).toBe(2)
        const a = await goods.nth(0).textContent()
        expect(a).toContain('Line A: Python regius (Ball python)')
        expect(a).toContain('live (LIV) — live captive-bred specimens')
        expect(a).toContain('bred in captivity (C)')
        expect(a).toContain('Quantity (Box 11)50 specimens')
        expect(a).toContain('Endorsed at export (Box 14)50 specimens')
        expect(a).toContain('Remaining to use50 specimens')
        expect(a).toContain('Origin (Box 12)CH')
        const b = await goods.nth(1).textContent()
        expect(b).toContain('Quantity (Box 11)120 specimens')
        expect(b).toContain('Endorsed at export (Box 14)48 specimens')
        expect(await page.locator('#fields').textContent()).toContain('commercial (T)')
        // Quantity boxes start at the remaining endorsed quantity, each labelled with its species.
        expect(await page.getByLabel('Line A: Python regius (Ball python), in specimens (at most 50)').inputValue()).toBe('50')
        expect(await page.getByLabel('Line B: Dendrobates tinctorius (Dyeing poison frog), in specimens (at most 48)').inputValue()).toBe('48')
        // The ports are offered, not typed.
        expect(await page.locator('select#port option').allTextContents()).toEqual(['Choose your port', 'Bangkok (Suvarnabhumi) (THBKK)', 'Laem Chabang (THLCH)'])
      })

      it('a partial use read as a refusal: recording 30 of 50 shows "Recorded 30 of 50 … at THBKK" in the banner, in view and focused; the history gives the quantity in Bangkok time', async () => {
        expect(await verify('CH', `26CHE${N}1`)).toBe('valid')
        await page.getByLabel(/^Line A:/).fill('30')
        await page.getByLabel(/^Line B:/).fill('')
        await page.getByLabel('Port of import').selectOption('THBKK')
        await resetSeen()
        await page.getByRole('button', { name: 'Record use' }).click()
        await expect.poll(async () => await page.locator('#banner').getAttribute('data-outcome')).toBe('CONSUMED')
        await expect.poll(async () => await page.locator('#history li').count()).toBe(3)
        expect(await page.locator('#banner').getAttribute('data-verdict')).toBe('recorded')
        expect(await page.locator('#banner-word').textContent()).toBe('Recorded 30 of 50 specimens at THBKK')
        expect(await seen()).not.toContain('used')
        await expectBannerInViewAndFocused()
        const history = await page.locator('#history').textContent()
        expect(history).toContain('used at import at THBKK (A: 30 specimens)')
        expect(history).toContain('(Asia/Bangkok)')
        expect(await page.locator('#consume').isHidden()).toBe(true)
        await page.screenshot({ path: `${ARTIFACTS}${size.name}-recorded.png` })
        // Asked again later, it is used, with when and where, at a glance.
        expect(await verify('CH', `26CHE${N}1`)).toBe('used')
        expect(await page.locator('#banner-word').textContent()).toMatch(/^Already used on .* \(Asia\/Bangkok\) at THBKK$/)
        expect(await page.locator('#consume').isHidden()).toBe(true)
      })

      it('a typo looks like a forgery: an unknown number says "not known to TH or to CH: check the number"; a lower-case number finds the permit', async () => {
        expect(await verify('CH', `26CHV${N}`)).toBe('unknown')
        expect(await page.locator('#banner-word').textContent()).toBe('Not known to TH or to CH: check the number')
        expect(await page.locator('#banner-icon').textContent()).toBe('?')
        expect(await verify('ch', ` 26chv${N.toLowerCase()}1 `)).toBe('valid')
        expect(await page.locator('#banner-what').textContent()).toContain(`CH/26CHV${N}1`)
      })

      it('a scanned QR payload typed into the number box is recognised, fingerprint included; a wrong fingerprint is refused', async () => {
        const state = (await by('TH').node.internals.ledger.status('CH', `26CHV${N}1`))!.state
        const payload = `cites:CH/26CHV${N}1#${state.xmlSha256}`
        expect(payload.length).toBeGreaterThan(64)
        await resetSeen()
        await page.getByLabel('Issuing country').fill('')
        await page.getByLabel('Permit number').fill(payload)
        expect(await page.getByLabel('Issuing country').inputValue()).toBe('CH')
        expect(await page.getByLabel('Permit number').inputValue()).toBe(`26CHV${N}1`)
        await page.getByRole('button', { name: 'Verify', exact: true }).click()
        await page.waitForFunction(() => !['', 'pending'].includes(document.getElementById('banner')?.dataset.verdict ?? ''))
        expect(await page.locator('#banner').getAttribute('data-verdict')).toBe('valid')
        await page.getByLabel('Permit number').fill(`cites:CH/26CHV${N}1#${'0'.repeat(64)}`)
        await page.getByRole('button', { name: 'Verify', exact: true }).click()
        await page.waitForFunction(() => !['', 'pending', 'valid'].includes(document.getElementById('banner')?.dataset.verdict ?? ''))
        expect(await page.locator('#banner').getAttribute('data-verdict')).toBe('refused')
        expect(await page.locator('#banner-codes').textContent()).toContain('DOCUMENT_NOT_REGISTERED')
      })

      it('the header names the unreachable authority; a viewer sees no Record-use form and is told its role', async () => {
        await expect.poll(async () => await page.locator('#node-info').textContent()).toMatch(/^Node of TH — connected to CH, US; not reachable now: FR$/)
        await signIn(VIEWER, 'viewer')
        expect(await page.locator('#whoami').textContent()).toBe('Signed in as viewer (check only)')
        expect(await verify('CH', `26CHV${N}1`)).toBe('valid')
        expect(await page.locator('#consume').isHidden()).toBe(true)
        await signIn(CUSTOMS)
        await expect.poll(async () => await page.locator('#consume').isHidden()).toBe(false)
      })

      it('a wrong token is no verdict: "No answer — do not release" in plain words, not a developer message', async () => {
        await page.getByLabel('Officer token').fill('not-a-token')
        await page.getByLabel('Officer token').dispatchEvent('change')
        expect(await verify('CH', `26CHV${N}1`)).toBe('noanswer')
        expect(await page.locator('#banner-todo').textContent()).toBe('This node does not accept the token entered. Check it, or ask your administrator for a new one.')
        await signIn(CUSTOMS)
      })

      it('runs under the strict CSP with no violation, and never scrolls sideways', async () => {
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true)
        expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([])
        expect(csp).toEqual([])
        expect(pageErrors).toEqual([])
        await page.screenshot({ path: `${ARTIFACTS}${size.name}-full.png`, fullPage: true })
      })

      it('an officer who cannot see or reach a control: axe-core finds no violations with a valid, a refused and a not-for-this-country verdict shown', async () => {
        // Injected through DevTools evaluation, which the page's CSP does not govern (the page itself loads no script but its own).
        await page.evaluate(AXE)
        const audit = async (): Promise<Array<{ id: string, nodes: number }>> => await page.evaluate(async () => {
          const r = await (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: Array<{ id: string, nodes: unknown[] }> }> } }).axe.run(document, { resultTypes: ['violations'] })
          return r.violations.map((v) => ({ id: v.id, nodes: v.nodes.length }))
        })
        for (const [party, number] of [['CH', `26CHV${N}1`], ['CH', 'NOPE000'], ['CH', `26CHD${N}1`]] as const) {
          await verify(party, number)
          expect({ number, violations: await audit() }).toEqual({ number, violations: [] })
        }
      })
    })
  }

  describe('at export customs (CH\'s own page, desktop)', () => {
    let chHttp: FastifyInstance
    let page: Page
    beforeAll(async () => {
      chHttp = (await buildHttpApi(by('CH').node, { tokens, logger: false, webRoot: customsWebRoot() as string, ports: [{ locode: 'CHZRH', name: 'Zurich airport' }] })).app
      await chHttp.listen({ host: '127.0.0.1', port: 0 })
      await by('CH').node.issue(chPermit('26CHX0001'))
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/Zurich' })
      page = await context.newPage()
      await page.goto(`http://127.0.0.1:${(chHttp.server.address() as { port: number }).port}/`)
      await page.getByLabel('Officer token').fill(CUSTOMS)
      await page.getByLabel('Officer token').dispatchEvent('change')
      await page.waitForFunction(() => document.getElementById('whoami')?.dataset.role === 'customs')
    })
    afterAll(async () => { await page?.close(); await chHttp?.close() })

    it('an export nobody could record on the page: at the issuer\'s own customs the form records Box 14, and the banner says what left', async () => {
      await page.getByLabel('Issuing country').fill('CH')
      await page.getByLabel('Permit number').fill('26CHX0001')
      await page.getByRole('button', { name: 'Verify', exact: true }).click()
      await page.waitForFunction(() => !['', 'pending'].includes(document.getElementById('banner')?.dataset.verdict ?? ''))
      expect(await page.locator('#h-consume').textContent()).toBe('Record the export (Box 14)')
      await page.locator('#consume-lines input').first().fill('28')
      await page.locator('#consume-lines input').nth(1).fill('')
      await page.getByRole('button', { name: 'Record export' }).click()
      await page.waitForFunction(() => document.getElementById('banner')?.dataset.outcome !== undefined)
      expect(await page.locator('#banner').getAttribute('data-outcome')).toBe('ENDORSED')
      expect(await page.locator('#banner').textContent()).toContain('Export recorded: 28 of 50')
      // Box 14 is on CH's signed record, and the form does not offer a second export.
      expect((await by('CH').node.internals.ledger.status('CH', '26CHX0001'))?.state.endorsement).toMatchObject({ port: 'CHZRH', lines: [{ line: 'A', quantity: 28 }] })
      expect(await page.locator('#consume').isHidden()).toBe(true)
    })
  })
})
