/**
 * The results routes (docs/http-api.md, "Results"): a seeded random set of engagement events,
 * milestones, contract starts, advocacy acceptances and NPS answers over several accounts, counted
 * here from the raw events the slow and obvious way and compared with what the routes answer;
 * filters, ranges, CSV and refusals; the checklist's median days and the programs accepted on a
 * small set of known days and a config of its own. On PGlite and on PostgreSQL.
 */
import { beforeAll, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { defaultConfig } from '../../server/journey'
import type { JourneyConfig } from '../../server/journey'
import { contractStartOf } from '../../server/journey/context'
import { PHASES, SEGMENTS } from '../../server/journey/vocabulary'
import type { Phase, Segment } from '../../server/journey/vocabulary'
import { ExperienceResultsSchema, NpsResultsSchema } from '../../server/schemas/results-responses'
import type { Store } from '../../server/store/types'
import { describeEachStore } from '../support/each-store'
import { prng } from '../support/prng'
import { API, batchRequest, getters, newWorkspace } from './helpers'
import type { TestWorkspace } from './helpers'

type Json = any
const DAY_MS = 86_400_000
const NOW = Date.parse('2026-11-24T18:00:00.000Z')
const iso = (t: number) => new Date(t).toISOString()
const ENGAGEMENT = [
  'experience_shown',
  'experience_completed',
  'experience_dismissed',
  'guide_step_viewed',
  'guide_target_missing',
  'advocacy_accepted',
]
const EXPERIENCES = [
  { id: 'checklist', kind: 'checklist' },
  { id: 'guide:tour', kind: 'guide' },
  { id: 'guide:alerts', kind: 'guide' },
  { id: 'nps', kind: 'nps' },
  { id: 'value', kind: 'value' },
]
const REASONS = ['close', 'escape', 'later', 'target_missing', undefined, 7]
interface TestAccount {
  id: string
  segment: Segment
  phase: Phase
}
const ACCOUNTS: TestAccount[] = Array.from({ length: 8 }, (_, i) => ({
  id: `acc-${i}`,
  segment: SEGMENTS[i % SEGMENTS.length]!,
  phase: PHASES[i % 3]!,
}))

interface Ev {
  id: string
  /** A `group` call (its `traits` are the account's); a `track` event otherwise. */
  type?: 'group'
  name: string
  accountId: string
  userId: string | null
  at: number
  properties: Record<string, unknown>
  traits?: Record<string, unknown>
}

/** Contract starts sent by `group` calls: readable ones of each form, and ones that are not dates. */
const CONTRACT_STARTS: [string, unknown][] = [
  ['acc-0', '2026-09-15'],
  ['acc-1', 'soon'],
  ['acc-2', '2026-09-20T23:30:00-03:00'],
  ['acc-3', Date.UTC(2026, 8, 25, 15)],
  ['acc-4', '2026-13-45'],
  ['acc-5', '2026-08-01'],
  ['acc-5', '2026-10-01T10:00:00Z'],
  ['acc-6', ' 2026-09-31 '],
]

/** Engagement events, milestones and NPS answers over 60 days, each at a distinct millisecond. */
function generate(seed: number): Ev[] {
  const rnd = prng(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
  const out: Ev[] = []
  const at = (i: number) => NOW - 60 * DAY_MS + (Math.floor(rnd() * 60 * 24) * 3_600_000) / 24 + i
  for (let i = 0; i < 900; i++) {
    const account = pick(ACCOUNTS)
    const userId = rnd() < 0.05 ? null : `${account.id}-u${Math.floor(rnd() * 4)}`
    const x = pick(EXPERIENCES)
    const r = rnd()
    let name: string
    const properties: Record<string, unknown> = { experienceId: x.id, kind: x.kind }
    if (x.kind === 'guide' && r < 0.45) {
      name = r < 0.38 ? 'guide_step_viewed' : 'guide_target_missing'
      properties.guideId = x.id.slice(6)
      properties.step = Math.floor(rnd() * 4)
    } else if (r < 0.7) name = 'experience_shown'
    else if (r < 0.85) name = 'experience_completed'
    else {
      name = 'experience_dismissed'
      const reason = pick(REASONS)
      if (reason !== undefined) properties.reason = reason
    }
    // Not counted: no experience id, an unknown kind, a step that is not a whole number.
    const odd = rnd()
    if (odd < 0.03) delete properties.experienceId
    else if (odd < 0.06) properties.kind = 'popup'
    else if (name === 'guide_step_viewed' && odd < 0.1) properties.step = '1'
    out.push({ id: `e${i}`, name, accountId: account.id, userId, at: at(i), properties })
  }
  // Milestones (the checklist's items), some before the range, some after `to` in the range tests.
  for (const [i, account] of ACCOUNTS.entries()) {
    for (const [j, event] of ['welcome_email_sent', 'kickoff_held', 'setup_completed', 'first_value'].entries()) {
      if (rnd() < 0.5) continue
      const t = NOW - Math.floor(rnd() * 80) * DAY_MS - 1000 * (i * 10 + j + 1)
      out.push({ id: `m${i}-${j}`, name: event, accountId: account.id, userId: null, at: t, properties: {} })
    }
  }
  const comments = ['great', 'slow exports', '=HYPERLINK("http://x")', undefined]
  for (let i = 0; i < 120; i++) {
    const account = pick(ACCOUNTS)
    const r = rnd()
    const score =
      r < 0.05
        ? 'x'
        : r < 0.1
          ? 11
          : r < 0.13
            ? 7.5
            : r < 0.18
              ? String(Math.floor(rnd() * 11))
              : Math.floor(rnd() * 11)
    const comment = pick(comments)
    out.push({
      id: `n${i}`,
      name: 'nps_response',
      accountId: account.id,
      userId: rnd() < 0.04 ? null : `${account.id}-u${Math.floor(rnd() * 4)}`,
      at: at(2000 + i),
      properties: { experienceId: 'nps', kind: 'nps', score, ...(comment !== undefined && { comment }) },
    })
  }
  // Contract starts, each by a group call (acc-5's twice: the later one is in force); acc-7 has none.
  for (const [i, [accountId, contractStart]] of CONTRACT_STARTS.entries()) {
    out.push({
      id: `g${i}`,
      type: 'group',
      name: '',
      accountId,
      userId: `${accountId}-u0`,
      at: NOW - 50 * DAY_MS + i * DAY_MS,
      properties: {},
      traits: { contractStart, plan: 'pro' },
    })
  }
  // A milestone done again later: the first time counts.
  for (const m of out.filter((e) => e.id.startsWith('m'))) {
    if (rnd() < 0.5) out.push({ ...m, id: `${m.id}-again`, at: m.at + Math.floor(rnd() * 9 + 1) * DAY_MS })
  }
  // Programs accepted from the advocacy asks and from the NPS survey's follow-up; a program that
  // is not a string counts for none.
  const asks = [
    { id: 'advocacy:promoter', kind: 'advocacy' },
    { id: 'advocacy:loyal', kind: 'advocacy' },
    { id: 'nps', kind: 'nps' },
  ]
  for (let i = 0; i < 80; i++) {
    const account = pick(ACCOUNTS)
    const x = pick(asks)
    const program = pick(['review', 'referral', 'case_study', 'beta', 7, undefined])
    out.push({
      id: `p${i}`,
      name: 'advocacy_accepted',
      accountId: account.id,
      userId: rnd() < 0.05 ? null : `${account.id}-u${Math.floor(rnd() * 4)}`,
      at: at(3000 + i),
      properties: { experienceId: x.id, kind: x.kind, ...(program !== undefined && { program }) },
    })
  }
  return out
}

/** The lower median: of an even count, the smaller of the two middle values; null of none. */
const lowerMedian = (xs: number[]): number | null =>
  xs.length === 0 ? null : [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!

/**
 * An account's day of time `t`, as the engine counts it (journey/context.ts) from the account's
 * latest contract start trait, else its first event of any kind.
 */
function accountDay(events: Ev[], accountId: string, t: number): number {
  const mine = events.filter((e) => e.accountId === accountId)
  const traits: Record<string, unknown> = {}
  for (const g of mine.filter((e) => e.type === 'group').sort((a, b) => a.at - b.at)) Object.assign(traits, g.traits)
  const first = Math.min(...mine.map((e) => e.at))
  const { start } = contractStartOf(traits, first, NOW)
  return Math.floor((Math.floor(t / DAY_MS) * DAY_MS - start) / DAY_MS)
}

interface Query {
  from: number
  to: number
  segment?: string
  phase?: string
}

const inQuery =
  (q: Query, accounts: readonly TestAccount[] = ACCOUNTS) =>
  (e: Ev) => {
    const a = accounts.find((x) => x.id === e.accountId)!
    return (
      e.at >= q.from &&
      e.at <= q.to &&
      (q.segment === undefined || a.segment === q.segment) &&
      (q.phase === undefined || a.phase === q.phase)
    )
  }

/** The experiences' results computed from the raw events, by the rules of http-api.md. */
function expectedExperiences(events: Ev[], q: Query, cfg: JourneyConfig = defaultConfig, accounts = ACCOUNTS) {
  const kinds = ['checklist', 'guide', 'nps', 'value', 'advocacy', 'message', 'banner']
  const evs = events.filter(
    (e) =>
      e.type === undefined &&
      ENGAGEMENT.includes(e.name) &&
      inQuery(q, accounts)(e) &&
      typeof e.properties.experienceId === 'string' &&
      kinds.includes(e.properties.kind as string),
  )
  const keys = [...new Set(evs.map((e) => `${e.properties.experienceId}|${e.properties.kind}`))].sort()
  return keys.map((key) => {
    const [id, kind] = key.split('|') as [string, string]
    const mine = evs.filter((e) => e.properties.experienceId === id && e.properties.kind === kind)
    const named = (n: string) => mine.filter((e) => e.name === n)
    const byReason: Record<string, number> = {}
    for (const e of named('experience_dismissed')) {
      const r = typeof e.properties.reason === 'string' ? e.properties.reason : 'none'
      byReason[r] = (byReason[r] ?? 0) + 1
    }
    const reached = new Set(mine.map((e) => e.accountId))
    const out: Json = {
      id,
      kind,
      shown: named('experience_shown').length,
      completed: named('experience_completed').length,
      dismissed: { total: named('experience_dismissed').length, byReason },
      users: new Set(mine.filter((e) => e.userId !== null).map((e) => e.userId)).size,
      accounts: reached.size,
    }
    if (kind === 'guide') {
      const stepOf = (e: Ev) => (Number.isInteger(e.properties.step) ? (e.properties.step as number) : null)
      const steps = new Map<number, { step: number; viewed: number; left: number; targetMissing: number }>()
      const at = (s: number) => {
        if (!steps.has(s)) steps.set(s, { step: s, viewed: 0, left: 0, targetMissing: 0 })
        return steps.get(s)!
      }
      for (const e of mine) {
        const s = stepOf(e)
        if (s === null) continue
        if (e.name === 'guide_step_viewed') at(s).viewed++
        if (e.name === 'guide_target_missing') at(s).targetMissing++
      }
      const latest = new Map<string, Ev>()
      for (const e of named('guide_step_viewed')) {
        if (e.userId === null || stepOf(e) === null) continue
        const k = `${e.accountId}|${e.userId}`
        if (!latest.has(k) || latest.get(k)!.at < e.at) latest.set(k, e)
      }
      for (const v of latest.values()) {
        const completedAfter = named('experience_completed').some(
          (c) => c.accountId === v.accountId && c.userId === v.userId && c.at >= v.at,
        )
        if (!completedAfter) at(stepOf(v)!).left++
      }
      out.steps = [...steps.values()].sort((a, b) => a.step - b.step)
    }
    if (kind === 'checklist') {
      out.items = cfg.experiences.checklist.items.map((item) => {
        // Each reached account's first event of the milestone, when it is at or before `to`.
        const days = [...reached].flatMap((a) => {
          const done = events.filter(
            (e) => e.type === undefined && e.accountId === a && cfg.milestones[item].events.includes(e.name),
          )
          const first = Math.min(...done.map((e) => e.at))
          return first <= q.to ? [accountDay(events, a, first)] : []
        })
        return {
          id: item,
          done: days.length,
          accounts: reached.size,
          medianDay: lowerMedian(days),
          window: cfg.milestones[item].window,
        }
      })
    }
    if (kind === 'advocacy' || kind === 'nps') {
      const accepted = named('advocacy_accepted').filter((e) => typeof e.properties.program === 'string')
      out.programs = [...new Set(accepted.map((e) => e.properties.program as string))].sort().map((program) => {
        const of = accepted.filter((e) => e.properties.program === program)
        return {
          id: program,
          accepted: of.length,
          users: new Set(of.filter((e) => e.userId !== null).map((e) => e.userId)).size,
          accounts: new Set(of.map((e) => e.accountId)).size,
        }
      })
    }
    return out
  })
}

type App = ReturnType<typeof createApp>

/** Sends `events` through the ingest API as `ws`, 500 a batch; answers how many were duplicates. */
async function send(app: App, ws: TestWorkspace, events: Ev[]): Promise<number> {
  const batch = events.map((e) => ({
    id: e.id,
    ...(e.type === 'group'
      ? { type: 'group', traits: e.traits }
      : { type: 'track', event: e.name, properties: e.properties }),
    ...(e.userId === null ? { anonymousId: `anon-${e.id}` } : { userId: e.userId }),
    accountId: e.accountId,
    timestamp: iso(e.at),
  }))
  let duplicates = 0
  for (let i = 0; i < batch.length; i += 500) {
    const res = await app.request(batchRequest({ batch: batch.slice(i, i + 500) }, { auth: { bearer: ws.secretKey } }))
    const body = (await res.json()) as Json
    expect(body.rejected).toEqual([])
    duplicates += body.duplicates
  }
  return duplicates
}

/** Each account's current segment and phase, as the evaluator's sweep would write them. */
async function snapshots(store: Store, ws: TestWorkspace, accounts: readonly TestAccount[]) {
  await store.putSnapshots(
    ws.id,
    accounts.map((a) => ({
      accountId: a.id,
      segment: a.segment,
      phase: a.phase,
      health: null,
      band: null,
      flags: [],
      computedAt: NOW,
    })),
  )
}

describeEachStore('results', (ctx) => {
  let app: ReturnType<typeof createApp>
  let ws: TestWorkspace
  const events = generate(20261124)
  const { get, json } = getters(
    () => app,
    () => ws,
  )

  beforeAll(async () => {
    ws = await newWorkspace(ctx.store)
    app = createApp({ store: ctx.store, clock: () => NOW, log: () => {} })
    expect(await send(app, ws, events)).toBe(0)
    // Acceptances sent again (a retried batch): each event counts once.
    const accepted = events.filter((e) => e.name === 'advocacy_accepted')
    expect(await send(app, ws, accepted)).toBe(accepted.length)
    await snapshots(ctx.store, ws, ACCOUNTS)
  }, 240_000)

  it('RS01 experiences: every count equals the one computed from the raw events (last 60 days)', async () => {
    const q = { from: NOW - 60 * DAY_MS, to: NOW }
    const body = await json(`/v1/results/experiences?from=${iso(q.from)}`)
    expect(ExperienceResultsSchema.parse(body)).toEqual(body)
    expect([body.from, body.to]).toEqual([iso(q.from), iso(NOW)])
    const expected = expectedExperiences(events, q)
    expect(body.experiences).toEqual(expected)
    // The set is varied enough to check something: every part has numbers.
    const guide = expected.find((x: Json) => x.id === 'guide:tour')
    expect(guide.steps.length).toBe(4)
    expect(guide.steps.some((s: Json) => s.left > 0 && s.targetMissing > 0)).toBe(true)
    expect(Object.keys(guide.dismissed.byReason)).toContain('none')
    const checklist = expected.find((x: Json) => x.id === 'checklist')
    expect(checklist.items.some((i: Json) => i.done > 0 && i.done < i.accounts)).toBe(true)
    // Medians over several accounts; programs accepted from an advocacy ask and from the NPS follow-up.
    expect(checklist.items.filter((i: Json) => i.done >= 3).length).toBeGreaterThan(1)
    for (const id of ['advocacy:promoter', 'nps'])
      expect(expected.find((x: Json) => x.id === id).programs.length, id).toBeGreaterThan(2)
  })

  it('RS02 experiences: a range and each segment and phase filter count only their events', async () => {
    const from = NOW - 40 * DAY_MS
    const to = NOW - 12 * DAY_MS
    for (const filter of [
      {},
      { segment: 'smb' },
      { phase: 'adoption' },
      { segment: 'enterprise', phase: 'onboarding' },
    ] as Record<string, string>[]) {
      const params = new URLSearchParams({ from: iso(from), to: iso(to), ...filter })
      const body = await json(`/v1/results/experiences?${params}`)
      expect(body.experiences, JSON.stringify(filter)).toEqual(expectedExperiences(events, { from, to, ...filter }))
    }
    // The default range: the last 30 days to now; a date alone as `to` ends with that day.
    expect((await json('/v1/results/experiences')).experiences).toEqual(
      expectedExperiences(events, { from: NOW - 30 * DAY_MS, to: NOW }),
    )
    const day = Date.parse('2026-11-01T23:59:59.999Z')
    expect((await json('/v1/results/experiences?from=2026-10-01&to=2026-11-01')).experiences).toEqual(
      expectedExperiences(events, { from: Date.parse('2026-10-01T23:59:59.999Z'), to: day }),
    )
  })

  it('RS03 nps: weekly and monthly series and the answers equal those computed from the raw answers', async () => {
    const cfg = defaultConfig
    const from = NOW - 60 * DAY_MS
    for (const interval of ['week', 'month'] as const) {
      for (const filter of [{}, { segment: 'mid_market' }] as Record<string, string>[]) {
        const params = new URLSearchParams({ from: iso(from), interval, ...filter })
        const body = await json(`/v1/results/nps?${params}`)
        expect(NpsResultsSchema.parse(body)).toEqual(body)
        const answers = events
          .filter((e) => e.name === 'nps_response' && inQuery({ from, to: NOW, ...filter })(e))
          .flatMap((e) => {
            const s = e.properties.score
            const score = typeof s === 'string' ? Number(s) : (s as number)
            if (e.userId === null || !Number.isInteger(score) || score < 0 || score > 10) return []
            return [{ ...e, score }]
          })
          .sort((a, b) => a.at - b.at)
        // Interval starts: Mondays, or the first of each month (UTC).
        const starts: number[] = []
        let s =
          interval === 'week'
            ? Math.floor(from / DAY_MS) * DAY_MS - ((new Date(from).getUTCDay() + 6) % 7) * DAY_MS
            : Date.UTC(new Date(from).getUTCFullYear(), new Date(from).getUTCMonth(), 1)
        while (s <= NOW) {
          starts.push(s)
          const d = new Date(s)
          s = interval === 'week' ? s + 7 * DAY_MS : Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
        }
        const series = starts.map((start, i) => {
          const end = starts[i + 1] ?? s
          const latest = new Map<string, number>()
          for (const a of answers) if (a.at >= start && a.at < end) latest.set(`${a.accountId}|${a.userId}`, a.score)
          const scores = [...latest.values()]
          const promoters = scores.filter((x) => x >= cfg.nps.promoterMin).length
          const detractors = scores.filter((x) => x < cfg.nps.passiveMin).length
          return {
            start: iso(start).slice(0, 10),
            score: scores.length ? Math.round(((promoters - detractors) * 100) / scores.length + 1e-9) : null,
            responses: scores.length,
            promoters,
            passives: scores.length - promoters - detractors,
            detractors,
          }
        })
        expect(body.series, `${interval} ${JSON.stringify(filter)}`).toEqual(series)
        expect(series.some((x) => x.responses > 1)).toBe(true)
        expect(body.totalAnswers).toBe(answers.length)
        expect(body.answers).toEqual(
          [...answers].reverse().map((a) => ({
            userId: a.userId,
            accountId: a.accountId,
            score: a.score,
            comment: typeof a.properties.comment === 'string' ? a.properties.comment : null,
            at: iso(a.at),
          })),
        )
      }
    }
    const limited = await json(`/v1/results/nps?from=${iso(from)}&limit=3`)
    expect(limited.answers).toHaveLength(3)
    expect(limited.totalAnswers).toBeGreaterThan(3)
  })

  it('RS04 CSV: one row per number, formula-like comments neutralised, text/csv with a header row', async () => {
    const from = iso(NOW - 60 * DAY_MS)
    const res = await get(`/v1/results/experiences?from=${from}&format=csv`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present')
    const lines = (await res.text()).trim().split(/\r?\n/)
    expect(lines[0]).toBe('experienceId,kind,measure,key,value')
    const body = await json(`/v1/results/experiences?from=${from}`)
    const tour = body.experiences.find((x: Json) => x.id === 'guide:tour')
    expect(lines).toContain(`guide:tour,guide,shown,,${tour.shown}`)
    expect(lines).toContain(`guide:tour,guide,step_left,2,${tour.steps[2].left}`)
    const checklist = body.experiences.find((x: Json) => x.id === 'checklist')
    expect(lines).toContain(`checklist,checklist,item_done,setup,${checklist.items[2].done}`)
    const setup = checklist.items[2]
    expect(lines).toContain(`checklist,checklist,item_median_day,setup,${setup.medianDay ?? ''}`)
    expect(lines).toContain(`checklist,checklist,item_window_from,setup,${setup.window[0]}`)
    expect(lines).toContain(`checklist,checklist,item_window_to,setup,${setup.window[1]}`)
    for (const x of body.experiences.filter((x: Json) => x.programs)) {
      for (const p of x.programs) {
        expect(lines).toContain(`${x.id},${x.kind},program_accepted,${p.id},${p.accepted}`)
        expect(lines).toContain(`${x.id},${x.kind},program_users,${p.id},${p.users}`)
        expect(lines).toContain(`${x.id},${x.kind},program_accounts,${p.id},${p.accounts}`)
      }
    }

    const nps = await get(`/v1/results/nps?from=${from}&interval=month&format=csv`)
    expect(nps.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present')
    const text = await nps.text()
    const rows = text.trim().split(/\r?\n/)
    expect(rows[0]).toBe('row,start,at,accountId,userId,score,promoters,passives,detractors,responses,comment')
    expect(rows.filter((r) => r.startsWith('month,'))).toHaveLength(3)
    expect(text).toContain(`'=HYPERLINK(""http://x"")`)
    expect(text).not.toMatch(/,"?=HYPERLINK/)
  })

  it('RS05 wrong parameters are a 400 naming each; a write key is refused', async () => {
    const cases: [string, string[]][] = [
      ['/v1/results/experiences?from=yesterday&phase=nowhere', ['from', 'phase']],
      ['/v1/results/experiences?segment=huge&format=xml', ['segment', 'format']],
      ['/v1/results/nps?interval=day&limit=501', ['interval', 'limit']],
      ['/v1/results/nps?limit=0&extra=1', ['limit', 'extra']],
      [`/v1/results/nps?from=${iso(NOW - DAY_MS)}&to=${iso(NOW - 2 * DAY_MS)}`, ['from']],
      [`/v1/results/experiences?from=${iso(NOW - 800 * DAY_MS)}`, ['from']],
      ['/v1/results/experiences?to=2026-11-26', ['to']],
    ]
    for (const [url, paths] of cases) {
      const res = await get(url)
      const body = (await res.json()) as Json
      expect([url, res.status, body.error.code]).toEqual([url, 400, 'invalid_query'])
      expect(body.error.issues.map((i: Json) => i.path).sort(), url).toEqual([...paths].sort())
    }
    expect((await get('/v1/results/nps', ws.writeKey)).status).toBe(403)
  })

  /** A workspace of its own with `config` put through the API: its app, getters and effective config. */
  async function ownWorkspace(config?: unknown) {
    const own = await newWorkspace(ctx.store)
    const ownApp = createApp({ store: ctx.store, clock: () => NOW, log: () => {} })
    let cfg: JourneyConfig = defaultConfig
    if (config !== undefined) {
      const res = await ownApp.request(`${API}/v1/config`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${own.secretKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(config),
      })
      expect(res.status).toBe(200)
      cfg = (await res.json()) as JourneyConfig
    }
    return {
      own,
      ownApp,
      cfg,
      ...getters(
        () => ownApp,
        () => own,
      ),
    }
  }

  it('RS06 checklist: each item’s median day of the accounts that did it, and its window from the config', async () => {
    // The config moves kickoff's window and shows two items.
    const { own, ownApp, cfg, get, json } = await ownWorkspace({
      milestones: { kickoff: { window: [2, 4] } },
      experiences: { checklist: { items: ['kickoff', 'setup'] } },
    })
    expect(cfg.milestones.kickoff.window).toEqual([2, 4])
    const day0 = (m: number, d: number) => Date.UTC(2026, m - 1, d)
    const H = 3_600_000
    // [account, segment, contract start trait, first event, the start it means, kickoff day, setup day]
    const plan: [string, Segment, unknown, number, number, number[], number | null][] = [
      ['k-date', 'smb', '2026-10-01', day0(10, 1) + 8 * H, day0(10, 1), [2, 20], 8],
      ['k-offset', 'enterprise', '2026-10-01T22:00:00-05:00', day0(9, 30) + 10 * H, day0(10, 2), [5], null],
      ['k-garbage', 'smb', 'next quarter', day0(10, 4) + 12 * H, day0(10, 4), [1], null],
      ['k-bad-date', 'enterprise', '2026-13-45', day0(10, 6), day0(10, 6), [9], null],
      ['k-number', 'mid_market', Date.UTC(2026, 9, 1, 12), day0(10, 1) + 9 * H, day0(10, 1), [], 29],
      ['k-none', 'mid_market', undefined, day0(10, 2), day0(10, 2), [], null],
    ]
    const accounts: TestAccount[] = plan.map(([id, segment]) => ({ id, segment, phase: 'onboarding' }))
    accounts.push({ id: 'k-unreached', segment: 'smb', phase: 'onboarding' })
    const evs: Ev[] = []
    const ev = (accountId: string, at: number, name: string, properties: Record<string, unknown> = {}) =>
      evs.push({ id: `${accountId}-${evs.length}`, name, accountId, userId: `${accountId}-u0`, at, properties })
    for (const [id, , contractStart, first, start, kickoff, setup] of plan) {
      evs.push({
        id: `${id}-group`,
        type: 'group',
        name: '',
        accountId: id,
        userId: `${id}-u0`,
        at: first,
        properties: {},
        traits: { plan: 'pro', ...(contractStart !== undefined && { contractStart }) },
      })
      for (const d of kickoff) ev(id, start + d * DAY_MS + 15 * H, 'kickoff_held')
      if (setup !== null) ev(id, start + setup * DAY_MS + 23 * H, 'setup_completed')
      ev(id, day0(11, 2), 'experience_shown', { experienceId: 'checklist', kind: 'checklist' })
    }
    // Kickoff done by an account the checklist never reached: not one of its accounts.
    ev('k-unreached', day0(10, 3), 'kickoff_held')
    await send(ownApp, own, evs)
    await snapshots(ctx.store, own, accounts)

    const from = day0(10, 20)
    const checklistOf = (body: Json) => body.experiences.find((x: Json) => x.id === 'checklist')
    const body = await json(`/v1/results/experiences?from=${iso(from)}`)
    expect(ExperienceResultsSchema.parse(body)).toEqual(body)
    expect(body.experiences).toEqual(expectedExperiences(evs, { from, to: NOW }, cfg, accounts))
    // The days as planned: the lower median of an even count, the first kickoff of k-date.
    const [kickoff, setup] = checklistOf(body).items
    const kickoffDays = plan.flatMap((p) => p[5].slice(0, 1))
    const setupDays = plan.flatMap((p) => (p[6] === null ? [] : [p[6]]))
    expect(kickoff).toMatchObject({ id: 'kickoff', done: kickoffDays.length, accounts: plan.length, window: [2, 4] })
    expect(kickoff.medianDay).toBe(lowerMedian(kickoffDays))
    expect(setup).toMatchObject({ id: 'setup', done: setupDays.length, window: cfg.milestones.setup.window })
    expect(setup.medianDay).toBe(lowerMedian(setupDays))

    // Filtered: the segment's accounts only; a median of none is null, an empty cell in the CSV.
    for (const segment of SEGMENTS) {
      const filtered = await json(`/v1/results/experiences?from=${iso(from)}&segment=${segment}`)
      expect(filtered.experiences, segment).toEqual(expectedExperiences(evs, { from, to: NOW, segment }, cfg, accounts))
    }
    const mid = checklistOf(await json(`/v1/results/experiences?from=${iso(from)}&segment=mid_market`))
    expect(mid.items.map((i: Json) => i.medianDay)).toEqual([null, 29])
    const csv = await (await get(`/v1/results/experiences?from=${iso(from)}&segment=mid_market&format=csv`)).text()
    expect(csv).toContain('checklist,checklist,item_median_day,kickoff,\r\n')
    expect(csv).toContain('checklist,checklist,item_median_day,setup,29\r\n')
    expect(csv).toContain('checklist,checklist,item_window_to,kickoff,4\r\n')
  })

  it('RS07 programs accepted: from an advocacy ask and an NPS follow-up, each event once, by segment', async () => {
    const { own, ownApp, get, json } = await ownWorkspace()
    const accounts: TestAccount[] = [
      { id: 'p-a', segment: 'smb', phase: 'advocacy' },
      { id: 'p-b', segment: 'enterprise', phase: 'advocacy' },
    ]
    const base = Date.UTC(2026, 10, 2, 10)
    const nps = { experienceId: 'nps:2026-11-02', kind: 'nps' }
    const ask = { experienceId: 'advocacy:promoter', kind: 'advocacy' }
    const rows: [string, string | null, Record<string, unknown>, string, unknown][] = [
      ['p-a', 'p-a-u1', nps, 'experience_shown', undefined],
      ['p-a', 'p-a-u1', nps, 'advocacy_accepted', 'review'],
      ['p-a', 'p-a-u1', nps, 'advocacy_accepted', 'review'], // again, another day: a second event
      ['p-b', 'p-b-u2', nps, 'advocacy_accepted', 'referral'],
      ['p-b', 'p-b-u2', nps, 'advocacy_accepted', 7], // not a program
      ['p-b', 'p-b-u3', nps, 'advocacy_accepted', undefined],
      ['p-a', 'p-a-u3', ask, 'experience_shown', undefined],
      ['p-a', 'p-a-u3', ask, 'advocacy_accepted', 'case_study'],
      ['p-b', null, ask, 'advocacy_accepted', 'case_study'],
      ['p-b', 'p-b-u2', ask, 'advocacy_accepted', 'case_study'],
      // Of a guide: counted with the guide's users, in no program list.
      ['p-a', 'p-a-u1', { experienceId: 'guide:tour', kind: 'guide' }, 'advocacy_accepted', 'review'],
    ]
    const evs: Ev[] = rows.map(([accountId, userId, x, name, program], i) => ({
      id: `acc-${i}`,
      name,
      accountId,
      userId,
      at: base + i * DAY_MS,
      properties: { ...x, ...(program !== undefined && { program }) },
    }))
    expect(await send(ownApp, own, evs)).toBe(0)
    expect(await send(ownApp, own, evs)).toBe(evs.length)
    await snapshots(ctx.store, own, accounts)

    const from = Date.UTC(2026, 10, 1)
    const body = await json(`/v1/results/experiences?from=${iso(from)}`)
    expect(ExperienceResultsSchema.parse(body)).toEqual(body)
    expect(body.experiences).toEqual(expectedExperiences(evs, { from, to: NOW }, defaultConfig, accounts))
    const programsOf = (b: Json, id: string) => b.experiences.find((x: Json) => x.id === id)?.programs
    // As sent above: review twice by one user, referral once; case study by a user, an anonymous one and another.
    expect(programsOf(body, 'nps:2026-11-02')).toEqual([
      { id: 'referral', accepted: 1, users: 1, accounts: 1 },
      { id: 'review', accepted: 2, users: 1, accounts: 1 },
    ])
    expect(programsOf(body, 'advocacy:promoter')).toEqual([{ id: 'case_study', accepted: 3, users: 2, accounts: 2 }])
    expect(programsOf(body, 'guide:tour')).toBeUndefined()
    for (const segment of ['smb', 'enterprise']) {
      const filtered = await json(`/v1/results/experiences?from=${iso(from)}&segment=${segment}`)
      expect(filtered.experiences, segment).toEqual(
        expectedExperiences(evs, { from, to: NOW, segment }, defaultConfig, accounts),
      )
    }
    const smb = await json(`/v1/results/experiences?from=${iso(from)}&segment=smb`)
    expect(programsOf(smb, 'advocacy:promoter')).toEqual([{ id: 'case_study', accepted: 1, users: 1, accounts: 1 }])
    const csv = await (await get(`/v1/results/experiences?from=${iso(from)}&format=csv`)).text()
    expect(csv).toContain('nps:2026-11-02,nps,program_accepted,review,2\r\n')
    expect(csv).toContain('advocacy:promoter,advocacy,program_users,case_study,2\r\n')
  })

  it('RS08 each form of contract start gives the engine’s account day; an unreadable one, the first event', async () => {
    const starts: unknown[] = [
      '2026-10-01',
      '2026-10-01T22:00:00-05:00',
      '2026-10-02T01:30:00+05:30',
      '2026-10-02T00:30:00.250+0100',
      '2026-10-01 10:00',
      '2026-10-01t22:00z',
      ' 2026-09-31 ',
      '2024-02-30',
      Date.UTC(2026, 9, 1, 12),
      -3 * DAY_MS + 5,
      1e300,
      'soon',
      '2026-13-45',
      '2026-10-01T25:00Z',
      '2026-10-01T10:60Z',
      '',
      null,
      { day: '2026-10-01' },
      true,
    ]
    const first = Date.UTC(2026, 9, 4, 18)
    const done = Date.UTC(2026, 9, 9, 7)
    for (const contractStart of starts) {
      const { own, ownApp, json } = await ownWorkspace()
      const evs: Ev[] = [
        {
          id: 'g',
          type: 'group',
          name: '',
          accountId: 'acme',
          userId: 'acme-u0',
          at: first,
          properties: {},
          traits: { contractStart },
        },
        { id: 'k', name: 'kickoff_held', accountId: 'acme', userId: null, at: done, properties: {} },
        {
          id: 's',
          name: 'experience_shown',
          accountId: 'acme',
          userId: 'acme-u0',
          at: done,
          properties: { experienceId: 'checklist', kind: 'checklist' },
        },
      ]
      await send(ownApp, own, evs)
      const body = await json(`/v1/results/experiences?from=${iso(done)}`)
      const kickoff = body.experiences[0].items.find((i: Json) => i.id === 'kickoff')
      expect(kickoff.medianDay, JSON.stringify(contractStart)).toBe(accountDay(evs, 'acme', done))
    }
  })
})
