/**
 * The Node entry (`npm start`): the only file that reads process.env and listens. It creates the
 * store, makes sure the `default` workspace exists with its keys, and serves the API, the SDK and the
 * demo on one port (api.md, "Running it").
 */
import { readFileSync } from 'node:fs'
import { serve } from '@hono/node-server'
import { createApp } from './app'
import { normaliseOrigin } from './http/auth'
import { createEvaluator } from './evaluator'
import { createDispatcher } from './webhooks/dispatcher'
import { parseConfig } from './journey'
import type { JourneyConfig } from './journey'
import { generateKey } from './key-generator'
import { jsonLines } from './http/request-log'
import { parseRateLimits, parseTrustProxy } from './http/rate-limit'
import type { RateLimitOptions } from './http/rate-limit'
import { configSource } from './config-source'
import { createTimeMachine, DEMO_ACCOUNT, DEMO_TOKEN_TTL_S, DEMO_USER } from './demo'
import { mintUserToken, userHashOf } from './ingest/verify-identity'
import { ensureOwner, OwnerSettingError } from './console-owner'
import { createServer } from './serve'
import { createStore } from './store'
import type { Store } from './store/types'

const WORKSPACE_ID = 'default'

interface Env {
  port: number
  host: string
  databaseUrl: string | undefined
  dataDir: string
  writeKey: string | undefined
  secretKey: string | undefined
  /** JORNADA_ALLOWED_ORIGINS, read at every start; unset or empty: none (only the server's own origin). */
  allowedOrigins: string[]
  /** JORNADA_CONFIG: a journey config document's path. */
  configPath: string | undefined
  /**
   * The demo page, its time machine and its config: on by default with the embedded store (`npm ci &&
   * npm start` shows the demo), off by default with DATABASE_URL (a real deployment);
   * JORNADA_DEMO=1 or 0 decides either way.
   */
  demo: boolean
  /** JORNADA_WORKSPACE_NAME: the default workspace's name (your product's: it signs the value emails and QBRs); null: left as it is. */
  workspaceName: string | null
  /** JORNADA_IDENTITY_SECRET: the default workspace's identity secret (server/identity.ts); null: not verified. */
  identitySecret: string | null
  /** JORNADA_RATE_LIMIT and JORNADA_TRUST_PROXY (server/rate-limit.ts). */
  rateLimit: RateLimitOptions
  /** JORNADA_PUBLIC_URL: the origin browsers reach the server at (server/http/own-origin.ts). */
  publicUrl: string | undefined
  /** JORNADA_ADMIN_EMAIL and JORNADA_ADMIN_PASSWORD: the console's first owner (console-owner.ts). */
  adminEmail: string | undefined
  adminPassword: string | undefined
  /** JORNADA_WEBHOOK_ALLOW_PRIVATE=1: webhooks may go to private addresses (local development; server/webhooks/ssrf.ts). */
  webhookAllowPrivate: boolean
}

/** The demo app's product name: the default workspace's name on a first start with the demo on. */
const DEMO_PRODUCT = 'Relata'
/** The demo's journey config (features, guides, value settings), used when JORNADA_CONFIG is not set. */
const DEMO_CONFIG = 'demo/jornada.config.json'

/** A start-up failure whose message says everything: printed without a stack. */
class StartError extends Error {}

/**
 * The journey config named by JORNADA_CONFIG (journey.md, "The config document"), or undefined.
 * A file that cannot be read, is not JSON, or is not a valid document stops the start, naming every
 * wrong field.
 */
