/**
 * `server/node.ts` under Node, Deno and Bun (docs/deploy/deno.md, docs/deploy/bun.md), each in a
 * process of its own as `npm start`, `npm run start:deno` and `npm run start:bun` run it, on the
 * embedded store and on PostgreSQL (a fresh database per runtime). The same history of four
 * accounts goes to each, through the secret key (the past, account-level facts) and the write key
 * (the last days' product use); then the journey of every account at a dozen dates, the diff between
 * consecutive dates and the journey map at each date are read back: Deno's and Bun's answers, status
 * and parsed body, must equal Node's. The journey routes compute from the stored events at the given
 * date, so no answer depends on when it was asked, and none is left out of the comparison.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ACCOUNT_FACTS } from '../../sdk/wire'
import type { WireEvent } from '../../sdk/wire'
import pkg from '../../package.json' with { type: 'json' }
import { accountHistory, DAY_MS, HOUR_MS, inBatches } from '../bench/journey-data'
import type { HistoryOptions } from '../bench/journey-data'
import { onFreshDatabase } from '../support/fresh-database'
import { RUNTIMES, runtimeBinary, startNode, stopAll, type NodeProcess, type Runtime } from '../support/node-process'
import { ONBOARDING_PLAN } from '../support/onboarding-plan'

afterAll(async () => {
  await stopAll()
})

const WRITE_KEY = 'pk_runtimes_0123456789abcdef'
const SECRET_KEY = 'sk_runtimes_0123456789abcdef'

/** Today's UTC midnight: nothing is sent for today, so no answer depends on the hour the test runs. */
const TODAY = Math.floor(Date.now() / DAY_MS) * DAY_MS
const iso = (t: number) => new Date(t).toISOString()
const ymd = (t: number) => iso(t).slice(0, 10)
/** Events this recent are product use a page would send: they go with the write key (ingest.md: not clamped within 7 days). */
const WRITE_KEY_SINCE = TODAY - 5 * DAY_MS

const FACTS: readonly string[] = ACCOUNT_FACTS
const weekday = (start: number, day: number) => ![0, 6].includes(new Date(start + day * DAY_MS).getUTCDay())

/**
 * Four accounts that between them go through every phase but advocacy, raise every onboarding red
 * flag and `usage_declining`, and include dates before an account existed (a 404 each runtime must
 * give too). Day numbers are account days (journey.md).
 */
