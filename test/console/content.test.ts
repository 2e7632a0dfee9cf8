/**
 * Content (console.md, "Content: drafts, dry runs, publishing, results"): the document's helpers
 * (paths, form inputs, the JSON text's lines and syntax errors, missing translations), the model
 * against a fake API whose answers the server's schemas parse, and the page for an editor and a
 * viewer.
 */
import { h, render } from 'preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApi } from '../../console/api'
import type { ApiError } from '../../console/api'
import { App } from '../../console/app'
import { setLocale } from '../../console/i18n'
import {
  docIssues,
  fromInput,
  getAt,
  lineOf,
  localeGaps,
  messageAt,
  parseJsonText,
  setAt,
  toInput,
} from '../../console/pages/content/config-doc'
import { selectorsFromInput } from '../../console/pages/content/forms/guides'
import { builderUrl, createContentModel } from '../../console/pages/content/model'
import { createSession } from '../../console/session'
import type { Role } from '../../console/types'
import { defaultConfig } from '../../server/journey'
import { BuilderTokenSchema } from '../../server/schemas/builder-responses'
import {
  ConfigDiffSchema,
  ConfigRevisionListSchema,
  ConfigRevisionWithConfigSchema,
  DryRunSchema,
  journeyConfigSchema,
} from '../../server/schemas/config-responses'
import * as fx from './fixtures'
import { config } from '../journey/builders'
import { mount } from '../../sdk/ui/mount'
import { previewExperiences } from '../../server/journey/preview'
import { localeOf } from '../../server/journey/value'
import type { Segment } from '../../server/journey/vocabulary'
import { ExperienceResponseSchema } from '../../server/schemas/responses'

const T0 = '2026-11-20T10:00:00.000Z'
const published = { experiences: { budget: { perDay: 2 } } }
const rev = (id: string, status: 'draft' | 'published' | 'superseded', config: unknown, message = '') =>
  fx.valid(ConfigRevisionWithConfigSchema, {
    id,
    createdAt: T0,
    author: 'ed@example.com',
    message,
    status,
    publishedAt: status === 'draft' ? null : T0,
    config,
  })
const list = () =>
  fx.valid(
    ConfigRevisionListSchema,
    [rev('rev_2', 'draft', {}, 'longer onboarding'), rev('rev_1', 'published', published, 'first')].map(
      ({ config: _, ...r }) => r,
    ),
  )
const dryRun = (complete = true) =>
  fx.valid(DryRunSchema, {
    draft: 'rev_2',
    at: T0,
    complete,
    examined: complete ? 3 : 1,
    total: 3,
    budgetMs: 10000,
    changed: { accounts: 1, phase: 1, band: 0, redFlags: 0, milestones: 0 },
    accounts: [{ accountId: 'acme', phase: { before: 'onboarding', after: 'adoption' } }],
    truncated: false,
    experiences: [{ id: 'checklist', kind: 'checklist', users: 4 }],
    usersSkipped: 0,
  })
const effective = () => fx.valid(journeyConfigSchema(), defaultConfig) as Record<string, unknown>

/** A draft body as the fake API receives it. */
const draftBody = (c: fx.Call) => c.body as { config: unknown; message: string }

const apiOf = (routes: Parameters<typeof fx.fakeFetch>[0]) => {
  const f = fx.fakeFetch(routes)
  const api = createApi({ fetch: f.fetch })
  api.setCsrfToken('csrf-1')
  return { api, calls: f.calls }
}

