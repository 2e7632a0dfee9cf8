import { mkdtemp, mkdir, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import type { LogLine } from '../../server/http/request-log'
import { createServer } from '../../server/serve'
import { IMMUTABLE, NO_CACHE, STATIC_CACHE_CONTROL } from '../../server/http/static-headers'
import { brotli, gzip } from '../../server/http/precompress'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { createPgliteStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import { API, newWorkspace, track } from './helpers'

let store: Store
let dir: string
let site: ReturnType<typeof createServer>
const CORE = 'jornada.core.Bx3_k9.mjs'
const UI = 'jornada.ui.C0a-Zq.mjs'
const CHECKLIST = 'jornada.ui.checklist.D4m2Pw.mjs'
/** dist/sdk/manifest.json: the loader and the builder chunk at their own names, the rest as given. */
async function writeManifest(hashed: Record<string, string>, mtime?: Date): Promise<void> {
  const path = join(dir, 'sdk', 'manifest.json')
  const manifest = { 'jornada.js': 'jornada.js', 'jornada.builder.mjs': 'jornada.builder.mjs', ...hashed }
  await writeFile(path, JSON.stringify(manifest))
  if (mtime) await utimes(path, mtime, mtime)
}

beforeAll(async () => {
  store = await createPgliteStore({ dataDir: 'memory://' })
  dir = await mkdtemp(join(tmpdir(), 'jornada-serve-'))
  await mkdir(join(dir, 'sdk'))
  await mkdir(join(dir, 'demo'))
  // dist/sdk as sdk/build.ts leaves it: the loader, hashed files, the stubs at stable names, the manifest.
  await writeFile(join(dir, 'sdk', 'jornada.js'), '/* loader */')
  await writeFile(join(dir, 'sdk', CORE), 'export {}')
  await writeFile(join(dir, 'sdk', 'jornada.core.mjs'), `export * from './${CORE}'\n`)
  await writeFile(join(dir, 'sdk', CHECKLIST), 'export {}')
  await writeFile(join(dir, 'sdk', 'jornada.builder.mjs'), 'export {}')
  // A file as the build writes it: itself, and beside it brotli and gzip (server/http/precompress.ts).
  const ui = Buffer.from(`export const texts = ${JSON.stringify('jornada '.repeat(400))}\n`)
  await writeFile(join(dir, 'sdk', UI), ui)
  await writeFile(join(dir, 'sdk', `${UI}.br`), brotli(ui))
  await writeFile(join(dir, 'sdk', `${UI}.gz`), gzip(ui))
  await writeFile(join(dir, 'sdk', 'jornada.ui.mjs'), `export * from './${UI}'\n`)
  await writeManifest({ 'jornada.core.mjs': CORE, 'jornada.ui.mjs': UI, 'jornada.ui.checklist.mjs': CHECKLIST })
  await writeFile(
    join(dir, 'demo', 'index.html'),
    '<script data-key="%JORNADA_WRITE_KEY%"></script><p>%JORNADA_WRITE_KEY%</p>',
  )
  await writeFile(join(dir, 'demo', 'style.css'), 'body{}')
  await writeFile(join(dir, 'demo', 'app.js'), `console.log(${JSON.stringify('demo '.repeat(400))})\n`)
  await writeFile(join(dir, 'secret.txt'), 'outside')
  await mkdir(join(dir, 'console', 'assets'), { recursive: true })
  await writeFile(join(dir, 'console', 'index.html'), '<title>Jornada console</title>')
  await writeFile(join(dir, 'console', 'assets', 'index-abc123.js'), 'export {}')
  site = createServer({
    app: createApp({ store, log: () => {} }),
    sdkDir: join(dir, 'sdk'),
    consoleDir: join(dir, 'console'),
    demoDir: join(dir, 'demo'),
    demoWriteKey: 'pk_demo123',
  })
})
afterAll(async () => {
  await store?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

const get = (path: string) => site.request(API + path)

describe('serve', () => {
  it.each(['/', '/reports', '/settings/profile'])(
    'serve: GET %s is the demo page with the write key filled in',
    async (path) => {
      const res = await get(path)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(await res.text()).toBe('<script data-key="pk_demo123"></script><p>pk_demo123</p>')
    },
  )

  it.each(['/console/', '/console/accounts', '/console/accounts/acme?asOf=2026-01-01', '/console/invite?token=x'])(
    'CON01 console: GET %s is the console page, its own scripts only, never framed, no Referer',
    async (path) => {
      const res = await get(path)
      expect(res.status).toBe(200)
      expect(await res.text()).toBe('<title>Jornada console</title>')
      expect(res.headers.get('cache-control')).toBe('no-cache')
      expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self';.*frame-ancestors 'none'/)
      expect(res.headers.get('x-frame-options')).toBe('DENY')
      expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    },
  )

  it('CON02 console: /console redirects to /console/; its hashed files are immutable; a missing one is 404', async () => {
    const bare = await get('/console')
    expect([bare.status, bare.headers.get('location')]).toEqual([301, '/console/'])
    const file = await get('/console/assets/index-abc123.js')
    expect(file.status).toBe(200)
    expect(file.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(file.headers.get('content-type')).toMatch(/^text\/javascript/)
    expect((await get('/console/assets/gone-000.js')).status).toBe(404)
    expect((await get('/console/assets/../../secret.txt')).status).toBe(404)
  })

  it('CON03 console: without a built console, its paths say how to build it', async () => {
    const bare = createServer({
      app: createApp({ store, log: () => {} }),
      sdkDir: join(dir, 'sdk'),
      demoDir: '',
      demoWriteKey: '',
    })
    const res = await bare.request(`${API}/console/`)
    expect([res.status, await res.text()]).toEqual([404, 'the console is not built: run npm run build'])
  })

  it('serve: /sdk/jornada.js is JavaScript and never cached without revalidation', async () => {
    const res = await get('/sdk/jornada.js')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe('no-cache')
    expect(await res.text()).toBe('/* loader */')
  })

  it('serve: the stable-name stubs (.mjs) are JavaScript, short-cached', async () => {
    const res = await get('/sdk/jornada.core.mjs')
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe(STATIC_CACHE_CONTROL)
    expect(await res.text()).toBe(`export * from './${CORE}'\n`)
  })

  it('serve: SDK files allow any origin (the loader import()s the core cross-origin on customer sites)', async () => {
    for (const file of ['/sdk/jornada.js', '/sdk/jornada.core.mjs', `/sdk/${CORE}`, `/sdk/${UI}`]) {
      expect((await get(file)).headers.get('access-control-allow-origin')).toBe('*')
    }
  })

  it('serve: demo files are served under /demo/', async () => {
    const res = await get('/demo/style.css')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8')
    expect(await res.text()).toBe('body{}')
  })

  it.each([
    ['br, gzip', 'br', brotliDecompressSync],
    ['gzip, deflate', 'gzip', gunzipSync],
  ] as const)(
    'WIRE01 an SDK file goes precompressed as the browser accepts (%s: %s), Vary',
    async (accept, enc, undo) => {
      const res = await site.request(`${API}/sdk/${UI}`, { headers: { 'accept-encoding': accept } })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-encoding')).toBe(enc)
      expect(res.headers.get('vary')).toContain('Accept-Encoding')
      expect(res.headers.get('content-type')).toContain('javascript')
      const body = Buffer.from(await res.arrayBuffer())
      expect(undo(body).toString()).toContain('export const texts')
      expect(body.length).toBeLessThan(500)
    },
  )

  it('WIRE02 without Accept-Encoding an SDK file goes as it is', async () => {
    const res = await site.request(`${API}/sdk/${UI}`, { headers: { 'accept-encoding': 'identity' } })
    expect(res.headers.get('content-encoding')).toBeNull()
    expect(await res.text()).toContain('export const texts')
  })

  it.each([
    '/sdk/jornada.js',
    `/sdk/${UI}`,
    '/sdk/jornada.ui.mjs',
    '/console/',
    '/console/assets/index-abc123.js',
    '/demo/app.js',
    '/',
  ])('WIRE03 %s has an ETag; asked again with If-None-Match it is a 304 without a body', async (path) => {
    const headers = { 'accept-encoding': 'br, gzip' }
    const first = await site.request(API + path, { headers })
    expect(first.status).toBe(200)
    const tag = first.headers.get('etag')
    expect(tag).toMatch(/^"[0-9a-f]+"$/)
    const again = await site.request(API + path, { headers: { ...headers, 'if-none-match': tag! } })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
    const changed = await site.request(API + path, { headers: { ...headers, 'if-none-match': '"other"' } })
    expect(changed.status).toBe(200)
  })

  it("WIRE04 the demo's files, not precompressed, are compressed when sent (above 1 KB)", async () => {
    const res = await site.request(API + '/demo/app.js', { headers: { 'accept-encoding': 'gzip' } })
    expect(res.headers.get('content-encoding')).toBe('gzip')
    expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString()).toContain('console.log')
  })

  it.each([
    ['/sdk/jornada.js', NO_CACHE],
    [`/sdk/${CORE}`, IMMUTABLE],
    [`/sdk/${UI}`, IMMUTABLE],
    [`/sdk/${CHECKLIST}`, IMMUTABLE],
    ['/sdk/jornada.core.mjs', STATIC_CACHE_CONTROL],
    ['/sdk/jornada.ui.mjs', STATIC_CACHE_CONTROL],
    ['/sdk/jornada.builder.mjs', STATIC_CACHE_CONTROL],
    ['/sdk/manifest.json', STATIC_CACHE_CONTROL],
    ['/console/assets/index-abc123.js', IMMUTABLE],
    ['/console/', NO_CACHE],
    ['/', NO_CACHE],
    ['/demo/app.js', STATIC_CACHE_CONTROL],
  ])('WIRE06 %s is served %s', async (path, policy) => {
    const res = await site.request(API + path, { headers: { 'accept-encoding': 'br, gzip' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe(policy)
  })

  it('WIRE09 a file is immutable only while the manifest lists it hashed; a new manifest is read', async () => {
    const policy = async (file: string) => (await get(`/sdk/${file}`)).headers.get('cache-control')
    try {
      // A rebuild whose manifest no longer names the checklist's file (a later mtime: the server reads it again).
      await writeManifest({ 'jornada.core.mjs': CORE, 'jornada.ui.mjs': UI }, new Date(Date.now() + 60_000))
      expect(await policy(CHECKLIST)).toBe(STATIC_CACHE_CONTROL)
      expect(await policy(CORE)).toBe(IMMUTABLE)
    } finally {
      await writeManifest(
        { 'jornada.core.mjs': CORE, 'jornada.ui.mjs': UI, 'jornada.ui.checklist.mjs': CHECKLIST },
        new Date(Date.now() + 120_000),
      )
    }
    expect(await policy(CHECKLIST)).toBe(IMMUTABLE)
  })

  it('WIRE05 API answers are left to the API: no ETag from the site', async () => {
    const res = await site.request(API + '/healthz', { headers: { 'accept-encoding': 'gzip' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('etag')).toBeNull()
  })

  it.each([
    '/sdk/missing.js',
    '/demo/missing.css',
    '/favicon.ico',
    '/sdk/%2e%2e/secret.txt',
    '/demo/..%2fsecret.txt',
    '/sdk/%00.js',
  ])('serve: %s is a 404 (missing, or outside its folder)', async (path) => {
    const res = await get(path)
    expect(res.status).toBe(404)
    expect(await res.text()).not.toContain('outside')
  })

  it('serve: the API answers under the same origin, with its JSON errors', async () => {
    expect(await (await get('/healthz')).json()).toEqual({ ok: true })
    const missing = await get('/v1/nothing')
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } })
    const post = await site.request(API + '/v1/batch', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"batch":[{}]}',
    })
    expect(post.status).toBe(401)
  })

  it("serve: /docs is the API's rendered OpenAPI page, not the demo's", async () => {
    const res = await get('/docs')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('/v1/batch')
    expect(html).not.toContain('pk_demo123')
  })

  // The site's answers: page, SDK, demo files, time machine. No payload or key in the lines.
  it("SV01 one log line per request, the site's own answers included; API requests once", async () => {
    const lines: LogLine[] = []
    const log = (l: LogLine) => lines.push(l)
    const ws = await newWorkspace(store)
    const logged = createServer({
      app: createApp({ store, log }),
      sdkDir: join(dir, 'sdk'),
      demoDir: join(dir, 'demo'),
      demoWriteKey: 'pk_demo123',
      log,
      timeMachine: async (stage) => {
        if (stage === 'renewed') throw new Error('import failed')
        return { stage }
      },
    })
    const local = { incoming: { socket: { remoteAddress: '127.0.0.1' } } }
    const asked: [string, string, number][] = []
    const ask = async (method: string, path: string, init: RequestInit = {}, env?: unknown) => {
      const res = await logged.request(API + path, { method, ...init }, env)
      asked.push([method, path.split('?')[0]!, res.status])
    }
    await ask('GET', '/?writeKey=pk_in_the_query')
    await ask('GET', '/settings/profile')
    await ask('GET', '/sdk/jornada.js')
    await ask('GET', '/sdk/missing.js')
    await ask('GET', '/demo/style.css')
    await ask(
      'POST',
      '/demo/time-machine',
      { headers: { 'content-type': 'application/json' }, body: '{"stage":"day-2"}' },
      local,
    )
    await ask('POST', '/demo/time-machine', {
      headers: { 'content-type': 'application/json' },
      body: '{"stage":"day-12"}',
    })
    await ask(
      'POST',
      '/demo/time-machine',
      { headers: { 'content-type': 'application/json' }, body: '{"stage":"renewed"}' },
      local,
    )
    await ask('GET', '/healthz')
    await ask('GET', '/v1/nothing')
    await ask('POST', '/elsewhere')
    await ask('POST', '/v1/batch', {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.writeKey}` },
      body: JSON.stringify({ batch: [track('paid', { properties: { card: '4111-secret' } })] }),
    })

    expect(asked.map(([, , status]) => status)).toEqual([200, 200, 200, 404, 200, 200, 403, 500, 200, 404, 404, 200])
    expect(lines.map((l) => [l.method, l.path, l.status])).toEqual(asked)
    for (const l of lines) {
      expect(l.t).toMatch(/^\d{4}-\d\d-\d\dT/)
      expect(typeof l.ms).toBe('number')
    }
    expect(Object.keys(lines[0]!).sort()).toEqual(['method', 'ms', 'path', 'status', 't'])
    expect(lines[7]).toMatchObject({ path: '/demo/time-machine', status: 500, error: 'Error: import failed' })
    expect(lines[11]).toMatchObject({ path: '/v1/batch', status: 200, workspace: ws.id, accepted: 1 })
    const text = JSON.stringify(lines)
    for (const secret of ['pk_demo123', 'pk_in_the_query', ws.writeKey, '4111-secret', 'paid', 'day-2'])
      expect(text).not.toContain(secret)
  })
})
