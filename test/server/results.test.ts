/**
 * The results routes (docs/http-api.md, "Results"): a seeded random set of engagement events,
 * milestones and NPS answers over several accounts, counted here from the raw events the slow and
 * obvious way and compared with what the routes answer; filters, ranges, CSV and refusals. On
 * PGlite and on PostgreSQL.
 */
import { beforeAll, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { defaultConfig } from '../../server/journey'
import { PHASES, SEGMENTS } from '../../server/journey/vocabulary'
import { ExperienceResultsSchema, NpsResultsSchema } from '../../server/schemas/results-responses'
import { describeEachStore } from '../support/each-store'
import { prng } from '../support/prng'
import { batchRequest, getters, newWorkspace } from './helpers'
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
]
const EXPERIENCES = [
  { id: 'checklist', kind: 'checklist' },
  { id: 'guide:tour', kind: 'guide' },
  { id: 'guide:alerts', kind: 'guide' },
  { id: 'nps', kind: 'nps' },
  { id: 'value', kind: 'value' },
]
const REASONS = ['close', 'escape', 'later', 'target_missing', undefined, 7]
const ACCOUNTS = Array.from({ length: 8 }, (_, i) => ({
  id: `acc-${i}`,
  segment: SEGMENTS[i % SEGMENTS.length]!,
  phase: PHASES[i % 3]!,
}))

interface Ev {
  id: string
  name: string
  accountId: string
  userId: string | null
  at: number
  properties: Record<string, unknown>
}

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
  return out
}

interface Query {
  from: number
  to: number
  segment?: string
  phase?: string
}

const inQuery = (q: Query) => (e: Ev) => {
  const a = ACCOUNTS.find((x) => x.id === e.accountId)!
  return (
    e.at >= q.from &&
    e.at <= q.to &&
    (q.segment === undefined || a.segment === q.segment) &&
    (q.phase === undefined || a.phase === q.phase)
  )
}

/** The experiences' results computed from the raw events, by the rules of http-api.md. */
function expectedExperiences(events: Ev[], q: Query) {
  const kinds = ['checklist', 'guide', 'nps', 'value', 'advocacy', 'message', 'banner']
  const evs = events.filter(
    (e) =>
      ENGAGEMENT.includes(e.name) &&
      inQuery(q)(e) &&
      typeof e.properties.experienceId === 'string' &&
      kinds.includes(e.properties.kind as string),
  )
  const keys = [...new Set(evs.map((e) => `${e.properties.experienceId}|${e.properties.kind}`))].sort()
  const cfg = defaultConfig
  return keys.map((key) => {
    const [id, kind] = key.split('|') as [string, string]
    const mine = evs.filter((e) => e.properties.experienceId === id && e.properties.kind === kind)
    const named = (n: string) => mine.filter((e) => e.name === n)
    const byReason: Record<string, number> = {}
    for (const e of named('experience_dismissed')) {
      const r = typeof e.properties.reason === 'string' ? e.properties.reason : 'none'
      byReason[r] = (byReason[r] ?? 0) + 1
    }
    const accounts = new Set(mine.map((e) => e.accountId))
    const out: Json = {
      id,
      kind,
      shown: named('experience_shown').length,
      completed: named('experience_completed').length,
      dismissed: { total: named('experience_dismissed').length, byReason },
      users: new Set(mine.filter((e) => e.userId !== null).map((e) => e.userId)).size,
      accounts: accounts.size,
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
      out.items = cfg.experiences.checklist.items.map((item) => ({
        id: item,
        done: [...accounts].filter((a) =>
          events.some((e) => e.accountId === a && cfg.milestones[item].events.includes(e.name) && e.at <= q.to),
        ).length,
        accounts: accounts.size,
      }))
    }
    return out
  })
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
    const batch = events.map((e) => ({
      id: e.id,
      type: 'track',
      event: e.name,
      ...(e.userId === null ? { anonymousId: `anon-${e.id}` } : { userId: e.userId }),
      accountId: e.accountId,
      timestamp: iso(e.at),
      properties: e.properties,
    }))
    for (let i = 0; i < batch.length; i += 500) {
      const res = await app.request(
        batchRequest({ batch: batch.slice(i, i + 500) }, { auth: { bearer: ws.secretKey } }),
      )
      expect(((await res.json()) as Json).rejected).toEqual([])
    }
    await ctx.store.putSnapshots(
      ws.id,
      ACCOUNTS.map((a) => ({
        accountId: a.id,
        segment: a.segment,
        phase: a.phase,
        health: null,
        band: null,
        flags: [],
        computedAt: NOW,
      })),
    )
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
})
