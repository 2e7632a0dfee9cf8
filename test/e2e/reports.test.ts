/**
 * The reports as people see them: the value email, the renewal QBR pack and
 * the journey map, served by the API itself (headers, CSP included) into real Chromium and saved as
 * screenshots (test/support/screenshots.ts). Each page must load nothing but itself and run no script.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { readFileSync } from 'node:fs'
import { createApp } from '../../server/app'
import { history, importEvents } from '../support/stage-history'
import { parseConfig } from '../../server/journey'
import { createPgliteStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import { launchChromium } from '../support/chromium'
import { screenshotPath } from '../support/screenshots'

const NOW = Date.parse('2026-11-24T18:00:00.000Z')
const API = 'http://jornada.test'
const SECRET = 'sk_reports_' + Math.random().toString(36).slice(2)
/** The workspace's name: the vendor that sends the email and presents the QBR. */
const VENDOR = 'Metricly'
let store: Store
let app: ReturnType<typeof createApp>
let browser: Browser

/**
 * Opens `path` of the API in a page: the request is answered by app.request (the real headers and
 * body), every other request is recorded and refused, and the page's console is kept.
 */
async function open(
  path: string,
  viewport: { width: number; height: number },
): Promise<{ page: Page; foreign: string[]; console: string[] }> {
  const page = await browser.newPage({ viewport })
  const foreign: string[] = []
  const console: string[] = []
  page.on('console', (m) => console.push(`${m.type()}: ${m.text()}`))
  await page.route('**/*', async (route) => {
    const url = route.request().url()
    if (!url.startsWith(API + '/v1/')) return (foreign.push(url), route.abort())
    const res = await app.request(
      new Request(url, {
        headers: { authorization: `Bearer ${SECRET}`, accept: route.request().headers().accept ?? '*/*' },
      }),
    )
    await route.fulfill({
      status: res.status,
      headers: Object.fromEntries(res.headers),
      body: Buffer.from(await res.arrayBuffer()),
    })
  })
  const res = await page.goto(API + path)
  expect(res?.status()).toBe(200)
  return { page, foreign, console }
}

beforeAll(async () => {
  store = await createPgliteStore({ dataDir: 'memory://' })
  await store.createWorkspace({
    id: 'reports',
    name: VENDOR,
    writeKey: 'pk_reports_' + Math.random().toString(36).slice(2),
    secretKey: SECRET,
  })
  const doc = JSON.parse(readFileSync('demo/jornada.config.json', 'utf8'))
  doc.segments = {
    enterprise: {
      qbr: {
        goals: [
          'Roll reports out to the Finance team',
          'Cut the monthly close by 2 days',
          'Alerts on every KPI the board reviews',
        ],
      },
    },
  }
  const parsed = parseConfig(doc)
  if (!parsed.ok) throw new Error('config invalid: ' + JSON.stringify(parsed.issues))
  app = createApp({ store, clock: () => NOW, log: () => {}, config: parsed.config })

  await importEvents(
    app,
    API,
    SECRET,
    history('day-100', 'acme', NOW, { name: 'Acme Ltda', locale: 'pt-BR' }, [
      [95, 12, 'nps_response', 'user-43', { score: 4, comment: 'Too many alerts' }],
    ]),
  )
  await importEvents(
    app,
    API,
    SECRET,
    history('renewal-30', 'globex', NOW, { name: 'Globex Corporation', segment: 'enterprise', plan: 'enterprise' }, [
      [280, 10, 'renewal_started', null, {}],
      [300, 11, 'nps_response', 'user-42', { score: 9, comment: 'Reports save our team a full day every week.' }],
      [
        301,
        9,
        'nps_response',
        'user-43',
        { score: 7, comment: 'Alerts are useful but the setup took a while; we need <b>better docs</b>.' },
      ],
      [306, 14, 'qbr_held', null, {}],
      [310, 10, 'ticket_opened', 'user-43', { ticketId: 'T-81' }],
      [312, 16, 'ticket_closed', 'user-43', { ticketId: 'T-81' }],
    ]),
  )
  for (const [stage, id] of [
    ['day-2', 'smb-a'],
    ['day-12', 'smb-b'],
    ['day-45', 'smb-c'],
    ['day-60-alone', 'smb-d'],
    ['renewed', 'smb-e'],
  ] as const) {
    await importEvents(app, API, SECRET, history(stage, id, NOW, { name: id }))
  }
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await store?.close()
})

