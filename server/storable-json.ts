/**
 * What a JSON value must be before it is stored or walked by recursive code: no object or array
 * nested deeper than a limit, and no string or key PostgreSQL's jsonb refuses (U+0000, a lone
 * surrogate). Every body of the API goes through this (server/http/body.ts), events with their
 * own depth and size limits (server/ingest/validate-batch.ts). Pure: the journey config checks
 * its documents with it too.
 */
import type { Issue } from '../sdk/wire'

/** U+0000 or a lone surrogate: jsonb refuses both, which would otherwise be a 500 at insert time. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is what this finds
export const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
/** What UNSTORABLE can match needs one of these: a cheaper test first. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is what this finds
const MAYBE_UNSTORABLE = /[\u0000\uD800-\uDFFF]/

/** True when `s` holds U+0000 or a lone surrogate. */
export const isUnstorable = (s: string): boolean => MAYBE_UNSTORABLE.test(s) && UNSTORABLE.test(s)

/** Issues of one value at most: one huge bad body cannot make a huge answer. */
export const MAX_JSON_ISSUES = 10

/**
 * True when `value` has no object or array deeper than `maxDepth` (the value itself is level 1)
 * and no unstorable string or key. No allocation (the common case); recursion stops at
 * `maxDepth + 1` levels. When `size` is given, adds to `size.bound` an upper bound of the bytes of
 * its JSON: 6 per string character (`\u001f` is six bytes for one; UTF-8 needs at most 3 per
 * UTF-16 unit), 26 per number (`-1.2345678901234567e-308`), quotes, brackets, colons and commas,
 * so that the exact size (a JSON.stringify) is only needed for large values.
 */
export function isStorable(value: unknown, maxDepth: number, size?: { bound: number }, depth = 1): boolean {
  if (typeof value === 'string') {
    if (size) size.bound += 6 * value.length + 3
    return !isUnstorable(value)
  }
  if (typeof value !== 'object' || value === null) {
    if (size) size.bound += 26
    return true
  }
  if (depth > maxDepth) return false
  if (size) size.bound += 3
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isStorable(value[i], maxDepth, size, depth + 1)) return false
    return true
  }
  for (const key of Object.keys(value)) {
    if (size) size.bound += 6 * key.length + 3
    if (isUnstorable(key)) return false
    if (!isStorable((value as Record<string, unknown>)[key], maxDepth, size, depth + 1)) return false
  }
  return true
}

interface Node {
  value: unknown
  key: string | number | null
  parent: Node | null
  depth: number
}

/** A key as a path segment, its unstorable characters written as `\u0000` escapes (the path is shown, and stored in logs). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is what this escapes
const ESCAPED_IN_PATHS = /[\uD800-\uDBFF][\uDC00-\uDFFF]|[\u0000\uD800-\uDFFF]/g
const keyText = (key: string | number): string | number =>
  typeof key === 'number'
    ? key
    : key.replace(ESCAPED_IN_PATHS, (c) => (c.length === 2 ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))

function pathOf(node: Node, prefix: readonly (string | number)[]): string {
  const keys: (string | number)[] = []
  for (let n: Node | null = node; n && n.key !== null; n = n.parent) keys.push(keyText(n.key))
  return [...prefix, ...keys.reverse()].join('.')
}

/** The message of the issue storableIssues gives a value nested deeper than `maxDepth`. */
export const tooDeepMessage = (maxDepth: number): string => `nested deeper than ${maxDepth} levels`

/**
 * What isStorable refuses, each with its dotted path under `prefix`: depth beyond `maxDepth`, then
 * unstorable strings and keys, at most MAX_JSON_ISSUES. Iterative, and it never descends past
 * `maxDepth`, so a 100,000-level body costs nothing (a recursive walk would overflow the stack).
 */
export function storableIssues(value: unknown, maxDepth: number, prefix: readonly (string | number)[] = []): Issue[] {
  const issues: Issue[] = []
  if (isStorable(value, maxDepth)) return issues
  const stack: Node[] = [{ value, key: null, parent: null, depth: 1 }]
  while (stack.length > 0 && issues.length < MAX_JSON_ISSUES) {
    const node = stack.pop()!
    const v = node.value
    if (typeof v === 'string') {
      if (isUnstorable(v))
        issues.push({ path: pathOf(node, prefix), message: 'string contains U+0000 or a lone surrogate' })
      continue
    }
    if (typeof v !== 'object' || v === null) continue
    if (node.depth > maxDepth) {
      issues.push({ path: pathOf(node, prefix), message: tooDeepMessage(maxDepth) })
      continue
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], key: i, parent: node, depth: node.depth + 1 })
    } else {
      for (const key of Object.keys(v)) {
        const child: Node = { value: (v as Record<string, unknown>)[key], key, parent: node, depth: node.depth + 1 }
        if (isUnstorable(key))
          issues.push({ path: pathOf(child, prefix), message: 'key contains U+0000 or a lone surrogate' })
        stack.push(child)
      }
    }
  }
  return issues
}
