import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { UiController } from '../../../sdk/ui/host'
import { mount } from '../../../sdk/ui/mount'
import { pickFollowUp } from '../../../sdk/ui/nps/follow-up'
import { placeTip } from '../../../sdk/ui/guide/place'
import { valueLines } from '../../../sdk/ui/value/Value'
import { createI18n } from '../../../sdk/ui/i18n'
import type {
  BannerExperience,
  ChecklistExperience,
  GuideExperience,
  MessageExperience,
  NpsExperience,
  NpsFollowUp,
  ValueExperience,
} from '../../../sdk/wire'
import { decisionOf, fakeHost, loadKinds, settle, shadow } from './helpers'

// Every kind's chunk is here before the first mount (the loading itself: kinds.test.ts).
beforeAll(loadKinds)

const checklist: ChecklistExperience = {
  id: 'checklist',
  kind: 'checklist',
  lane: 'inline',
  reason: 'day 5: 1 of 3 done',
  day: 5,
  items: [
    { id: 'welcome', status: 'done', dueDay: 0, dueDate: '2026-11-01', events: ['welcome_email_sent'] },
    {
      id: 'setup',
      status: 'due',
      dueDay: 7,
      dueDate: '2026-11-08',
      events: ['setup_completed'],
      cta: { guide: 'setup-tour' },
    },
    {
      id: 'first_value',
      status: 'upcoming',
      dueDay: 14,
      dueDate: '2026-11-15',
      events: ['first_value', 'report_generated'],
    },
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
  steps: [
    { kind: 'modal', title: 'Welcome aboard', body: 'Let us set you up.' },
    { kind: 'modal', title: 'Connect your data', body: 'Pick a source.' },
    { kind: 'modal', title: 'Done', body: 'That is all.' },
  ],
}

const band = (min: number, b: NpsFollowUp['band'], programs: NpsFollowUp['programs'] = []): NpsFollowUp => ({
  min,
  band: b,
  programs,
  recovery: b === 'detractor',
})
const nps: NpsExperience = {
  id: 'nps:2026-11-24',
  kind: 'nps',
  lane: 'modal',
  reason: 'periodic',
  trigger: 'periodic',
  followUps: [band(0, 'detractor'), band(7, 'passive'), band(9, 'promoter', [{ id: 'review', benefit: 'credit' }])],
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
const click = (el: Element | null | undefined) => (el as HTMLElement).click()
const button = (name: string) =>
  [...shadow().querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') || b.textContent) === name)

describe('UI: mount and attention', () => {
  it('UI01 checklist: tracked(setup_completed) marks setup done at once', async () => {
    const f = fakeHost(decisionOf([checklist]))
    const c = start(f.host)
    expect(text()).toContain('1 of 3 done')
    c.tracked('setup_completed')
    await settle()
    expect(text()).toContain('2 of 3 done')
    expect(shadow().querySelectorAll('li.done')).toHaveLength(2)
    expect(f.names()).toEqual(['experience_shown'])
  })

  it('UI02 checklist: the last item done sends experience_completed once', async () => {
    const f = fakeHost(decisionOf([checklist]))
    const c = start(f.host)
    c.tracked('setup_completed')
    c.tracked('report_generated')
    c.tracked('first_value')
    await settle()
    expect(f.events.filter((e) => e.event === 'experience_completed')).toEqual([
      { event: 'experience_completed', experienceId: 'checklist', kind: 'checklist' },
    ])
    expect(text()).toContain('All done!')
  })

  // The checklist takes no focus when it appears.
  it('UI03 checklist: an item with a guide CTA sends checklist_item_clicked and starts the guide', async () => {
    const f = fakeHost(decisionOf([checklist], [guide]))
    const before = document.activeElement
    start(f.host)
    expect(document.activeElement).toBe(before)
    click(button('Setup'))
    await settle()
    expect(f.events[1]).toEqual({
      event: 'checklist_item_clicked',
      experienceId: 'checklist',
      kind: 'checklist',
      item: 'setup',
    })
    expect(dialogTitle()).toBe('Welcome aboard')
  })

  it('UI04 checklist: dismissing sends experience_dismissed and moves it to the launcher', async () => {
    const f = fakeHost(decisionOf([checklist]))
    start(f.host)
    expect(shadow().querySelector('.ln')).toBeNull()
    click(button('Dismiss'))
    await settle()
    expect(f.events.at(-1)).toEqual({
      event: 'experience_dismissed',
      experienceId: 'checklist',
      kind: 'checklist',
      reason: 'close',
    })
    expect(shadow().querySelector('aside.ck')).toBeNull()
    click(button('Help & resources'))
    await settle()
    expect(shadow().querySelector('#jl-panel')!.textContent).toContain('1 of 3 done')
  })

  // A refused claim shows nothing.
  it('UI05 attention: the first modal experience shows only once host.claim resolves true', async () => {
    const yes = fakeHost(decisionOf([nps, guide]))
    start(yes.host)
    expect(dialogTitle()).toBeUndefined()
    await settle()
    expect(yes.claims).toEqual(['nps:2026-11-24'])
    expect(dialogTitle()).toBe('A quick question')
    expect(yes.events).toEqual([{ event: 'experience_shown', experienceId: 'nps:2026-11-24', kind: 'nps' }])
    ui.pop()!.destroy()

    const no = fakeHost(decisionOf([nps]), { claim: async () => false })
    start(no.host)
    await settle()
    expect(dialogTitle()).toBeUndefined()
    expect(no.events).toEqual([])
  })

  it('UI06 show(guideId) opens a guide; hide() closes it, no dismissal; destroy() removes the element', async () => {
    const f = fakeHost(decisionOf([], [guide]))
    const c = start(f.host)
    expect(c.show('nope')).toBe(false)
    expect(c.show('setup-tour')).toBe(true)
    await settle()
    expect(dialogTitle()).toBe('Welcome aboard')
    c.hide()
    await settle()
    expect(dialogTitle()).toBeUndefined()
    expect(f.names()).toEqual(['experience_shown', 'guide_step_viewed'])
    ui.pop()!.destroy()
    expect(document.querySelector('jornada-ui')).toBeNull()
  })

  // Saved as host.set(tour, { guide, step, tab, shown }). Resumed without a claim or a second
  // experience_shown of the guide.
  it("UI07 guide: progress saved with host.set, resumed on the same tab's next mount, cleared at the end", async () => {
    const store = new Map<string, unknown>()
    const f = fakeHost(decisionOf([guide], [guide]), {}, store)
    start(f.host)
    await settle()
    expect(store.get('tour')).toEqual({ g: 'setup-tour', s: 0, t: 'tab-1', v: 1 })
    click(button('Next'))
    await settle()
    expect(store.get('tour')).toEqual({ g: 'setup-tour', s: 1, t: 'tab-1', v: 1 })
    expect(dialogTitle()).toBe('Connect your data')
    expect(f.names().filter((n) => n === 'experience_shown')).toHaveLength(1)
    ui.pop()!.destroy()

    // A reload: the same store and tab, a decision that still offers the guide (in the launcher only).
    const again = fakeHost(decisionOf([], [guide]), {}, store)
    start(again.host)
    await settle()
    expect(again.claims).toEqual([])
    expect(dialogTitle()).toBe('Connect your data')
    click(button('Next'))
    await settle()
    click(button('Done'))
    await settle()
    expect(store.has('tour')).toBe(false)
    // Resuming is not a new show: no experience_shown (the server counted one when it began).
    expect(again.names()).toEqual(['guide_step_viewed', 'guide_step_viewed', 'experience_completed'])
    expect(again.events.filter((e) => e.event === 'guide_step_viewed').map((e) => e.step)).toEqual([1, 2])
  })

  // Another tab of the site shows nothing of it; opened there on demand, it starts over as that tab's own.
  it('UI20 two tabs: a tour in progress resumes only in the tab that ran it', async () => {
    const store = new Map<string, unknown>()
    const a = fakeHost(decisionOf([guide], [guide]), {}, store)
    start(a.host)
    await settle()
    click(button('Next'))
    await settle()
    expect(dialogTitle()).toBe('Connect your data')

    // Tab 2 loads while tab 1's tour is at step 2 (the server now lists the guide in the launcher).
    const b = fakeHost(decisionOf([], [guide]), { tab: 'tab-2' }, store)
    const c2 = start(b.host)
    await settle()
    expect(document.querySelectorAll('jornada-ui')).toHaveLength(2)
    expect(document.querySelectorAll('jornada-ui')[1]!.shadowRoot!.querySelector('[role=dialog]')).toBeNull()
    expect(b.events).toEqual([])
    expect(b.claims).toEqual([])
    ui.splice(0, 1)[0]!.destroy() // tab 1 is closed
    expect(dialogTitle()).toBeUndefined()

    // Tab 1's progress is still there for tab 1; tab 2 asked for the guide starts it from the top.
    expect(store.get('tour')).toMatchObject({ s: 1, t: 'tab-1' })
    c2.show('setup-tour')
    await settle()
    expect(dialogTitle()).toBe('Welcome aboard')
    expect(store.get('tour')).toEqual({ g: 'setup-tour', s: 0, t: 'tab-2', v: 1 })
    expect(b.names()).toEqual(['experience_shown', 'guide_step_viewed'])
  })

  it('UI08 guide: a target still missing after waitMs is reported and skipped; each skip is a dismissal', async () => {
    const lost: GuideExperience = {
      ...guide,
      id: 'guide:lost',
      guideId: 'lost',
      steps: [{ kind: 'tooltip', selector: '#nowhere', title: 'T', body: 'B' }],
    }
    const f = fakeHost(decisionOf([lost]))
    start(f.host)
    await settle()
    await new Promise((r) => setTimeout(r, 120))
    expect(f.events).toEqual([
      {
        event: 'guide_target_missing',
        experienceId: 'guide:lost',
        kind: 'guide',
        guideId: 'lost',
        step: 0,
        selector: '#nowhere',
      },
      { event: 'experience_dismissed', experienceId: 'guide:lost', kind: 'guide', reason: 'target_missing' },
    ])
  })

  it('UI09 guide: a late target is waited for (MutationObserver), then the tooltip shows', async () => {
    const late: GuideExperience = {
      ...guide,
      id: 'guide:late',
      guideId: 'late',
      waitMs: 2000,
      steps: [{ kind: 'tooltip', selector: '#late-target', title: 'Here', body: 'B' }],
    }
    const f = fakeHost(decisionOf([late]))
    start(f.host)
    await settle()
    expect(dialogTitle()).toBeUndefined()
    const b = document.createElement('button')
    b.id = 'late-target'
    document.body.append(b)
    await new Promise((r) => setTimeout(r, 20))
    expect(dialogTitle()).toBe('Here')
    expect(shadow().querySelector('.tip')).not.toBeNull()
    expect(f.names()).toEqual(['experience_shown', 'guide_step_viewed'])
    b.remove()
  })

  // The tour polls the URL itself (every 200 ms) while it runs: an SPA's pushState calls nothing of ours.
  it('UI30 guide: a step limited to a path waits for an SPA route change to it, then shows', async () => {
    history.replaceState(null, '', '/reports')
    const routed: GuideExperience = {
      ...guide,
      id: 'guide:routed',
      guideId: 'routed',
      steps: [
        { kind: 'modal', title: 'Here first', body: 'B' },
        { kind: 'modal', title: 'On alerts', body: 'B', path: '/alerts' },
      ],
    }
    const f = fakeHost(decisionOf([routed]))
    start(f.host)
    await settle()
    expect(dialogTitle()).toBe('Here first')
    click(button('Next'))
    await new Promise((r) => setTimeout(r, 250))
    expect(dialogTitle()).toBeUndefined()
    history.pushState(null, '', '/alerts/new')
    await vi.waitFor(() => expect(dialogTitle()).toBe('On alerts'), { timeout: 1000, interval: 20 })
    history.replaceState(null, '', '/')
  })

  it('UI10 Escape closes the open dialog with reason escape', async () => {
    const f = fakeHost(decisionOf([nps]))
    start(f.host)
    await settle()
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    await settle()
    expect(dialogTitle()).toBeUndefined()
    expect(f.events.at(-1)).toEqual({
      event: 'experience_dismissed',
      experienceId: 'nps:2026-11-24',
      kind: 'nps',
      reason: 'escape',
    })
  })

  it('UI11 nps: "ask me later" dismisses with reason later', async () => {
    const f = fakeHost(decisionOf([nps]))
    start(f.host)
    await settle()
    click(button('Ask me later'))
    await settle()
    expect(f.events.at(-1)).toEqual({
      event: 'experience_dismissed',
      experienceId: 'nps:2026-11-24',
      kind: 'nps',
      reason: 'later',
    })
  })

  // Closing the follow-up is no dismissal.
  it.each([
    [3, 'We are sorry'],
    [7, 'Thank you for your answer!'],
    [10, 'Thanks for being a fan!'],
  ])('UI12 nps: score %i is sent, completes the survey and shows its follow-up "%s"', async (score, title) => {
    const f = fakeHost(decisionOf([nps]))
    start(f.host)
    await settle()
    const radio = shadow().querySelector<HTMLInputElement>(`input[value="${score}"]`)!
    radio.checked = true
    radio.dispatchEvent(new Event('change', { bubbles: true }))
    await settle()
    shadow().querySelector<HTMLTextAreaElement>('textarea')!.value = '  ok  '
    shadow()
      .querySelector('form')!
      .dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
    await settle()
    expect(dialogTitle()).toBe(title)
    click(button('Close'))
    await settle()
    expect(f.events.slice(1)).toEqual([
      { event: 'nps_response', experienceId: 'nps:2026-11-24', kind: 'nps', score, comment: 'ok' },
      { event: 'experience_completed', experienceId: 'nps:2026-11-24', kind: 'nps' },
    ])
  })

  it('UI13 message: usage_declining options complete the experience with the answer id', async () => {
    const msg: MessageExperience = {
      id: 'message:usage_declining',
      kind: 'message',
      lane: 'modal',
      reason: 'r',
      situation: 'usage_declining',
      options: ['no_time', 'custom_reason'],
    }
    const f = fakeHost(decisionOf([msg]), { locale: 'pt-BR' })
    start(f.host)
    await settle()
    expect(dialogTitle()).toBe('Como estão as coisas?')
    expect(button('custom reason')).toBeDefined()
    click(button('Sem tempo'))
    await settle()
    expect(f.events.at(-1)).toEqual({
      event: 'experience_completed',
      experienceId: 'message:usage_declining',
      kind: 'message',
      answer: 'no_time',
    })
  })

  it('UI14 debug: the server reason shows under each experience; the root carries lang and dir', async () => {
    const f = fakeHost(decisionOf([checklist]), { debug: true, locale: 'ar' })
    start(f.host)
    expect(shadow().querySelector('.dbg')!.textContent).toBe('day 5: 1 of 3 done')
    const root = shadow().querySelector('.r')!
    expect([root.getAttribute('dir'), root.getAttribute('lang')]).toEqual(['rtl', 'en'])
  })

  it('UI15 update(): a new decision re-renders and keeps the tour in progress', async () => {
    const f = fakeHost(decisionOf([guide]))
    const c = start(f.host)
    await settle()
    click(button('Next'))
    await settle()
    c.update(decisionOf([checklist]), 'en')
    await settle()
    expect(dialogTitle()).toBe('Connect your data')
    expect(text()).toContain('1 of 3 done')
  })

  // It takes no focus from the page when it appears. A modal step keeps all three.
  it('UI21 a tooltip step is a non-modal dialog: no aria-modal, no backdrop, no Tab trap', async () => {
    const page = document.createElement('button')
    page.id = 'page-target'
    page.textContent = 'Export'
    document.body.append(page)
    try {
      const tip: GuideExperience = {
        ...guide,
        id: 'guide:tip',
        guideId: 'tip',
        steps: [{ kind: 'tooltip', selector: '#page-target', title: 'Export here', body: 'B' }, ...guide.steps],
      }
      page.focus()
      start(fakeHost(decisionOf([tip])).host)
      await settle()
      const d = shadow().querySelector('[role=dialog]')!
      expect(dialogTitle()).toBe('Export here')
      expect(d.hasAttribute('aria-modal')).toBe(false)
      expect(d.getAttribute('aria-labelledby')).toBe('jt')
      expect(shadow().querySelector('.bd')).toBeNull()
      expect(document.activeElement).toBe(page)
      // Tab on its last button is the browser's: nothing sends it back to the first.
      const tab = new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, cancelable: true })
      button('Next')!.dispatchEvent(tab)
      expect(tab.defaultPrevented).toBe(false)

      // Next, from the tooltip: the modal step traps Tab, takes focus, has a backdrop.
      button('Next')!.focus()
      click(button('Next'))
      await settle()
      const m = shadow().querySelector('[role=dialog]')!
      expect(dialogTitle()).toBe('Welcome aboard')
      expect(m.getAttribute('aria-modal')).toBe('true')
      expect(shadow().querySelector('.bd')).not.toBeNull()
      expect(shadow().activeElement).toBe(m)
      const back = new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, cancelable: true })
      button('Next')!.focus()
      button('Next')!.dispatchEvent(back)
      expect(back.defaultPrevented).toBe(true)
      expect(shadow().activeElement).toBe(button('Close'))
    } finally {
      page.remove()
    }
  })

  // Once it is opened, the user is in the widget. Escape still closes the tour.
  it('UI22 a hotspot beacon appearing takes no focus from the page; opened, its tooltip does', async () => {
    const page = document.createElement('button')
    page.id = 'spot'
    document.body.append(page)
    try {
      const spot: GuideExperience = {
        ...guide,
        id: 'guide:spot',
        guideId: 'spot',
        steps: [{ kind: 'hotspot', selector: '#spot', title: 'Share', body: 'B' }],
      }
      page.focus()
      const f = fakeHost(decisionOf([spot]))
      start(f.host)
      await settle()
      const beacon = shadow().querySelector<HTMLButtonElement>('[part~=beacon]')!
      expect(beacon.getAttribute('aria-label')).toBe('Share')
      expect(beacon.tabIndex).toBe(0)
      expect(document.activeElement).toBe(page)
      beacon.focus()
      click(beacon)
      await settle()
      const d = shadow().querySelector('[role=dialog]')!
      expect(dialogTitle()).toBe('Share')
      expect(d.hasAttribute('aria-modal')).toBe(false)
      expect(shadow().activeElement).toBe(d)
      document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
      await settle()
      expect(dialogTitle()).toBeUndefined()
      expect(f.events.at(-1)).toMatchObject({ event: 'experience_dismissed', reason: 'escape' })
    } finally {
      page.remove()
    }
  })

  it('UI23 an Escape the page used itself (defaultPrevented: its own menu) leaves the tour open', async () => {
    const f = fakeHost(decisionOf([guide]))
    start(f.host)
    await settle()
    const esc = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true })
    esc.preventDefault()
    document.dispatchEvent(esc)
    await settle()
    expect(dialogTitle()).toBe('Welcome aboard')
  })

  // Not on every page load: remounts the same day send nothing.
  it('UI24 inline experiences: experience_shown once per day in this browser; the next day again', async () => {
    const store = new Map<string, unknown>()
    const banner: BannerExperience = {
      id: 'banner:renewal:2026-12-24',
      kind: 'banner',
      lane: 'inline',
      reason: 'r',
      renewalDate: '2026-12-24',
      daysToRenewal: 30,
    }
    const shownIds = (f: ReturnType<typeof fakeHost>) =>
      f.events.filter((e) => e.event === 'experience_shown').map((e) => e.experienceId)
    const first = fakeHost(decisionOf([checklist, banner]), {}, store)
    start(first.host)
    expect(shownIds(first)).toEqual(['checklist', 'banner:renewal:2026-12-24'])
    ui.pop()!.destroy()
    const reload = fakeHost(decisionOf([checklist, banner]), {}, store)
    start(reload.host)
    await settle()
    expect(shownIds(reload)).toEqual([])
    expect(text()).toContain('Getting started')
    ui.pop()!.destroy()
    const tomorrow = new Date(Date.now() + 86_400_000)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(tomorrow)
    try {
      const next = fakeHost(decisionOf([checklist, banner]), {}, store)
      start(next.host)
      expect(shownIds(next)).toEqual(['checklist', 'banner:renewal:2026-12-24'])
    } finally {
      vi.useRealTimers()
    }
  })

  it('UI25 live region: what appears is announced politely ("New: …"), in the locale', async () => {
    start(fakeHost(decisionOf([checklist])).host)
    const live = shadow().querySelector('[role=status]')!
    expect(live.getAttribute('aria-live')).toBe('polite')
    expect(live.textContent).toBe('New: Getting started')
    ui.pop()!.destroy()
    start(fakeHost(decisionOf([nps]), { locale: 'pt-BR' }).host)
    await settle()
    expect(shadow().querySelector('[role=status]')!.textContent).toBe('Novo: Dar sua opinião')
  })

  // "modal" is the default. The step shows as a modal dialog: backdrop, aria-modal, focus.
  it('UI26 guide, missingTarget "modal": a target missing after waitMs is reported, then shown as a modal', async () => {
    const lost: GuideExperience = {
      ...guide,
      id: 'guide:lost',
      guideId: 'lost',
      missingTarget: 'modal',
      steps: [{ kind: 'tooltip', selector: '#nowhere', title: 'Find it', body: 'B' }, guide.steps[2]!],
    }
    const f = fakeHost(decisionOf([lost]))
    start(f.host)
    await settle()
    expect(dialogTitle()).toBeUndefined()
    await new Promise((r) => setTimeout(r, 120))
    expect(f.events.slice(0, 3)).toEqual([
      {
        event: 'guide_target_missing',
        experienceId: 'guide:lost',
        kind: 'guide',
        guideId: 'lost',
        step: 0,
        selector: '#nowhere',
      },
      { event: 'experience_shown', experienceId: 'guide:lost', kind: 'guide' },
      { event: 'guide_step_viewed', experienceId: 'guide:lost', kind: 'guide', guideId: 'lost', step: 0 },
    ])
    const d = shadow().querySelector('[role=dialog]')!
    expect(dialogTitle()).toBe('Find it')
    expect(d.getAttribute('aria-modal')).toBe('true')
    expect(d.classList.contains('dlg')).toBe(true)
    expect(shadow().querySelector('.bd')).not.toBeNull()
    expect(shadow().activeElement).toBe(d)
    click(button('Next'))
    await settle()
    expect(dialogTitle()).toBe('Done')
  })

  it('UI27 a checklist both on screen and in the launcher is completed once', async () => {
    const f = fakeHost(decisionOf([checklist], [checklist]))
    const c = start(f.host)
    for (const e of ['setup_completed', 'report_generated']) c.tracked(e)
    await settle()
    expect(f.names().filter((n) => n === 'experience_completed')).toHaveLength(1)
  })

  // show() and a checklist call to action open them.
  it('UI28 on-demand guides (`guides`) are neither listed nor shown by themselves', async () => {
    const f = fakeHost({ ...decisionOf([checklist]), guides: [guide] })
    const c = start(f.host)
    await settle()
    expect(shadow().querySelector('.ln')).toBeNull()
    expect(dialogTitle()).toBeUndefined()
    expect(f.claims).toEqual([])
    click(button('Setup'))
    await settle()
    expect(dialogTitle()).toBe('Welcome aboard')
    c.hide()
    expect(c.show('setup-tour')).toBe(true)
  })

  it("UI29 the workspace's own NPS and banner texts (the decision's `texts`) replace the UI's", async () => {
    const own = { 'nps.question': 'Would you recommend Acme?', 'nps.submit': 'Go' }
    const f = fakeHost({ ...decisionOf([nps]), texts: own })
    const c = start(f.host)
    await settle()
    expect(shadow().querySelector('legend')!.textContent).toBe('Would you recommend Acme?')
    expect(button('Go')).toBeTruthy()
    // Texts it does not replace stay the catalog's; a new decision without texts brings them all back.
    expect(dialogTitle()).toBe('A quick question')
    c.update(decisionOf([nps]), 'en')
    await settle()
    expect(shadow().querySelector('legend')!.textContent).toBe(
      'How likely are you to recommend us to a friend or colleague?',
    )
  })

  it('UI16 the shadow root adopts constructable stylesheets; no inline style attribute anywhere', async () => {
    start(fakeHost(decisionOf([checklist, nps])).host)
    await settle()
    // The base's, and each loaded chunk's once (the checklist's, a dialog's frame, the NPS scale, …).
    expect(shadow().adoptedStyleSheets.length).toBeGreaterThan(1)
    expect(new Set(shadow().adoptedStyleSheets).size).toBe(shadow().adoptedStyleSheets.length)
    expect(shadow().querySelectorAll('[style]')).toHaveLength(0)
    expect(document.querySelector('jornada-ui')!.hasAttribute('style')).toBe(false)
  })
})