describe('reports in Chromium', () => {
  it('RP01 the value email renders self-contained (pt-BR) and is saved as value-email.png', async () => {
    const res = await app.request(
      new Request(API + '/v1/accounts/acme/value?period=30d', { headers: { authorization: `Bearer ${SECRET}` } }),
    )
    const { email } = await res.json()
    const page = await browser.newPage({ viewport: { width: 680, height: 600 } })
    const foreign: string[] = []
    await page.route('**/*', (route) => (foreign.push(route.request().url()), route.abort()))
    // As a mail client shows it: the HTML part alone, no network, JavaScript off in the page's CSP.
    await page.setContent(email.html, { waitUntil: 'load' })
    expect(await page.locator('h1').textContent()).toBe('Seus resultados')
    expect(await page.locator('li').allTextContents()).toEqual(
      email.text
        .split('\n')
        .filter((l: string) => l.startsWith('- '))
        .map((l: string) => l.slice(2)),
    )
    // Who sends it: the vendor above the heading and in the footer.
    const text = await page.locator('body').innerText()
    expect(text.trimStart().startsWith(VENDOR)).toBe(true)
    expect(text).toContain(`Enviado por ${VENDOR}: responda a este email`)
    expect(email.subject).toBe(`Acme Ltda: seus resultados com ${VENDOR} nos últimos 30 dias`)
    expect(foreign).toEqual([])
    await page.screenshot({ path: screenshotPath('value-email'), fullPage: true })
    await page.close()
  })

  it('RP02 the QBR pack is one printable document with its four parts; saved as qbr.png', async () => {
    const { page, foreign, console } = await open('/v1/accounts/globex/qbr?locale=en', { width: 1000, height: 900 })
    expect(await page.locator('h2').allTextContents()).toEqual([
      '1. Retrospective',
      '2. Current situation',
      '3. Looking ahead',
      '4. Proposal',
    ])
    expect(await page.locator('h1').textContent()).toBe('Globex Corporation')
    expect(await page.locator('header .kicker').textContent()).toBe(`${VENDOR} · Renewal QBR`)
    expect(await page.getByText('we need <b>better docs</b>').count()).toBe(1)
    // Shown to the customer: none of the CSM's notes (the seed's risks, the score's parts).
    const text = await page.locator('main').innerText()
    for (const note of [
      'wrong expectations',
      'losing the sponsor',
      'frustration',
      'Weight',
      'expansion-ready',
      'user-42',
      'overdue',
    ])
      expect(text).not.toContain(note)
    expect(text).toContain('Needs attention')
    expect(await page.evaluate(() => document.scripts.length)).toBe(0)
    expect(foreign).toEqual([])
    expect(console).toEqual([])
    await page.screenshot({ path: screenshotPath('qbr'), fullPage: true })
    // Printable: the print stylesheet gives an A4 PDF of a few pages.
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true })
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    await page.close()
  })

  it('RP03 the journey map table for smb; saved as journey-map.png', async () => {
    const { page, foreign, console } = await open('/v1/journey-map?segment=smb&format=html', {
      width: 1400,
      height: 900,
    })
    expect(await page.locator('tbody tr').count()).toBe(6)
    expect(await page.locator('thead th').allTextContents()).toEqual([
      'Phase',
      'Objective',
      'Touchpoints (delivered of planned)',
      'Emotion (NPS)',
      'Gap',
      'Action',
    ])
    expect(foreign).toEqual([])
    expect(console).toEqual([])
    await page.screenshot({ path: screenshotPath('journey-map'), fullPage: true })
    await page.close()
  })

  it('RP04 the QBR pack in pt-BR for a tech-touch account; saved as qbr-pt-BR.png', async () => {
    const { page, foreign, console } = await open('/v1/accounts/acme/qbr', { width: 1000, height: 900 })
    expect(await page.locator('html').getAttribute('lang')).toBe('pt-BR')
    expect(await page.locator('h2').allTextContents()).toEqual([
      '1. Retrospectiva',
      '2. Situação atual',
      '3. Visão de futuro',
      '4. Proposta',
    ])
    expect(await page.locator('header .kicker').textContent()).toBe(`${VENDOR} · QBR de renovação`)
    expect(foreign).toEqual([])
    expect(console).toEqual([])
    await page.screenshot({ path: screenshotPath('qbr-pt-BR'), fullPage: true })
    await page.close()
  })
})
