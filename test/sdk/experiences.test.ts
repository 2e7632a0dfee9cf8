import 'fake-indexeddb/auto'
import { IDBFactory } from 'fake-indexeddb'
import { resolve } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createJornada } from '../../sdk/index'
import type { JornadaOptions } from '../../sdk/index'
import type { Experience, ExperienceRequest, ExperienceResponse } from '../../sdk/wire'
import { fakeLocks, until } from '../support/sdk-fakes'
import type { FakeUi } from './fixtures/fake-ui'

const UI_URL = resolve('test/sdk/fixtures/fake-ui.ts')
const fake = () => (globalThis as unknown as { fakeUi: FakeUi }).fakeUi

const checklist: ExperienceResponse = {
  experiences: [{ id: 'checklist', kind: 'checklist', lane: 'inline', reason: 'r', day: 2, items: [] }],
  launcher: [
    {
      id: 'guide:reports-tour',
      kind: 'guide',
      lane: 'modal',
      reason: 'r',
      guideId: 'reports-tour',
      trigger: 'on_demand',
      steps: [],
      missingTarget: 'modal',
      waitMs: 1,
    },
  ],
  locale: 'en',
}
const empty: ExperienceResponse = { experiences: [], launcher: [], locale: 'en' }

/** Routes /v1/batch (accepts everything) and /v1/experience (answers `decision()`). */
function api(decision: () => ExperienceResponse | number = () => empty) {
  const asked: ExperienceRequest[] = []
  const order: string[] = []
  const fetch = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init!.body))
    if (String(url).includes('/v1/experience')) {
      order.push('experience')
      asked.push(body)
      const d = decision()
      return typeof d === 'number'
        ? new Response('{}', { status: d })
        : new Response(JSON.stringify(d), { status: 200 })
    }
    order.push('batch')
    return new Response(JSON.stringify({ accepted: body.batch.length, duplicates: 0, rejected: [] }), { status: 200 })
  })
  return { fetch: fetch as unknown as typeof globalThis.fetch, asked, order }
}

const start = (a: ReturnType<typeof api>, o: Partial<JornadaOptions> = {}) =>
  createJornada({
    writeKey: 'pk_test',
    apiHost: 'https://api.test',
    fetch: a.fetch,
    autoPage: false,
    locks: fakeLocks(),
    flushInterval: 3_600_000,
    uiUrl: UI_URL,
    ...o,
  })

/** Started, and the user and the account known: the core asks for a decision. */
const signedIn = (a: ReturnType<typeof api>, o: Partial<JornadaOptions> = {}) => {
  const j = start(a, o)
  j.identify('ana')
  j.group('acme')
  return j
}

// The first import of the fixture compiles it: done once here, not inside a test's wait.
beforeAll(async () => {
  await import(/* @vite-ignore */ UI_URL)
})

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory()
  localStorage.clear()
  sessionStorage.clear()
  ;(globalThis as unknown as { fakeUi: FakeUi }).fakeUi = { hosts: [], calls: [] }
})
afterEach(() => vi.restoreAllMocks())