function readStartConfig(path: string | undefined): JourneyConfig | undefined {
  if (path === undefined) return undefined
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new StartError(`JORNADA_CONFIG: cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`)
  }
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (err) {
    throw new StartError(
      `JORNADA_CONFIG: ${path} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
    )
  }
  const result = parseConfig(doc)
  if (!result.ok) {
    const lines = result.issues.map((i) => `  ${i.path || '(document)'}: ${i.message}`)
    throw new StartError(
      `JORNADA_CONFIG: ${path} is not a valid journey config (${result.issues.length} wrong field(s)):\n${lines.join('\n')}`,
    )
  }
  return result.config
}

/** JORNADA_ALLOWED_ORIGINS: comma-separated, normalised (`https://Example.com/` is `https://example.com`), each once. */
function readOrigins(text: string | undefined): string[] {
  const list = (text ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '')
  return [...new Set(list.map(normaliseOrigin))]
}

function readEnv(env: NodeJS.ProcessEnv): Env {
  const port = Number(env.PORT || 8787)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got ${env.PORT}`)
  const databaseUrl = env.DATABASE_URL || undefined
  return {
    port,
    host: env.HOST || '127.0.0.1',
    databaseUrl,
    dataDir: env.JORNADA_DATA_DIR || '.jornada/data',
    writeKey: env.JORNADA_WRITE_KEY || undefined,
    secretKey: env.JORNADA_SECRET_KEY || undefined,
    allowedOrigins: readOrigins(env.JORNADA_ALLOWED_ORIGINS),
    configPath: env.JORNADA_CONFIG || undefined,
    demo: env.JORNADA_DEMO ? env.JORNADA_DEMO !== '0' : databaseUrl === undefined,
    identitySecret: env.JORNADA_IDENTITY_SECRET || null,
    workspaceName: env.JORNADA_WORKSPACE_NAME?.trim() || null,
    rateLimit: readRateLimit(env),
    webhookAllowPrivate: env.JORNADA_WEBHOOK_ALLOW_PRIVATE === '1',
    adminEmail: env.JORNADA_ADMIN_EMAIL?.trim() || undefined,
    publicUrl: readPublicUrl(env.JORNADA_PUBLIC_URL),
    adminPassword: env.JORNADA_ADMIN_PASSWORD || undefined,
  }
}

/** JORNADA_PUBLIC_URL: an http(s) URL; its origin is kept. */
function readPublicUrl(value: string | undefined): string | undefined {
  if (!value?.trim()) return undefined
  try {
    const url = new URL(value.trim())
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin
  } catch {}
  throw new StartError(`JORNADA_PUBLIC_URL: ${JSON.stringify(value)} is not an http(s) URL`)
}

function readRateLimit(env: NodeJS.ProcessEnv): RateLimitOptions {
  try {
    return { ...parseRateLimits(env.JORNADA_RATE_LIMIT), trustProxy: parseTrustProxy(env.JORNADA_TRUST_PROXY) }
  } catch (err) {
    throw new StartError(err instanceof Error ? err.message : String(err))
  }
}

/**
 * Creates the default workspace on first start (keys from the env, or generated and printed once),
 * or makes the env keys current on a later start. Returns the write key the demo page embeds ('' when
 * the demo is off and the key is not known).
 */
async function ensureDefaultWorkspace(store: Store, env: Env): Promise<string> {
  const existing = await store.getWorkspace(WORKSPACE_ID)
  if (!existing) {
    const writeKey = env.writeKey ?? generateKey('write')
    const secretKey = env.secretKey ?? generateKey('secret')
    await store.createWorkspace({
      id: WORKSPACE_ID,
      name: env.workspaceName ?? (env.demo ? DEMO_PRODUCT : 'Default'),
      writeKey,
      secretKey,
      identitySecret: env.identitySecret,
      allowedOrigins: env.allowedOrigins,
    })
    if (!env.writeKey || !env.secretKey) {
      const lines = ['', 'Jornada: created the default workspace. Its keys are shown this once; keep them:']
      if (!env.writeKey) lines.push(`  write key (public, for the script tag):   ${writeKey}`)
      if (!env.secretKey) lines.push(`  secret key (servers and imports only):   ${secretKey}`)
      lines.push('  (set JORNADA_WRITE_KEY / JORNADA_SECRET_KEY to choose them)', '')
      process.stdout.write(lines.join('\n') + '\n')
    }
    return writeKey
  }
  if (env.writeKey) await store.setKey(WORKSPACE_ID, 'write', env.writeKey, 'write')
  if (env.secretKey) await store.setKey(WORKSPACE_ID, 'secret', env.secretKey, 'secret')
  // The env decides, set or unset: removing JORNADA_ALLOWED_ORIGINS (or leaving it empty) leaves the
  // server's own origin only (a list set through PUT /v1/keys/write/origins lasts until the next
  // start), and removing JORNADA_IDENTITY_SECRET turns verification off.
  await store.setAllowedOrigins(WORKSPACE_ID, env.allowedOrigins)
  await store.setIdentitySecret(WORKSPACE_ID, env.identitySecret)
  if (env.workspaceName) await store.setWorkspaceName(WORKSPACE_ID, env.workspaceName)
  // Keys are stored hashed, so the current write key cannot be read back: without JORNADA_WRITE_KEY
  // the demo gets a key of its own, which lives only while it is needed.
  if (env.writeKey || !env.demo) {
    await store.deleteKey(WORKSPACE_ID, 'demo')
    return env.writeKey ?? ''
  }
  const demoKey = generateKey('write')
  await store.setKey(WORKSPACE_ID, 'demo', demoKey, 'write')
  return demoKey
}

/** The console's first owner from the env; the setup link's path when they have no password yet. */
async function startOwner(store: Store, email: string, password: string | undefined): Promise<string | undefined> {
  try {
    const outcome = await ensureOwner(store, { workspaceId: WORKSPACE_ID, email, password, clock: () => Date.now() })
    return outcome.kind === 'setup' ? outcome.setupPath : undefined
  } catch (err) {
    if (err instanceof OwnerSettingError) throw new StartError(err.message)
    throw err
  }
}

async function main(): Promise<void> {
  const env = readEnv(process.env)
  // Before the store opens: a bad config stops the start with nothing touched.
  const config = readStartConfig(env.configPath ?? (env.demo ? DEMO_CONFIG : undefined))
  const store = await createStore({ databaseUrl: env.databaseUrl, dataDir: env.dataDir })
  const demoWriteKey = await ensureDefaultWorkspace(store, env)
  const setupPath = env.adminEmail ? await startOwner(store, env.adminEmail, env.adminPassword) : undefined
  // The events it names are facts in workspaces that have no config of their own (backfilled once).
  if (config) await store.setStartConfig(config)
  const clock = () => Date.now()
  const evaluator = createEvaluator({
    store,
    clock,
    configFor: configSource(store, config),
    log: (line) => process.stdout.write(JSON.stringify(line) + '\n'),
  })
  const log = jsonLines((text) => process.stdout.write(text))
  const app = createApp({
    store,
    clock,
    config,
    log,
    rateLimit: env.rateLimit,
    publicUrl: env.publicUrl,
    webhookUrls: { allowPrivate: env.webhookAllowPrivate },
    // A new config changes every account's state: the listing is rebuilt now, not at the next hourly sweep.
    onConfigChange: (ws) =>
      void evaluator.sweep(ws).catch((err: unknown) => {
        process.stderr.write(
          JSON.stringify({ t: new Date().toISOString(), evaluator: 'sweep', workspace: ws, error: String(err) }) + '\n',
        )
      }),
  })
  const site = createServer({
    app,
    sdkDir: 'dist/sdk',
    consoleDir: 'dist/console',
    demoDir: env.demo ? 'demo' : '',
    demoWriteKey,
    log,
    clock,
    ...(env.identitySecret && {
      demoUserHash: userHashOf(env.identitySecret, DEMO_USER),
      // Minted for each page, as a vendor's server renders it: a page loaded tomorrow gets tomorrow's.
      demoUserToken: () => mintUserToken(env.identitySecret!, DEMO_USER, [DEMO_ACCOUNT], clock(), DEMO_TOKEN_TTL_S),
    }),
    ...(env.demo && {
      timeMachine: createTimeMachine({ store, workspaceId: WORKSPACE_ID, identitySecret: env.identitySecret, clock }),
    }),
  })

  if (env.demo) {
    process.stdout.write(
      `Jornada: demo on (JORNADA_DEMO=0 turns it off); journey config: ${env.configPath ?? `${DEMO_CONFIG}, the demo's (JORNADA_CONFIG unset)`}\n`,
    )
  }
  const server = serve({ fetch: site.fetch, port: env.port, hostname: env.host }, (info) => {
    const host = info.family === 'IPv6' ? `[${info.address}]` : info.address
    process.stdout.write(
      `Jornada listening on http://${host}:${info.port} (${env.demo ? 'demo at /, ' : ''}console at /console/, API at /v1, store: ${store.kind})\n`,
    )
    const origin = env.publicUrl ?? `http://${env.host.includes(':') ? `[${env.host}]` : env.host}:${info.port}`
    if (setupPath) {
      process.stdout.write(`Jornada: set the console owner's password (once, within 24 hours): ${origin}${setupPath}\n`)
    } else if (!env.adminEmail) {
      process.stdout.write(
        'Jornada: no console owner yet: start with JORNADA_ADMIN_EMAIL=… (and JORNADA_ADMIN_PASSWORD=…)\n',
      )
    }
  })
  evaluator.start({ intervalMs: 1000, workspaceIds: [WORKSPACE_ID] })
  // Webhook deliveries: claimed with FOR UPDATE SKIP LOCKED, so every process sharing one PostgreSQL may run one.
  const dispatcher = createDispatcher({
    store,
    clock,
    allowPrivate: env.webhookAllowPrivate,
    log: (line) => process.stderr.write(JSON.stringify(line) + '\n'),
  })
  dispatcher.start({ intervalMs: 1000 })

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    process.stdout.write(`Jornada: ${signal}, shutting down\n`)
    server.close(() => {
      Promise.all([evaluator.stop(), dispatcher.stop()])
        .then(() => store.close())
        .then(
          () => process.exit(0),
          (err: unknown) => {
            process.stderr.write(`Jornada: closing the store failed: ${String(err)}\n`)
            process.exit(1)
          },
        )
    })
    // Idle keep-alive connections would hold close() open.
    if ('closeIdleConnections' in server) server.closeIdleConnections()
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

main().catch((err: unknown) => {
  if (err instanceof StartError) process.stderr.write(`Jornada failed to start: ${err.message}\n`)
  else
    process.stderr.write(
      `Jornada failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    )
  process.exit(1)
})
