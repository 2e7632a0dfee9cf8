import { describe, expect, it } from 'vitest'
import { configFor, defaultConfig, parseConfig } from '../../server/journey'

const issues = (doc: unknown) => {
  const r = parseConfig(doc)
  return r.ok ? [] : r.issues
}
const paths = (doc: unknown) => issues(doc).map((i) => i.path)

describe('config (journey.md "The config document": "every key is optional and is merged over the defaults above (a segment\'s block over the workspace\'s)", "naming every wrong field"; the defaults and the touch model table of journey.md; "Locales: pt-BR and en at least"; seed lines 19 "(0-30d) (30-90d) (90d+)", 56-59, 169, 176, 192-198, 247 "Case study, palestras", 280 "Train x2", 301 "90 dias antes", 308 "Bimestral", 309 "QBR semestral", 310 "60 dias antes", 319 "Auto-renewal")', () => {
  it('C01 every key is optional: an empty document (or none) is the defaults of journey.md', () => {
    for (const doc of [{}, undefined, null]) {
      const r = parseConfig(doc)
      expect(r.ok).toBe(true)
      if (r.ok) expect(r.config).toEqual(defaultConfig)
    }
  })

  it("C02 journey.md's example document is valid and merged over the defaults", () => {
    const r = parseConfig({
      features: [{ id: 'reports', name: 'Reports', core: true }, { id: 'alerts' }],
      value: {
        minutesSaved: { report_generated: 15 },
        metrics: [{ id: 'conversion_rate', label: 'conversion rate', better: 'higher' }],
        hourlyRate: 40,
        pricePerMonth: 300,
        currency: 'USD',
      },
      segments: { enterprise: { renewalWindowDays: 90 } },
      guides: [{ id: 'reports-tour', feature: 'reports', steps: [{ selector: '#new-report', title: '…', body: '…' }] }],
    })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.config.features).toHaveLength(2)
    expect(r.config.guides[0]!.id).toBe('reports-tour')
    expect(r.config.health.weights.adoption).toBe(0.35)
    expect(configFor(r.config, 'enterprise').touch).toBe('high') // the default enterprise block is kept
  })

  it('C03 every wrong field is named with a dotted path', () => {
    expect(
      issues({
        health: { weights: { nps: 'x' }, bands: { green: 120 } },
        milestones: { setup: { window: [3] } },
        features: [{ id: '' }],
        segments: { smb: { renewalWindowDays: -1 }, galactic: {} },
        guides: [{ id: 'g', steps: [] }],
        typo: 1,
      })
        .map((i) => i.path)
        .sort(),
    ).toEqual(
      [
        'features.0.id',
        'guides.0.steps',
        'health.bands.green',
        'health.weights.nps',
        'milestones.setup.window',
        'segments.galactic',
        'segments.smb.renewalWindowDays',
        'typo',
      ].sort(),
    )
  })

  it('C04 cross-field rules: window end before start, all weights 0, yellow above green, duplicate ids', () => {
    expect(paths({ milestones: { kickoff: { window: [3, 1] } } })).toEqual(['milestones.kickoff.window'])
    expect(
      paths({ health: { weights: { adoption: 0, trend: 0, milestones: 0, nps: 0, support: 0, sponsor: 0 } } }),
    ).toEqual(['health.weights'])
    expect(paths({ health: { bands: { yellow: 85 } } })).toEqual(['health.bands.yellow'])
    expect(paths({ features: [{ id: 'a' }, { id: 'a' }] })).toEqual(['features.1.id'])
    expect(paths({ segments: { enterprise: { milestones: { setup: { window: [9, 2] } } } } })).toEqual([
      'segments.enterprise.milestones.setup.window',
    ])
  })

  it("C12 all wrong fields at once: type errors hide no cross-field one, the root's hide no segment's", () => {
    expect(paths({ milestones: { kickoff: { window: [3, 1] } }, health: { weights: { nps: 'x' } } }).sort()).toEqual([
      'health.weights.nps',
      'milestones.kickoff.window',
    ])
    expect(
      paths({
        health: { bands: { yellow: 85 } },
        segments: { enterprise: { milestones: { setup: { window: [9, 2] } } } },
      }).sort(),
    ).toEqual(['health.bands.yellow', 'segments.enterprise.milestones.setup.window'])
    expect(
      paths({
        typo: 1,
        segments: { smb: { renewalWindowDays: 'soon', milestones: { setup: { window: [9, 2] } } } },
      }).sort(),
    ).toEqual(['segments.smb.milestones.setup.window', 'segments.smb.renewalWindowDays', 'typo'])
  })

  it("C05 segments: renewalWindowDays 90/60/30 by default; a segment's block over the workspace's", () => {
    expect(configFor(defaultConfig, 'enterprise').renewalWindowDays).toBe(90)
    expect(configFor(defaultConfig, 'mid_market').renewalWindowDays).toBe(60)
    expect(configFor(defaultConfig, 'smb').renewalWindowDays).toBe(30)
    const r = parseConfig({
      segments: { smb: { renewalWindowDays: 14 }, mid_market: { health: { weights: { nps: 0.5 } } } },
    })
    if (!r.ok) throw new Error('expected ok')
    expect(configFor(r.config, 'smb').renewalWindowDays).toBe(14)
    expect(configFor(r.config, 'mid_market').health.weights).toEqual({ ...defaultConfig.health.weights, nps: 0.5 })
    expect(configFor(r.config, 'mid_market').renewalWindowDays).toBe(60)
  })

  it('C06 merge: objects key by key (milestones.setup.events), arrays replace (health.support)', () => {
    const r = parseConfig({ milestones: { setup: { events: ['configured'] } }, health: { support: [100, 50] } })
    if (!r.ok) throw new Error('expected ok')
    expect(r.config.milestones.setup).toEqual({ window: [3, 7], events: ['configured'] })
    expect(r.config.health.support).toEqual([100, 50])
  })

  it('C07 config document: one JSON object per workspace — a document that is not an object is refused', () => {
    expect(parseConfig('{}').ok).toBe(false)
    expect(parseConfig([1]).ok).toBe(false)
  })

  it('C09 guides steps selector: one string or a list of 1-10, trimmed; `text` trimmed; bad ones named', () => {
    const steps = (...s: unknown[]) => ({
      guides: [{ id: 'g', steps: s.map((x) => ({ title: 't', body: 'b', ...(x as object) })) }],
    })
    const r = parseConfig(steps({ selector: '#a' }, { selector: [' #old-id ', '.new-class'], text: '  Export ' }))
    expect(r.ok).toBe(true)
    if (r.ok)
      expect(r.config.guides[0]!.steps.map((s) => [s.selector, s.text])).toEqual([
        ['#a', undefined],
        [['#old-id', '.new-class'], 'Export'],
      ])
    expect(paths(steps({ kind: 'modal' }, { selector: [] }))).toEqual(['guides.0.steps.1.selector'])
    expect(paths(steps({ kind: 'modal' }, { selector: ['#a', ''] }))).toEqual(['guides.0.steps.1.selector.1'])
    expect(issues(steps({ kind: 'modal' }, { selector: ['#a', 3] }))).toEqual([
      { path: 'guides.0.steps.1.selector', message: 'expected a CSS selector or a list of 1 to 10' },
    ])
    expect(paths(steps({ selector: Array.from({ length: 11 }, (_, i) => `#s${i}`) }))).toEqual([
      'guides.0.steps.0.selector',
    ])
    expect(paths(steps({ selector: '#a', text: '   ' }))).toEqual(['guides.0.steps.0.text'])
  })

  it('C10 guides steps: a tooltip step still needs a selector when text is given', () => {
    expect(
      paths({ guides: [{ id: 'g', steps: [{ kind: 'tooltip', text: 'Export', title: 't', body: 'b' }] }] }),
    ).toEqual(['guides.0.steps.0.selector'])
  })

  it('C11 value.metrics label: one string or one per locale; an empty or unknown-locale one is named', () => {
    const metric = (label: unknown) => ({ value: { metrics: [{ id: 'conversion_rate', label, better: 'higher' }] } })
    const r = parseConfig(metric({ en: 'conversion rate', 'pt-BR': 'taxa de conversão' }))
    expect(r.ok).toBe(true)
    if (r.ok) expect(r.config.value.metrics[0]!.label).toEqual({ en: 'conversion rate', 'pt-BR': 'taxa de conversão' })
    expect(parseConfig(metric('conversion rate')).ok).toBe(true)
    expect(paths(metric(''))[0]).toMatch(/^value\.metrics\.0\.label/)
    expect(paths(metric({ fr: 'taux de conversion' }))[0]).toMatch(/^value\.metrics\.0\.label/)
    expect(paths(metric({ en: '' }))[0]).toMatch(/^value\.metrics\.0\.label/)
  })

  it('C08 config document parsing does not change the defaults (journey.md "merged over the defaults")', () => {
    const before = JSON.stringify(defaultConfig)
    parseConfig({ health: { weights: { nps: 0.9 } }, segments: { enterprise: { renewalWindowDays: 7 } } })
    expect(JSON.stringify(defaultConfig)).toBe(before)
  })
  const get = (o: unknown, path: string): unknown =>
    path.split('.').reduce<unknown>((x, k) => (x as Record<string, unknown>)[k], o)
  it.each([
    ['smb', 'renewalWindowDays', 'Phases rule 2, smb 30 (default)', 30],
    ['enterprise', 'renewalWindowDays', 'Phases rule 2 (seed line 301)', 90],
    ['mid_market', 'renewalWindowDays', 'Phases rule 2 (seed line 310)', 60],
    [
      'smb',
      'phases',
      'Phases rules 3-5 (seed line 19)',
      { onboardingDays: 30, adoptionDays: 90, advocacyAfterRenewalDays: 90 },
    ],
    ['smb', 'redFlags.setup_late.afterDay', 'day > 7 (seed line 56)', 7],
    ['smb', 'redFlags.no_login', 'seed line 57', { days: 3, fromDay: 3 }],
    ['smb', 'redFlags.kickoff_rescheduled.min', 'seed line 58', 2],
    ['smb', 'redFlags.training_no_show.min', 'seed line 59', 1],
    [
      'smb',
      'redFlags.usage_declining',
      'Red flags',
      { fromDay: 28, periodDays: 14, ratio: 0.7, minActiveDaysBefore: 4 },
    ],
    [
      'smb',
      'health.weights',
      'Health score',
      { adoption: 0.35, trend: 0.15, milestones: 0.15, nps: 0.2, support: 0.1, sponsor: 0.05 },
    ],
    ['smb', 'health.adoption', 'Health score', { none: 0, basic: 40, regular: 75, power: 100 }],
    ['smb', 'health.support', 'Health score', [100, 70, 40, 10]],
    ['smb', 'health.bands', 'seed lines 169, 176', { green: 80, yellow: 60 }],
    ['smb', 'nps.windowDays', 'NPS', 180],
    ['smb', 'expansion.minSignals', 'Expansion readiness', 3],
    ['smb', 'expansion.moreUsersSeatShare', 'Opportunities', 0.9],
    ['smb', 'expansion.nearLimitShare', 'Expansion readiness', 0.8],
    ['smb', 'advocacy.marketingEvents', 'seed line 247', ['case_study_done', 'speaking_done', 'advisory_board_joined']],
    [
      'enterprise',
      'renewal.tasks',
      'seed lines 192-198',
      [
        ['start_renewal', -90],
        ['renewal_qbr', -60],
        ['proposal_sent', -45],
        ['negotiation', -30],
        ['contract_sent', -14],
        ['final_follow_up', -7],
        ['renewal_or_churn', 0],
      ],
    ],
    [
      'smb',
      'renewal.tasks',
      'seed line 319',
      [
        ['renewal_notice', -30],
        ['renewal_or_churn', 0],
      ],
    ],
  ] as const)('C13 default of journey.md: %s %s (%s)', (segment, path, _why, want) => {
    let got = get(configFor(defaultConfig, segment), path)
    if (path === 'renewal.tasks') got = (got as { id: string; offset: number }[]).map((t) => [t.id, t.offset])
    expect(got).toEqual(want)
  })

  it.each([
    ['welcome_email', 'tech', 'email', 'system', { days: [0] }],
    ['access_granted', 'tech', 'in_app', 'product', { days: [0] }],
    ['kickoff_call', 'mid', 'meeting', 'csm', { days: [1] }],
    ['setup_help', 'mid', 'call', 'csm', { days: [3] }],
    ['training', 'mid', 'meeting', 'csm', { days: [14] }],
    ['onboarding_emails', 'tech', 'email', 'marketing', { days: [1, 3, 7, 14, 21] }],
    ['check_in', 'mid', 'call', 'csm', { days: [21] }],
    ['health_check', 'mid', 'meeting', 'csm', { days: [30] }],
    ['monthly_check_in', 'mid', 'call', 'csm', { every: 30, from: 30 }],
    ['in_app_guides', 'tech', 'in_app', 'product', { trigger: 'interventions' }],
    ['value_email', 'tech', 'email', 'marketing', { every: 30, from: 90 }],
    ['qbr', 'mid', 'meeting', 'csm', { every: 90, from: 90 }],
    ['expansion_call', 'mid', 'call', 'csm', { trigger: 'expansion_ready' }],
    ['advocacy_ask', 'tech', 'in_app', 'product', { trigger: 'advocacy' }],
  ] as const)('C14 plan %s: %s, %s, %s, %j', (id, level, channel, owner, when) => {
    expect(defaultConfig.touchpoints.plan[id]).toMatchObject({ level, channel, owner, ...when })
  })

  it('C15 plan per segment: enterprise trains on days 14 and 21; mid_market every 60 days, QBR 180', () => {
    expect(configFor(defaultConfig, 'enterprise').touchpoints.plan.training.days).toEqual([14, 21])
    expect(configFor(defaultConfig, 'mid_market').touchpoints.plan.monthly_check_in.every).toBe(60)
    expect(configFor(defaultConfig, 'mid_market').touchpoints.plan.qbr.every).toBe(180)
    expect(configFor(defaultConfig, 'enterprise').touchpoints.plan.qbr.every).toBe(90)
    expect([
      configFor(defaultConfig, 'enterprise').touch,
      configFor(defaultConfig, 'mid_market').touch,
      configFor(defaultConfig, 'smb').touch,
    ]).toEqual(['high', 'mid', 'tech'])
  })
})

