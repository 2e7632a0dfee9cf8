/**
 * The pages' models against a fake fetch that answers as docs/console.md says (every answer parsed
 * by the server's response schemas in fixtures.ts): what each model asks, and what it keeps.
 */
import { describe, expect, it } from 'vitest'
import { createApi } from '../../console/api'
import type { ApiError } from '../../console/api'
import { createAccountModel } from '../../console/pages/account/model'
import { createAccountsModel } from '../../console/pages/accounts/model'
import { createAuditModel } from '../../console/pages/audit/model'
import { createOverviewModel } from '../../console/pages/overview/model'
import { ANSWERS_PAGE, createResultsModel } from '../../console/pages/results/model'
import { assignableRoles, createSettingsModel, parseOrigins } from '../../console/pages/settings/model'
import { createWebhooksModel } from '../../console/pages/webhooks/model'
import * as fx from './fixtures'

const apiOf = (routes: Parameters<typeof fx.fakeFetch>[0]) => {
  const f = fx.fakeFetch(routes)
  const api = createApi({ fetch: f.fetch })
  api.setCsrfToken('csrf-1')
  return { api, calls: f.calls }
}
const q = (c: fx.Call) => Object.fromEntries(c.query)

describe('the overview and accounts models', () => {
  it('CM01 overview: one GET /v1/overview, kept as data', async () => {
    const { api, calls } = apiOf({ 'GET /v1/overview': fx.overview() })
    const m = createOverviewModel(api)
    await m.load()
    expect(calls.map((c) => c.url)).toEqual(['/v1/overview'])
    expect(m.overview.data.value?.bands).toEqual({ green: 40, yellow: 20, red: 10 })
  })

  it('CM02 accounts: the view and a page of 50; next and previous walk the cursors', async () => {
    const { api, calls } = apiOf({
      'GET /v1/accounts': (c: fx.Call) =>
        c.query.get('cursor') === 'c2' ? fx.accountsPage(50, 50, 'c3') : fx.accountsPage(0, 50, 'c2'),
    })
    const m = createAccountsModel(api)
    const view = { band: 'red', sort: 'health', order: 'asc' } as const
    await m.load(view)
    expect(q(calls[0]!)).toEqual({ band: 'red', sort: 'health', order: 'asc', limit: '50' })
    expect(m.list.data.value?.total).toBe(120)
    const second = m.next(view)!
    expect(second).toEqual({ ...view, cursor: 'c2' })
    await m.load(second)
    expect(m.list.data.value?.items[0]?.accountId).toBe('acct-50')
    expect(m.previous.value).toEqual([''])
    expect(m.prev(second)).toEqual(view)
    expect(m.previous.value).toEqual([])
  })

  it('CM03 accounts: another filter forgets the pages before; the back button pops one', async () => {
    const { api } = apiOf({ 'GET /v1/accounts': fx.accountsPage(0, 50, 'c2') })
    const m = createAccountsModel(api)
    await m.load({})
    const second = m.next({})!
    await m.load(second)
    expect(m.previous.value).toEqual([''])
    await m.load({}) // back to the first page through history
    expect(m.previous.value).toEqual([])
    m.next({})
    await m.load({ phase: 'value' })
    expect(m.previous.value).toEqual([])
  })
})