function accounts(): HistoryOptions[] {
  const acme = TODAY - 200 * DAY_MS
  const globex = TODAY - 120 * DAY_MS
  const initech = TODAY - 45 * DAY_MS
  const umbrella = TODAY - 160 * DAY_MS
  return [
    {
      // Onboarded late on setup, then growing: NPS, a ticket, the plan's limit, a premium feature asked for.
      accountId: 'acme',
      start: acme,
      days: 200,
      users: 5,
      seats: 8,
      seed: 11,
      traits: { segment: 'mid_market', plan: 'pro', renewalDate: ymd(acme + 365 * DAY_MS) },
      joinDay: (u) => [0, 0, 0, 20, 40][u]!,
      active: (day, u, rand) => u === 0 || (weekday(acme, day) && rand() < 0.85),
      planned: [
        ...ONBOARDING_PLAN,
        { day: 30, event: 'nps_response', hour: 13, userId: 'acme-u0', properties: { score: 10 } },
        { day: 30, event: 'nps_response', hour: 13, userId: 'acme-u1', properties: { score: 9 } },
        { day: 40, event: 'ticket_opened', hour: 12, properties: { ticketId: 'T-1' } },
        { day: 50, event: 'ticket_closed', hour: 12, properties: { ticketId: 'T-1' } },
        { day: 92, event: 'usage_limit', hour: 12, properties: { used: 90, limit: 100 } },
        { day: 93, event: 'premium_feature_requested', hour: 12, userId: 'acme-u1', properties: { feature: 'sso' } },
        { day: 150, event: 'nps_response', hour: 13, userId: 'acme-u2', properties: { score: 6 } },
      ],
    },
    {
      // A rough onboarding (kickoff moved twice, setup late, a training missed), fading use, renewal at day 130.
      accountId: 'globex',
      start: globex,
      days: 120,
      users: 3,
      seed: 12,
      traits: { segment: 'smb', renewalDate: ymd(globex + 130 * DAY_MS) },
      active: (day, u, rand) => (day < 70 ? weekday(globex, day) && rand() < 0.9 : u === 0 && day % 5 === 0),
      planned: [
        { day: 0, event: 'welcome_email_sent', hour: 10 },
        { day: 1, event: 'kickoff_rescheduled', hour: 10 },
        { day: 2, event: 'kickoff_rescheduled', hour: 10 },
        { day: 3, event: 'kickoff_held', hour: 11 },
        { day: 12, event: 'setup_completed', hour: 12, userId: 'globex-u0' },
        { day: 16, event: 'training_no_show', hour: 12 },
        { day: 20, event: 'first_value', hour: 12, userId: 'globex-u1' },
        { day: 60, event: 'nps_response', hour: 13, userId: 'globex-u0', properties: { score: 4 } },
      ],
    },
    {
      // Enterprise, still onboarding, setup never done, nobody logging in after its first three weeks.
      accountId: 'initech',
      start: initech,
      days: 45,
      users: 4,
      seed: 13,
      traits: { segment: 'enterprise' },
      active: (day, _u, rand) => day < 20 && weekday(initech, day) && rand() < 0.8,
      planned: [
        { day: 0, event: 'welcome_email_sent', hour: 10 },
        { day: 2, event: 'kickoff_held', hour: 11 },
      ],
    },
    {
      // Churned on day 110.
      accountId: 'umbrella',
      start: umbrella,
      days: 110,
      users: 3,
      seed: 14,
      traits: { segment: 'smb' },
      planned: [
        { day: 0, event: 'welcome_email_sent', hour: 10 },
        { day: 1, event: 'kickoff_held', hour: 11 },
        { day: 5, event: 'setup_completed', hour: 12, userId: 'umbrella-u0' },
        { day: 8, event: 'first_value', hour: 12, userId: 'umbrella-u1' },
        { day: 110, event: 'churned', hour: 9 },
      ],
    },
  ]
}

/** The history, split by the key that sends it: user events of the last days by the write key, the rest by the secret key. */
function history(): { secret: WireEvent[]; write: WireEvent[] } {
  const secret: WireEvent[] = []
  const write: WireEvent[] = []
  for (const opts of accounts()) {
    for (const e of accountHistory({ ...opts, until: TODAY })) {
      const fact = e.type === 'group' || (e.type === 'track' && FACTS.includes(e.event ?? ''))
      const recent = Date.parse(e.timestamp) >= WRITE_KEY_SINCE
      ;(recent && !fact && e.userId !== undefined ? write : secret).push(e)
    }
  }
  return { secret, write }
}

/** 17:00 UTC of `days` days ago (after that day's planned events), and yesterday as a date alone (its end). */
const DATES = [
  ...[190, 160, 130, 115, 100, 75, 50, 35, 20, 10, 4].map((d) => iso(TODAY - d * DAY_MS + 17 * HOUR_MS)),
  ymd(TODAY - DAY_MS),
]
const ACCOUNT_IDS = ['acme', 'globex', 'initech', 'umbrella']

interface Answer {
  status: number
  body: any
}
/** Every answer of one server, by request path. */
type Answers = Record<string, Answer>

const env = (store: Record<string, string>) => ({
  ...store,
  JORNADA_DEMO: '0',
  // A config file read at start, with core features: the adoption milestones have something to find.
  JORNADA_CONFIG: 'demo/jornada.config.json',
  JORNADA_WRITE_KEY: WRITE_KEY,
  JORNADA_SECRET_KEY: SECRET_KEY,
  JORNADA_RATE_LIMIT: 'off',
})