describe('the draft document', () => {
  it('CT01 setAt copies along the path, makes objects, and removing a field prunes empty parents', () => {
    const doc = { nps: { windowDays: 90 } }
    const next = setAt(doc, 'experiences.budget.perDay', 3)
    expect(next).toEqual({ nps: { windowDays: 90 }, experiences: { budget: { perDay: 3 } } })
    expect(doc).toEqual({ nps: { windowDays: 90 } })
    expect(next.nps).toBe(doc.nps)
    expect(setAt(next, 'experiences.budget.perDay', undefined)).toEqual({ nps: { windowDays: 90 } })
    expect(getAt({ a: [{ b: 1 }, { b: 2 }] }, 'a.1.b')).toBe(2)
    expect(setAt({ a: [1, 2] }, 'a.1', 5)).toEqual({ a: [1, 5] })
  })

  it('CT02 form ↔ document: numbers, texts, empty leaves the key out, non-numbers go to the server', () => {
    expect(fromInput('int', '7')).toBe(7)
    expect(fromInput('number', ' 2.5 ')).toBe(2.5)
    expect(fromInput('int', '')).toBeUndefined()
    expect(fromInput('int', 'seven')).toBe('seven')
    expect(fromInput('text', '')).toBeUndefined()
    expect(fromInput('text', ' Start ')).toBe(' Start ')
    for (const v of [3, 0, 'Hello', 1.25])
      expect(fromInput(typeof v === 'number' ? 'number' : 'text', toInput(v))).toBe(v)
    let doc = {}
    doc = setAt(doc, 'experiences.checklist.titles.setup', fromInput('text', 'Connect your data'))
    doc = setAt(doc, 'nps.survey.everyDays', fromInput('int', '60'))
    expect(parseJsonText(JSON.stringify(doc, null, 2))).toMatchObject({ ok: true, value: doc })
  })

  it('CT03 the JSON text: each path at its line; a syntax error at its line and column', () => {
    const text = '{\n  "nps": {\n    "windowDays": 90\n  },\n  "guides": [\n    { "id": "g1" }\n  ]\n}'
    const parsed = parseJsonText(text)
    if (!parsed.ok) throw new Error('expected JSON')
    expect(parsed.value).toEqual(JSON.parse(text))
    expect(parsed.lines.get('nps.windowDays')).toBe(3)
    expect(parsed.lines.get('guides.0.id')).toBe(6)
    expect(lineOf(parsed.lines, 'guides.0.steps')).toBe(6)
    expect(lineOf(parsed.lines, 'nope')).toBe(1)
    expect(parseJsonText('{\n  "a": 1,\n  "b": \n}')).toMatchObject({ ok: false, line: 4, column: 1 })
    expect(parseJsonText('{\n  "a": 1\n  "b": 2\n}')).toMatchObject({ ok: false, line: 3 })
    expect(parseJsonText('{ "a": "x\\u00e9" }')).toMatchObject({ ok: true, value: { a: 'xé' } })
    expect(parseJsonText('{} x')).toMatchObject({ ok: false, line: 1, column: 4 })
  })

  it('CT04 localization gaps: per-locale texts missing or blank in a locale, field × locale', () => {
    const doc = {
      value: { metrics: [{ id: 'conv', label: { en: 'conversion' }, better: 'higher' }] },
      experiences: {
        advocacy: { benefits: { review: { en: 'Get seen', 'pt-BR': ' ' }, referral: 'One text for all' } },
        checklist: { titles: { setup: 'Connect' } },
      },
      segments: { smb: { experiences: { advocacy: { benefits: { beta: { 'pt-BR': 'Acesso antecipado' } } } } } },
    }
    expect(localeGaps(doc)).toEqual([
      { path: 'value.metrics.0.label', missing: 'pt-BR' },
      { path: 'experiences.advocacy.benefits.review', missing: 'pt-BR' },
      { path: 'segments.smb.experiences.advocacy.benefits.beta', missing: 'en' },
    ])
    expect(localeGaps(defaultConfig)).toEqual([])
  })

  it('CT11 guide step selectors: one line is a selector, several a list, none leaves it out', () => {
    expect(selectorsFromInput('#reports')).toBe('#reports')
    expect(selectorsFromInput(' #reports \n\n.nav-reports ')).toEqual(['#reports', '.nav-reports'])
    expect(selectorsFromInput('  \n ')).toBeUndefined()
  })

  it('CT05 the server issues: config. prefix dropped, first message per field or under a group', () => {
    const issues = docIssues([
      { path: 'config.experiences.budget.perDay', message: 'too small' },
      { path: 'config', message: 'expected an object' },
      { path: 'message', message: 'too long' },
    ])
    expect(issues.map((i) => i.path)).toEqual(['experiences.budget.perDay', '', 'message'])
    expect(messageAt(issues, 'experiences.budget.perDay')).toBe('too small')
    expect(messageAt(issues, 'experiences.budget')).toBeUndefined()
    expect(messageAt(issues, 'experiences.budget', true)).toBe('too small')
  })
})

