/**
 * The shell: the router (preact-iso, scoped to /console/), the header with the member, the language
 * switch and sign-out, the navigation, and one lazy route per page folder, so that each page's code
 * is fetched with the page. Signed out, every page but sign-in, setup and invite sends the member to
 * sign-in, keeping where they were going in `next`.
 */
import { useEffect } from 'preact/hooks'
import lazy, { ErrorBoundary } from 'preact-iso/lazy'
import { LocationProvider, Route, Router, useLocation } from 'preact-iso/router'
import type { ComponentType } from 'preact'
import { LOCALES, locale, setLocale, translator } from './i18n'
import type { Locale } from './i18n'
import { common } from './i18n/common'
import type { CommonKey } from './i18n/common'
import { ServicesContext, useServices } from './services'
import type { Services } from './services'
import type { Role } from './types'
import { Loading, PageTitle } from './ui/parts'
import { BASE, paths } from './paths'

const tc = translator(common)

/** The page that shows when a page's code could not be fetched (a deploy replaced it, the network dropped). */
function PageFailed() {
  return (
    <div class="notice notice-error" role="alert">
      <p>{tc('app.pageFailed')}</p>
      <button type="button" onClick={() => location.reload()}>
        {tc('app.retry')}
      </button>
    </div>
  )
}

const page = <P,>(load: () => Promise<{ default: ComponentType<P> }>) =>
  lazy(() => load().catch(() => ({ default: PageFailed as ComponentType<P> })))

const SignIn = page(() => import('./pages/sign-in/page'))
const Setup = page(() => import('./pages/setup/page'))
const Overview = page(() => import('./pages/overview/page'))
const Accounts = page(() => import('./pages/accounts/page'))
const Account = page(() => import('./pages/account/page'))
const Value = page(() => import('./pages/value/page'))
const JourneyMapPage = page(() => import('./pages/journey-map/page'))
const Webhooks = page(() => import('./pages/webhooks/page'))
const Content = page(() => import('./pages/content/page'))
const Results = page(() => import('./pages/results/page'))
const Settings = page(() => import('./pages/settings/page'))
const Audit = page(() => import('./pages/audit/page'))

/** Pages a signed-out visitor may open. */
const PUBLIC: readonly string[] = [paths.signIn, paths.setup, paths.invite]

/** The navigation: each entry's page and the least role that sees it. */
const NAV: readonly { href: string; key: CommonKey; least: Role }[] = [
  { href: paths.overview, key: 'nav.overview', least: 'viewer' },
  { href: paths.accounts, key: 'nav.accounts', least: 'viewer' },
  { href: paths.journeyMap, key: 'nav.journeyMap', least: 'viewer' },
  { href: paths.content, key: 'nav.content', least: 'viewer' },
  { href: paths.results, key: 'nav.results', least: 'viewer' },
  { href: paths.webhooks, key: 'nav.webhooks', least: 'viewer' },
  { href: paths.audit, key: 'nav.audit', least: 'viewer' },
  // Keys and members: admins only (console.md, "Roles").
  { href: paths.settings, key: 'nav.settings', least: 'admin' },
]

function LanguageSwitch() {
  return (
    <label class="language">
      <span>{tc('app.language')}</span>
      <select value={locale.value} onChange={(e) => setLocale(e.currentTarget.value as Locale)}>
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {l === 'en' ? 'English' : 'Português (Brasil)'}
          </option>
        ))}
      </select>
    </label>
  )
}

function NotFound() {
  return (
    <>
      <PageTitle title={tc('app.notFound')}>{tc('app.notFound')}</PageTitle>
      <p>
        <a href={paths.overview}>{tc('app.backHome')}</a>
      </p>
    </>
  )
}

/** Whether `href` is the current page's section (`/console/accounts` for `/console/accounts/acme`). */
function isCurrent(href: string, path: string): boolean {
  const norm = (p: string) => p.replace(/\/+$/, '')
  return norm(href) === BASE ? norm(path) === BASE : norm(path) === norm(href) || path.startsWith(`${norm(href)}/`)
}

function Shell() {
  const { session } = useServices()
  const { path, url, route, query } = useLocation()
  const status = session.status.value
  const member = session.member.value
  const isPublic = PUBLIC.includes(path)

  useEffect(() => {
    if (status === 'signed-out' && !isPublic) route(`${paths.signIn}?next=${encodeURIComponent(url)}`, true)
    // Signed in on the sign-in page (a restored session): on to where they were going.
    if (status === 'signed-in' && path === paths.signIn) route(safeNext(query.next), true)
  }, [status, isPublic, path])

  if (status === 'loading') return <Loading />

  if (isPublic || !member) {
    return (
      <div class="public">
        <header class="public-header">
          <p class="brand">{tc('app.name')}</p>
          <LanguageSwitch />
        </header>
        <main id="main">
          <Router>
            <Route path={paths.signIn} component={SignIn} />
            <Route path={paths.setup} component={Setup} />
            <Route path={paths.invite} component={Setup} />
            <Route default component={Loading} />
          </Router>
        </main>
      </div>
    )
  }

  return (
    <div class="layout">
      <a class="skip" href="#main">
        {tc('app.skip')}
      </a>
      <header class="top">
        <a class="brand" href={paths.overview}>
          {tc('app.name')}
        </a>
        <p class="who">{tc('app.signedInAs', { email: member.email, role: tc(`role.${member.role}`) })}</p>
        <LanguageSwitch />
        <button type="button" onClick={() => void session.signOut()}>
          {tc('app.signOut')}
        </button>
      </header>
      <nav class="side" aria-label={tc('nav.label')}>
        <ul>
          {NAV.filter((n) => session.can(n.least)).map((n) => (
            <li key={n.href}>
              <a href={n.href} aria-current={isCurrent(n.href, path) ? 'page' : undefined}>
                {tc(n.key)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        <ErrorBoundary>
          <Router>
            <Route path={paths.overview} component={Overview} />
            <Route path={paths.accounts} component={Accounts} />
            <Route path={`${paths.accounts}/:id/value`} component={Value} />
            <Route path={`${paths.accounts}/:id`} component={Account} />
            <Route path={paths.journeyMap} component={JourneyMapPage} />
            <Route path={paths.webhooks} component={Webhooks} />
            <Route path={paths.content} component={Content} />
            <Route path={paths.results} component={Results} />
            <Route path={paths.settings} component={Settings} />
            <Route path={paths.audit} component={Audit} />
            <Route default component={NotFound} />
          </Router>
        </ErrorBoundary>
      </main>
    </div>
  )
}

/** `next` of the sign-in page, kept to the console's own pages (never another site). */
export function safeNext(next: string | undefined): string {
  return next?.startsWith(`${BASE}/`) && !next.startsWith('//') && !next.includes('\\') ? next : paths.overview
}

export function App({ services }: { services: Services }) {
  return (
    <ServicesContext.Provider value={services}>
      <LocationProvider scope={`${BASE}/`}>
        <Shell />
      </LocationProvider>
    </ServicesContext.Provider>
  )
}
