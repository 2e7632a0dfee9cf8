import { describe, expect, it } from 'vitest'
import type { AccountFacts } from '../../server/journey'
import { journeyState } from '../../server/journey'
import { account, at, config, DAY, defaultConfig, prng, START } from './builders'
import { randomFacts } from './random'

const cfg = defaultConfig

/** Paths of the numbers in `v` that are NaN or ±Infinity, and of values JSON cannot carry. */
function nonFinite(v: unknown, path = '$'): string[] {
  if (typeof v === 'number') return Number.isFinite(v) ? [] : [`${path} = ${v}`]
  if (v === undefined || typeof v === 'function' || typeof v === 'bigint' || typeof v === 'symbol')
    return [`${path}: ${typeof v}`]
  if (Array.isArray(v)) return v.flatMap((x, i) => nonFinite(x, `${path}[${i}]`))
  if (v !== null && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => nonFinite(x, `${path}.${k}`))
  return []
}

describe('robustness (ARCHITECTURE.md: the engine is pure and never throws on odd data; journey.md: "Same inputs, same output", "Entities": segment "`enterprise` | `mid_market` | `smb`, default `smb`", traits "merge in timestamp order: a later value overwrites that key, an absent key is left as it was", "Only events with `timestamp <= at` exist for a state computed at `at`"; "Renewal timeline")', () => {
  it('X01 days and fact events after `at` are ignored even when the facts carry them', () => {
    const b = account().logins([1, 2, 3]).login(20).fact('setup_completed', 20).fact('churned', 25).nps(21, 'u1', 0)
    const all = journeyState(cfg, b.build(), at(10))
    const cut = journeyState(cfg, b.buildAt(at(10)), at(10))
    expect(all).toEqual(cut)
    expect(all.phase.id).toBe('onboarding')
    expect(all.redFlags.map((f) => f.id)).toContain('setup_late')
  })

  it('X02 journeyState is a pure function, and the input is not changed', () => {
    const f = account().logins([1, 5]).nps(4, 'u1', 9).build()
    const copy = structuredClone(f)
    expect(journeyState(cfg, f, at(9))).toEqual(journeyState(cfg, f, at(9)))
    expect(f).toEqual(copy)
  })

  it.each([
    ['enterprise', 'enterprise'],
    ['Mid-Market', 'mid_market'],
    ['MID_MARKET', 'mid_market'],
    ['galactic', 'smb'],
    [undefined, 'smb'],
    [42, 'smb'],
  ])('X03 segment trait %j → %s', (v, segment) => {
    expect(journeyState(cfg, account().traits({ segment: v }).build(), at(3)).segment).toBe(segment)
  })

  it('X04 the engine uses `traits` as given (the store merged them in timestamp order)', () => {
    const f = account().traits({ segment: 'enterprise', seats: 3, renewalDate: '2027-01-01' }).build()
    const s = journeyState(cfg, f, at(3))
    expect(s.segment).toBe('enterprise')
    expect(s.renewal.renewalDate).toBe('2027-01-01T00:00:00.000Z')
  })

  it('X05 journeyState is total: odd facts of wrong types everywhere never throw', () => {
    const odd = {
      accountId: 7,
      traits: { contractStart: {}, seats: 'NaN', segment: null, renewalDate: Number.NaN },
      firstEventAt: 'yesterday',
      users: [null, { userId: 3 }, { userId: 'u1', traits: null }, 'x'],
      days: [
        null,
        { date: 'x' },
        { date: START + DAY, users: 'all', features: [1, 'a'], counts: null },
        { date: START + 2 * DAY, users: [{ userId: 'u1', logins: '2', events: Number.NaN }] },
      ],
      facts: [
        null,
        { name: 3 },
        { name: 'nps_response', at: 'x' },
        { name: 'nps_response', at: START, userId: 'u1', properties: null },
        { name: 'usage_limit', at: START, properties: { used: 'lots', limit: 0 } },
      ],
      workspaceFeatures: 'all',
      override: { phase: 5 },
    } as unknown as AccountFacts
    const s = journeyState(cfg, odd, START + 5 * DAY)
    expect(s.segment).toBe('smb')
    expect(s.health.score).toBeGreaterThanOrEqual(0)
    expect(() => journeyState(cfg, {} as AccountFacts, START)).not.toThrow()
    expect(() => journeyState(cfg, null as unknown as AccountFacts, START)).not.toThrow()
    expect(() => journeyState(cfg, odd, Number.NaN)).not.toThrow()
  })

  it('X06 property, 500 random accounts: no throw, health 0..100 summing, JSON round trip lossless', () => {
    const rnd = prng(42)
    const configs = [
      cfg,
      config({ features: [{ id: 'a', core: true }, { id: 'b' }] }),
      config({
        health: { weights: { adoption: 0.9, trend: 0, milestones: 0.01, nps: 0.03, support: 0.05, sponsor: 0.01 } },
      }),
    ]
    for (let i = 0; i < 500; i++) {
      const f = randomFacts(rnd)
      const t = START + Math.floor(rnd() * 450) * DAY + Math.floor(rnd() * DAY)
      const s = journeyState(configs[i % configs.length]!, f, t)
      expect(s.health.score).toBeGreaterThanOrEqual(0)
      expect(s.health.score).toBeLessThanOrEqual(100)
      expect(Number.isInteger(s.health.score)).toBe(true)
      expect(s.health.components.reduce((a, c) => a + c.contribution, 0)).toBe(s.health.score)
      for (const c of s.health.components) expect(Number.isInteger(c.contribution)).toBe(true)
      // Serialisable: a JSON round trip gives the same state (toStrictEqual fails on undefined values, NaN and
      // Infinity (→ null), Dates (→ strings), Maps and Sets (→ {})), and no number in it is NaN or Infinity.
      expect(JSON.parse(JSON.stringify(s))).toStrictEqual(s)
      expect(nonFinite(s)).toEqual([])
    }
  })

  it('X07 property: random weights and values, contributions sum to the score rounded half up', async () => {
    const { largestRemainder } = await import('../../server/journey/health')
    const { roundHalfUp } = await import('../../server/journey/time')
    const rnd = prng(7)
    for (let i = 0; i < 2000; i++) {
      const n = 1 + Math.floor(rnd() * 6)
      const w = Array.from({ length: n }, () => rnd())
      const total = w.reduce((a, b) => a + b, 0) || 1
      const exact = w.map((x) => Math.round(rnd() * 100) * (x / total))
      const score = roundHalfUp(exact.reduce((a, b) => a + b, 0))
      const parts = largestRemainder(exact, score)
      expect(parts.reduce((a, b) => a + b, 0)).toBe(score)
      parts.forEach((p, k) => expect(Math.abs(p - exact[k]!)).toBeLessThan(1 + 1e-9))
    }
  })

  it("X08 property: phaseOf (the phase alone, for the journey map's past days) equals the state's", async () => {
    const { journeyContext, phaseOf } = await import('../../server/journey')
    const rnd = prng(8)
    for (let i = 0; i < 300; i++) {
      const f = randomFacts(rnd)
      const t = START + Math.floor(rnd() * 500 - 20) * DAY + Math.floor(rnd() * DAY)
      expect(phaseOf(journeyContext(cfg, f, t))).toEqual(journeyState(cfg, f, t).phase)
    }
  })
  it('X09 nonFinite (the X06 check) finds NaN, Infinity and undefined, with their paths', () => {
    expect(
      nonFinite({ a: 1, b: [0, Number.NaN], c: { d: Number.POSITIVE_INFINITY, e: undefined }, f: null, g: 'x' }),
    ).toEqual(['$.b[1] = NaN', '$.c.d = Infinity', '$.c.e: undefined'])
    const s = journeyState(cfg, account().login(1).build(), at(5))
    expect(() =>
      expect(JSON.parse(JSON.stringify({ ...s, day: Number.NaN }))).toStrictEqual({ ...s, day: Number.NaN }),
    ).toThrow()
    expect(() =>
      expect(JSON.parse(JSON.stringify({ ...s, extra: undefined }))).toStrictEqual({ ...s, extra: undefined }),
    ).toThrow()
    expect(() =>
      expect(JSON.parse(JSON.stringify({ ...s, when: new Date(0) }))).toStrictEqual({ ...s, when: new Date(0) }),
    ).toThrow()
  })

  const date = (d: number) => new Date(START + d * DAY).toISOString().slice(0, 10)
  it('X10 traits merge in timestamp order, whatever order the group calls arrive in', () => {
    const early = [5, { segment: 'smb', seats: 3, renewalDate: date(400) }] as const
    const late = [10, { segment: 'enterprise', renewalDate: date(300) }] as const
    const inOrder = account()
      .group(...early)
      .group(...late)
      .active(219, 'u1')
    const outOfOrder = account()
      .group(...late)
      .group(...early)
      .active(219, 'u1')
    const a = journeyState(cfg, inOrder.build(), at(220))
    expect(journeyState(cfg, outOfOrder.build(), at(220))).toEqual(a)
    // The later call's values: enterprise, renewal on day 300 (80 days: inside the enterprise window).
    expect(a.segment).toBe('enterprise')
    expect(a.renewal.daysToRenewal).toBe(80)
    expect(a.phase.id).toBe('renewal')
    // seats, absent from the later call, is left as the earlier call set it: 1 active user of 3 seats.
    expect(a.interventions.find((i) => i.situation === 'single_user')).toMatchObject({ channel: 'task', owner: 'csm' })
  })

  it('X11 a late group call and a renewed {renewalDate} merge in timestamp order, not arrival order', () => {
    // The CRM moved the date on day 100, after the renewed event of day 95 — sent late, or first.
    const late = account()
      .fact('renewed', 95, { renewalDate: date(465) })
      .group(100, { renewalDate: date(500) })
    const first = account()
      .group(100, { renewalDate: date(500) })
      .fact('renewed', 95, { renewalDate: date(465) })
    expect(journeyState(cfg, late.build(), at(120)).renewal.daysToRenewal).toBe(380)
    expect(journeyState(cfg, first.build(), at(120)).renewal.daysToRenewal).toBe(380)
    // A group call dated before the event, arriving after it, does not undo the event's date.
    const older = account()
      .fact('renewed', 95, { renewalDate: date(465) })
      .group(90, { renewalDate: date(500) })
    expect(journeyState(cfg, older.build(), at(120)).renewal.daysToRenewal).toBe(345)
  })
})
