import 'fake-indexeddb/auto'
import { IDBFactory } from 'fake-indexeddb'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { boot } from '../../sdk/index'
import type { WireEvent } from '../../sdk/wire'
import { fakeApi, fakeLocks } from '../support/sdk-fakes'

type Fn = ((...a: unknown[]) => unknown) & { q?: unknown }
const w = window as unknown as { jornada?: Fn }

const locks = fakeLocks
const names = (events: WireEvent[]) => events.map((e) => (e.type === 'track' ? e.event : e.type))

/** The snippet of api.md, as a page pastes it. */
function pasteStub() {
  new Function('window.jornada = window.jornada || function () { (jornada.q = jornada.q || []).push(arguments) };')()
}
const call = (...a: unknown[]) => w.jornada!(...a)
const bootIt = (api: ReturnType<typeof fakeApi>, debug = false) =>
  boot({
    writeKey: 'pk_test',
    apiHost: 'https://api.test',
    fetch: api.fetch,
    autoPage: false,
    locks: locks(),
    flushInterval: 3_600_000,
    debug,
  })

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory()
  localStorage.clear()
  delete w.jornada
})
afterEach(() => {
  delete w.jornada
  vi.restoreAllMocks()
})

describe('stub replay (script tag)', () => {
  it('BT01 calls made before boot, including while the core loads, are replayed in order', async () => {
    pasteStub()
    call('identify', 'user-42', { role: 'admin' })
    call('group', 'acme', { plan: 'pro' })
    call('track', 'first', { n: 1 })
    await Promise.resolve() // the loader's import() is pending
    call('track', 'while_loading', { n: 2 })
    call('page', 'Home')
    const api = fakeApi()
    bootIt(api)
    call('track', 'after_boot', { n: 3 })
    await call('flush')
    expect(names(api.events())).toEqual(['$login', 'identify', 'group', 'first', 'while_loading', 'page', 'after_boot'])
    expect(api.events()[3]).toMatchObject({ userId: 'user-42', accountId: 'acme', properties: { n: 1 } })
  })

  it('BT02 boot replaces window.jornada with the dispatcher; a kept reference to the stub still works', async () => {
    pasteStub()
    const kept = w.jornada!
    const api = fakeApi()
    bootIt(api)
    expect(w.jornada).not.toBe(kept)
    kept('track', 'through_old_stub')
    await call('flush')
    expect(names(api.events())).toContain('through_old_stub')
  })

  it('BT03 unknown methods are ignored, with a debug log only in debug mode', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    pasteStub()
    call('nonsense')
    const api = fakeApi()
    bootIt(api, true)
    expect(() => call('whatever', 1)).not.toThrow()
    expect(() => call(42)).not.toThrow()
    expect(log.mock.calls.some((c) => c[0] === '[jornada]' && c.includes('nonsense'))).toBe(true)
    expect(log.mock.calls.some((c) => c[0] === '[jornada]' && c.includes('whatever'))).toBe(true)
  })

  it('BT04 no console output without debug', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation(() => {}),
    )
    pasteStub()
    call('show')
    call('track', 'renewed')
    const api = fakeApi()
    bootIt(api)
    call('track', 42)
    call('identify')
    await call('flush')
    for (const s of spies) expect(s).not.toHaveBeenCalled()
  })

  it('BT05 through the dispatcher, on() returns the unsubscribe function and flush() a promise', async () => {
    const api = fakeApi()
    bootIt(api)
    const seen: string[] = []
    const off = call('on', 'track', (e: WireEvent) => seen.push(e.event!)) as () => void
    call('track', 'a')
    await call('flush')
    off()
    call('track', 'b')
    await call('flush')
    expect(seen).toEqual(['$login', 'a'])
    expect(names(api.events())).toEqual(['$login', 'a', 'b'])
  })

  it('BT06 a second boot (script included twice) keeps the first instance', () => {
    const api = fakeApi()
    const first = bootIt(api)
    const d = w.jornada
    expect(bootIt(api)).toBe(first)
    expect(w.jornada).toBe(d)
  })

  it('BT07 boot without a stub on the page works too', async () => {
    const api = fakeApi()
    bootIt(api)
    call('track', 'a')
    await call('flush')
    expect(names(api.events())).toEqual(['$login', 'a'])
  })
})
