/**
 * The console's Content pages in real Chromium (docs/spec/console.md, "Content"): the product on a
 * random port (PGlite in memory, the built console at /console/), a few accounts imported and
 * evaluated, an editor and a viewer. An editor writes a draft through the checklist form and the
 * JSON text, sees the server's issues at their line, dry-runs it and publishes it; a viewer reads
 * and cannot change; axe-core on every Content view in both languages, with screenshots.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accountHistory, DAY_MS } from '../bench/journey-data'
import { launchChromium } from '../support/chromium'
import { screenshotPath } from '../support/screenshots'
import { axe, openConsolePage, settled, startConsoleSite } from './console-harness'
import type { ConsoleSite } from './console-harness'

const TODAY = Math.floor(Date.now() / DAY_MS) * DAY_MS

/** Two young accounts still in onboarding and an older one. */
const ACCOUNTS = [
  { id: 'globex', name: 'Globex', days: 20 },
  { id: 'hooli', name: 'Hooli', days: 25 },
  { id: 'northwind', name: 'Northwind Traders', days: 200 },
] as const

const MEMBERS = { editor: 'editor@example.com', viewer: 'viewer@example.com' } as const

/** Responses read as plain JSON. */
type Json = any

let site: ConsoleSite
let browser: Browser
/** The draft the editor wrote and published (CE11), opened again by CE12. */
let draftId = ''

beforeAll(async () => {
  site = await startConsoleSite({ workspaceId: 'content-e2e', name: 'Content E2E' })
  await site.addMembers(MEMBERS)

  const events = ACCOUNTS.flatMap((a, i) =>
    accountHistory({
      accountId: a.id,
      start: TODAY - a.days * DAY_MS,
      days: a.days + 1,
      users: 2,
      seed: i + 1,
      traits: { name: a.name, segment: 'smb' },
      planned: [{ day: 0, event: 'welcome_email_sent', hour: 12 }],
      active: (_day, _u, r) => r() < 0.8,
      until: Date.now() - 60_000,
    }),
  )
  await site.importAndSweep(events)
  browser = await launchChromium()
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await site?.close()
})

async function open(locale = 'en-US') {
  const opened = await openConsolePage(browser, locale)
  // Publishing, rolling back and deleting ask first: the editor says yes.
  opened.page.on('dialog', (d) => void d.accept())
  return opened
}

