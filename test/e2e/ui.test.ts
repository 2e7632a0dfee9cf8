import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildSdk, isBuilt } from '../../sdk/build'
import { DECISIONS, startUiSite, type UiSite } from './ui-fixtures'
import { launchChromium, pageWithErrors } from '../support/chromium'
import { screenshotPath } from '../support/screenshots'

// The UI (dist/sdk/jornada.ui.mjs, the stub of the hashed base, and its kinds' chunks) in real Chromium, every page under a strict CSP
// (`style-src 'self' 'nonce-abc'`, no 'unsafe-inline'): each kind passes axe-core and is saved as
// <kind>.png (test/support/screenshots.ts); a hostile host stylesheet changes nothing inside; a guide waits
// for a late target, follows it in a scroll container and resumes after a reload; Escape closes
// and gives focus back; the NPS survey is answered with the keyboard alone.

let site: UiSite
let browser: Browser

beforeAll(async () => {
  if (!isBuilt()) await buildSdk()
  site = await startUiSite()
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await site?.close()
})

interface Opened {
  page: Page
  /** Console errors and page errors. */
  errors: string[]
}

/** A new context each time (its own localStorage: no guide progress left by another test). */
async function open(query: string): Promise<Opened> {
  const { page, errors } = await pageWithErrors(browser)
  await page.goto(`${site.url}/app/reports?${query}`)
  await page.waitForFunction(() => (window as any).__mounted === true)
  return { page, errors }
}

const events = (page: Page) => page.evaluate(() => (window as any).__events as Record<string, unknown>[])
const csp = (page: Page) => page.evaluate(() => (window as any).__csp as string[])
/** The focused element inside the widget's shadow root (or the page's), as `tag#id.class "text"`. */
const focused = (page: Page) =>
  page.evaluate(() => {
    let a = document.activeElement as HTMLElement | null
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement as HTMLElement
    return a
      ? `${a.tagName.toLowerCase()}${a.id ? '#' + a.id : ''}${a.className ? '.' + String(a.className).replace(/ /g, '.') : ''} ${JSON.stringify((a.getAttribute('aria-label') || a.textContent || '').trim().slice(0, 40))}`
      : ''
  })

