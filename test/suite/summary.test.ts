/**
 * The line CI reads (test/support/summary-reporter.ts): a real vitest run over two small files, one
 * whose `beforeAll` throws. Its tests could not pass: they count as failed, not as skipped.
 */
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
// Inside the project, so that the files resolve `vitest` from its node_modules.
const cache = join(ROOT, 'node_modules/.cache')
mkdirSync(cache, { recursive: true })
const dir = mkdtempSync(join(cache, 'jornada-summary-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('the summary line', () => {
  it('SU04 a file whose beforeAll throws counts each of its tests as failed; the others as they ran', async () => {
    writeFileSync(
      join(dir, 'hook.test.ts'),
      `import { beforeAll, it } from 'vitest'
beforeAll(() => { throw new Error('the cluster did not start') })
it('one', () => {})
it('two', () => {})
`,
    )
    writeFileSync(
      join(dir, 'fine.test.ts'),
      `import { expect, it } from 'vitest'
it('passes', () => expect(1).toBe(1))
it('fails', () => expect(1).toBe(2))
`,
    )
    writeFileSync(
      join(dir, 'vitest.config.mjs'),
      `export default { test: { include: ['*.test.ts'], reporters: [${JSON.stringify(join(ROOT, 'test/support/summary-reporter.ts'))}] } }\n`,
    )
    const out = await promisify(execFile)(
      join(ROOT, 'node_modules/.bin/vitest'),
      ['run', '--config', 'vitest.config.mjs'],
      {
        cwd: dir,
      },
    ).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    )
    expect(out.code).toBe(1)
    expect(out.stdout.trim().split('\n').at(-1)).toBe('1 passed, 3 failed')
  }, 60_000)
})
