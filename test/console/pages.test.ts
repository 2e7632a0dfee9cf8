/**
 * The console's pages rendered whole (the shell, the router, the lazy page) in happy-dom over a fake
 * API: sign-in, the accounts list and its URL, an account as a viewer and as a CSM, the language
 * switch. What only a real browser shows (layout, focus rings, axe) is for the Chromium tests.
 */
import { h, render } from 'preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApi } from '../../console/api'
import { App } from '../../console/app'
import { setLocale } from '../../console/i18n'
import { createSession } from '../../console/session'
import { ValueView } from '../../console/pages/value/page'
import type { Role } from '../../console/types'
import * as fx from './fixtures'

let root: HTMLElement | null = null

afterEach(() => {
  if (root) render(null, root)
  root?.remove()
  root = null
  setLocale('en')
})

/** The whole console at `url`, signed in as `role` (null: signed out), over `routes`. */
async function open(url: string, role: Role | null, routes: Parameters<typeof fx.fakeFetch>[0] = {}) {
  history.replaceState(null, '', url)
  const f = fx.fakeFetch({
    'GET /v1/session': () => (role ? fx.session(role) : fx.apiError(401, 'unauthorized', 'no session')),
    ...routes,
  })
  const services = { api: createApi({ fetch: f.fetch, onUnauthorized: () => session.ended() }), session: null as never }
  const session = createSession(services.api)
  services.session = session as never
  root = document.createElement('div')
  document.body.append(root)
  render(h(App, { services }), root)
  await session.restore()
  return { calls: f.calls, root, session }
}

const heading = () => document.querySelector('h1')?.textContent ?? ''
/** A table row's cells' texts, its header first. */
const cells = (tr: Element) => [...tr.children].map((c) => c.textContent)
const until = (check: () => void) => vi.waitFor(check, { timeout: 3000, interval: 10 })
const click = (el: Element | null | undefined) => (el as HTMLElement).click()
/** Types into a field, then lets Preact render (a person never clicks within the same task as typing). */
const type = async (input: Element | null | undefined, value: string) => {
  const el = input as HTMLInputElement
  el.value = value
  el.dispatchEvent(new Event('input', { bubbles: true }))
  await new Promise((r) => setTimeout(r, 0))
}

const accountRoutes = {
  'GET /v1/accounts/acme/journey': fx.journey(),
  'GET /v1/accounts/acme/health-history': fx.healthHistory(),
  'GET /v1/accounts/acme/activity': fx.activity(),
  'GET /v1/accounts/acme/override': fx.overrideNone(),
  'GET /v1/accounts/acme/qbr': fx.qbr(),
  'GET /v1/accounts': fx.acmeListed(),
}

