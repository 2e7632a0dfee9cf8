/**
 * Fixtures for the UI chunk in Chromium (test/e2e/ui.test.ts): one decision per experience kind, a
 * small "app" page under a strict CSP, and a static server for it and dist/sdk. The page mounts
 * dist/sdk/jornada.ui.mjs with a fake host that records every engagement event in
 * `window.__events` and keeps guide progress in localStorage.
 */
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import type { Experience, ExperienceResponse } from '../../sdk/wire'

export const NONCE = 'abc'
export const CSP = `default-src 'self'; script-src 'self' 'nonce-${NONCE}'; style-src 'self' 'nonce-${NONCE}'`

const checklist: Experience = {
  id: 'checklist',
  kind: 'checklist',
  lane: 'inline',
  reason: 'phase onboarding, day 12: 2 of 6 onboarding milestones done',
  day: 12,
  items: [
    { id: 'welcome', status: 'done', dueDay: 0, dueDate: '2026-11-01', events: ['welcome_email_sent'] },
    { id: 'kickoff', status: 'done', dueDay: 3, dueDate: '2026-11-04', events: ['kickoff_held'] },
    {
      id: 'setup',
      status: 'overdue',
      dueDay: 7,
      dueDate: '2026-11-08',
      events: ['setup_completed'],
      cta: { guide: 'reports-tour' },
    },
    {
      id: 'first_value',
      status: 'due',
      dueDay: 14,
      dueDate: '2026-11-15',
      events: ['first_value'],
      cta: { url: '/reports' },
    },
    { id: 'training', status: 'upcoming', dueDay: 21, dueDate: '2026-11-22', events: ['training_attended'] },
    { id: 'health_check', status: 'upcoming', dueDay: 30, dueDate: '2026-12-01', events: ['health_check_done'] },
  ],
}

const guide: Experience = {
  id: 'guide:reports-tour',
  kind: 'guide',
  lane: 'modal',
  reason: 'intervention feature_ignored: reports unused for 30 days',
  guideId: 'reports-tour',
  feature: 'reports',
  trigger: 'feature_ignored',
  missingTarget: 'skip',
  waitMs: 5000,
  steps: [
    {
      kind: 'tooltip',
      selector: '#late',
      title: 'Your reports live here',
      body: 'Click **New report** to build one.\nIt takes *a minute*.',
    },
    {
      kind: 'tooltip',
      selector: '#deep',
      title: 'Filters',
      body: 'Narrow any report down:\n- by date\n- by team\n\nRead [the docs](https://example.com/docs).',
    },
    {
      kind: 'hotspot',
      selector: '#share',
      title: 'Share with your team',
      body: 'Send the report to anyone in your account.',
    },
    { kind: 'modal', title: 'You are all set', body: 'That is the tour. <img src=x onerror=alert(1)> stays text.' },
  ],
}

const value: Experience = {
  id: 'value:2026-11-24',
  kind: 'value',
  lane: 'modal',
  reason: 'value statement of the last 30 days, phase value',
  statement: {
    periodDays: 30,
    from: '2026-10-25T00:00:00.000Z',
    to: '2026-11-24T00:00:00.000Z',
    hoursSaved: 12.5,
    metrics: [
      {
        id: 'conversion_rate',
        label: 'conversion rate',
        better: 'higher',
        previous: 0.1,
        current: 0.112,
        change: 0.12,
      },
      { id: 'churn', label: 'support tickets', better: 'lower', previous: 40, current: 30, change: -0.25 },
    ],
    roi: 1.7,
    moneySaved: 500,
    currency: 'USD',
    text: 'In the last 30 days, you saved 12.5 hours.',
    locale: 'en',
  },
}

const programs = [
  { id: 'review', benefit: 'A $50 credit for an honest review', url: '/review' },
  { id: 'beta_program', benefit: 'Early access to new features' },
]

const nps: Experience = {
  id: 'nps:2026-11-24',
  kind: 'nps',
  lane: 'modal',
  reason: 'health_check: day 30, tech-touch',
  trigger: 'health_check',
  followUps: [
    { min: 0, band: 'detractor', programs: [], recovery: true },
    { min: 7, band: 'passive', programs: [], recovery: false },
    { min: 9, band: 'promoter', programs, recovery: false },
  ],
}

