import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { findTarget as findIn, searchRoots } from '../../../sdk/ui/guide/find'
import { createTour, type Tour } from '../../../sdk/ui/guide/tour'
import { createModel } from '../../../sdk/ui/model'
import { mount } from '../../../sdk/ui/mount'
import type { GuideExperience, GuideStep } from '../../../sdk/wire'
import { decisionOf, fakeHost, loadKinds, settle } from './helpers'

// Every kind's chunk is here before the first mount (the loading itself: kinds.test.ts).
beforeAll(loadKinds)

// Guide anchoring (docs/experiences.md, "Anchoring"): selector lists, text match, open shadow roots, never
// inside <jornada-ui>. happy-dom has no layout: every element has one (empty) client rect, so
// "not rendered" is stubbed where a rule needs it; the real thing runs in test/e2e/anchor.test.ts.

const html = (markup: string) => {
  const box = document.createElement('div')
  box.innerHTML = markup
  document.body.append(box)
  return box
}
/** A custom element's host with an open (or closed) shadow root holding `markup`. */
const shadowHost = (markup: string, parent: Element | ShadowRoot = document.body, mode: ShadowRootMode = 'open') => {
  const host = document.createElement('x-widget')
  const root = host.attachShadow({ mode })
  root.innerHTML = markup
  parent.append(host)
  return { host, root }
}
/** An element with no box (as `display: none` gives in a browser). */
const unrendered = (el: Element) => Object.defineProperty(el, 'getClientRects', { value: () => [] })
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** The whole search, as one check of the tour does it. */
const findTarget = (selector: string | string[], text?: string) => findIn(searchRoots(), selector, text)

const tours: Tour[] = []
const ui: { destroy(): void }[] = []
afterEach(() => {
  for (const t of tours.splice(0)) t.dispose()
  for (const c of ui.splice(0)) c.destroy()
  document.body.innerHTML = ''
})

describe('guide anchoring: the finder', () => {
  it('AN01 a single selector string still works (config written before lists)', () => {
    html('<button id="new-report">New</button>')
    expect(findTarget('#new-report')?.id).toBe('new-report')
    expect(findTarget('#nowhere')).toBeNull()
  })

  it('AN02 a selector list: the first selector that has a match wins, whatever the document order', () => {
    html('<button class="new-class" id="b">B</button><button class="newer" id="c">C</button>')
    expect(findTarget(['#old-id', '.newer', '.new-class'])?.id).toBe('c')
    expect(findTarget(['#old-id', '.new-class'])?.id).toBe('b')
  })

  it('AN03 a selector whose only match is not rendered (no box) falls through to the next one', () => {
    const box = html('<button id="old">Old</button><button class="new">New</button>')
    unrendered(box.querySelector('#old')!)
    expect(findTarget(['#old', '.new'])?.className).toBe('new')
    expect(findTarget('#old')).toBeNull()
  })

  it('AN04 text: the first match containing it, in either case, tells apart three .btn buttons', () => {
    html(
      '<button class="btn" id="i">Import</button><button class="btn" id="e">  <b>Export</b> CSV </button><button class="btn" id="d">Delete</button>',
    )
    expect(findTarget('.btn', 'export')?.id).toBe('e')
    expect(findTarget('.btn', 'Export CSV')?.id).toBe('e')
    expect(findTarget('.btn', 'DELETE')?.id).toBe('d')
    expect(findTarget('.btn', 'Print')).toBeNull()
    expect(findTarget('.btn', '')?.id).toBe('i')
  })

  it('AN05 shadow DOM: a target inside an open shadow root, and inside one nested in it, is found', () => {
    const { root } = shadowHost('<p>card</p>')
    shadowHost('<button class="deep">Deep</button>', root)
    root.append(Object.assign(document.createElement('button'), { className: 'inner', textContent: 'Inner' }))
    expect(findTarget('.inner')?.textContent).toBe('Inner')
    expect(findTarget('.deep')?.textContent).toBe('Deep')
  })

  it('AN06 the document is searched first, then shadow roots depth-first', () => {
    const a = shadowHost('<button class="t">in a</button>')
    const nested = shadowHost('<button class="t">in a, nested</button>', a.root)
    const b = shadowHost('<button class="t">in b</button>')
    expect(searchRoots()).toEqual([document, a.root, nested.root, b.root])
    expect(findTarget('.t')?.textContent).toBe('in a')
    html('<button class="t">light</button>')
    expect(findTarget('.t')?.textContent).toBe('light')
    expect(findTarget('.t', 'nested')?.textContent).toBe('in a, nested')
  })

  it("AN07 never inside <jornada-ui>: the widget's own buttons are never a target", async () => {
    const guide: GuideExperience = {
      id: 'guide:g',
      kind: 'guide',
      lane: 'modal',
      reason: 'r',
      guideId: 'g',
      trigger: 'on_demand',
      missingTarget: 'skip',
      waitMs: 50,
      steps: [{ kind: 'modal', title: 'Hello', body: 'B' }],
    }
    const f = fakeHost(decisionOf([guide]))
    ui.push(mount(f.host))
    await settle()
    const own = document.querySelector('jornada-ui')!.shadowRoot!
    expect(own.querySelectorAll('button.btn').length).toBeGreaterThan(0)
    expect(findTarget(['button.btn', '.pri', '[role=dialog]'])).toBeNull()
    expect(searchRoots()).toEqual([document])
    expect(own.querySelectorAll('button').length).toBeGreaterThan(0)
  })

  it('AN08 an invalid selector is a miss, not a throw; the next one in the list is still tried', () => {
    html('<button class="ok">OK</button>')
    shadowHost('<button class="ok2">OK</button>')
    expect(() => findTarget('##nope[')).not.toThrow()
    expect(findTarget('##nope[')).toBeNull()
    expect(findTarget(['##nope[', '.ok2'])?.className).toBe('ok2')
  })

  it('AN09 bounded work: at most 400 roots are walked, however many components the page has', () => {
    for (let i = 0; i < 450; i++) shadowHost(`<button class="n${i}">${i}</button>`)
    expect(searchRoots()).toHaveLength(400)
    expect(findTarget('.n398')?.textContent).toBe('398')
    expect(findTarget('.n420')).toBeNull()
  })

  it('AN10 closed shadow roots are out of reach (the platform hides them)', () => {
    shadowHost('<button class="secret">S</button>', document.body, 'closed')
    expect(findTarget('.secret')).toBeNull()
  })
})

