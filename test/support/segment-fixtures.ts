import { readFileSync } from 'node:fs'

/** Where the requests Segment's browser library sent in Chromium are kept (README.md there says how). */
export const SEGMENT_FIXTURES = 'test/fixtures/segment-browser'

/** A fixture file: the ingest requests of one delivery mode, as analytics.js 2.0 sent them. */
export interface SegmentFixture {
  /** The library and its version, as pinned in package.json. */
  library: string
  mode: 'one-at-a-time' | 'batching'
  /** The write key of the capture (in each body and in the Basic auth). */
  writeKey: string
  /** The host page's origin. */
  origin: string
  requests: { path: string; headers: Record<string, string>; body: string }[]
}

export const readSegmentFixture = (mode: SegmentFixture['mode']): SegmentFixture =>
  JSON.parse(readFileSync(`${SEGMENT_FIXTURES}/${mode}.json`, 'utf8')) as SegmentFixture
