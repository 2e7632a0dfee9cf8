import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { MAX_BODY_BYTES } from '../../server/routes/batch'
import { createPgliteStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import { API, newWorkspace, type TestWorkspace } from './helpers'
import { prng } from '../support/prng'

// Malformed bodies from a seeded generator: every answer must be a 4xx in the error shape (or a 200
// with the bad events in `rejected`), never a 5xx. FUZZ_SEED=<n> replays a run; FUZZ_CASES=<n> runs more.

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31))
const CASES = Number(process.env.FUZZ_CASES ?? 1200)

/** Case-picking helpers over the seeded PRNG. */
function rng(seed: number) {
  const next = prng(seed)
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!
  const chance = (p: number) => next() < p
  return { next, int, pick, chance }
}
type Rng = ReturnType<typeof rng>

const NASTY_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '\ud800', '\udc00x', 'x\ud83d', '\ud83d\ude00', '\u2028\u2029', '\uffff', '\ufeff',
  '../../etc/passwd', "'; DROP TABLE events; --", '<script>', '%00', '\\u0000', '"', '\\', '__proto__', 'constructor',
  'x'.repeat(129), 'x'.repeat(201), 'x'.repeat(5000), '2026-13-45T99:99:99Z', '1970-01-01T00:00:00Z', '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z', '2026-11-24T10:00:00+25:00', 'kickoff_held', 'renewed', 'NaN', '-0', '1e400',
]

function randomString(r: Rng): string {
  if (r.chance(0.5)) return r.pick(NASTY_STRINGS)
  const len = r.int(r.chance(0.05) ? 40_000 : 20)
  let s = ''
  for (let i = 0; i < len; i++) {
    // Mostly ASCII, sometimes any UTF-16 code unit (lone surrogates and U+0000 included).
    s += String.fromCharCode(r.chance(0.8) ? 32 + r.int(95) : r.int(0x10000))
  }
  return s
}

function randomValue(r: Rng, depth = 0): unknown {
  const kinds = depth > 4 ? 6 : 8
  switch (r.int(kinds)) {
    case 0: return null
    case 1: return r.chance(0.5)
    case 2: return r.pick([0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, Number.MIN_VALUE, 42])
    case 3: case 4: case 5: return randomString(r)
    case 6: return Array.from({ length: r.int(5) }, () => randomValue(r, depth + 1))
    default: {
      const o: Record<string, unknown> = {}
      for (let i = r.int(5); i > 0; i--) o[randomString(r)] = randomValue(r, depth + 1)
      return o
    }
  }
}

function deep(levels: number, open: string, close: string, leaf = '1'): string {
  return open.repeat(levels) + leaf + close.repeat(levels)
}

const FIELDS = ['id', 'messageId', 'type', 'event', 'name', 'userId', 'anonymousId', 'accountId', 'groupId', 'timestamp', 'properties', 'traits', 'context', 'userHash'] as const

function plausibleEvent(r: Rng): Record<string, unknown> {
  const type = r.pick(['track', 'identify', 'group', 'page'] as const)
  const e: Record<string, unknown> = {
    id: `fz-${r.int(1e9)}-${r.int(1e9)}`, type, userId: `u${r.int(50)}`, timestamp: new Date(Date.now() - r.int(30 * 86_400_000)).toISOString(),
  }
  if (type === 'track') e.event = r.pick(['clicked', 'feature_used', '$login', 'kickoff_held'])
  if (type === 'group') e.accountId = `acct${r.int(10)}`
  if (type === 'identify' || type === 'group') e.traits = { plan: r.pick(['pro', 'free']), n: r.int(100) }
  if (type === 'page') e.name = 'Home'
  return e
}

/** A plausible event with one or more fields made wrong. */
function mutatedEvent(r: Rng): unknown {
  const e = plausibleEvent(r)
  for (let n = 1 + r.int(3); n > 0; n--) {
    const field = r.pick(FIELDS)
    if (r.chance(0.15)) delete e[field]
    else if (r.chance(0.1)) e[field] = JSON.parse(deep(40 + r.int(40), '{"a":', '}'))
    else e[field] = randomValue(r)
  }
  if (r.chance(0.1)) (e.context = { ...(typeof e.context === 'object' && e.context) || {}, groupId: randomValue(r) })
  if (r.chance(0.05)) e.properties = { big: 'x'.repeat(40_000) }
  return r.chance(0.05) ? randomValue(r) : e
}

