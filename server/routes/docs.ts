import { Hono } from 'hono'
import type { AppEnv } from '../http/app-env'
import { openApiDocument } from '../openapi'
import { escapeHtml } from '../reports/html'

type Json = Record<string, unknown>

/**
 * A page for people: nothing in it runs or loads. Inline styles only (the CSP says so, behind the
 * escaping); links stay on the page or go to /openapi.json.
 */
const DOCS_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache',
}

/** Nested schemas are listed this deep at most (the config document is the deepest, about 8). */
const MAX_DEPTH = 16
const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const asObject = (v: unknown): Json => (isObject(v) ? v : {})

/** Text with `code` spans (the document's descriptions are written that way), escaped. */
function prose(text: unknown): string {
  if (typeof text !== 'string') return ''
  return text
    .split('`')
    .map((part, i) => (i % 2 === 1 ? `<code>${escapeHtml(part)}</code>` : escapeHtml(part)))
    .join('')
}

/** An id attribute (and fragment) made of letters, digits, `-` and `_` only. */
const anchor = (prefix: string, name: string) => `${prefix}-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`

const COMPONENT_REF = '#/components/schemas/'

/** A `$ref` as a link to its schema on this page. */
function refHtml(ref: unknown): string {
  const r = String(ref)
  if (!r.startsWith(COMPONENT_REF)) return `<code>${escapeHtml(r)}</code>`
  const name = r.slice(COMPONENT_REF.length)
  return `<a href="#${anchor('schema', name)}">${escapeHtml(name)}</a>`
}

const json = (v: unknown) => `<code>${escapeHtml(JSON.stringify(v))}</code>`

/** `anyOf: [X, { type: null }]` (zod's nullable): X, or null. */
function nullableOf(s: Json): Json | null {
  const alts = s.anyOf
  if (!Array.isArray(alts) || alts.length !== 2) return null
  const i = alts.findIndex((a) => isObject(a) && a.type === 'null' && Object.keys(a).length === 1)
  return i === -1 ? null : asObject(alts[1 - i])
}

/** The one-line part of a schema: its type, values and limits, and its description. */
function summaryHtml(s: Json): string {
  const parts: string[] = []
  if (s.$ref !== undefined) parts.push(refHtml(s.$ref))
  if (s.const !== undefined) parts.push(`exactly ${json(s.const)}`)
  else if (Array.isArray(s.enum)) parts.push(`one of ${s.enum.map(json).join(', ')}`)
  else if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type]
    parts.push(types.map((t) => `<span class="type">${escapeHtml(t)}</span>`).join(' or '))
  }
  if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)) parts.push('one of the options below')
  if (Array.isArray(s.allOf)) parts.push('all of the parts below')
  if (
    s.$ref === undefined &&
    s.type === undefined &&
    s.const === undefined &&
    s.enum === undefined &&
    !s.anyOf &&
    !s.oneOf &&
    !s.allOf
  )
    parts.push('any value')
  const limits: [string, string][] = [
    ['format', 'format'],
    ['minLength', 'min length'],
    ['maxLength', 'max length'],
    ['minimum', 'min'],
    ['maximum', 'max'],
    ['exclusiveMinimum', 'more than'],
    ['exclusiveMaximum', 'less than'],
    ['minItems', 'min items'],
    ['maxItems', 'max items'],
    ['pattern', 'pattern'],
    ['default', 'default'],
  ]
  // zod writes the safe-integer range on every integer: it says nothing a reader needs.
  const shown = limits
    .filter(([k]) => s[k] !== undefined && Math.abs(Number(s[k])) !== Number.MAX_SAFE_INTEGER)
    .map(([k, label]) => `${escapeHtml(label)} ${json(s[k])}`)
  if (shown.length > 0) parts.push(`<span class="limits">(${shown.join(', ')})</span>`)
  if (s.additionalProperties === false && isObject(s.properties))
    parts.push('<span class="limits">(no other keys)</span>')
  if (s.deprecated === true) parts.push('<span class="deprecated">deprecated</span>')
  if (typeof s.description === 'string') parts.push(`<span class="desc">— ${prose(s.description)}</span>`)
  return parts.join(' ')
}