const advocacy: Experience = {
  id: 'advocacy:loyal',
  kind: 'advocacy',
  lane: 'modal',
  reason: 'phase advocacy; mean NPS 9: loyal',
  level: 'loyal',
  programs,
  recovery: false,
}

/** A detractor account in the advocacy phase: the recovery message instead of an ask. */
const recovery: Experience = {
  id: 'advocacy:detractor',
  kind: 'advocacy',
  lane: 'modal',
  reason: 'phase advocacy; mean NPS 4: detractor',
  level: 'detractor',
  programs: [],
  recovery: true,
}

/** A hotspot alone: the beacon on the page's Share button (opened, its tooltip). */
const hotspot: Experience = {
  id: 'guide:share-tour',
  kind: 'guide',
  lane: 'modal',
  reason: 'on demand',
  guideId: 'share-tour',
  trigger: 'on_demand',
  missingTarget: 'skip',
  waitMs: 5000,
  steps: [
    {
      kind: 'hotspot',
      selector: '#share',
      title: 'Share with your team',
      body: 'Send the report to anyone in your account.',
    },
  ],
}

const message: Experience = {
  id: 'message:usage_declining',
  kind: 'message',
  lane: 'modal',
  reason: 'intervention usage_declining: 4 active days of 14 vs 12',
  situation: 'usage_declining',
  options: ['too_complex', 'missing_feature', 'no_time', 'switched_tool', 'other'],
}

const banner: Experience = {
  id: 'banner:renewal:2026-12-24',
  kind: 'banner',
  lane: 'inline',
  reason: 'auto-renewal in 30 days (tech-touch)',
  renewalDate: '2026-12-24',
  daysToRenewal: 30,
  cta: { url: '/billing' },
}

const only = (e: Experience, launcher: Experience[] = []): ExperienceResponse => ({
  experiences: [e],
  launcher,
  locale: 'en',
})

/** One decision per screenshot: each kind alone (so that axe and the eye see one thing), and the launcher's panel. */
export const DECISIONS: Record<string, ExperienceResponse> = {
  checklist: only(checklist),
  guide: only(guide, [guide]),
  hotspot: only(hotspot),
  value: only(value),
  nps: only(nps),
  advocacy: only(advocacy),
  recovery: only(recovery),
  message: only(message),
  banner: only(banner),
  launcher: { experiences: [], launcher: [checklist, guide, value], locale: 'en' },
}

/** Decisions for one test each (no screenshot of their own). */
export const MORE: Record<string, ExperienceResponse> = {
  // The default `guides.missingTarget`: a target that never renders, then the step as a modal dialog.
  'guide-missing': only({
    ...guide,
    id: 'guide:missing-tour',
    guideId: 'missing-tour',
    missingTarget: 'modal',
    waitMs: 1000,
    steps: [
      {
        kind: 'tooltip',
        selector: '#never-rendered',
        title: 'Exports live here',
        body: 'Click **Export** to download the report.',
      },
      guide.steps[3]!,
    ],
  } as Experience),
}

const PAGE = (q: URLSearchParams) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Relata (UI fixture)</title>
<link rel="icon" href="/favicon.ico">
<link rel="stylesheet" href="/page.css">
${q.get('hostile') ? '<link rel="stylesheet" href="/hostile.css">' : ''}
<script type="module" src="/ui-page.js"></script>
</head><body>
<header><nav><a href="/app/home" id="home">Home</a> <a href="/app/reports" id="reports">Reports</a></nav></header>
<main>
  <h1>Reports</h1>
  <p><button id="opener">Open something</button> <button id="share">Share</button></p>
  <div id="scroller" tabindex="0" aria-label="Filters">
    <div class="spacer"></div><button id="deep">Filters</button><div class="spacer"></div>
  </div>
  <p id="slot"></p>
