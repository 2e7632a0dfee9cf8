/**
 * Webhook requests from a Worker: `fetch`, after the same URL check endpoints get when they are
 * created (server/webhooks/ssrf.ts), before each attempt: the scheme, a literal private or reserved
 * address, `localhost` names. A Worker cannot resolve a name itself, so a public name that resolves
 * to a private address is not caught here as Node's socket-level check catches it (DNS rebinding);
 * Cloudflare's network does not route a Worker's fetch to private addresses
 * (docs/deploy/cloudflare-workers.md, "What differs").
 */
import type { WebhookPost } from '../webhooks/guarded-post'
import { checkWebhookUrl } from '../webhooks/ssrf'
import type { WebhookUrlPolicy } from '../webhooks/ssrf'

/** No resolver on the edge: names are judged by what they say, addresses by their range. */
const noLookup = async () => []

export function edgeWebhookPost(policy: Pick<WebhookUrlPolicy, 'allowPrivate'> = {}): WebhookPost {
  return async (url, init) => {
    const refused = await checkWebhookUrl(url, { allowPrivate: policy.allowPrivate, resolve: noLookup })
    if (refused) throw new Error(refused)
    return fetch(url, init)
  }
}
