/**
 * Builder mode in real Chromium (docs/experiences.md, "Builder mode"), on a customer's page that is
 * not the demo, served from another origin than the API (the workspace allows it): a page without
 * the fragment never asks for the builder chunk; with a token, the fragment leaves the address bar,
 * the panel appears, an element picked on the page (the page's own click handler never runs) is
 * saved as the step's target into a draft, checked through the API; the preview uses the real UI;
 * axe-core finds nothing on the panel; Escape quits. The screenshot is builder.png.
 */
import { readFileSync } from 'node:fs'
import { Hono } from 'hono'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { createServer } from '../../server/serve'
import { createPgliteStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import { builtName, buildSdk, isBuilt } from '../../sdk/build'
import { launchChromium, pageWithErrors } from '../support/chromium'
import { screenshotPath } from '../support/screenshots'
import { listen, waitFor } from './harness'

const WS = 'e2e-builder'
const WRITE_KEY = 'pk_builder_' + Math.random().toString(36).slice(2)
const SECRET_KEY = 'sk_builder_' + Math.random().toString(36).slice(2)

const CONFIG = {
  guides: [
    {
      id: 'reports-tour',
      steps: [
        { kind: 'modal', title: 'Welcome to reports', body: 'A short tour.' },
        { selector: '#export-v1', title: 'Export', body: 'Download the report as CSV.' },
      ],
    },
  ],
}

/** The customer's app: its own markup, its own click handlers, and the script tag. */
const hostPage = (api: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme Reports</title><link rel="icon" href="data:,">
<style>body{font:16px system-ui;margin:0} header{background:#123;color:#fff;padding:12px 20px} main{padding:20px}
.toolbar{display:flex;gap:8px} .btn{padding:8px 14px;border:1px solid #345;border-radius:4px;background:#fff;color:#123}</style>
<script>window.jornada=window.jornada||function(){(window.jornada.q=window.jornada.q||[]).push(arguments)};</script>
<script async src="${api}/sdk/jornada.js" data-key="${WRITE_KEY}" data-api="${api}"></script>
</head><body>
<header><h1>Acme Reports</h1></header>
<main>
  <div class="toolbar" id="toolbar">
    <button class="btn css-1x2y3z" type="button">Filter</button>
    <button id="export" class="btn btn-primary" data-action="export" type="button" onclick="window.__exported=true">Export</button>
    <button class="btn" type="button">Share</button>
  </div>
  <p>Revenue by month.</p>
</main>
</body></html>`

let store: Store
let api: string
let host: string
let browser: Browser
const servers: Awaited<ReturnType<typeof listen>>[] = []

beforeAll(async () => {
  if (!isBuilt()) await buildSdk()
  store = await createPgliteStore({ dataDir: 'memory://' })
  const site = new Hono()
  site.get('/reports', (c) => c.html(hostPage(api)))
  site.get('/axe.min.js', (c) =>
    c.body(readFileSync('node_modules/axe-core/axe.min.js', 'utf8'), 200, { 'content-type': 'text/javascript' }),
  )
  const customer = await listen(site.fetch)
  servers.push(customer)
  host = customer.url
  await store.createWorkspace({
    id: WS,
    name: 'Builder',
    writeKey: WRITE_KEY,
    secretKey: SECRET_KEY,
    allowedOrigins: [host],
  })
  const app = createApp({ store, log: () => {} })
  const product = await listen(createServer({ app, sdkDir: 'dist/sdk', demoDir: '', demoWriteKey: WRITE_KEY }).fetch)
  servers.push(product)
  api = product.url
  expect((await call('PUT', '/v1/config', CONFIG)).status).toBe(200)
  browser = await launchChromium()
}, 240_000)

afterAll(async () => {
  await browser?.close()
  for (const s of servers) await s.close()
  await store?.close()
})

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(api + path, {
    method,
    headers: { authorization: `Bearer ${SECRET_KEY}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  })
  return { status: res.status, body: await res.json().catch(() => null) }
}

/** The page, every URL it requested, and its errors. */
async function open(path: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const { page, errors } = await pageWithErrors(browser)
  const requests: string[] = []
  page.on('request', (r) => requests.push(r.url()))
  await page.goto(host + path)
  return { page, requests, errors }
}

async function axe(page: Page) {
  await page.addScriptTag({ url: '/axe.min.js' })
  return page.evaluate(async () => {
    const r = await (window as any).axe.run(document, { resultTypes: ['violations'] })
    return (r.violations as any[]).map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n: any) => JSON.stringify(n.target)).join(', ')})`,
    )
  })
}

describe('builder mode in Chromium', () => {
  it('E-BM01 a page without the fragment never requests the builder chunk', async () => {
    const { page, requests, errors } = await open('/reports')
    await page.waitForFunction(() => typeof (window as any).jornada?.j === 'object')
    await page.waitForLoadState('networkidle')
    expect(requests.some((u) => u.endsWith(`/sdk/${builtName('jornada.core.mjs')}`))).toBe(true)
    expect(requests.filter((u) => u.includes('builder'))).toEqual([])
    expect(await page.locator('jornada-builder').count()).toBe(0)
    expect(errors).toEqual([])
    await page.close()
  })

  it('E-BM02 with a token: the fragment goes, the panel appears, a picked element is saved into a draft', async () => {
    const made = await call('POST', '/v1/builder/tokens', { guideId: 'reports-tour', step: 1 })
    expect(made.status).toBe(201)
    const { page, requests, errors } = await open(`/reports#jornada-builder=${encodeURIComponent(made.body.token)}`)
    const panel = page.locator('jornada-builder [role=region]')
    await panel.getByText('The first save makes a draft').waitFor()
    expect(page.url()).toBe(`${host}/reports`)
    expect(await page.evaluate(() => location.hash)).toBe('')
    expect(requests.some((u) => u.endsWith('/sdk/jornada.builder.mjs'))).toBe(true)
    // The token was used: the URL cannot start builder mode again.
    expect((await call('POST', '/v1/builder/session', { token: made.body.token })).status).toBe(401)
    expect(await panel.getByLabel('Guide').inputValue()).toBe('reports-tour')
    expect(await panel.getByLabel('Step').inputValue()).toBe('1')

    await panel.getByRole('button', { name: 'Pick an element' }).click()
    await page.hover('#export')
    await page.click('#export')
    // The click picked the element: the page's own handler did not run.
    expect(await page.evaluate(() => (window as any).__exported)).toBeUndefined()
    const options = panel.locator('fieldset')
    await options.getByText('#export', { exact: true }).waitFor()
    const proposals = await options.locator('code').allTextContents()
    expect(proposals.slice(0, 3)).toEqual(['#export', '[data-action="export"]', 'button.btn.btn-primary'])
    await expect.poll(() => options.getByText(/finds this element/).count()).toBeGreaterThan(0)
    expect(await options.getByText(/^1 match, 1 with the text: finds this element$/).count()).toBeGreaterThan(0)
    // Only the data attribute, and the text: the list the step keeps.
    for (const box of await options.getByRole('checkbox').all()) {
      const name = await box.evaluate((el) => (el as HTMLInputElement).labels![0]!.textContent!)
      if (name !== '[data-action="export"]' && !name.startsWith('Match the text')) await box.uncheck()
    }
    await panel.getByText('The step will point at this element.').waitFor()
    expect(await options.getByLabel('Match the text “Export”').isChecked()).toBe(true)

    await page.screenshot({ path: screenshotPath('builder') })
    expect(await axe(page)).toEqual([])

    await panel.getByRole('button', { name: 'Preview' }).click()
    await page.locator('jornada-ui [role=dialog]').getByText('Download the report as CSV.').waitFor()
    await page.screenshot({ path: screenshotPath('builder-preview') })

    await panel.getByRole('button', { name: 'Save to draft' }).click()
    await panel.getByText(/^Saved into draft rev_/).waitFor()
    const revisions = (await call('GET', '/v1/config/revisions')).body as { id: string; status: string }[]
    const draft = revisions.find((r) => r.status === 'draft')!
    const stored = (await call('GET', `/v1/config/revisions/${draft.id}`)).body
    expect(stored.config.guides[0].steps[1]).toEqual({
      selector: '[data-action="export"]',
      text: 'Export',
      title: 'Export',
      body: 'Download the report as CSV.',
    })
    const audit = (await call('GET', '/v1/audit?action=builder.target.save')).body
    expect(audit.items).toHaveLength(1)

    // Escape closes the preview first, then ends builder mode.
    await page.keyboard.press('Escape')
    await waitFor(
      async () => (await page.locator('jornada-ui [role=dialog]').count()) === 0,
      5_000,
      'the preview to close',
    )
    expect(await page.locator('jornada-builder').count()).toBe(1)
    await page.keyboard.press('Escape')
    await waitFor(async () => (await page.locator('jornada-builder').count()) === 0, 5_000, 'builder mode to end')
    expect(errors).toEqual([])
    await page.close()
  })

  it('E-BM03 keyboard: the panel takes focus, Tab goes through its controls, Escape stops picking', async () => {
    const made = await call('POST', '/v1/builder/tokens', {})
    const { page, errors } = await open(`/reports#jornada-builder=${encodeURIComponent(made.body.token)}`)
    const panel = page.locator('jornada-builder [role=region]')
    await panel.getByLabel('Guide').waitFor()
    const focused = () =>
      page.evaluate(() => {
        const a = document.activeElement?.shadowRoot?.activeElement as HTMLElement | null | undefined
        return a ? a.getAttribute('aria-label') || a.id || a.textContent : null
      })
    expect(await focused()).toBe('Jornada builder')
    const order: (string | null)[] = []
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab')
      order.push(await focused())
    }
    // Preview and Save wait for a picked element: disabled, out of the tab order until then.
    expect(order).toEqual(['g', 's', 'Pick an element', 'Quit'])
    await page.keyboard.press('Shift+Tab')
    expect(await focused()).toBe('Pick an element')
    await page.keyboard.press('Enter')
    expect(await panel.getByRole('button', { name: /Picking/ }).getAttribute('aria-pressed')).toBe('true')
    await page.keyboard.press('Escape')
    expect(await panel.getByRole('button', { name: 'Pick an element' }).getAttribute('aria-pressed')).toBe('false')
    expect(await page.locator('jornada-builder').count()).toBe(1)
    expect(errors).toEqual([])
    await page.close()
  })
})