describe('experiences: the core asks, the UI chunk comes only when needed', () => {
  it('SX01 no request before the user and the account are known', async () => {
    const a = api()
    const j = start(a)
    j.identify('ana')
    await j.flush()
    await new Promise((r) => setTimeout(r, 10))
    expect(a.asked).toEqual([])
  })

  // The request carries the session, the locale trait and the userHash.
  it('SX02 identify and group together ask once, after the queued events are sent', async () => {
    const a = api()
    const j = start(a)
    j.identify('ana', { locale: 'pt-BR' }, { userHash: 'h1' })
    j.group('acme')
    await until(() => a.asked.length > 0)
    await new Promise((r) => setTimeout(r, 20))
    expect(a.asked.length).toBe(1)
    expect(a.asked[0]).toMatchObject({ userId: 'ana', accountId: 'acme', locale: 'pt-BR', userHash: 'h1' })
    expect(a.asked[0]!.sessionId).toMatch(/^[0-9a-f-]{36}$/)
    expect(a.order[0]).toBe('batch')
  })

  it('SX18 the request carries the userToken identify was given, beside the userHash', async () => {
    const a = api()
    const j = start(a)
    j.identify('ana', {}, { userHash: 'h1', userToken: 't1' })
    j.group('acme')
    await until(() => a.asked.length > 0)
    expect(a.asked[0]).toMatchObject({ userId: 'ana', accountId: 'acme', userHash: 'h1', userToken: 't1' })
  })

  it('SX03 an empty decision downloads nothing of the UI', async () => {
    const a = api(() => empty)
    signedIn(a)
    await until(() => a.asked.length > 0)
    await new Promise((r) => setTimeout(r, 50))
    expect(fake().hosts).toEqual([])
  })

  it('SX04 a decision with something mounts the UI once with it; a later one updates it', async () => {
    const a = api(() => checklist)
    const j = signedIn(a)
    await until(() => fake().hosts.length > 0)
    expect(fake().hosts[0]!.decision).toEqual(checklist)
    j.group('globex')
    await until(() => fake().calls.some(([n]) => n === 'update'))
    expect(fake().hosts.length).toBe(1)
  })

  it('SX05 a server error or a network failure shows nothing and throws nothing', async () => {
    const a = api(() => 500)
    signedIn(a)
    await until(() => a.asked.length > 0)
    await new Promise((r) => setTimeout(r, 20))
    expect(fake().hosts).toEqual([])
  })

  it('SX06 track(event) tells the UI (checklist items done) and the other tabs through localStorage', async () => {
    const a = api(() => checklist)
    const j = signedIn(a)
    await until(() => fake().hosts.length > 0)
    j.track('setup_completed')
    expect(fake().calls).toContainEqual(['tracked', 'setup_completed'])
    expect(JSON.parse(localStorage.getItem('jornada:tracked')!)).toMatchObject({ e: 'setup_completed' })
    // Another tab's track arrives as a storage event.
    dispatchEvent(
      new StorageEvent('storage', { key: 'jornada:tracked', newValue: JSON.stringify({ e: 'first_value', t: 1 }) }),
    )
    expect(fake().calls).toContainEqual(['tracked', 'first_value'])
  })

  // The same tab after a reload is not refused.
  it('SX07 one tab claims a modal experience: another tab is refused for 10 minutes', async () => {
    let t = 1_000_000
    const a = api(() => checklist)
    signedIn(a, { now: () => t })
    await until(() => fake().hosts.length > 0)
    const host = fake().hosts[0]!
    const nps: Experience = {
      id: 'nps:2026-11-24',
      kind: 'nps',
      lane: 'modal',
      reason: 'r',
      trigger: 'periodic',
      followUps: [],
    }
    expect(await host.claim(nps)).toBe(true)
    // Same tab (sessionStorage keeps its id across a reload): still allowed, e.g. to resume a tour.
    expect(await host.claim(nps)).toBe(true)
    // Another tab: its own sessionStorage, the same localStorage.
    sessionStorage.setItem('jornada:tab', 'other-tab')
    fake().hosts.length = 0
    const b = api(() => checklist)
    const k = start(b, { now: () => t })
    k.group('globex')
    await until(() => fake().hosts.length > 0)
    const other = fake().hosts[0]!
    expect(await other.claim(nps)).toBe(false)
    t += 10 * 60_000
    expect(await other.claim(nps)).toBe(true)
  })

  it('SX08 show(guide id) opens it through the UI, mounting it first when needed; unknown ids are ignored', async () => {
    const a = api(() => checklist)
    const j = signedIn(a)
    await until(() => fake().hosts.length > 0)
    j.show('reports-tour')
    await until(() => fake().calls.some(([n]) => n === 'show'))
    expect(fake().calls).toContainEqual(['show', 'reports-tour'])
    expect(() => j.show('nope')).not.toThrow()
    expect(() => (j.show as (x: unknown) => void)(42)).not.toThrow()
  })

  it('SX09 engagement events from the UI go through the durable queue with the session id', async () => {
    const a = api(() => checklist)
    const j = signedIn(a)
    await until(() => fake().hosts.length > 0)
    fake().hosts[0]!.track('experience_shown', { experienceId: 'checklist', kind: 'checklist' })
    await j.flush()
    const fetchMock = a.fetch as unknown as ReturnType<typeof vi.fn>
    const batches = fetchMock.mock.calls
      .filter(([u]) => String(u).includes('/v1/batch'))
      .map(([, init]) => JSON.parse(String((init as RequestInit).body)))
    const shown = batches.flatMap((b) => b.batch).find((e: { event?: string }) => e.event === 'experience_shown')
    expect(shown).toMatchObject({
      type: 'track',
      userId: 'ana',
      accountId: 'acme',
      properties: { experienceId: 'checklist', kind: 'checklist' },
    })
    expect(shown.properties.sessionId).toBe(shown.context.sessionId)
  })

  it('SX10 experiences: false never asks; reset() removes the UI', async () => {
    const a = api(() => checklist)
    const j = signedIn(a, { experiences: false })
    await j.flush()
    await new Promise((r) => setTimeout(r, 20))
    expect(a.asked).toEqual([])
    const b = api(() => checklist)
    const k = start(b)
    k.identify('bia')
    k.group('acme')
    await until(() => fake().hosts.length > 0)
    k.reset()
    expect(fake().calls).toContainEqual(['destroy'])
  })
})

