/**
 * What the console's Chromium tests share: the product on a random port with the built console
 * (PGlite in memory, one workspace whose members sign in), members made in the store, signing in
 * through the sign-in page as a person does, axe-core, and waiting for a page to settle.
 */
import { readFileSync } from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { createApp } from '../../server/app'
import { createEvaluator } from '../../server/evaluator'
import { hashPassword } from '../../server/http/passwords'
import { defaultConfig } from '../../server/journey'
import { createServer } from '../../server/serve'
import { createPgliteStore } from '../../server/store'
import type { Role, Store } from '../../server/store/types'
import { importEvents } from '../support/stage-history'
import type { Wire } from '../support/stage-history'
import { listen } from './harness'

/** Every member's password. */
export const PASSWORD = 'correct horse battery'

const AXE = readFileSync('node_modules/axe-core/axe.min.js', 'utf8')

/** Responses read as plain JSON. */
type Json = any

export interface ConsoleSite {
  /** The API, the SDK's files and the console (`/console/`), on one origin. */
  url: string
  store: Store
  api: ReturnType<typeof createApp>
  workspaceId: string
  writeKey: string
  secretKey: string
  /** The API through app.request with the secret key (what the pages show is compared with it). */
  secret(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }>
  /** Members made directly in the store, id `m_<role>`, each signing in with PASSWORD. */
  addMembers(members: Partial<Record<Role, string>>): Promise<void>
  /** Imports the events with the secret key, as a CRM import would, then evaluates as the timer's sweep does. */
  importAndSweep(events: Wire[]): Promise<void>
  /** Signs in through the sign-in page, typing, and waits for the console's navigation. */
  signIn(page: Page, email: string, lang?: 'en' | 'pt-BR'): Promise<void>
  close(): Promise<void>
}

/** The product with the console for one workspace; `allowedOrigins`: the origins its write key may be used from. */
export async function startConsoleSite(opts: {
  workspaceId: string
  name: string
  allowedOrigins?: string[]
}): Promise<ConsoleSite> {
  const { workspaceId } = opts
  const random = () => Math.random().toString(36).slice(2)
  const writeKey = `pk_${workspaceId}_${random()}`
  const secretKey = `sk_${workspaceId}_${random()}`
  const store = await createPgliteStore({ dataDir: 'memory://' })
  await store.createWorkspace({
    id: workspaceId,
    name: opts.name,
    writeKey,
    secretKey,
    identitySecret: null,
    ...(opts.allowedOrigins && { allowedOrigins: opts.allowedOrigins }),
  })
  const api = createApp({ store, log: () => {}, consoleWorkspace: workspaceId })
  const site = createServer({ app: api, sdkDir: 'dist/sdk', consoleDir: 'dist/console', demoDir: '', demoWriteKey: '' })
  const server = await listen(site.fetch)
  const url = server.url

  const secret: ConsoleSite['secret'] = async (method, path, body) => {
    const res = await api.request(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${secretKey}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : null }
  }

  return {
    url,
    store,
    api,
    workspaceId,
    writeKey,
    secretKey,
    secret,
    async addMembers(members) {
      const passwordHash = await hashPassword(PASSWORD)
      for (const [role, email] of Object.entries(members) as [Role, string][])
        await store.members.create(workspaceId, { id: `m_${role}`, email, role, passwordHash, at: Date.now() })
    },
    async importAndSweep(events) {
      await importEvents(api, url, secretKey, events)
      const evaluator = createEvaluator({ store, clock: Date.now, configFor: async () => defaultConfig, log: () => {} })
      await evaluator.sweep(workspaceId)
    },
    async signIn(page, email, lang = 'en') {
      const en = lang === 'en'
      await page.goto(`${url}/console/sign-in`)
      await page.getByLabel(en ? 'Email' : 'E-mail').pressSequentially(email)
      await page.getByLabel(en ? 'Password' : 'Senha').pressSequentially(PASSWORD)
      await page.getByRole('button', { name: en ? 'Sign in' : 'Entrar' }).click()
      await page.getByRole('navigation', { name: en ? 'Main' : 'Principal' }).waitFor()
    },
    async close() {
      await server.close()
      await store.close()
    },
  }
}

/** A fresh context (own cookies and storage) in `locale`, CSP bypassed so that axe-core can be injected. */
export async function openConsolePage(
  browser: Browser,
  locale = 'en-US',
): Promise<{ ctx: BrowserContext; page: Page; errors: string[] }> {
  const ctx = await browser.newContext({ locale, bypassCSP: true, viewport: { width: 1280, height: 900 } })
  const page = await ctx.newPage()
  page.setDefaultTimeout(15_000)
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(String(e)))
  return { ctx, page, errors }
}

/** axe-core's violations on the whole page, as `rule: targets` lines. */
export async function axe(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE })
  return page.evaluate(async () => {
    const r = await (window as any).axe.run(document, { resultTypes: ['violations'] })
    return r.violations.map((v: any) => `${v.id}: ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`)
  })
}

/** Waits until the page has no "Loading…" left (every section answered, or failed visibly). */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"], .loading'), undefined, {
    timeout: 15_000,
  })
  await page.waitForLoadState('networkidle')
}