describe('config text and shape the database can store (journey.md "The config document": "validated …, naming every wrong field")', () => {
  /** `depth` levels of `wrap` around an empty array, built without recursion. */
  const nested = (depth: number, wrap: (v: unknown) => unknown): unknown => {
    let v: unknown = []
    for (let i = 0; i < depth; i++) v = wrap(v)
    return v
  }

  it('C16 U+0000 in a string or a key is an issue at its path; other wrong fields are still named', () => {
    expect(
      issues({ features: [{ id: 'rep\u0000orts' }], health: { weights: { nps: 'x' } } })
        .map((i) => i.path)
        .sort(),
    ).toEqual(['features.0.id', 'health.weights.nps'])
    expect(issues({ features: [{ id: 'a\u0000' }] })[0]!.message).toMatch(/U\+0000/)
    expect(paths({ segments: { smb: { value: { minutesSaved: { 'report\u0000': 5 } } } } })).toEqual([
      'segments.smb.value.minutesSaved.report\\u0000',
    ])
  })

  it('C17 a lone surrogate in a string or a key is an issue at its path; a surrogate pair is text', () => {
    const step = (title: string) => ({ guides: [{ id: 'g', steps: [{ title, body: 'b' }] }] })
    expect(paths(step('\uD800 high'))).toEqual(['guides.0.steps.0.title'])
    expect(paths(step('low \uDC00'))).toEqual(['guides.0.steps.0.title'])
    expect(issues(step('\uD800'))[0]!.message).toMatch(/lone surrogate/)
    expect(paths({ value: { minutesSaved: { ['x\uDC00']: 5 } } })).toEqual(['value.minutesSaved.x\\udc00'])
    expect(parseConfig(step('Reports \uD83D\uDCC8')).ok).toBe(true)
    expect(paths({ value: { minutesSaved: { 'chart \uD83D\uDCC8': 5, 'x\uD800': 1 } } })).toEqual([
      'value.minutesSaved.x\\ud800',
    ])
  })

  it('C18 100,000 levels of arrays or objects under one key: one issue at level 32, no overflow', () => {
    expect(issues({ features: nested(100_000, (v) => [v]) })).toEqual([
      { path: `features${'.0'.repeat(31)}`, message: 'nested deeper than 32 levels' },
    ])
    expect(issues({ guides: nested(100_000, (v) => ({ a: v })) })).toEqual([
      { path: `guides${'.a'.repeat(31)}`, message: 'nested deeper than 32 levels' },
    ])
    // The deepest document the schema takes is far from the limit.
    const deepest = {
      segments: { smb: { guides: [{ id: 'g', steps: [{ selector: ['#a'], title: 't', body: 'b' }] }] } },
    }
    expect(parseConfig(deepest).ok).toBe(true)
  })
})