describe('experiences: what the UI keeps, per tab and per user', () => {
  // The UI's record: tour progress and what was shown today.
  it("SX15 reset() (log out) clears the UI's record, the locale trait and the modal claim", async () => {
    const a = api(() => checklist)
    const j = start(a)
    j.identify('ana', { locale: 'pt-BR' })
    j.group('acme')
    await until(() => fake().hosts.length > 0)
    const host = fake().hosts[0]!
    host.set('tour', { g: 'reports-tour', s: 2, t: host.tab, v: 1 })
    host.set('seen', { checklist: 'today' })
    expect(
      await host.claim({ id: 'nps:x', kind: 'nps', lane: 'modal', reason: 'r', trigger: 'periodic', followUps: [] }),
    ).toBe(true)
    expect(JSON.parse(localStorage.getItem('jornada:ui')!)).toEqual({
      tour: { g: 'reports-tour', s: 2, t: host.tab, v: 1 },
      seen: { checklist: 'today' },
    })
    for (const k of ['jornada:ui', 'jornada:locale', 'jornada:modal']) expect(localStorage.getItem(k), k).not.toBeNull()
    j.reset()
    for (const k of ['jornada:ui', 'jornada:locale', 'jornada:modal']) expect(localStorage.getItem(k), k).toBeNull()
    // The next user starts clean: no locale of Ana's.
    j.identify('bia')
    j.group('acme')
    await until(() => a.asked.length === 2)
    expect(a.asked[1]!.locale).not.toBe('pt-BR')
  })

  // The tab's id is kept in sessionStorage. get/set keep one record; setting null removes a key.
  it('SX16 host.tab: the same after a reload of the tab, another in another tab', async () => {
    const a = api(() => checklist)
    signedIn(a)
    await until(() => fake().hosts.length > 0)
    const first = fake().hosts[0]!
    expect(first.tab).toBe(sessionStorage.getItem('jornada:tab'))
    first.set('tour', { g: 'x', s: 1, t: first.tab })
    first.set('seen', { checklist: 'd' })
    first.set('tour', null)
    expect(first.get('tour')).toBeUndefined()
    expect(first.get('seen')).toEqual({ checklist: 'd' })
    // A reload of the same tab.
    fake().hosts.length = 0
    signedIn(api(() => checklist))
    await until(() => fake().hosts.length > 0)
    expect(fake().hosts[0]!.tab).toBe(first.tab)
    // Another tab: its own sessionStorage.
    sessionStorage.clear()
    fake().hosts.length = 0
    signedIn(api(() => checklist))
    await until(() => fake().hosts.length > 0)
    expect(fake().hosts[0]!.tab).not.toBe(first.tab)
  })

  it('SX17 a decision with on-demand guides only downloads nothing; show(id) loads the UI and opens it', async () => {
    const guides = checklist.launcher
    const a = api(() => ({ experiences: [], launcher: [], guides, locale: 'en' }) as ExperienceResponse)
    const j = signedIn(a)
    await until(() => a.asked.length > 0)
    await new Promise((r) => setTimeout(r, 50))
    expect(fake().hosts).toEqual([])
    j.show('reports-tour')
    await until(() => fake().calls.some(([n]) => n === 'show'))
    expect(fake().hosts.length).toBe(1)
    expect(fake().calls).toContainEqual(['show', 'reports-tour'])
  })
})

