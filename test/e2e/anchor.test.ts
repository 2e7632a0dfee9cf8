import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildSdk, isStale } from '../../sdk/build'
import type { ExperienceResponse, GuideExperience, GuideStep } from '../../sdk/wire'
import { CSP, NONCE } from './ui-fixtures'
import { launchChromium, pageWithErrors } from '../support/chromium'

// Guide anchoring in real Chromium (docs/experiences.md, "Anchoring"): a target inside nested open shadow
// roots rendered 1.5 s late, a selector list whose first entry no longer matches a rendered element,
// and `text` picking one of three `.btn` buttons. Each page mounts dist/sdk/jornada.ui.mjs (the stub
// re-exporting the hashed base) under the same strict CSP as test/e2e/ui.test.ts; the proof is
// geometric: the ring (`.hl`) is the target's box grown by 4 px, and the tooltip sits 12 px below or
// above it.

const guideWith = (step: Omit<GuideStep, 'kind' | 'title' | 'body'>): ExperienceResponse => {
  const g: GuideExperience = {
    id: 'guide:anchor',
    kind: 'guide',
    lane: 'modal',
    reason: 'e2e',
    guideId: 'anchor',
    trigger: 'on_demand',
    missingTarget: 'skip',
    waitMs: 5000,
    steps: [
      { kind: 'tooltip', title: 'Export it', body: 'Your report, as a file.', ...step },
      { kind: 'modal', title: 'Done', body: 'That is all.' },
    ],
  }
  return { experiences: [g], launcher: [], locale: 'en' }
}

/** One page per case: its body, and the decision the fake host holds. */
const CASES: Record<string, { body: string; decision: ExperienceResponse }> = {
  // <x-app> (open root) holds <x-toolbar> (open root), which renders its button after 1.5 s.
  shadow: { body: '<h1>Shadow</h1><x-app></x-app>', decision: guideWith({ selector: 'button.export' }) },
  // The old id is still in the page but hidden: not rendered, so the next selector wins.
  list: {
    body: '<h1>List</h1><button id="old-id" hidden>Old</button><p class="pad"></p><button class="new-class">Reports</button>',
    decision: guideWith({ selector: ['#old-id', '.new-class'] }),
  },
  text: {
    body: '<h1>Text</h1><p><button class="btn">Import</button><button class="btn">  Export </button><button class="btn">Print</button></p>',
    decision: guideWith({ selector: '.btn', text: 'Export' }),
  },
}

const PAGE_CSS = `body{margin:0;font:16px/1.5 Georgia,serif;background:#f4f1ea}main{padding:24px}
.btn{margin-right:120px}.pad{height:120px}x-app{display:block;padding:40px 0 0 200px}`

const PAGE_JS = `
const q = new URLSearchParams(location.search)
window.__events = []
window.__csp = []
document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI))
// A design-system-like pair of web components: no inline styles (the page runs under a strict CSP).
customElements.define('x-toolbar', class extends HTMLElement {
  connectedCallback() {
    const root = this.attachShadow({ mode: 'open' })
    root.innerHTML = '<span>Loading…</span>'
    // Its buttons come 1.5 s after the UI is mounted (below), whenever that is: late by construction.
    window.__renderToolbar = () => {
      root.innerHTML = '<button class="export">Export</button> <button class="other">Other</button>'
      window.__rendered = performance.now()
    }
  }
})
customElements.define('x-app', class extends HTMLElement {
  connectedCallback() {
    this.attachShadow({ mode: 'open' }).innerHTML = '<p>Toolbar:</p><x-toolbar></x-toolbar>'
  }
})
const decision = (await (await fetch('/cases.json')).json())[q.get('case')]
const { mount } = await import('/sdk/jornada.ui.mjs')
mount({
  decision, locale: 'en', debug: false, nonce: '${NONCE}',
  track: (event, props) => window.__events.push({ event, ...props }),
  claim: async () => true,
  get: () => undefined, set: () => {}, tab: 'tab-1', log: () => {},
})
window.__mounted = performance.now()
if (window.__renderToolbar) setTimeout(window.__renderToolbar, 1500)
`

let server: Server
let url = ''
let browser: Browser

