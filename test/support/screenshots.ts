import { mkdirSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Where the browser tests save their screenshots, to be looked at after a run: an ignored folder,
 * so that a test run rewrites no committed file. UPDATE_SCREENSHOTS=1 writes the committed ones
 * (test/e2e/screenshots/), on purpose, after a change to what people see.
 */
export const SCREENSHOT_DIR = process.env.UPDATE_SCREENSHOTS === '1' ? 'test/e2e/screenshots' : 'test/e2e/.screenshots'

/** The path of screenshot `name` (`demo-checklist` → `…/demo-checklist.png`); the folder is made. */
export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  return join(SCREENSHOT_DIR, `${name}.png`)
}
