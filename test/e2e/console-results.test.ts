/**
 * The console's Results page in real Chromium (docs/console.md, "Results"): the product on a random
 * port (PGlite in memory, the built console at /console/), three accounts sent through the ingest
 * API with what the SDK sends back (two guides' shows, steps, dismissals and completions, the
 * checklist's shows, milestone events, NPS answers with comments, a program accepted from the NPS
 * survey's follow-up), evaluated so that each account has its segment. The owner reads the page;
 * every number is checked against the one counted here from the events sent, by the rules of
 * docs/http-api.md, "Results". The segment filter, the CSV downloads, axe-core in both languages and
 * the language switch; screenshots of each view.
 */
import { readFileSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultConfig } from '../../server/journey'
import type { WireEvent } from '../../sdk/wire'
import { launchChromium } from '../support/chromium'
import { screenshotPath } from '../support/screenshots'
import { axe, openConsolePage, settled, startConsoleSite } from './console-harness'
import type { ConsoleSite } from './console-harness'

const OWNER = 'owner@example.com'
const DAY_MS = 86_400_000
const MINUTE_MS = 60_000
/** Every event is at most this long ago: well inside the page's default range of 30 days. */
const START = Date.now() - 12 * DAY_MS

const ACCOUNTS = [
  { id: 'acme', name: 'Acme Corp', segment: 'smb', users: 4 },
  { id: 'globex', name: 'Globex', segment: 'smb', users: 3 },
  { id: 'initech', name: 'Initech', segment: 'enterprise', users: 3 },
] as const
type AccountId = (typeof ACCOUNTS)[number]['id']

/** What one user did with an experience, in order: the SDK's engagement events, one a few minutes apart. */
type Act =
  | ['shown']
  | ['view', number]
  | ['missing', number]
  | ['completed']
  | ['dismissed', string]
  | ['nps', number, string?]
  | ['accept', string]

/** Who did what: `[account, user number, experience id, day after START, acts]`. */
const SCRIPT: [AccountId, number, string, number, Act[]][] = [
  // The tour: two steps. Some finish, some close it at a step, one leaves the page at step 2.
  ['acme', 0, 'guide:tour', 1, [['shown'], ['view', 0], ['view', 1], ['completed']]],
  ['acme', 1, 'guide:tour', 1, [['shown'], ['view', 0], ['dismissed', 'close']]],
  ['acme', 2, 'guide:tour', 2, [['shown'], ['view', 0], ['view', 1], ['dismissed', 'close']]],
  ['acme', 3, 'guide:tour', 2, [['shown'], ['view', 0], ['view', 1], ['completed']]],
  ['globex', 0, 'guide:tour', 3, [['shown'], ['view', 0], ['missing', 1], ['dismissed', 'target_missing']]],
  ['globex', 1, 'guide:tour', 3, [['shown'], ['view', 0], ['view', 1], ['completed']]],
  ['initech', 0, 'guide:tour', 4, [['shown'], ['view', 0], ['dismissed', 'later']]],
  ['initech', 1, 'guide:tour', 4, [['shown'], ['view', 0], ['view', 1]]],
  // Shown again the next day, and finished this time: no longer left at step 1.
  ['acme', 2, 'guide:tour', 5, [['shown'], ['view', 0], ['view', 1], ['completed']]],
  // A second guide of one step.
  ['initech', 2, 'guide:alerts', 5, [['shown'], ['view', 0], ['completed']]],
  ['globex', 2, 'guide:alerts', 5, [['shown'], ['view', 0], ['dismissed', 'escape']]],
  // The checklist reached two of the three accounts.
  ['acme', 0, 'checklist', 0, [['shown']]],
  ['acme', 1, 'checklist', 1, [['shown'], ['dismissed', 'later']]],
  ['globex', 0, 'checklist', 1, [['shown'], ['completed']]],
  // NPS answers over two weeks; acme-u1 answers twice in a week (the later one counts for the week).
  ['acme', 0, 'nps', 2, [['shown'], ['nps', 9, 'Exports are fast now']]],
  ['acme', 1, 'nps', 3, [['shown'], ['nps', 3, 'Too many clicks to invite a teammate']]],
  ['acme', 1, 'nps', 3.2, [['shown'], ['nps', 8]]],
  // A promoter accepts a program the survey's follow-up offers.
  ['globex', 0, 'nps', 6, [['shown'], ['nps', 10, 'Setup took ten minutes'], ['accept', 'referral']]],
  ['globex', 1, 'nps', 9, [['shown'], ['nps', 6, 'Reports are slow on Mondays']]],
  ['initech', 0, 'nps', 10, [['shown'], ['nps', 7]]],
  ['initech', 1, 'nps', 11, [['shown'], ['nps', 2, 'We miss an SSO option']]],
]

