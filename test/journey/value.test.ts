import { describe, expect, it } from 'vitest'
import { journeyContext } from '../../server/journey'
import { computeValue, localeOf } from '../../server/journey/value'
import { account, at, config } from './builders'

const cfg = config({
  value: {
    minutesSaved: { report_generated: 15, alert_resolved: 5 },
    metrics: [
      { id: 'conversion_rate', label: 'conversion rate', better: 'higher' },
      { id: 'churn', label: 'churn', better: 'lower' },
    ],
    hourlyRate: 50,
    pricePerMonth: 100,
    currency: 'BRL',
  },
})

// Seed "Fase 3: Value Realization", the value statement template.
describe('value statement (journey.md "Value statement": "ROI = hours saved × hourly rate ÷ price for the period", "A line with no data is left out; no statement when there is nothing to say", "Locales: `pt-BR` and `en` at least"; seed lines 142-146 "Nos ultimos [periodo], voce: economizou [X horas] de trabalho manual; aumentou [metrica] em [Y%]; reduziu [problema] em [Z%]; ROI estimado")', () => {
  it('VS01 hours saved and ROI = hours × hourlyRate ÷ price, over the last 30 days (day 70 is outside)', () => {
    const b = account()
      .track(70, 'report_generated', 'u1', 40)
      .track(71, 'report_generated', 'u1', 8)
      .track(100, 'alert_resolved', 'u1', 12)
    const s = computeValue(journeyContext(cfg, b.build(), at(100)), 30, 'en')
    // 8 × 15 + 12 × 5 = 180 minutes.
    expect(s.hoursSaved).toBe(3)
    expect(s.moneySaved).toBe(150)
    // ROI = 150 ÷ (100 × 30/30).
    expect(s.roi).toBe(1.5)
  })

  it('VS02 metrics, this period vs the one before: lower-is-better reduces; worse ones are left out', () => {
    const b = account()
      .fact('value_metric', 50, { metric: 'conversion_rate', value: 4 })
      .fact('value_metric', 90, { metric: 'conversion_rate', value: 5 })
      .fact('value_metric', 60, { metric: 'churn', value: 10 })
      .fact('value_metric', 95, { metric: 'churn', value: 8 })
    const s = computeValue(journeyContext(cfg, b.build(), at(100)), 30, 'en')
    expect(s.metrics.map((m) => [m.id, m.change])).toEqual([
      ['conversion_rate', 0.25],
      ['churn', -0.2],
    ])
    expect(s.text).toBe('In the last 30 days, you:\n- increased conversion rate by 25%\n- reduced churn by 20%')
    const worse = account()
      .fact('value_metric', 50, { metric: 'churn', value: 8 })
      .fact('value_metric', 90, { metric: 'churn', value: 10 })
    expect(computeValue(journeyContext(cfg, worse.build(), at(100)), 30, 'en').metrics).toEqual([])
  })

  it("VS03 pt-BR: the seed's own words, numbers through Intl", () => {
    const b = account()
      .track(90, 'report_generated', 'u1', 10)
      .fact('value_metric', 50, { metric: 'conversion_rate', value: 4 })
      .fact('value_metric', 90, { metric: 'conversion_rate', value: 4.5 })
    const s = computeValue(journeyContext(cfg, b.build(), at(100)), 30, 'pt-BR')
    expect(s.text).toBe(
      'Nos últimos 30 dias, você:\n- economizou 2,5 horas de trabalho manual\n- aumentou conversion rate em 12,5%\n- ROI estimado: 1,3x',
    )
  })

  it("VS03b metric labels: the user's locale, else English, else any; one string serves every locale", () => {
    const b = account()
      .fact('value_metric', 50, { metric: 'conversion_rate', value: 4 })
      .fact('value_metric', 90, { metric: 'conversion_rate', value: 4.5 })
    const line = (label: unknown, locale: 'en' | 'pt-BR') =>
      computeValue(
        journeyContext(
          config({ value: { metrics: [{ id: 'conversion_rate', label, better: 'higher' }] } }),
          b.build(),
          at(100),
        ),
        30,
        locale,
      ).text.split('\n')[1]
    const both = { en: 'conversion rate', 'pt-BR': 'taxa de conversão' }
    expect(line(both, 'pt-BR')).toBe('- aumentou taxa de conversão em 12,5%')
    expect(line(both, 'en')).toBe('- increased conversion rate by 12.5%')
    expect(line({ en: 'conversion rate' }, 'pt-BR')).toBe('- aumentou conversion rate em 12,5%')
    expect(line({ 'pt-BR': 'taxa de conversão' }, 'en')).toBe('- increased taxa de conversão by 12.5%')
    expect(line(undefined, 'en')).toBe('- increased conversion_rate by 12.5%')
  })

  it('VS04 nothing to say: empty text; no ROI without rate and price', () => {
    const s = computeValue(journeyContext(config(), account().login(90).build(), at(100)), 30, 'en')
    expect(s).toMatchObject({ hoursSaved: null, metrics: [], roi: null, moneySaved: null, text: '' })
  })

  it('VS05 locales: pt, pt-BR, pt-PT → pt-BR; anything else → en', () => {
    expect(['pt', 'pt-BR', 'pt-PT', 'PT-br', 'en-US', 'fr', undefined, 42].map(localeOf)).toEqual([
      'pt-BR',
      'pt-BR',
      'pt-BR',
      'pt-BR',
      'en',
      'en',
      'en',
      'en',
    ])
  })
})

describe('rounded figures (journey.md "Health score": "rounded half up … on the exact decimal value")', () => {
  it('VS06 a metric change of exactly 1.25% reads 1.3%, not 1.2%: 2 → 2.025', () => {
    const b = account()
      .fact('value_metric', 50, { metric: 'conversion_rate', value: 2 })
      .fact('value_metric', 90, { metric: 'conversion_rate', value: 2.025 })
    const s = computeValue(journeyContext(cfg, b.build(), at(100)), 30, 'en')
    expect(s.metrics.map((m) => [m.id, m.change])).toEqual([['conversion_rate', 0.013]])
    expect(s.text.split('\n')[1]).toBe('- increased conversion rate by 1.3%')
  })
})
