/**
 * What every entry reads at start, from whatever holds its settings: Node's environment
 * (server/node.ts), a Worker's bindings (server/edge/). The names are the same everywhere
 * (docs/configuration.md, "Environment variables"), and so is what a start does with them: the
 * default workspace with its keys, the console's first owner, the journey config.
 */
import { ensureOwner, OwnerSettingError } from './console-owner'
import { normaliseOrigin } from './http/auth'
import { parseRateLimits, parseTrustProxy } from './http/rate-limit'
import type { RateLimitOptions } from './http/rate-limit'
import { parseConfig } from './journey'
import type { JourneyConfig } from './journey'
import { generateKey } from './key-generator'
import type { Store } from './store/types'

/** The workspace a single-tenant deployment serves (api.md, "Running it"). */
export const WORKSPACE_ID = 'default'
/** The demo app's product name: the default workspace's name on a first start with the demo on. */
export const DEMO_PRODUCT = 'Relata'

/** Settings by name, as an environment or a Worker's bindings hold them. */
export type Vars = Record<string, unknown>

export interface Settings {
  databaseUrl: string | undefined
  writeKey: string | undefined
  secretKey: string | undefined
  /** JORNADA_ALLOWED_ORIGINS, read at every start; unset or empty: none (only the server's own origin). */
  allowedOrigins: string[]
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

/** A start-up failure whose message says everything: printed without a stack. */
export class StartError extends Error {}

/** A setting as text: a string binding as it is; unset, empty or not a string: undefined. */
export function textOf(vars: Vars, name: string): string | undefined {
  const v = vars[name]
  return typeof v === 'string' && v !== '' ? v : undefined
}

/** The settings every entry shares; `demoByDefault`: whether the demo is on when JORNADA_DEMO is unset. */
export function readSettings(vars: Vars, demoByDefault: boolean): Settings {
  const text = (name: string) => textOf(vars, name)
  const demo = text('JORNADA_DEMO')
  return {
    databaseUrl: text('DATABASE_URL'),
    writeKey: text('JORNADA_WRITE_KEY'),
    secretKey: text('JORNADA_SECRET_KEY'),
    allowedOrigins: readOrigins(text('JORNADA_ALLOWED_ORIGINS')),
    demo: demo ? demo !== '0' : demoByDefault,
    identitySecret: text('JORNADA_IDENTITY_SECRET') ?? null,
    workspaceName: text('JORNADA_WORKSPACE_NAME')?.trim() || null,
    rateLimit: readRateLimit(text('JORNADA_RATE_LIMIT'), text('JORNADA_TRUST_PROXY')),
    webhookAllowPrivate: text('JORNADA_WEBHOOK_ALLOW_PRIVATE') === '1',
    adminEmail: text('JORNADA_ADMIN_EMAIL')?.trim() || undefined,
    publicUrl: readPublicUrl(text('JORNADA_PUBLIC_URL')),
    adminPassword: text('JORNADA_ADMIN_PASSWORD'),
  }
}

/** JORNADA_ALLOWED_ORIGINS: comma-separated, normalised (`https://Example.com/` is `https://example.com`), each once. */
function readOrigins(text: string | undefined): string[] {
  const list = (text ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '')
  return [...new Set(list.map(normaliseOrigin))]
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

function readRateLimit(limits: string | undefined, trustProxy: string | undefined): RateLimitOptions {
  try {
    return { ...parseRateLimits(limits), trustProxy: parseTrustProxy(trustProxy) }
  } catch (err) {
    throw new StartError(err instanceof Error ? err.message : String(err))
  }
}

/**
 * A journey config document's text (journey.md, "The config document"), from `source` (a file's
 * path, a binding's name). Not JSON, or not a valid document: a StartError naming every wrong field.
 */
export function parseStartConfig(text: string, source: string): JourneyConfig {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (err) {
    throw new StartError(
      `JORNADA_CONFIG: ${source} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
    )
  }
  const result = parseConfig(doc)
  if (!result.ok) {
    const lines = result.issues.map((i) => `  ${i.path || '(document)'}: ${i.message}`)
    throw new StartError(
      `JORNADA_CONFIG: ${source} is not a valid journey config (${result.issues.length} wrong field(s)):\n${lines.join('\n')}`,
    )
  }
  return result.config
}

/**
 * Creates the default workspace on first start (keys from the settings, or generated and printed
 * once through `print`), or makes the settings' keys current on a later start. Returns the write key
 * the demo page embeds ('' when the demo is off and the key is not known).
 */
export async function ensureDefaultWorkspace(
  store: Store,
  env: Settings,
  print: (text: string) => void,
): Promise<string> {
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
      print(lines.join('\n') + '\n')
    }
    return writeKey
  }
  if (env.writeKey) await store.setKey(WORKSPACE_ID, 'write', env.writeKey, 'write')
  if (env.secretKey) await store.setKey(WORKSPACE_ID, 'secret', env.secretKey, 'secret')
  // The settings decide, set or unset: removing JORNADA_ALLOWED_ORIGINS (or leaving it empty) leaves
  // the server's own origin only (a list set through PUT /v1/keys/write/origins lasts until the next
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

/** The console's first owner from the settings; the setup link's path when they have no password yet. */
export async function startOwner(
  store: Store,
  email: string,
  password: string | undefined,
  clock: () => number,
): Promise<string | undefined> {
  try {
    const outcome = await ensureOwner(store, { workspaceId: WORKSPACE_ID, email, password, clock })
    return outcome.kind === 'setup' ? outcome.setupPath : undefined
  } catch (err) {
    if (err instanceof OwnerSettingError) throw new StartError(err.message)
    throw err
  }
}
