/**
 * The Node entry (`npm start`): the only file that reads process.env and listens. It creates the
 * store, makes sure the `default` workspace exists with its keys, and serves the API, the SDK and the
 * demo on one port (api.md, "Running it"). Deno and Bun run it as it is.
 */
import { readFileSync } from 'node:fs'
import { serve } from '@hono/node-server'
import { createApp } from './app'
import { createEvaluator } from './evaluator'
import { createDispatcher } from './webhooks/dispatcher'
import type { JourneyConfig } from './journey'
import { jsonLines } from './http/request-log'
import { configSource } from './config-source'
import { createTimeMachine, DEMO_ACCOUNT, DEMO_TOKEN_TTL_S, DEMO_USER } from './demo'
import { mintUserToken, userHashOf } from './ingest/verify-identity'
import { createServer } from './serve'
import {
  ensureDefaultWorkspace,
  parseStartConfig,
  readSettings,
  StartError,
  startOwner,
  textOf,
  WORKSPACE_ID,
} from './settings'
import type { Settings } from './settings'
import { createStore } from './store'

interface Env extends Settings {
  port: number
  host: string
  dataDir: string
  /** JORNADA_CONFIG: a journey config document's path. */
  configPath: string | undefined
}

/** The demo's journey config (features, guides, value settings), used when JORNADA_CONFIG is not set. */
const DEMO_CONFIG = 'demo/jornada.config.json'

function readEnv(env: NodeJS.ProcessEnv): Env {
  const port = Number(env.PORT || 8787)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got ${env.PORT}`)
  return {
    ...readSettings(env, !env.DATABASE_URL),
    port,
    host: env.HOST || '127.0.0.1',
    dataDir: env.JORNADA_DATA_DIR || '.jornada/data',
    configPath: textOf(env, 'JORNADA_CONFIG'),
  }
}

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
  return parseStartConfig(text, path)
}

async function main(): Promise<void> {
  const env = readEnv(process.env)
  // Before the store opens: a bad config stops the start with nothing touched.
  const config = readStartConfig(env.configPath ?? (env.demo ? DEMO_CONFIG : undefined))
  const store = await createStore({ databaseUrl: env.databaseUrl, dataDir: env.dataDir })
  const demoWriteKey = await ensureDefaultWorkspace(store, env, (text) => process.stdout.write(text))
  const setupPath = env.adminEmail
    ? await startOwner(store, env.adminEmail, env.adminPassword, () => Date.now())
    : undefined
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
