/**
 * The console's Content pages in real Chromium (docs/spec/console.md, "Content"): the product on a
 * random port (PGlite in memory, the built console at /console/), a few accounts imported and
 * evaluated, an editor and a viewer. An editor writes a draft through the checklist form and the
 * JSON text, sees the server's issues at their line, dry-runs it and publishes it; a viewer reads
 * and cannot change; axe-core on every Content view in both languages, with screenshots.
 */
import { serve } from '@hono/node-server'
import { readFileSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { createEvaluator } from '../../server/evaluator'
import { hashPassword } from '../../server/http/passwords'
import { defaultConfig } from '../../server/journey'
import { createServer } from '../../server/serve'
import { createPgliteStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import { accountHistory, DAY_MS, inBatches } from '../bench/journey-data'
import { launchChromium } from '../support/chromium'
import { screenshotPath } from '../support/screenshots'

const WORKSPACE = 'content-e2e'
const PASSWORD = 'correct horse battery'
const SECRET_KEY = `sk_content_${Math.random().toString(36).slice(2)}`
const AXE = readFileSync('node_modules/axe-core/axe.min.js', 'utf8')
const TODAY = Math.floor(Date.now() / DAY_MS) * DAY_MS

/** Two young accounts still in onboarding and an older one. */
const ACCOUNTS = [
  { id: 'globex', name: 'Globex', days: 20 },
  { id: 'hooli', name: 'Hooli', days: 25 },
  { id: 'northwind', name: 'Northwind Traders', days: 200 },
] as const

const MEMBERS = { editor: 'editor@example.com', viewer: 'viewer@example.com' } as const

let store: Store
let api: ReturnType<typeof createApp>
let browser: Browser
let url = ''
let closeServer: () => Promise<void>
/** The draft the editor wrote and published (CE11), opened again by CE12. */
let draftId = ''

/** Responses read as plain JSON. */
type Json = any

async function secret(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await api.request(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${SECRET_KEY}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : null }
}

beforeAll(async () => {
  store = await createPgliteStore({ dataDir: 'memory://' })
  await store.createWorkspace({
    id: WORKSPACE,
    name: 'Content E2E',
    writeKey: `pk_content_${Math.random().toString(36).slice(2)}`,
    secretKey: SECRET_KEY,
    identitySecret: null,
  })
  api = createApp({ store, log: () => {}, consoleWorkspace: WORKSPACE })
  const site = createServer({ app: api, sdkDir: 'dist/sdk', consoleDir: 'dist/console', demoDir: '', demoWriteKey: '' })
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: site.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  const address = server.address()
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  closeServer = () => new Promise<void>((resolve) => server.close(() => resolve()))

  const passwordHash = await hashPassword(PASSWORD)
  for (const role of ['editor', 'viewer'] as const)
    await store.members.create(WORKSPACE, { id: `m_${role}`, email: MEMBERS[role], role, passwordHash, at: Date.now() })

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
  for (const batch of inBatches(events, 500)) {
    const { status, body } = await secret('POST', '/v1/batch', { batch })
    if (status !== 200 || body.rejected.length > 0) throw new Error(`import: ${status} ${JSON.stringify(body)}`)
  }
  const evaluator = createEvaluator({ store, clock: Date.now, configFor: async () => defaultConfig, log: () => {} })
  await evaluator.sweep(WORKSPACE)
  browser = await launchChromium()
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await closeServer?.()
  await store?.close()
})

async function open(locale = 'en-US') {
  const ctx = await browser.newContext({ locale, bypassCSP: true, viewport: { width: 1280, height: 900 } })
  const page = await ctx.newPage()
  page.setDefaultTimeout(15_000)
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(String(e)))
  // Publishing, rolling back and deleting ask first: the editor says yes.
  page.on('dialog', (d) => void d.accept())
  return { ctx, page, errors }
}

async function signIn(page: Page, email: string, lang: 'en' | 'pt-BR' = 'en'): Promise<void> {
  const en = lang === 'en'
  await page.goto(`${url}/console/sign-in`)
  await page.getByLabel(en ? 'Email' : 'E-mail').pressSequentially(email)
  await page.getByLabel(en ? 'Password' : 'Senha').pressSequentially(PASSWORD)
  await page.getByRole('button', { name: en ? 'Sign in' : 'Entrar' }).click()
  await page.getByRole('navigation', { name: en ? 'Main' : 'Principal' }).waitFor()
}

async function axe(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE })
  return page.evaluate(async () => {
    const r = await (window as any).axe.run(document, { resultTypes: ['violations'] })
    return r.violations.map((v: any) => `${v.id}: ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`)
  })
}

async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"], .loading'), undefined, {
    timeout: 15_000,
  })
  await page.waitForLoadState('networkidle')
}

