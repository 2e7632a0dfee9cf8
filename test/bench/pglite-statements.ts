/**
 * Preloaded into the server by as-run.ts (`AS_RUN_STATEMENTS=1`): the time PGlite spends in each
 * kind of statement, which a CPU profile cannot tell (a statement runs in an awaited callback whose
 * stack does not name its caller). It wraps PGlite's `execProtocolRawSync`, the one synchronous
 * call through which every protocol message reaches PostgreSQL in WASM: a Parse or Query message
 * names the statement, and every message until the next one is counted to it. The time is wall time
 * inside WASM (the file writes under it included): on a loaded machine it holds the waits for the
 * core too, so compare the statements' shares, not their milliseconds across runs.
 *
 * SIGUSR2: the first starts the window; the next writes the window's totals, as JSON, to
 * `AS_RUN_STATEMENTS_FILE`, and starts a new one.
 */
import { writeFileSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'

const out = process.env.AS_RUN_STATEMENTS_FILE
const decoder = new TextDecoder()

/** A NUL-terminated string of `b` at `from`, and where the next field starts. */
function cString(b: Uint8Array, from: number): [string, number] {
  let end = from
  while (end < b.length && b[end] !== 0) end++
  return [decoder.decode(b.subarray(from, end)), end + 1]
}

/** A statement's label: `EXECUTE name` for prepared ones, else its first 80 characters. */
export function labelOf(sql: string): string {
  const flat = sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return /^EXECUTE \w+/.exec(flat)?.[0] ?? flat.slice(0, 80)
}

if (out) {
  let label = '(other)'
  let totals = new Map<string, { ms: number; statements: number }>()
  let started = 0
  const proto = PGlite.prototype as unknown as { execProtocolRawSync(message: Uint8Array): Uint8Array }
  const run = proto.execProtocolRawSync
  proto.execProtocolRawSync = function (this: unknown, message: Uint8Array) {
    // 'Q': simple query (length, text). 'P': parse (length, statement name, text).
    const kind = message[0]
    if (kind === 0x51) label = labelOf(cString(message, 5)[0])
    else if (kind === 0x50) label = labelOf(cString(message, cString(message, 5)[1])[0])
    const t0 = performance.now()
    try {
      return run.call(this, message)
    } finally {
      const t = totals.get(label) ?? { ms: 0, statements: 0 }
      t.ms += performance.now() - t0
      if (kind === 0x51 || kind === 0x50) t.statements++
      totals.set(label, t)
    }
  }
  process.on('SIGUSR2', () => {
    const now = performance.now()
    if (started > 0)
      writeFileSync(out, JSON.stringify({ windowMs: now - started, statements: Object.fromEntries(totals) }))
    totals = new Map()
    started = now
  })
}
