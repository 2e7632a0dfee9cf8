import { describe, expect, it } from 'vitest'
import { generateKey, KEY_RANDOM_CHARS } from '../../server/key-generator'

describe('keys', () => {
  it('keys: a write key is pk_ and a secret key sk_, then at least 24 random base62 characters', () => {
    expect(KEY_RANDOM_CHARS).toBeGreaterThanOrEqual(24)
    expect(generateKey('write')).toMatch(new RegExp(`^pk_[0-9A-Za-z]{${KEY_RANDOM_CHARS}}$`))
    expect(generateKey('secret')).toMatch(new RegExp(`^sk_[0-9A-Za-z]{${KEY_RANDOM_CHARS}}$`))
  })

  it('keys: 1,000 keys are all different', () => {
    expect(new Set(Array.from({ length: 1000 }, () => generateKey('write'))).size).toBe(1000)
  })
})
