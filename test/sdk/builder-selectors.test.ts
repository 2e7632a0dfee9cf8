/**
 * Builder mode's selector proposals (sdk/builder/selectors.ts; docs/experiences.md, "Builder
 * mode"): the order (id, data-* attributes, accessible name, stable classes, a path), what is left
 * out because a build made it, the text to match, and the live counts as a guide would find targets.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { looksGenerated, measure, proposeSelectors, textOf } from '../../sdk/builder/selectors'

afterEach(() => {
  document.body.replaceChildren()
})

/** Puts `html` (the test's own markup) in the body and answers the element `#pick`'s selector finds. */
function page(html: string, pick: string): Element {
  document.body.innerHTML = html
  return document.querySelector(pick)!
}

describe('builder mode: selector proposals', () => {
  it('BS01 an id first, then data-* (test ids first), aria-label, stable classes, then a path', () => {
    const el = page(
      `<main><div id="toolbar"><button id="export-btn" data-action="export" data-testid="export" aria-label="Export CSV" class="btn btn-primary is-active">Export</button></div></main>`,
      'button',
    )
    expect(proposeSelectors(el)).toEqual([
      '#export-btn',
      '[data-testid="export"]',
      '[data-action="export"]',
      'button[aria-label="Export CSV"]',
      'button.btn.btn-primary',
      'button.btn',
      '#toolbar > button',
    ])
  })

  it('BS02 generated ids, classes and attributes are left out; state classes too', () => {
    const el = page(
      `<div><span></span><a id=":r1:" class="css-1x2y3z Button_root__a1b2c sc-kQKtKn active nav-link" data-v-7ba5bd90 data-reactid="12" href="/r">Reports</a></div>`,
      'a',
    )
    const proposed = proposeSelectors(el)
    expect(proposed).toEqual(['a.nav-link', 'body > div > a'])
    for (const v of ['ember1234', 'css-1x2y3z', 'Button_root__a1b2c', 'x7k2p9', 'a1b2c3d4e5f6', 'kQKtKn'])
      expect(looksGenerated(v), v).toBe(true)
    for (const v of ['export-btn', 'btn-primary', 'nav_link', 'reports', 'h1']) expect(looksGenerated(v), v).toBe(false)
  })

  it('BS03 values are escaped: every proposal is a valid selector that finds the element', () => {
    const el = page(`<p><button id="a.b" data-testid="save report" class="x:y ok">Hi</button></p>`, 'button')
    const proposed = proposeSelectors(el)
    expect(proposed[0]).toBe('#a\\.b')
    expect(proposed).toContain('[data-testid="save report"]')
    for (const s of proposed) expect(document.querySelector(s), s).toBe(el)
  })

  it('BS04 a path from the nearest ancestor with an id tells apart siblings without names', () => {
    const el = page(`<ul id="menu"><li>One</li><li><b>Two</b></li></ul>`, 'li:nth-child(2) b')
    expect(proposeSelectors(el)).toEqual(['#menu > li:nth-of-type(2) > b'])
    expect(document.querySelector('#menu > li:nth-of-type(2) > b')).toBe(el)
  })

  it('BS05 the text to match: a short label, its first line; none for long or empty text', () => {
    expect(textOf(page(`<button>  Export  </button>`, 'button'))).toBe('Export')
    expect(textOf(page(`<button>Export\n   <small>CSV</small></button>`, 'button'))).toBe('Export')
    expect(textOf(page(`<button><svg></svg></button>`, 'button'))).toBeUndefined()
    expect(textOf(page(`<p>${'long '.repeat(20)}</p>`, 'p'))).toBeUndefined()
  })

  it('BS06 live counts: matches, those with the text, and whether a guide would find this element', () => {
    const el = page(
      `<div><button class="btn">Import</button><button class="btn">Export</button><button class="btn">Share</button></div>`,
      'button:nth-child(2)',
    )
    expect(measure('button.btn', undefined, el)).toEqual({ matches: 3, withText: 3, findsIt: false })
    expect(measure('button.btn', 'export', el)).toEqual({ matches: 3, withText: 1, findsIt: true })
    expect(measure(['#gone', 'button.btn'], 'Export', el)).toEqual({ matches: 3, withText: 1, findsIt: true })
    // An invalid selector is a miss, never a throw.
    expect(measure('button[', undefined, el)).toEqual({ matches: 0, withText: 0, findsIt: false })
    // Added later: the count follows the page.
    el.parentElement!.append(
      Object.assign(document.createElement('button'), { className: 'btn', textContent: 'Export' }),
    )
    expect(measure('button.btn', 'export', el).withText).toBe(2)
  })
})
