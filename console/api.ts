/**
 * The console's one API client. Every call carries the session cookie (`credentials: 'same-origin'`)
 * and, when it changes anything, the session's CSRF token in `x-csrf-token` (console.md, "CSRF").
 * The API's one error shape, `{ error: { code, message, issues } }`, becomes an `ApiError` whose
 * `fields` hold one message per field path, for the form to show beside the field that caused it.
 * A `401` on any call but signing in tells `onUnauthorized`, which sends the member to the sign-in page.
 */
import type { Issue } from './types'

export type Query = Record<string, string | number | boolean | null | undefined>

/** A failed call: the HTTP status, the API's code and message, and its issues by field. */
export class ApiError extends Error {
  readonly status: number
  /** The API's code (`invalid_body`, `forbidden_role`, `csrf`, …), or `network` when nothing answered. */
  readonly code: string
  readonly issues: Issue[]
  /** Seconds from `Retry-After` (a `429`), when given. */
  readonly retryAfter: number | null

  constructor(status: number, code: string, message: string, issues: Issue[] = [], retryAfter: number | null = null) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.issues = issues
    this.retryAfter = retryAfter
  }

  /** One message per field path (the first issue of each); issues without a path are left to `message`. */
  get fields(): Record<string, string> {
    return fieldMessages(this.issues)
  }
}

/** The first message of each issue path: what a form shows beside each field. */
export function fieldMessages(issues: readonly Issue[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const i of issues) if (i.path !== '' && !(i.path in out)) out[i.path] = i.message
  return out
}

/** The messages of issues that name no field a form knows: shown at the top of the form. */
export function otherMessages(issues: readonly Issue[], fields: readonly string[]): string[] {
  return issues.filter((i) => !fields.includes(i.path)).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
}

export interface ApiOptions {
  /** Defaults to the global fetch (tests pass a fake one). */
  fetch?: typeof fetch
  /** The API's origin and prefix; `''`: this origin. */
  base?: string
  /** A `401` outside signing in: the session has ended. */
  onUnauthorized?: () => void
}

/** Routes whose `401` is an answer to show (a wrong password, a used link), not an ended session. */
const SIGN_IN_ROUTES = ['/v1/session', '/v1/invites/accept']

export interface Api {
  get<T>(path: string, query?: Query): Promise<T>
  post<T>(path: string, body?: unknown): Promise<T>
  put<T>(path: string, body?: unknown): Promise<T>
  patch<T>(path: string, body?: unknown): Promise<T>
  del<T = void>(path: string, body?: unknown): Promise<T>
  /** The URL of a GET (a CSV export, a printable page): same origin, so the cookie goes with a plain link. */
  url(path: string, query?: Query): string
  /** The session's token, sent with every call that changes anything; null once signed out. */
  setCsrfToken(token: string | null): void
}

/** `?a=1&b=x`, leaving out empty values; '' when none. */
export function queryString(query: Query = {}): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v))
  const s = params.toString()
  return s ? `?${s}` : ''
}

export function createApi({ fetch: fetchFn, base = '', onUnauthorized }: ApiOptions = {}): Api {
  let csrf: string | null = null
  const doFetch = fetchFn ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init))

  async function request<T>(method: string, path: string, query?: Query, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf
    let res: Response
    try {
      res = await doFetch(base + path + queryString(query), {
        method,
        headers,
        credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    } catch (err) {
      throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err))
    }
    if (res.status === 204) return undefined as T
    const text = await res.text()
    let data: unknown = null
    try {
      data = text ? JSON.parse(text) : null
    } catch {
      data = null
    }
    if (res.ok) return data as T
    const error = (data as { error?: { code?: unknown; message?: unknown; issues?: unknown } } | null)?.error
    const retry = Number(res.headers.get('retry-after'))
    const err = new ApiError(
      res.status,
      typeof error?.code === 'string' ? error.code : `http_${res.status}`,
      typeof error?.message === 'string' ? error.message : res.statusText || `HTTP ${res.status}`,
      Array.isArray(error?.issues) ? (error.issues as Issue[]) : [],
      Number.isFinite(retry) && retry > 0 ? retry : null,
    )
    if (res.status === 401 && !SIGN_IN_ROUTES.includes(path)) onUnauthorized?.()
    throw err
  }

  return {
    get: (path, query) => request('GET', path, query),
    post: (path, body) => request('POST', path, undefined, body ?? {}),
    put: (path, body) => request('PUT', path, undefined, body ?? {}),
    patch: (path, body) => request('PATCH', path, undefined, body ?? {}),
    del: (path, body) => request('DELETE', path, undefined, body),
    url: (path, query) => base + path + queryString(query),
    setCsrfToken: (token) => {
      csrf = token
    },
  }
}
