/**
 * A guide step's target (docs/experiences.md, "Anchoring"): `selector` may be a list, tried in order, so a
 * guide survives a product's markup changing between releases; `text` tells apart elements that
 * share a selector. The search covers the document, then every open shadow root (web components,
 * design systems), never the inside of Jornada's own `<jornada-ui>`.
 */

export type Root = Document | ShadowRoot

/**
 * The document, then every open shadow root under it, depth-first (a root's nested roots right
 * after it). Bounded: at most 400 roots, each element looked at once. This walk is the costly part
 * (about 4 ms for 15,000 elements in Chromium; a query of the roots found is 0.02 ms), so the tour
 * walks on its 250 ms check and only queries on mutations. Closed shadow roots are out of reach
 * (their host's `shadowRoot` is null).
 */
export function searchRoots(): Root[] {
  const roots: Root[] = []
  const walk = (r: Root) => {
    roots.push(r)
    for (const el of r.querySelectorAll('*'))
      if (el.shadowRoot && el.localName != 'jornada-ui' && roots.length < 400) walk(el.shadowRoot)
  }
  walk(document)
  return roots
}

/**
 * In `roots` (in order), the first element, for the first selector of `selector` that has one, that
 * is rendered (it has a box: not `display: none`, not inside such) and whose text contains `text`
 * in either case (the server has trimmed it). An invalid selector is a miss, never a throw: the
 * next one is tried.
 */
export function findTarget(roots: Root[], selector: string | string[], text = ''): Element | null {
  text = text.toLowerCase()
  for (const sel of [selector].flat())
    try {
      for (const r of roots)
        for (const el of r.querySelectorAll(sel))
          if (el.getClientRects().length && el.textContent!.toLowerCase().includes(text)) return el
    } catch {}
  return null
}
