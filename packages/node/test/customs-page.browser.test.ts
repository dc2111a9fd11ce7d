/**
 * The customs page end to end in Debian's Chromium (playwright-core, no
 * browser download): served by TH's node over real HTTP, talking to real
 * nodes. The officer verifies a valid permit, sees a tampered one refused,
 * records a use, and sees a second use refused. Screenshots are kept in
 * test-artifacts/ (not committed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdirSync } from 'node:fs'
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
    await page.goto(url)
    await page.getByLabel('Bearer token').fill(CUSTOMS)
    await page.getByLabel('Bearer token').dispatchEvent('change')
  })
  afterAll(async () => {
    await browser?.close()
    await http?.close()
    await stopAll(nodes)
  })

  async function verifyNumber (number: string): Promise<string> {
    await page.getByLabel('Issuing party').fill('CH')
    await page.getByLabel('Permit number').fill(number)
    await page.getByRole('button', { name: 'Verify', exact: true }).click()
    await page.waitForFunction(() => (document.getElementById('banner')?.dataset.verdict ?? '') !== '')
    return await page.locator('#banner').getAttribute('data-verdict') ?? ''
  }

  it('shows the node it is served by, and every field has a label', async () => {
    await expect.poll(async () => await page.locator('#node-info').textContent()).toContain('Node of TH')
    for (const label of ['Bearer token', 'Issuing party', 'Permit number', 'Security stamp (optional)', 'Signed permit XML']) {
      expect(await page.getByLabel(label).count()).toBe(1)
    }
  })

  it('verifies a valid permit: the verdict at a glance, each check in words, the key fields and the history', async () => {
    expect(await verifyNumber('26CHW0001')).toBe('valid')
    expect(await page.locator('#banner').textContent()).toContain('Valid — CH/26CHW0001')
    expect(await page.locator('#checks li').count()).toBe(7)
    expect(await page.locator('#checks').textContent()).toContain('Signature and content: passed.')
    expect(await page.locator('#lines tbody tr').count()).toBe(2)
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
    await page.waitForFunction(() => (document.getElementById('banner')?.dataset.verdict ?? '') !== '')
    expect(await page.locator('#banner').getAttribute('data-verdict')).toBe('invalid')
    expect(await page.locator('#checks').textContent()).toMatch(/Signature and content: failed/)
    await page.screenshot({ path: `${ARTIFACTS}tampered.png`, fullPage: true })
  })

  it('records a use with the customs token, then sees a second use refused', async () => {
    await page.evaluate(() => { const b = document.getElementById('banner'); if (b !== null) b.dataset.verdict = '' })
    expect(await verifyNumber('26CHW0001')).toBe('valid')
    await page.getByLabel('Port (UN/LOCODE)').fill('THBKK')
    await page.getByLabel('Officer', { exact: true }).fill('Officer T.')
    await page.getByRole('button', { name: 'Record use' }).click()
    await expect.poll(async () => await page.locator('#consume-result').getAttribute('data-outcome')).toBe('CONSUMED')
    expect(await page.locator('#consume-result').textContent()).toContain('confirmed by the issuer')
    // The page asks again after a use: the verdict now says consumed.
    await expect.poll(async () => await page.locator('#banner').getAttribute('data-verdict')).toBe('consumed')
    await page.getByRole('button', { name: 'Record use' }).click()
    await expect.poll(async () => await page.locator('#consume-result').getAttribute('data-outcome')).toBe('ALREADY_CONSUMED')
    expect(await page.locator('#consume-result').textContent()).toMatch(/Refused: already used on 2026-.* at THBKK/)
    await page.screenshot({ path: `${ARTIFACTS}second-use-refused.png`, fullPage: true })
    // And the verdict now says consumed, at a glance.
    await page.evaluate(() => { const b = document.getElementById('banner'); if (b !== null) b.dataset.verdict = '' })
    expect(await verifyNumber('26CHW0001')).toBe('consumed')
  })

  it('is readable on a phone: no sideways scrolling', async () => {
    await page.setViewportSize({ width: 375, height: 800 })
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true)
    await page.screenshot({ path: `${ARTIFACTS}phone.png`, fullPage: true })
  })
})