describe('the Content pages in Chromium', () => {
  it('CE11 an editor writes a checklist draft, sees the dry run, publishes; a viewer cannot', async () => {
    const { ctx, page, errors } = await open()
    await site.signIn(page, MEMBERS.editor)
    await page.goto(`${site.url}/console/content`)
    await page.getByRole('link', { name: 'New draft from the published config' }).click()
    await page.getByRole('heading', { name: 'New draft', level: 1 }).waitFor()

    // The checklist form: a title and a call to action for the setup item.
    await page.getByLabel('Title: Setup (en)').fill('Connect your data')
    await page.getByLabel('Title: Setup (pt-BR)').fill('Conecte seus dados')
    await page.getByLabel('Call to action: URL or path: Setup').fill('/settings/data')
    await page.getByLabel('Message', { exact: true }).fill('shorter onboarding')
    await page.getByRole('button', { name: 'Save the draft' }).click()
    await page.waitForURL(/\?rev=rev_/)
    draftId = new URL(page.url()).searchParams.get('rev')!
    const stored = await site.secret('GET', `/v1/config/revisions/${draftId}`)
    expect(stored.body).toMatchObject({
      status: 'draft',
      author: MEMBERS.editor,
      message: 'shorter onboarding',
      config: {
        experiences: {
          checklist: {
            titles: { setup: { en: 'Connect your data', 'pt-BR': 'Conecte seus dados' } },
            cta: { setup: { url: '/settings/data' } },
          },
        },
      },
    })

    // The JSON text: a syntax error says where; the server's issue shows at its line.
    await page.getByRole('link', { name: 'JSON' }).click()
    const text = page.getByLabel('The draft as JSON')
    const doc = JSON.parse(await text.inputValue())
    await text.fill('{\n  "phases": {\n    "onboardingDays": 5,\n  }\n}')
    await page.getByText('Line 4, column 3').waitFor()
    expect(await text.getAttribute('aria-invalid')).toBe('true')
    const bad = JSON.stringify({ ...doc, phases: { onboardingDays: 5 }, renewalWindowDays: -1 }, null, 2)
    const badLine = bad.split('\n').findIndex((l) => l.includes('"renewalWindowDays"')) + 1
    expect(badLine).toBeGreaterThan(1)
    await text.fill(bad)
    await page.getByRole('button', { name: 'Save the draft' }).click()
    const issue = page.locator('#main ul.field-error li', { hasText: 'renewalWindowDays' })
    await issue.waitFor()
    expect(await issue.textContent()).toContain(`line ${badLine}`)
    await page.getByText('Fields to correct: 1. Nothing was stored.').waitFor()
    await text.fill(JSON.stringify({ ...doc, phases: { onboardingDays: 5 } }, null, 2))
    await page.getByRole('button', { name: 'Save the draft' }).click()
    await page.getByText('Saved.').waitFor()

    // The dry run: the two young accounts leave onboarding.
    await page.getByRole('button', { name: 'Run the dry run' }).click()
    await page.getByText(`All ${ACCOUNTS.length} accounts examined.`).waitFor()
    const moved = page.getByRole('region', { name: 'Accounts that would change' })
    await moved.getByRole('link', { name: 'globex' }).waitFor()
    expect(await moved.textContent()).toContain('Onboarding → Adoption')
    await page.screenshot({ path: screenshotPath('console-content-dry-run-en'), fullPage: true })

    // The diff against the config in force, then publishing.
    expect(await page.getByRole('region', { name: 'Compare' }).textContent()).toContain('phases.onboardingDays')
    await page.getByRole('button', { name: 'Publish', exact: true }).click()
    await page.getByText('Published: this revision is in force.').waitFor()
    const list = (await site.secret('GET', '/v1/config/revisions')).body as Json[]
    expect(list.find((r) => r.id === draftId)?.status).toBe('published')
    expect((await site.secret('GET', '/v1/config')).body.phases.onboardingDays).toBe(5)
    expect(errors).toEqual([])
    await ctx.close()

    // A viewer reads the list and the revision; nothing to change is offered, and the API refuses.
    const v = await open()
    await site.signIn(v.page, MEMBERS.viewer)
    await v.page.goto(`${site.url}/console/content`)
    await v.page.getByRole('link', { name: 'shorter onboarding' }).click()
    await v.page.getByText('Your role reads the content; editors change it.').waitFor()
    await v.page.locator('pre.json').waitFor()
    expect(await v.page.getByRole('button', { name: /Save|Publish|Delete/ }).count()).toBe(0)
    expect(await v.page.getByRole('link', { name: 'New draft from the published config' }).count()).toBe(0)
    const status = await v.page.evaluate(async () => {
      const s = await (await fetch('/v1/session')).json()
      const r = await fetch('/v1/config/drafts', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrfToken },
        body: JSON.stringify({ config: {}, message: 'no' }),
      })
      return r.status
    })
    expect(status).toBe(403)
    expect(v.errors).toEqual([])
    await v.ctx.close()
  }, 120_000)

  it('CE12 axe-core finds no violation on the Content views in English and Portuguese; screenshots', async () => {
    // A second draft over the published one, with a benefit missing its Portuguese text.
    const draft = await site.secret('POST', '/v1/config/drafts', {
      config: {
        experiences: { advocacy: { benefits: { review: { en: 'Get seen' } } } },
        guides: [
          {
            id: 'reports_tour',
            steps: [
              { kind: 'modal', title: 'Reports', body: 'Where your **numbers** live.' },
              { selector: ['#reports', '.nav-reports'], title: 'Open it here', body: 'One click.', path: '/app' },
            ],
          },
        ],
      },
      message: 'review benefit',
    })
    expect(draft.status).toBe(201)
    const views: { name: string; path: string; act?: (page: Page, lang: string) => Promise<void> }[] = [
      { name: 'list', path: '/console/content' },
      { name: 'published', path: `/console/content?rev=${draftId}` },
      { name: 'checklist', path: `/console/content?rev=${draft.body.id}` },
      { name: 'guides', path: `/console/content?rev=${draft.body.id}&tab=guides` },
      { name: 'nps', path: `/console/content?rev=${draft.body.id}&tab=nps` },
      { name: 'value', path: `/console/content?rev=${draft.body.id}&tab=value` },
      {
        // The in-app UI itself on the page, showing the survey in the console's language.
        name: 'preview',
        path: `/console/content?rev=${draft.body.id}&tab=checklist`,
        act: async (page, lang) => {
          await page.locator('#preview-h').scrollIntoViewIfNeeded()
          await page
            .getByLabel(lang === 'en' ? 'Experience to preview' : 'Experiência a pré-visualizar')
            .selectOption('nps')
          await page
            .getByRole('button', { name: lang === 'en' ? 'Show the preview' : 'Mostrar a pré-visualização' })
            .click()
          await page.locator('jornada-ui [role=dialog] legend').waitFor()
        },
      },
      { name: 'attention', path: `/console/content?rev=${draft.body.id}&tab=attention` },
      { name: 'messages', path: `/console/content?rev=${draft.body.id}&tab=messages` },
      { name: 'banner', path: `/console/content?rev=${draft.body.id}&tab=banner` },
      { name: 'advocacy', path: `/console/content?rev=${draft.body.id}&tab=advocacy` },
      { name: 'json', path: `/console/content?rev=${draft.body.id}&tab=json` },
    ]
    const found: Record<string, string[]> = {}
    for (const [locale, lang] of [
      ['en-US', 'en'],
      ['pt-BR', 'pt-BR'],
    ] as const) {
      const { ctx, page, errors } = await open(locale)
      await site.signIn(page, MEMBERS.editor, lang)
      for (const view of views) {
        await page.goto(site.url + view.path)
        await page.getByRole('heading', { level: 1 }).waitFor()
        await settled(page)
        await view.act?.(page, lang)
        await page.screenshot({
          path: screenshotPath(`console-content-${view.name}-${lang}`),
          fullPage: view.act === undefined,
        })
        found[`${view.name}-${lang}`] = await axe(page)
      }
      const missing = lang === 'en' ? 'missing in pt-BR' : 'falta em pt-BR'
      await page.getByText(missing).waitFor()
      expect(errors).toEqual([])
      await ctx.close()
    }
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])))
  }, 240_000)

  it('CE13 an editor rolls back to an older revision and deletes a draft; the audit log has both', async () => {
    // A newer revision published over the editor's, and a draft to throw away.
    const newer = await site.secret('POST', '/v1/config/drafts', {
      config: { renewalWindowDays: 60 },
      message: 'newer',
    })
    expect((await site.secret('POST', `/v1/config/revisions/${newer.body.id}/publish`)).status).toBe(200)
    const scrap = await site.secret('POST', '/v1/config/drafts', { config: {}, message: 'scrap' })
    const { ctx, page, errors } = await open()
    await site.signIn(page, MEMBERS.editor)
    await page.goto(`${site.url}/console/content?rev=${draftId}`)
    await page.getByRole('button', { name: 'Publish again (roll back)' }).click()
    await page.getByText('Published: this revision is in force.').waitFor()
    const list = (await site.secret('GET', '/v1/config/revisions')).body as Json[]
    expect(list.find((r) => r.id === draftId)?.status).toBe('published')
    expect(list.find((r) => r.id === newer.body.id)?.status).toBe('superseded')

    await page.goto(`${site.url}/console/content?rev=${scrap.body.id}`)
    await page.getByRole('button', { name: 'Delete the draft' }).click()
    await page.getByRole('heading', { name: 'Content', level: 1 }).waitFor()
    await page.getByRole('link', { name: 'newer' }).waitFor()
    expect(await page.getByRole('link', { name: 'scrap' }).count()).toBe(0)
    expect((await site.secret('GET', `/v1/config/revisions/${scrap.body.id}`)).status).toBe(404)
    const audit = (await site.secret('GET', '/v1/audit?limit=20')).body.items as Json[]
    const actions = audit.filter((a) => a.actor.email === MEMBERS.editor).map((a) => a.action)
    expect(actions).toEqual(expect.arrayContaining(['config.rollback', 'config.draft.delete', 'config.publish']))
    expect(errors).toEqual([])
    await ctx.close()
  }, 240_000)
})
