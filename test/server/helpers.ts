import { randomUUID } from 'node:crypto'
import { generateKey } from '../../server/key-generator'
import type { Store } from '../../server/store/types'

export interface TestWorkspace {
  id: string
  writeKey: string
  secretKey: string
}

/** A workspace of its own for one test (the store is shared by the file, never truncated). */
export async function newWorkspace(store: Store, allowedOrigins?: string[]): Promise<TestWorkspace> {
  const ws = { id: 'ws_' + randomUUID().slice(0, 12), writeKey: generateKey('write'), secretKey: generateKey('secret') }
  await store.createWorkspace({ ...ws, name: 'Test ' + ws.id, ...(allowedOrigins && { allowedOrigins }) })
  return ws
}

export const API = 'http://jornada.test'

let seq = 0
/** A unique event id. */
export const eid = (tag = 'e') =>
  `${tag}-${Date.now().toString(36)}-${(seq++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`

export interface PostOptions {
  /** Bearer by default. */
  auth?: { bearer: string } | { basic: string } | { body: string } | null
  origin?: string
  contentType?: string | null
  headers?: Record<string, string>
}

/** Builds a POST /v1/batch request for app.request. */
export function batchRequest(body: unknown, opts: PostOptions = {}): Request {
  const headers: Record<string, string> = { ...opts.headers }
  if (opts.contentType !== null) headers['content-type'] = opts.contentType ?? 'application/json'
  if (opts.origin !== undefined) headers.origin = opts.origin
  let payload = body
  const auth = opts.auth
  if (auth && 'bearer' in auth) headers.authorization = `Bearer ${auth.bearer}`
  if (auth && 'basic' in auth) headers.authorization = `Basic ${Buffer.from(auth.basic + ':').toString('base64')}`
  if (auth && 'body' in auth) payload = { ...(body as object), writeKey: auth.body }
  return new Request(`${API}/v1/batch`, {
    method: 'POST',
    headers,
    // A string body would make Request add text/plain itself; bytes keep "no content type" possible.
    body: new TextEncoder().encode(typeof payload === 'string' ? payload : JSON.stringify(payload)),
  })
}

export function track(event: string, extra: Record<string, unknown> = {}) {
  return { id: eid(), type: 'track', event, userId: 'user-1', timestamp: new Date().toISOString(), ...extra }
}

/**
 * GET as a key (default the workspace's secret key, both read when called: set in a beforeAll),
 * and GET that expects a 200 and returns the JSON body.
 */
export function getters(
  app: () => { request: (url: string, init: RequestInit) => Response | Promise<Response> },
  ws: () => TestWorkspace,
) {
  const get = (path: string, key = ws().secretKey) =>
    app().request(`${API}${path}`, { headers: { authorization: `Bearer ${key}` } })
  const json = async (path: string) => {
    const res = await get(path)
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`)
    return (await res.json()) as any
  }
  return { get, json }
}