/** A schema as a readable nested list: its summary, then its properties, items and options. */
function schemaHtml(schema: unknown, depth = 0): string {
  const s = asObject(schema)
  const nullable = nullableOf(s)
  if (nullable) {
    const { anyOf: _, ...rest } = s
    const inner = schemaHtml({ ...nullable, ...rest }, depth)
    return inner.replace(/^<span class="summary">/, '<span class="summary"><span class="type">null</span> or ')
  }
  const head = `<span class="summary">${summaryHtml(s)}</span>`
  if (depth >= MAX_DEPTH) return head + ' …'
  const items: string[] = []
  const required = new Set(Array.isArray(s.required) ? s.required.map(String) : [])
  for (const [name, sub] of Object.entries(asObject(s.properties))) {
    const req = required.has(name) ? ' <span class="req">required</span>' : ''
    items.push(`<li><code class="prop">${escapeHtml(name)}</code>${req}: ${schemaHtml(sub, depth + 1)}</li>`)
  }
  if (isObject(s.propertyNames)) items.push(`<li><em>keys</em>: ${schemaHtml(s.propertyNames, depth + 1)}</li>`)
  if (isObject(s.additionalProperties))
    items.push(`<li><em>each other key's value</em>: ${schemaHtml(s.additionalProperties, depth + 1)}</li>`)
  if (Array.isArray(s.prefixItems))
    s.prefixItems.forEach((p, i) => items.push(`<li><em>item ${i}</em>: ${schemaHtml(p, depth + 1)}</li>`))
  if (isObject(s.items)) items.push(`<li><em>each item</em>: ${schemaHtml(s.items, depth + 1)}</li>`)
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const alts = s[key]
    if (Array.isArray(alts))
      alts.forEach((a, i) =>
        items.push(`<li><em>${key === 'allOf' ? 'part' : 'option'} ${i + 1}</em>: ${schemaHtml(a, depth + 1)}</li>`),
      )
  }
  return items.length > 0 ? `${head}<ul>${items.join('')}</ul>` : head
}

