import { readFile } from 'node:fs/promises'
import { extname, resolve, sep } from 'node:path'
import { Hono } from 'hono'
import type { Context } from 'hono'
import { STAGES } from './demo'
import type { Stage } from './demo'
import type { Log } from './log'

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
  /**
   * The demo's time machine (server/demo.ts): `POST /demo/time-machine {stage}`. Absent: no such route.
   * It imports histories as the secret key would, so it answers only connections from this machine.
   */
  timeMachine?: (stage: Stage) => Promise<unknown>
  /**
   * One line per request this server answers itself (the page, /sdk/*, /demo/*, the time machine),
   * as server/log.ts writes them; requests handed to the API are logged by the API's own log.
   * Default: nothing (tests and embedders).
   */
  log?: Log
  /** Epoch ms, for the log lines' `t`. */
  clock?: () => number
}

/** Variables of one request of the site: `api` once it has been handed to the API (which logs it). */
type SiteEnv = { Variables: { api?: boolean } }

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
const API_PREFIXES = ['/v1/', '/v1', '/healthz', '/openapi.json', '/docs']

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

/**
 * The address of the connection, as @hono/node-server gives it (`c.env.incoming`), never a header:
 * X-Forwarded-For is whatever the client wrote. undefined outside @hono/node-server.
 */
export function remoteAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined
  return env?.incoming?.socket?.remoteAddress
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (`::ffff:127.0.0.1`, how a dual-stack socket reports IPv4). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false
  const a = address.toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '')
  return a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a)
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
export function createServer({ app, sdkDir, demoDir, demoWriteKey, demoUserHash = '', timeMachine, log, clock = () => Date.now() }: ServerOptions): Hono<SiteEnv> {
  const site = new Hono<SiteEnv>()

  // One log line per request answered here (server/log.ts's format: no payloads, no keys, no query).
  if (log) {
    site.use('*', async (c, next) => {
      const t = new Date(clock()).toISOString()
      const start = performance.now()
      try {
        await next()
      } finally {
        if (!c.get('api')) {
          log({
            t, method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round((performance.now() - start) * 10) / 10,
            ...(c.error && { error: `${c.error.name}: ${c.error.message}`.slice(0, 500) }),
          })
        }
      }
    })
  }

  if (timeMachine) {
    site.post('/demo/time-machine', async (c) => {
      // A jump writes account-level facts into the default workspace, as the secret key would: only
      // someone at this machine may press it (the demo is a local tool), whatever the headers say.
      if (!isLoopback(remoteAddress(c))) {
        return c.json({ error: { code: 'forbidden', message: 'the demo time machine answers only requests from this machine (127.0.0.1 or ::1)' } }, 403)
      }
      const body = (await c.req.json().catch(() => ({}))) as { stage?: unknown }
      const stage = STAGES.find((s) => s === body.stage)
      if (!stage) return c.json({ error: { code: 'invalid_body', message: `stage must be one of ${STAGES.join(', ')}`, issues: [{ path: 'stage', message: 'unknown stage' }] } }, 400)
      return c.json(await timeMachine(stage), 200)
    })
  }
  // Delegating to app.fetch keeps the API's own not-found and error answers (JSON), and its log line.
  const api = (c: Context<SiteEnv>) => {
    c.set('api', true)
    return app.fetch(c.req.raw, c.env)
  }

  site.get('/sdk/*', async (c) => {
    const rel = c.req.path.slice('/sdk'.length)
    const bytes = await readUnder(sdkDir, rel)
    if (!bytes) return c.text('not found', 404)
    // The loader import()s the core: a module script, which browsers fetch with CORS when the
    // customer's site is on another origin than this server.
    return fileResponse(c, bytes, rel, rel === '/jornada.js' ? NO_CACHE : STATIC_CACHE_CONTROL, { 'Access-Control-Allow-Origin': '*' })
  })

  const index = async (c: Context<SiteEnv>) => {
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
