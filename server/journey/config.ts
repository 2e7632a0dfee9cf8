/**
 * The journey config (journey.md, "The config document"): a workspace's document is validated
 * (config-schema.ts), every key optional, and merged over the defaults (default-config.ts); a
 * segment's block is merged over the workspace's (`configFor`).
 *
 * Merge rule: objects merge key by key, recursively; arrays and scalars replace. So
 * `{ "segments": { "enterprise": { "touchpoints": { "plan": { "training": { "days": [14, 21] } } } } }`
 * changes one list, while `{ "features": [...] }` replaces the whole feature list.
 *
 * The config's vocabulary, schema and defaults live in files of their own; they are re-exported here
 * so that a caller imports the config from one place.
 */
import { storableIssues, tooDeepMessage } from '../storable-json'
import type { z } from 'zod'
import { schemas } from './config-schema'
import type { BaseConfig, JourneyConfig } from './config-schema'
import { defaultConfig } from './default-config'
import { SEGMENTS } from './vocabulary'
import type { Segment } from './vocabulary'

export * from './vocabulary'
export { configDocumentSchema } from './config-schema'
export type { BaseConfig, DeepPartial, JourneyConfig } from './config-schema'
export { defaultConfig } from './default-config'

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** `over` merged over `base`: objects recursively, everything else (arrays included) replaces; undefined leaves. */
export function deepMerge<T>(base: T, over: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(over)) return (over === undefined ? base : over) as T
  const out: Record<string, unknown> = { ...base }
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue
    out[k] = k in out ? deepMerge(out[k], v) : v
  }
  return out as T
}

/** The segment's block merged over the workspace's values. */
export function configFor(config: JourneyConfig, segment: Segment): BaseConfig {
  const { segments, ...root } = config
  return deepMerge<BaseConfig>(root, segments?.[segment])
}

export interface ConfigIssue {
  path: string
  message: string
}

function toIssues(error: z.ZodError, prefix: string): ConfigIssue[] {
  const out: ConfigIssue[] = []
  for (const issue of error.issues) {
    const path = [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.')
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: path ? `${path}.${key}` : key, message: 'unknown key' })
    } else {
      out.push({ path, message: issue.message })
    }
  }
  return out
}

/** Cross-field rules the types cannot say. */
function semanticIssues(c: BaseConfig, prefix: string): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  const at = (p: string) => (prefix ? `${prefix}.${p}` : p)
  for (const [id, m] of Object.entries(c.milestones)) {
    if (m.window[0] > m.window[1])
      issues.push({ path: at(`milestones.${id}.window`), message: 'the window must end on or after its start' })
  }
  if (c.milestones.workflow.minWeeks > c.milestones.workflow.weeks) {
    issues.push({ path: at('milestones.workflow.minWeeks'), message: 'minWeeks must not exceed weeks' })
  }
  const weights = Object.values(c.health.weights).reduce((a, b) => a + b, 0)
  if (!(weights > 0)) issues.push({ path: at('health.weights'), message: 'the weights must not all be 0' })
  if (c.health.bands.yellow > c.health.bands.green)
    issues.push({ path: at('health.bands.yellow'), message: 'yellow must not be above green' })
  const pts = c.health.trend.points
  for (let i = 1; i < pts.length; i++) {
    if (pts[i]![0] <= pts[i - 1]![0])
      issues.push({ path: at(`health.trend.points.${i}`), message: 'ratios must increase' })
  }
  if (c.nps.passiveMin > c.nps.promoterMin)
    issues.push({ path: at('nps.passiveMin'), message: 'passiveMin must not exceed promoterMin' })
  const a = c.advocacy
  if (!(a.satisfiedMin <= a.loyalMin && a.loyalMin <= a.promoterMin)) {
    issues.push({ path: at('advocacy'), message: 'satisfiedMin <= loyalMin <= promoterMin' })
  }
  const seen = new Set<string>()
  c.features.forEach((f, i) => {
    if (seen.has(f.id)) issues.push({ path: at(`features.${i}.id`), message: `duplicate feature id "${f.id}"` })
    seen.add(f.id)
  })
  const tasks = new Set<string>()
  c.renewal.tasks.forEach((t, i) => {
    if (tasks.has(t.id)) issues.push({ path: at(`renewal.tasks.${i}.id`), message: `duplicate task id "${t.id}"` })
    tasks.add(t.id)
  })
  const guides = new Set<string>()
  c.guides.forEach((g, i) => {
    if (guides.has(g.id)) issues.push({ path: at(`guides.${i}.id`), message: `duplicate guide id "${g.id}"` })
    guides.add(g.id)
    g.steps.forEach((st, j) => {
      if (st.kind !== undefined && st.kind !== 'modal' && st.selector === undefined) {
        issues.push({ path: at(`guides.${i}.steps.${j}.selector`), message: `a ${st.kind} step needs a selector` })
      }
    })
  })
  const ctas: [string, { guide?: string } | undefined][] = [
    ...Object.entries(c.experiences.checklist.cta).map(
      ([k, v]) => [`experiences.checklist.cta.${k}.guide`, v] as [string, { guide?: string }],
    ),
    ...Object.entries(c.experiences.messages).map(
      ([k, v]) => [`experiences.messages.${k}.cta.guide`, v.cta] as [string, { guide?: string } | undefined],
    ),
    ['experiences.banner.cta.guide', c.experiences.banner.cta],
  ]
  for (const [path, v] of ctas) {
    if (v?.guide !== undefined && !guides.has(v.guide))
      issues.push({ path: at(path), message: `no guide "${v.guide}" in guides` })
  }
  return issues
}