describe('the content model', () => {
  it('CT06 saves a new draft (POST), then changes it (PATCH); a 400 keeps its issues by field', async () => {
    let patches = 0
    const { api, calls } = apiOf({
      'GET /v1/config/revisions': list(),
      'GET /v1/config/revisions/rev_1': rev('rev_1', 'published', published),
      'POST /v1/config/drafts': (c: fx.Call) => rev('rev_3', 'draft', draftBody(c).config, draftBody(c).message),
      'PATCH /v1/config/drafts/rev_3': (c: fx.Call) =>
        ++patches === 1
          ? rev('rev_3', 'draft', draftBody(c).config, draftBody(c).message)
          : fx.apiError(400, 'invalid_config', 'the draft has 1 invalid field(s)', [
              { path: 'config.experiences.budget.perDay', message: 'Too small: expected number to be >=0' },
            ]),
    })
    const m = createContentModel(api)
    m.edit(null, await m.publishedDoc())
    expect(m.editing.value?.doc).toEqual(published)
    m.setField('experiences.checklist.titles.setup', 'Connect your data')
    m.setMessage('clearer setup')
    expect(m.dirty.value).toBe(true)
    expect((await m.save.run())?.id).toBe('rev_3')
    const post = calls.find((c) => c.method === 'POST')!
    expect(post.body).toEqual({
      config: { experiences: { budget: { perDay: 2 }, checklist: { titles: { setup: 'Connect your data' } } } },
      message: 'clearer setup',
    })
    expect(post.headers['x-csrf-token']).toBe('csrf-1')
    expect(m.dirty.value).toBe(false)
    m.setText(m.editing.value!.text.replace('"perDay": 2', '"perDay": 4'))
    await m.save.run()
    expect(calls.at(-2)?.method === 'PATCH' || calls.at(-1)?.method === 'PATCH').toBe(true)
    m.setField('experiences.budget.perDay', -1)
    expect(await m.save.run()).toBeUndefined()
    expect((m.save.error.value as ApiError).status).toBe(400)
    expect(m.issues.value).toEqual([
      { path: 'experiences.budget.perDay', message: 'Too small: expected number to be >=0' },
    ])
  })

  it('CT07 a text that is not JSON keeps the last document, says where, and is not sent', async () => {
    const { api, calls } = apiOf({})
    const m = createContentModel(api)
    m.edit('rev_2', { nps: { windowDays: 90 } })
    m.setText('{\n  "nps": {\n    "windowDays": 90,\n  }\n}')
    expect(m.syntax.value).toMatchObject({ line: 4 })
    expect(m.editing.value?.doc).toEqual({ nps: { windowDays: 90 } })
    expect(await m.save.run()).toBeUndefined()
    expect(calls).toEqual([])
    m.setText('[1]')
    expect(m.syntax.value?.message).toMatch(/object/)
  })

  it('CT08 diff, dry run, publish and delete call their routes; a partial dry run is kept as such', async () => {
    const { api, calls } = apiOf({
      'GET /v1/config/revisions': list(),
      'GET /v1/config': effective(),
      'GET /v1/config/revisions/rev_2/diff': fx.valid(ConfigDiffSchema, {
        id: 'rev_2',
        against: 'rev_1',
        changes: [{ path: 'experiences.budget.perDay', before: 2, after: 3 }],
      }),
      'POST /v1/config/drafts/rev_2/dry-run': dryRun(false),
      'POST /v1/config/revisions/rev_2/publish': rev('rev_2', 'published', {}),
      'DELETE /v1/config/drafts/rev_2': () => undefined,
    })
    const m = createContentModel(api)
    await m.diff.load('rev_2', 'rev_1')
    expect(calls[0]?.url).toBe('/v1/config/revisions/rev_2/diff?against=rev_1')
    expect(m.diff.data.value?.changes).toHaveLength(1)
    await m.runDryRun.run('rev_2')
    expect(m.dryRun.value).toMatchObject({ complete: false, examined: 1, total: 3 })
    await m.publish.run('rev_2')
    expect(m.revision.data.value?.status).toBe('published')
    await m.remove.run('rev_2')
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /v1/config/revisions/rev_2/diff',
      'POST /v1/config/drafts/rev_2/dry-run',
      'POST /v1/config/revisions/rev_2/publish',
      'GET /v1/config/revisions',
      'GET /v1/config',
      'DELETE /v1/config/drafts/rev_2',
      'GET /v1/config/revisions',
    ])
  })
})

