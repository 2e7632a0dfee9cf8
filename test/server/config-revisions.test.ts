/**
 * The journey config's revisions and the dry run of a draft (docs/spec/console.md, "Content:
 * drafts, dry runs, publishing, results"), on PGlite and PostgreSQL: drafts validated as
 * `PUT /v1/config` is, publishing and rolling back, PUT as a draft published in one step, the
 * diff, the migration of a config stored before revisions, the dry run (exactly the accounts a
 * change moves, the users an experience is newly offered to, the time budget), a publish seen by a
 * second process, and the audit log.
 */
import { describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import type { AppOptions } from '../../server/app'
import { createPostgresStore } from '../../server/store/postgres'
import type { Store } from '../../server/store/types'
import { accountHistory, DAY_MS, inBatches } from '../bench/journey-data'
import { describeEachStore } from '../support/each-store'
import { onFreshDatabase } from '../support/fresh-database'
import { API, newWorkspace } from './helpers'

const NOW = Date.parse('2026-11-24T18:00:00.000Z')

/** Responses are read as plain JSON. */
type Json = any

function bed(store: Store, opts: Partial<AppOptions> = {}) {
  const app = createApp({ store, clock: () => NOW, log: () => {}, ...opts })
  return async function call(
    method: string,
    path: string,
    key: string | null,
    body?: unknown,
  ): Promise<{ status: number; body: Json }> {
    const headers: Record<string, string> = {}
    if (key !== null) headers.authorization = `Bearer ${key}`
    if (body !== undefined) headers['content-type'] = 'application/json'
    const res = await app.request(API + path, {
      method,
      headers,
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    })
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : null }
  }
}

/** Three wrong fields at three depths, one inside a segment block, and an unknown key. */
const BAD = {
  renewalWindowDays: -5,
  health: { weights: { nps: 'high' } },
  segments: { enterprise: { milestones: { setup: { window: [3, 'x'] } } } },
  colour: 'blue',
}

const START = Math.floor(NOW / DAY_MS) * DAY_MS - 20 * DAY_MS

/**
 * Three accounts of two users, 20 days old: `steady` logs in every day; `idle5` stopped 5 days ago
 * and `idle12` 12 days ago, so both have `no_login` (3 days by default), and a threshold of 10 days
 * lifts it from `idle5` only.
 */
function threeAccounts() {
  const of = (accountId: string, lastActiveDay: number, seed: number) =>
    accountHistory({
      accountId,
      start: START,
      days: 21,
      users: 2,
      seed,
      until: NOW - 60_000,
      active: (day) => day <= lastActiveDay,
      traits: { segment: 'smb' },
      planned: [{ day: 1, event: 'setup_completed' }],
    })
  return [...of('steady', 20, 1), ...of('idle5', 15, 2), ...of('idle12', 8, 3)]
}

