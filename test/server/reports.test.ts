/**
 * The reports (value statement, QBR pack, journey map) through app.request on one PGlite store: the value statement and its
 * email, the renewal QBR pack (JSON and printable HTML), the journey map (JSON, CSV, HTML). Accounts
 * are the demo's scripted stages (server/demo.ts), imported with the secret key as a CRM would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { createApp } from '../../server/app'
import { createEvaluator } from '../../server/evaluator'
import { generateKey } from '../../server/key-generator'
import { configSource } from '../../server/config-source'
import { history, importEvents } from '../support/stage-history'
import type { Wire } from '../support/stage-history'
import { parseConfig } from '../../server/journey'
import { csvField, escapeHtml, toCsv } from '../../server/reports/html'
import { renderValueEmail } from '../../server/reports/value-email'
import { createPgliteStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import { API } from './helpers'
import type { TestWorkspace } from './helpers'

const NOW = Date.parse('2026-11-24T18:00:00.000Z')
const DAY_MS = 86_400_000
const EVIL = '<script>alert("x")</script> & "Co"'
/** The workspace's name: the vendor that sends the value email and presents the QBR. */
const VENDOR = 'Métrica & Cia'

let store: Store
let app: ReturnType<typeof createApp>
let ws: TestWorkspace

/** Responses are read as plain JSON. */
type Json = any

async function get(
  path: string,
  key: string | null = ws.secretKey,
  headers: Record<string, string> = {},
): Promise<Response> {
  return app.request(
    new Request(API + path, { headers: { ...headers, ...(key !== null && { authorization: `Bearer ${key}` }) } }),
  )
}
async function getJson(path: string, key: string | null = ws.secretKey): Promise<{ status: number; body: Json }> {
  const res = await get(path, key)
  return { status: res.status, body: await res.json() }
}

/** Minutes saved by the demo config (report_generated 15, alert_created 10) in account days from…to of `events`. */
function minutesIn(events: Wire[], start: number, from: number, to: number): number {
  let m = 0
  for (const e of events) {
    const day = Math.floor((Date.parse(e.timestamp) - start) / DAY_MS)
    if (day < from || day > to) continue
    if (e.event === 'report_generated') m += 15
    if (e.event === 'alert_created') m += 10
  }
  return m
}

let valueHistory: Wire[]

/** A workspace of its own named `name` (test/server/helpers' newWorkspace names it after its id). */
async function vendorWorkspace(name: string): Promise<TestWorkspace> {
  const w = {
    id: 'ws_' + Math.random().toString(36).slice(2, 14),
    writeKey: generateKey('write'),
    secretKey: generateKey('secret'),
  }
  await store.createWorkspace({ ...w, name })
  return w
}

