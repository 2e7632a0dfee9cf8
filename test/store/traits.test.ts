import { describe, expect, it } from 'vitest'
import { mergeStamped, mergeTraits, plainTraits } from '../../server/store/traits'

describe('mergeTraits (journey.md, "Entities": traits merge in timestamp order)', () => {
  const cases: [string, Parameters<typeof mergeTraits>, ReturnType<typeof mergeTraits>][] = [
    ['TR01 into nothing: every key, stamped', [null, { plan: 'pro' }, 10], { plan: { v: 'pro', t: 10 } }],
    [
      'TR02 a later value overwrites that key',
      [{ plan: { v: 'free', t: 5 } }, { plan: 'pro' }, 10],
      { plan: { v: 'pro', t: 10 } },
    ],
    [
      'TR03 an earlier value never overwrites a later one',
      [{ plan: { v: 'pro', t: 10 } }, { plan: 'free' }, 5],
      { plan: { v: 'pro', t: 10 } },
    ],
    [
      'TR04 an absent key is left as it was',
      [{ a: { v: 1, t: 10 } }, { b: 2 }, 5],
      { a: { v: 1, t: 10 }, b: { v: 2, t: 5 } },
    ],
    ['TR05 the same timestamp: the later call wins', [{ a: { v: 1, t: 10 } }, { a: 2 }, 10], { a: { v: 2, t: 10 } }],
    [
      'TR06 null is a value, undefined is absent',
      [{ a: { v: 1, t: 1 }, b: { v: 1, t: 1 } }, { a: null, b: undefined }, 2],
      { a: { v: null, t: 2 }, b: { v: 1, t: 1 } },
    ],
    ['TR07 no traits: nothing changes', [{ a: { v: 1, t: 1 } }, null, 2], { a: { v: 1, t: 1 } }],
  ]
  it.each(cases)('%s', (_name, args, expected) => {
    expect(mergeTraits(...args)).toEqual(expected)
  })

  it('TR08 does not mutate its inputs', () => {
    const cur = { a: { v: 1, t: 1 } }
    const inc = { a: 2 }
    mergeTraits(cur, inc, 5)
    expect(cur).toEqual({ a: { v: 1, t: 1 } })
    expect(inc).toEqual({ a: 2 })
  })

  it('TR09 a "__proto__" trait is an ordinary key, not a prototype change', () => {
    const merged = mergeTraits(null, JSON.parse('{"__proto__": {"polluted": true}}'), 1)
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype)
    expect(Object.keys(merged)).toEqual(['__proto__'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('TR10 mergeStamped applies the same rule to two stamped maps, whatever their order', () => {
    const x = { a: { v: 1, t: 5 }, b: { v: 1, t: 1 } }
    const y = { a: { v: 2, t: 3 }, c: { v: 3, t: 9 } }
    expect(mergeStamped(x, y)).toEqual({ a: { v: 1, t: 5 }, b: { v: 1, t: 1 }, c: { v: 3, t: 9 } })
    expect(mergeStamped(y, x)).toEqual(mergeStamped(x, y))
  })

  it('TR11 plainTraits drops the timestamps', () => {
    expect(plainTraits({ a: { v: 1, t: 5 }, b: { v: null, t: 1 } })).toEqual({ a: 1, b: null })
  })
})
