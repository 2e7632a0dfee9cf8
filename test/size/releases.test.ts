/**
 * What a release leaves in dist/sdk (sdk/build.ts, `pruneBuilds`): its own files and the previous
 * release's hashed ones, so that a page loaded before the release, whose core names the old UI,
 * still finds it; nothing older. And builds are production builds wherever they start.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { productionBuild, pruneBuilds } from '../../sdk/build'
import type { SdkManifest } from '../../server/http/static-headers'

/** A release's manifest: the loader at its stable name, the core and two UI files hashed with `h`. */
const release = (h: string): SdkManifest => ({
  'jornada.js': 'jornada.js',
  'jornada.core.mjs': `jornada.core.${h}.mjs`,
  'jornada.ui.mjs': `jornada.ui.${h}.mjs`,
  'jornada.ui.checklist.mjs': `jornada.ui.checklist.${h}.mjs`,
})
const hashed = (m: SdkManifest) => Object.values(m).filter((f) => f !== 'jornada.js')

let dir = ''
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** Writes a release's files, each with its compressed copies, as the build does. */
function write(m: SdkManifest): void {
  for (const f of [...Object.values(m), 'jornada.core.mjs', 'jornada.ui.mjs', 'manifest.json'])
    for (const name of [f, `${f}.br`, `${f}.gz`]) writeFileSync(join(dir, name), f)
}

describe('SDK builds: releases in dist/sdk, production builds', () => {
  it("Z24 a release keeps the previous release's hashed files and their copies, and removes older ones", () => {
    dir = mkdtempSync(join(tmpdir(), 'jornada-releases-'))
    const [oldest, previous, current] = [release('AAAAAA'), release('BBBBBB'), release('CCCCCC')]
    for (const m of [oldest, previous, current]) write(m)
    writeFileSync(join(dir, 'jornada.ui.guide.ZZZZZZ.mjs'), 'a file no release names')

    pruneBuilds(dir, [current, previous])

    const left = new Set(readdirSync(dir))
    for (const f of [...hashed(current), ...hashed(previous)])
      for (const name of [f, `${f}.br`, `${f}.gz`]) expect(left, name).toContain(name)
    for (const f of ['jornada.js', 'jornada.core.mjs', 'jornada.ui.mjs', 'manifest.json']) expect(left).toContain(f)
    for (const f of hashed(oldest)) for (const name of [f, `${f}.br`, `${f}.gz`]) expect(left).not.toContain(name)
    expect(existsSync(join(dir, 'jornada.ui.guide.ZZZZZZ.mjs'))).toBe(false)
  })

  it('Z25 the first release, with no previous one, keeps only its own files', () => {
    dir = mkdtempSync(join(tmpdir(), 'jornada-releases-'))
    const [stray, current] = [release('AAAAAA'), release('CCCCCC')]
    for (const m of [stray, current]) write(m)
    pruneBuilds(dir, [current])
    const left = readdirSync(dir)
    expect(left.filter((f) => f.includes('AAAAAA'))).toEqual([])
    expect(left.filter((f) => f.includes('CCCCCC'))).toHaveLength(hashed(current).length * 3)
  })

  it("Z26 a build started inside the tests is a production one, and the tests' NODE_ENV is put back", async () => {
    expect(process.env.NODE_ENV).toBe('test')
    expect(await productionBuild(async () => process.env.NODE_ENV)).toBe('production')
    expect(process.env.NODE_ENV).toBe('test')
    await expect(productionBuild(() => Promise.reject(new Error('a failed build')))).rejects.toThrow('a failed build')
    expect(process.env.NODE_ENV).toBe('test')
  })
})
