import { afterEach, describe, expect, it, vi } from 'vitest'
import type { UiController } from '../../../sdk/ui/host'
import { type Chunk, createKinds, type Kind, load } from '../../../sdk/ui/kinds'
import { mount } from '../../../sdk/ui/mount'
import type { ChecklistExperience, GuideExperience, NpsExperience, ValueExperience } from '../../../sdk/wire'
import { decisionOf, fakeHost, settle, shadow } from './helpers'

// What a page downloads follows what it shows (docs/experiences.md, "The UI"): each kind's chunk is
// imported when something of that kind is to be shown. Each test gives `mount` a registry of its
// own over a `load` it watches: the real chunks (sdk/ui/<kind>/index.ts), held back or failing as
// the test says.

const checklist: ChecklistExperience = {
  id: 'checklist',
  kind: 'checklist',
  lane: 'inline',
  reason: 'day 5',
  day: 5,
  items: [
    { id: 'welcome', status: 'done', dueDay: 0, dueDate: '2026-11-01', events: [] },
    { id: 'setup', status: 'due', dueDay: 7, dueDate: '2026-11-08', events: [], cta: { guide: 'setup-tour' } },
  ],
}
const guide: GuideExperience = {
  id: 'guide:setup-tour',
  kind: 'guide',
  lane: 'modal',
  reason: 'on demand',
  guideId: 'setup-tour',
  trigger: 'on_demand',
  missingTarget: 'skip',
  waitMs: 50,
  steps: [{ kind: 'modal', title: 'Welcome aboard', body: 'Let us set you up.' }],
}
const nps: NpsExperience = {
  id: 'nps:2026-11-24',
  kind: 'nps',
  lane: 'modal',
  reason: 'periodic',
  trigger: 'periodic',
  followUps: [],
}
const value: ValueExperience = {
  id: 'value:2026-11-24',
  kind: 'value',
  lane: 'modal',
  reason: 'value statement',
  statement: {
    periodDays: 30,
    from: '2026-10-25T00:00:00.000Z',
    to: '2026-11-24T00:00:00.000Z',
    hoursSaved: null,
    metrics: [],
    roi: null,
    moneySaved: null,
    currency: 'USD',
    text: 'You saved time.',
    locale: 'en',
  },
}

/**
 * A registry over the real chunks that records each kind asked for; `hold` keeps a kind's chunk
 * back until `release(kind)`, `fail` makes a kind's load reject.
 */
function watched(opts: { hold?: Kind[]; fail?: Kind[] } = {}) {
  const asked: Kind[] = []
  const held = new Map<Kind, () => void>()
  const kinds = createKinds(async (kind) => {
    asked.push(kind)
    if (opts.fail?.includes(kind)) throw new TypeError(`Failed to fetch dynamically imported module: ${kind}`)
    if (opts.hold?.includes(kind)) await new Promise<void>((r) => held.set(kind, r))
    return load(kind)
  })
  return { kinds, asked, release: (k: Kind) => held.get(k)!() }
}