interface Case {
  kind: string
  body: Uint8Array | null
  contentType: string | null
  authorization?: string
  origin?: string
}

const enc = new TextEncoder()

function makeCase(r: Rng, ws: TestWorkspace): Case {
  const auth = r.pick(['write', 'secret', 'body', 'none', 'garbage', 'basic'] as const)
  const key = auth === 'secret' ? ws.secretKey : ws.writeKey
  let authorization: string | undefined
  if (auth === 'write' || auth === 'secret') authorization = `Bearer ${key}`
  if (auth === 'basic') authorization = `Basic ${Buffer.from(key + ':').toString('base64')}`
  if (auth === 'garbage') authorization = r.pick(['Bearer', 'Bearer  ', 'Basic !!!', 'Basic AAAA', `Basic ${Buffer.from('\u0000:').toString('base64')}`, 'Token x', 'Bearer pk_\u007f'])
  const withKey = (o: Record<string, unknown>) => (auth === 'body' ? { ...o, writeKey: r.chance(0.9) ? ws.writeKey : randomValue(r) } : o)
  const contentType = r.chance(0.9)
    ? r.pick(['application/json', 'text/plain', 'text/plain;charset=UTF-8', 'application/json; charset=utf-8', 'APPLICATION/JSON'])
    : r.pick([null, '', 'text/html', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', ';;;'])
  const origin = r.chance(0.2) ? r.pick(['https://evil.example', API, 'null', 'http://localhost:3000']) : undefined
  const json = (v: unknown) => enc.encode(JSON.stringify(v))

  const kind = r.pick([
    'random-json', 'mutated-batch', 'mutated-batch', 'mutated-batch', 'deep-body', 'deep-event', 'invalid-utf8', 'lone-surrogate',
    'nul', 'empty', 'truncated', 'scalar-body', 'huge-body', 'huge-string', 'batch-wrong-type', 'mixed-batch',
  ] as const)
  let body: Uint8Array | null
  switch (kind) {
    case 'random-json': body = json(randomValue(r)); break
    case 'mutated-batch': body = json(withKey({ batch: Array.from({ length: 1 + r.int(8) }, () => mutatedEvent(r)) })); break
    case 'mixed-batch': body = json(withKey({ batch: Array.from({ length: 1 + r.int(30) }, () => (r.chance(0.5) ? plausibleEvent(r) : mutatedEvent(r))), sentAt: randomValue(r) })); break
    case 'deep-body': body = enc.encode(deep(10_000, r.chance(0.5) ? '[' : '{"batch":', r.chance(0.5) ? ']' : '}')); break
    case 'deep-event': {
      const inner = deep(r.pick([33, 100, 10_000]), r.chance(0.5) ? '[' : '{"x":', r.chance(0.5) ? ']' : '}')
      const text = JSON.stringify(withKey({ batch: [plausibleEvent(r), { ...plausibleEvent(r), properties: '__DEEP__' }] }))
      body = enc.encode(text.replace('"__DEEP__"', inner.replace(/^\[/, '{"a":[').replace(/\]$/, ']}')))
      break
    }
    case 'invalid-utf8': {
      const good = json(withKey({ batch: [plausibleEvent(r)] }))
      const bad = r.pick([[0xc3, 0x28], [0xff], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0x80], [0xc0, 0xaf]])
      const at = 1 + r.int(good.length - 1)
      body = new Uint8Array([...good.subarray(0, at), ...bad, ...good.subarray(at)])
      break
    }
    case 'lone-surrogate': {
      const e = plausibleEvent(r)
      const where = r.pick(['id', 'userId', 'event', 'key', 'value', 'accountId'])
      const bad = r.pick(['\\ud800', '\\udfff', 'a\\ud83d', '\\ude00b'])
      let text = JSON.stringify(withKey({ batch: [e, { ...e, id: e.id + 'x', properties: { p: '__V__' } }] }))
      if (where === 'key') text = text.replace('"p":', `"${bad}":`)
      else if (where === 'value') text = text.replace('__V__', bad)
      else text = text.replace(/"userId":"/, `"${where}":"${bad}`)
      body = enc.encode(text)
      break
    }
    case 'nul': {
      const e = plausibleEvent(r)
      const text = JSON.stringify(withKey({ batch: [e] }))
      body = enc.encode(r.chance(0.5) ? text.replace(/"u(\d+)"/, '"u\\u0000$1"') : text.replace('"type"', '"ty\\u0000pe"'))
      break
    }
    case 'empty': body = r.chance(0.5) ? new Uint8Array(0) : null; break
    case 'truncated': {
      const good = json(withKey({ batch: Array.from({ length: 1 + r.int(5) }, () => plausibleEvent(r)) }))
      body = good.subarray(0, r.int(good.length))
      break
    }
    case 'scalar-body': body = enc.encode(r.pick(['null', '0', '-1', '"batch"', '[]', '[{"batch":[]}]', 'true', '{}', '1e999', '"\\u0000"', ' '])); break
    case 'huge-body': body = enc.encode(JSON.stringify(withKey({ batch: [{ ...plausibleEvent(r), properties: { s: 'x'.repeat(MAX_BODY_BYTES + r.int(1000)) } }] }))); break
    case 'huge-string': body = json(withKey({ batch: Array.from({ length: 1 + r.int(12) }, () => ({ ...plausibleEvent(r), properties: { s: 'é'.repeat(15_000 + r.int(20_000)) } })) })); break
    case 'batch-wrong-type': body = json(withKey({ batch: randomValue(r) })); break
  }
  return { kind, body, contentType, authorization, origin }
}

let store: Store
let ws: TestWorkspace
beforeAll(async () => {
  store = await createPgliteStore({ dataDir: 'memory://' })
  ws = await newWorkspace(store)
})
afterAll(async () => { await store?.close() })

describe('fuzz', () => {
  it(`fuzz: ${CASES} malformed bodies are answered 4xx (or 200 with rejections) in the error shape, never 5xx`, async () => {
    const app = createApp({ store, log: () => {} })
    const r = rng(SEED)
    const seen = new Map<string, number>()
    for (let i = 0; i < CASES; i++) {
      const c = makeCase(r, ws)
      const where = `FUZZ_SEED=${SEED} case ${i} (${c.kind}, ${c.contentType ?? 'no content type'})`
      const headers: Record<string, string> = {}
      if (c.contentType !== null) headers['content-type'] = c.contentType
      if (c.authorization !== undefined) headers.authorization = c.authorization
      if (c.origin !== undefined) headers.origin = c.origin
      const res = await app.request(`${API}/v1/batch`, { method: 'POST', headers, body: c.body as BodyInit | null })
      seen.set(`${c.kind} ${res.status}`, (seen.get(`${c.kind} ${res.status}`) ?? 0) + 1)
      expect(res.status, where).toBeGreaterThanOrEqual(200)
      expect(res.status, where).toBeLessThan(500)
      expect(res.headers.get('content-type'), where).toMatch(/^application\/json/)
      const body = (await res.json()) as Record<string, any>
      if (res.status === 200) {
        expect(body, where).toEqual({ accepted: expect.any(Number), duplicates: expect.any(Number), rejected: expect.any(Array) })
        for (const rej of body.rejected) {
          expect(rej.index, where).toEqual(expect.any(Number))
          expect(rej.issues.length, where).toBeGreaterThan(0)
          for (const issue of rej.issues) expect(issue, where).toEqual({ path: expect.any(String), message: expect.any(String) })
        }
      } else {
        expect(res.status, where).toBeGreaterThanOrEqual(400)
        expect(body.error, where).toMatchObject({ code: expect.any(String), message: expect.any(String) })
        for (const issue of body.error.issues ?? []) expect(issue, where).toEqual({ path: expect.any(String), message: expect.any(String) })
      }
    }
    const health = await app.request(`${API}/healthz`)
    expect(health.status, `FUZZ_SEED=${SEED}: /healthz after the run`).toBe(200)
    if (process.env.FUZZ_VERBOSE) console.log([...seen].sort().map(([k, n]) => `${k}: ${n}`).join("\n"))
    // What the run covered, for whoever reads the log of a failure.
    expect(seen.size, `FUZZ_SEED=${SEED}`).toBeGreaterThan(10)
  })
})
