/**
 * The server's own origin, as the browser sees it: `JORNADA_PUBLIC_URL`'s when set (createApp's
 * `publicUrl`), else the request's. Behind a proxy that ends TLS, the request Node sees is
 * `http://internal-host`, while the browser's `Origin` is `https://public-host`: the session cookie's
 * `Secure`, the CSRF rule's origin, the write key's own origin and the links the console hands out
 * (invitations, the setup link) all need the public one.
 */
import type { Context } from 'hono'
import type { AppEnv } from './app-env'

export function ownOrigin(c: Context<AppEnv>): string {
  return c.get('origin') ?? new URL(c.req.url).origin
}
