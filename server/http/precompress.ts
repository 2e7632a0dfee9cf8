/**
 * A Vite plugin for the SDK's and the console's builds: beside every file a browser loads it writes
 * the same file compressed, `.br` (brotli, best quality) and `.gz` (gzip, level 9), so the server
 * sends the smallest one the browser accepts without compressing per request
 * (server/serve.ts, `precompressed`). Compressed once at build, at the best levels: a server
 * compressing per request could not afford them. And `productionBuild`, which both builds run in.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import type { Plugin } from 'vite'

/** What is worth compressing: text. */
const COMPRESSIBLE = /\.(m?js|css|html|svg|json)$/

/** The compressed variants' suffixes, in the server's order of preference. */
export const COMPRESSED_SUFFIXES = ['.br', '.gz'] as const

/** True for a file the build wrote compressed (`x.mjs.br`): not a file of its own. */
export const isCompressedCopy = (file: string) => COMPRESSED_SUFFIXES.some((s) => file.endsWith(s))

export function brotli(buf: Buffer): Buffer {
  return brotliCompressSync(buf, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    },
  })
}

export const gzip = (buf: Buffer): Buffer => gzipSync(buf, { level: 9 })

export function precompress(): Plugin {
  return {
    name: 'jornada-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      const dir = options.dir ?? ''
      for (const file of Object.keys(bundle)) {
        if (!COMPRESSIBLE.test(file)) continue
        const path = join(dir, file)
        const buf = readFileSync(path)
        writeFileSync(`${path}.br`, brotli(buf))
        writeFileSync(`${path}.gz`, gzip(buf))
      }
    },
  }
}

/**
 * Runs a Vite build (the SDK's, the console's) as a production one. Vite builds for NODE_ENV when
 * it is set (its `development` export conditions: Preact's hydration code, 582 B more in the UI's
 * base), and vitest sets it to `test`: a build a test starts would fail the size test. NODE_ENV is
 * put back afterwards.
 */
export async function productionBuild<T>(run: () => Promise<T>): Promise<T> {
  const nodeEnv = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  try {
    return await run()
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV
    else process.env.NODE_ENV = nodeEnv
  }
}