describe('an account model: the journey, time travel, the diff, the override', () => {
  const routes = () => ({
    'GET /v1/accounts/acme/journey': fx.journey(),
    'GET /v1/accounts/acme/health-history': fx.healthHistory(),
    'GET /v1/accounts/acme/activity': fx.activity(),
    'GET /v1/accounts/acme/override': fx.overrideNone(),
    'GET /v1/accounts/acme/qbr': fx.qbr(),
    'GET /v1/accounts/acme/journey/diff': fx.diff(),
    'GET /v1/accounts': fx.acmeListed(),
  })

  it('CM04 the first load asks each part once: journey, 90 days of health, activity, override, name', async () => {
    const { api, calls } = apiOf(routes())
    const m = createAccountModel(api, 'acme')
    await m.load({}, true)
    expect(calls.map((c) => c.url).sort()).toEqual([
      '/v1/accounts/acme/activity',
      '/v1/accounts/acme/health-history?days=90',
      '/v1/accounts/acme/journey',
      '/v1/accounts/acme/override',
      '/v1/accounts/acme/qbr?format=json',
      '/v1/accounts?q=acme&limit=20',
    ])
    expect(m.journey.data.value?.accountId).toBe('acme')
    expect(m.name.data.value).toBe('Acme Corp')
    expect(m.history.data.value?.points).toHaveLength(90)
    expect(m.feedback.data.value?.nps.responses).toBeGreaterThanOrEqual(0)
  })

  it('CM05 as of a day: the journey, the QBR and the health line are asked again with at; users stay', async () => {
    const { api, calls } = apiOf(routes())
    const m = createAccountModel(api, 'acme')
    await m.load({}, true)
    calls.length = 0
    await m.load({ at: '2026-01-20' }, false)
    expect(calls.map((c) => c.url).sort()).toEqual([
      '/v1/accounts/acme/health-history?days=90&at=2026-01-20',
      '/v1/accounts/acme/journey?at=2026-01-20',
      '/v1/accounts/acme/qbr?at=2026-01-20&format=json',
    ])
  })

  it('CM06 what changed: the diff between two days, from the API (health delta by component)', async () => {
    const { api, calls } = apiOf(routes())
    const m = createAccountModel(api, 'acme')
    await m.load({}, true)
    calls.length = 0
    await m.load({ from: '2026-01-13', to: '2026-01-25' }, false)
    expect(calls.map((c) => c.url)).toEqual(['/v1/accounts/acme/journey/diff?from=2026-01-13&to=2026-01-25'])
    const d = m.diff.data.value!
    expect(d.health.components.reduce((n, c) => n + c.delta, 0)).toBe(d.health.delta)
  })

  it('CM07 an override is PUT with the CSRF token, then the state and the list are read again', async () => {
    const { api, calls } = apiOf({ ...routes(), 'PUT /v1/accounts/acme/override': {} })
    const m = createAccountModel(api, 'acme')
    await m.load({}, true)
    calls.length = 0
    await m.setOverride.run({ phase: 'value', reason: 'signed the expansion', expiresAt: '2026-04-01' })
    expect(m.setOverride.error.value).toBeNull()
    expect(calls[0]).toMatchObject({
      method: 'PUT',
      path: '/v1/accounts/acme/override',
      body: { phase: 'value', reason: 'signed the expansion', expiresAt: '2026-04-01' },
    })
    expect(calls[0]!.headers['x-csrf-token']).toBe('csrf-1')
    expect(
      calls
        .slice(1)
        .map((c) => c.path)
        .sort(),
    ).toEqual(['/v1/accounts/acme/journey', '/v1/accounts/acme/override'])
  })

  it('CM08 a refused override keeps the issues by field; a viewer’s 403 keeps its code', async () => {
    const { api } = apiOf({
      ...routes(),
      'PUT /v1/accounts/acme/override': () =>
        fx.apiError(400, 'invalid_body', 'invalid body', [{ path: 'reason', message: 'a reason is required' }]),
      'DELETE /v1/accounts/acme/override': () => fx.apiError(403, 'forbidden_role', 'needs csm'),
    })
    const m = createAccountModel(api, 'acme')
    await m.setOverride.run({ phase: 'value', reason: '', expiresAt: '2026-04-01' })
    expect((m.setOverride.error.value as ApiError).fields).toEqual({ reason: 'a reason is required' })
    await m.liftOverride.run('done')
    expect(m.liftOverride.error.value).toMatchObject({ status: 403, code: 'forbidden_role' })
  })
})

