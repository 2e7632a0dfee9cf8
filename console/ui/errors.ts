/** An error as a sentence for the member: the API's codes the console knows in their language, else the API's message. */
import { ApiError } from '../api'
import { common } from '../i18n/common'
import type { CommonKey } from '../i18n/common'
import { translator } from '../i18n'

const tc = translator(common)

const KNOWN: Record<string, CommonKey> = {
  network: 'error.network',
  unauthorized: 'error.unauthorized',
  invalid_credentials: 'error.invalid_credentials',
  forbidden_role: 'error.forbidden_role',
  csrf: 'error.csrf',
  not_found: 'error.not_found',
  internal: 'error.internal',
  unavailable: 'error.busy',
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 429)
      return err.retryAfter
        ? tc('error.rate_limited', { minutes: Math.max(1, Math.ceil(err.retryAfter / 60)) })
        : tc('error.rate_limited_now')
    const key = KNOWN[err.code]
    if (key) return tc(key)
    // No error of the API's shape (a proxy's page, an empty body): the status text would be in
    // English whatever the member's language; a server error is the server's, whatever its code.
    if (err.code.startsWith('http_') || err.status >= 500)
      return err.status >= 500 ? tc('error.internal') : tc('error.http', { status: err.status })
    // Validation errors say what was wrong in the API's own words; the fields show the details.
    return err.message
  }
  return err instanceof Error ? err.message : String(err)
}