async function axe(page: Page) {
  await page.addScriptTag({ url: '/axe.min.js' })
  return page.evaluate(async () => {
    const r = await (window as any).axe.run(document, { resultTypes: ['violations'] })
    return (r.violations as any[]).map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n: any) => JSON.stringify(n.target)).join(', ')})`,
    )
  })
}

const KINDS = Object.keys(DECISIONS)

describe('UI chunk in Chromium', () => {
  it.each(KINDS)('E-UI09 %s: shown under a strict CSP, no axe-core violation, screenshot saved', async (kind) => {
    const { page, errors } = await open(`kind=${kind}`)
    if (kind === 'launcher') await page.locator('jornada-ui').getByRole('button', { name: 'Help & resources' }).click()
    if (kind === 'guide') await page.locator('jornada-ui [role=dialog]').waitFor()
    if (kind === 'hotspot') await page.locator('jornada-ui [part~=beacon]').waitFor()
    if (kind === 'recovery') await page.locator('jornada-ui [role=dialog]').getByText('We are sorry').waitFor()
    await page.waitForTimeout(300) // entrance and position frames
    await page.screenshot({ path: screenshotPath(kind) })
    expect(await axe(page)).toEqual([])
    expect(await csp(page)).toEqual([])
    expect(errors).toEqual([])
    if (kind !== 'launcher') expect((await events(page)).map((e) => e.event)).toContain('experience_shown')
    await page.close()
  })

  // The page's stylesheet has `* { all: unset }`, `div { display: none !important }` and the maximum z-index.
  it('E-UI10 hostile: a page stylesheet that resets everything changes nothing inside the widget', async () => {
    const measure = async (query: string) => {
      const { page } = await open(query)
      const dialog = page.locator('jornada-ui [role=dialog]')
      await dialog.waitFor()
      await page.waitForTimeout(300)
      const m = await dialog.evaluate((d) => {
        const cs = getComputedStyle(d)
        const r = d.getBoundingClientRect()
        const b = d.querySelector('.pri')!
        const bs = getComputedStyle(b)
        // What is on top at the dialog's centre: the page's own elements all have the max z-index too.
        const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)
        return {
          box: [r.x, r.y, r.width, r.height].map(Math.round),
          dialog: [cs.display, cs.position, cs.fontFamily, cs.fontSize, cs.color, cs.backgroundColor, cs.padding],
          button: [
            bs.display,
            bs.fontSize,
            bs.color,
            bs.backgroundColor,
            bs.borderRadius,
            Math.round(b.getBoundingClientRect().height),
          ],
          onTop: top?.tagName.toLowerCase(),
        }
      })
      await page.close()
      return m
    }
    const clean = await measure('kind=nps')
    const hostile = await measure('kind=nps&hostile=1')
    expect(hostile).toEqual(clean)
    expect(clean.onTop).toBe('jornada-ui')
  })

  // The page moves the banner off its own header, and recolours it with a custom property.
  it('E-UI11 theming: the host page moves the renewal banner with ::part(banner) and recolours it', async () => {
    const { page, errors } = await open('kind=banner')
    const banner = page.locator('jornada-ui [part=banner]')
    await banner.waitFor()
    const box = () =>
      banner.evaluate((b) => {
        const r = b.getBoundingClientRect()
        return { top: Math.round(r.top), bottom: Math.round(r.bottom), bg: getComputedStyle(b).backgroundColor }
      })
    const atTop = await box()
    expect(atTop.top).toBe(0)
    // The host's own stylesheet (constructed: the page's CSP allows no inline <style>).
    await page.evaluate(() => {
      const sheet = new CSSStyleSheet()
      sheet.replaceSync(
        'jornada-ui::part(banner) { top: auto; bottom: 0 } jornada-ui { --jornada-accent: rgb(11, 110, 79) }',
      )
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]
    })
    const moved = await box()
    expect(moved.bottom).toBe(await page.evaluate(() => window.innerHeight))
    expect(moved.bg).toBe('rgb(11, 110, 79)')
    expect(errors).toEqual([])
    await page.close()
  })

  // The <style nonce> is the fallback for pages without constructable stylesheets.
  it('E-UI12 csp: without constructable stylesheets a <style nonce> styles the widget, no CSP violation', async () => {
    const { page, errors } = await open('kind=value&noadopt=1')
    const dialog = page.locator('jornada-ui [role=dialog]')
    await dialog.waitFor()
    expect(
      await page.evaluate(() => document.querySelector('jornada-ui')!.shadowRoot!.adoptedStyleSheets),
    ).toBeUndefined()
    expect(await dialog.evaluate((d) => getComputedStyle(d).position)).toBe('fixed')
    expect(
      await page.evaluate(() => document.querySelector('jornada-ui')!.shadowRoot!.querySelector('style')!.nonce),
    ).toBe('abc')
    expect(await csp(page)).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  })

  // The target is rendered 2 s after the guide is mounted.
  it('E-UI13 guide: waits for a late target, follows it in a scroll container, resumes after a reload', async () => {
    const { page, errors } = await open('kind=guide&late=2000')
    const dialog = page.locator('jornada-ui [role=dialog]')
    await dialog.waitFor({ timeout: 10_000 })
    // The target did not exist when the guide was mounted: the guide waited for it.
    const [mountedAt, addedAt] = await page.evaluate(() => [(window as any).__mountedAt, (window as any).__lateAddedAt])
    expect(addedAt - mountedAt).toBeGreaterThanOrEqual(2000)
    await expect.poll(() => dialog.locator('h2').textContent()).toBe('Your reports live here')
    // The tooltip sits below its target.
    const target = await page.locator('#late').boundingBox()
    await expect.poll(async () => (await dialog.boundingBox())!.y).toBeGreaterThan(target!.y + target!.height)

    await dialog.getByRole('button', { name: 'Next' }).click()
    await expect.poll(() => dialog.locator('h2').textContent()).toBe('Filters')
    // Inside a scroll container: the tooltip stays beside its target (12 px below, or above) as it scrolls.
    const gap = async () => {
      const t = (await page.locator('#deep').boundingBox())!
      const d = (await dialog.boundingBox())!
      return Math.round(Math.min(Math.abs(d.y - (t.y + t.height + 12)), Math.abs(d.y + d.height - (t.y - 12))))
    }
    await expect.poll(gap).toBe(0)
    const before = (await page.locator('#deep').boundingBox())!.y
    await page.locator('#scroller').evaluate((s) => (s.scrollTop += 60))
    await expect.poll(async () => Math.round(before - (await page.locator('#deep').boundingBox())!.y)).toBe(60)
    await expect.poll(gap).toBe(0)
    // Markdown: a list and a safe link, made of elements.
    expect(await dialog.locator('li').count()).toBe(2)
    expect(await dialog.locator('a').getAttribute('href')).toBe('https://example.com/docs')

    await page.reload()
    await page.waitForFunction(() => (window as any).__mounted === true)
    await expect
      .poll(() => page.locator('jornada-ui [role=dialog] h2').textContent(), { timeout: 10_000 })
      .toBe('Filters')
    const after = await events(page)
    expect(after.filter((e) => e.event === 'guide_step_viewed')).toEqual([
      {
        event: 'guide_step_viewed',
        experienceId: 'guide:reports-tour',
        kind: 'guide',
        guideId: 'reports-tour',
        step: 1,
      },
    ])

    // Hotspot: a beacon first (the user moved on from the tooltip with Next, so focus follows to it),
    // then its tooltip; then the last, modal, step.
    await page.locator('jornada-ui [role=dialog]').getByRole('button', { name: 'Next' }).click()
    const beacon = page.locator('jornada-ui').getByRole('button', { name: 'Share with your team' })
    await beacon.waitFor()
    expect(await focused(page)).toContain('button.bc')
    await page.keyboard.press('Enter')
    await page.locator('jornada-ui [role=dialog]').getByRole('button', { name: 'Next' }).click()
    const last = page.locator('jornada-ui [role=dialog]')
    await expect.poll(() => last.locator('h2').textContent()).toBe('You are all set')
    expect(await last.locator('img').count()).toBe(0)
    await last.getByRole('button', { name: 'Done' }).click()
    await expect.poll(async () => (await events(page)).map((e) => e.event)).toContain('experience_completed')
    expect(await page.evaluate(() => localStorage.getItem('jornada:tour'))).toBeNull()
    expect(errors).toEqual([])
    await page.close()
  })

  it('E-UI01 two tabs: a tour in progress resumes after a reload of its own tab and shows in no other tab', async () => {
    const { page: a } = await open('kind=guide')
    const tip = (p: Page) => p.locator('jornada-ui [role=dialog] h2')
    await expect.poll(() => tip(a).textContent()).toBe('Your reports live here')
    await a.locator('jornada-ui [role=dialog]').getByRole('button', { name: 'Next' }).click()
    await expect.poll(() => tip(a).textContent()).toBe('Filters')
    // A second tab of the same site (same localStorage, its own sessionStorage), whose decision
    // lists the guide in the launcher, as the server does once it was shown.
    const b = await a.context().newPage()
    await b.goto(`${site.url}/app/reports?kind=launcher`)
    await b.waitForFunction(() => (window as any).__mounted === true)
    await b.waitForTimeout(800)
    expect(await b.locator('jornada-ui [role=dialog]').count()).toBe(0)
    expect(await b.locator('jornada-ui [part~=beacon], jornada-ui .hl').count()).toBe(0)
    expect((await events(b)).map((e) => e.event)).toEqual([])
    // The first tab reloads: its tour resumes at its step.
    await a.reload()
    await a.waitForFunction(() => (window as any).__mounted === true)
    await expect.poll(() => tip(a).textContent(), { timeout: 10_000 }).toBe('Filters')
    expect(await b.locator('jornada-ui [role=dialog]').count()).toBe(0)
    await b.close()
    await a.close()
  })

  // Neither takes focus when it appears, and the page's target stays usable.
  it('E-UI02 a tooltip is non-modal: it takes no focus, Tab leaves it; a beacon takes no focus either', async () => {
    const { page, errors } = await open('kind=guide')
    const dialog = page.locator('jornada-ui [role=dialog]')
    await expect.poll(() => dialog.locator('h2').textContent()).toBe('Your reports live here')
    await page.waitForTimeout(300)
    expect(await focused(page)).toContain('button#opener')
    expect(await dialog.getAttribute('aria-modal')).toBeNull()
    expect(await page.locator('jornada-ui .bd').count()).toBe(0)
    // From its last control, Tab goes on out of the tooltip (no trap back to its first).
    await dialog.getByRole('button', { name: 'Next' }).focus()
    await page.keyboard.press('Tab')
    expect(await focused(page)).not.toMatch(/Close|Next|div\.c\.tip/)
    expect(await page.evaluate(() => !!document.querySelector('jornada-ui')!.shadowRoot!.activeElement)).toBe(false)
    // The element the step points at is reachable and works with the keyboard while the tooltip is open.
    await page.locator('#late').focus()
    await page.keyboard.press('Enter')
    expect(await focused(page)).toContain('button#late')
    expect(await dialog.count()).toBe(1)
    // Escape still closes it (dismissed), and focus stays where the user is.
    await page.keyboard.press('Escape')
    await expect.poll(() => dialog.count()).toBe(0)
    expect(await focused(page)).toContain('button#late')
    expect((await events(page)).at(-1)).toMatchObject({ event: 'experience_dismissed', reason: 'escape' })
    expect(errors).toEqual([])
    await page.close()

    const spot = await open('kind=hotspot')
    await spot.page.locator('jornada-ui [part~=beacon]').waitFor()
    await spot.page.waitForTimeout(300)
    expect(await focused(spot.page)).toContain('button#opener')
    // Reachable with the keyboard: it is a button in the tab order.
    expect(await spot.page.locator('jornada-ui [part~=beacon]').evaluate((b: HTMLElement) => b.tabIndex)).toBe(0)
    await spot.page.close()
  })

  // It moves above the target once the window is too short.
  it('E-UI03 a guide follows its target when the window is resized: below it, then above it', async () => {
    const { page, errors } = await open('kind=guide')
    const dialog = page.locator('jornada-ui [role=dialog]')
    await expect.poll(() => dialog.locator('h2').textContent()).toBe('Your reports live here')
    const target = page.locator('#late')
    const gapBelow = async () =>
      Math.round(
        (await dialog.boundingBox())!.y - ((await target.boundingBox())!.y + (await target.boundingBox())!.height),
      )
    const gapAbove = async () =>
      Math.round(
        (await target.boundingBox())!.y - ((await dialog.boundingBox())!.y + (await dialog.boundingBox())!.height),
      )
    await expect.poll(gapBelow).toBe(12)
    const t = (await target.boundingBox())!
    const d = (await dialog.boundingBox())!
    // Too short for the tooltip below the target, tall enough above it.
    await page.setViewportSize({ width: 1000, height: Math.round(t.y + t.height + 12 + d.height - 40) })
    await expect.poll(gapAbove).toBe(12)
    await page.setViewportSize({ width: 1000, height: 700 })
    await expect.poll(gapBelow).toBe(12)
    expect(errors).toEqual([])
    await page.close()
  })

  // With it, nothing in the widget animates or transitions.
  it('E-UI04 prefers-reduced-motion: the beacon pulses only without it; with it nothing animates', async () => {
    const motion = async (reduce: boolean) => {
      const { page } = await open('kind=hotspot')
      await page.emulateMedia({ reducedMotion: reduce ? 'reduce' : 'no-preference' })
      const beacon = page.locator('jornada-ui [part~=beacon]')
      await beacon.waitFor()
      const r = await page.evaluate(() => {
        const root = document.querySelector('jornada-ui')!.shadowRoot!
        const all = [...root.querySelectorAll('*')]
        return {
          pulse: getComputedStyle(root.querySelector('.bc')!, '::after').animationName,
          animated: all
            .flatMap((el) => [getComputedStyle(el), getComputedStyle(el, '::after'), getComputedStyle(el, '::before')])
            .filter((cs) => cs.animationName !== 'none').length,
          transitions: all.filter((el) =>
            getComputedStyle(el)
              .transitionDuration.split(',')
              .some((x) => parseFloat(x) > 0),
          ).length,
        }
      })
      await page.close()
      return r
    }
    expect(await motion(false)).toMatchObject({ pulse: 'jp' })
    expect(await motion(true)).toEqual({ pulse: 'none', animated: 0, transitions: 0 })
  })

  it('E-UI05 live region: what appears is announced in a polite status region ("New: …")', async () => {
    const { page } = await open('kind=checklist')
    const live = page.locator('jornada-ui [role=status]')
    await expect.poll(() => live.textContent()).toBe('New: Getting started')
    expect(await live.getAttribute('aria-live')).toBe('polite')
    await page.close()
    const v = await open('kind=value')
    await expect.poll(() => v.page.locator('jornada-ui [role=status]').textContent()).toBe('New: Your results')
    await v.page.close()
  })

  // Mirrored: the checklist and the launcher at the left, the close buttons at the start.
  it('E-UI06 right to left (an Arabic page): the widget mirrors; axe finds nothing; screenshot', async () => {
    const { page, errors } = await open('kind=launcher&locale=ar')
    await page.locator('jornada-ui').getByRole('button', { name: 'Help & resources' }).click()
    const panel = page.locator('jornada-ui #jl-panel')
    await panel.waitFor()
    expect(
      await page.locator('jornada-ui .r').evaluate((r: HTMLElement) => [r.dir, getComputedStyle(r).direction]),
    ).toEqual(['rtl', 'rtl'])
    const vw = 1000
    const launcher = (await page.locator('jornada-ui .ln').boundingBox())!
    const box = (await panel.boundingBox())!
    expect(Math.round(launcher.x)).toBe(16)
    expect(Math.round(box.x)).toBe(16)
    expect(box.x + box.width).toBeLessThan(vw / 2)
    // The checklist's item icons sit at the start (the right) of each row, text after them.
    const row = panel.locator('li').first()
    const icon = (await row.locator('.ic').boundingBox())!
    const rowBox = (await row.boundingBox())!
    expect(icon.x + icon.width).toBeGreaterThan(rowBox.x + rowBox.width - 2)
    await page.screenshot({ path: screenshotPath('launcher-rtl') })
    expect(await axe(page)).toEqual([])
    await page.close()

    const c = await open('kind=checklist&locale=ar')
    const card = c.page.locator('jornada-ui aside.ck')
    await card.waitFor()
    const cb = (await card.boundingBox())!
    const close = (await card.getByRole('button', { name: 'Dismiss' }).boundingBox())!
    expect(Math.round(cb.x)).toBe(16)
    expect(close.x - cb.x).toBeLessThan(20)
    await c.page.screenshot({ path: screenshotPath('checklist-rtl') })
    expect(await axe(c.page)).toEqual([])
    expect([...errors, ...c.errors]).toEqual([])
    await c.page.close()
  })

  it.each(['checklist', 'nps', 'advocacy', 'recovery', 'hotspot', 'launcher'])(
    'E-UI07 pt-BR %s: Portuguese texts, no axe-core violation',
    async (kind) => {
      const { page, errors } = await open(`kind=${kind}&locale=pt-BR`)
      const expected: Record<string, string> = {
        checklist: 'Primeiros passos',
        nps: 'Uma pergunta rápida',
        advocacy: 'Obrigado pela preferência!',
        recovery: 'Sentimos muito',
        hotspot: 'Share with your team',
        launcher: 'Ajuda e recursos',
      }
      if (kind === 'hotspot') {
        await page.locator('jornada-ui [part~=beacon]').click()
        await page.locator('jornada-ui [role=dialog]').getByText('Passo 1 de 1').waitFor()
      } else await page.locator('jornada-ui').getByText(expected[kind]!).first().waitFor()
      if (kind === 'launcher') {
        await page.locator('jornada-ui').getByRole('button', { name: 'Ajuda e recursos' }).click()
        await page.locator('jornada-ui #jl-panel').getByText('Seus resultados').waitFor()
      }
      await page.waitForTimeout(200)
      expect(await page.locator('jornada-ui .r').getAttribute('lang')).toBe('pt-BR')
      expect(await axe(page)).toEqual([])
      if (kind === 'nps') await page.screenshot({ path: screenshotPath('nps-pt-BR') })
      expect(errors).toEqual([])
      await page.close()
    },
  )

  // "modal" is the default. The target never renders; the step shows as a modal dialog.
  it('E-UI08 guide, missingTarget "modal": a missing target is reported, then the step shows as a modal', async () => {
    const { page, errors } = await open('kind=guide-missing')
    const dialog = page.locator('jornada-ui [role=dialog]')
    await page.waitForTimeout(500)
    expect(await dialog.count()).toBe(0)
    await expect.poll(() => dialog.locator('h2').textContent(), { timeout: 10_000 }).toBe('Exports live here')
    expect(await dialog.getAttribute('aria-modal')).toBe('true')
    expect(await page.locator('jornada-ui .bd').count()).toBe(1)
    expect(await focused(page)).toContain('div.c.dlg')
    expect((await events(page)).map((e) => e.event)).toEqual([
      'guide_target_missing',
      'experience_shown',
      'guide_step_viewed',
    ])
    expect((await events(page))[0]).toMatchObject({ guideId: 'missing-tour', step: 0, selector: '#never-rendered' })
    expect(await axe(page)).toEqual([])
    await dialog.getByRole('button', { name: 'Next' }).click()
    await expect.poll(() => dialog.locator('h2').textContent()).toBe('You are all set')
    expect(errors).toEqual([])
    await page.close()
  })

  it('E-UI14 escape: Escape closes the dialog (dismissed, reason escape) and focus returns to the page', async () => {
    const { page } = await open('kind=value')
    await page.locator('jornada-ui [role=dialog]').waitFor()
    expect(await focused(page)).toContain('div.c.dlg')
    await page.keyboard.press('Tab')
    expect(await focused(page)).toContain('Close')
    await page.keyboard.press('Escape')
    await expect.poll(() => page.locator('jornada-ui [role=dialog]').count()).toBe(0)
    expect(await focused(page)).toContain('button#opener')
    expect((await events(page)).at(-1)).toEqual({
      event: 'experience_dismissed',
      experienceId: 'value:2026-11-24',
      kind: 'value',
      reason: 'escape',
    })
    await page.close()
  })

  // Tab, arrows, typing and Enter.
  it('E-UI15 nps keyboard: the keyboard alone answers the survey; the promoter follow-up accepts a program', async () => {
    const { page } = await open('kind=nps')
    await page.locator('jornada-ui [role=dialog]').waitFor()
    await page.keyboard.press('Tab') // close
    await page.keyboard.press('Tab') // the scale: 0
    expect(await focused(page)).toContain('input')
    for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowRight')
    await page.keyboard.press('Tab') // comment
    await page.keyboard.type('Fast reports')
    await page.keyboard.press('Tab') // ask me later
    await page.keyboard.press('Tab') // send
    expect(await focused(page)).toContain('Send')
    await page.keyboard.press('Tab') // the trap: back to close
    expect(await focused(page)).toContain('Close')
    await page.keyboard.press('Shift+Tab')
    expect(await focused(page)).toContain('Send')
    await page.keyboard.press('Enter')
    const follow = page.locator('jornada-ui [role=dialog] h2')
    await expect.poll(() => follow.textContent()).toBe('Thanks for being a fan!')
    expect(await focused(page)).toContain('div.c.dlg')
    await page.keyboard.press('Tab') // close
    await page.keyboard.press('Tab') // the first program
    await page.keyboard.press('Enter')
    const sent = await events(page)
    expect(sent.filter((e) => e.event !== 'experience_shown')).toEqual([
      { event: 'nps_response', experienceId: 'nps:2026-11-24', kind: 'nps', score: 9, comment: 'Fast reports' },
      { event: 'experience_completed', experienceId: 'nps:2026-11-24', kind: 'nps' },
      { event: 'advocacy_accepted', experienceId: 'nps:2026-11-24', kind: 'nps', program: 'review' },
    ])
    await page.close()
  })
})
