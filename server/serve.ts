import { readFile } from 'node:fs/promises'
import { extname, resolve, sep } from 'node:path'
import { Hono } from 'hono'
import type { Context } from 'hono'
import { STAGES } from './demo'
import type { Stage } from './demo'

export interface ServerOptions {
  /** The API (createApp). */
  app: { fetch: (request: Request, env?: unknown) => Response | Promise<Response> }
  /** The built SDK (dist/sdk), served under /sdk/. */
  sdkDir: string
  /** The demo app: index.html for `/` and any extension-less path, other files under /demo/. '' : no demo. */
  demoDir: string
  /** Replaces `%JORNADA_WRITE_KEY%` in the demo's index.html. */
  demoWriteKey: string
  /** Replaces `%JORNADA_USER_HASH%`: the demo user's userHash when identity verification is on (as a customer's server renders it). */
  demoUserHash?: string
  /** The demo's time machine (server/demo.ts): `POST /demo/time-machine {stage}`. Absent: no such route. */
  timeMachine?: (stage: Stage) => Promise<unknown>
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
}

/** The loader's URL is in every customer's page and never changes: it must be revalidated. */
const NO_CACHE = 'no-cache'
/** Everything else is short-cached: a deploy shows within minutes. */
export const STATIC_CACHE_CONTROL = 'public, max-age=300'

/** Paths answered by the API, whatever their shape. */
const API_PREFIXES = ['/v1/', '/v1', '/healthz', '/openapi.json']

function isApiPath(path: string): boolean {
  return API_PREFIXES.some((p) => path === p || (p.endsWith('/') && path.startsWith(p)))
}

/** A file under `root` named by a URL path, or null when it leaves `root` or cannot be read. */
async function readUnder(root: string, urlPath: string): Promise<Buffer | null> {
  let rel: string
  try {
    rel = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (rel.includes('\0')) return null
  const base = resolve(root)
  const file = resolve(base, '.' + (rel.startsWith('/') ? rel : '/' + rel))
  if (!file.startsWith(base + sep)) return null
  try {
    return await readFile(file)
  } catch {
    return null
  }
}

function fileResponse(c: Context, bytes: Buffer, name: string, cacheControl: string, extra: Record<string, string> = {}): Response {
  const type = CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream'
  return c.body(new Uint8Array(bytes), 200, { 'Content-Type': type, 'Cache-Control': cacheControl, ...extra })
}

/**
 * The whole product on one origin: the API, the SDK files under /sdk/, and the demo app (a SPA:
 * any GET path without a file extension is its index.html). Files are read per request, so a
 * rebuilt SDK is served without a restart.
 */
export function createServer({ app, sdkDir, demoDir, demoWriteKey, demoUserHash = '', timeMachine }: ServerOptions): Hono {
  const site = new Hono()

  if (timeMachine) {
    site.post('/demo/time-machine', async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as { stage?: unknown }
      const stage = STAGES.find((s) => s === body.stage)
      if (!stage) return c.json({ error: { code: 'invalid_body', message: `stage must be one of ${STAGES.join(', ')}`, issues: [{ path: 'stage', message: 'unknown stage' }] } }, 400)
      return c.json(await timeMachine(stage), 200)
    })
  }
  // Delegating to app.fetch keeps the API's own not-found and error answers (JSON).
  const api = (c: Context) => app.fetch(c.req.raw, c.env)

  site.get('/sdk/*', async (c) => {
    const rel = c.req.path.slice('/sdk'.length)
    const bytes = await readUnder(sdkDir, rel)
    if (!bytes) return c.text('not found', 404)
    // The loader import()s the core: a module script, which browsers fetch with CORS when the
    // customer's site is on another origin than this server.
    return fileResponse(c, bytes, rel, rel === '/jornada.js' ? NO_CACHE : STATIC_CACHE_CONTROL, { 'Access-Control-Allow-Origin': '*' })
  })

  const index = async (c: Context) => {
    const html = demoDir ? await readUnder(demoDir, '/index.html') : null
    if (!html) return c.text('demo not found', 404)
    const page = html.toString('utf8').replaceAll('%JORNADA_WRITE_KEY%', demoWriteKey).replaceAll('%JORNADA_USER_HASH%', demoUserHash)
    return c.body(page, 200, { 'Content-Type': CONTENT_TYPES['.html']!, 'Cache-Control': NO_CACHE })
  }

  site.get('*', async (c) => {
    const path = c.req.path
    if (isApiPath(path)) return api(c)
    if (extname(path) === '') return index(c)
    if (path === '/demo/index.html' || path === '/index.html') return index(c)
    const rel = path.startsWith('/demo/') ? path.slice('/demo'.length) : path
    const bytes = demoDir ? await readUnder(demoDir, rel) : null
    if (!bytes) return c.text('not found', 404)
    return fileResponse(c, bytes, rel, STATIC_CACHE_CONTROL)
  })

  site.all('*', api)
  return site
}