describe('pick on my app', () => {
  it('CT13 the builder URL: the token in the fragment, encoded, any other fragment replaced; http(s) only', () => {
    expect(builderUrl('https://app.acme.com/reports', 'ws.a/b+c')).toBe(
      'https://app.acme.com/reports#jornada-builder=ws.a%2Fb%2Bc',
    )
    expect(builderUrl(' http://127.0.0.1:5173/app?x=1#/route ', 't')).toBe(
      'http://127.0.0.1:5173/app?x=1#jornada-builder=t',
    )
    for (const bad of ['', 'app.acme.com', 'javascript:alert(1)', 'ftp://acme.com/'])
      expect(builderUrl(bad, 't')).toBeNull()
  })

  it('CT14 a changed draft is saved first, the token names draft, guide and step, the draft reloads', async () => {
    const guide = {
      id: 'tour',
      steps: [
        { kind: 'modal', title: 'Hi', body: 'Welcome' },
        { title: 'B', body: 'b' },
      ],
    }
    const picked = { ...guide, steps: [guide.steps[0], { selector: '#export', title: 'B', body: 'b' }] }
    let stored: unknown = { guides: [guide] }
    const { api, calls } = apiOf({
      'GET /v1/config/revisions': list(),
      'POST /v1/config/drafts': (c: fx.Call) => rev('rev_3', 'draft', (stored = draftBody(c).config), 'tour'),
      'POST /v1/builder/tokens': () => fx.json(fx.valid(BuilderTokenSchema, { token: 'tok/1', expiresAt: T0 }), 201),
      'GET /v1/config/revisions/rev_3': () => rev('rev_3', 'draft', stored, 'tour'),
    })
    const opened: string[] = []
    const m = createContentModel(api, (url) => opened.push(url))
    m.edit(null, { guides: [guide] })
    const done = await m.pickOnApp.run('https://app.acme.com/reports', 'tour', 1)
    expect(m.pickOnApp.error.value).toBeNull()
    expect(done?.url).toBe('https://app.acme.com/reports#jornada-builder=tok%2F1')
    expect(opened).toEqual([done?.url])
    const posts = calls.filter((c) => c.method === 'POST')
    expect(posts.map((c) => c.path)).toEqual(['/v1/config/drafts', '/v1/builder/tokens'])
    expect(posts[1]?.body).toEqual({ draftId: 'rev_3', guideId: 'tour', step: 1 })
    expect(m.builder.value).toEqual({ url: done?.url, guideId: 'tour', step: 1 })
    // Builder mode saved the target into the stored draft: reading it again shows it.
    stored = { guides: [picked] }
    await m.reload.run()
    expect(m.editing.value).toMatchObject({ id: 'rev_3', doc: { guides: [picked] } })
    expect(m.dirty.value).toBe(false)
    // Saved and unchanged: a second pick makes a token only.
    await m.pickOnApp.run('https://app.acme.com/reports', 'tour', 1)
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual([
      '/v1/config/drafts',
      '/v1/builder/tokens',
      '/v1/builder/tokens',
    ])
  })

  it("CT15 a draft that does not save opens nothing: the save's error is the pick's", async () => {
    const { api, calls } = apiOf({
      'PATCH /v1/config/drafts/rev_2': fx.apiError(400, 'invalid_config', 'the draft has 1 invalid field(s)', [
        { path: 'config.guides.0.steps.0.title', message: 'Too big' },
      ]),
    })
    const opened: string[] = []
    const m = createContentModel(api, (url) => opened.push(url))
    m.edit('rev_2', { guides: [] })
    m.setField('guides', [{ id: 'tour', steps: [{ title: 'x'.repeat(201), body: '' }] }])
    expect(await m.pickOnApp.run('https://app.acme.com/', 'tour', 0)).toBeUndefined()
    expect((m.pickOnApp.error.value as ApiError).status).toBe(400)
    expect(m.issues.value).toEqual([{ path: 'guides.0.steps.0.title', message: 'Too big' }])
    expect(calls.map((c) => c.method)).toEqual(['PATCH'])
    expect(opened).toEqual([])
  })
})

