/**
 * The experience decision benchmark (`npm run bench` runs it after the journey part;
 * `tsx test/bench/experience.ts` alone): on the embedded store, one smb account with a year of
 * daily activity by 50 users and the demo's config (guides, value settings), plus a history of
 * engagement events; then `POST /v1/experience` for one of its users through app.request (key
 * lookup, validation, loadFacts, the journey state, the decision, JSON), N times. The decision alone
 * (decideExperiences on loaded facts) is printed beside it. Target: p99 ≤ 10 ms. EXPERIENCE_N (500).
 */
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { createApp } from '../../server/app'
import { parseConfig } from '../../server/journey'
import type { JourneyConfig } from '../../server/journey'
import { decideExperiences } from '../../server/journey/decide-experiences'
import { validateBatch } from '../../server/ingest/validate-batch'
import { createPgliteStore } from '../../server/store'
import type { WireEvent } from '../../sdk/wire'
import { percentile } from './journey'
import { accountHistory, DAY_MS, inBatches } from './journey-data'

const N = Number(process.env.EXPERIENCE_N ?? 500)
export const TARGET_EXPERIENCE_P99_MS = 10

export interface ExperienceFigures {
  events: number
  p50: number
  p99: number
  decideP50: number
  decideP99: number
  kinds: string
}

/** The demo's journey config (guides, value settings), the one the experience is decided with. */
export function demoConfig(): JourneyConfig {
  const parsed = parseConfig(JSON.parse(readFileSync('demo/jornada.config.json', 'utf8')))
  if (!parsed.ok) throw new Error('demo config invalid')
  return parsed.config
}

/**
 * The account the experience is asked for: `big`, smb, a year of daily activity by 50 users up to
 * `now`, with a year of engagement (shows, dismissals, answers) by `big-u0`, the user who asks.
 */
export function experienceYear(now: number): WireEvent[] {
  const start = Math.floor(now / DAY_MS) * DAY_MS - 364 * DAY_MS
  return accountHistory({
    accountId: 'big',
    start,
    days: 365,
    users: 50,
    seats: 60,
    seed: 7,
    until: now,
    traits: { segment: 'smb', renewalDate: new Date(start + 380 * DAY_MS).toISOString().slice(0, 10) },
    planned: [
      { day: 0, event: 'welcome_email_sent' },
      { day: 2, event: 'kickoff_held' },
      { day: 6, event: 'setup_completed' },
      { day: 10, event: 'first_value' },
      { day: 30, event: 'health_check_done' },
      // A year of engagement by the user who asks: shows, dismissals, answers.
      ...Array.from({ length: 60 }, (_, i) => ({
        day: 3 + i * 6,
        event: 'experience_shown',
        userId: 'big-u0',
        properties: { experienceId: `guide:g${i % 3}`, kind: 'guide', sessionId: `s${i}` },
      })),
      ...Array.from({ length: 30 }, (_, i) => ({
        day: 4 + i * 12,
        event: 'experience_dismissed',
        userId: 'big-u0',
        properties: { experienceId: `guide:g${i % 3}`, kind: 'guide', reason: 'close' },
      })),
      ...Array.from({ length: 40 }, (_, i) => ({
        day: 30 + i * 8,
        event: 'nps_response',
        userId: `big-u${i % 50}`,
        properties: { score: 6 + (i % 5) },
      })),
    ],
  })
}

/** What `POST /v1/experience` is asked, with the write key. */
export const EXPERIENCE_BODY = JSON.stringify({
  userId: 'big-u0',
  accountId: 'big',
  locale: 'pt-BR',
  sessionId: 'bench-session',
})

export async function benchExperience(): Promise<ExperienceFigures> {
  const store = await createPgliteStore({ dataDir: 'memory://' })
  try {
    const now = Date.now()
    const config = demoConfig()
    const ws = 'xbench'
    const writeKey = 'pk_xbench_' + Math.random().toString(36).slice(2)
    await store.createWorkspace({
      id: ws,
      name: 'Experience bench',
      writeKey,
      secretKey: 'sk_xbench_' + Math.random().toString(36).slice(2),
    })
    const year = experienceYear(now)
    for (const batch of inBatches(year, 500)) {
      const { events, rejected } = validateBatch(batch, 'secret', now)
      if (rejected.length > 0) throw new Error(`bench data rejected: ${JSON.stringify(rejected[0])}`)
      await store.ingest(ws, events)
    }
    const app = createApp({ store, log: () => {}, config })
    const body = EXPERIENCE_BODY
    const ask = async () => {
      const res = await app.request('http://bench/v1/experience', {
        method: 'POST',
        headers: { authorization: `Bearer ${writeKey}`, 'content-type': 'application/json' },
        body,
      })
      if (res.status !== 200) throw new Error(`experience: ${res.status} ${await res.text()}`)
      return (await res.json()) as { experiences: { kind: string }[] }
    }
    let kinds = ''
    // Warm-up, one second at least: as in journey.ts, the full collections owed to generating and
    // importing the year in this process are paid before the measured requests.
    const warmUntil = performance.now() + 1000
    for (let i = 0; i < 20 || performance.now() < warmUntil; i++)
      kinds = (await ask()).experiences.map((e) => e.kind).join(', ')
    const ms: number[] = []
    for (let i = 0; i < N; i++) {
      const t0 = performance.now()
      await ask()
      ms.push(performance.now() - t0)
    }
    const facts = (await store.loadFacts(ws, 'big', now))!
    const decideMs: number[] = []
    for (let i = 0; i < N; i++) {
      const t0 = performance.now()
      decideExperiences(config, facts, now, { userId: 'big-u0', sessionId: 'bench-session', locale: 'pt-BR' })
      decideMs.push(performance.now() - t0)
    }
    const r2 = (x: number) => Math.round(x * 100) / 100
    return {
      events: year.length,
      p50: r2(percentile(ms, 50)),
      p99: r2(percentile(ms, 99)),
      decideP50: r2(percentile(decideMs, 50)),
      decideP99: r2(percentile(decideMs, 99)),
      kinds,
    }
  } finally {
    await store.close()
  }
}

export function printExperience(f: ExperienceFigures): void {
  console.log(
    `\nExperience decision (PGlite, one smb account: a year, 50 users, ${f.events.toLocaleString('en-US')} events; ${N} requests)`,
  )
  console.log(`POST /v1/experience p50 / p99 ms  [target p99 ≤ ${TARGET_EXPERIENCE_P99_MS}]   ${f.p50} / ${f.p99}`)
  console.log(`  of which the decision alone (journey state + decision) p50 / p99 ms   ${f.decideP50} / ${f.decideP99}`)
  console.log(`  decided: ${f.kinds || '(nothing)'}`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  printExperience(await benchExperience())
}