describe('UI: a locale switch re-renders in place (the host app changed its language)', () => {
  const valueIn = (label: string, text: string, locale: string): ValueExperience => ({
    id: 'value:2026-11-30',
    kind: 'value',
    lane: 'modal',
    reason: 'r',
    statement: {
      periodDays: 30,
      from: '',
      to: '',
      hoursSaved: 12.5,
      roi: null,
      moneySaved: 500,
      currency: 'USD',
      text,
      locale,
      metrics: [{ id: 'conversion_rate', label, better: 'higher', previous: 1, current: 1.238, change: 0.238 }],
    },
  })
  const banner: BannerExperience = {
    id: 'banner:renewal',
    kind: 'banner',
    lane: 'inline',
    reason: 'r',
    renewalDate: '2026-12-24',
    daysToRenewal: 30,
  }
  const root = () => shadow().querySelector('.r')!
  const langDir = () => [root().getAttribute('lang'), root().getAttribute('dir')]

  // The server-made label comes from the new decision.
  it('UI17 an open value statement stays open (the same dialog) and reads in pt-BR; lang updated', async () => {
    const f = fakeHost(decisionOf([valueIn('conversion rate', 'In the last 30 days…', 'en')]))
    const c = start(f.host)
    await settle()
    const dialog = shadow().querySelector('[role=dialog]')
    expect(dialogTitle()).toBe('Your results')
    expect(text()).toContain('increased conversion rate by 23.8%')
    // As the server answers: the statement already shown is no longer an experience, only in the launcher.
    c.update(decisionOf([], [valueIn('taxa de conversão', 'Nos últimos 30 dias…', 'pt-BR')]), 'pt-BR')
    await settle()
    expect(shadow().querySelector('[role=dialog]')).toBe(dialog)
    expect(dialogTitle()).toBe('Seus resultados')
    expect(text()).toContain('Nos últimos 30 dias, você:')
    expect(text()).toContain('aumentou taxa de conversão em 23,8%')
    expect(text()).toContain('economizou US$\u00a0500')
    expect(button('Fechar')).toBeDefined()
    expect(langDir()).toEqual(['pt-BR', 'ltr'])
    expect(f.names()).toEqual(['experience_shown'])
  })

  // The picked score and the typed comment stay while its texts switch to pt-BR, then its dir to rtl (ar).
  it('UI18 an open NPS survey keeps its score, comment and focus while it switches to pt-BR, then to rtl', async () => {
    const f = fakeHost(decisionOf([nps]))
    const c = start(f.host)
    await settle()
    const radio = shadow().querySelector<HTMLInputElement>('input[value="8"]')!
    radio.checked = true
    radio.dispatchEvent(new Event('change', { bubbles: true }))
    await settle()
    const comment = shadow().querySelector<HTMLTextAreaElement>('textarea')!
    comment.value = 'rápido'
    comment.focus()
    // The survey was shown and counted: the next decision leaves it out.
    c.update(decisionOf([]), 'pt-BR')
    await settle()
    expect(dialogTitle()).toBe('Uma pergunta rápida')
    expect(shadow().querySelector('legend')!.textContent).toBe(
      'Qual a probabilidade de você nos recomendar a um amigo ou colega?',
    )
    expect(shadow().querySelector<HTMLInputElement>('input[value="8"]')!.checked).toBe(true)
    expect(shadow().querySelector('textarea')).toBe(comment)
    expect(comment.value).toBe('rápido')
    expect(shadow().activeElement).toBe(comment)
    expect(button('Enviar')!.disabled).toBe(false)
    expect(langDir()).toEqual(['pt-BR', 'ltr'])
    c.update(decisionOf([]), 'ar')
    await settle()
    expect(langDir()).toEqual(['en', 'rtl'])
    expect(shadow().querySelector<HTMLInputElement>('input[value="8"]')!.checked).toBe(true)
    shadow()
      .querySelector('form')!
      .dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
    await settle()
    expect(f.events[1]).toEqual({
      event: 'nps_response',
      experienceId: 'nps:2026-11-24',
      kind: 'nps',
      score: 8,
      comment: 'rápido',
    })
  })

  // The banner's dates are in the new locale.
  it('UI19 a guide at its second step, the checklist, the renewal banner and the launcher switch in place', async () => {
    const f = fakeHost(decisionOf([checklist, banner], [guide]))
    const c = start(f.host)
    c.show('setup-tour')
    await settle()
    click(button('Next'))
    await settle()
    expect(text()).toContain('Your plan renews on Dec 24, 2026, in 30 days.')
    c.update(decisionOf([checklist, banner], [guide]), 'pt-BR')
    await settle()
    expect(dialogTitle()).toBe('Connect your data')
    expect(text()).toContain('Passo 2 de 3')
    expect(button('Voltar')).toBeDefined()
    expect(button('Próximo')).toBeDefined()
    expect(text()).toContain('Primeiros passos')
    expect(text()).toContain('1 de 3 concluídos')
    expect(text()).toContain('Seu plano será renovado em 24 de dez. de 2026, em 30 dias.')
    expect(button('Ajuda e recursos')).toBeDefined()
    expect(f.store.get('tour')).toMatchObject({ g: 'setup-tour', s: 1 })
    // The same locale again: nothing changes.
    c.update(decisionOf([checklist, banner], [guide]), 'pt-BR')
    await settle()
    expect(text()).toContain('Passo 2 de 3')
  })
})