function parametersHtml(parameters: unknown): string {
  if (!Array.isArray(parameters) || parameters.length === 0) return ''
  const rows = parameters.map((raw) => {
    const p = asObject(raw)
    return `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${escapeHtml(p.in)}</td><td>${p.required === true ? 'yes' : 'no'}</td><td>${schemaHtml(p.schema)}</td></tr>`
  })
  return `<h4>Parameters</h4><table><thead><tr><th>name</th><th>in</th><th>required</th><th>schema</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
}

/** The media types of a request body or a response, each with its schema. */
function contentHtml(content: unknown): string {
  return Object.entries(asObject(content))
    .map(
      ([media, value]) =>
        `<div class="media"><p><code>${escapeHtml(media)}</code></p>${schemaHtml(asObject(value).schema)}</div>`,
    )
    .join('')
}

function securityHtml(security: unknown): string {
  if (!Array.isArray(security) || security.length === 0) return 'none'
  return security
    .flatMap((s) => Object.keys(asObject(s)))
    .map((k) => `<code>${escapeHtml(k)}</code>`)
    .join(' or ')
}

function operationHtml(method: string, path: string, op: Json): string {
  const id = anchor('op', String(op.operationId ?? `${method}${path}`))
  const body = asObject(op.requestBody)
  const request =
    op.requestBody === undefined
      ? ''
      : `<h4>Request body${body.required === true ? ' <span class="req">required</span>' : ' (optional)'}</h4>${contentHtml(body.content)}`
  const responses = Object.entries(asObject(op.responses)).map(([status, raw]) => {
    const r = asObject(raw)
    const headers = Object.entries(asObject(r.headers))
      .map(
        ([name, h]) =>
          `<p>Header <code>${escapeHtml(name)}</code>: ${schemaHtml({ ...asObject(asObject(h).schema), description: asObject(h).description })}</p>`,
      )
      .join('')
    return `<dt><span class="status">${escapeHtml(status)}</span> ${prose(r.description)}</dt><dd>${headers}${contentHtml(r.content)}</dd>`
  })
  return `<section class="op" id="${id}">
<h3><span class="method ${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(path)}</code></h3>
<p>${prose(op.summary)}</p>
<p class="auth">Key: ${securityHtml(op.security)}</p>
${parametersHtml(op.parameters)}${request}
<h4>Responses</h4><dl>${responses.join('')}</dl>
</section>`
}

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; color: #1d2330; margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 4rem; }
h1 small { font-weight: normal; color: #5b6475; }
h2 { border-bottom: 2px solid #d9dee8; padding-bottom: .25rem; margin-top: 2.5rem; }
code { font: 13px/1.4 ui-monospace, monospace; background: #f1f3f7; padding: 0 .2em; border-radius: 3px; }
nav ul { list-style: none; padding-left: 0; columns: 2 24rem; }
nav li { margin: .15rem 0; break-inside: avoid; }
.op { border: 1px solid #d9dee8; border-radius: 6px; padding: .25rem 1rem 1rem; margin: 1rem 0; }
.method { display: inline-block; min-width: 4.2em; text-align: center; border-radius: 4px; color: #fff; background: #5b6475; font-size: 13px; padding: .05rem .3rem; }
.method.get { background: #1f6feb; } .method.post { background: #1a7f37; } .method.put { background: #9a6700; }
.method.patch { background: #8250df; } .method.delete { background: #cf222e; }
.status { font-weight: bold; }
.req { color: #cf222e; font-size: 12px; }
.deprecated { color: #9a6700; font-size: 12px; text-transform: uppercase; }
.limits, .desc { color: #5b6475; }
.type { font-style: italic; }
ul ul, dd ul { border-left: 1px dotted #c4cad6; padding-left: 1.2rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #d9dee8; padding: .3rem .5rem; text-align: left; vertical-align: top; }
dd { margin: 0 0 .75rem 1rem; }
.media p { margin: .25rem 0; }
`

/** The OpenAPI document as one self-contained HTML page: every text escaped, no script, nothing remote. */
export function renderDocsHtml(doc: Json): string {
  const info = asObject(doc.info)
  const title = `${String(info.title ?? 'API')} ${String(info.version ?? '')}`.trim()
  const ops: { tag: string; method: string; path: string; op: Json }[] = []
  for (const [path, item] of Object.entries(asObject(doc.paths))) {
    for (const method of METHODS) {
      const op = asObject(item)[method]
      if (isObject(op)) ops.push({ tag: Array.isArray(op.tags) ? String(op.tags[0]) : 'Other', method, path, op })
    }
  }
  const tags = [
    ...new Set([
      ...(Array.isArray(doc.tags) ? doc.tags.map((t) => String(asObject(t).name)) : []),
      ...ops.map((o) => o.tag),
    ]),
  ]
  const servers = Array.isArray(doc.servers)
    ? doc.servers.map((s) => `<code>${escapeHtml(asObject(s).url)}</code>`).join(', ')
    : ''
  const toc = tags.map((tag) => {
    const links = ops
      .filter((o) => o.tag === tag)
      .map(
        (o) =>
          `<li><a href="#${anchor('op', String(o.op.operationId))}"><span class="method ${escapeHtml(o.method)}">${escapeHtml(o.method.toUpperCase())}</span> <code>${escapeHtml(o.path)}</code></a> ${prose(o.op.summary)}</li>`,
      )
    return `<h3>${escapeHtml(tag)}</h3><ul>${links.join('')}</ul>`
  })
  const sections = tags.map(
    (tag) =>
      `<section><h2 id="${anchor('tag', tag)}">${escapeHtml(tag)}</h2>${ops
        .filter((o) => o.tag === tag)
        .map((o) => operationHtml(o.method, o.path, o.op))
        .join('\n')}</section>`,
  )
  const components = asObject(doc.components)
  const schemas = Object.entries(asObject(components.schemas)).map(
    ([name, schema]) =>
      `<section class="op" id="${anchor('schema', name)}"><h3>${escapeHtml(name)}</h3>${schemaHtml(schema)}</section>`,
  )
  const keys = Object.entries(asObject(components.securitySchemes)).map(
    ([name, s]) =>
      `<li><code>${escapeHtml(name)}</code>: ${escapeHtml(asObject(s).type)} ${escapeHtml(asObject(s).scheme)} — ${prose(asObject(s).description)}</li>`,
  )
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(info.title ?? 'API')} <small>${escapeHtml(info.version ?? '')} · OpenAPI ${escapeHtml(doc.openapi ?? '')}</small></h1>
<p>${prose(info.description)}</p>
${servers ? `<p>Server: ${servers}</p>` : ''}
<p>The document itself: <a href="/openapi.json">/openapi.json</a>.</p>
<h2>Keys</h2><ul>${keys.join('')}</ul>
</header>
<nav><h2>Operations</h2>${toc.join('')}</nav>
<main>
${sections.join('\n')}
<section><h2 id="schemas">Schemas</h2>${schemas.join('\n')}</section>
</main>
</body>
</html>
`
}

/** `GET /docs`: the document of `GET /openapi.json`, rendered on the server. */
export function docsRoute(): Hono<AppEnv> {
  const route = new Hono<AppEnv>()
  route.get('/docs', (c) => c.html(renderDocsHtml(openApiDocument(new URL(c.req.url).origin)), 200, DOCS_HEADERS))
  return route
}