describe('the console, page by page', () => {
  it('CP01 signed out, a page sends to sign-in with next; signing in goes back there', async () => {
    const { calls } = await open('/console/accounts?band=red', null, {
      'POST /v1/session': () => fx.session('viewer'),
      'GET /v1/accounts': fx.accountsPage(0, 3, null, 3),
    })
    await until(() => expect(heading()).toBe('Sign in'))
    expect(location.pathname + location.search).toBe('/console/sign-in?next=%2Fconsole%2Faccounts%3Fband%3Dred')
    await type(document.querySelector('input[type="email"]'), 'ana@example.com')
    await type(document.querySelector('input[type="password"]'), 'a long passphrase')
    click(document.querySelector('form button[type="submit"]'))
    await until(() => expect(heading()).toBe('Accounts'))
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      email: 'ana@example.com',
      password: 'a long passphrase',
    })
    expect(location.search).toBe('?band=red')
  })

  it('CP02 a wrong password is said at the form, and nobody is sent anywhere', async () => {
    await open('/console/sign-in', null, {
      'POST /v1/session': () => fx.apiError(401, 'invalid_credentials', 'wrong email or password'),
    })
    await until(() => expect(heading()).toBe('Sign in'))
    await type(document.querySelector('input[type="email"]'), 'ana@example.com')
    await type(document.querySelector('input[type="password"]'), 'nope nope nope')
    click(document.querySelector('form button[type="submit"]'))
    await until(() => expect(document.querySelector('[role="alert"]')?.textContent).toBe('Wrong email or password.'))
    expect(location.pathname).toBe('/console/sign-in')
  })

  it('CP03 accounts: the URL’s filters reach the API; headers sort and say so (aria-sort)', async () => {
    const { calls } = await open('/console/accounts?phase=onboarding&sort=health', 'viewer', {
      'GET /v1/accounts': fx.accountsPage(0, 3, 'c2', 3),
    })
    await until(() => expect(document.querySelectorAll('tbody tr')).toHaveLength(3))
    expect(Object.fromEntries(calls.at(-1)!.query)).toEqual({ phase: 'onboarding', sort: 'health', limit: '50' })
    const headers = [...document.querySelectorAll('thead th')]
    expect(headers.every((th) => th.getAttribute('scope') === 'col')).toBe(true)
    expect(document.querySelectorAll('tbody th[scope="row"] a[href="/console/accounts/acct-0"]')).toHaveLength(1)
    const health = headers.find((th) => th.textContent?.startsWith('Health'))!
    expect(health.getAttribute('aria-sort')).toBe('ascending')
    click(health.querySelector('button'))
    await until(() => expect(location.search).toBe('?phase=onboarding&sort=health&order=desc'))
    expect(document.querySelector('a[download]')?.getAttribute('href')).toBe(
      '/v1/accounts?phase=onboarding&sort=health&order=desc&format=csv',
    )
  })

  it('CP04 an account as a viewer: every part with its reason, and no override form offered', async () => {
    await open('/console/accounts/acme', 'viewer', accountRoutes)
    await until(() => expect(document.querySelector('#phase')).not.toBeNull())
    expect(heading()).toContain('Acme Corp')
    for (const id of ['phase', 'health', 'changed', 'milestones', 'red-flags', 'adoption', 'nps', 'renewal', 'moments'])
      expect(document.getElementById(id), id).not.toBeNull()
    expect(document.querySelectorAll('.reason').length).toBeGreaterThan(5)
    expect(document.querySelector('#override-form-h')).toBeNull()
    const qbr = document.querySelector('a[href^="/v1/accounts/acme/qbr"]')
    expect(qbr?.getAttribute('href')).toBe('/v1/accounts/acme/qbr?format=html')
    expect([...document.querySelectorAll('nav[aria-label="Main"] a')].map((a) => a.textContent)).not.toContain(
      'Settings',
    )
  })

  it('CP05 an account as a CSM: the override form, its refusal shown at the field that caused it', async () => {
    const { calls } = await open('/console/accounts/acme', 'csm', {
      ...accountRoutes,
      'PUT /v1/accounts/acme/override': () =>
        fx.apiError(400, 'invalid_body', 'invalid body', [{ path: 'reason', message: 'a reason is required' }]),
    })
    await until(() => expect(document.querySelector('#override-form-h')).not.toBeNull())
    const form = document.querySelector('#override-form-h')!.closest('form')!
    await type(form.querySelector('input[name="reason"]'), 'x')
    click(form.querySelector('button[type="submit"]'))
    await until(() => expect(form.querySelector('.field-error')?.textContent).toBe('a reason is required'))
    const reason = form.querySelector('input[name="reason"]')!
    expect(reason.getAttribute('aria-invalid')).toBe('true')
    expect(reason.getAttribute('aria-describedby')).toBe(form.querySelector('.field-error')!.id)
    expect(calls.find((c) => c.method === 'PUT')?.headers['x-csrf-token']).toBe('csrf-1')
  })

  it('CP06 as of a day: the URL holds it and the journey is asked for that day', async () => {
    const { calls } = await open('/console/accounts/acme?at=2026-01-20', 'csm', accountRoutes)
    await until(() => expect(document.querySelector('#phase')).not.toBeNull())
    expect(calls.some((c) => c.url === '/v1/accounts/acme/journey?at=2026-01-20')).toBe(true)
    expect((document.querySelector('#as-of') as HTMLInputElement).value).toBe('2026-01-20')
    // The past is read, not changed: no override form on a day in the past.
    expect(document.querySelector('#override-form-h')).toBeNull()
  })

  it('CP07 the language switch renders the page again in Brazilian Portuguese', async () => {
    await open('/console', 'admin', { 'GET /v1/overview': fx.overview() })
    await until(() => expect(heading()).toBe('Overview'))
    const select = document.querySelector('.language select') as HTMLSelectElement
    select.value = 'pt-BR'
    select.dispatchEvent(new Event('change', { bubbles: true }))
    await until(() => expect(heading()).toBe('Visão geral'))
    expect(document.documentElement.lang).toBe('pt-BR')
    expect([...document.querySelectorAll('nav[aria-label="Principal"] a')].map((a) => a.textContent)).toContain(
      'Configurações',
    )
  })

  it('CP08 a 401 in the middle of work ends the session and shows sign-in', async () => {
    const { session } = await open('/console', 'viewer', {
      'GET /v1/overview': () => fx.apiError(401, 'unauthorized', 'session ended'),
    })
    await until(() => expect(heading()).toBe('Sign in'))
    expect(session.status.value).toBe('signed-out')
    expect(location.search).toBe('?next=%2Fconsole')
  })

  // An older server answers the listing without `total` and without the newer fields.
  it('CP09 accounts from a server without total: the count of the one page, never a dash', async () => {
    const page = fx.accountsPage(0, 3, null, 3) as Record<string, unknown>
    delete page.total
    await open('/console/accounts', 'viewer', { 'GET /v1/accounts': () => fx.json(page) })
    await until(() => expect(document.querySelectorAll('tbody tr')).toHaveLength(3))
    expect(document.querySelector('[role="status"]')?.textContent).toBe('3 accounts')
    const more = { ...page, nextCursor: 'c2' }
    render(null, root!)
    root!.remove()
    await open('/console/accounts', 'viewer', { 'GET /v1/accounts': () => fx.json(more) })
    await until(() => expect(document.querySelectorAll('tbody tr')).toHaveLength(3))
    expect(document.querySelector('[role="status"]')?.textContent).toBe('')
  })

  it('CP10 a table wider than the page scrolls in a named region the keyboard reaches', async () => {
    await open('/console/accounts', 'viewer', { 'GET /v1/accounts': fx.accountsPage(0, 3, null, 3) })
    await until(() => expect(document.querySelectorAll('tbody tr')).toHaveLength(3))
    const wrap = document.querySelector('.table-wrap')!
    // A <section> with a name is a region.
    expect([wrap.tagName, wrap.getAttribute('aria-label'), wrap.getAttribute('tabindex')]).toEqual([
      'SECTION',
      'Accounts',
      '0',
    ])
  })

  it('CP11 an account on a server without health history nor activity: each part says so, in place', async () => {
    setLocale('pt-BR')
    await open('/console/accounts/acme', 'viewer', {
      ...accountRoutes,
      'GET /v1/accounts/acme/health-history': () => fx.apiError(404, 'not_found', 'no route'),
      'GET /v1/accounts/acme/activity': () => fx.apiError(404, 'not_found', 'no route'),
    })
    await until(() => expect(document.querySelectorAll('[role="alert"]')).toHaveLength(2))
    const alerts = [...document.querySelectorAll('[role="alert"]')]
    for (const a of alerts)
      expect(a.querySelector('p')?.textContent).toBe('Esta parte não está disponível neste servidor.')
    expect(alerts[1]!.closest('section')?.id).toBe('users')
    expect(document.querySelector('#milestones')).not.toBeNull()
  })

  it('CP12 a value statement with nothing to report says so under its heading', async () => {
    const data = { ...fx.value(), text: '' }
    root = document.createElement('div')
    document.body.append(root)
    render(h(ValueView, { data }), root)
    const heading = [...root.querySelectorAll('h2')].find((e) => e.textContent === 'Statement')!
    expect(heading.nextElementSibling?.textContent).toBe('Nothing to report for this period yet.')
  })

  it('CP13 results: the URL’s view reaches both routes; every part drawn from the answers', async () => {
    const { calls } = await open('/console/results?from=2026-03-01&to=2026-03-31&segment=smb', 'viewer', {
      'GET /v1/results/experiences': fx.experienceResults(),
      'GET /v1/results/nps': fx.npsResults(),
    })
    await until(() => expect(document.querySelectorAll('figure.chart')).toHaveLength(3))
    expect(heading()).toBe('Results')
    const range = { from: '2026-03-01T00:00:00.000Z', to: '2026-03-31', segment: 'smb' }
    expect(calls.filter((c) => c.path.startsWith('/v1/results/')).map((c) => Object.fromEntries(c.query))).toEqual([
      range,
      range,
    ])
    const nav = [...document.querySelectorAll('nav[aria-label="Main"] a')].map((a) => a.textContent)
    expect(nav.slice(nav.indexOf('Content'), nav.indexOf('Content') + 2)).toEqual(['Content', 'Results'])
    // The experiences' table: one row per experience, dismissals by reason.
    const table = document.querySelector('section[aria-label="Experiences"] table')!
    const guide = [...table.querySelectorAll('tbody tr')].find(
      (tr) => tr.firstElementChild?.textContent === 'guide:tour',
    )!
    expect(cells(guide)).toEqual(['guide:tour', 'Guide', '12', '4', '3 (closed: 2, target missing: 1)', '8', '3'])
    // The guide's funnel and the checklist's items, each with its table.
    const funnel = document.querySelector('section[aria-label="Guide “tour”"] figure')!
    expect([...funnel.querySelectorAll('tbody tr')].map(cells)).toEqual([
      ['Step 1', '11', '3', '0'],
      ['Step 2', '7', '1', '2'],
    ])
    const checklist = [...document.querySelectorAll('figure.chart')].find((f) =>
      f.querySelector('figcaption')?.textContent?.startsWith('Items done, of the 5 accounts'),
    )!
    expect(checklist.querySelector('figcaption span')?.textContent).toContain('Setup: 2 of 5 (40%)')
    // The NPS: its line, the week table, the answers newest first with their comments.
    const weeks = document.querySelector('section[aria-label="NPS by week"] table')!
    expect(cells([...weeks.querySelectorAll('tbody tr')][3]!)).toEqual(['Mar 16, 2026', '33', '3', '2', '0', '1'])
    const answers = [...document.querySelectorAll('section[aria-label="Answers, newest first"] tbody tr')]
    expect(answers.map((tr) => tr.lastElementChild?.textContent)).toEqual([
      'Exports are fast now',
      'no comment',
      'Too many clicks to invite',
      'no comment',
      'Slow reports',
      'Great onboarding',
    ])
    expect(document.querySelector('[role="status"]')?.textContent).toBe('6 of 6 answers, newest first.')
    const csv = [...document.querySelectorAll('a[download]')].map((a) => a.getAttribute('href'))
    expect(csv).toEqual([
      '/v1/results/experiences?from=2026-03-01T00%3A00%3A00.000Z&to=2026-03-31&segment=smb&format=csv',
      '/v1/results/nps?from=2026-03-01T00%3A00%3A00.000Z&to=2026-03-31&segment=smb&format=csv',
    ])
  })

  it('CP14 results: a filter changes the URL; empty answers say so; a refused day is said at its field', async () => {
    const refused = () =>
      fx.apiError(400, 'invalid_query', 'to is in the future', [{ path: 'to', message: 'must not be after today' }])
    await open('/console/results', 'viewer', {
      'GET /v1/results/experiences': (c: fx.Call) =>
        c.query.get('to') === '2099-01-01' ? refused() : fx.noExperienceResults(),
      'GET /v1/results/nps': (c: fx.Call) =>
        c.query.get('to') === '2099-01-01' ? refused() : { ...fx.npsResults(), answers: [], totalAnswers: 0 },
    })
    await until(() => expect(document.body.textContent).toContain('No NPS answer in this period.'))
    for (const text of [
      'No experience was shown in this period.',
      'No guide was shown in this period.',
      'The checklist was not shown in this period.',
      'No program was accepted in this period.',
    ])
      expect(document.body.textContent).toContain(text)
    const phase = [...document.querySelectorAll('select')].find((s) => s.labels?.[0]?.textContent === 'Phase')!
    phase.value = 'adoption'
    phase.dispatchEvent(new Event('change', { bubbles: true }))
    await until(() => expect(location.search).toBe('?phase=adoption'))

    history.replaceState(null, '', '/console/results?to=2099-01-01')
    render(null, root!)
    root!.remove()
    await open('/console/results?to=2099-01-01', 'viewer', {
      'GET /v1/results/experiences': refused,
      'GET /v1/results/nps': refused,
    })
    await until(() => expect(document.querySelector('.field-error')?.textContent).toBe('must not be after today'))
    const to = document.querySelector('input[name="to"]')!
    expect(to.getAttribute('aria-invalid')).toBe('true')
    expect(document.querySelectorAll('[role="alert"] button')).toHaveLength(2)
  })

  /** The results page of the fixtures, its checklist's figure and the rows of its programs table. */
  async function openResults() {
    await open('/console/results?from=2026-03-01&to=2026-03-31', 'viewer', {
      'GET /v1/results/experiences': fx.experienceResults(),
      'GET /v1/results/nps': fx.npsResults(),
    })
    await until(() => expect(document.querySelectorAll('figure.chart')).toHaveLength(3))
    const checklist = [...document.querySelectorAll('figure.chart')].find((f) => f.querySelector('svg text.note'))!
    return {
      checklist,
      items: [...checklist.querySelectorAll('tbody tr')].map(cells),
      head: [...checklist.querySelectorAll('thead th')].map((th) => th.textContent),
      alerts: [...checklist.querySelectorAll('svg text.alert')].map((t) => t.textContent),
    }
  }
  const items = () => fx.experienceResults().experiences.find((x) => x.kind === 'checklist')!.items!

  it('CP15 results: each checklist item’s median day against its window, late flagged; programs', async () => {
    const { checklist, items: rows, head, alerts } = await openResults()
    expect(head).toEqual(['Item', 'Accounts done', 'Share', 'When done'])
    expect(rows.map((r) => r[3])).toEqual([
      'median day 0 (window day 0)',
      'median day 2 (window 1–3)',
      'median day 9 (window 3–7): late',
      'median day 14 (window 7–14)',
      'not done yet (window 14–21)',
      'not done yet (window day 30)',
    ])
    // Flagged in red in the picture: the items whose median is after their window's last day.
    const list = items()
    const late = list.filter((i) => i.medianDay !== null && i.medianDay > i.window[1])
    expect(alerts).toEqual(late.map((i) => rows[list.indexOf(i)]![3]))
    expect(alerts).toHaveLength(1)
    expect(checklist.querySelector('figcaption span')?.textContent).toContain(
      'Setup: 2 of 5 (40%), median day 9 (window 3–7): late; First value: 1 of 5 (20%), median day 14',
    )
    expect(document.body.textContent).toContain('Median day: at least half the accounts that did the item')
    // The programs: one row per program and the experience that offered it.
    const programs = document.querySelector('section[aria-label="Advocacy programs"] table')!
    expect([...programs.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual([
      'Program',
      'Experience',
      'Kind',
      'Accepted',
      'Users',
      'Accounts',
    ])
    const expected = fx
      .experienceResults()
      .experiences.flatMap((x) =>
        (x.programs ?? []).map((p) => [x.id, p.id, String(p.accepted), String(p.users), String(p.accounts)]),
      )
    const rowsOf = [...programs.querySelectorAll('tbody tr')].map(cells)
    expect(rowsOf.map((r) => [r[1], r[0], r[3], r[4], r[5]])).toEqual(
      expected.map(([x, p, ...n]) => [
        x,
        { case_study: 'Case study', referral: 'Referral', review: 'Review' }[p!],
        ...n,
      ]),
    )
    expect(rowsOf.map((r) => r[2])).toEqual(['Advocacy ask', 'Advocacy ask', 'NPS survey'])
  })

  it('CP16 results in Portuguese: the median days, the windows, the late flag and the programs table', async () => {
    setLocale('pt-BR')
    const { items: rows, head, alerts } = await openResults()
    expect(head).toEqual(['Item', 'Contas que concluíram', 'Parcela', 'Quando'])
    expect(rows.map((r) => r[3])).toEqual([
      'dia mediano 0 (janela no dia 0)',
      'dia mediano 2 (janela 1–3)',
      'dia mediano 9 (janela 3–7): atrasado',
      'dia mediano 14 (janela 7–14)',
      'ainda não concluído (janela 14–21)',
      'ainda não concluído (janela no dia 30)',
    ])
    expect(alerts).toEqual(['dia mediano 9 (janela 3–7): atrasado'])
    const programs = document.querySelector('section[aria-label="Programas de advocacy"] table')!
    expect([...programs.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual([
      'Programa',
      'Experiência',
      'Tipo',
      'Aceitos',
      'Usuários',
      'Contas',
    ])
    expect([...programs.querySelectorAll('tbody th')].map((th) => th.textContent)).toEqual([
      'Estudo de caso',
      'Indicação',
      'Avaliação',
    ])
  })
})
