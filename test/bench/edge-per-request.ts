/**
 * A bench-only Worker (test/bench/edge.ts), bundled like server/edge/worker.ts: the design that
 * worker.ts argues against, with no Durable Object. Each request opens a store of its own (one
 * PostgreSQL connection, no migrations: the database has them), runs the app on it and closes it
 * after answering. Nothing is shared between requests but the app's routes, built once per isolate
 * over a stand-in that forwards every call to the request's store (building the app per request
 * would add its own ~2 ms of CPU and hide what is measured: the store). What the per-request store
 * loses: group commit (each batch is its own transaction), the prepared statements, the key and
 * history caches, the touched accounts (no evaluator runs here) and the rate limits' buckets.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { getConnInfo } from 'hono/cloudflare-workers'
import { createApp } from '../../server/app'
import { jsonLines } from '../../server/http/request-log'
import { readSettings } from '../../server/settings'
import type { Vars } from '../../server/settings'
import { createPostgresStore } from '../../server/store/postgres'
import type { Store } from '../../server/store/types'

interface Ctx {
  waitUntil(promise: Promise<unknown>): void
}

const current = new AsyncLocalStorage<Store>()

/**
 * The request's store, wherever the app reaches for it. Routes keep parts of the store they are
 * built with (`store.webhooks`, …): those parts are forwarded the same way, by their path.
 */
function forward(path: PropertyKey[]): any {
  const at = (steps: PropertyKey[]) => {
    let value: any = current.getStore()
    if (!value) throw new Error(`store.${path.join('.')} used outside a request`)
    for (const step of steps) value = value[step]
    return value
  }
  return new Proxy(() => {}, {
    get(_target, prop) {
      if (path.length === 0 && prop === 'kind') return 'postgres'
      if (!current.getStore()) return forward([...path, prop])
      const owner = at(path)
      const value = owner[prop]
      return typeof value === 'function' ? value.bind(owner) : value
    },
    apply(_target, _this, args) {
      const owner = at(path.slice(0, -1))
      return owner[path[path.length - 1]!].apply(owner, args)
    },
  })
}
const store = forward([]) as Store

const print = (text: string) => {
  for (const line of text.split('\n')) if (line.trim() !== '') console.log(line)
}

let app: ReturnType<typeof createApp> | undefined

export default {
  async fetch(request: Request, env: Vars, ctx: Ctx): Promise<Response> {
    const settings = readSettings(env, false)
    app ??= createApp({ store, log: jsonLines(print), rateLimit: { ...settings.rateLimit, connInfo: getConnInfo } })
    const own = await createPostgresStore({ url: settings.databaseUrl!, max: 1, migrate: false })
    try {
      return await current.run(own, () => app!.fetch(request))
    } finally {
      // Closed after the answer, not before it: the best case for this design.
      ctx.waitUntil(own.close())
    }
  },
}