const ui: UiController[] = []
const start = (...args: Parameters<typeof mount>) => {
  const c = mount(...args)
  ui.push(c)
  return c
}
afterEach(() => {
  for (const c of ui.splice(0)) c.destroy()
})
const text = () => shadow().textContent || ''
const dialogTitle = () => shadow().querySelector('[role=dialog] h2')?.textContent
const button = (name: string) =>
  [...shadow().querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') || b.textContent) === name)
const until = (check: () => void) => vi.waitFor(check, { timeout: 3000, interval: 5 })

describe('kinds: a chunk per kind, imported when that kind is to be shown', () => {
  it('LZ01 a decision with only a checklist imports the checklist chunk and nothing else', async () => {
    const w = watched()
    const f = fakeHost(decisionOf([checklist], [checklist]))
    start(f.host, w.kinds)
    await until(() => expect(text()).toContain('1 of 2 done'))
    await settle()
    expect(w.asked).toEqual(['checklist'])
    expect(f.names()).toEqual(['experience_shown'])
  })

  it('LZ02 a chunk that fails to load shows nothing, throws nothing, claims and counts nothing', async () => {
    const w = watched({ fail: ['checklist', 'nps'] })
    const logs: unknown[][] = []
    const f = fakeHost(decisionOf([checklist, nps]), { log: (...a) => void logs.push(a) })
    expect(() => start(f.host, w.kinds)).not.toThrow()
    await until(() => expect(logs).toHaveLength(2))
    await settle()
    expect(logs.map((l) => l[0]).sort()).toEqual([
      'ui: the checklist chunk failed to load',
      'ui: the nps chunk failed to load',
    ])
    expect(logs[0]![1]).toBeInstanceOf(TypeError)
    // Only the (empty) live region is there: no checklist, no dialog, no launcher.
    expect(shadow().querySelector('.r')!.children).toHaveLength(1)
    expect(f.events).toEqual([])
    expect(f.claims).toEqual([])
  })

  it('LZ03 a load that throws at once (not a rejection) is caught and logged the same way', async () => {
    const logs: unknown[][] = []
    const kinds = createKinds(() => {
      throw new Error('no such chunk')
    })
    const f = fakeHost(decisionOf([checklist]), { log: (...a) => void logs.push(a) })
    expect(() => start(f.host, kinds)).not.toThrow()
    await until(() => expect(logs.map((l) => l[0])).toEqual(['ui: the checklist chunk failed to load']))
    expect(f.events).toEqual([])
  })

  it("LZ04 show('guide:<id>') on a page showing nothing imports the guide chunk, then opens the guide", async () => {
    const w = watched()
    const f = fakeHost({ ...decisionOf([]), guides: [guide] })
    const c = start(f.host, w.kinds)
    expect(w.asked).toEqual([])
    expect(c.show('guide:setup-tour')).toBe(true)
    await until(() => expect(dialogTitle()).toBe('Welcome aboard'))
    expect(w.asked).toEqual(['guide'])
    expect(f.names()).toEqual(['experience_shown', 'guide_step_viewed'])
  })

  it("LZ05 a checklist item's call to action {guide} imports the guide chunk and starts the guide", async () => {
    const w = watched()
    const f = fakeHost({ ...decisionOf([checklist]), guides: [guide] })
    start(f.host, w.kinds)
    await until(() => expect(button('Setup')).toBeDefined())
    expect(w.asked).toEqual(['checklist'])
    button('Setup')!.click()
    await until(() => expect(dialogTitle()).toBe('Welcome aboard'))
    expect(w.asked).toEqual(['checklist', 'guide'])
  })

  it('LZ06 a guide whose chunk fails opens nothing; asked again later, it is imported again and opens', async () => {
    let down = true
    const asked: Kind[] = []
    const kinds = createKinds(async (k) => {
      asked.push(k)
      if (down) throw new TypeError('offline')
      return load(k)
    })
    const logs: unknown[][] = []
    const f = fakeHost({ ...decisionOf([]), guides: [guide] }, { log: (...a) => void logs.push(a) })
    const c = start(f.host, kinds)
    expect(c.show('setup-tour')).toBe(true)
    await until(() => expect(logs).toHaveLength(1))
    expect(dialogTitle()).toBeUndefined()
    down = false
    c.show('setup-tour')
    await until(() => expect(dialogTitle()).toBe('Welcome aboard'))
    expect(asked).toEqual(['guide', 'guide'])
  })
})

describe('kinds: nothing flickers while a chunk is on its way', () => {
  it('LZ07 nothing of a kind shows before its chunk; it appears with its styles already adopted', async () => {
    const w = watched({ hold: ['checklist'] })
    const f = fakeHost(decisionOf([checklist]))
    start(f.host, w.kinds)
    await settle()
    const root = shadow()
    expect(root.querySelector('aside')).toBeNull()
    expect(root.adoptedStyleSheets).toHaveLength(1)
    expect(f.events).toEqual([])
    // The sheets adopted at the moment the checklist enters the DOM.
    let sheetsWhenShown = 0
    const obs = new MutationObserver(() => {
      if (!sheetsWhenShown && root.querySelector('aside')) sheetsWhenShown = root.adoptedStyleSheets.length
    })
    obs.observe(root, { childList: true, subtree: true })
    w.release('checklist')
    await until(() => expect(root.querySelector('aside.ck')).not.toBeNull())
    obs.disconnect()
    expect(sheetsWhenShown).toBe(2)
    // Counted as shown once it is on screen, not before.
    expect(f.names()).toEqual(['experience_shown'])
  })

  it('LZ08 a modal experience is claimed only once its chunk is here (what cannot show takes no turn)', async () => {
    const w = watched({ hold: ['nps'] })
    const f = fakeHost(decisionOf([nps]))
    start(f.host, w.kinds)
    await settle()
    expect(f.claims).toEqual([])
    expect(dialogTitle()).toBeUndefined()
    w.release('nps')
    await until(() => expect(dialogTitle()).toBe('A quick question'))
    expect(f.claims).toEqual(['nps:2026-11-24'])
  })

  it('LZ09 what is open stays open until the next one is here; a hide() meanwhile opens nothing', async () => {
    const w = watched({ hold: ['value'] })
    const f = fakeHost(decisionOf([nps], [value]))
    const c = start(f.host, w.kinds)
    await until(() => expect(dialogTitle()).toBe('A quick question'))
    c.show(value.id)
    await settle()
    expect(dialogTitle()).toBe('A quick question')
    c.hide()
    w.release('value')
    await until(() => expect(w.kinds.loaded.value.value).toBeDefined())
    await settle()
    expect(dialogTitle()).toBeUndefined()
    // Asked again once it is here: it opens at once.
    c.show(value.id)
    expect(dialogTitle()).toBe('Your results')
  })

  it('LZ10 a UI destroyed while a chunk is on its way shows and sends nothing when it arrives', async () => {
    const w = watched({ hold: ['checklist', 'nps'] })
    const f = fakeHost(decisionOf([checklist, nps]))
    ui.pop()
    const c = mount(f.host, w.kinds)
    await settle()
    c.destroy()
    w.release('checklist')
    w.release('nps')
    await settle()
    await settle()
    expect(document.querySelector('jornada-ui')).toBeNull()
    expect(f.events).toEqual([])
    expect(f.claims).toEqual([])
  })
})

describe('kinds: the launcher', () => {
  it('LZ11 the launcher chunk comes only when it has something to offer; what it lists, when picked', async () => {
    const w = watched()
    const f = fakeHost(decisionOf([checklist], [checklist, value]))
    start(f.host, w.kinds)
    await until(() => expect(button('Help & resources')).toBeDefined())
    expect(w.asked.sort()).toEqual(['checklist', 'launcher'])
    button('Help & resources')!.click()
    await until(() => expect(button('Your results')).toBeDefined())
    button('Your results')!.click()
    await until(() => expect(dialogTitle()).toBe('Your results'))
    expect(w.asked.sort()).toEqual(['checklist', 'launcher', 'value'])
  })

  it('LZ12 a checklist in the launcher only: its chunk comes when the panel opens, which waits for it', async () => {
    const w = watched({ hold: ['checklist'] })
    const f = fakeHost(decisionOf([], [checklist]))
    start(f.host, w.kinds)
    await until(() => expect(button('Help & resources')).toBeDefined())
    expect(w.asked).toEqual(['launcher'])
    button('Help & resources')!.click()
    await settle()
    expect(w.asked).toEqual(['launcher', 'checklist'])
    expect(shadow().querySelector('#jl-panel')).toBeNull()
    w.release('checklist')
    await until(() => expect(shadow().querySelector('#jl-panel')?.textContent).toContain('1 of 2 done'))
  })

  it('LZ13 one registry asks for each chunk once, however many mounts and experiences want it', async () => {
    const asked: Kind[] = []
    const kinds = createKinds(async (k): Promise<Chunk> => (asked.push(k), load(k)))
    start(fakeHost(decisionOf([checklist, { ...checklist, id: 'checklist-2' }])).host, kinds)
    start(fakeHost(decisionOf([checklist])).host, kinds)
    await until(() => expect(document.querySelectorAll('jornada-ui')[1]?.shadowRoot?.textContent).toContain('1 of 2'))
    expect(asked).toEqual(['checklist'])
  })
})
