/**
 * The Node entry (`npm start`): the only file that reads process.env and listens. It creates the
 * store, makes sure the `default` workspace exists with its keys, and serves the API, the SDK and the
 * demo on one port (api.md, "Running it").
 */
import { serve } from '@hono/node-server'
import { createApp } from './app'
import { generateKey } from './keys'
import { jsonLines } from './log'
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
  /** undefined: not set (only the server's own origin). */
  allowedOrigins: string[] | undefined
}

function readEnv(env: NodeJS.ProcessEnv): Env {
  const port = Number(env.PORT || 8787)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`)
  return {
    port,
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.JORNADA_DATA_DIR || '.jornada/data',
    writeKey: env.JORNADA_WRITE_KEY || undefined,
    secretKey: env.JORNADA_SECRET_KEY || undefined,
    allowedOrigins: env.JORNADA_ALLOWED_ORIGINS
      ? env.JORNADA_ALLOWED_ORIGINS.split(',').map((o) => o.trim()).filter((o) => o !== '')
      : undefined,
  }
}

/**
 * Creates the default workspace on first start (keys from the env, or generated and printed once),
 * or makes the env keys current on a later start. Returns the write key the demo page embeds.
 */
async function ensureDefaultWorkspace(store: Store, env: Env): Promise<string> {
  const existing = await store.getWorkspace(WORKSPACE_ID)
  if (!existing) {
    const writeKey = env.writeKey ?? generateKey('write')
    const secretKey = env.secretKey ?? generateKey('secret')
    await store.createWorkspace({
      id: WORKSPACE_ID, name: 'Default', writeKey, secretKey,
      ...(env.allowedOrigins && { allowedOrigins: env.allowedOrigins }),
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
  if (env.allowedOrigins) await store.setAllowedOrigins(WORKSPACE_ID, env.allowedOrigins)
  if (env.writeKey) return env.writeKey
  // Keys are stored hashed, so the current write key cannot be read back: the demo gets its own.
  const demoKey = generateKey('write')
  await store.setKey(WORKSPACE_ID, 'demo', demoKey, 'write')
  return demoKey
}

async function main(): Promise<void> {
  const env = readEnv(process.env)
  const store = await createStore({ databaseUrl: env.databaseUrl, dataDir: env.dataDir })
  const demoWriteKey = await ensureDefaultWorkspace(store, env)
  const app = createApp({ store, log: jsonLines((text) => process.stdout.write(text)) })
  const site = createServer({ app, sdkDir: 'dist/sdk', demoDir: 'demo', demoWriteKey })

  const server = serve({ fetch: site.fetch, port: env.port, hostname: env.host }, (info) => {
    const host = info.family === 'IPv6' ? `[${info.address}]` : info.address
    process.stdout.write(`Jornada listening on http://${host}:${info.port} (demo at /, API at /v1, store: ${store.kind})\n`)
  })

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    process.stdout.write(`Jornada: ${signal}, shutting down\n`)
    server.close(() => {
      store.close().then(
        () => process.exit(0),
        (err: unknown) => { process.stderr.write(`Jornada: closing the store failed: ${String(err)}\n`); process.exit(1) },
      )
    })
    // Idle keep-alive connections would hold close() open.
    if ('closeIdleConnections' in server) server.closeIdleConnections()
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

main().catch((err: unknown) => {
  process.stderr.write(`Jornada failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`)
  process.exit(1)
})
