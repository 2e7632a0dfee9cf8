import { readFile, stat } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import type { Context } from 'hono'
import { compress } from 'hono/compress'
import { etag } from 'hono/etag'
import { isLoopback, remoteAddress } from './http/client-address'
import { STAGES } from './demo'
import type { Stage } from './demo'
import type { Log } from './http/request-log'
import {
  CONSOLE_HEADERS,
  IMMUTABLE,
  NO_CACHE,
  SDK_MANIFEST,
  STATIC_CACHE_CONTROL,
  hashedFiles,
  sdkCacheControl,
} from './http/static-headers'
import type { SdkManifest } from './http/static-headers'

export interface ServerOptions {
  /** The API (createApp). */
  app: { fetch: (request: Request, env?: unknown) => Response | Promise<Response> }
  /** The built SDK (dist/sdk), served under /sdk/. */
  sdkDir: string
  /** The built console (dist/console), served under /console/; '' or absent: none. */
  consoleDir?: string
  /** The demo app: index.html for `/` and any extension-less path, other files under /demo/. '' : no demo. */
  demoDir: string
  /** Replaces `%JORNADA_WRITE_KEY%` in the demo's index.html. */
  demoWriteKey: string
  /** Replaces `%JORNADA_USER_HASH%`: the demo user's userHash when identity verification is on (as a customer's server renders it). */
  demoUserHash?: string
  /** Replaces `%JORNADA_USER_TOKEN%`: the demo user's userToken (naming their accounts) when identity verification is on. */
  demoUserToken?: () => Promise<string>
  /**
   * The demo's time machine (server/demo.ts): `POST /demo/time-machine {stage}`. Absent: no such route.
   * It imports histories as the secret key would, so it answers only connections from this machine.
   */
  timeMachine?: (stage: Stage) => Promise<unknown>
  /**
   * One line per request this server answers itself (the page, /sdk/*, /demo/*, the time machine),
   * as server/http/request-log.ts writes them; requests handed to the API are logged by the API's own log.
   * Default: nothing (tests and embedders).
   */
  log?: Log
  /** Epoch ms, for the log lines' `t`. */
  clock?: () => number
}

/** Variables of one request of the site: `api` once it has been handed to the API (which logs it). */
type SiteEnv = { Variables: { api?: boolean } }

/** Paths answered by the API, whatever their shape. */
const API_PREFIXES = ['/v1/', '/v1', '/healthz', '/openapi.json', '/docs']

function isApiPath(path: string): boolean {
  return API_PREFIXES.some((p) => path === p || (p.endsWith('/') && path.startsWith(p)))
}

/**
 * The whole product on one origin: the API, the SDK files under /sdk/, and the demo app (a SPA:
 * any GET path without a file extension is its index.html). Files are read per request (Hono's
 * serveStatic), so a rebuilt SDK is served without a restart.
 */
