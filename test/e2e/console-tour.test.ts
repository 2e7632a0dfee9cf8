/**
 * A tour written in the console and anchored on the customer's own app, in real Chromium
 * (docs/console.md, "The Content page" and "Builder mode"): the product on one port (the API, the
 * SDK's files and the console), the customer's app on another origin (its own markup and the
 * script tag with the workspace's write key; the workspace allows that origin). An editor signed in
 * to the console writes a guide of two steps (a modal, then a tooltip) in a draft through the
 * forms, opens the tooltip step with "Pick on my app", picks the target in the builder panel on the
 * app and saves it, reloads the draft in the console and sees the target, previews the tour with the UI and
 * publishes; an end user of the app then gets the tour, the tooltip next to the picked element.
 * That the app without the fragment never asks for the builder chunk is builder.test.ts's E-BM01.
 * axe-core runs on the new console UI; the screenshots are console-tour-*.png.
 */
import { Hono } from 'hono'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../support/chromium'
import { screenshotPath } from '../support/screenshots'
import { axe, startConsoleSite } from './console-harness'
import type { ConsoleSite } from './console-harness'
import { listen } from './harness'

const EDITOR = 'editor@example.com'

/** The customer's app: its own markup and handlers, the script tag, the user signed in, a tour button. */
const appPage = (api: string, writeKey: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme Reports</title><link rel="icon" href="data:,">
<style>body{font:16px system-ui;margin:0} header{background:#123;color:#fff;padding:12px 20px} main{padding:20px}
.toolbar{display:flex;gap:8px;margin-top:120px} .btn{padding:8px 14px;border:1px solid #345;border-radius:4px;background:#fff;color:#123}</style>
<script>window.jornada=window.jornada||function(){(window.jornada.q=window.jornada.q||[]).push(arguments)};
jornada('identify','user-1',{name:'Ana'});jornada('group','acme',{name:'Acme'});</script>
<script async src="${api}/sdk/jornada.js" data-key="${writeKey}" data-api="${api}"></script>
</head><body>
<header><h1>Acme Reports</h1></header>
<main>
  <button class="btn" type="button" onclick="jornada('show','whats-new')">What’s new</button>
  <div class="toolbar">
    <button class="btn css-1x2y3z" type="button">Filter</button>
    <button id="export" class="btn btn-primary" data-action="export" type="button" onclick="window.__exported=true">Export</button>
    <button class="btn" type="button">Share</button>
  </div>
</main>
</body></html>`

/** The product, with the API, the SDK's files and the console. */
let product: ConsoleSite
let api = ''
/** The customer's app, on its own origin. */
let customer: Awaited<ReturnType<typeof listen>>
let app = ''
let browser: Browser

beforeAll(async () => {
  const site = new Hono()
  site.get('/reports', (c) => c.html(appPage(api, product.writeKey)))
  customer = await listen(site.fetch)
  app = customer.url
  product = await startConsoleSite({ workspaceId: 'tour-e2e', name: 'Tour E2E', allowedOrigins: [app] })
  api = product.url
  await product.addMembers({ editor: EDITOR })
  browser = await launchChromium()
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await customer?.close()
  await product?.close()
})

async function context(): Promise<{ ctx: BrowserContext; page: Page; errors: string[] }> {
  const ctx = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } })
  const errors: string[] = []
  ctx.on('page', (p) => {
    p.setDefaultTimeout(15_000)
    p.on('pageerror', (e) => errors.push(`${p.url()}: ${e}`))
    // The console's first GET /v1/session answers 401 before signing in: its console says so.
    p.on('console', (m) => m.type() === 'error' && p.url().startsWith(app) && errors.push(`${p.url()}: ${m.text()}`))
    // Publishing asks first: the editor says yes.
    p.on('dialog', (d) => void d.accept())
  })
  return { ctx, page: await ctx.newPage(), errors }
}

/** The box of an element, through open shadow roots. */
const box = async (page: Page, selector: string) => (await page.locator(selector).boundingBox())!

describe('a tour written in the console, anchored on the app', () => {
  it('CE14 an editor writes a two-step tour, picks its tooltip target on the app, publishes; users see it', async () => {
    const { ctx, page, errors } = await context()
    await product.signIn(page, EDITOR)

    // A new draft, its guide written through the guides form: a modal, then a step to anchor.
    await page.goto(`${api}/console/content?new=1&tab=guides`)
    await page.getByRole('heading', { name: 'New draft', level: 1 }).waitFor()
    await page.getByRole('button', { name: 'Add a guide' }).click()
    const guide = page.getByRole('group', { name: /^Guide / })
    await guide.getByLabel('Guide id').fill('whats-new')
    // Its texts in both locales.
    await guide.getByLabel('Step 1: title (en)').fill('Reports got faster')
    await guide.getByLabel('Step 1: title (pt-BR)').fill('Relatórios mais rápidos')
    await guide.getByLabel('Step 1: body (en)').fill('A **short** tour of what changed.')
    await guide.getByLabel('Step 1: body (pt-BR)').fill('Um tour **curto** do que mudou.')
    await guide.getByRole('button', { name: 'Add a step' }).click()
    // Its kind stays the default until picked: a tooltip without a selector is not a valid draft.
    await guide.getByLabel('Step 2: title (en)').fill('Export')
    await guide.getByLabel('Step 2: title (pt-BR)').fill('Exportar')
    await guide.getByLabel('Step 2: body (en)').fill('Download the report as CSV.')
    await guide.getByLabel('Step 2: body (pt-BR)').fill('Baixe o relatório em CSV.')
    await page.getByLabel('Message', { exact: true }).fill('whats-new tour')

    // "Pick on my app": the app's URL asked once, the draft saved, builder mode opened in a new tab.
    await page.getByLabel('Your app’s URL, for “Pick on my app”').fill(`${app}/reports`)
    const opened = ctx.waitForEvent('page')
    await guide.getByRole('button', { name: 'Pick on my app: step 2' }).click()
    const tab = await opened
    await page.waitForURL(/\?rev=rev_/)
    const draftId = new URL(page.url()).searchParams.get('rev')!
    await page.getByText('Builder mode opened in a new tab for step 2 of whats-new.').waitFor()
    expect(await page.evaluate(() => localStorage.getItem('jornada.console.appUrl'))).toBe(`${app}/reports`)
    await page.screenshot({ path: screenshotPath('console-tour-pick'), fullPage: true })
    expect(await axe(page)).toEqual([])

    // On the app: the fragment is gone, the panel opens at the draft's guide and step.
    const panel = tab.locator('jornada-builder [role=region]')
    await panel.getByText(`Saving into draft ${draftId}`).waitFor()
    expect(tab.url()).toBe(`${app}/reports`)
    expect(await panel.getByLabel('Guide').inputValue()).toBe('whats-new')
    expect(await panel.getByLabel('Step').inputValue()).toBe('1')
    // The editor's own experiences on the app (the launcher, in the panel's corner) stay under it.
    await tab.locator('jornada-ui').waitFor({ state: 'attached' })
    const corner = await panel.boundingBox()
    expect(
      await tab.evaluate(
        ([x, y]) => document.elementFromPoint(x!, y!)?.localName,
        [corner!.x + corner!.width - 10, corner!.y + corner!.height - 10],
      ),
    ).toBe('jornada-builder')
    await panel.getByRole('button', { name: 'Pick an element' }).click()
    await tab.hover('#export')
    await tab.click('#export')
    expect(await tab.evaluate(() => (window as any).__exported)).toBeUndefined()
    const options = panel.locator('fieldset')
    await options.getByText('#export', { exact: true }).waitFor()
    await panel.getByText('The step will point at this element.').waitFor()
    await panel.getByRole('button', { name: 'Preview' }).click()
    await tab.locator('jornada-ui [role=dialog]').getByText('Download the report as CSV.').waitFor()
    await tab.screenshot({ path: screenshotPath('console-tour-builder') })
    await tab.keyboard.press('Escape')
    await panel.getByRole('button', { name: 'Save to draft' }).click()
    await panel.getByText(`Saved into draft ${draftId}: step 2 of whats-new.`).waitFor()
    const picked = (await product.secret('GET', `/v1/config/revisions/${draftId}`)).body.config.guides[0].steps[1]
      .selector
    expect(picked[0]).toBe('#export')
    await tab.close()

    // Back in the console: the draft read again shows the target; the step is made a tooltip.
    await page.bringToFront()
    await page.getByRole('button', { name: 'Reload the draft' }).click()
    const selectors = guide.getByLabel('Step 2: CSS selectors')
    await expect.poll(() => selectors.inputValue()).toBe(picked.join('\n'))
    await guide.getByLabel('Step 2: kind').selectOption('tooltip')
    await page.getByRole('button', { name: 'Save the draft' }).click()
    await page.getByText('Saved.').waitFor()

    // The preview: the in-app UI itself, on the console's page, in Portuguese; then publishing.
    await page.getByLabel('Experience to preview').selectOption('guide:whats-new')
    await page.getByLabel('Language', { exact: true }).selectOption('pt-BR')
    await page.getByRole('button', { name: 'Show the preview' }).click()
    const previewed = page.locator('jornada-ui [role=dialog]')
    await previewed.getByText('Relatórios mais rápidos').waitFor()
    expect(await previewed.locator('strong').textContent()).toBe('curto')
    await page.screenshot({ path: screenshotPath('console-tour-preview') })
    expect(await axe(page)).toEqual([])
    await previewed.getByRole('button', { name: 'Próximo' }).click()
    await previewed.getByText('Baixe o relatório em CSV.').waitFor()
    // The previewed tour's modal step covers the page, as it will on the app: Escape ends the preview.
    await page.keyboard.press('Escape')
    await expect.poll(() => page.locator('jornada-ui').count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Close the preview' }).count()).toBe(0)
    await page.getByRole('button', { name: 'Publish', exact: true }).click()
    await page.getByText('Published: this revision is in force.').waitFor()
    const published = (await product.secret('GET', '/v1/config')).body
    expect(published.guides).toEqual([
      {
        id: 'whats-new',
        steps: [
          {
            kind: 'modal',
            title: { en: 'Reports got faster', 'pt-BR': 'Relatórios mais rápidos' },
            body: { en: 'A **short** tour of what changed.', 'pt-BR': 'Um tour **curto** do que mudou.' },
          },
          {
            kind: 'tooltip',
            selector: picked,
            text: 'Export',
            title: { en: 'Export', 'pt-BR': 'Exportar' },
            body: { en: 'Download the report as CSV.', 'pt-BR': 'Baixe o relatório em CSV.' },
          },
        ],
      },
    ])
    expect(errors).toEqual([])
    await ctx.close()

    // An end user of the app: the tour's modal, then the tooltip next to the picked element.
    const user = await context()
    const requests: string[] = []
    user.page.on('request', (r) => requests.push(r.url()))
    await user.page.goto(`${app}/reports`)
    await user.page.waitForFunction(() => typeof (window as any).jornada?.j === 'object')
    await user.page.getByRole('button', { name: 'What’s new' }).click()
    const dialog = user.page.locator('jornada-ui [role=dialog]')
    await dialog.getByText('Reports got faster').waitFor()
    await dialog.getByRole('button', { name: 'Next' }).click()
    await dialog.getByText('Download the report as CSV.').waitFor()
    const target = await box(user.page, '#export')
    const ring = await box(user.page, 'jornada-ui .hl')
    expect(Math.abs(ring.x + ring.width / 2 - (target.x + target.width / 2))).toBeLessThan(2)
    expect(Math.abs(ring.y + ring.height / 2 - (target.y + target.height / 2))).toBeLessThan(2)
    const tip = await box(user.page, 'jornada-ui [role=dialog]')
    const gap = Math.min(Math.abs(tip.y - (target.y + target.height)), Math.abs(target.y - (tip.y + tip.height)))
    expect(gap).toBeLessThan(40)
    await user.page.screenshot({ path: screenshotPath('console-tour-user') })
    expect(requests.filter((u) => u.includes('builder'))).toEqual([])
    expect(user.errors).toEqual([])
    await user.ctx.close()
  }, 120_000)
})
