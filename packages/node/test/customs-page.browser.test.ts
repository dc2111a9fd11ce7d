/**
 * The customs page end to end in Debian's Chromium (playwright-core, no
 * browser download): served by TH's node over real HTTP, talking to real
 * nodes. The officer verifies a valid permit, sees a tampered one refused,
 * records a use, and sees a second use refused, all under the node's strict
 * Content-Security-Policy with no violation reported; a hostile page that
 * frames the customs page (clickjacking "Record use") gets no frame content.
 * Screenshots are kept in test-artifacts/ (not committed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdirSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { FastifyInstance } from 'fastify'
import { buildHttpApi, customsWebRoot, hashToken } from '../src/index.js'
import { chPermit, waitFor } from '@cites/test-kit'
import { authorities, basePort, meshFormed, startPermitNode, stopAll, trustListXml, type TestNode } from './kit.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
// The flags this machine needs (env: no sandbox as root, no background network).
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/customs-page/', import.meta.url))
const haveChromium = existsSync(CHROMIUM)
if (!haveChromium) console.warn(`customs page browser test SKIPPED: no Chromium at ${CHROMIUM} (apt-get install chromium; npm test does this when it can)`)

const CUSTOMS = 'customs-token-browser-test'
const tokens = { issuer: hashToken('issuer-token-browser-test'), customs: hashToken(CUSTOMS), viewer: hashToken('viewer-token-browser-test') }

describe.runIf(haveChromium)('the customs page in Chromium', () => {
  let nodes: TestNode[] = []
  let http: FastifyInstance
  let url = ''
  let browser: Browser
  let page: Page
  // CSP violations, as the page's own event reports them and as Chromium's console does.
  const consoleCsp: string[] = []
  let hostile: Server | undefined

  beforeAll(async () => {
    const webRoot = customsWebRoot()
    expect(webRoot !== undefined && existsSync(`${webRoot}/index.html`)).toBe(true)
    const all = await authorities(['CH', 'TH'], basePort())
    const xml = await trustListXml(all)
    nodes = await Promise.all(all.map(async (a) => await startPermitNode(a, xml)))
    await meshFormed(nodes)
    for (const n of ['26CHW0001', '26CHW0002']) await nodes[0]!.node.issue(chPermit(n))
    await waitFor(async () => (await nodes[1]!.node.internals.ledger.status('CH', '26CHW0002')) !== undefined, { timeoutMs: 20_000, what: 'TH to hold the permits' })
    http = (await buildHttpApi(nodes[1]!.node, { tokens, logger: false, webRoot: webRoot as string })).app
    await http.listen({ host: '127.0.0.1', port: 0 })
    url = `http://127.0.0.1:${(http.server.address() as { port: number }).port}/`
    mkdirSync(ARTIFACTS, { recursive: true })
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS })
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } })
    page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) consoleCsp.push(m.text()) })
    // Injected by the browser (not the page), so the policy does not apply to it.
    await page.addInitScript(() => {
      const w = window as unknown as { cspViolations: string[] }
      w.cspViolations = []
      document.addEventListener('securitypolicyviolation', (e) => { w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`) })
    })
    const res = await page.goto(url)
    expect(res?.headers()['content-security-policy']).toContain("frame-ancestors 'none'")
    await page.getByLabel('Officer token').fill(CUSTOMS)
    await page.getByLabel('Officer token').dispatchEvent('change')
  })
  afterAll(async () => {
    hostile?.close()
    await browser?.close()
    await http?.close()
    await stopAll(nodes)
  })

  async function verifyNumber (number: string): Promise<string> {
    await page.getByLabel('Issuing country').fill('CH')
    await page.getByLabel('Permit number').fill(number)
    await page.getByRole('button', { name: 'Verify', exact: true }).click()
    await page.waitForFunction(() => !['', 'pending'].includes(document.getElementById('banner')?.dataset.verdict ?? ''))
    return await page.locator('#banner').getAttribute('data-verdict') ?? ''
  }

  it('shows the node it is served by, and every field has a label', async () => {
    await expect.poll(async () => await page.locator('#node-info').textContent()).toContain('Node of TH')
    for (const label of ['Officer token', 'Issuing country', 'Permit number', 'Security stamp (optional)', 'Signed permit XML']) {
      expect(await page.getByLabel(label).count()).toBe(1)
    }
  })

  it('verifies a valid permit: the verdict at a glance, each check in words, the key fields and the history', async () => {
    expect(await verifyNumber('26CHW0001')).toBe('valid')
    expect(await page.locator('#banner-word').textContent()).toBe('Valid')
    expect(await page.locator('#banner-what').textContent()).toContain('CH/26CHW0001')
    expect(await page.locator('#checks li').count()).toBe(9)
    expect(await page.locator('#checks').textContent()).toContain('Signature and content: passed.')
    // The species against the CITES reference data, with the snapshot's date.
    expect(await page.locator('#checks').textContent()).toMatch(/Species and listings: passed\. Checked against the CITES reference data of \d{4}-\d{2}-\d{2}/)
    expect(await page.locator('#goods .good').count()).toBe(2)
    expect(await page.locator('#fields').textContent()).toContain('Export permit 26CHW0001')
    expect(await page.locator('#history li').count()).toBe(1)
    expect(await page.locator('#qr').getAttribute('src')).toMatch(/^data:image\/png;base64,/)
    await page.screenshot({ path: `${ARTIFACTS}valid.png`, fullPage: true })
  })

  it('refuses a tampered permit pasted as XML', async () => {
    const res = await fetch(`${url}v1/permits/CH/26CHW0002`, { headers: { authorization: `Bearer ${CUSTOMS}`, accept: 'application/xml' } })
    const tampered = (await res.text()).replace('>50<', '>500<')
    await page.getByLabel('Signed permit XML').fill(tampered)
    await page.evaluate(() => { const b = document.getElementById('banner'); if (b !== null) b.dataset.verdict = '' })
    await page.getByRole('button', { name: 'Verify this document' }).click()
    await page.waitForFunction(() => !['', 'pending'].includes(document.getElementById('banner')?.dataset.verdict ?? ''))
    expect(await page.locator('#banner').getAttribute('data-verdict')).toBe('refused')
    expect(await page.locator('#checks').textContent()).toMatch(/Signature and content: failed/)
    await page.screenshot({ path: `${ARTIFACTS}tampered.png`, fullPage: true })
  })

  it('records a use with the customs token, then sees a second use refused', async () => {
    await page.evaluate(() => { const b = document.getElementById('banner'); if (b !== null) b.dataset.verdict = '' })
    expect(await verifyNumber('26CHW0001')).toBe('valid')
    // No port list configured here: a UN/LOCODE is typed (and never cut to five characters).
    await page.getByLabel(/^Port of import/).fill('THBKK')
    await page.getByLabel(/^Line A:/).fill('50')
    await page.getByLabel('Officer (optional)').fill('Officer T.')
    await page.getByRole('button', { name: 'Record use' }).click()
    await expect.poll(async () => await page.locator('#banner').getAttribute('data-outcome')).toBe('CONSUMED')
    expect(await page.locator('#banner-todo').textContent()).toContain('Confirmed by CH\'s node')
    // A second use: the form is gone (no use is possible), and the server refuses one all the same.
    expect(await page.locator('#consume').isHidden()).toBe(true)
    const again = await page.evaluate(async (t) => (await fetch('/v1/permits/CH/26CHW0001/consumptions', { method: 'POST', headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' }, body: JSON.stringify({ lines: [{ line: 'A', quantity: 1, unit: 'PCS' }], port: 'THBKK' }) })).json() as unknown as { code: string }, CUSTOMS)
    expect(again.code).toBe('ALREADY_CONSUMED')
    await page.screenshot({ path: `${ARTIFACTS}second-use-refused.png`, fullPage: true })
    // And the verdict now says used, at a glance.
    await page.evaluate(() => { const b = document.getElementById('banner'); if (b !== null) b.dataset.verdict = '' })
    expect(await verifyNumber('26CHW0001')).toBe('used')
  })

  it('a hostile page that frames the customs page gets no frame content (clickjacking "Record use")', async () => {
    // Another origin (another port), as an attacker's site would be.
    hostile = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>Win a prize</title><p>Click the button!</p><iframe id="victim" src="${url}" width="800" height="600"></iframe>`) })
    await new Promise<void>((resolve) => hostile!.listen(0, '127.0.0.1', resolve))
    const attacker = await browser.newPage()
    try {
      const refused = attacker.waitForEvent('console', { predicate: (m) => /frame-ancestors/.test(m.text()), timeout: 20_000 })
      await attacker.goto(`http://127.0.0.1:${(hostile.address() as { port: number }).port}/`)
      expect((await refused).text()).toMatch(/frame-ancestors 'none'.*blocked/)
      const victim = attacker.frames().find((f) => f !== attacker.mainFrame())
      expect(victim).toBeDefined()
      await victim!.waitForLoadState('load')
      expect(await victim!.locator('#consume-btn').count()).toBe(0)
      expect(await victim!.locator('#verify-btn').count()).toBe(0)
      await attacker.screenshot({ path: `${ARTIFACTS}framed-by-hostile-page.png` })
    } finally {
      await attacker.close()
    }
  })

  it('reported no Content-Security-Policy violation in the whole flow', async () => {
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([])
    expect(consoleCsp).toEqual([])
  })

  it('is readable on a phone: no sideways scrolling', async () => {
    await page.setViewportSize({ width: 375, height: 800 })
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true)
    await page.screenshot({ path: `${ARTIFACTS}phone.png`, fullPage: true })
  })
})