/** Milestone events (the checklist's items are milestones), some of an account the checklist did not reach. */
const MILESTONES: [AccountId, string][] = [
  ['acme', 'welcome_email_sent'],
  ['acme', 'kickoff_held'],
  ['acme', 'setup_completed'],
  ['globex', 'welcome_email_sent'],
  ['globex', 'first_value'],
  ['initech', 'welcome_email_sent'],
  ['initech', 'kickoff_held'],
]

const user = (account: string, n: number) => `${account}-u${n}`

function buildEvents(): WireEvent[] {
  const out: WireEvent[] = []
  let seq = 0
  const push = (at: number, e: Omit<WireEvent, 'id' | 'timestamp'>) =>
    out.push({ id: `r-${(seq++).toString(36)}`, timestamp: new Date(at).toISOString(), ...e })
  for (const a of ACCOUNTS) {
    push(START - DAY_MS, {
      type: 'group',
      userId: user(a.id, 0),
      accountId: a.id,
      traits: { name: a.name, segment: a.segment },
    })
    for (let u = 0; u < a.users; u++)
      push(START - DAY_MS + (u + 1) * MINUTE_MS, { type: 'identify', userId: user(a.id, u), accountId: a.id })
  }
  for (const [i, [account, name]] of MILESTONES.entries())
    push(START + i * MINUTE_MS, { type: 'track', event: name, userId: user(account, 0), accountId: account })
  for (const [account, u, experienceId, day, acts] of SCRIPT) {
    const kind = experienceId.startsWith('guide:') ? 'guide' : experienceId
    const guide = kind === 'guide' ? { guideId: experienceId.slice('guide:'.length) } : {}
    let t = START + day * DAY_MS + 60 * MINUTE_MS
    for (const act of acts) {
      t += 3 * MINUTE_MS
      const base = { experienceId, kind }
      const [event, properties]: [string, Record<string, unknown>] =
        act[0] === 'shown'
          ? ['experience_shown', { ...base, sessionId: `s-${account}-${u}` }]
          : act[0] === 'view'
            ? ['guide_step_viewed', { ...base, ...guide, step: act[1] }]
            : act[0] === 'missing'
              ? ['guide_target_missing', { ...base, ...guide, step: act[1], selector: '#reports' }]
              : act[0] === 'completed'
                ? ['experience_completed', base]
                : act[0] === 'dismissed'
                  ? ['experience_dismissed', { ...base, reason: act[1] }]
                  : act[0] === 'accept'
                    ? ['advocacy_accepted', { ...base, program: act[1] }]
                    : ['nps_response', { ...base, score: act[1], ...(act[2] && { comment: act[2] }) }]
      push(t, { type: 'track', event, userId: user(account, u), accountId: account, properties })
    }
  }
  return out
}

const EVENTS = buildEvents()

// ------------------------------------------------ what the page should show, counted from EVENTS

type Track = WireEvent & { properties: Record<string, any>; accountId: string; userId: string }
const tracks = (segment?: string): Track[] =>
  EVENTS.filter(
    (e): e is Track =>
      e.type === 'track' && (segment === undefined || ACCOUNTS.find((a) => a.id === e.accountId)?.segment === segment),
  )
