/**
 * Builder mode's chunk (dist/sdk/jornada.builder.mjs; docs/experiences.md, "Builder mode"). The
 * core loads it only when the page was opened with `#jornada-builder=<token>` (and has already
 * removed that from the address bar), so no end user ever downloads it. `start` exchanges the token
 * for a credential, then shows a small panel in a shadow root: pick a guide and step, pick an
 * element on the page (the element under the pointer is outlined), choose among the proposed
 * selectors with their live match counts, preview the step with the real UI chunk, and save it
 * into the draft. Everything here is text nodes and properties: nothing from the page or the server
 * is ever parsed as HTML. Never throws into the page.
 */
import type { GuideExperience, GuideStep } from '../wire'
import type { Mount, UiController } from '../ui/host'
import { searchRoots } from '../ui/guide/find'
import { measure, proposeSelectors, textOf } from './selectors'

interface BuilderOptions {
  token: string
  api: string
  uiUrl: string
}

interface Guide {
  id: string
  steps: (GuideStep & { kind?: GuideStep['kind'] })[]
}

const CSS = `
:host{all:initial}
.p{position:fixed;right:16px;bottom:16px;z-index:2147483647;width:340px;max-height:75vh;overflow:auto;box-sizing:border-box;
padding:14px;background:#fff;color:#1a1a1a;border:1px solid #555;border-radius:8px;box-shadow:0 6px 24px rgba(0,0,0,.25);
font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
h2{font-size:15px;margin:0 0 8px}
label{display:block;margin:6px 0 2px;font-weight:600}
select,button{font:inherit;color:inherit}
select{width:100%;padding:4px;border:1px solid #555;border-radius:4px;background:#fff}
button{margin:8px 6px 0 0;padding:5px 10px;border:1px solid #1d4ed8;border-radius:4px;background:#1d4ed8;color:#fff;cursor:pointer}
button.s{background:#fff;color:#1d4ed8}
button[aria-pressed=true]{background:#1e3a8a}
button:disabled{opacity:.6;cursor:default}
:focus-visible{outline:3px solid #b45309;outline-offset:2px}
fieldset{margin:10px 0 0;padding:6px 8px;border:1px solid #999;border-radius:4px}
legend{font-weight:600;padding:0 4px}
.o{display:flex;gap:6px;align-items:flex-start;margin:4px 0}
.o label{display:inline;margin:0;font-weight:400}
code{font:12px ui-monospace,monospace;word-break:break-all}
.n{display:block;font-size:12px;color:#444}
[role=status]{margin:8px 0 0;min-height:1.4em}
.hl{position:fixed;z-index:2147483646;pointer-events:none;border:2px solid #b45309;background:rgba(180,83,9,.12);border-radius:2px;display:none}
`

type Child = Node | string | false | null | undefined

/** An element with properties set and children appended: strings become text nodes, never HTML. */
function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, unknown> = {}, ...children: Child[]) {
  const el = document.createElement(tag)
  for (const [k, v] of Object.entries(props))
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v as EventListener)
    else if (k.includes('-') || k == 'role' || k == 'for') el.setAttribute(k, String(v))
    else (el as unknown as Record<string, unknown>)[k] = v
  for (const c of children) if (c) el.append(c)
  return el
}

const plural = (n: number, one: string) => `${n} ${one}${n == 1 ? '' : 'es'}`

/**
 * Starts builder mode on this page, called by the core with as little as it can (every byte there
 * is paid by every end user): `fragment`, what followed `jornada-builder=` in the URL (the token),
 * and `api`, the API's origin. The UI chunk, for the preview, is the one beside this file (the core
 * found this file by its name). Resolves when the panel is shown, or says why it cannot be; never
 * rejects.
 */
export async function start(fragment: string, api: string): Promise<void> {
  try {
    const uiUrl = import.meta.url.replace('.builder.', '.ui.')
    await run({ token: decodeURIComponent(fragment.split('&')[0]!), api, uiUrl })
  } catch {
    // The page is not ours to break.
  }
}

