import { describe, expect, it } from 'vitest'
import { previewExperiences } from '../../server/journey/preview'
import type { Experience } from '../../sdk/wire'
import { config } from './builders'

const T = Date.UTC(2026, 11, 7, 12)
const doc = {
  value: {
    minutesSaved: { report_generated: 15 },
    metrics: [{ id: 'conversion', label: { en: 'conversion', 'pt-BR': 'conversão' }, better: 'higher' }],
    hourlyRate: 40,
    pricePerMonth: 300,
  },
  guides: [{ id: 'tour', steps: [{ title: { en: 'Hi', 'pt-BR': 'Oi' }, body: 'B' }] }],
  experiences: {
    checklist: { items: ['setup', 'first_value'], titles: { setup: { en: 'Connect', 'pt-BR': 'Conecte' } } },
    nps: { texts: { question: { en: 'Recommend Acme?', 'pt-BR': 'Recomendaria a Acme?' } } },
    messages: { low_usage: { title: { en: 'Come back', 'pt-BR': 'Volte' } } },
  },
  segments: { smb: { experiences: { checklist: { items: ['setup'] } } } },
}
const of = <K extends Experience['kind']>(d: { experiences: Experience[] }, kind: K) =>
  d.experiences.filter((e) => e.kind === kind) as Extract<Experience, { kind: K }>[]

describe('preview (console.md "Content": "Preview of every kind of experience as the end user will see it, in each locale")', () => {
  it('PV01 one of each kind, built as the decision builds it, in the locale asked for', () => {
    const pt = previewExperiences(config(doc), 'pt-BR', T)
    expect([...new Set(pt.experiences.map((e) => e.kind))].sort()).toEqual(
      ['advocacy', 'banner', 'checklist', 'message', 'nps', 'value'].sort(),
    )
    expect(of(pt, 'message').map((m) => m.situation)).toEqual(['low_usage', 'single_user', 'usage_declining'])
    expect(of(pt, 'message')[0]!.title).toBe('Volte')
    expect(pt.guides!.map((g) => [g.guideId, g.steps[0]!.title])).toEqual([['tour', 'Oi']])
    expect(pt.texts).toEqual({ 'nps.question': 'Recomendaria a Acme?' })
    expect(of(pt, 'nps')[0]!.followUps.map((f) => f.band)).toEqual(['detractor', 'passive', 'promoter', 'promoter'])
    expect(of(pt, 'advocacy')[0]!.programs.map((p) => p.id)).toEqual(['referral', 'case_study'])
    expect(of(pt, 'banner')[0]!.daysToRenewal).toBe(30)
    const en = previewExperiences(config(doc), 'en', T)
    expect(of(en, 'message')[0]!.title).toBe('Come back')
  })

  it('PV02 the checklist of a new account: the configured items, nothing done, titles per locale', () => {
    const c = of(previewExperiences(config(doc), 'pt-BR', T, 'enterprise'), 'checklist')[0]!
    expect(c.items.map((i) => [i.id, i.title])).toEqual([
      ['setup', 'Conecte'],
      ['first_value', undefined],
    ])
    expect(c.items.every((i) => i.status === 'upcoming' || i.status === 'due')).toBe(true)
  })

  it('PV03 the value statement from the configured events and metrics: 10 events, 10% better', () => {
    const v = of(previewExperiences(config(doc), 'pt-BR', T), 'value')[0]!.statement
    // 10 × 15 minutes = 2.5 hours; × 40 = 100; the price of 30 days is 300: ROI 0.3.
    expect([v.hoursSaved, v.moneySaved, v.roi]).toEqual([2.5, 100, 0.3])
    expect(v.metrics.map((m) => [m.label, m.change])).toEqual([['conversão', 0.1]])
    expect(v.text).toMatch(/economizou 2,5 horas/)
  })

  it("PV04 a segment's values; none asked for: an account without a segment's (smb, as the engine says)", () => {
    const items = (segment?: 'smb' | 'enterprise') =>
      of(previewExperiences(config(doc), 'en', T, segment), 'checklist')[0]!.items.map((i) => i.id)
    expect([items('smb'), items(), items('enterprise')]).toEqual([['setup'], ['setup'], ['setup', 'first_value']])
  })
})
