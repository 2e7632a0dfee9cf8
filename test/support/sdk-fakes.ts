import { vi } from 'vitest'
import type { BatchRequest, WireEvent } from '../../sdk/wire'

/** A fake API for the SDK's injected `fetch`: records every body, answers with `answer(n)` (n = 1 for the first request). */
export function fakeApi(answer: (n: number) => number | Response | Promise<Response> = () => 200) {
  const bodies: BatchRequest[] = []
  const calls = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    // The experience decision (POST /v1/experience): nothing to show; not a batch.
    if (String(url).includes('/v1/experience'))
      return new Response(JSON.stringify({ experiences: [], launcher: [], locale: 'en' }), { status: 200 })
    const body = JSON.parse(String(init!.body)) as BatchRequest
    bodies.push(body)
    const a = await answer(bodies.length)
    if (typeof a !== 'number') return a
    return new Response(JSON.stringify({ accepted: body.batch.length, duplicates: 0, rejected: [] }), { status: a })
  })
  return {
    fetch: calls as unknown as typeof globalThis.fetch,
    calls,
    bodies,
    events: (): WireEvent[] => bodies.flatMap((b) => b.batch),
  }
}

/** A serialising `navigator.locks`: one holder at a time, granted in request order. */
export function fakeLocks(): LockManager {
  let tail: Promise<unknown> = Promise.resolve()
  return {
    request: (_name: string, fn: () => Promise<unknown>) => {
      const p = tail.then(() => fn())
      tail = p.catch(() => {})
      return p
    },
  } as unknown as LockManager
}

/** Waits for `cond` through real macrotasks (IndexedDB's), never through the clock. */
export async function until(cond: () => boolean | Promise<boolean>, rounds = 5000): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    if (await cond()) return
    await new Promise((r) => setImmediate(r))
  }
  throw new Error('condition not reached')
}