/**
 * Resolves once `server`'s evaluator has logged its start sweep. A sweep packs the rollups of past
 * days, and on PostgreSQL an import of past days running at the same moment can be chosen as the
 * victim of a deadlock (a `500`, whichever the runtime); the comparison is about the runtimes, so
 * the import starts after it.
 */
async function startSwept(server: NodeProcess): Promise<void> {
  for (let waited = 0; !server.out().includes('"evaluator":"sweep"'); waited += 50) {
    if (waited > 60_000) throw new Error(`no start sweep logged in 60 s:\n${server.out()}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** Sends the history to `server` in batches of 500, each key its share; throws unless every event is accepted. */
async function send(server: NodeProcess, events: { secret: WireEvent[]; write: WireEvent[] }): Promise<void> {
  for (const [key, list] of [
    [SECRET_KEY, events.secret],
    [WRITE_KEY, events.write],
  ] as const) {
    for (const batch of inBatches(list, 500)) {
      const res = await fetch(`${server.base}/v1/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ batch }),
      })
      const body = (await res.json()) as { accepted?: number; rejected?: unknown[] }
      if (res.status !== 200 || body.accepted !== batch.length || body.rejected?.length)
        throw new Error(`${res.status} ${JSON.stringify(body).slice(0, 300)}\n${loggedErrors(server)}`)
    }
  }
}

/** The last error lines the server logged (a `500` logs its error's name and message). */
const loggedErrors = (server: NodeProcess) =>
  server
    .out()
    .split('\n')
    .filter((l) => l.includes('"error"'))
    .slice(-3)
    .join('\n')

/** The journey of every account at every date, the diff between consecutive dates, and the journey map at each date. */
async function read(server: NodeProcess): Promise<Answers> {
  const paths: string[] = []
  for (const id of ACCOUNT_IDS) {
    for (const at of DATES) paths.push(`/v1/accounts/${id}/journey?at=${at}`)
    for (let i = 1; i < DATES.length; i++)
      paths.push(`/v1/accounts/${id}/journey/diff?from=${DATES[i - 1]}&to=${DATES[i]}`)
  }
  for (const at of DATES) paths.push(`/v1/journey-map?at=${at}`)
  const answers: Answers = {}
  for (const path of paths) {
    const res = await fetch(server.base + path, { headers: { authorization: `Bearer ${SECRET_KEY}` } })
    answers[path] = { status: res.status, body: await res.json() }
  }
  return answers
}

/**
 * What makes the comparison worth making: Node's answers cover every phase the history was built
 * for and raise its red flags, and an account read before it existed is a 404.
 */
function expectAJourney(node: Answers): void {
  const journeys = Object.entries(node).filter(([p]) => /\/journey\?at=/.test(p))
  const phases = new Set(journeys.filter(([, a]) => a.status === 200).map(([, a]) => a.body.phase.id))
  expect([...phases].sort()).toEqual(
    expect.arrayContaining(['adoption', 'churned', 'growth', 'onboarding', 'renewal', 'value']),
  )
  const flags = new Set(journeys.flatMap(([, a]) => (a.status === 200 ? a.body.redFlags.map((f: any) => f.id) : [])))
  expect([...flags].sort()).toEqual(
    expect.arrayContaining(['kickoff_rescheduled', 'no_login', 'setup_late', 'training_no_show', 'usage_declining']),
  )
  // Each account answers from its contract start on, and is unknown before.
  for (const { accountId, start } of accounts()) {
    const known = DATES.map((at) => node[`/v1/accounts/${accountId}/journey?at=${at}`]!.status)
    expect(known, accountId).toEqual(DATES.map((at) => (Date.parse(at) >= start ? 200 : 404)))
  }
  expect(journeys.filter(([, a]) => a.status === 404).length).toBeGreaterThan(5)
  const maps = Object.entries(node).filter(([p]) => p.startsWith('/v1/journey-map'))
  expect(maps.every(([, a]) => a.status === 200)).toBe(true)
}

