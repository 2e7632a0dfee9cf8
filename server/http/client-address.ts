/**
 * The address of the connection a request came on, from the runtime's adapter (Hono's conninfo),
 * never from a header: X-Forwarded-For is whatever the client wrote (rate-limit.ts trusts it only
 * behind proxies the operator names).
 */
import { getConnInfo as nodeConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'
import type { GetConnInfo } from 'hono/conninfo'

/** The remote address by `connInfo` (default: @hono/node-server's); undefined where the runtime gives none (app.request in tests). */
export function remoteAddress(c: Context, connInfo: GetConnInfo = nodeConnInfo): string | undefined {
  try {
    return connInfo(c).remote.address ?? undefined
  } catch {
    return undefined
  }
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (`::ffff:127.0.0.1`, how a dual-stack socket reports IPv4). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false
  const a = address.toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '')
  return a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a)
}
