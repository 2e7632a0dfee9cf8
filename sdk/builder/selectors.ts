/**
 * Builder mode's selector proposals (docs/experiences.md, "Builder mode"): for an element the
 * editor clicked, CSS selectors in the order most likely to survive the product's next release:
 * its id, then its `data-*` attributes (test ids first), its accessible name, its stable classes,
 * and last a short path from the nearest ancestor with an id. Values that look generated (React's
 * `:r1:` ids, CSS-module hashes, styled-components' classes, long numbers) are left out: they
 * change with every build. Guides use them as a list tried in order, with an optional text match
 * (sdk/ui/guide/find.ts), which is also how matches are counted here.
 */
import { findTarget, searchRoots } from '../ui/guide/find'
import type { Root } from '../ui/guide/find'

/** Attributes that name an element for tests or automation: their values are meant to last. */
const TEST_ATTRIBUTES = ['data-testid', 'data-test', 'data-test-id', 'data-cy', 'data-qa', 'data-action', 'data-id']
/** Attributes frameworks add, whose values mean nothing to a person (Vue's scoped styles, React 15). */
const FRAMEWORK_ATTRIBUTE = /^data-(v-|reactid|react|styled|emotion|jornada)/
/** Classes that say a state, not what the element is. */
const STATE_CLASS =
  /^(is-|has-)|^(active|hover|focus|focused|open|opened|selected|disabled|hidden|visible|show|current|collapsed|expanded)$/

/** True when `value` looks made by a build or at run time rather than written by a person. */
export function looksGenerated(value: string): boolean {
  if (value.length > 60 || /\n/.test(value)) return true
  if (/^(ember|react-|radix-|headlessui-|mui-|css-|sc-|jsx-|svelte-|emotion-|_)/i.test(value)) return true
  // A CSS module's suffix (`Button_root__a1b2c`), a long number, a hash.
  if (/__[a-z0-9]{4,}$/i.test(value) || /\d{4,}/.test(value) || /[0-9a-f]{8,}/i.test(value)) return true
  // A part of letters and digits mixed (`x7k2p`), or camel-cased noise (`kQKtKn`).
  return value
    .split(/[-_.]/)
    .some((p) => (p.length >= 5 && /\d/.test(p) && /[a-z]/i.test(p)) || /[a-z][A-Z].*[a-z][A-Z]/.test(p))
}

/**
 * An id or class a selector may rely on: written by a person, and not a utility class with a
 * variant or a value in it (`hover:bg-blue-500`, `w-[3px]`, `w-1/2`) nor React's `:r1:` ids.
 */
const stableName = (value: string) => !looksGenerated(value) && !/[\s:[\]/]/.test(value)

/** `value` inside a double-quoted attribute selector. */
const quoted = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`

const valid = (root: Root, selector: string) => {
  try {
    root.querySelector(selector)
    return true
  } catch {
    return false
  }
}

/** The element's own text to match on, when it has a short one (a button's label): else undefined. */
export function textOf(el: Element): string | undefined {
  const first = (el.textContent || '')
    .trim()
    .split(/\s{2,}|\n/)[0]!
    .trim()
  return first.length > 0 && first.length <= 60 ? first : undefined
}

/** `tag:nth-of-type(n)` steps from the nearest ancestor with a stable id (or the root), at most 4. */
function pathOf(el: Element): string | undefined {
  const steps: string[] = []
  let node: Element | null = el
  while (node && steps.length < 4) {
    const parent: Element | null = node.parentElement
    if (node !== el && node.id && stableName(node.id)) return [`#${CSS.escape(node.id)}`, ...steps].join(' > ')
    const tag = node.localName
    // The body is one of a kind: the path starts there at the latest.
    if (tag == 'body') return ['body', ...steps].join(' > ')
    const same = parent ? [...parent.children].filter((c) => c.localName === tag) : [node]
    steps.unshift(same.length > 1 ? `${tag}:nth-of-type(${same.indexOf(node) + 1})` : tag)
    node = parent
  }
  return steps.length ? steps.join(' > ') : undefined
}

/**
 * The selectors proposed for `el`, best first, each valid and unique in the list: its id; its
 * `data-*` attributes (test ids first, at most three); `aria-label`; its tag with its first two
 * stable classes, then with the first; a path from the nearest ancestor with an id.
 */
export function proposeSelectors(el: Element): string[] {
  const tag = el.localName
  const out: string[] = []
  if (el.id && stableName(el.id)) out.push(`#${CSS.escape(el.id)}`)
  const data = [...el.attributes]
    .filter((a) => a.name.startsWith('data-') && !FRAMEWORK_ATTRIBUTE.test(a.name) && !looksGenerated(a.value))
    .sort((a, b) => rank(a.name) - rank(b.name))
    .slice(0, 3)
  for (const a of data) out.push(a.value ? `[${a.name}=${quoted(a.value)}]` : `${tag}[${a.name}]`)
  const label = el.getAttribute('aria-label')
  if (label && label.length <= 100) out.push(`${tag}[aria-label=${quoted(label)}]`)
  const classes = [...el.classList].filter((c) => !STATE_CLASS.test(c) && stableName(c)).slice(0, 2)
  if (classes.length) out.push(tag + classes.map((c) => `.${CSS.escape(c)}`).join(''))
  if (classes.length > 1) out.push(`${tag}.${CSS.escape(classes[0]!)}`)
  const path = pathOf(el)
  if (path) out.push(path)
  const root = el.getRootNode() as Root
  return [...new Set(out)].filter((s) => valid(root, s))
}

const rank = (name: string) => {
  const i = TEST_ATTRIBUTES.indexOf(name)
  return i === -1 ? TEST_ATTRIBUTES.length : i
}

/** How a selector does on the page now: its rendered matches, those with the text, and whether `el` is the one a guide would find. */
export interface Measure {
  matches: number
  withText: number
  findsIt: boolean
}

/** Measures `selector` (one or a list, as a step has it) against the page's roots, as a guide would look. */
export function measure(
  selector: string | string[],
  text: string | undefined,
  el: Element,
  roots = searchRoots(),
): Measure {
  let matches = 0
  let withText = 0
  const t = (text || '').toLowerCase()
  for (const sel of [selector].flat())
    try {
      for (const r of roots)
        for (const m of r.querySelectorAll(sel))
          if (m.getClientRects().length) {
            matches++
            if (m.textContent!.toLowerCase().includes(t)) withText++
          }
    } catch {}
  return { matches, withText, findsIt: findTarget(roots, selector, text) === el }
}
