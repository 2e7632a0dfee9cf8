/**
 * Filters held in the URL, so that a view can be shared and the back button goes back to it. A page
 * declares its parameters once as readers (`oneOf`, `text`, `intIn`, `day`); `readQuery` keeps what
 * reads well and drops the rest (a stale link never sends the API a value it refuses), and
 * `toQuery` writes them back in the declared order, empty ones left out.
 */
export type Reader<T extends string | number> = (raw: string) => T | undefined
export type Spec = Record<string, Reader<string> | Reader<number>>
export type Values<S extends Spec> = { [K in keyof S]?: Exclude<ReturnType<S[K]>, undefined> }

export const oneOf =
  <const T extends string>(values: readonly T[]): Reader<T> =>
  (raw) =>
    (values as readonly string[]).includes(raw) ? (raw as T) : undefined

export const text =
  (max = 200): Reader<string> =>
  (raw) => {
    const s = raw.trim()
    return s !== '' && s.length <= max ? s : undefined
  }

export const intIn =
  (min: number, max: number): Reader<number> =>
  (raw) => {
    if (!/^\d{1,9}$/.test(raw)) return undefined
    const n = Number(raw)
    return n >= min && n <= max ? n : undefined
  }

/** A calendar day, `YYYY-MM-DD`, that exists. */
export const day: Reader<string> = (raw) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw)) return undefined
  const t = Date.parse(`${raw}T00:00:00Z`)
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(raw) ? raw : undefined
}

type QueryInput = string | URLSearchParams | Record<string, string | undefined>

function paramsOf(query: QueryInput): URLSearchParams {
  if (typeof query === 'string' || query instanceof URLSearchParams) return new URLSearchParams(query)
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined) p.set(k, v)
  return p
}

export function readQuery<S extends Spec>(spec: S, query: QueryInput): Values<S> {
  const params = paramsOf(query)
  const out: Record<string, string | number> = {}
  for (const [key, read] of Object.entries(spec)) {
    const raw = params.get(key)
    if (raw === null) continue
    const v = read(raw)
    if (v !== undefined) out[key] = v
  }
  return out as Values<S>
}

/** `?k=v&…` in the spec's order, or '' when every value is empty. */
export function toQuery<S extends Spec>(spec: S, values: Values<S>): string {
  const params = new URLSearchParams()
  for (const key of Object.keys(spec)) {
    const v = (values as Record<string, string | number | undefined>)[key]
    if (v !== undefined && v !== '') params.set(key, String(v))
  }
  const s = params.toString()
  return s ? `?${s}` : ''
}