/**
 * Starts the three runtimes over `storeOf(runtime)`'s store, sends the history to each, reads the
 * answers back, then stops each with SIGTERM. Returns the answers and each exit code.
 */
async function runEach(storeOf: (runtime: Runtime) => Record<string, string>) {
  const events = history()
  expect(events.write.length).toBeGreaterThan(20)
  expect(events.secret.length).toBeGreaterThan(1000)
  // Started one after another: a first start on the embedded store is CPU-bound (PGlite creates its
  // database), and three at once on two cores only push each one towards startNode's timeout.
  const servers: NodeProcess[] = []
  for (const r of RUNTIMES) servers.push(await startNode(env(storeOf(r)), r))
  await Promise.all(servers.map(startSwept))
  const answers = await Promise.all(
    servers.map(async (server, i) => {
      try {
        await send(server, events)
        return await read(server)
      } catch (err) {
        throw new Error(`${RUNTIMES[i]}: ${(err as Error).message}`)
      }
    }),
  )
  const exits = await Promise.all(
    servers.map(async (server) => {
      await server.stop()
      return server.child.exitCode
    }),
  )
  return {
    answers: Object.fromEntries(RUNTIMES.map((r, i) => [r, answers[i]!])) as Record<Runtime, Answers>,
    exits: Object.fromEntries(RUNTIMES.map((r, i) => [r, exits[i]])),
  }
}

function expectTheSameJourney(answers: Record<Runtime, Answers>): void {
  expectAJourney(answers.node)
  expect(answers.deno).toEqual(answers.node)
  expect(answers.bun).toEqual(answers.node)
}

describe('server/node.ts under Node, Deno and Bun, on the embedded store', () => {
  let dir = ''
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jornada-runtimes-'))
  })
  afterAll(async () => {
    await stopAll()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('RU01 Deno and Bun give the journey Node gives at every date, on PGlite; each stops on SIGTERM', async () => {
    // A data folder of its own per runtime: each creates its store, as a first `npm start` does.
    const { answers, exits } = await runEach((r) => ({ JORNADA_DATA_DIR: join(dir, r) }))
    expectTheSameJourney(answers)
    expect(exits).toEqual({ node: 0, deno: 0, bun: 0 })
  }, 300_000)
})

onFreshDatabase('jornada_rt_node', (node) => {
  onFreshDatabase('jornada_rt_deno', (deno) => {
    onFreshDatabase('jornada_rt_bun', (bun) => {
      describe('server/node.ts under Node, Deno and Bun, on PostgreSQL', () => {
        it('RU02 Deno and Bun give the journey Node gives at every date, on PostgreSQL; each stops on SIGTERM', async () => {
          const urls: Record<Runtime, string> = { node: node.url, deno: deno.url, bun: bun.url }
          const { answers, exits } = await runEach((r) => ({ DATABASE_URL: urls[r] }))
          expectTheSameJourney(answers)
          expect(exits).toEqual({ node: 0, deno: 0, bun: 0 })
        }, 300_000)
      })
    })
  })
})

describe('the runtimes are the pinned devDependencies, started as npm start starts Node', () => {
  it('RU03 the deno and bun executables the tests run are the versions package.json pins', () => {
    for (const name of ['deno', 'bun'] as const) {
      expect(runtimeBinary(name).version).toBe(pkg.devDependencies[name])
    }
  })

  it('RU04 start:deno and start:bun run the pre-builds of start, then server/node.ts as the tests do', () => {
    const builds = pkg.scripts.start.replace(/ && tsx server\/node\.ts$/, '')
    expect(builds).toContain('sdk/build.ts')
    expect(pkg.scripts['start:deno']).toBe(`${builds} && deno run -A server/node.ts`)
    expect(pkg.scripts['start:bun']).toBe(`${builds} && bun run --no-env-file server/node.ts`)
  })
})
