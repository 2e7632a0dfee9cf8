import { describe, expect, it } from 'vitest'
import { backoff } from '../../sdk/core/backoff'

describe('backoff', () => {
  it('B01 first retry waits between minTimeout and twice it (jitter in [1, 2))', () => {
    expect(backoff({ attempt: 0, random: () => 0 })).toBe(500)
    expect(backoff({ attempt: 0, random: () => 0.999 })).toBeLessThanOrEqual(1000)
    expect(backoff({ attempt: 0, random: () => 0.5 })).toBe(750)
  })

  it('B02 grows by factor per attempt', () => {
    const r = () => 0
    expect([0, 1, 2, 3, 4].map((attempt) => backoff({ attempt, random: r }))).toEqual([500, 1000, 2000, 4000, 8000])
    expect(backoff({ attempt: 2, factor: 3, minTimeout: 100, random: r })).toBe(900)
  })

  it('B03 never exceeds maxTimeout (default 60 s), whatever the attempt and jitter', () => {
    for (const attempt of [7, 10, 50, 1000]) {
      expect(backoff({ attempt, random: () => 0.999 })).toBe(60_000)
    }
    expect(backoff({ attempt: 5, maxTimeout: 3000, random: () => 0.5 })).toBe(3000)
  })

  it('B04 jitter comes from the injected random, within bounds for any value in [0, 1)', () => {
    for (let i = 0; i < 50; i++) {
      const v = i / 50
      const d = backoff({ attempt: 3, random: () => v })
      expect(d).toBeGreaterThanOrEqual(4000)
      expect(d).toBeLessThan(8000)
    }
    expect(backoff({ attempt: 3, random: () => 0.25 })).not.toBe(backoff({ attempt: 3, random: () => 0.75 }))
  })
})