describe('the content preview', () => {
  afterEach(() => document.querySelectorAll('jornada-ui').forEach((e) => e.remove()))

  it('CT17 preview: the draft, locale and segment go to the server; the real UI shows the chosen one', async () => {
    const doc = {
      experiences: { nps: { texts: { question: { en: 'Recommend Acme?', 'pt-BR': 'Recomendaria a Acme?' } } } },
    }
    const { api, calls } = apiOf({
      'POST /v1/config/preview': (c: fx.Call) => {
        const b = c.body as { config: unknown; locale: string; segment?: Segment }
        return fx.valid(
          ExperienceResponseSchema,
          previewExperiences(config(b.config), localeOf(b.locale), Date.parse(T0), b.segment),
        )
      },
    })
    const m = createContentModel(
      api,
      () => {},
      async () => ({ mount }),
    )
    m.edit('rev_2', doc)
    m.scope.value = 'enterprise'
    await m.preview.run(doc, 'nps', 'pt-BR')
    expect(calls.map((c) => [c.method, c.path, c.body])).toEqual([
      ['POST', '/v1/config/preview', { config: doc, locale: 'pt-BR', segment: 'enterprise' }],
    ])
    const shadow = () => document.querySelector('jornada-ui')!.shadowRoot!
    await vi.waitFor(() => expect(shadow().querySelector('legend')?.textContent).toBe('Recomendaria a Acme?'))
    expect(m.previewing.value).toEqual({ choice: 'nps', locale: 'pt-BR' })
    // Another choice replaces it: one UI on the page at a time; closing removes it.
    await m.preview.run(doc, 'message:single_user', 'en')
    expect(document.querySelectorAll('jornada-ui')).toHaveLength(1)
    await vi.waitFor(() => expect(shadow().querySelector('h2')?.textContent).toMatch(/\S/))
    m.closePreview()
    expect(document.querySelectorAll('jornada-ui')).toHaveLength(0)
    expect(m.previewing.value).toBeNull()
  })
})