/** The deepest nesting a document may have: the schema's deepest path has 8 levels (`segments.smb.guides.0.steps.0.selector.0`). */
const MAX_CONFIG_DEPTH = 32

/**
 * Validates a workspace's config document and merges it over the defaults. Every key is optional;
 * every wrong field is named with a dotted path (`health.weights.nps`, `segments.smb.renewalWindowDays`).
 * Text PostgreSQL cannot store and nesting beyond MAX_CONFIG_DEPTH are issues too, found before zod
 * reads the document (a document too deep is not read further).
 */
export function parseConfig(doc: unknown): { ok: true; config: JourneyConfig } | { ok: false; issues: ConfigIssue[] } {
  const { base, doc: docSchema } = schemas()
  // Before zod reads it: zod, the merge and structuredClone all recurse, so a document too deep
  // (JSON.parse takes 100,000 levels) must never reach them; text PostgreSQL refuses is named too.
  const stored = storableIssues(doc, MAX_CONFIG_DEPTH)
  if (stored.some((i) => i.message === tooDeepMessage(MAX_CONFIG_DEPTH))) return { ok: false, issues: stored }
  const issues: ConfigIssue[] = [...stored]
  let parsed = docSchema.safeParse(doc ?? {})
  if (!parsed.success) {
    // Every wrong field is named: the cross-field checks below still run on what is left once the
    // wrong values are taken out (their defaults stand in).
    issues.push(...toIssues(parsed.error, ''))
    parsed = docSchema.safeParse(withoutPaths(doc, parsed.error.issues))
    if (!parsed.success) return { ok: false, issues }
  }
  const config = deepMerge(defaultConfig, parsed.data)
  const { segments: _segments, ...root } = config
  const rootIssues = checkBlock(base, root, '')
  issues.push(...rootIssues)
  // A segment's merged block repeats the workspace's problems where it does not override them: named once.
  const named = new Set(rootIssues.map((i) => `${i.path}\u0000${i.message}`))
  for (const seg of SEGMENTS) {
    for (const i of checkBlock(base, configFor(config, seg), `segments.${seg}`)) {
      if (!named.has(`${i.path.slice(`segments.${seg}.`.length)}\u0000${i.message}`)) issues.push(i)
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, config }
}

function checkBlock(base: z.ZodType<BaseConfig>, block: unknown, prefix: string): ConfigIssue[] {
  const check = base.safeParse(block)
  return check.success ? semanticIssues(check.data, prefix) : toIssues(check.error, prefix)
}

/** A copy of `doc` without the values at the issues' paths (and without the unknown keys they name). */
function withoutPaths(doc: unknown, found: readonly z.core.$ZodIssue[]): unknown {
  const copy: unknown = structuredClone(doc)
  for (const issue of found) {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path]
    for (const path of keys) {
      if (path.length === 0) return copy
      let node: unknown = copy
      for (const k of path.slice(0, -1))
        node =
          isPlainObject(node) || Array.isArray(node)
            ? (node as Record<PropertyKey, unknown>)[k as PropertyKey]
            : undefined
      if (isPlainObject(node)) delete node[path[path.length - 1] as string]
      else if (Array.isArray(node)) return copy
    }
  }
  return copy
}
