import { readFile } from 'node:fs/promises'
import { expect, it } from 'vitest'
import { defaultConfig } from '../../server/journey/config'
import { configEventNames, FIXED_FACT_NAMES, isFactName } from '../../server/store/fact-names'

/**
 * Fact names added after migration 003 (a migration never changes once released). Events of these
 * names stored before their addition were not facts; none existed: `detractor` is derived by the
 * server from then on, `guide_target_missing` came with the UI that sends it.
 */
const ADDED_AFTER_003 = ['detractor', 'guide_target_missing']

it("FN01 fact names: migration 003 kept FIXED_FACT_NAMES of its time (today's minus later ones)", async () => {
  const sql = await readFile(new URL('../../server/store/migrations/003_fact_names.sql', import.meta.url), 'utf8')
  const list = sql.slice(sql.indexOf('NOT IN ('), sql.indexOf(')', sql.indexOf('NOT IN (')))
  const now = [...FIXED_FACT_NAMES].filter((n) => !ADDED_AFTER_003.includes(n))
  expect([...list.matchAll(/'([^']+)'/g)].map((m) => m[1]).sort()).toEqual(now.sort())
  for (const n of ADDED_AFTER_003) expect(FIXED_FACT_NAMES.has(n), n).toBe(true)
})

it('FN02 fact names: reserved, engagement and default-config names; not activity or product events', () => {
  for (const n of [
    'nps_response',
    'renewal_notice_sent',
    'experience_anything',
    'checklist_item_clicked',
    'setup_help_done',
    'value_email_sent',
  ]) {
    expect(isFactName(n), n).toBe(true)
  }
  for (const n of ['$login', '$page', 'feature_used', 'report_generated']) expect(isFactName(n), n).toBe(false)
  expect(isFactName('report_generated', configEventNames({ value: { minutesSaved: { report_generated: 3 } } }))).toBe(
    true,
  )
  expect(isFactName('feature_used', configEventNames({ moments: { kickoff: { events: ['feature_used'] } } }))).toBe(
    false,
  )
  // Every name the default config refers to, in any segment.
  const names = new Set<string>()
  const walk = (v: unknown, key = ''): void => {
    if (Array.isArray(v))
      for (const x of v) {
        if (typeof x === 'string' && /events|deliveredBy/i.test(key)) names.add(x)
        else walk(x, key)
      }
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) walk(x, k === 'events' && !Array.isArray(x) ? 'eventsMap' : k)
    else if (typeof v === 'string' && key === 'eventsMap') names.add(v)
  }
  walk(defaultConfig)
  for (const n of names) expect(isFactName(n), n).toBe(true)
})
