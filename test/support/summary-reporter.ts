import type { Reporter, TestModule } from 'vitest/node'

/**
 * Ends the run with the plain `N passed, N failed` line that CI reads. A file that fails to load
 * counts as failed, and so does every test a failed file did not run (its `beforeAll` threw): they
 * are not skipped, they could not pass.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<unknown>): void {
    let passed = 0
    let failed = errors.length
    let skipped = 0
    for (const m of modules) {
      let tests = 0
      for (const t of m.children.allTests()) {
        tests++
        const state = t.result().state
        if (state === 'passed') passed++
        else if (state === 'failed' || m.state() === 'failed') failed++
        else skipped++
      }
      if (tests === 0 && m.state() === 'failed') failed++
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`)
  }
}