describe('webhooks, settings and audit models', () => {
  it('CM09 webhooks: a new endpoint’s secret is kept once; pause is PATCH enabled; replay reloads', async () => {
    const { api, calls } = apiOf({
      'GET /v1/webhooks': fx.webhooks(),
      'POST /v1/webhooks': fx.webhookCreated(),
      'PATCH /v1/webhooks/wh_1': {},
      'GET /v1/webhooks/wh_1/deliveries': (c: fx.Call) =>
        c.query.get('cursor') ? fx.deliveries(['d3'], null) : fx.deliveries(['d1', 'd2'], 'c2'),
      'POST /v1/webhooks/wh_1/deliveries/d1/replay': { id: 'd1', status: 'pending' },
    })
    const m = createWebhooksModel(api)
    await m.create.run({ url: 'https://hooks.example.com/b', format: 'standard' })
    expect(m.created.value?.secret).toBe('whsec_abc')
    await m.setEnabled.run('wh_1', false)
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ enabled: false })
    await m.loadDeliveries('wh_1', 'dead')
    await m.more()
    expect(m.deliveries.data.value?.items.map((d) => d.id)).toEqual(['d1', 'd2', 'd3'])
    expect(q(calls.at(-1)!)).toEqual({ status: 'dead', cursor: 'c2', limit: '50' })
    await m.replay.run('wh_1', 'd1')
    expect(calls.at(-2)!.path).toBe('/v1/webhooks/wh_1/deliveries/d1/replay')
    expect(m.deliveries.data.value?.items.map((d) => d.id)).toEqual(['d1', 'd2'])
  })

  it('CM10 settings: rotate shows the new key once; origins PUT whole; identity unknown on a 404', async () => {
    const { api, calls } = apiOf({
      'GET /v1/members': fx.members(),
      'GET /v1/keys/write/origins': { origins: ['https://app.example.com'] },
      'PUT /v1/keys/write/origins': (c: fx.Call) => c.body,
      'POST /v1/keys/secret/rotate': { secretKey: 'sk_new', previousExpiresAt: '2026-03-02T00:00:00.000Z' },
    })
    const m = createSettingsModel(api)
    await m.load()
    expect(m.identity.data.value).toBeNull()
    expect(m.identity.error.value).toBeNull()
    await m.rotate.run()
    expect(m.rotated.value?.secretKey).toBe('sk_new')
    await m.saveOrigins.run(parseOrigins(' https://a.example\n\n*\n'))
    expect(calls.at(-1)!.body).toEqual({ origins: ['https://a.example', '*'] })
    expect(m.origins.data.value?.origins).toEqual(['https://a.example', '*'])
  })

  it('CM11 members: invite gives the one-time link; role changes and removals go by id', async () => {
    const { api, calls } = apiOf({
      'GET /v1/members': fx.members(),
      'POST /v1/members': fx.invited(),
      'PATCH /v1/members/m_2': { member: fx.members().items[1] },
      'DELETE /v1/members/m_2': () => undefined,
    })
    const m = createSettingsModel(api)
    await m.invite.run('caio@example.com', 'csm')
    expect(m.invited.value?.inviteUrl).toBe('/console/invite?token=tok_1')
    await m.changeRole.run('m_2', 'editor')
    await m.remove.run('m_2')
    expect(calls.filter((c) => c.method !== 'GET').map((c) => [c.method, c.path, c.body])).toEqual([
      ['POST', '/v1/members', { email: 'caio@example.com', role: 'csm' }],
      ['PATCH', '/v1/members/m_2', { role: 'editor' }],
      ['DELETE', '/v1/members/m_2', undefined],
    ])
    expect(assignableRoles('admin')).toEqual(['viewer', 'csm', 'editor', 'admin'])
    expect(assignableRoles('owner')).toContain('owner')
    expect(assignableRoles('csm')).toEqual([])
  })

  it('CM12 audit: the filters go to the API; older pages are appended by cursor', async () => {
    const { api, calls } = apiOf({
      'GET /v1/audit': (c: fx.Call) => (c.query.get('cursor') ? fx.audit(['a3'], null) : fx.audit(['a1', 'a2'], 'c2')),
    })
    const m = createAuditModel(api)
    await m.load({ action: 'override.set', from: '2026-03-01' })
    await m.more()
    expect(calls.map(q)).toEqual([
      { action: 'override.set', from: '2026-03-01', limit: '50' },
      { action: 'override.set', from: '2026-03-01', cursor: 'c2', limit: '50' },
    ])
    expect(m.log.data.value?.items.map((e) => e.id)).toEqual(['a1', 'a2', 'a3'])
    expect(m.log.data.value?.nextCursor).toBeNull()
  })
})

describe('the results model', () => {
  const routes = () => ({
    'GET /v1/results/experiences': fx.experienceResults(),
    'GET /v1/results/nps': fx.npsResults(),
  })

  it('CM13 results: the URL’s view reaches both routes; the interval goes to the NPS only', async () => {
    const { api, calls } = apiOf(routes())
    const m = createResultsModel(api)
    await m.load(
      { from: '2026-03-01', to: '2026-03-31', segment: 'smb', phase: 'onboarding', interval: 'month' },
      '2026-04-02',
    )
    const range = { from: '2026-03-01T00:00:00.000Z', to: '2026-03-31', segment: 'smb', phase: 'onboarding' }
    expect(calls.map((c) => [c.path, q(c)])).toEqual([
      ['/v1/results/experiences', range],
      ['/v1/results/nps', { ...range, interval: 'month' }],
    ])
    expect(m.experiences.data.value?.experiences.map((x) => x.id)).toEqual([
      'advocacy:promoter',
      'checklist',
      'guide:tour',
      'nps',
    ])
    expect(m.nps.data.value?.totalAnswers).toBe(6)
  })

  it('CM14 results: another interval asks the NPS again only; a retry asks both; answers shown reset', async () => {
    const { api, calls } = apiOf(routes())
    const m = createResultsModel(api)
    await m.load({}, '2026-03-31')
    expect(calls.map((c) => q(c))).toEqual([
      { from: '2026-03-01T00:00:00.000Z', to: '2026-03-31' },
      { from: '2026-03-01T00:00:00.000Z', to: '2026-03-31' },
    ])
    m.showMoreAnswers()
    expect(m.answersShown.value).toBe(2 * ANSWERS_PAGE)
    await m.load({ interval: 'month' }, '2026-03-31')
    expect(calls.slice(2).map((c) => c.path)).toEqual(['/v1/results/nps'])
    expect(m.answersShown.value).toBe(ANSWERS_PAGE)
    await m.load({ interval: 'month' }, '2026-03-31', true)
    expect(calls.slice(3).map((c) => c.path)).toEqual(['/v1/results/experiences', '/v1/results/nps'])
  })
})