const ENGAGEMENT = [
  'experience_shown',
  'experience_completed',
  'experience_dismissed',
  'guide_step_viewed',
  'guide_target_missing',
  'advocacy_accepted',
]
const time = (e: WireEvent) => Date.parse(e.timestamp)
/** The account day of `t`: whole UTC days from the account's first event (none has a contract start). */
const accountDay = (account: string, t: number) => {
  const first = Math.min(...EVENTS.filter((e) => e.accountId === account).map(time))
  return Math.floor(t / DAY_MS) - Math.floor(first / DAY_MS)
}
/** Of an even count, the smaller of the two middle values. */
const lowerMedian = (xs: number[]) =>
  xs.length === 0 ? null : [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!
const distinct = (xs: string[]) => new Set(xs).size

/** Per experience id: the numbers of docs/http-api.md, "Results", the slow and obvious way. */
function expectedExperiences(segment?: string) {
  const evs = tracks(segment).filter((e) => ENGAGEMENT.includes(e.event!))
  const ids = [...new Set(evs.map((e) => e.properties.experienceId as string))].sort()
  return ids.map((id) => {
    const of = evs.filter((e) => e.properties.experienceId === id)
    const named = (name: string) => of.filter((e) => e.event === name)
    const byReason: Record<string, number> = {}
    for (const e of named('experience_dismissed'))
      byReason[e.properties.reason] = (byReason[e.properties.reason] ?? 0) + 1
    const steps = [...new Set(of.filter((e) => typeof e.properties.step === 'number').map((e) => e.properties.step))]
      .sort()
      .map((step) => {
        // Each user's latest view of the guide; left at it when not completed at or after it.
        let left = 0
        for (const u of new Set(named('guide_step_viewed').map((e) => e.userId))) {
          const last = named('guide_step_viewed')
            .filter((e) => e.userId === u)
            .sort((a, b) => time(a) - time(b))
            .at(-1)!
          const finished = named('experience_completed').some((e) => e.userId === u && time(e) >= time(last))
          if (!finished && last.properties.step === step) left++
        }
        return {
          step,
          viewed: named('guide_step_viewed').filter((e) => e.properties.step === step).length,
          left,
          targetMissing: named('guide_target_missing').filter((e) => e.properties.step === step).length,
        }
      })
    const reached = [...new Set(of.map((e) => e.accountId))]
    const items = defaultConfig.experiences.checklist.items.map((item) => {
      const milestones = tracks().filter((e) => defaultConfig.milestones[item].events.includes(e.event!))
      const days = reached.flatMap((a) => {
        const first = milestones.filter((e) => e.accountId === a).map(time)
        return first.length ? [accountDay(a, Math.min(...first))] : []
      })
      return {
        item,
        done: days.length,
        accounts: reached.length,
        medianDay: lowerMedian(days),
        window: defaultConfig.milestones[item].window,
      }
    })
    const accepted = named('advocacy_accepted')
    const programs = [...new Set(accepted.map((e) => e.properties.program as string))].sort().map((program) => {
      const by = accepted.filter((e) => e.properties.program === program)
      return {
        program,
        accepted: by.length,
        users: distinct(by.map((e) => e.userId)),
        accounts: distinct(by.map((e) => e.accountId)),
      }
    })
    return {
      id,
      kind: of[0]!.properties.kind as string,
      shown: named('experience_shown').length,
      completed: named('experience_completed').length,
      dismissed: named('experience_dismissed').length,
      byReason,
      users: distinct(of.map((e) => e.userId)),
      accounts: reached.length,
      steps,
      items,
      programs,
    }
  })
}

/** A checklist item's note on the page: its median day against its window. */
function itemNote(i: { medianDay: number | null; window: [number, number] }): string {
  const [from, to] = i.window
  const window = from === to ? `window day ${from}` : `window ${from}–${to}`
  if (i.medianDay === null) return `not done yet (${window})`
  return `median day ${i.medianDay} (${window})${i.medianDay > to ? ': late' : ''}`
}

/** Monday 00:00 UTC of `t`'s week. */
const weekStart = (t: number) => {
  const day = Math.floor(t / DAY_MS)
  return (day - ((new Date(day * DAY_MS).getUTCDay() + 6) % 7)) * DAY_MS
}

/** The NPS per week with answers (each user's latest of the week), and every answer, newest first. */
function expectedNps() {
  const answers = tracks()
    .filter((e) => e.event === 'nps_response')
    .sort((a, b) => time(a) - time(b))
  const weeks = new Map<number, Map<string, number>>()
  for (const a of answers) {
    const w = weekStart(time(a))
    if (!weeks.has(w)) weeks.set(w, new Map())
    weeks.get(w)!.set(a.userId, a.properties.score)
  }
  const series = [...weeks.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, byUser]) => {
      const scores = [...byUser.values()]
      const promoters = scores.filter((s) => s >= defaultConfig.nps.promoterMin).length
      const passives = scores.filter(
        (s) => s >= defaultConfig.nps.passiveMin && s < defaultConfig.nps.promoterMin,
      ).length
      const detractors = scores.length - promoters - passives
      const score = Math.floor((100 * (promoters - detractors)) / scores.length + 0.5)
      return [score, scores.length, promoters, passives, detractors].map(String)
    })
  const comments = [...answers].reverse().map((a) => (a.properties.comment as string | undefined) ?? 'no comment')
  return { series, comments, total: answers.length }
}