describeEachStore('config revisions', (ctx) => {
  it('CR01 a draft is stored with its author and message, listed, read back, and not in force', async () => {
    const call = bed(ctx.store)
    const ws = await newWorkspace(ctx.store)
    const before = (await call('GET', '/v1/config', ws.secretKey)).body
    const created = await call('POST', '/v1/config/drafts', ws.secretKey, {
      config: { renewalWindowDays: 45 },
      message: 'renewals earlier',
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      status: 'draft',
      author: 'secret',
      message: 'renewals earlier',
      publishedAt: null,
      config: { renewalWindowDays: 45 },
      createdAt: new Date(NOW).toISOString(),
    })
    expect(created.body.id).toMatch(/^rev_[0-9a-z]{10}[0-9a-f]{8}$/)
    const list = await call('GET', '/v1/config/revisions', ws.secretKey)
    expect(list.body).toEqual([
      {
        id: created.body.id,
        createdAt: created.body.createdAt,
        author: 'secret',
        message: 'renewals earlier',
        status: 'draft',
        publishedAt: null,
      },
    ])
    expect((await call('GET', `/v1/config/revisions/${created.body.id}`, ws.secretKey)).body).toEqual(created.body)
    expect((await call('GET', '/v1/config', ws.secretKey)).body).toEqual(before)
    expect((await call('GET', '/v1/config/revisions/rev_nope', ws.secretKey)).status).toBe(404)
  })

  it('CR02 a bad draft is a 400 naming every wrong field, under config., and nothing is stored', async () => {
    const call = bed(ctx.store)
    const ws = await newWorkspace(ctx.store)
    const res = await call('POST', '/v1/config/drafts', ws.secretKey, { config: BAD, message: 7, extra: true })
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('invalid_config')
    const paths = res.body.error.issues.map((i: Json) => i.path).sort()
    expect(paths).toEqual(
      [
        'config.renewalWindowDays',
        'config.health.weights.nps',
        'config.segments.enterprise.milestones.setup.window.1',
        'config.colour',
        'message',
        'extra',
      ].sort(),
    )
    const missing = await call('POST', '/v1/config/drafts', ws.secretKey, { message: 'no config' })
    expect([missing.status, missing.body.error.issues]).toEqual([
      400,
      [{ path: 'config', message: 'required: the config document' }],
    ])
    expect((await call('GET', '/v1/config/revisions', ws.secretKey)).body).toEqual([])
  })

  it('CR03 a draft changes and goes; a published revision is a 409 to both, and stays', async () => {
    const call = bed(ctx.store)
    const ws = await newWorkspace(ctx.store)
    const { body: draft } = await call('POST', '/v1/config/drafts', ws.secretKey, { config: { renewalWindowDays: 45 } })
    expect(draft.message).toBe('')
    const patched = await call('PATCH', `/v1/config/drafts/${draft.id}`, ws.secretKey, { message: 'try 50' })
    expect([patched.status, patched.body.message, patched.body.config]).toEqual([
      200,
      'try 50',
      { renewalWindowDays: 45 },
    ])
    const both = await call('PATCH', `/v1/config/drafts/${draft.id}`, ws.secretKey, {
      config: { renewalWindowDays: 50 },
    })
    expect([both.body.message, both.body.config]).toEqual(['try 50', { renewalWindowDays: 50 }])
    const bad = await call('PATCH', `/v1/config/drafts/${draft.id}`, ws.secretKey, {
      config: { renewalWindowDays: -1 },
    })
    expect([bad.status, bad.body.error.issues.map((i: Json) => i.path)]).toEqual([400, ['config.renewalWindowDays']])
    expect((await call('GET', `/v1/config/revisions/${draft.id}`, ws.secretKey)).body.config).toEqual({
      renewalWindowDays: 50,
    })

    const { body: other } = await call('POST', '/v1/config/drafts', ws.secretKey, { config: {}, message: 'to go' })
    expect((await call('DELETE', `/v1/config/drafts/${other.id}`, ws.secretKey)).status).toBe(204)
    expect((await call('DELETE', `/v1/config/drafts/${other.id}`, ws.secretKey)).status).toBe(404)

    expect((await call('POST', `/v1/config/revisions/${draft.id}/publish`, ws.secretKey)).status).toBe(200)
    const edit = await call('PATCH', `/v1/config/drafts/${draft.id}`, ws.secretKey, { message: 'late' })
    expect([edit.status, edit.body.error.code]).toEqual([409, 'conflict'])
    const gone = await call('DELETE', `/v1/config/drafts/${draft.id}`, ws.secretKey)
    expect([gone.status, gone.body.error.code]).toEqual([409, 'conflict'])
    expect((await call('POST', `/v1/config/drafts/${draft.id}/dry-run`, ws.secretKey)).status).toBe(409)
    expect((await call('GET', `/v1/config/revisions/${draft.id}`, ws.secretKey)).body).toMatchObject({
      status: 'published',
      message: 'try 50',
    })
  })

  it('CR04 a publish puts a draft in force, superseding the one before; the first one again: a rollback', async () => {
    const call = bed(ctx.store)
    const ws = await newWorkspace(ctx.store)
    const { body: a } = await call('POST', '/v1/config/drafts', ws.secretKey, { config: { renewalWindowDays: 45 } })
    const { body: b } = await call('POST', '/v1/config/drafts', ws.secretKey, { config: { renewalWindowDays: 50 } })
    const published = await call('POST', `/v1/config/revisions/${a.id}/publish`, ws.secretKey)
    expect(published.body).toMatchObject({ id: a.id, status: 'published', publishedAt: new Date(NOW).toISOString() })
    expect((await call('GET', '/v1/config', ws.secretKey)).body.renewalWindowDays).toBe(45)
    expect(await ctx.store.getConfig(ws.id)).toEqual({ renewalWindowDays: 45 })

    await call('POST', `/v1/config/revisions/${b.id}/publish`, ws.secretKey)
    expect((await call('GET', '/v1/config', ws.secretKey)).body.renewalWindowDays).toBe(50)
    const statuses = async () =>
      Object.fromEntries(
        (await call('GET', '/v1/config/revisions', ws.secretKey)).body.map((r: Json) => [r.id, r.status]),
      )
    expect(await statuses()).toEqual({ [a.id]: 'superseded', [b.id]: 'published' })

    // The rollback.
    const again = await call('POST', `/v1/config/revisions/${a.id}/publish`, ws.secretKey)
    expect([again.status, again.body.status]).toEqual([200, 'published'])
    expect((await call('GET', '/v1/config', ws.secretKey)).body.renewalWindowDays).toBe(45)
    expect(await statuses()).toEqual({ [a.id]: 'published', [b.id]: 'superseded' })
    // Publishing the published one changes nothing.
    expect((await call('POST', `/v1/config/revisions/${a.id}/publish`, ws.secretKey)).status).toBe(200)
    expect(await statuses()).toEqual({ [a.id]: 'published', [b.id]: 'superseded' })
    expect((await call('POST', '/v1/config/revisions/rev_nope/publish', ws.secretKey)).status).toBe(404)
  })

  it('CR05 PUT /v1/config is a draft published in one step, answering as before', async () => {
    const call = bed(ctx.store)
    const ws = await newWorkspace(ctx.store)
    const { body: first } = await call('POST', '/v1/config/drafts', ws.secretKey, { config: { renewalWindowDays: 45 } })
    await call('POST', `/v1/config/revisions/${first.id}/publish`, ws.secretKey)
    const put = await call('PUT', '/v1/config', ws.secretKey, { renewalWindowDays: 60 })
    expect(put.status).toBe(200)
    expect(put.body).toEqual((await call('GET', '/v1/config', ws.secretKey)).body)
    expect(put.body.renewalWindowDays).toBe(60)
    const list = (await call('GET', '/v1/config/revisions', ws.secretKey)).body
    expect(list.map((r: Json) => [r.status, r.author])).toEqual([
      ['published', 'secret'],
      ['superseded', 'secret'],
    ])
    expect((await call('GET', `/v1/config/revisions/${list[0].id}`, ws.secretKey)).body.config).toEqual({
      renewalWindowDays: 60,
    })
    // A bad PUT stores no revision.
    expect((await call('PUT', '/v1/config', ws.secretKey, BAD)).status).toBe(400)
    expect((await call('GET', '/v1/config/revisions', ws.secretKey)).body).toHaveLength(2)
  })

  it('CR06 the diff: each value of the effective configs that differs, against the published by default', async () => {
    const call = bed(ctx.store)
    const ws = await newWorkspace(ctx.store)
    const { body: a } = await call('POST', '/v1/config/drafts', ws.secretKey, {
      config: { renewalWindowDays: 45, health: { bands: { green: 85 } } },
    })
    const { body: b } = await call('POST', '/v1/config/drafts', ws.secretKey, {
      config: { renewalWindowDays: 45, health: { bands: { green: 90 } }, qbr: { goals: ['grow'] } },
    })
    // Nothing published: against the config in force (the defaults here).
    const none = (await call('GET', `/v1/config/revisions/${a.id}/diff`, ws.secretKey)).body
    expect(none.against).toBeNull()
    expect(none.changes).toEqual([
      { path: 'renewalWindowDays', before: 30, after: 45 },
      { path: 'health.bands.green', before: 80, after: 85 },
    ])
    await call('POST', `/v1/config/revisions/${a.id}/publish`, ws.secretKey)
    const diff = await call('GET', `/v1/config/revisions/${b.id}/diff`, ws.secretKey)
    expect(diff.status).toBe(200)
    expect(diff.body.against).toBe(a.id)
    expect(diff.body.changes).toContainEqual({ path: 'health.bands.green', before: 85, after: 90 })
    expect(diff.body.changes.map((c: Json) => c.path)).not.toContain('renewalWindowDays')
    const back = (await call('GET', `/v1/config/revisions/${a.id}/diff?against=${b.id}`, ws.secretKey)).body
    expect(back.changes).toContainEqual({ path: 'health.bands.green', before: 90, after: 85 })
    const unknown = await call('GET', `/v1/config/revisions/${a.id}/diff?against=rev_nope`, ws.secretKey)
    expect([unknown.status, unknown.body.error.issues[0].path]).toEqual([404, 'against'])
  })

  it('CR07 migration 017: a config stored before revisions is the published revision, its author kept', async () => {
    const call = bed(ctx.store)
    const ws = await newWorkspace(ctx.store)
    // The rows as a store before migration 017 left them: a config, and its change in the audit log.
    await ctx.store.db.query(
      `INSERT INTO workspace_config (workspace_id, doc, updated_at) VALUES ($1, '{"renewalWindowDays": 30}', to_timestamp($2::float8 / 1000))`,
      [ws.id, NOW - DAY_MS],
    )
    await ctx.store.audit.append(ws.id, {
      at: NOW - DAY_MS,
      actor: { kind: 'member', id: 'm_1', email: 'ana@example.com' },
      action: 'config.update',
      target: 'config',
      after: { renewalWindowDays: 30 },
    })
    await ctx.store.db.query("DELETE FROM schema_migrations WHERE version = '017_config_revisions'")
    await ctx.store.migrate()
    const list = (await call('GET', '/v1/config/revisions', ws.secretKey)).body
    expect(list).toEqual([
      {
        id: expect.stringMatching(/^rev_0000000000[0-9a-f]{8}$/),
        createdAt: new Date(NOW - DAY_MS).toISOString(),
        author: 'ana@example.com',
        message: 'the config in force when revisions began',
        status: 'published',
        publishedAt: new Date(NOW - DAY_MS).toISOString(),
      },
    ])
    expect((await call('GET', `/v1/config/revisions/${list[0].id}`, ws.secretKey)).body.config).toEqual({
      renewalWindowDays: 30,
    })
    expect((await call('GET', '/v1/config', ws.secretKey)).body.renewalWindowDays).toBe(30)
    // The next change supersedes it.
    await call('PUT', '/v1/config', ws.secretKey, { renewalWindowDays: 40 })
    expect((await call('GET', '/v1/config/revisions', ws.secretKey)).body.map((r: Json) => r.status)).toEqual([
      'published',
      'superseded',
    ])
  })

  it('CR08 dry run: exactly the accounts a change moves, each with before and after; nothing is published', async () => {
    const call = bed(ctx.store)
    const ws = await newWorkspace(ctx.store)
    for (const batch of inBatches(threeAccounts(), 500))
      expect((await call('POST', '/v1/batch', ws.secretKey, { batch })).body.rejected).toEqual([])
    const flags = async (id: string) =>
      (await call('GET', `/v1/accounts/${id}/journey`, ws.secretKey)).body.redFlags.map((f: Json) => f.id)
    expect([await flags('steady'), await flags('idle5'), await flags('idle12')]).toEqual([
      [],
      ['no_login'],
      ['no_login'],
    ])

    const { body: draft } = await call('POST', '/v1/config/drafts', ws.secretKey, {
      config: { redFlags: { no_login: { days: 10 } } },
    })
    const run = await call('POST', `/v1/config/drafts/${draft.id}/dry-run`, ws.secretKey)
    expect(run.status).toBe(200)
    expect(run.body).toMatchObject({ draft: draft.id, complete: true, examined: 3, total: 3, truncated: false })
    expect(run.body.accounts.map((a: Json) => a.accountId)).toEqual(['idle5'])
    expect(run.body.accounts[0].redFlags).toEqual({ before: ['no_login'], after: [] })
    expect(run.body.changed).toMatchObject({ accounts: 1, redFlags: 1 })
    expect(await flags('idle5')).toEqual(['no_login'])

    // Every band green: the accounts that were not green move, from their band.
    const bands = Object.fromEntries(
      await Promise.all(
        ['idle12', 'idle5', 'steady'].map(async (id) => [
          id,
          (await call('GET', `/v1/accounts/${id}/journey`, ws.secretKey)).body.health.band,
        ]),
      ),
    )
    const { body: green } = await call('POST', '/v1/config/drafts', ws.secretKey, {
      config: { health: { bands: { green: 0, yellow: 0 } } },
    })
    const all = (await call('POST', `/v1/config/drafts/${green.id}/dry-run`, ws.secretKey)).body
    const moved = Object.entries(bands).filter(([, band]) => band !== 'green')
    expect(moved.length).toBeGreaterThan(0)
    expect(all.accounts.filter((a: Json) => a.band).map((a: Json) => [a.accountId, a.band])).toEqual(
      moved.map(([id, band]) => [id, { before: band, after: 'green' }]),
    )
    expect(all.changed.band).toBe(moved.length)
  })

  it('CR09 dry run: users an experience is newly offered to, as POST /v1/experience answers once published', async () => {
    const call = bed(ctx.store)
    const ws = await newWorkspace(ctx.store)
    for (const batch of inBatches(threeAccounts(), 500)) await call('POST', '/v1/batch', ws.secretKey, { batch })
    // In force: no checklist. The draft: the defaults, which show it in onboarding.
    await call('PUT', '/v1/config', ws.secretKey, { experiences: { checklist: { phases: [] } } })
    const users = ['steady', 'idle5', 'idle12'].flatMap((a) =>
      [0, 1].map((u) => ({ accountId: a, userId: `${a}-u${u}` })),
    )
    const checklists = async () => {
      let n = 0
      for (const u of users) {
        const { body } = await call('POST', '/v1/experience', ws.writeKey, u)
        if (body.experiences.some((e: Json) => e.kind === 'checklist')) n++
      }
      return n
    }
    expect(await checklists()).toBe(0)
    const { body: draft } = await call('POST', '/v1/config/drafts', ws.secretKey, { config: {} })
    const run = (await call('POST', `/v1/config/drafts/${draft.id}/dry-run`, ws.secretKey)).body
    const offered = run.experiences.filter((e: Json) => e.kind === 'checklist')
    await call('POST', `/v1/config/revisions/${draft.id}/publish`, ws.secretKey)
    const now = await checklists()
    expect(now).toBeGreaterThan(0)
    expect(offered.reduce((n: number, e: Json) => n + e.users, 0)).toBe(now)
    expect(run.usersSkipped).toBe(0)
  })

  it('CR10 dry run: once the time budget is spent no account is started; the answer says how far it got', async () => {
    const ws = await newWorkspace(ctx.store)
    // A timer that moves a second each time it is read: the start, then one read per account taken.
    let t = 0
    const call = bed(ctx.store, { dryRun: { budgetMs: 2_500, timer: () => (t += 1_000) } })
    for (const batch of inBatches(threeAccounts(), 500)) await call('POST', '/v1/batch', ws.secretKey, { batch })
    const { body: draft } = await call('POST', '/v1/config/drafts', ws.secretKey, {
      config: { health: { bands: { green: 0, yellow: 0 } } },
    })
    const run = (await call('POST', `/v1/config/drafts/${draft.id}/dry-run`, ws.secretKey)).body
    expect(run).toMatchObject({ complete: false, examined: 2, total: 3, budgetMs: 2_500 })
    expect(run.accounts.length).toBeLessThanOrEqual(2)
    const none = bed(ctx.store, { dryRun: { budgetMs: 0 } })
    expect((await none('POST', `/v1/config/drafts/${draft.id}/dry-run`, ws.secretKey)).body).toMatchObject({
      complete: false,
      examined: 0,
      total: 3,
      accounts: [],
    })
  })

  it('CR11 every change of a revision is in the audit log, with its author, before and after', async () => {
    const call = bed(ctx.store)
    const ws = await newWorkspace(ctx.store)
    const { body: a } = await call('POST', '/v1/config/drafts', ws.secretKey, { config: { renewalWindowDays: 45 } })
    await call('PATCH', `/v1/config/drafts/${a.id}`, ws.secretKey, { message: 'earlier' })
    const { body: b } = await call('POST', '/v1/config/drafts', ws.secretKey, { config: { renewalWindowDays: 50 } })
    await call('POST', `/v1/config/revisions/${a.id}/publish`, ws.secretKey)
    await call('POST', `/v1/config/revisions/${b.id}/publish`, ws.secretKey)
    await call('POST', `/v1/config/revisions/${a.id}/publish`, ws.secretKey)
    const { body: c } = await call('POST', '/v1/config/drafts', ws.secretKey, { config: {}, message: 'x' })
    await call('DELETE', `/v1/config/drafts/${c.id}`, ws.secretKey)
    const { items } = await ctx.store.audit.list(ws.id, { limit: 50 })
    // Entries of one time are in no particular order: compared as sets.
    const byText = <T extends { action: string; target: string }>(xs: T[]) =>
      [...xs].sort((x, y) => (`${x.action} ${x.target}` < `${y.action} ${y.target}` ? -1 : 1))
    const log = items.map((e) => ({ action: e.action, target: e.target, before: e.before, after: e.after }))
    const A = { renewalWindowDays: 45 }
    const B = { renewalWindowDays: 50 }
    expect(byText(log)).toEqual(
      byText([
        {
          action: 'config.draft.create',
          target: `config_revision:${a.id}`,
          before: undefined,
          after: { message: '', config: A },
        },
        {
          action: 'config.draft.update',
          target: `config_revision:${a.id}`,
          before: { message: '', config: A },
          after: { message: 'earlier', config: A },
        },
        {
          action: 'config.draft.create',
          target: `config_revision:${b.id}`,
          before: undefined,
          after: { message: '', config: B },
        },
        {
          action: 'config.publish',
          target: `config_revision:${a.id}`,
          before: { revision: null, config: null },
          after: { revision: a.id, config: A },
        },
        {
          action: 'config.publish',
          target: `config_revision:${b.id}`,
          before: { revision: a.id, config: A },
          after: { revision: b.id, config: B },
        },
        {
          action: 'config.rollback',
          target: `config_revision:${a.id}`,
          before: { revision: b.id, config: B },
          after: { revision: a.id, config: A },
        },
        {
          action: 'config.draft.create',
          target: `config_revision:${c.id}`,
          before: undefined,
          after: { message: 'x', config: {} },
        },
        {
          action: 'config.draft.delete',
          target: `config_revision:${c.id}`,
          before: { message: 'x', config: {} },
          after: undefined,
        },
      ]),
    )
    expect(items.every((e) => e.actor.kind === 'key' && e.actor.id === 'secret')).toBe(true)
  })

  it('CR13 preview: every kind from a document not stored, in the locale; a bad one named field by field', async () => {
    const call = bed(ctx.store)
    const ws = await newWorkspace(ctx.store)
    const config = {
      experiences: { nps: { texts: { question: { en: 'Recommend us?', 'pt-BR': 'Nos recomendaria?' } } } },
    }
    const pt = await call('POST', '/v1/config/preview', ws.secretKey, { config, locale: 'pt-BR' })
    expect(pt.status).toBe(200)
    expect([pt.body.locale, pt.body.texts]).toEqual(['pt-BR', { 'nps.question': 'Nos recomendaria?' }])
    expect(pt.body.experiences.map((e: Json) => e.kind)).toContain('nps')
    // Nothing was stored: no revision, and the config in force has no texts.
    expect((await call('GET', '/v1/config/revisions', ws.secretKey)).body).toEqual([])
    const bad = await call('POST', '/v1/config/preview', ws.secretKey, { config: BAD, segment: 'tiny' })
    expect(bad.status).toBe(400)
    expect(bad.body.error.issues.map((i: Json) => i.path).sort()).toEqual(
      [
        'config.colour',
        'config.health.weights.nps',
        'config.renewalWindowDays',
        'config.segments.enterprise.milestones.setup.window.1',
        'segment',
      ].sort(),
    )
    // A write key is the page's: it reads no config.
    expect((await call('POST', '/v1/config/preview', ws.writeKey, { config: {} })).status).toBe(403)
  })
})

