import { readFileSync } from 'node:fs'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHarness, waitFor, type Harness } from './harness'
import { screenshotPath } from '../support/screenshots'
import { ALWAYS, PAGE_FILES, served } from '../size/sdk-files'
import { IMMUTABLE, NO_CACHE } from '../../server/http/static-headers'

// In-app experiences on the demo, in real Chromium: the journey decides, the SDK asks, the UI chunk shows it
// in a shadow root. The time machine (server/demo.ts) moves the demo user to a new account at each
// point of the journey. Each test has its own browser context (its own storage, its own session).

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(async () => {
  await h?.close()
})

const AXE = readFileSync('node_modules/axe-core/axe.min.js', 'utf8')
const shot = (page: Page, name: string) => page.screenshot({ path: screenshotPath(`demo-${name}`) })
const ui = (page: Page) => page.locator('jornada-ui')
const dialog = (page: Page) => ui(page).getByRole('dialog')

/** axe-core on the whole demo page, the widget's shadow root included. */
async function axe(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE })
  return page.evaluate(async () => {
    const r = await (window as any).axe.run(document, { resultTypes: ['violations'] })
    return r.violations.map((v: any) => `${v.id}: ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`)
  })
}

async function open(path = '/'): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await h.newContext()
  const page = await ctx.newPage()
  // A failing step names itself well before the test's own timeout.
  page.setDefaultTimeout(10_000)
  await page.goto(h.url + path)
  return { ctx, page }
}

/** Presses a time-machine button and waits until the demo has switched accounts. */
async function jump(page: Page, stage: string): Promise<string> {
  await page.locator(`[data-stage="${stage}"]`).click()
  await page.getByText(/^Day \d+ of account acme-/).waitFor()
  return page.evaluate(() => JSON.parse(localStorage.getItem('relata:account')!).id as string)
}

const stored = async (name: string, accountId: string) =>
  (await h.events(name)).filter((e) => e.accountId === accountId)

