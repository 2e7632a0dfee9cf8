/**
 * `server/node.ts` as `npm start` runs it, in a process of its own, with no key in the environment
 * (docs/configuration.md): the default workspace's keys are generated and printed once, work, and
 * survive a restart on the same data folder without being printed again. JORNADA_ALLOWED_ORIGINS is
 * read at every start, and the demo is on by default only on the embedded store.
 */
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { onFreshDatabase } from '../support/fresh-database'
import { startNode, stopAll, type NodeProcess } from '../support/node-process'
import { createPgliteStore } from '../../server/store/pglite'

afterAll(async () => {
  await stopAll()
})

const batch = (base: string, headers: Record<string, string>) =>
  fetch(`${base}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ batch: [{ id: randomUUID(), type: 'track', event: 'clicked', userId: 'user-1' }] }),
  })

const KEY_LINE = /created the default workspace/

/** The first group of `pattern` in what `node` printed, once it printed it (within 10 s). */
async function waitFor(node: NodeProcess, pattern: RegExp): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const m = pattern.exec(node.out())
    if (m) return m[1]!
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`${pattern} not printed:\n${node.out()}`)
}
const WRITE_KEY = /write key \(public, for the script tag\):\s+(pk_\S+)/
const SECRET_KEY = /secret key \(servers and imports only\):\s+(sk_\S+)/

/** The JSON log lines of stdout (the evaluator's lines have no `method`). */
const requestLines = (out: string) =>
  out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => 'method' in l)

describe('npm start on the embedded store, without keys', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jornada-start-'))
  })
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })
  const dataDir = () => ({ JORNADA_DATA_DIR: join(dir, 'data') })

  let writeKey = ''
  let secretKey = ''

  // The keys work, and still work after the restart.
  it('ST01 the first start prints a write key and a secret key once; a restart prints none', async () => {
    const first = await startNode(dataDir())
    expect(first.out()).toMatch(KEY_LINE)
    writeKey = WRITE_KEY.exec(first.out())?.[1] ?? ''
    secretKey = SECRET_KEY.exec(first.out())?.[1] ?? ''
    expect(writeKey).toMatch(/^pk_/)
    expect(secretKey).toMatch(/^sk_/)

    const sent = await batch(first.base, { authorization: `Bearer ${writeKey}` })
    expect(sent.status).toBe(200)
    expect(await sent.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] })
    const listed = await fetch(`${first.base}/v1/accounts`, { headers: { authorization: `Bearer ${secretKey}` } })
    expect(listed.status).toBe(200)
    // The write key is not the secret key.
    expect(
      (await fetch(`${first.base}/v1/accounts`, { headers: { authorization: `Bearer ${writeKey}` } })).status,
    ).toBe(403)
    await first.stop()

    const second = await startNode(dataDir())
    expect(second.out()).not.toMatch(KEY_LINE)
    expect(second.out()).not.toMatch(/\b(pk|sk)_[A-Za-z0-9]{8,}/)
    expect((await batch(second.base, { authorization: `Bearer ${writeKey}` })).status).toBe(200)
    expect(
      (await batch(second.base, { authorization: `Basic ${Buffer.from(secretKey + ':').toString('base64')}` })).status,
    ).toBe(200)
    const accounts = await fetch(`${second.base}/v1/accounts`, { headers: { authorization: `Bearer ${secretKey}` } })
    expect(accounts.status).toBe(200)
    await second.stop()
  }, 300_000)

  it('ST02 JORNADA_ALLOWED_ORIGINS decides at every start: set, then removed, then set, then empty', async () => {
    const app = 'https://app.example'
    const fromApp = (s: NodeProcess) => batch(s.base, { authorization: `Bearer ${writeKey}`, origin: app })
    const origins = async (s: NodeProcess) =>
      (
        (await (
          await fetch(`${s.base}/v1/keys/write/origins`, { headers: { authorization: `Bearer ${secretKey}` } })
        ).json()) as { origins: string[] }
      ).origins

    let s = await startNode({ ...dataDir(), JORNADA_ALLOWED_ORIGINS: ' https://App.example/ , https://other.example,' })
    expect(await origins(s)).toEqual([app, 'https://other.example'])
    expect((await fromApp(s)).status).toBe(200)
    expect((await batch(s.base, { authorization: `Bearer ${writeKey}`, origin: 'https://evil.example' })).status).toBe(
      403,
    )
    await s.stop()

    // Removed: back to api.md's default, the server's own origin only.
    s = await startNode(dataDir())
    expect(await origins(s)).toEqual([])
    const refused = await fromApp(s)
    expect(refused.status).toBe(403)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('forbidden_origin')
    expect((await batch(s.base, { authorization: `Bearer ${writeKey}`, origin: s.base })).status).toBe(200)
    await s.stop()

    s = await startNode({ ...dataDir(), JORNADA_ALLOWED_ORIGINS: '*' })
    expect((await fromApp(s)).status).toBe(200)
    await s.stop()

    // Set but empty: the same as unset.
    s = await startNode({ ...dataDir(), JORNADA_ALLOWED_ORIGINS: '' })
    expect(await origins(s)).toEqual([])
    expect((await fromApp(s)).status).toBe(403)
    await s.stop()
  }, 300_000)

  // Named so on a first start with the demo on; the variable renames it at a start.
  it("ST05 the default workspace is named after the demo's product; JORNADA_WORKSPACE_NAME renames it", async () => {
    const nameIn = async () => {
      const store = await createPgliteStore({ dataDir: join(dir, 'data') })
      try {
        return (await store.getWorkspace('default'))?.name
      } finally {
        await store.close()
      }
    }
    expect(await nameIn()).toBe('Relata')
    const s = await startNode({ ...dataDir(), JORNADA_WORKSPACE_NAME: ' Metricly ' })
    await s.stop()
    expect(await nameIn()).toBe('Metricly')
  }, 300_000)

  // console.md, "The first owner": a setup link without a password; the env's password decides later.
  it('ST06 JORNADA_ADMIN_EMAIL alone prints a one-time setup link; with a password the owner signs in', async () => {
    const signIn = (base: string, password: string) =>
      fetch(`${base}/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'owner@example.com', password }),
      })
    const first = await startNode({ ...dataDir(), JORNADA_ADMIN_EMAIL: 'Owner@Example.com' })
    const link = await waitFor(first, /set the console owner's password \(once, within 24 hours\): (http:\/\/\S+)/)
    const url = new URL(link)
    expect(`${url.origin}${url.pathname}`).toBe(`${first.base}/console/setup`)
    expect((await fetch(link)).status).toBe(200)
    const token = url.searchParams.get('token')
    const accept = (password: string) =>
      fetch(`${first.base}/v1/invites/accept`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, password }),
      })
    expect((await accept('the first passphrase')).status).toBe(200)
    expect((await accept('someone else here')).status).toBe(400)
    expect((await signIn(first.base, 'the first passphrase')).status).toBe(200)
    await first.stop()

    const second = await startNode({
      ...dataDir(),
      JORNADA_ADMIN_EMAIL: 'owner@example.com',
      JORNADA_ADMIN_PASSWORD: 'from the env now',
    })
    expect(second.out()).not.toMatch(/setup\?token=/)
    expect((await signIn(second.base, 'the first passphrase')).status).toBe(401)
    expect((await signIn(second.base, 'from the env now')).status).toBe(200)
    await second.stop()

    await expect(startNode({ ...dataDir(), JORNADA_ADMIN_EMAIL: 'not an email' })).rejects.toThrow(
      /JORNADA_ADMIN_EMAIL/,
    )
  }, 300_000)

  // One JSON log line per request. The demo's write key ends with the demo: with JORNADA_DEMO=0 it is a 401.
  it('ST03 the demo is on by default: the page, the time machine from 127.0.0.1, JSON log lines', async () => {
    const s = await startNode(dataDir())
    expect(s.out()).toContain('demo at /')
    expect(s.out()).toContain('journey config: demo/jornada.config.json')
    const page = await fetch(`${s.base}/`)
    expect(page.status).toBe(200)
    const demoKey = /data-key="(pk_[^"]+)"/.exec(await page.text())?.[1] ?? ''
    expect(demoKey).not.toBe(writeKey)
    const jump = await fetch(`${s.base}/demo/time-machine`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ stage: 'day-2' }),
    })
    expect(jump.status).toBe(200)
    expect((await batch(s.base, { authorization: `Bearer ${demoKey}` })).status).toBe(200)
    await s.stop()
    const lines = requestLines(s.out()).map((l) => `${l.method} ${l.path} ${l.status}`)
    expect(lines).toEqual(['GET / 200', 'POST /demo/time-machine 200', 'POST /v1/batch 200'])

    // JORNADA_DEMO=0: no page, no time machine, and the demo's write key is gone.
    const off = await startNode({ ...dataDir(), JORNADA_DEMO: '0' })
    expect(off.out()).not.toContain('demo at /')
    expect((await fetch(`${off.base}/`)).status).toBe(404)
    expect((await batch(off.base, { authorization: `Bearer ${demoKey}` })).status).toBe(401)
    expect((await batch(off.base, { authorization: `Bearer ${writeKey}` })).status).toBe(200)
    await off.stop()
  }, 300_000)
})

