/**
 * The journey config (journey.md, "The config document"; api.md `GET/PUT /v1/config`): validated,
 * every wrong field named, the old one kept on failure; JORNADA_CONFIG at start.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { defaultConfig, parseConfig } from '../../server/journey'
import { createPgliteStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import { accountHistory, DAY_MS } from '../bench/journey-data'
import { API, newWorkspace } from './helpers'

const NOW = Date.parse('2026-11-24T18:00:00.000Z')

let store: Store
let app: ReturnType<typeof createApp>
let dir: string

beforeAll(async () => {
  store = await createPgliteStore({ dataDir: 'memory://' })
  app = createApp({ store, clock: () => NOW, log: () => {} })
  dir = await mkdtemp(join(tmpdir(), 'jornada-config-'))
})
afterAll(async () => {
  await store?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

/** Responses are read as plain JSON. */
type Json = any

async function call(
  method: string,
  path: string,
  key: string | null,
  body?: unknown,
  a = app,
): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = {}
  if (key !== null) headers.authorization = `Bearer ${key}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const init: RequestInit = { method, headers }
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body)
  const res = await a.request(new Request(API + path, init))
  return { status: res.status, body: await res.json() }
}

/** Three wrong fields at three depths, one of them inside a segment block, one unknown key. */
const BAD = {
  renewalWindowDays: -5,
  health: { weights: { nps: 'high' } },
  segments: { enterprise: { milestones: { setup: { window: [3, 'x'] } } } },
  colour: 'blue',
}

describe('config: GET and PUT /v1/config', () => {
  it('config: with nothing stored and no start config, GET answers the defaults', async () => {
    const ws = await newWorkspace(store)
    const { status, body } = await call('GET', '/v1/config', ws.secretKey)
    expect(status).toBe(200)
    expect(body).toEqual(JSON.parse(JSON.stringify(defaultConfig)))
  })

  it('config: with nothing stored, GET answers the start config (JORNADA_CONFIG) of createApp', async () => {
    const start = parseConfig({ renewalWindowDays: 45 })
    if (!start.ok) throw new Error('bad fixture')
    const withStart = createApp({ store, clock: () => NOW, log: () => {}, config: start.config })
    const ws = await newWorkspace(store)
    expect((await call('GET', '/v1/config', ws.secretKey, undefined, withStart)).body.renewalWindowDays).toBe(45)
  })

  // The effective config is the document merged over the defaults.
  it('config: a valid PUT is stored and answers the effective config', async () => {
    const ws = await newWorkspace(store)
    const doc = {
      features: [{ id: 'reports', name: 'Reports', core: true }, { id: 'alerts' }],
      segments: { enterprise: { renewalWindowDays: 120 } },
    }
    const put = await call('PUT', '/v1/config', ws.secretKey, doc)
    expect(put.status).toBe(200)
    expect(put.body.features).toEqual(doc.features)
    expect(put.body.segments.enterprise.renewalWindowDays).toBe(120)
    expect(put.body.health.weights).toEqual(defaultConfig.health.weights)
    const get = await call('GET', '/v1/config', ws.secretKey)
    expect(get.body).toEqual(put.body)
    // The effective config is itself a valid document: GET then PUT round-trips.
    expect((await call('PUT', '/v1/config', ws.secretKey, get.body)).body).toEqual(get.body)
  })

  it('config: a bad PUT is a 400 invalid_config naming every wrong field by its dotted path', async () => {
    const ws = await newWorkspace(store)
    const { status, body } = await call('PUT', '/v1/config', ws.secretKey, BAD)
    expect(status).toBe(400)
    expect(body.error.code).toBe('invalid_config')
    const paths = body.error.issues.map((i: Json) => i.path).sort()
    expect(paths).toEqual([
      'colour',
      'health.weights.nps',
      'renewalWindowDays',
      'segments.enterprise.milestones.setup.window.1',
    ])
    for (const i of body.error.issues) expect(i.message).toEqual(expect.any(String))
  })

  it('config: after a bad PUT the previous config stays in force', async () => {
    const ws = await newWorkspace(store)
    await call('PUT', '/v1/config', ws.secretKey, { renewalWindowDays: 40 })
    expect((await call('PUT', '/v1/config', ws.secretKey, BAD)).status).toBe(400)
    expect((await call('GET', '/v1/config', ws.secretKey)).body.renewalWindowDays).toBe(40)
  })

  it('config: a cross-field rule is named too (yellow band above green)', async () => {
    const ws = await newWorkspace(store)
    const { status, body } = await call('PUT', '/v1/config', ws.secretKey, {
      health: { bands: { green: 50, yellow: 70 } },
    })
    expect(status).toBe(400)
    expect(body.error.issues.map((i: Json) => i.path)).toContain('health.bands.yellow')
  })

  it('config: a body that is not JSON is a 400 invalid_json; too large a body is a 413', async () => {
    const ws = await newWorkspace(store)
    expect((await call('PUT', '/v1/config', ws.secretKey, '{"features": [')).body.error.code).toBe('invalid_json')
    const huge = { guides: [{ id: 'g', steps: [{ selector: '#x', title: 't', body: 'x'.repeat(300 * 1024) }] }] }
    expect((await call('PUT', '/v1/config', ws.secretKey, huge)).status).toBe(413)
  })

  // Only adoption counts: score = adoption value.
  it('config: a weight change is used by the next journey answer', async () => {
    const ws = await newWorkspace(store)
    const start = Math.floor(NOW / DAY_MS) * DAY_MS - 10 * DAY_MS
    const events = accountHistory({ accountId: 'acme', start, days: 11, users: 2, seed: 1, until: NOW })
    const res = await call('POST', '/v1/batch', ws.secretKey, { batch: events })
    expect(res.body.accepted).toBe(events.length)
    const before = (await call('GET', '/v1/accounts/acme/journey', ws.secretKey)).body
    const weights = { adoption: 1, trend: 0, milestones: 0, nps: 0, support: 0, sponsor: 0 }
    expect((await call('PUT', '/v1/config', ws.secretKey, { health: { weights } })).status).toBe(200)
    const after = (await call('GET', '/v1/accounts/acme/journey', ws.secretKey)).body
    const adoption = after.health.components.find((c: Json) => c.id === 'adoption')
    expect(adoption.weight).toBe(1)
    expect(after.health.score).toBe(adoption.value)
    expect(before.health.components.find((c: Json) => c.id === 'adoption').weight).toBeLessThan(1)
    expect(before.health.score).not.toBe(after.health.score)
  })

  it("config: config is per workspace (one workspace's PUT does not change another's)", async () => {
    const a = await newWorkspace(store)
    const b = await newWorkspace(store)
    await call('PUT', '/v1/config', a.secretKey, { renewalWindowDays: 10 })
    expect((await call('GET', '/v1/config', b.secretKey)).body.renewalWindowDays).toBe(defaultConfig.renewalWindowDays)
  })
})

// ---------------------------------------------------------------------------------------------

/** Starts `npm start`'s entry with env; resolves with its exit code and stderr (or kills it after `ms`). */
function startServer(
  env: Record<string, string>,
  ms = 20_000,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/node.ts'], {
      env: { ...process.env, PORT: '0', JORNADA_DATA_DIR: 'memory://', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    let stdout = ''
    child.stderr.on('data', (d) => {
      stderr += String(d)
    })
    child.stdout.on('data', (d) => {
      stdout += String(d)
      if (stdout.includes('listening')) child.kill('SIGTERM')
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), ms)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stderr, stdout })
    })
  })
}

describe('config: JORNADA_CONFIG at start', () => {
  it('start: an invalid document stops the start with exit code 1, naming every wrong field on stderr', async () => {
    const path = join(dir, 'bad.json')
    await writeFile(path, JSON.stringify(BAD))
    const { code, stderr } = await startServer({ JORNADA_CONFIG: path })
    expect(code).toBe(1)
    for (const field of [
      'renewalWindowDays',
      'health.weights.nps',
      'segments.enterprise.milestones.setup.window.1',
      'colour',
    ]) {
      expect(stderr).toContain(field)
    }
  })

  it('start: a file that is not JSON stops the start with exit code 1', async () => {
    const path = join(dir, 'broken.json')
    await writeFile(path, '{ "features": [ ')
    const { code, stderr } = await startServer({ JORNADA_CONFIG: path })
    expect(code).toBe(1)
    expect(stderr).toContain('not valid JSON')
  })

  it('start: a missing file stops the start with exit code 1', async () => {
    const { code, stderr } = await startServer({ JORNADA_CONFIG: join(dir, 'nope.json') })
    expect(code).toBe(1)
    expect(stderr).toContain('cannot read')
  })

  it('start: a valid document starts the server', async () => {
    const path = join(dir, 'good.json')
    await writeFile(path, JSON.stringify({ renewalWindowDays: 20 }))
    const { stdout } = await startServer(
      { JORNADA_CONFIG: path, JORNADA_WRITE_KEY: 'pk_test_config_1', JORNADA_SECRET_KEY: 'sk_test_config_1' },
      30_000,
    )
    expect(stdout).toContain('listening')
  }, 240_000)
})