const REASONS: Record<string, string> = {
  close: 'closed',
  escape: 'Escape key',
  later: 'later',
  target_missing: 'target missing',
}

// ------------------------------------------------ the product, and a browser

let site: ConsoleSite
let browser: Browser

beforeAll(async () => {
  site = await startConsoleSite({ workspaceId: 'results-e2e', name: 'Results E2E' })
  await site.addMembers({ owner: OWNER })
  // The segment filter reads each account's snapshot, which the evaluator's sweep writes.
  await site.importAndSweep(EVENTS)
  browser = await launchChromium()
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await site?.close()
})

/** A page of a fresh context, signed in as the owner. */
async function openSignedIn() {
  // Downloads are accepted: Playwright's default for a new context.
  const opened = await openConsolePage(browser)
  await site.signIn(opened.page, OWNER)
  return opened
}

/** The texts of the rows of `selector`'s table bodies (hidden ones too: a chart's table under its disclosure). */
const rowsOf = (page: Page, selector: string) =>
  page
    .locator(`${selector} tbody tr`)
    .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => (c.textContent ?? '').trim())))

/** Every number of the page against the ones counted from the events sent (of one segment, or all). */
async function expectCounts(page: Page, segment?: string): Promise<void> {
  const expected = expectedExperiences(segment)
  const table = await rowsOf(page, 'section[aria-label="Experiences"]')
  expect(table).toEqual(
    expected.map((x) => {
      const reasons = Object.keys(x.byReason)
        .sort()
        .map((r) => `${REASONS[r]}: ${x.byReason[r]}`)
      return [
        x.id,
        { checklist: 'Checklist', guide: 'Guide', nps: 'NPS survey' }[x.kind],
        String(x.shown),
        String(x.completed),
        reasons.length ? `${x.dismissed} (${reasons.join(', ')})` : String(x.dismissed),
        String(x.users),
        String(x.accounts),
      ]
    }),
  )
  for (const g of expected.filter((x) => x.kind === 'guide')) {
    const name = g.id.slice('guide:'.length)
    expect(await rowsOf(page, `section[aria-label="Guide “${name}”"] figure`)).toEqual(
      g.steps.map((s) => [`Step ${s.step + 1}`, String(s.viewed), String(s.left), String(s.targetMissing)]),
    )
  }
  const checklist = expected.find((x) => x.kind === 'checklist')!
  const items = await rowsOf(page, `figure:has-text("Items done, of the ${checklist.accounts} accounts")`)
  expect(items.map((r) => r[1])).toEqual(checklist.items.map((i) => String(i.done)))
  expect(items.map((r) => r[3])).toEqual(checklist.items.map(itemNote))
  // The programs accepted: one row per program and the experience that offered it.
  const programs = expected.flatMap((x) =>
    x.programs.map((p) => [x.id, String(p.accepted), String(p.users), String(p.accounts)]),
  )
  const rows = await rowsOf(page, 'section[aria-label="Advocacy programs"]')
  expect(rows.map((r) => [r[1], r[3], r[4], r[5]])).toEqual(programs)
}