describe('UI: pure parts', () => {
  it.each([
    [0, 'detractor'],
    [6, 'detractor'],
    [7, 'passive'],
    [8, 'passive'],
    [9, 'promoter'],
    [10, 'promoter'],
  ])('FU01 score %i → %s (the band with the highest min at or below it)', (score, want) => {
    expect(pickFollowUp(nps.followUps, score)?.band).toBe(want)
  })

  it('F02 no band fits: no follow-up', () => {
    expect(pickFollowUp([band(9, 'promoter')], 5)).toBeUndefined()
    expect(pickFollowUp([], 10)).toBeUndefined()
  })

  it('MV01 value statement in pt-BR: hours, metric changes as %, money in the statement currency, ROI', () => {
    const v: ValueExperience = {
      id: 'value:x',
      kind: 'value',
      lane: 'modal',
      reason: 'r',
      statement: {
        periodDays: 30,
        from: '',
        to: '',
        hoursSaved: 12.5,
        roi: 1.75,
        moneySaved: 500,
        currency: 'BRL',
        text: '',
        locale: 'pt-BR',
        metrics: [
          { id: 'c', label: 'a conversão', better: 'higher', previous: 1, current: 1.12, change: 0.12 },
          { id: 't', label: 'os chamados', better: 'lower', previous: 4, current: 3, change: -0.25 },
        ],
      },
    }
    expect(valueLines(v, createI18n('pt-BR'))).toEqual([
      'economizou 12,5 horas de trabalho manual',
      'aumentou a conversão em 12%',
      'reduziu os chamados em 25%',
      'economizou R$\u00a0500',
      'ROI estimado: 1,8×',
    ])
  })

  it('PL01 tooltip placement: below the target when it fits, above when not, inside the viewport', () => {
    expect(placeTip({ top: 100, left: 100, width: 50, height: 20 }, 200, 100, 1000, 700)).toEqual({ x: 25, y: 132 })
    expect(placeTip({ top: 650, left: 100, width: 50, height: 20 }, 200, 100, 1000, 700)).toEqual({ x: 25, y: 538 })
    expect(placeTip({ top: 10, left: 990, width: 10, height: 10 }, 200, 100, 1000, 700)).toEqual({ x: 792, y: 32 })
  })
})