describe('the content page', () => {
  let root: HTMLElement | null = null
  afterEach(() => {
    if (root) render(null, root)
    root?.remove()
    root = null
    setLocale('en')
  })
  const until = (check: () => void) => vi.waitFor(check, { timeout: 3000, interval: 10 })

  async function open(url: string, role: Role, routes: Parameters<typeof fx.fakeFetch>[0]) {
    history.replaceState(null, '', url)
    const f = fx.fakeFetch({ 'GET /v1/session': fx.session(role), ...routes })
    const services = { api: createApi({ fetch: f.fetch }), session: null as never }
    const session = createSession(services.api)
    services.session = session as never
    root = document.createElement('div')
    document.body.append(root)
    render(h(App, { services }), root)
    await session.restore()
    return f.calls
  }
  const routes = () => ({
    'GET /v1/config/revisions': list(),
    'GET /v1/config': effective(),
    'GET /v1/config/revisions/rev_2': rev('rev_2', 'draft', {
      experiences: { advocacy: { benefits: { review: { en: 'Get seen' } } } },
    }),
    'GET /v1/config/revisions/rev_2/diff': fx.valid(ConfigDiffSchema, { id: 'rev_2', against: 'rev_1', changes: [] }),
  })

  it('CT09 an editor gets the draft forms, its missing translation and a save button', async () => {
    await open('/console/content?rev=rev_2&tab=advocacy', 'editor', routes())
    await until(() => expect(document.querySelector('textarea, input[placeholder]')).not.toBeNull())
    const text = root!.textContent ?? ''
    expect(text).toContain('experiences.advocacy.benefits.review: missing in pt-BR')
    expect([...root!.querySelectorAll('button')].map((b) => b.textContent)).toContain('Save the draft')
    expect(document.querySelector('h1')?.textContent).toBe('Revision rev_2')
  })

  it('CT10 a viewer reads the revisions and a draft as JSON; no change is offered', async () => {
    await open('/console/content?rev=rev_2', 'viewer', routes())
    await until(() => expect(root!.querySelector('pre.json')).not.toBeNull())
    const buttons = [...root!.querySelectorAll('button')].map((b) => b.textContent)
    expect(buttons.some((b) => /Save|Publish|Delete/.test(b ?? ''))).toBe(false)
    expect(root!.textContent).toContain('Your role reads the content')
  })

  it('CT12 the guides form writes a step per locale into the draft; a server issue shows at its field', async () => {
    const guide = { id: 'tour', steps: [{ kind: 'modal', title: 'Hi', body: 'Welcome' }] }
    const calls = await open('/console/content?rev=rev_2&tab=guides', 'editor', {
      ...routes(),
      'GET /v1/config/revisions/rev_2': rev('rev_2', 'draft', { guides: [guide] }),
      'PATCH /v1/config/drafts/rev_2': fx.apiError(400, 'invalid_config', 'the draft has 1 invalid field(s)', [
        { path: 'config.guides.0.steps.0.title.en', message: 'Too big: expected string to have <=200 characters' },
      ]),
    })
    const byLabel = (text: string) => {
      const label = [...root!.querySelectorAll('label')].find((l) => l.textContent === text)
      return label ? (document.getElementById(label.htmlFor) as HTMLInputElement) : undefined
    }
    await until(() => expect(byLabel('Step 1: title (en)')).toBeDefined())
    // One text for every locale shows in each locale's input.
    expect([byLabel('Step 1: title (en)')!.value, byLabel('Step 1: title (pt-BR)')!.value]).toEqual(['Hi', 'Hi'])
    const input = byLabel('Step 1: title (en)')!
    input.value = 'x'.repeat(201)
    input.dispatchEvent(new Event('input', { bubbles: true }))
    await new Promise((r) => setTimeout(r, 0))
    ;[...root!.querySelectorAll('button')].find((b) => b.textContent === 'Save the draft')!.click()
    await until(() => expect(byLabel('Step 1: title (en)')!.getAttribute('aria-invalid')).toBe('true'))
    const patch = calls.find((c) => c.method === 'PATCH')!
    // Changed in one locale, the text becomes one per locale: the other keeps the old text.
    expect(
      (patch.body as { config: { guides: { steps: { title: unknown }[] }[] } }).config.guides[0]!.steps[0]!.title,
    ).toEqual({ en: 'x'.repeat(201), 'pt-BR': 'Hi' })
    const after = byLabel('Step 1: title (en)')!
    expect(document.getElementById(after.getAttribute('aria-describedby')!)?.textContent).toMatch(/Too big/)
    expect(byLabel('Step 1: title (pt-BR)')!.getAttribute('aria-invalid')).toBeNull()
  })

  it("CT18 for one segment the forms write its overrides, following the workspace's value shown greyed", async () => {
    const calls = await open('/console/content?rev=rev_2&tab=banner', 'editor', {
      ...routes(),
      'GET /v1/config/revisions/rev_2': rev('rev_2', 'draft', { experiences: { banner: { daysBefore: 20 } } }),
      'PATCH /v1/config/drafts/rev_2': fx.apiError(400, 'invalid_config', 'the draft has 1 invalid field(s)', [
        { path: 'config.segments.smb.experiences.banner.daysBefore', message: 'Too small: expected number to be >=0' },
      ]),
    })
    const byLabel = (text: string) => {
      const label = [...root!.querySelectorAll('label')].find((l) => l.textContent === text)
      return label ? (document.getElementById(label.htmlFor) as HTMLInputElement & HTMLSelectElement) : undefined
    }
    const days = 'Shown from this many days before the renewal'
    await until(() => expect(byLabel(days)?.value).toBe('20'))
    const scope = byLabel('Values for')!
    scope.value = 'smb'
    scope.dispatchEvent(new Event('change', { bubbles: true }))
    await until(() => expect(byLabel(days)!.value).toBe(''))
    expect(byLabel(days)!.placeholder).toBe('20')
    byLabel(days)!.value = '-1'
    byLabel(days)!.dispatchEvent(new Event('input', { bubbles: true }))
    await new Promise((r) => setTimeout(r, 0))
    ;[...root!.querySelectorAll('button')].find((b) => b.textContent === 'Save the draft')!.click()
    await until(() => expect(byLabel(days)!.getAttribute('aria-invalid')).toBe('true'))
    const patch = calls.find((c) => c.method === 'PATCH')!
    expect((patch.body as { config: unknown }).config).toEqual({
      experiences: { banner: { daysBefore: 20 } },
      segments: { smb: { experiences: { banner: { daysBefore: -1 } } } },
    })
  })

  it("CT19 the NPS form writes the survey's texts per locale; one missing in a locale is flagged", async () => {
    const calls = await open('/console/content?rev=rev_2&tab=nps', 'editor', {
      ...routes(),
      'GET /v1/config/revisions/rev_2': rev('rev_2', 'draft', {}),
      'PATCH /v1/config/drafts/rev_2': (c: fx.Call) => rev('rev_2', 'draft', draftBody(c).config),
    })
    const byLabel = (text: string) => {
      const label = [...root!.querySelectorAll('label')].find((l) => l.textContent === text)
      return label ? (document.getElementById(label.htmlFor) as HTMLTextAreaElement) : undefined
    }
    await until(() => expect(byLabel('Question (en)')).toBeDefined())
    byLabel('Question (en)')!.value = 'Would you recommend Acme?'
    byLabel('Question (en)')!.dispatchEvent(new Event('input', { bubbles: true }))
    await until(() => expect(root!.textContent).toContain('experiences.nps.texts.question'))
    expect(root!.textContent).toContain('missing in pt-BR')
    ;[...root!.querySelectorAll('button')].find((b) => b.textContent === 'Save the draft')!.click()
    await until(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true))
    expect((calls.find((c) => c.method === 'PATCH')!.body as { config: unknown }).config).toEqual({
      experiences: { nps: { texts: { question: { en: 'Would you recommend Acme?' } } } },
    })
  })

  it("CT20 the advocacy form writes the ask's words and a program's name per locale", async () => {
    const calls = await open('/console/content?rev=rev_2&tab=advocacy', 'editor', {
      ...routes(),
      'GET /v1/config/revisions/rev_2': rev('rev_2', 'draft', {}),
      'PATCH /v1/config/drafts/rev_2': (c: fx.Call) => rev('rev_2', 'draft', draftBody(c).config),
    })
    const byLabel = (text: string) => {
      const label = [...root!.querySelectorAll('label')].find((l) => l.textContent === text)
      return label ? (document.getElementById(label.htmlFor) as HTMLInputElement) : undefined
    }
    const type = (label: string, value: string) => {
      byLabel(label)!.value = value
      byLabel(label)!.dispatchEvent(new Event('input', { bubbles: true }))
    }
    await until(() => expect(byLabel('Name of referral (pt-BR)')).toBeDefined())
    type('Name of referral (pt-BR)', 'Indique um amigo')
    type('Title (en)', 'Join our programs')
    ;[...root!.querySelectorAll('button')].find((b) => b.textContent === 'Save the draft')!.click()
    await until(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true))
    expect((calls.find((c) => c.method === 'PATCH')!.body as { config: unknown }).config).toEqual({
      experiences: {
        advocacy: {
          names: { referral: { 'pt-BR': 'Indique um amigo' } },
          texts: { title: { en: 'Join our programs' } },
        },
      },
    })
  })

  it('CT21 an issue of a value row shows at its wrong input; a guide without steps, at its steps', async () => {
    await open('/console/content?rev=rev_2&tab=value', 'editor', {
      ...routes(),
      'GET /v1/config/revisions/rev_2': rev('rev_2', 'draft', {
        value: { minutesSaved: { report: 5 } },
        guides: [{ id: 'tour', steps: [{ kind: 'modal', title: 'Hi', body: 'Welcome' }] }],
      }),
      'PATCH /v1/config/drafts/rev_2': fx.apiError(400, 'invalid_config', 'the draft has 2 invalid field(s)', [
        { path: 'config.value.minutesSaved.report', message: 'Too small: expected number to be >=0' },
        { path: 'config.guides.0.steps', message: 'Too small: expected array to have >=1 items' },
      ]),
    })
    const inputOf = (text: string) => {
      const label = [...root!.querySelectorAll('label')].find((l) => l.textContent === text)
      return label ? (document.getElementById(label.htmlFor) as HTMLInputElement) : undefined
    }
    await until(() => expect(inputOf('Minutes saved by event 1')).toBeDefined())
    inputOf('Minutes saved by event 1')!.value = '-1'
    inputOf('Minutes saved by event 1')!.dispatchEvent(new Event('input', { bubbles: true }))
    ;[...root!.querySelectorAll('button')].find((b) => b.textContent === 'Save the draft')!.click()
    await until(() => expect(inputOf('Minutes saved by event 1')!.getAttribute('aria-invalid')).toBe('true'))
    expect(inputOf('Event 1')!.getAttribute('aria-invalid')).not.toBe('true')
    ;[...root!.querySelectorAll('a')].find((a) => a.textContent === 'Guides')!.click()
    await until(() =>
      expect([...root!.querySelectorAll('fieldset p.field-error')].map((p) => p.textContent)).toContain(
        'Too small: expected array to have >=1 items',
      ),
    )
  })

  it('CT16 the guides form: a bad app URL is named at its field; a good one is kept and opens builder mode', async () => {
    const guide = { id: 'tour', steps: [{ kind: 'modal', title: 'Hi', body: 'Welcome' }] }
    localStorage.removeItem('jornada.console.appUrl')
    const windowOpen = vi.spyOn(window, 'open').mockImplementation(() => null)
    const calls = await open('/console/content?rev=rev_2&tab=guides', 'editor', {
      ...routes(),
      'GET /v1/config/revisions/rev_2': rev('rev_2', 'draft', { guides: [guide] }),
      'POST /v1/builder/tokens': () => fx.json(fx.valid(BuilderTokenSchema, { token: 'tok', expiresAt: T0 }), 201),
    })
    const button = () => [...root!.querySelectorAll('button')].find((b) => b.textContent === 'Pick on my app: step 1')
    await until(() => expect(button()).toBeDefined())
    const label = [...root!.querySelectorAll('label')].find((l) => l.textContent?.startsWith('Your app’s URL'))!
    const input = document.getElementById(label.htmlFor) as HTMLInputElement
    button()!.click()
    await until(() => expect(input.getAttribute('aria-invalid')).toBe('true'))
    expect(document.activeElement).toBe(input)
    expect(calls.some((c) => c.path === '/v1/builder/tokens')).toBe(false)
    input.value = 'https://app.acme.com/reports'
    input.dispatchEvent(new Event('input', { bubbles: true }))
    await new Promise((r) => setTimeout(r, 0))
    button()!.click()
    await until(() =>
      expect(windowOpen).toHaveBeenCalledWith('https://app.acme.com/reports#jornada-builder=tok', '_blank', 'noopener'),
    )
    expect(localStorage.getItem('jornada.console.appUrl')).toBe('https://app.acme.com/reports')
    await until(() => expect(root!.textContent).toContain('Builder mode opened in a new tab for step 1 of tour.'))
    expect(root!.querySelector('a[target=_blank]')?.getAttribute('rel')).toBe('noopener noreferrer')
    expect(input.hasAttribute('aria-invalid')).toBe(false)
    windowOpen.mockRestore()
  })
})
