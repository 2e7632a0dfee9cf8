/** The console's pages (console.md, "Pages"): one place for every URL a page links to. */
export const BASE = '/console'

export const paths = {
  overview: BASE,
  signIn: `${BASE}/sign-in`,
  setup: `${BASE}/setup`,
  invite: `${BASE}/invite`,
  accounts: `${BASE}/accounts`,
  journeyMap: `${BASE}/journey-map`,
  webhooks: `${BASE}/webhooks`,
  content: `${BASE}/content`,
  results: `${BASE}/results`,
  settings: `${BASE}/settings`,
  audit: `${BASE}/audit`,
} as const

export const accountPath = (id: string): string => `${paths.accounts}/${encodeURIComponent(id)}`
export const valuePath = (id: string): string => `${accountPath(id)}/value`