beforeAll(async () => {
  store = await createPgliteStore({ dataDir: 'memory://' })
  const demo = parseConfig(JSON.parse(readFileSync('demo/jornada.config.json', 'utf8')))
  if (!demo.ok) throw new Error('demo config invalid')
  app = createApp({ store, clock: () => NOW, log: () => {}, config: demo.config })
  ws = await vendorWorkspace(VENDOR)

  valueHistory = history('day-100', 'value-acme', NOW, { name: EVIL, locale: 'pt-BR' }, [
    [95, 12, 'nps_response', 'user-43', { score: 2, comment: 'Alerts are <b>noisy</b>, "too many"' }],
  ])
  await importEvents(app, API, ws.secretKey, valueHistory)
  await importEvents(
    app,
    API,
    ws.secretKey,
    history('renewal-30', 'globex', NOW, { name: 'Globex', segment: 'enterprise', plan: 'enterprise' }, [
      [300, 11, 'nps_response', 'user-42', { score: 9, comment: 'Reports save us a day a week.' }],
      [306, 14, 'qbr_held', null, {}],
      [280, 10, 'renewal_started', null, {}],
    ]),
  )
  await importEvents(app, API, ws.secretKey, history('day-12', 'smb-12', NOW, {}))
  await importEvents(app, API, ws.secretKey, history('day-45', 'smb-45', NOW, {}))
  await importEvents(app, API, ws.secretKey, history('renewed', 'smb-renewed', NOW, {}))
  // Goals for the QBR's "future" part, enterprise only.
  const res = await app.request(
    new Request(API + '/v1/config', {
      method: 'PUT',
      headers: { authorization: `Bearer ${ws.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        ...JSON.parse(readFileSync('demo/jornada.config.json', 'utf8')),
        segments: { enterprise: { qbr: { goals: ['Roll reports out to <Finance>', 'Cut close time by 2 days'] } } },
      }),
    }),
  )
  expect(res.status).toBe(200)
})
afterAll(async () => {
  await store?.close()
})

describe('GET /v1/accounts/:id/value', () => {
  it('VE01 30d: hours saved, metric change and ROI from the imported history; pt-BR from the locale trait', async () => {
    const { status, body } = await getJson('/v1/accounts/value-acme/value?period=30d')
    expect(status).toBe(200)
    const start = NOW - (NOW % DAY_MS) - 100 * DAY_MS
    const hours = Math.round((minutesIn(valueHistory, start, 71, 100) / 60) * 10) / 10
    expect(hours).toBeGreaterThan(0)
    expect(body.accountId).toBe('value-acme')
    expect(body.statement.periodDays).toBe(30)
    expect(body.statement.hoursSaved).toBe(hours)
    expect(body.statement.moneySaved).toBe(Math.round(hours * 40 * 100) / 100)
    expect(body.statement.roi).toBe(Math.round(((hours * 40) / 300) * 10) / 10)
    // conversion_rate 2.1 (day 65) → 2.6 (day 95): +23.8%.
    expect(body.statement.metrics).toEqual([
      {
        id: 'conversion_rate',
        label: 'taxa de conversão',
        better: 'higher',
        previous: 2.1,
        current: 2.6,
        change: 0.238,
      },
    ])
    expect(body.text).toContain('aumentou taxa de conversão em 23,8%') // the demo config's pt-BR label
    expect(body.statement.locale).toBe('pt-BR')
    expect(body.text).toBe(body.statement.text)
    expect(body.text.split('\n')[0]).toBe('Nos últimos 30 dias, você:')
    expect(body.email.text).toContain(body.text)
    expect(body.email.subject).toBe(`${EVIL}: seus resultados com ${VENDOR} nos últimos 30 dias`)
  })

  it('V02 period and locale: 7d in en has fewer hours; the metric line needs both periods', async () => {
    const { status, body } = await getJson('/v1/accounts/value-acme/value?period=7d&locale=en-US')
    expect(status).toBe(200)
    const start = NOW - (NOW % DAY_MS) - 100 * DAY_MS
    expect(body.statement.hoursSaved).toBe(Math.round((minutesIn(valueHistory, start, 94, 100) / 60) * 10) / 10)
    expect(body.statement.metrics).toEqual([])
    expect(body.text.split('\n')[0]).toBe('In the last 7 days, you:')
  })

  it.each(['0d', '366d', '30', 'abc', '-5d', '1000d'])('V03 period=%s is a 400 naming period', async (period) => {
    const { status, body } = await getJson(`/v1/accounts/value-acme/value?period=${period}`)
    expect(status).toBe(400)
    expect(body.error.code).toBe('invalid_query')
    expect(body.error.issues.map((i: Json) => i.path)).toEqual(['period'])
  })

  it('V04 an unknown account is a 404, an unknown parameter a 400, a write key a 403, no key a 401', async () => {
    expect((await getJson('/v1/accounts/nobody/value')).status).toBe(404)
    expect((await getJson('/v1/accounts/value-acme/value?perod=30d')).body.error.issues).toEqual([
      { path: 'perod', message: 'unknown field' },
    ])
    expect((await getJson('/v1/accounts/value-acme/value', ws.writeKey)).status).toBe(403)
    expect((await getJson('/v1/accounts/value-acme/value', null)).status).toBe(401)
  })

  it('V05 the email: escaped HTML, no script, no remote resource, one-line subject, plain text readable', async () => {
    const { body } = await getJson('/v1/accounts/value-acme/value?locale=en')
    const { html, text, subject } = body.email
    expect(html).not.toMatch(/<script/i)
    expect(html).toContain(escapeHtml(EVIL))
    expect(html).not.toMatch(/\b(src|href)\s*=/i)
    expect(html).not.toMatch(/url\(/i)
    expect(html).toContain('<table')
    for (const line of body.text.split('\n').slice(1)) expect(html).toContain(escapeHtml(line.replace(/^- /, '')))
    // The text part is plain text: the names as they are, no markup of ours.
    expect(text.startsWith(`${VENDOR}\n${EVIL} · `)).toBe(true)
    expect(text.replace(EVIL, '')).not.toMatch(/<[a-z]/i)
    expect(text).toContain('- saved ')
    expect(subject).not.toMatch(/[\r\n]/)
    const crlf = renderValueEmail({
      statement: body.statement,
      accountName: 'A\r\nBcc: x@evil.test',
      vendorName: 'V\r\nBcc: y@evil.test',
      locale: 'en',
    })
    expect(crlf.subject).toBe('A Bcc: x@evil.test: your results with V Bcc: y@evil.test in the last 30 days')
  })

  it('V06 the email names its sender, the workspace, in the subject, header and footer, in en and pt-BR', async () => {
    for (const [locale, sentBy] of [
      ['en', 'Sent by'],
      ['pt-BR', 'Enviado por'],
    ] as const) {
      const { html, text, subject } = (await getJson(`/v1/accounts/value-acme/value?locale=${locale}`)).body.email
      expect(subject).toContain(locale === 'en' ? ` with ${VENDOR} ` : ` com ${VENDOR} `)
      // Header: the vendor before the heading; footer: who sent it, in HTML and in text.
      const vendor = html.indexOf(escapeHtml(VENDOR), html.indexOf('<body'))
      expect(vendor).toBeGreaterThan(0)
      expect(vendor).toBeLessThan(html.indexOf('<h1'))
      expect(html).toContain(`${sentBy} ${escapeHtml(VENDOR)}:`)
      expect(html).not.toContain(VENDOR) // escaped: the & is &amp;
      expect(text.split('\n')[0]).toBe(VENDOR)
      expect(text).toContain(`${sentBy} ${VENDOR}:`)
    }
    // No workspace name known (a caller that passes none): the message names no sender, it does not make one up.
    const { statement } = (await getJson('/v1/accounts/value-acme/value?locale=en')).body
    const anonymous = renderValueEmail({ statement, accountName: 'Acme', locale: 'en' })
    expect(anonymous.subject).toBe('Acme: your results in the last 30 days')
    expect(anonymous.text).not.toContain('Sent by')
  })
})

describe('GET /v1/accounts/:id/qbr', () => {
  it("QB01 the four parts for an enterprise account in renewal, with the engine's numbers", async () => {
    const { status, body } = await getJson('/v1/accounts/globex/qbr')
    expect(status).toBe(200)
    const journey = (await getJson('/v1/accounts/globex/journey')).body
    expect(body.accountName).toBe('Globex')
    expect(body.segment).toBe('enterprise')
    expect(body.phase).toBe('renewal')
    // 1. Retrospective: 90 days of results; moments from the state.
    expect(body.retrospective.results.periodDays).toBe(90)
    expect(body.retrospective.results.hoursSaved).toBeGreaterThan(0)
    expect(body.retrospective.moments).toEqual(journey.moments)
    expect(body.retrospective.moments.map((m: Json) => m.id)).toEqual(['kickoff', 'first_value', 'qbr'])
    expect(body.retrospective.valueDelivered).toMatchObject({
      timeToFirstValue: 9,
      milestonesDone: journey.milestones.filter((m: Json) => m.status === 'done' || m.status === 'done_late').length,
      milestonesTotal: 10,
    })
    // 2. Current situation: the health with its components; usage; NPS comments.
    expect(body.currentSituation.health).toEqual(journey.health)
    expect(body.currentSituation.usage).toMatchObject({
      periodDays: 30,
      adoptionLevel: journey.adoption.level,
      activeUsers: 2,
      seats: 12,
    })
    expect(body.currentSituation.feedback.comments).toEqual([
      { userId: 'user-42', score: 9, comment: 'Reports save us a day a week.', at: expect.any(String) },
    ])
    // 3. Future: the enterprise block's goals; expansion opportunities from the state.
    expect(body.future.goals).toEqual(['Roll reports out to <Finance>', 'Cut close time by 2 days'])
    expect(body.future.opportunities).toEqual(journey.expansion.opportunities)
    // 4. Proposal: renewal in 30 days; placeholders; next steps = the touchpoints owed.
    expect(body.proposal.renewalDate).toBe(journey.renewal.renewalDate)
    expect(body.proposal.daysToRenewal).toBe(30)
    expect(body.proposal.terms).toEqual({
      plan: 'enterprise',
      seats: 12,
      listPricePerMonth: 300,
      currency: 'USD',
      term: null,
      price: null,
      discount: null,
    })
    // Next steps: the open renewal tasks and the CSM's meetings and calls the state lists, in its order.
    const human = journey.touchpoints.filter(
      (t: Json) => t.id === 'renewal_tasks' || t.channel === 'meeting' || t.channel === 'call',
    )
    expect(body.proposal.nextSteps.map((s: Json) => [s.label, s.due])).toEqual(human.map((t: Json) => [t.label, t.due]))
    expect(body.proposal.nextSteps.map((s: Json) => s.ref).filter(Boolean)).toEqual([
      'proposal_sent',
      'negotiation',
      'contract_sent',
      'final_follow_up',
      'renewal_or_churn',
    ])
    expect(body.proposal.nextSteps.find((s: Json) => s.ref === 'proposal_sent')).toMatchObject({
      status: 'overdue',
      owner: 'csm',
    })
    expect(body.proposal.nextSteps.find((s: Json) => s.ref === 'negotiation')).toMatchObject({ status: 'due' })
  })

  it('QB02 at= replays an earlier date; a future at is a 400; unknown account 404', async () => {
    // 100 days ago: day 235, 130 days to renewal, before the enterprise window (90).
    const at = new Date(NOW - 100 * DAY_MS).toISOString()
    const { status, body } = await getJson(`/v1/accounts/globex/qbr?at=${encodeURIComponent(at)}`)
    expect(status).toBe(200)
    const then = (await getJson(`/v1/accounts/globex/journey?at=${encodeURIComponent(at)}`)).body
    expect(body.at).toBe(at)
    expect(body.phase).toBe(then.phase.id)
    expect(['value', 'growth']).toContain(body.phase)
    expect(body.proposal.daysToRenewal).toBe(130)
    expect(body.currentSituation.health).toEqual(then.health)
    expect(body.retrospective.moments.map((m: Json) => m.id)).toEqual(['kickoff', 'first_value'])
    expect(
      (await getJson(`/v1/accounts/globex/qbr?at=${encodeURIComponent(new Date(NOW + DAY_MS).toISOString())}`)).status,
    ).toBe(400)
    expect((await getJson('/v1/accounts/nobody/qbr')).status).toBe(404)
    expect((await getJson('/v1/accounts/globex/qbr?format=pdf')).body.error.issues[0].path).toBe('format')
  })

  it('QB03 HTML by Accept or format=html: printable, no script, escaped name, goals and comments', async () => {
    for (const res of [
      await get('/v1/accounts/value-acme/qbr', ws.secretKey, { accept: 'text/html,application/xhtml+xml' }),
      await get('/v1/accounts/value-acme/qbr?format=html'),
    ]) {
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^text\/html/)
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'")
      const html = await res.text()
      expect(html).not.toMatch(/<script/i)
      expect(html).toContain(escapeHtml(EVIL))
      expect(html).toContain(escapeHtml('Alerts are <b>noisy</b>, "too many"'))
      expect(html).toContain('@media print')
      expect(html).toContain('lang="pt-BR"')
      expect(html).toContain('Retrospectiva')
    }
    const globex = await (await get('/v1/accounts/globex/qbr?format=html&locale=en')).text()
    expect(globex).toContain('Roll reports out to &lt;Finance&gt;')
    expect(globex).toContain('1. Retrospective')
    // JSON stays the default for API clients.
    expect(
      (await get('/v1/accounts/globex/qbr', ws.secretKey, { accept: 'application/json' })).headers.get('content-type'),
    ).toMatch(/json/)
  })

  // Not in the HTML: risk notes, health internals, the readiness verdict, the engine's reasons.
  it("QB04 the HTML is for the customer, without the CSM's notes; the JSON keeps them for the CSM", async () => {
    for (const [id, locale, status] of [
      ['globex', 'en', 'Needs attention'],
      ['value-acme', 'pt-BR', 'Requer ação'],
    ] as const) {
      const json = (await getJson(`/v1/accounts/${id}/qbr?locale=${locale}`)).body
      // What the reader sees: the document without its style sheet.
      const html = (await (await get(`/v1/accounts/${id}/qbr?locale=${locale}&format=html`)).text()).replace(
        /<style>[^<]*<\/style>/,
        '',
      )
      const has = (x: string) => html.includes(escapeHtml(x))
      // The CSM's JSON is complete: the seed's risk and opportunity of each moment, the score's parts.
      expect(json.retrospective.moments.length).toBeGreaterThan(1)
      expect(json.retrospective.moments.every((m: Json) => m.risk !== '' && m.opportunity !== '')).toBe(true)
      expect(json.currentSituation.health.components.map((c: Json) => c.weight).length).toBeGreaterThan(3)
      // Moments of truth: the moments, not their risks (e.g. "losing the sponsor", "wrong expectations").
      for (const m of json.retrospective.moments) {
        expect(has(m.risk)).toBe(false)
        expect(has(m.opportunity)).toBe(false)
      }
      expect(html).not.toMatch(/>(Risk|Risco|Opportunity)</)
      // Health: a plain status (the band, in words); no score, components, weights or points.
      expect(json.currentSituation.health.band).toBe(id === 'globex' ? 'yellow' : 'red')
      expect(html).toContain(`band-${json.currentSituation.health.band}">${status}</span>`)
      expect(has(json.currentSituation.health.reason)).toBe(false)
      for (const c of json.currentSituation.health.components) expect(has(c.reason)).toBe(false)
      expect(html).not.toMatch(/weight|peso|>points<|>pontos</i)
      expect(html).not.toMatch(new RegExp(`\\b${json.currentSituation.health.score}\\b · `))
      // No engine reasons, readiness verdict, task statuses or user ids.
      expect(has(json.currentSituation.usage.adoptionReason)).toBe(false)
      expect(has(json.currentSituation.feedback.nps.reason)).toBe(false)
      expect(has(json.future.expansionReason)).toBe(false)
      expect(html).not.toMatch(/expansion-ready|pronto para expansão/i)
      expect(html).not.toMatch(/>(overdue|due|upcoming|csm)</)
      expect(html).not.toMatch(/user-4\d/)
      expect(html).not.toMatch(/renewal or churn|config `qbr.goals`/)
      // Who presents it: the workspace.
      expect(html).toContain(`<div class="kicker">${escapeHtml(VENDOR)} · `)
    }
    // The proposal's next steps in the customer's words: a step past its day is "as soon as possible".
    const globex = await (await get('/v1/accounts/globex/qbr?locale=en&format=html')).text()
    expect(globex).toContain('<td>Renewal proposal</td><td>As soon as possible</td>')
    expect(globex).toContain('<td>Terms discussion</td><td>Nov 24, 2026</td><td>Call</td>')
    expect(globex).toContain('<td>Renewal</td><td>Dec 24, 2026</td>')
  })
})

/** A tiny RFC 4180 reader, to check the CSV independently of the writer. */
function parseCsv(s: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') (field += '"'), i++
      else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') row.push(field), (field = '')
    else if (ch === '\r' && s[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++
    else field += ch
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row)
  return rows
}

describe('GET /v1/journey-map', () => {
  it('MP01 smb: one row per phase, accounts now, emotion from answers given in each phase', async () => {
    const { status, body } = await getJson('/v1/journey-map?segment=smb')
    expect(status).toBe(200)
    expect(body.segment).toBe('smb')
    expect(body.accounts).toBe(4)
    expect(body.churned).toBe(0)
    const row = (p: string) => body.rows.find((r: Json) => r.phase === p)
    expect(body.rows.map((r: Json) => r.phase)).toEqual([
      'onboarding',
      'adoption',
      'value',
      'growth',
      'renewal',
      'advocacy',
    ])
    expect(body.rows.map((r: Json) => r.accounts)).toEqual([1, 1, 1, 0, 0, 1])
    expect(row('onboarding').objective).toBe('Bring the customer to first value quickly')
    // Day-31 NPS 8 of smb-45, value-acme and smb-renewed: adoption, 3 passives.
    expect(row('adoption').emotion).toEqual({ nps: 0, responses: 3, promoters: 0, passives: 3, detractors: 0 })
    // value-acme's 2 on day 95: value phase, one detractor.
    expect(row('value').emotion).toEqual({ nps: -100, responses: 1, promoters: 0, passives: 0, detractors: 1 })
    expect(row('value').gaps).toContain('NPS -100: 1 detractor answer of 1')
    // smb-renewed's 10 and 9 on day 340: renewal (smb window 30 days before day 365).
    expect(row('renewal').emotion).toEqual({ nps: 100, responses: 2, promoters: 2, passives: 0, detractors: 0 })
    expect(row('growth').gaps).toEqual(['no account has reached this phase'])
  })

  it('MP02 smb onboarding: planned vs delivered per touchpoint, tech versions, gaps and actions', async () => {
    const { body } = await getJson('/v1/journey-map?segment=smb')
    const onb = body.rows[0]
    const item = (id: string) => onb.touchpoints.items.find((i: Json) => i.id === id)
    // Every account had day 0: welcome email and access delivered to all four.
    expect(item('welcome_email')).toMatchObject({ planned: 4, delivered: 4 })
    expect(item('access_granted')).toMatchObject({ planned: 4, delivered: 4 })
    // The smb tech version of the kickoff call, delivered by kickoff_held (all four are past day 2).
    expect(item('kickoff_call')).toMatchObject({
      label: 'in-app kickoff checklist item',
      channel: 'in_app',
      planned: 4,
      delivered: 4,
    })
    // The demo sends no onboarding emails: 5 per account past day 21, days 1, 3, 7 for the day-12 one.
    expect(item('onboarding_emails')).toMatchObject({ planned: 3 * 5 + 3, delivered: 0 })
    expect(onb.touchpoints.planned).toBe(onb.touchpoints.items.reduce((s: number, i: Json) => s + i.planned, 0))
    expect(onb.gaps[0]).toBe('onboarding email: 18 of 18 not delivered')
    expect(onb.actions[0]).toBe(
      'check the onboarding email automation (marketing) and that it reports onboarding_email_sent',
    )
  })

  it('MP03 CSV: RFC 4180, CRLF, quoted fields read back to the JSON rows', async () => {
    const res = await get('/v1/journey-map?segment=smb&format=csv')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/)
    expect(res.headers.get('content-disposition')).toContain('journey-map-smb.csv')
    const csv = await res.text()
    expect(csv.endsWith('\r\n')).toBe(true)
    const rows = parseCsv(csv)
    expect(rows[0]).toEqual([
      'phase',
      'objective',
      'accounts',
      'touchpoints_planned',
      'touchpoints_delivered',
      'delivered_share',
      'touchpoints',
      'emotion_nps',
      'nps_answers',
      'gap',
      'action',
    ])
    expect(rows).toHaveLength(7)
    const json = (await getJson('/v1/journey-map?segment=smb')).body
    json.rows.forEach((r: Json, i: number) => {
      const c = rows[i + 1]!
      expect(c[0]).toBe(r.phase)
      expect(Number(c[3])).toBe(r.touchpoints.planned)
      expect(Number(c[4])).toBe(r.touchpoints.delivered)
      expect(c[7]).toBe(r.emotion.nps === null ? '' : String(r.emotion.nps))
      expect(c[9]).toBe(r.gaps.join('; '))
      expect(c[10]).toBe(r.actions.join('; '))
    })
    // Unit: commas, quotes and line breaks are quoted, quotes doubled.
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('two\nlines')).toBe('"two\nlines"')
    expect(csvField('plain')).toBe('plain')
    expect(toCsv([['x', null, 3]])).toBe('x,,3\r\n')
  })

  it('MP04 segments filter; no segment maps every account; HTML table; bad parameters are 400s', async () => {
    expect((await getJson('/v1/journey-map?segment=enterprise')).body.accounts).toBe(1)
    expect((await getJson('/v1/journey-map?segment=mid_market')).body.accounts).toBe(0)
    expect((await getJson('/v1/journey-map')).body.accounts).toBe(5)
    const bad = await getJson('/v1/journey-map?segment=huge')
    expect(bad.status).toBe(400)
    expect(bad.body.error.issues[0].path).toBe('segment')
    expect((await getJson('/v1/journey-map?format=xml')).status).toBe(400)
    expect((await getJson('/v1/journey-map', ws.writeKey)).status).toBe(403)
    const html = await (await get('/v1/journey-map?segment=smb&format=html')).text()
    expect(html).toContain('<th>Emotion (NPS)</th>')
    expect(html).not.toMatch(/<script/i)
  })

  // The summaries are stored with the snapshots; accounts not evaluated yet are computed.
  it('MP05 the map of now aggregates the summaries the evaluator stored, equal to the map from the facts', async () => {
    const live = (await getJson(`/v1/journey-map?segment=smb&at=${new Date(NOW).toISOString()}`)).body
    expect(live.sources).toEqual({ stored: 0, computed: 4, oldestStored: null })
    const demo = parseConfig(JSON.parse(readFileSync('demo/jornada.config.json', 'utf8')))
    if (!demo.ok) throw new Error('demo config invalid')
    const evaluator = createEvaluator({
      store,
      clock: () => NOW,
      configFor: configSource(store, demo.config),
      log: () => {},
    })
    expect(await evaluator.sweep(ws.id)).toBe(5)
    const now = (await getJson('/v1/journey-map?segment=smb')).body
    expect(now.sources).toEqual({ stored: 4, computed: 0, oldestStored: new Date(NOW).toISOString() })
    expect(now.rows).toEqual(live.rows)
    expect(now.accounts).toBe(4)
    expect((await getJson('/v1/journey-map')).body.sources).toMatchObject({ stored: 5, computed: 0 })
    // A new account, not evaluated yet: computed for this answer, next to the stored ones.
    await importEvents(app, API, ws.secretKey, history('day-2', 'mid-2', NOW, { segment: 'mid_market' }))
    const all = (await getJson('/v1/journey-map')).body
    expect(all.sources).toMatchObject({ stored: 5, computed: 1 })
    expect(all.accounts).toBe(6)
    const mid = (await getJson('/v1/journey-map?segment=mid_market')).body
    expect(mid.sources).toMatchObject({ stored: 0, computed: 1 })
    expect(mid.rows[0].accounts).toBe(1)
    // Evaluating touched accounts stores no summary (sweeps do): still computed; after the next sweep, stored.
    expect(await evaluator.evaluateTouched()).toBeGreaterThan(0)
    expect((await getJson('/v1/journey-map')).body.sources).toMatchObject({ stored: 5, computed: 1 })
    await evaluator.sweep(ws.id)
    const swept = (await getJson('/v1/journey-map')).body
    expect(swept.sources).toMatchObject({ stored: 6, computed: 0 })
    expect(swept.rows).toEqual(all.rows)
  })

  it("MP06 a renewed account: the renewal row holds its past cycle's tasks, notice not sent, renewal done", async () => {
    // smb-renewed: renewal date day 365 (trait), renewed on day 365 with the next date (day 730); today day 380.
    const { body } = await getJson('/v1/journey-map?segment=smb')
    const renewal = body.rows.find((r: Json) => r.phase === 'renewal')
    const tasks = renewal.touchpoints.items.filter((i: Json) => i.id === 'renewal_tasks')
    expect(tasks.map((i: Json) => [i.ref, i.planned, i.delivered])).toEqual([
      ['renewal_notice', 1, 0],
      ['renewal_or_churn', 1, 1],
    ])
    expect(tasks[0]).toMatchObject({ label: 'auto-renewal notice', events: ['renewal_notice_sent'], owner: 'system' })
    expect(renewal.gaps).toContain('auto-renewal notice: 1 of 1 not delivered')
    expect(renewal.actions).toContain(
      'check the auto-renewal notice automation (system) and that it reports renewal_notice_sent',
    )
    // The current cycle (renewal on day 730) has nothing due yet: nothing of it is planned.
    expect(body.rows.flatMap((r: Json) => r.touchpoints.items).filter((i: Json) => i.id === 'renewal_tasks')).toEqual(
      tasks,
    )
  })

  // Also when a CRM already moved the renewalDate trait, and in the map of an earlier time.
  it('MP07 past cycles: enterprise tasks done and missed per task', async () => {
    const other = await vendorWorkspace('Other')
    const start = Math.floor(NOW / DAY_MS) * DAY_MS - 380 * DAY_MS
    const ymd = (day: number) => new Date(start + day * DAY_MS).toISOString().slice(0, 10)
    // Enterprise, renewed on day 365: started, QBR held before its day, contract sent a day late; no proposal, negotiation, follow-up.
    await importEvents(
      app,
      API,
      other.secretKey,
      history('renewed', 'ent-renewed', NOW, { segment: 'enterprise' }, [
        [276, 10, 'renewal_started', null, {}],
        [300, 10, 'qbr_held', null, {}],
        [352, 10, 'contract_sent', null, {}],
      ]),
    )
    // smb whose CRM set the renewalDate trait to the next date and sent `renewed` without one; the notice a day late.
    const crm = history('renewed', 'crm-renewed', NOW, { renewalDate: ymd(730) }, [
      [336, 9, 'renewal_notice_sent', null, {}],
    ])
    delete crm.find((e) => e.event === 'renewed')!.properties.renewalDate
    await importEvents(app, API, other.secretKey, crm)
    const get2 = async (q: string) => (await getJson(`/v1/journey-map?${q}`, other.secretKey)).body
    const tasksOf = (m: Json) =>
      m.rows
        .find((r: Json) => r.phase === 'renewal')
        .touchpoints.items.filter((i: Json) => i.id === 'renewal_tasks')
        .map((i: Json) => [i.ref, i.planned, i.delivered])

    expect(tasksOf(await get2('segment=enterprise'))).toEqual([
      ['start_renewal', 1, 1],
      ['renewal_qbr', 1, 1],
      ['proposal_sent', 1, 0],
      ['negotiation', 1, 0],
      ['contract_sent', 1, 1],
      ['final_follow_up', 1, 0],
      ['renewal_or_churn', 1, 1],
    ])
    // The renewal date of the past cycle is the `renewed` day (the trait holds the next one).
    expect(tasksOf(await get2('segment=smb'))).toEqual([
      ['renewal_notice', 1, 1],
      ['renewal_or_churn', 1, 1],
    ])
    const journey = (await getJson('/v1/accounts/crm-renewed/journey', other.secretKey)).body
    expect(journey.renewal.renewalDay).toBe(730)
    // Day 350 (15 days before the renewal): the same cycle is the current one, the notice done, the renewal not yet due.
    const before = await get2(`segment=enterprise&at=${new Date(start + 350 * DAY_MS + 12 * 3_600_000).toISOString()}`)
    expect(tasksOf(before)).toEqual([
      ['start_renewal', 1, 1],
      ['renewal_qbr', 1, 1],
      ['proposal_sent', 1, 0],
      ['negotiation', 1, 0],
    ])
  })

  it('MP08 NPS gaps follow the survey rules; the advocacy ask owed now counts in advocacy', async () => {
    const smb = (await getJson('/v1/journey-map?segment=smb')).body
    const row = (m: Json, p: string) => m.rows.find((r: Json) => r.phase === p)
    // Onboarding: the survey never asks in the first 14 days, nor before the day-30 health check.
    const onb = row(smb, 'onboarding')
    expect(onb.emotion.responses).toBe(0)
    expect([...onb.gaps, ...onb.actions].filter((x: string) => /NPS/.test(x))).toEqual([])
    // Advocacy: smb-renewed renewed on day 365, today is day 380: the after-renewal ask (day 395) is not due yet.
    const adv = row(smb, 'advocacy')
    expect(adv.emotion.responses).toBe(0)
    expect([...adv.gaps, ...adv.actions].filter((x: string) => /NPS/.test(x))).toEqual([])
    // Its 9 and 10 on day 340 (renewal) owe an advocacy ask, owed now: in advocacy, where the account is.
    expect(adv.touchpoints.items.map((i: Json) => [i.id, i.planned, i.delivered])).toEqual([['advocacy_ask', 1, 0]])
    expect(adv.gaps).toEqual(['advocacy ask: 1 of 1 not delivered'])
    expect(row(smb, 'renewal').touchpoints.items.some((i: Json) => i.id === 'advocacy_ask')).toBe(false)
    // Where the rules asked and nobody answered, it is a gap: the enterprise account's value phase (asks on days 90, 180, 270).
    const other = await vendorWorkspace('Other 2')
    await importEvents(app, API, other.secretKey, history('renewed', 'ent-quiet', NOW, { segment: 'enterprise' }))
    const ent = (await getJson('/v1/journey-map?segment=enterprise', other.secretKey)).body
    expect(row(ent, 'value').emotion.responses).toBe(0)
    expect(row(ent, 'value').gaps).toContain('no NPS answer in this phase, where the survey asked 1 account')
    expect(row(ent, 'value').actions).toContain(
      'check that the NPS survey is shown at its asks here (experience_shown with kind nps) and that answers arrive (nps_response)',
    )
    // Adoption: the day-30 health-check survey is tech-touch only; the account's day-31 answer is there anyway.
    expect(row(ent, 'adoption').emotion.responses).toBe(1)
  })
})