beforeAll(async () => {
  if (isStale()) await buildSdk()
  const files: Record<string, [string, string | Buffer]> = {
    '/page.css': ['text/css', PAGE_CSS],
    '/page.js': ['text/javascript', PAGE_JS],
    '/cases.json': [
      'application/json',
      JSON.stringify(Object.fromEntries(Object.entries(CASES).map(([k, v]) => [k, v.decision]))),
    ],
  }
  server = createServer((req, res) => {
    const u = new URL(req.url || '/', 'http://x')
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type, 'content-security-policy': CSP, 'cache-control': 'no-store' })
      res.end(body)
    }
    // The UI's base and the chunks it imports beside itself (the guide's, the dialog's, …).
    if (/^\/sdk\/jornada\.ui(\.[\w-]+)*\.mjs$/.test(u.pathname))
      return send(200, 'text/javascript', readFileSync(`dist/sdk${u.pathname.slice(4)}`))
    const f = files[u.pathname]
    if (f) return send(200, f[0], f[1])
    if (u.pathname === '/favicon.ico') return send(204, 'image/x-icon', '')
    const c = CASES[u.searchParams.get('case') || '']
    if (!c) return send(404, 'text/plain', 'no such case')
    send(
      200,
      'text/html; charset=utf-8',
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Anchoring</title>
<link rel="stylesheet" href="/page.css"><script type="module" src="/page.js"></script></head><body><main>${c.body}</main></body></html>`,
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const a = server.address()
  url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
})

async function open(name: string): Promise<{ page: Page; errors: string[] }> {
  const { page, errors } = await pageWithErrors(browser)
  await page.goto(`${url}/app?case=${name}`)
  await page.waitForFunction(() => (window as any).__mounted > 0)
  return { page, errors }
}

const round = (n: number) => Math.round(n)

/** Waits for the tooltip, then proves it points at `target`: the ring is its box + 4 px; the tooltip is 12 px below or above it and overlaps it horizontally. */
async function expectAnchoredTo(page: Page, target: Locator) {
  const dialog = page.locator('jornada-ui [role=dialog]')
  await dialog.waitFor({ timeout: 10_000 })
  const ring = async () => {
    const t = (await target.boundingBox())!
    const h = (await page.locator('jornada-ui .hl').boundingBox())!
    return [h.x - t.x, h.y - t.y, h.width - t.width, h.height - t.height].map(round)
  }
  await expect.poll(ring).toEqual([-4, -4, 8, 8])
  const t = (await target.boundingBox())!
  const d = (await dialog.boundingBox())!
  const gap = Math.min(Math.abs(d.y - (t.y + t.height + 12)), Math.abs(d.y + d.height - (t.y - 12)))
  expect(round(gap)).toBe(0)
  expect(d.x < t.x + t.width && d.x + d.width > t.x).toBe(true)
}

const events = (page: Page) => page.evaluate(() => (window as any).__events as Record<string, unknown>[])

describe('guide anchoring in Chromium', () => {
  // The button is inside nested open shadow roots and renders 1.5 s after the guide is mounted.
  it('E-AN01 shadow DOM: a button in nested open shadow roots, rendered late, gets the tooltip beside it', async () => {
    const { page, errors } = await open('shadow')
    const target = page.locator('x-app x-toolbar button.export') // Playwright's CSS pierces open shadow roots
    await expectAnchoredTo(page, target)
    // The button did not exist when the guide was mounted: it was found when it came.
    const [mounted, rendered] = await page.evaluate(() => [(window as any).__mounted, (window as any).__rendered])
    expect(rendered - mounted).toBeGreaterThanOrEqual(1500)
    expect((await events(page)).map((e) => e.event)).toEqual(['experience_shown', 'guide_step_viewed'])
    expect(await page.evaluate(() => (window as any).__csp)).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  })

  // The list is ["#old-id", ".new-class"]: the old id is hidden, so the tooltip anchors to .new-class.
  it('E-AN02 a selector list whose first selector is hidden: the tooltip anchors to the second', async () => {
    const { page, errors } = await open('list')
    await expectAnchoredTo(page, page.locator('main .new-class'))
    expect((await events(page)).map((e) => e.event)).not.toContain('guide_target_missing')
    expect(errors).toEqual([])
    await page.close()
  })

  it('E-AN03 text "Export" picks the right one of three .btn buttons', async () => {
    const { page, errors } = await open('text')
    await expectAnchoredTo(page, page.locator('main .btn', { hasText: 'Export' }))
    // Only the middle button lines up with the ring (the three are 120 px apart).
    const xs = await page
      .locator('main .btn')
      .evaluateAll((bs) => bs.map((b) => Math.round(b.getBoundingClientRect().x)))
    const ring = (await page.locator('jornada-ui .hl').boundingBox())!
    expect(xs.map((x) => round(ring.x + 4) === x)).toEqual([false, true, false])
    expect(errors).toEqual([])
    await page.close()
  })
})
