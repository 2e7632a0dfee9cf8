import { describe, expect, it } from 'vitest'
import { configFor, defaultConfig, parseConfig } from '../../server/journey'

const issues = (doc: unknown) => {
  const r = parseConfig(doc)
  return r.ok ? [] : r.issues
}
const paths = (doc: unknown) => issues(doc).map((i) => i.path)

describe('config (journey.md "The config document")', () => {
  it('C01 an empty document (or none) is the defaults', () => {
    for (const doc of [{}, undefined, null]) {
      const r = parseConfig(doc)
      expect(r.ok).toBe(true)
      if (r.ok) expect(r.config).toEqual(defaultConfig)
    }
  })

  it('C02 the spec\'s example document is valid and merged over the defaults', () => {
    const r = parseConfig({
      features: [{ id: 'reports', name: 'Reports', core: true }, { id: 'alerts' }],
      value: {
        minutesSaved: { report_generated: 15 },
        metrics: [{ id: 'conversion_rate', label: 'conversion rate', better: 'higher' }],
        hourlyRate: 40, pricePerMonth: 300, currency: 'USD',
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
    expect(issues({
      health: { weights: { nps: 'x' }, bands: { green: 120 } },
      milestones: { setup: { window: [3] } },
      features: [{ id: '' }],
      segments: { smb: { renewalWindowDays: -1 }, galactic: {} },
      guides: [{ id: 'g', steps: [] }],
      typo: 1,
    }).map((i) => i.path).sort()).toEqual([
      'features.0.id', 'guides.0.steps', 'health.bands.green', 'health.weights.nps', 'milestones.setup.window', 'segments.galactic',
      'segments.smb.renewalWindowDays', 'typo',
    ].sort())
  })

  it('C04 rules across fields: a window ending before it starts, all weights 0, yellow above green, duplicate feature ids', () => {
    expect(paths({ milestones: { kickoff: { window: [3, 1] } } })).toEqual(['milestones.kickoff.window'])
    expect(paths({ health: { weights: { adoption: 0, trend: 0, milestones: 0, nps: 0, support: 0, sponsor: 0 } } })).toEqual(['health.weights'])
    expect(paths({ health: { bands: { yellow: 85 } } })).toEqual(['health.bands.yellow'])
    expect(paths({ features: [{ id: 'a' }, { id: 'a' }] })).toEqual(['features.1.id'])
    expect(paths({ segments: { enterprise: { milestones: { setup: { window: [9, 2] } } } } })).toEqual(['segments.enterprise.milestones.setup.window'])
  })

  it('C12 every wrong field at once: type errors do not hide cross-field ones, the workspace\'s do not hide a segment\'s', () => {
    expect(paths({ milestones: { kickoff: { window: [3, 1] } }, health: { weights: { nps: 'x' } } }).sort())
      .toEqual(['health.weights.nps', 'milestones.kickoff.window'])
    expect(paths({ health: { bands: { yellow: 85 } }, segments: { enterprise: { milestones: { setup: { window: [9, 2] } } } } }).sort())
      .toEqual(['health.bands.yellow', 'segments.enterprise.milestones.setup.window'])
    expect(paths({ typo: 1, segments: { smb: { renewalWindowDays: 'soon', milestones: { setup: { window: [9, 2] } } } } }).sort())
      .toEqual(['segments.smb.milestones.setup.window', 'segments.smb.renewalWindowDays', 'typo'])
  })

  it('C05 configFor: a segment block over the workspace values (renewal windows 90/60/30 by default)', () => {
    expect(configFor(defaultConfig, 'enterprise').renewalWindowDays).toBe(90)
    expect(configFor(defaultConfig, 'mid_market').renewalWindowDays).toBe(60)
    expect(configFor(defaultConfig, 'smb').renewalWindowDays).toBe(30)
    const r = parseConfig({ segments: { smb: { renewalWindowDays: 14 }, mid_market: { health: { weights: { nps: 0.5 } } } } })
    if (!r.ok) throw new Error('expected ok')
    expect(configFor(r.config, 'smb').renewalWindowDays).toBe(14)
    expect(configFor(r.config, 'mid_market').health.weights).toEqual({ ...defaultConfig.health.weights, nps: 0.5 })
    expect(configFor(r.config, 'mid_market').renewalWindowDays).toBe(60)
  })

  it('C06 objects merge key by key, arrays replace', () => {
    const r = parseConfig({ milestones: { setup: { events: ['configured'] } }, health: { support: [100, 50] } })
    if (!r.ok) throw new Error('expected ok')
    expect(r.config.milestones.setup).toEqual({ window: [3, 7], events: ['configured'] })
    expect(r.config.health.support).toEqual([100, 50])
  })

  it('C07 a document that is not an object is refused', () => {
    expect(parseConfig('{}').ok).toBe(false)
    expect(parseConfig([1]).ok).toBe(false)
  })

  it('C09 guide step selector: one string (as before) or a list of 1-10, each trimmed; `text` trimmed; a bad one named with its path', () => {
    const steps = (...s: unknown[]) => ({ guides: [{ id: 'g', steps: s.map((x) => ({ title: 't', body: 'b', ...(x as object) })) }] })
    const r = parseConfig(steps({ selector: '#a' }, { selector: [' #old-id ', '.new-class'], text: '  Export ' }))
    expect(r.ok).toBe(true)
    if (r.ok) expect(r.config.guides[0]!.steps.map((s) => [s.selector, s.text])).toEqual([['#a', undefined], [['#old-id', '.new-class'], 'Export']])
    expect(paths(steps({ kind: 'modal' }, { selector: [] }))).toEqual(['guides.0.steps.1.selector'])
    expect(paths(steps({ kind: 'modal' }, { selector: ['#a', ''] }))).toEqual(['guides.0.steps.1.selector.1'])
    expect(issues(steps({ kind: 'modal' }, { selector: ['#a', 3] }))).toEqual([{ path: 'guides.0.steps.1.selector', message: 'expected a CSS selector or a list of 1 to 10' }])
    expect(paths(steps({ selector: Array.from({ length: 11 }, (_, i) => `#s${i}`) }))).toEqual(['guides.0.steps.0.selector'])
    expect(paths(steps({ selector: '#a', text: '   ' }))).toEqual(['guides.0.steps.0.text'])
  })

  it('C10 a tooltip step still needs a selector when text is given', () => {
    expect(paths({ guides: [{ id: 'g', steps: [{ kind: 'tooltip', text: 'Export', title: 't', body: 'b' }] }] })).toEqual(['guides.0.steps.0.selector'])
  })

  it('C11 a value metric label: one string, or one per locale (en, pt-BR); an empty or unknown-locale label is named with its path', () => {
    const metric = (label: unknown) => ({ value: { metrics: [{ id: 'conversion_rate', label, better: 'higher' }] } })
    const r = parseConfig(metric({ en: 'conversion rate', 'pt-BR': 'taxa de conversão' }))
    expect(r.ok).toBe(true)
    if (r.ok) expect(r.config.value.metrics[0]!.label).toEqual({ en: 'conversion rate', 'pt-BR': 'taxa de conversão' })
    expect(parseConfig(metric('conversion rate')).ok).toBe(true)
    expect(paths(metric(''))[0]).toMatch(/^value\.metrics\.0\.label/)
    expect(paths(metric({ fr: 'taux de conversion' }))[0]).toMatch(/^value\.metrics\.0\.label/)
    expect(paths(metric({ en: '' }))[0]).toMatch(/^value\.metrics\.0\.label/)
  })

  it('C08 parseConfig does not change the defaults', () => {
    const before = JSON.stringify(defaultConfig)
    parseConfig({ health: { weights: { nps: 0.9 } }, segments: { enterprise: { renewalWindowDays: 7 } } })
    expect(JSON.stringify(defaultConfig)).toBe(before)
  })
})