describe('config revisions: two processes on one PostgreSQL', () => {
  onFreshDatabase('config_revisions', (db) => {
    it('CR12 a publish through one process is in force in another sharing the store at its next request', async () => {
      const stores = await Promise.all([createPostgresStore({ url: db.url }), createPostgresStore({ url: db.url })])
      try {
        const [one, two] = stores.map((s) => bed(s)) as [ReturnType<typeof bed>, ReturnType<typeof bed>]
        const ws = await newWorkspace(stores[0])
        // The second process has read the config in force once (what it keeps between requests).
        expect((await two('GET', '/v1/config', ws.secretKey)).body.renewalWindowDays).toBe(30)
        const { body: draft } = await one('POST', '/v1/config/drafts', ws.secretKey, {
          config: { renewalWindowDays: 45 },
        })
        expect((await two('GET', `/v1/config/revisions/${draft.id}`, ws.secretKey)).body.status).toBe('draft')
        await one('POST', `/v1/config/revisions/${draft.id}/publish`, ws.secretKey)
        expect((await two('GET', '/v1/config', ws.secretKey)).body.renewalWindowDays).toBe(45)
        await two('PUT', '/v1/config', ws.secretKey, { renewalWindowDays: 60 })
        expect((await one('GET', '/v1/config', ws.secretKey)).body.renewalWindowDays).toBe(60)
        // The rollback through the first process, seen by the second.
        await one('POST', `/v1/config/revisions/${draft.id}/publish`, ws.secretKey)
        expect((await two('GET', '/v1/config', ws.secretKey)).body.renewalWindowDays).toBe(45)
      } finally {
        await Promise.all(stores.map((s) => s.close()))
      }
    }, 240_000)
  })
})