describe('in-app experiences on the demo', () => {
  // axe finds nothing; a reload shows the checklist again without a second experience_shown.
  it('XE01 checklist: a new account in onboarding sees it (not a survey); a reload does not count it again', async () => {
    const { ctx, page } = await open()
    const checklist = ui(page).locator('[part~="panel"]').filter({ hasText: 'Getting started' })
    await checklist.waitFor()
    await checklist.getByText('Welcome').waitFor()
    expect(await dialog(page).count()).toBe(0)
    expect(await axe(page)).toEqual([])
    await shot(page, 'checklist')
    const checklistShown = async () =>
      (await stored('experience_shown', 'acme')).filter(
        (e) => e.properties.experienceId === 'checklist' && e.userId === 'user-42',
      )
    await waitFor(async () => (await checklistShown()).length > 0, 20_000, 'experience_shown checklist')
    // A reload shows it again without counting it again (once per day).
    const before = (await checklistShown()).length
    await page.reload()
    await checklist.getByText('Welcome').waitFor()
    // What the UI queued on this load is sent now (it would be queued by the time the checklist shows).
    await page.evaluate(() => (window as any).jornada('flush'))
    expect((await checklistShown()).length).toBe(before)
    await ctx.close()
  })

  it('XE02 two tabs: completing setup in one marks it done in the other, without a reload', async () => {
    const { ctx, page: a } = await open()
    await jump(a, 'day-12')
    const setupIn = (p: Page) => ui(p).locator('li').filter({ hasText: 'Setup' })
    await setupIn(a)
      .getByText(/Overdue since/)
      .waitFor()
    const b = await ctx.newPage()
    await b.goto(h.url + '/')
    await setupIn(b)
      .getByText(/Overdue since/)
      .waitFor()
    await a.getByRole('link', { name: 'Settings', exact: true }).click()
    await a.getByRole('button', { name: 'Finish setup' }).click()
    await setupIn(b).getByText('Done', { exact: true }).waitFor({ timeout: 10_000 })
    await setupIn(a).getByText('Done', { exact: true }).waitFor()
    await ctx.close()
  })

  // One step waits for an element that renders 2 s late.
  it('XE03 guide: day 45 starts the tour of the ignored core feature; a reload resumes it (not a new show)', async () => {
    const { ctx, page } = await open()
    const account = await jump(page, 'day-45')
    await dialog(page).getByRole('heading', { name: 'Never miss a drop' }).waitFor()
    expect(await axe(page)).toEqual([])
    await shot(page, 'guide')
    await dialog(page).getByRole('button', { name: 'Next' }).click()
    // Step 2: a tooltip on the Alerts link; the user follows it (an SPA route change).
    await ui(page).getByText('Alerts live here').waitFor()
    await ui(page).getByRole('button', { name: 'Next' }).click()
    await page.getByRole('link', { name: 'Alerts', exact: true }).click()
    // Step 3 points at the "Create alert" button, which the page renders 2 s later.
    await page.getByText('Loading alerts…').waitFor()
    expect(await ui(page).getByText('Create an alert').isVisible()).toBe(false)
    await page.getByRole('button', { name: 'Create alert' }).waitFor({ timeout: 10_000 })
    await ui(page).locator('[part~="beacon"]').click()
    await ui(page).getByText('Create an alert').waitFor()
    await shot(page, 'guide-hotspot')
    // A reload mid-tour resumes at the same step.
    await page.reload()
    await page.getByRole('button', { name: 'Create alert' }).waitFor({ timeout: 10_000 })
    await ui(page).locator('[part~="beacon"]').click()
    await ui(page).getByText('Create an alert').waitFor()
    await waitFor(async () => (await stored('guide_step_viewed', account)).length >= 3, 20_000, 'guide_step_viewed')
    const steps = (await stored('guide_step_viewed', account)).map((e) => e.properties.step)
    expect(new Set(steps)).toEqual(new Set([0, 1, 2]))
    // Resumed after the reload, the tour was not shown anew: one experience_shown.
    await page.evaluate(() => (window as any).jornada('flush'))
    expect(
      (await stored('experience_shown', account)).filter((e) => e.properties.experienceId === 'guide:alerts-tour'),
    ).toHaveLength(1)
    await ctx.close()
  })

  it('XE04 message: day 60 working alone asks to invite the team', async () => {
    const { ctx, page } = await open()
    await jump(page, 'day-60-alone')
    await dialog(page).getByRole('heading', { name: 'Invite your team' }).waitFor()
    expect(await axe(page)).toEqual([])
    await shot(page, 'message')
    await ctx.close()
  })

  // The statement covers the last 30 days; the same open dialog is re-rendered in Portuguese.
  it('XE05 value: day 100 shows the value statement; the app switching to pt-BR re-renders it in place', async () => {
    const { ctx, page } = await open()
    await jump(page, 'day-100')
    await dialog(page).getByText('Your results').waitFor()
    expect(await dialog(page).textContent()).toMatch(/increased conversion rate by 23\.8%/)
    expect(await axe(page)).toEqual([])
    await shot(page, 'value')
    // Marks the dialog's element: a remount would lose the mark (and the statement, already counted).
    await dialog(page).evaluate((el) => ((el as any).seen = true))
    await page.evaluate(() => (window as any).jornada('identify', 'user-42', { locale: 'pt-BR' }))
    await dialog(page).getByRole('heading', { name: 'Seus resultados' }).waitFor()
    const text = await dialog(page).textContent()
    expect(text).toContain('Nos últimos 30 dias, você:')
    // The metric's label is the config's one string (demo/jornada.config.json), the same in every locale.
    expect(text).toMatch(/aumentou taxa de conversão em 23,8%/)
    expect(await dialog(page).evaluate((el) => (el as any).seen)).toBe(true)
    expect(await dialog(page).count()).toBe(1)
    expect(
      await ui(page)
        .locator('.r')
        .evaluate((el: HTMLElement) => [el.lang, el.dir]),
    ).toEqual(['pt-BR', 'ltr'])
    expect(await axe(page)).toEqual([])
    await ctx.close()
  })

  // The survey shows with the renewal banner.
  it('XE06 NPS 30 days before renewal; the answer 10 leads to the advocacy programs', async () => {
    const { ctx, page } = await open()
    const account = await jump(page, 'renewal-30')
    await ui(page)
      .locator('[part~="banner"]')
      .getByText(/Your plan renews on/)
      .waitFor()
    await dialog(page).getByText('A quick question').waitFor()
    expect(await axe(page)).toEqual([])
    await shot(page, 'nps')
    await dialog(page).getByRole('radio', { name: '10' }).check()
    await dialog(page).getByRole('button', { name: 'Send' }).click()
    await dialog(page).getByText('Refer a friend').waitFor()
    expect(await axe(page)).toEqual([])
    await shot(page, 'nps-promoter')
    await waitFor(
      async () => (await stored('nps_response', account)).some((e) => e.properties.score === 10),
      20_000,
      'nps_response 10',
    )
    await ctx.close()
  })

  it('XE07 the answer 3 leads to the recovery message, and a detractor fact is recorded for the CSM', async () => {
    const { ctx, page } = await open()
    const account = await jump(page, 'renewal-30')
    await dialog(page).getByText('A quick question').waitFor()
    await dialog(page).getByRole('radio', { name: '3' }).check()
    await dialog(page).getByLabel('Why this score? (optional)').fill('Reports are slow')
    await dialog(page).getByRole('button', { name: 'Send' }).click()
    await dialog(page).getByText('We are sorry').waitFor()
    expect(await dialog(page).getByText('Refer a friend').count()).toBe(0)
    await shot(page, 'nps-detractor')
    await waitFor(async () => (await stored('detractor', account)).length === 1, 20_000, 'detractor fact')
    expect((await stored('detractor', account))[0]!.properties).toMatchObject({ score: 3, comment: 'Reports are slow' })
    await ctx.close()
  })

  it('XE08 advocacy: after renewal, a promoter account is asked to refer a friend; accepting is recorded', async () => {
    const { ctx, page } = await open()
    const account = await jump(page, 'renewed')
    await dialog(page).getByText('Refer a friend').waitFor()
    // Each program says what it gives in words for the user, not the journey's labels.
    await dialog(page).getByText('A discount or credit on your plan for each friend who joins.').waitFor()
    expect(await dialog(page).textContent()).not.toMatch(/discount\/credit|exposure\b/)
    expect(await axe(page)).toEqual([])
    await shot(page, 'advocacy')
    // The referral link opens in a new tab; the acceptance is what counts here.
    const popup = ctx.waitForEvent('page').catch(() => null)
    await dialog(page)
      .getByRole('button', { name: /Count me in: Refer a friend/ })
      .click()
    await popup
    await waitFor(
      async () => (await stored('advocacy_accepted', account)).some((e) => e.properties.program === 'referral'),
      20_000,
      'advocacy_accepted',
    )
    await ctx.close()
  })

  // What a user's browser fetches, as the server saw it: the files of what the page shows, each
  // compressed, the content-hashed ones immutable; a reload then asks only whether the loader changed
  // (its answer: not modified) and takes the hashed files from its cache without asking.
  it('XE15 a checklist page fetches only its files, each brotli; a reload revalidates the loader only', async () => {
    const ctx = await h.newContext()
    const page = await ctx.newPage()
    page.setDefaultTimeout(10_000)
    /** The SDK files the page asked for, wherever the answer came from (the server or the cache). */
    const asked: string[] = []
    page.on('requestfinished', (r) => {
      if (new URL(r.url()).pathname.startsWith('/sdk/')) asked.push(r.url().split('/').pop()!)
    })
    const files = served(PAGE_FILES.checklist)
    h.sdkFiles.length = 0
    await page.goto(h.url + '/')
    await ui(page).locator('[part~="panel"]').filter({ hasText: 'Getting started' }).waitFor()
    await page.waitForTimeout(500)
    expect(h.sdkFiles.map((f) => f.file).sort()).toEqual([...files].sort())
    expect(h.sdkFiles.every((f) => f.status === 200 && f.encoding === 'br')).toBe(true)
    for (const f of h.sdkFiles) expect(f.cacheControl, f.file).toBe(f.file === 'jornada.js' ? NO_CACHE : IMMUTABLE)

    h.sdkFiles.length = 0
    asked.length = 0
    await page.reload()
    await ui(page).locator('[part~="panel"]').filter({ hasText: 'Getting started' }).waitFor()
    await page.waitForTimeout(500)
    // The page used every file again; only the loader's question reached the server.
    expect([...asked].sort()).toEqual([...files].sort())
    expect(h.sdkFiles).toEqual([{ file: 'jornada.js', status: 304, encoding: null, cacheControl: NO_CACHE }])
    await ctx.close()
  })

  // A real account with guides configured but none offered gets an empty decision; the page's
  // "Show the reports tour" button then loads the UI chunk.
  it('XE09 nothing to show, nothing downloaded: no UI chunk request, no widget; a guide on demand loads it', async () => {
    // Day 35 (adoption) of a quiet account: Ana and Bruno log in and use both core features every
    // day, Ana answered the day-30 survey; nothing generates value yet, no renewal date. The demo
    // config has two guides: neither was offered to Ana.
    const accountId = `quiet-${Date.now().toString(36)}`
    const DAY = 86_400_000
    const start = Math.floor(Date.now() / DAY) * DAY - 35 * DAY
    const t = (d: number, hour = 10) => new Date(start + d * DAY + hour * 3_600_000).toISOString()
    let n = 0
    const id = () => `${accountId}-${n++}`
    const batch: Record<string, unknown>[] = [
      {
        id: id(),
        type: 'group',
        userId: 'user-42',
        accountId,
        timestamp: t(0, 8),
        traits: {
          name: 'Quiet Ltda',
          segment: 'smb',
          seats: 2,
          contractStart: new Date(start).toISOString().slice(0, 10),
        },
      },
      { id: id(), type: 'identify', userId: 'user-42', timestamp: t(0, 8), traits: { name: 'Ana Souza' } },
      { id: id(), type: 'identify', userId: 'user-43', timestamp: t(0, 8), traits: { name: 'Bruno Lima' } },
      {
        id: id(),
        type: 'track',
        event: 'nps_response',
        userId: 'user-42',
        accountId,
        timestamp: t(31),
        properties: { score: 8 },
      },
    ]
    for (let d = 0; d < 35; d++) {
      for (const userId of ['user-42', 'user-43']) {
        batch.push({ id: id(), type: 'track', event: '$login', userId, accountId, timestamp: t(d), properties: {} })
        for (const feature of ['reports', 'alerts'])
          batch.push({
            id: id(),
            type: 'track',
            event: 'feature_used',
            userId,
            accountId,
            timestamp: t(d),
            properties: { feature },
          })
      }
    }
    const res = await fetch(h.url + '/v1/batch', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${h.secretKey}` },
      body: JSON.stringify({ batch }),
    })
    expect(await res.json()).toMatchObject({ accepted: batch.length, rejected: [] })

    const ctx = await h.newContext()
    const page = await ctx.newPage()
    page.setDefaultTimeout(10_000)
    // Ana is signed in to that account (the demo remembers it in localStorage).
    await page.addInitScript(
      (a) => localStorage.setItem('relata:account', JSON.stringify({ id: a, traits: { name: 'Quiet Ltda' } })),
      accountId,
    )
    const chunks: string[] = []
    page.on('request', (r) => {
      // The UI's base or any kind's chunk.
      if (/jornada\.ui\./.test(r.url())) chunks.push(r.url())
    })
    const answer = page.waitForResponse((r) => r.url().includes('/v1/experience'), { timeout: 20_000 })
    await page.goto(h.url + '/')
    const decision = await (await answer).json()
    expect(decision.experiences).toEqual([])
    expect(decision.launcher).toEqual([])
    expect(decision.guides.map((g: { id: string }) => g.id)).toEqual(['guide:reports-tour', 'guide:alerts-tour'])
    await page.waitForTimeout(500)
    expect(chunks).toEqual([])
    expect(await ui(page).count()).toBe(0)

    // On demand: the page's own button opens a guide never offered before (its chunks come now).
    await page.getByRole('button', { name: 'Show the reports tour' }).click()
    await dialog(page).getByRole('heading', { name: 'Your first report' }).waitFor()
    // The UI's base and the guide's chunks, each once (test/size/sdk-files.ts).
    expect(chunks.map((u) => new URL(u).pathname.split('/').pop()).sort()).toEqual(
      served(PAGE_FILES.guide.filter((f) => !ALWAYS.includes(f))).sort(),
    )
    await ctx.close()
  })

  // The policy has no unsafe-inline anywhere.
  it('XE10 the demo under a strict CSP with a nonce: the script tag, core and UI work, nothing refused', async () => {
    const ctx = await h.newContext()
    const page = await ctx.newPage()
    page.setDefaultTimeout(10_000)
    const CSP =
      "default-src 'self'; script-src 'self' 'nonce-r4nd0m'; style-src 'self' 'nonce-r4nd0m'; img-src 'self' data:"
    await page.route(h.url + '/', async (route) => {
      const res = await route.fetch()
      const html = (await res.text()).replaceAll('<script', '<script nonce="r4nd0m"')
      await route.fulfill({ response: res, body: html, headers: { ...res.headers(), 'content-security-policy': CSP } })
    })
    await page.addInitScript(() => {
      ;(window as any).violations = []
      document.addEventListener('securitypolicyviolation', (e) =>
        (window as any).violations.push(`${e.violatedDirective} ${e.blockedURI}`),
      )
    })
    await page.goto(h.url + '/')
    await jump(page, 'day-100')
    await dialog(page).getByText('Your results').waitFor()
    expect(await page.evaluate(() => (window as any).violations)).toEqual([])
    await ctx.close()
  })

  it('XE12 two tabs: a tour in progress shows only in its own tab, and a reload of that tab resumes it', async () => {
    const { ctx, page: a } = await open()
    await jump(a, 'day-45')
    await dialog(a).getByRole('heading', { name: 'Never miss a drop' }).waitFor()
    await dialog(a).getByRole('button', { name: 'Next' }).click()
    await ui(a).getByText('Alerts live here').waitFor()
    const b = await ctx.newPage()
    b.setDefaultTimeout(10_000)
    const asked = b.waitForResponse((r) => r.url().includes('/v1/experience'), { timeout: 20_000 })
    await b.goto(h.url + '/')
    // The server lists the guide in b's launcher (it was shown to Ana); b leaves a's tour alone.
    expect((await (await asked).json()).launcher.map((e: { id: string }) => e.id)).toContain('guide:alerts-tour')
    await ui(b).getByRole('button', { name: 'Help & resources' }).waitFor()
    await b.waitForTimeout(1500)
    expect(await dialog(b).count()).toBe(0)
    expect(await ui(b).locator('[part~="beacon"], [part~="highlight"]').count()).toBe(0)
    await a.reload()
    await ui(a).getByText('Alerts live here').waitFor()
    expect(await dialog(b).count()).toBe(0)
    await ctx.close()
  })

  it('XE13 pt-BR: the advocacy ask in Portuguese, its benefits too; axe finds nothing', async () => {
    const ctx = await h.newContext()
    const page = await ctx.newPage()
    page.setDefaultTimeout(10_000)
    // The locale trait of an earlier identify (kept by the SDK in localStorage).
    await page.addInitScript(() => {
      if (!localStorage.getItem('jornada:locale')) localStorage.setItem('jornada:locale', '"pt-BR"')
    })
    await page.goto(h.url + '/')
    await jump(page, 'renewed')
    await dialog(page).getByRole('heading', { name: 'Obrigado pela preferência!' }).waitFor()
    await dialog(page).getByText('Indicar um amigo').waitFor()
    await dialog(page).getByText('Um desconto ou crédito no seu plano para cada amigo que entrar.').waitFor()
    await dialog(page).getByText('Exposição para a sua empresa e os resultados do seu time.').waitFor()
    expect(await axe(page)).toEqual([])
    await shot(page, 'advocacy-pt-BR')
    await ctx.close()
  })

  // The header's brand, navigation and "Signed in as" all stay visible and clickable.
  it("XE14 the renewal banner sits below the demo's header, which stays visible and clickable", async () => {
    const { ctx, page } = await open()
    await jump(page, 'renewal-30')
    const banner = ui(page).locator('[part~="banner"]')
    await banner.getByText(/Your plan renews on/).waitFor()
    await dialog(page).getByRole('button', { name: 'Ask me later' }).click()
    await expect.poll(() => dialog(page).count()).toBe(0)
    const header = (await page.locator('header.top').boundingBox())!
    const box = (await banner.boundingBox())!
    expect(Math.round(box.y)).toBe(Math.round(header.y + header.height))
    // What is on top at the centre of each header item is that item, not the widget.
    for (const sel of ['.brand', 'nav a[href="/alerts"]', '#who']) {
      expect(
        await page.locator(sel).evaluate((el) => {
          const r = el.getBoundingClientRect()
          return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === el
        }),
        sel,
      ).toBe(true)
    }
    // Nor the page's title below it.
    expect(box.y + box.height).toBeLessThanOrEqual(
      (await page.getByRole('heading', { name: 'Dashboard', level: 1 }).boundingBox())!.y,
    )
    await shot(page, 'banner')
    await ctx.close()
  })

  it('XE11 two tabs: the NPS survey shows in one tab only, and the renewal banner in both', async () => {
    const { ctx, page: a } = await open()
    await jump(a, 'renewal-30')
    await dialog(a).getByText('A quick question').waitFor()
    const b = await ctx.newPage()
    b.setDefaultTimeout(10_000)
    await b.goto(h.url + '/')
    // The inline banner shows in the second tab too; the modal survey does not.
    await ui(b)
      .locator('[part~="banner"]')
      .getByText(/Your plan renews on/)
      .waitFor()
    await b.waitForTimeout(1500)
    expect(await dialog(b).count()).toBe(0)
    expect(await dialog(a).count()).toBe(1)
    await ctx.close()
  })
})
