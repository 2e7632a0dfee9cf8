/**
 * Webhook URLs must not reach the server's own network (SSRF): a holder of the secret key could
 * otherwise make Jornada POST to 127.0.0.1, the cloud metadata service (169.254.169.254) or any
 * private host. Checked twice: when an endpoint is created or changed (routes/webhooks.ts:
 * checkWebhookUrl, a 400 naming `url`), and at every delivery against the address the connection
 * actually uses (guarded-post.ts: guardedLookup is the socket's own DNS lookup, so a name that
 * resolved to a public address at creation and to a private one now, DNS rebinding, is refused).
 *
 * `allowPrivate` (node.ts: JORNADA_WEBHOOK_ALLOW_PRIVATE=1) turns both checks off, for local
 * development and the tests, whose receiver listens on 127.0.0.1.
 */
import { promises as dns } from 'node:dns'
import type { LookupAddress } from 'node:dns'
import { BlockList, isIP } from 'node:net'
import type { LookupFunction } from 'node:net'

/** Every address a host name resolves to (dns.lookup with `all`: the system resolver, /etc/hosts included). */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>

export const resolveHost: Resolve = (hostname) => dns.lookup(hostname, { all: true, verbatim: true })

/** How webhook URLs are checked (AppOptions.webhookUrls; the dispatcher takes the same two fields). */
export interface WebhookUrlPolicy {
  /** true: private and reserved addresses are allowed (JORNADA_WEBHOOK_ALLOW_PRIVATE=1). Default false. */
  allowPrivate?: boolean
  /** The DNS lookup (tests inject one). Default: resolveHost. */
  resolve?: Resolve
}

/** Longest wait for DNS when an endpoint is created: a name that does not answer is checked at delivery. */
const RESOLVE_TIMEOUT_MS = 5000

/** IPv4 ranges that are not globally reachable (RFC 6890 and its updates). */
const V4: [string, number][] = [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local host on Linux
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, the cloud metadata service (169.254.169.254) included
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, 255.255.255.255 included
]

/** IPv6 ranges that are not globally reachable. IPv4-mapped addresses (::ffff:a.b.c.d) are checked against V4 by BlockList itself. */
const V6: [string, number][] = [
  ['::', 96], // unspecified, loopback (::1) and the deprecated IPv4-compatible addresses
  ['::ffff:0:0:0', 96], // IPv4-translated (SIIT): an IPv4 address behind a translator
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 23], // IETF protocol assignments (Teredo included)
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
]

/** `a.b.c.d` → its 32 bits as two 16-bit hex groups. */
function v4Groups(ip: string): [string, string] {
  const [a, b, c, d] = ip.split('.').map(Number) as [number, number, number, number]
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)]
}

function createBlockList(): BlockList {
  const list = new BlockList()
  for (const [net, prefix] of V4) {
    list.addSubnet(net, prefix, 'ipv4')
    // The same IPv4 range inside the prefixes that embed an IPv4 address: NAT64 (64:ff9b::/96) and 6to4 (2002::/16).
    const [hi, lo] = v4Groups(net)
    list.addSubnet(`64:ff9b::${hi}:${lo}`, 96 + prefix, 'ipv6')
    list.addSubnet(`2002:${hi}:${lo}::`, 16 + prefix, 'ipv6')
  }
  for (const [net, prefix] of V6) list.addSubnet(net, prefix, 'ipv6')
  return list
}

let blocked: BlockList | undefined

/** true when `ip` (an IPv4 or IPv6 literal) is private, loopback, link-local or otherwise not public. */
export function isPrivateAddress(ip: string): boolean {
  const bare = ip.replace(/%.*$/, '') // a zone id (fe80::1%eth0)
  const family = isIP(bare)
  if (family === 0) return true // not an address: never connect to it
  blocked ??= createBlockList()
  return blocked.check(bare, family === 4 ? 'ipv4' : 'ipv6')
}

const ALLOW_HINT = 'JORNADA_WEBHOOK_ALLOW_PRIVATE=1 allows it in development'

/** A delivery refused because its host is, or resolves to, a private address. */
export class BlockedAddressError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(
      host === address
        ? `refused: ${address} is a private or reserved address (${ALLOW_HINT})`
        : `refused: ${host} resolves to ${address}, a private or reserved address (${ALLOW_HINT})`,
    )
    this.name = 'BlockedAddressError'
  }
}

/** The URL's host without IPv6 brackets. */
export const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1')

/**
 * Why `url` may not receive webhooks, or null when it may: not http(s), a private literal address,
 * or a host name that resolves to one (any of its addresses). A name that does not resolve now is
 * accepted: it proves nothing, and every delivery checks the address it connects to.
 */
export async function checkWebhookUrl(url: string, policy: WebhookUrlPolicy = {}): Promise<string | null> {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return 'expected an http or https URL'
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'expected an http or https URL'
  if (policy.allowPrivate) return null
  const host = hostOf(u)
  if (isIP(host) !== 0) return isPrivateAddress(host) ? new BlockedAddressError(host, host).message : null
  // RFC 6761: localhost and its subdomains are loopback, whatever this resolver says of `localhost.`.
  if (/(^|\.)localhost\.?$/i.test(host)) return new BlockedAddressError(host, '127.0.0.1').message
  let addresses: LookupAddress[]
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    addresses = await Promise.race([
      (policy.resolve ?? resolveHost)(host),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('DNS timeout')), RESOLVE_TIMEOUT_MS)
      }),
    ])
  } catch {
    return null
  } finally {
    clearTimeout(timer)
  }
  const bad = addresses.find((a) => isPrivateAddress(a.address))
  return bad ? new BlockedAddressError(host, bad.address).message : null
}

/**
 * A socket `lookup` (net.connect's option) that refuses private addresses: the connection is made
 * to an address this function checked, so nothing can change between the check and the connect.
 * Refuses the host when any of its addresses is private (a name mixing both is not trusted).
 */
export function guardedLookup(resolve: Resolve = resolveHost): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (all) => {
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family
        const addresses = family === 4 || family === 6 ? all.filter((a) => a.family === family) : all
        const bad = addresses.find((a) => isPrivateAddress(a.address))
        if (bad) return callback(new BlockedAddressError(hostname, bad.address), '')
        const first = addresses[0]
        if (!first) {
          const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`)
          err.code = 'ENOTFOUND'
          return callback(err, '')
        }
        if (options.all) callback(null, addresses)
        else callback(null, first.address, first.family)
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    )
  }
}