onFreshDatabase('jornada_start', (db) => {
  describe('npm start on PostgreSQL', () => {
    it('ST04 with DATABASE_URL the demo is off unless JORNADA_DEMO=1: no page, time machine or demo config', async () => {
      const off = await startNode({ DATABASE_URL: db.url })
      expect(off.out()).toMatch(KEY_LINE)
      expect(off.out()).not.toContain('demo at /')
      expect((await fetch(`${off.base}/`)).status).toBe(404)
      const jump = await fetch(`${off.base}/demo/time-machine`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"stage":"day-2"}',
      })
      expect(jump.status).toBe(404)
      expect(((await jump.json()) as { error: { code: string } }).error.code).toBe('not_found')
      const secretKey = SECRET_KEY.exec(off.out())![1]!
      const config = (await (
        await fetch(`${off.base}/v1/config`, { headers: { authorization: `Bearer ${secretKey}` } })
      ).json()) as { features?: unknown[] }
      // The demo's config names features; the defaults name none.
      expect(config.features ?? []).toEqual([])
      await off.stop()

      const on = await startNode({ DATABASE_URL: db.url, JORNADA_DEMO: '1' })
      expect(on.out()).toContain('demo at /')
      expect((await fetch(`${on.base}/`)).status).toBe(200)
      const demoConfig = (await (
        await fetch(`${on.base}/v1/config`, { headers: { authorization: `Bearer ${secretKey}` } })
      ).json()) as { features: { id: string }[] }
      expect(demoConfig.features.map((f) => f.id)).toContain('alerts')
      await on.stop()
    }, 300_000)
  })
})