async function run(o: BuilderOptions): Promise<void> {
  const host = document.createElement('jornada-builder')
  const shadow = host.attachShadow({ mode: 'open' })
  try {
    const sheet = new CSSStyleSheet()
    sheet.replaceSync(CSS)
    shadow.adoptedStyleSheets = [sheet]
  } catch {
    shadow.append(h('style', { textContent: CSS }))
  }
  const status = h('p', { role: 'status' }, 'Connecting…')
  const body = h('div')
  const panel = h(
    'div',
    { className: 'p', role: 'region', 'aria-label': 'Jornada builder', tabIndex: -1 },
    h('h2', {}, 'Jornada builder'),
    body,
    status,
  )
  const outline = h('div', { className: 'hl' })
  shadow.append(panel, outline)
  document.body.appendChild(host)
  panel.focus()
  const say = (text: string) => (status.textContent = text)

  let credential = ''
  const call = async (method: string, path: string, json?: unknown) => {
    const res = await fetch(o.api + path, {
      method,
      headers: {
        'Content-Type': 'application/json',
        ...(credential && { Authorization: 'Bearer ' + credential }),
      },
      ...(json !== undefined && { body: JSON.stringify(json) }),
    })
    const data = await res.json().catch(() => ({}))
    if (!res.ok) throw new Error(data?.error?.message || 'HTTP ' + res.status)
    return data
  }

  // Everything builder mode added, and how to take it away (Escape, Quit).
  const cleanups: (() => void)[] = []
  const listen = (target: EventTarget, type: string, fn: (e: Event) => void) => {
    target.addEventListener(type, fn, true)
    cleanups.push(() => target.removeEventListener(type, fn, true))
  }
  const quit = () => {
    for (const c of cleanups.splice(0)) c()
    host.remove()
  }
  // The page's experiences (<jornada-ui>, its launcher in the same corner) come later at the same
  // highest z-index, and the later element wins: the panel moves back to the end of the body, on top.
  const onTop = new MutationObserver(() => {
    if (!host.isConnected || document.body.lastElementChild == host) return
    // Moving an element blurs what had focus in it: the keyboard user keeps their place.
    const focused = shadow.activeElement as HTMLElement | null
    document.body.appendChild(host)
    focused?.focus()
  })
  onTop.observe(document.body, { childList: true })
  cleanups.push(() => onTop.disconnect())
  const quitButton = () => h('button', { type: 'button', className: 's', onclick: quit }, 'Quit')

  let session: { credential: string; draftId: string | null; guideId: string | null; step: number | null }
  let guides: Guide[]
  try {
    session = await call('POST', '/v1/builder/session', { token: o.token })
    credential = session.credential
    const read = await call(
      'GET',
      '/v1/builder/guides?locale=' + encodeURIComponent(document.documentElement.lang || navigator.language),
    )
    guides = read.guides
    session.draftId = read.draftId
  } catch (e) {
    say(`Builder mode could not start: ${(e as Error).message}`)
    body.append(quitButton())
    listen(document, 'keydown', (e) => (e as KeyboardEvent).key == 'Escape' && quit())
    return
  }
  if (!guides.length) {
    say('This workspace has no guides yet: add one in the console, then open builder mode again.')
    body.append(quitButton())
    return
  }

  // ---- choosing the guide and the step
  const guideSelect = h('select', { id: 'g' })
  const stepSelect = h('select', { id: 's' })
  for (const g of guides) guideSelect.append(h('option', { value: g.id }, g.id))
  const guide = () => guides.find((g) => g.id == guideSelect.value) || guides[0]!
  const fillSteps = () => {
    stepSelect.replaceChildren(
      ...guide().steps.map((s, i) => h('option', { value: String(i) }, `${i + 1}. ${s.title || '(untitled)'}`)),
    )
  }
  if (session.guideId && guides.some((g) => g.id == session.guideId)) guideSelect.value = session.guideId
  fillSteps()
  if (session.step !== null && session.step < guide().steps.length) stepSelect.value = String(session.step)
  listen(guideSelect, 'change', fillSteps)

  // ---- picking an element
  const pick = h('button', { type: 'button', 'aria-pressed': 'false' }, 'Pick an element')
  const proposals = h('div')
  const preview = h('button', { type: 'button', className: 's', disabled: true }, 'Preview')
  const save = h('button', { type: 'button', disabled: true }, 'Save to draft')
  body.append(
    h('label', { for: 'g' }, 'Guide'),
    guideSelect,
    h('label', { for: 's' }, 'Step'),
    stepSelect,
    pick,
    proposals,
    preview,
    save,
    quitButton(),
  )
  say(
    session.draftId
      ? `Saving into draft ${session.draftId}. Pick an element for the step.`
      : 'The first save makes a draft from the published config. Pick an element for the step.',
  )

  let ui: UiController | undefined
  let picking = false
  let hovered: Element | null = null
  let picked: Element | null = null
  /** The element under the pointer, through open shadow roots; never the panel itself. */
  const under = (e: Event) => {
    const path = e.composedPath()
    return path[0] instanceof Element && !path.includes(host) ? path[0] : null
  }
  const outlineOn = (el: Element | null) => {
    const r = el?.getBoundingClientRect()
    outline.style.display = r ? 'block' : 'none'
    if (r)
      Object.assign(outline.style, {
        left: r.left + 'px',
        top: r.top + 'px',
        width: r.width + 'px',
        height: r.height + 'px',
      })
  }
  const setPicking = (on: boolean) => {
    picking = on
    pick.setAttribute('aria-pressed', String(on))
    pick.textContent = on ? 'Picking… (Escape to stop)' : 'Pick an element'
    if (on) say('Click the element the step points at.')
    outlineOn(on ? hovered : picked)
  }
  listen(pick, 'click', () => setPicking(!picking))
  listen(document, 'pointermove', (e) => {
    if (!picking) return
    hovered = under(e)
    outlineOn(hovered)
  })
  // While picking, a click chooses the element instead of doing what the page would do with it.
  for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click'])
    listen(document, type, (e) => {
      const el = picking && under(e)
      if (!el) return
      e.preventDefault()
      e.stopImmediatePropagation()
      if (type == 'click') choose(el)
    })
  listen(document, 'keydown', (e) => {
    if ((e as KeyboardEvent).key != 'Escape') return
    // One Escape at a time: picking stops, else the preview closes, else builder mode ends.
    if (picking) setPicking(false)
    else if (ui) {
      ui.destroy()
      ui = undefined
      e.stopImmediatePropagation()
      say('Preview closed.')
    } else quit()
  })

  // ---- the proposals, with live counts
  let options: { selector: string; box: HTMLInputElement; count: HTMLElement }[] = []
  const note = h('p', { className: 'n' })
  let textBox: HTMLInputElement | null = null
  let text: string | undefined
  const chosen = () => options.filter((x) => x.box.checked).map((x) => x.selector)
  const textChosen = () => (textBox?.checked ? text : undefined)
  const refresh = () => {
    if (!picked) return
    const roots = searchRoots()
    for (const x of options) {
      const m = measure(x.selector, textChosen(), picked, roots)
      x.count.textContent = `${plural(m.matches, 'match')}${textChosen() ? `, ${m.withText} with the text` : ''}${m.findsIt ? ': finds this element' : ': finds another element first'}`
    }
    const list = chosen()
    const ok = list.length > 0 && measure(list, textChosen(), picked, roots).findsIt
    save.disabled = preview.disabled = !list.length
    note.textContent = !list.length
      ? 'Choose at least one selector.'
      : ok
        ? 'The step will point at this element.'
        : 'Careful: with these selectors the step points at another element.'
  }
  const timer = setInterval(() => {
    try {
      refresh()
    } catch {}
  }, 700)
  cleanups.push(() => clearInterval(timer))

  const choose = (el: Element) => {
    picked = el
    setPicking(false)
    text = textOf(el)
    const roots = searchRoots()
    options = proposeSelectors(el).map((selector, i) => {
      const box = h('input', { type: 'checkbox', id: 'o' + i, 'aria-describedby': 'c' + i }) as HTMLInputElement
      // Checked: the ones that find this element by themselves.
      box.checked = measure(selector, text, el, roots).findsIt
      listen(box, 'change', refresh)
      return { selector, box, count: h('span', { className: 'n', id: 'c' + i }) }
    })
    if (options.length && !options.some((x) => x.box.checked)) options[0]!.box.checked = true
    textBox = text ? (h('input', { type: 'checkbox', id: 't', checked: true }) as HTMLInputElement) : null
    if (textBox) listen(textBox, 'change', refresh)
    proposals.replaceChildren(
      h(
        'fieldset',
        {},
        h('legend', {}, 'Selectors, tried in order'),
        ...options.map((x, i) =>
          h(
            'div',
            { className: 'o' },
            x.box,
            // The selector names the checkbox; its live count describes it.
            h('span', {}, h('label', { for: 'o' + i }, h('code', {}, x.selector)), x.count),
          ),
        ),
        textBox && h('div', { className: 'o' }, textBox, h('label', { for: 't' }, `Match the text “${text}”`)),
        note,
      ),
    )
    refresh()
    say('Choose the selectors to keep, then preview or save.')
    options[0]?.box.focus()
  }

  // ---- preview with the real UI, and save
  cleanups.push(() => ui?.destroy())
  const target = () => {
    const list = chosen()
    return { selector: list.length == 1 ? list[0]! : list, ...(textChosen() && { text: textChosen() }) }
  }
  listen(preview, 'click', async () => {
    try {
      const g = guide()
      const step = g.steps[Number(stepSelect.value)]!
      const exp: GuideExperience = {
        id: 'guide:' + g.id,
        kind: 'guide',
        lane: 'modal',
        reason: 'builder preview',
        guideId: g.id,
        trigger: 'on_demand',
        steps: [{ ...step, kind: step.kind == 'hotspot' ? 'hotspot' : 'tooltip', ...target() }],
        missingTarget: 'modal',
        waitMs: 0,
      }
      ui?.destroy()
      const { mount } = (await import(/* @vite-ignore */ o.uiUrl)) as { mount: Mount }
      const kept: Record<string, unknown> = {}
      ui = mount({
        decision: { experiences: [], launcher: [], guides: [exp], locale: document.documentElement.lang || 'en' },
        locale: document.documentElement.lang || navigator.language,
        debug: false,
        // A preview is no engagement: nothing is tracked or claimed, nothing kept past the page.
        track() {},
        claim: async () => true,
        get: (k) => kept[k],
        set: (k, v) => (kept[k] = v),
        tab: 'builder',
        log() {},
      })
      ui.show(g.id)
      say('Previewing the step. Escape closes the preview.')
    } catch (e) {
      say(`The preview could not open: ${(e as Error).message}`)
    }
  })
  listen(save, 'click', async () => {
    const g = guide()
    const step = Number(stepSelect.value)
    save.disabled = true
    try {
      const t = target()
      const saved = await call('PUT', `/v1/builder/guides/${encodeURIComponent(g.id)}/steps/${step}/target`, t)
      const s = g.steps[step]!
      s.selector = t.selector
      s.text = t.text
      session.draftId = saved.draftId
      say(`Saved into draft ${saved.draftId}: step ${step + 1} of ${g.id}.`)
    } catch (e) {
      say(`Not saved: ${(e as Error).message}`)
    } finally {
      save.disabled = false
    }
  })
}
