/**
 * The ingest load of the benchmarks: autocannon, `CONNECTIONS` connections (or `connections`), each
 * request a `BATCH`-event batch with fresh ids (data.ts makeBody) over 20 accounts (or `accounts`),
 * with the secret key.
 */
import autocannon from 'autocannon'
import { makeBody } from './data'

export const CONNECTIONS = 50
export const BATCH = 20

export interface Load {
  rps: number
  eps: number
  p50: number
  p99: number
  /** 2xx answers. */
  ok: number
  /** Non-2xx answers, errors and timeouts. */
  bad: number
}

export interface LoadOptions {
  connections?: number
  accounts?: number
}

export async function load(
  url: string,
  secretKey: string,
  seconds: number,
  { connections = CONNECTIONS, accounts = 20 }: LoadOptions = {},
): Promise<Load> {
  const r = await autocannon({
    url,
    connections,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secretKey}` },
    requests: [{ setupRequest: (req) => ({ ...req, body: makeBody(BATCH, accounts) }) }],
  })
  return {
    rps: r.requests.average,
    eps: r.requests.average * BATCH,
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok: r['2xx'],
    bad: r.non2xx + r.errors + r.timeouts,
  }
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
