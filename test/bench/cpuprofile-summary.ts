/**
 * A V8 CPU profile (`node --cpu-prof`) summarised by area: the self time of its samples between two
 * monotonic times (µs, the profile's own clock: process.hrtime of any process on this machine), by
 * what ran — HTTP, validation, the store's JS, the rollups, PGlite (its WASM and JS), the files
 * PGlite reads and writes (node:fs), the evaluator's journey work, the collector — and the
 * functions with the most self time. `tsx test/bench/cpuprofile-summary.ts file.cpuprofile`: the
 * whole profile.
 */
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

interface Profile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

export interface ProfileSummary {
  /** ms of samples in the window. */
  totalMs: number
  areas: [string, number][]
  functions: [string, number][]
}

/** The area of a function, by its script and name. */
export function areaOf(functionName: string, url: string): string {
  if (functionName === '(idle)') return 'idle'
  if (functionName === '(garbage collector)') return 'garbage collector'
  if (functionName === '(program)') return 'V8 and native (program)'
  if (url === 'node:fs' || url.startsWith('node:internal/fs')) return "file I/O (node:fs: PGlite's files)"
  if (url.includes('@electric-sql/pglite') || url.startsWith('wasm://')) return 'PGlite (WASM and its JS)'
  if (/\/server\/(evaluator|journey\/|webhooks\/detect|reports\/)/.test(url)) return "evaluator's journey work"
  if (url.includes('/server/store/rollup-writes')) return 'rollup writes (JS)'
  if (url.includes('/server/store/')) return "store's JS (group commit, rows, reads)"
  if (/\/server\/(ingest\/|routes\/batch|storable-json)|\/zod\//.test(url)) return 'validation (zod, batch checks)'
  if (
    /\/hono\/|@hono\/node-server|\/server\/(http\/|serve|app)|node:_http|node:http|node:net|node:internal\/(http|stream|streams|net)/.test(
      url,
    )
  )
    return 'HTTP (node:http, Hono, request log)'
  if (url.startsWith('node:')) return 'other Node internals'
  if (url === '') return 'native builtins (socket and pipe writes: writeBuffer, writev, …)'
  return 'other JS'
}

export function summariseProfile(file: string, from = 0, to = Number.POSITIVE_INFINITY): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const areas = new Map<string, number>()
  const functions = new Map<string, number>()
  let t = p.startTime
  let total = 0
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i] ?? 0
    t += dt
    if (t < from || t > to) continue
    // A sample's weight: the time to the next sample (the last one: its own delta).
    const w = (p.timeDeltas[i + 1] ?? dt) / 1000
    const node = byId.get(p.samples[i]!)
    if (!node) continue
    const { functionName, url, lineNumber } = node.callFrame
    const area = areaOf(functionName, url)
    areas.set(area, (areas.get(area) ?? 0) + w)
    const short = url.replace(/^.*\/(node_modules\/)/, '$1').replace(/^.*\/(server|test)\//, '$1/')
    const key = `${functionName || '(anonymous)'} ${short}${url ? `:${lineNumber + 1}` : ''}`
    functions.set(key, (functions.get(key) ?? 0) + w)
    total += w
  }
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1])
  return { totalMs: total, areas: sorted(areas), functions: sorted(functions).slice(0, 25) }
}

export function printProfileSummary(s: ProfileSummary, file: string): void {
  const busy = s.areas.filter(([a]) => a !== 'idle').reduce((x, [, ms]) => x + ms, 0)
  console.log(
    `\nCPU profile ${file}: ${(s.totalMs / 1000).toFixed(1)} s of samples, ${(busy / 1000).toFixed(1)} s busy`,
  )
  console.log('self time by area (share of the busy time):')
  for (const [a, ms] of s.areas)
    if (a !== 'idle')
      console.log(`  ${a.padEnd(42)} ${ms.toFixed(0).padStart(7)} ms  ${((ms / busy) * 100).toFixed(1).padStart(5)}%`)
  console.log('functions with the most self time:')
  for (const [f, ms] of s.functions)
    if (!f.startsWith('(idle)'))
      console.log(`  ${ms.toFixed(0).padStart(7)} ms  ${((ms / busy) * 100).toFixed(1).padStart(5)}%  ${f}`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2]!
  printProfileSummary(summariseProfile(file), file)
}