describe('experiences: the host app switches its language', () => {
  const settled = () => new Promise((r) => setTimeout(r, 20))
  const updates = () => fake().calls.filter(([n]) => n === 'update')

  // The same locale, or none, asks nothing; the UI is updated, never destroyed.
  it('SX12 identify(same user, { locale }) with a new locale asks again and updates the mounted UI', async () => {
    const a = api(() => checklist)
    const j = start(a)
    j.identify('ana', { locale: 'en' })
    j.group('acme')
    await until(() => fake().hosts.length > 0)
    expect(fake().hosts[0]!.locale).toBe('en')
    j.identify('ana', { locale: 'pt-BR' })
    await until(() => updates().length > 0)
    expect(a.asked.map((r) => r.locale)).toEqual(['en', 'pt-BR'])
    expect(fake().calls).toEqual([['update', checklist, 'pt-BR']])
    j.identify('ana', { locale: 'pt-BR' })
    j.identify('ana', { plan: 'pro' })
    await j.flush()
    await settled()
    expect(a.asked.length).toBe(2)
    expect(fake().hosts.length).toBe(1)
    expect(fake().calls.map(([n]) => n)).toEqual(['update'])
  })

  it("SX13 only <html lang> changed between two asks: the update carries the page's new locale", async () => {
    const html = document.documentElement
    html.lang = 'en'
    try {
      const a = api(() => checklist)
      const j = signedIn(a)
      await until(() => fake().hosts.length > 0)
      expect(fake().hosts[0]!.locale).toBe('en')
      html.lang = 'pt-BR'
      j.group('globex')
      await until(() => updates().length > 0)
      expect(updates()[0]![2]).toBe('pt-BR')
      expect(a.asked[1]!.locale).toBe('pt-BR')
    } finally {
      html.lang = ''
    }
  })

  it('SX14 the locale option pins the language: a new locale trait of the same user asks nothing', async () => {
    const a = api(() => checklist)
    const j = signedIn(a, { locale: 'en' })
    await until(() => fake().hosts.length > 0)
    j.identify('ana', { locale: 'pt-BR' })
    await j.flush()
    await settled()
    expect(a.asked.map((r) => r.locale)).toEqual(['en'])
    expect(fake().calls).toEqual([])
  })
})

describe('experiences: races', () => {
  // As when the account is switched during the download.
  it('SX11 a newer decision that arrives while the UI chunk is still loading is the one mounted', async () => {
    const reason = (r: string): ExperienceResponse => ({
      ...checklist,
      experiences: [{ ...checklist.experiences[0]!, reason: r } as Experience],
    })
    let n = 0
    const a = api(() => (++n === 1 ? reason('acme') : reason('globex')))
    let release!: () => void
    ;(globalThis as unknown as { uiGate: Promise<void> }).uiGate = new Promise<void>((r) => (release = r))
    const j = signedIn(a, { uiUrl: resolve('test/sdk/fixtures/slow-ui.ts') })
    await until(() => a.asked.length === 1)
    // The chunk is still on its way when the user switches accounts and the second answer lands.
    await new Promise((r) => setTimeout(r, 20))
    j.group('globex')
    await until(() => a.asked.length === 2)
    await new Promise((r) => setTimeout(r, 20))
    expect(fake().hosts).toEqual([])
    release()
    await until(() => fake().hosts.length > 0)
    await new Promise((r) => setTimeout(r, 20))
    const updates = fake()
      .calls.filter(([c]) => c === 'update')
      .map(([, d]) => (d as ExperienceResponse).experiences[0]!.reason)
    expect([fake().hosts[0]!.decision.experiences[0]!.reason, ...updates].pop()).toBe('globex')
    expect(fake().hosts.length).toBe(1)
  })
})