</main>
</body></html>`

const PAGE_CSS = `body{margin:0;font:16px/1.5 Georgia,serif;color:#222;background:#f4f1ea}
header{padding:12px 24px;background:#2d2a26}header a{color:#fff;margin-right:16px}
main{padding:24px}#scroller{height:140px;overflow:auto;border:1px solid #888;width:320px;background:#fff}
.spacer{height:240px}#late{margin-top:8px}`

/** What a hostile host page does to widgets: CSS leaking in, z-index fights (what in-app guide tools are known to suffer). */
const HOSTILE_CSS = `*{all:unset}div{display:none!important}*{z-index:2147483647!important}
button{font-size:40px!important;color:red!important}h2,p{margin:90px!important}
jornada-ui{display:none;position:absolute;transform:scale(.5);opacity:.2;font-size:5px;color:red}`

/** The page's module script: the fake host, then mount. Query: kind, locale, debug, late (ms), noadopt. */
const PAGE_JS = `
const q = new URLSearchParams(location.search)
// This tab's id (the core keeps one in sessionStorage: the same after a reload, another in another tab).
if (!sessionStorage.getItem('tab')) sessionStorage.setItem('tab', 'tab-' + Math.random().toString(36).slice(2))
window.__events = []
window.__csp = []
document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI))
// A browser without constructable stylesheets: the UI falls back to <style nonce>.
if (q.get('noadopt')) delete ShadowRoot.prototype.adoptedStyleSheets
const late = Number(q.get('late') || 0)
const addLate = () => {
  const b = document.createElement('button')
  b.id = 'late'
  b.textContent = 'New report'
  document.getElementById('slot').append(b)
  window.__lateAddedAt = performance.now()
}
// A late target comes (late) ms after the UI is mounted (below), whenever that is: late by construction.
if (!late) addLate()
const decisions = await (await fetch('/fixtures.json')).json()
const decision = decisions[q.get('kind') || 'nps']
document.getElementById('opener').focus()
const { mount } = await import('/sdk/jornada.ui.mjs')
window.__ui = mount({
  decision,
  locale: q.get('locale') || 'en',
  debug: !!q.get('debug'),
  nonce: '${NONCE}',
  track: (event, props) => window.__events.push({ event, ...props }),
  claim: async () => true,
  get: (k) => JSON.parse(localStorage.getItem('jornada:' + k) || 'null') ?? undefined,
  set: (k, v) => (v == null ? localStorage.removeItem('jornada:' + k) : localStorage.setItem('jornada:' + k, JSON.stringify(v))),
  tab: sessionStorage.getItem('tab'),
  log: () => {},
})
window.__mounted = true
window.__mountedAt = performance.now()
if (late) setTimeout(addLate, late)
`

export interface UiSite {
  url: string
  close(): Promise<void>
}

/** Serves the fixture page (always under the strict CSP), its assets, dist/sdk and axe-core on 127.0.0.1. */
export async function startUiSite(): Promise<UiSite> {
  const files: Record<string, [string, string | Buffer]> = {
    '/page.css': ['text/css', PAGE_CSS],
    '/hostile.css': ['text/css', HOSTILE_CSS],
    '/ui-page.js': ['text/javascript', PAGE_JS],
    '/fixtures.json': ['application/json', JSON.stringify({ ...DECISIONS, ...MORE })],
    '/axe.min.js': ['text/javascript', readFileSync('node_modules/axe-core/axe.min.js')],
  }
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url || '/', 'http://x')
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type, 'content-security-policy': CSP, 'cache-control': 'no-store' })
      res.end(body)
    }
    if (u.pathname.startsWith('/sdk/')) {
      try {
        return send(200, 'text/javascript', readFileSync(join('dist/sdk', u.pathname.slice(5).replace(/[^\w.-]/g, ''))))
      } catch {
        return send(404, 'text/plain', 'not found')
      }
    }
    const f = files[u.pathname]
    if (f) return send(200, f[0], f[1])
    if (u.pathname === '/favicon.ico') return send(204, 'image/x-icon', '')
    // Every other path is the app (SPA routes included).
    send(200, 'text/html; charset=utf-8', PAGE(u.searchParams))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