describe('the Content pages in Chromium', () => {
  it('CE11 an editor writes a checklist draft, sees the dry run, publishes; a viewer cannot', async () => {
    const { ctx, page, errors } = await open()
    await signIn(page, MEMBERS.editor)
    await page.goto(`${url}/console/content`)
    await page.getByRole('link', { name: 'New draft from the published config' }).click()
    await page.getByRole('heading', { name: 'New draft', level: 1 }).waitFor()

    // The checklist form: a title and a call to action for the setup item.
    await page.getByLabel('Title: Setup').fill('Connect your data')
    await page.getByLabel('Call to action: URL or path: Setup').fill('/settings/data')
    await page.getByLabel('Message', { exact: true }).fill('shorter onboarding')
    await page.getByRole('button', { name: 'Save the draft' }).click()
    await page.waitForURL(/\?rev=rev_/)
    draftId = new URL(page.url()).searchParams.get('rev')!
    const stored = await secret('GET', `/v1/config/revisions/${draftId}`)
    expect(stored.body).toMatchObject({
      status: 'draft',
      author: MEMBERS.editor,
      message: 'shorter onboarding',
      config: {
        experiences: {
          checklist: { titles: { setup: 'Connect your data' }, cta: { setup: { url: '/settings/data' } } },
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
    await text.fill(JSON.stringify({ ...doc, phases: { onboardingDays: 5 }, renewalWindowDays: -1 }, null, 2))
    await page.getByRole('button', { name: 'Save the draft' }).click()
    const issue = page.locator('#main ul.field-error li', { hasText: 'renewalWindowDays' })
    await issue.waitFor()
    expect(await issue.textContent()).toContain('line 17')
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
    const list = (await secret('GET', '/v1/config/revisions')).body as Json[]
    expect(list.find((r) => r.id === draftId)?.status).toBe('published')
    expect((await secret('GET', '/v1/config')).body.phases.onboardingDays).toBe(5)
    expect(errors).toEqual([])
    await ctx.close()

    // A viewer reads the list and the revision; nothing to change is offered, and the API refuses.
    const v = await open()
    await signIn(v.page, MEMBERS.viewer)
    await v.page.goto(`${url}/console/content`)
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
    const draft = await secret('POST', '/v1/config/drafts', {
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
    const views: { name: string; path: string; open?: RegExp }[] = [
      { name: 'list', path: '/console/content' },
      { name: 'published', path: `/console/content?rev=${draftId}` },
      { name: 'checklist', path: `/console/content?rev=${draft.body.id}` },
      {
        name: 'guides',
        path: `/console/content?rev=${draft.body.id}&tab=guides`,
        open: /(Preview of step|Pré-visualização do passo) 2/,
      },
      { name: 'attention', path: `/console/content?rev=${draft.body.id}&tab=attention` },
      { name: 'advocacy', path: `/console/content?rev=${draft.body.id}&tab=advocacy` },
      { name: 'json', path: `/console/content?rev=${draft.body.id}&tab=json` },
    ]
    const found: Record<string, string[]> = {}
    for (const [locale, lang] of [
      ['en-US', 'en'],
      ['pt-BR', 'pt-BR'],
    ] as const) {
      const { ctx, page, errors } = await open(locale)
      await signIn(page, MEMBERS.editor, lang)
      for (const view of views) {
        await page.goto(url + view.path)
        await page.getByRole('heading', { level: 1 }).waitFor()
        await settled(page)
        if (view.open) await page.getByText(view.open).click()
        await page.screenshot({ path: screenshotPath(`console-content-${view.name}-${lang}`), fullPage: true })
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
    const newer = await secret('POST', '/v1/config/drafts', { config: { renewalWindowDays: 60 }, message: 'newer' })
    expect((await secret('POST', `/v1/config/revisions/${newer.body.id}/publish`)).status).toBe(200)
    const scrap = await secret('POST', '/v1/config/drafts', { config: {}, message: 'scrap' })
    const { ctx, page, errors } = await open()
    await signIn(page, MEMBERS.editor)
    await page.goto(`${url}/console/content?rev=${draftId}`)
    await page.getByRole('button', { name: 'Publish again (roll back)' }).click()
    await page.getByText('Published: this revision is in force.').waitFor()
    const list = (await secret('GET', '/v1/config/revisions')).body as Json[]
    expect(list.find((r) => r.id === draftId)?.status).toBe('published')
    expect(list.find((r) => r.id === newer.body.id)?.status).toBe('superseded')

    await page.goto(`${url}/console/content?rev=${scrap.body.id}`)
    await page.getByRole('button', { name: 'Delete the draft' }).click()
    await page.getByRole('heading', { name: 'Content', level: 1 }).waitFor()
    await page.getByRole('link', { name: 'newer' }).waitFor()
    expect(await page.getByRole('link', { name: 'scrap' }).count()).toBe(0)
    expect((await secret('GET', `/v1/config/revisions/${scrap.body.id}`)).status).toBe(404)
    const audit = (await secret('GET', '/v1/audit?limit=20')).body.items as Json[]
    const actions = audit.filter((a) => a.actor.email === MEMBERS.editor).map((a) => a.action)
    expect(actions).toEqual(expect.arrayContaining(['config.rollback', 'config.draft.delete', 'config.publish']))
    expect(errors).toEqual([])
    await ctx.close()
  }, 240_000)
})
