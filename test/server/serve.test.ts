import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { createServer, STATIC_CACHE_CONTROL } from '../../server/serve'
import { createPgliteStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import { API } from './helpers'

let store: Store
let dir: string
let site: ReturnType<typeof createServer>

beforeAll(async () => {
  store = await createPgliteStore({ dataDir: 'memory://' })
  dir = await mkdtemp(join(tmpdir(), 'jornada-serve-'))
  await mkdir(join(dir, 'sdk'))
  await mkdir(join(dir, 'demo'))
  await writeFile(join(dir, 'sdk', 'jornada.js'), '/* loader */')
  await writeFile(join(dir, 'sdk', 'jornada.core.mjs'), 'export {}')
  await writeFile(join(dir, 'demo', 'index.html'), '<script data-key="%JORNADA_WRITE_KEY%"></script><p>%JORNADA_WRITE_KEY%</p>')
  await writeFile(join(dir, 'demo', 'style.css'), 'body{}')
  await writeFile(join(dir, 'secret.txt'), 'outside')
  site = createServer({ app: createApp({ store, log: () => {} }), sdkDir: join(dir, 'sdk'), demoDir: join(dir, 'demo'), demoWriteKey: 'pk_demo123' })
})
afterAll(async () => {
  await store?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

const get = (path: string) => site.request(API + path)

describe('serve', () => {
  it.each(['/', '/reports', '/settings/profile'])('serve: GET %s is the demo page with the write key filled in', async (path) => {
    const res = await get(path)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await res.text()).toBe('<script data-key="pk_demo123"></script><p>pk_demo123</p>')
  })

  it('serve: /sdk/jornada.js is JavaScript and never cached without revalidation', async () => {
    const res = await get('/sdk/jornada.js')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe('no-cache')
    expect(await res.text()).toBe('/* loader */')
  })

  it('serve: other SDK files (.mjs) are JavaScript, short-cached', async () => {
    const res = await get('/sdk/jornada.core.mjs')
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe(STATIC_CACHE_CONTROL)
  })

  it('serve: SDK files allow any origin (the loader import()s the core cross-origin on customer sites)', async () => {
    for (const file of ['/sdk/jornada.js', '/sdk/jornada.core.mjs']) {
      expect((await get(file)).headers.get('access-control-allow-origin')).toBe('*')
    }
  })

  it('serve: demo files are served under /demo/', async () => {
    const res = await get('/demo/style.css')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8')
    expect(await res.text()).toBe('body{}')
  })

  it.each(['/sdk/missing.js', '/demo/missing.css', '/favicon.ico', '/sdk/%2e%2e/secret.txt', '/demo/..%2fsecret.txt', '/sdk/%00.js'])(
    'serve: %s is a 404 (missing, or outside its folder)',
    async (path) => {
      const res = await get(path)
      expect(res.status).toBe(404)
      expect(await res.text()).not.toContain('outside')
    },
  )

  it('serve: the API answers under the same origin, with its JSON errors', async () => {
    expect(await (await get('/healthz')).json()).toEqual({ ok: true })
    const missing = await get('/v1/nothing')
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } })
    const post = await site.request(API + '/v1/batch', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"batch":[{}]}' })
    expect(post.status).toBe(401)
  })
})