describe('the Results page in Chromium', () => {
  it('CE15 the page counts what the events sent imply; the segment filter and both CSV files agree', async () => {
    const { ctx, page, errors } = await openSignedIn()
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Results', exact: true }).click()
    await page.getByRole('heading', { name: 'Results', level: 1 }).waitFor()
    await settled(page)
    expect(await page.getByRole('alert').count()).toBe(0)
    await expectCounts(page)

    // The NPS: each week's score and counts, the answers newest first with their comments.
    const nps = expectedNps()
    const weeks = (await rowsOf(page, 'section[aria-label="NPS by week"]')).filter((r) => r[2] !== '0')
    expect(weeks.map((r) => r.slice(1))).toEqual(nps.series)
    const answers = await rowsOf(page, 'section[aria-label="Answers, newest first"]')
    expect(answers.map((r) => r[4])).toEqual(nps.comments)
    await page.getByText(`${nps.total} of ${nps.total} answers, newest first.`).waitFor()
    await page.screenshot({ path: screenshotPath('console-results-en'), fullPage: true })

    // The charts' tables, opened: what a reader of the table gets instead of the pictures.
    await page.locator('figure.chart details > summary').evaluateAll((ss) => {
      for (const s of ss) (s as HTMLElement).click()
    })
    await page.screenshot({ path: screenshotPath('console-results-tables-en'), fullPage: true })

    // Each CSV downloads with the page's filters.
    const download = async (name: string) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()])
      return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') }
    }
    const experiencesCsv = await download('Download the experiences’ results as CSV')
    expect(experiencesCsv.name).toBe('experience-results.csv')
    const csvRows = experiencesCsv.text.trim().split(/\r?\n/)
    expect(csvRows[0]).toBe('experienceId,kind,measure,key,value')
    for (const x of expectedExperiences()) {
      expect(csvRows).toContain(`${x.id},${x.kind},shown,,${x.shown}`)
      for (const s of x.steps) expect(csvRows).toContain(`${x.id},${x.kind},step_left,${s.step},${s.left}`)
    }
    const npsCsv = await download('Download the NPS and its answers as CSV')
    expect(npsCsv.name).toBe('nps-results.csv')
    expect(
      npsCsv.text
        .trim()
        .split(/\r?\n/)
        .filter((r) => r.startsWith('answer,')),
    ).toHaveLength(nps.total)

    // One segment: the URL holds it, and the numbers are the ones of its accounts only.
    await page.getByLabel('Segment').selectOption('smb')
    await page.waitForURL(/\/console\/results\?segment=smb$/)
    await settled(page)
    await expectCounts(page, 'smb')
    expect(
      await page.getByRole('link', { name: 'Download the experiences’ results as CSV' }).getAttribute('href'),
    ).toContain('segment=smb')
    await page.screenshot({ path: screenshotPath('console-results-smb-en'), fullPage: true })
    expect(errors).toEqual([])
    await ctx.close()
  }, 120_000)

  it('CE16 axe-core finds no violation on Results in English and Portuguese; the switch translates it', async () => {
    const { ctx, page, errors } = await openSignedIn()
    await page.goto(`${site.url}/console/results?interval=month`)
    await page.getByRole('heading', { name: 'Results', level: 1 }).waitFor()
    await settled(page)
    const found: Record<string, string[]> = { en: await axe(page) }

    await page.getByLabel('Language').selectOption('pt-BR')
    await page.getByRole('heading', { name: 'Resultados', level: 1 }).waitFor()
    expect(
      await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Resultados' }).count(),
    ).toBe(1)
    const headers = await page.locator('section[aria-label="Experiências"] thead th').allTextContents()
    expect(headers).toEqual(['Experiência', 'Tipo', 'Mostrada', 'Concluída', 'Dispensada', 'Usuários', 'Contas'])
    await page.getByText('Saíram aqui').first().waitFor()
    const nps = expectedNps()
    await page.getByText(`${nps.total} de ${nps.total} respostas, as mais recentes primeiro.`).waitFor()
    await settled(page)
    found['pt-BR'] = await axe(page)
    await page.screenshot({ path: screenshotPath('console-results-month-pt-BR'), fullPage: true })
    expect(found).toEqual({ en: [], 'pt-BR': [] })
    expect(errors).toEqual([])
    await ctx.close()
  }, 120_000)
})