export function createServer({
  app,
  sdkDir,
  consoleDir = '',
  demoDir,
  demoWriteKey,
  demoUserHash = '',
  demoUserToken = async () => '',
  timeMachine,
  log,
  clock = () => Date.now(),
}: ServerOptions): Hono<SiteEnv> {
  const site = new Hono<SiteEnv>()

  // One log line per request answered here (server/http/request-log.ts's format: no payloads, no keys, no query).
  if (log) {
    site.use('*', async (c, next) => {
      const t = new Date(clock()).toISOString()
      const start = performance.now()
      try {
        await next()
      } finally {
        if (!c.get('api')) {
          log({
            t,
            method: c.req.method,
            path: c.req.path,
            status: c.res.status,
            ms: Math.round((performance.now() - start) * 10) / 10,
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
        return c.json(
          {
            error: {
              code: 'forbidden',
              message: 'the demo time machine answers only requests from this machine (127.0.0.1 or ::1)',
            },
          },
          403,
        )
      }
      const body = (await c.req.json().catch(() => ({}))) as { stage?: unknown }
      const stage = STAGES.find((s) => s === body.stage)
      if (!stage)
        return c.json(
          {
            error: {
              code: 'invalid_body',
              message: `stage must be one of ${STAGES.join(', ')}`,
              issues: [{ path: 'stage', message: 'unknown stage' }],
            },
          },
          400,
        )
      return c.json(await timeMachine(stage), 200)
    })
  }
  // Delegating to app.fetch keeps the API's own not-found and error answers (JSON), and its log line.
  const api = (c: Context<SiteEnv>) => {
    c.set('api', true)
    return app.fetch(c.req.raw, c.env)
  }

  // The loader import()s the core: a module script, which browsers fetch with CORS when the
  // customer's site is on another origin than this server.
  // (serveStatic's onFound runs after the answer is made: the headers are set on it here.)
  // What the site answers itself (files and pages, not the API, which has its own rules): an ETag
  // on each, one per encoding, so that a revalidation is a 304 without a body; and compressed when
  // the file was not precompressed at build (the demo's files, the pages), above 1 KB.
  const fileEtag = etag()
  const fileCompress = compress()
  site.use('*', async (c, next) => {
    if (isApiPath(c.req.path)) return next()
    await fileEtag(c, async () => {
      await fileCompress(c, next)
    })
  })
  // Which SDK files have content-hashed names (immutable): the build's manifest says, read again when
  // it changes (a rebuild is served without a restart). No manifest: none.
  let manifest = { mtimeMs: -1, hashed: new Set<string>() }
  const hashedSdkFiles = async () => {
    const path = join(sdkDir, SDK_MANIFEST)
    const mtimeMs = await stat(path).then(
      (s) => s.mtimeMs,
      () => 0,
    )
    if (mtimeMs !== manifest.mtimeMs) {
      const read = await readFile(path, 'utf8')
        .then((text) => JSON.parse(text) as SdkManifest)
        .catch((): SdkManifest => ({}))
      manifest = { mtimeMs, hashed: hashedFiles(read) }
    }
    return manifest.hashed
  }
  site.get(
    '/sdk/*',
    async (c, next) => {
      await next()
      if (c.res.status >= 400) return
      c.res.headers.set('Cache-Control', sdkCacheControl(c.req.path.slice('/sdk/'.length), await hashedSdkFiles()))
      c.res.headers.set('Access-Control-Allow-Origin', '*')
    },
    // The build wrote each file also as .br and .gz (server/http/precompress.ts): the smallest the browser accepts is sent.
    serveStatic({ root: sdkDir, precompressed: true, rewriteRequestPath: (path) => path.slice('/sdk'.length) }),
    (c) => c.text('not found', 404),
  )

  const index = async (c: Context<SiteEnv>) => {
    const html = demoDir ? await readFile(join(demoDir, 'index.html'), 'utf8').catch(() => null) : null
    if (html === null) return c.text('demo not found', 404)
    const page = html
      .replaceAll('%JORNADA_WRITE_KEY%', demoWriteKey)
      .replaceAll('%JORNADA_USER_HASH%', demoUserHash)
      .replaceAll('%JORNADA_USER_TOKEN%', await demoUserToken())
    return c.body(page, 200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': NO_CACHE })
  }

  // The console (console/, built into dist/console): its files, and its page for every other path
  // under /console/ (the console routes in the browser).
  site.get('/console', (c) => c.redirect('/console/', 301))
  if (consoleDir) {
    site.get(
      '/console/assets/*',
      async (c, next) => {
        await next()
        if (c.res.status < 400) c.res.headers.set('Cache-Control', IMMUTABLE)
      },
      serveStatic({
        root: consoleDir,
        precompressed: true,
        rewriteRequestPath: (path) => path.slice('/console'.length),
      }),
      (c) => c.text('not found', 404),
    )
  }
  site.get('/console/*', async (c) => {
    const html = consoleDir ? await readFile(join(consoleDir, 'index.html'), 'utf8').catch(() => null) : null
    if (html === null) return c.text('the console is not built: run npm run build', 404)
    return c.body(html, 200, CONSOLE_HEADERS)
  })

  site.get('*', async (c, next) => {
    const path = c.req.path
    if (isApiPath(path)) return api(c)
    if (extname(path) === '' || path === '/demo/index.html' || path === '/index.html') return index(c)
    await next()
  })
  if (demoDir) {
    site.get(
      '*',
      async (c, next) => {
        await next()
        if (c.res.status < 400) c.res.headers.set('Cache-Control', STATIC_CACHE_CONTROL)
      },
      serveStatic({
        root: demoDir,
        rewriteRequestPath: (path) => (path.startsWith('/demo/') ? path.slice('/demo'.length) : path),
      }),
    )
  }
  site.get('*', (c) => c.text('not found', 404))

  site.all('*', api)
  return site
}
