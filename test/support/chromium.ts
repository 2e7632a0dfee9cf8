import { chromium, type Browser, type Page } from 'playwright-core'

/** toolchain: Debian's Chromium, headless, kept off the network it would otherwise reach for. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

/** Headless Chromium from `/usr/bin/chromium` (playwright-core cannot download one here). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
}

/**
 * A page in a new context (its own storage), closed with its page, and the console errors and
 * uncaught exceptions it reports: tests assert there are none.
 */
export async function pageWithErrors(
  browser: Browser,
  viewport = { width: 1000, height: 700 },
): Promise<{ page: Page; errors: string[] }> {
  const ctx = await browser.newContext({ viewport })
  const page = await ctx.newPage()
  // The browser may already be going away (afterAll): closing its context then is no error.
  page.on('close', () => void ctx.close().catch(() => {}))
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('pageerror', (e) => errors.push(String(e)))
  return { page, errors }
}