describe('guide anchoring: the tour waits in shadow roots too', () => {
  const guideOf = (steps: GuideStep[], waitMs = 2000): GuideExperience => ({
    id: 'guide:g',
    kind: 'guide',
    lane: 'modal',
    reason: 'r',
    guideId: 'g',
    trigger: 'on_demand',
    missingTarget: 'skip',
    waitMs,
    steps,
  })
  const tourOf = (g: GuideExperience) => {
    const f = fakeHost(decisionOf([g]))
    const root = document.createElement('div')
    const m = createModel(f.host, root, () => {})
    m.open.value = g
    const t = createTour(m, g)
    tours.push(t)
    return { t, f }
  }

  it('AN11 a target added later inside an existing open shadow root is seen at once (its root is observed)', async () => {
    const { root } = shadowHost('<p>loading…</p>')
    const { t } = tourOf(
      guideOf([{ kind: 'tooltip', selector: ['#old-id', '.new-class'], text: 'export', title: 'T', body: 'B' }]),
    )
    expect(t.ready.value).toBe(false)
    root.innerHTML = '<button class="new-class">Import</button><button class="new-class" id="x">Export</button>'
    await wait(20) // well before the 250 ms check: the observer on the shadow root saw it
    expect(t.ready.value).toBe(true)
    expect((t.target.value as Element).id).toBe('x')
  })

  // As when a custom element is defined late.
  it('AN12 a shadow root attached later with no mutation anywhere is found by the periodic check', async () => {
    const host = html('<x-late></x-late>').firstElementChild!
    const { t } = tourOf(guideOf([{ kind: 'tooltip', selector: 'button.in', title: 'T', body: 'B' }]))
    await settle()
    // attachShadow and a write into the new root: no MutationObserver on the document hears of either.
    host.attachShadow({ mode: 'open' }).innerHTML = '<button class="in">In</button>'
    await wait(20)
    expect(t.ready.value).toBe(false)
    await wait(400)
    expect(t.ready.value).toBe(true)
    expect((t.target.value as Element).className).toBe('in')
  })

  it('AN13 a list still missing after waitMs is reported as given (guide_target_missing carries the list)', async () => {
    const { f } = tourOf(
      guideOf(
        [
          { kind: 'tooltip', selector: ['#a', '#b'], title: 'T', body: 'B' },
          { kind: 'modal', title: 'M', body: 'B' },
        ],
        50,
      ),
    )
    await wait(120)
    expect(f.events[0]).toEqual({
      event: 'guide_target_missing',
      experienceId: 'guide:g',
      kind: 'guide',
      guideId: 'g',
      step: 0,
      selector: ['#a', '#b'],
    })
  })
})
