/**
 * A structural diff of two JSON values: every leaf that differs, with its dotted path (as the
 * config's issues name fields: `health.weights.nps`, `guides.0.steps.1.selector`), its value
 * before and after. Objects are compared key by key and arrays index by index; a key or an item on
 * one side only is one change whose other side is absent. Pure; values are JSON (what
 * JSON.parse gives).
 */

export interface JsonChange {
  path: string
  /** Absent: the path did not exist before. */
  before?: unknown
  /** Absent: the path does not exist after. */
  after?: unknown
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The changes from `before` to `after`, in document order (`before`'s keys first, then the new ones). */
export function diffJson(before: unknown, after: unknown): JsonChange[] {
  const out: JsonChange[] = []
  walk(before, after, '', out)
  return out
}

function walk(a: unknown, b: unknown, path: string, out: JsonChange[]): void {
  const at = (k: string | number) => (path === '' ? String(k) : `${path}.${k}`)
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i >= b.length) out.push({ path: at(i), before: a[i] })
      else if (i >= a.length) out.push({ path: at(i), after: b[i] })
      else walk(a[i], b[i], at(i), out)
    }
    return
  }
  if (isObject(a) && isObject(b)) {
    for (const k of Object.keys(a)) {
      if (!Object.hasOwn(b, k)) out.push({ path: at(k), before: a[k] })
      else walk(a[k], b[k], at(k), out)
    }
    for (const k of Object.keys(b)) if (!Object.hasOwn(a, k)) out.push({ path: at(k), after: b[k] })
    return
  }
  if (a !== b) out.push({ path, before: a, after: b })
}
