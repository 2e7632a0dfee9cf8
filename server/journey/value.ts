/**
 * The value statement (journey.md, "Value statement"; seed "Fase 3: Value Realization", template
 * "Nos ultimos [periodo], voce: economizou [X horas] de trabalho manual; aumentou [metrica] em [Y%];
 * reduziu [problema] em [Z%]; ROI estimado: [valor]").
 *
 * - Hours saved: every configured event (`value.minutesSaved`) in the period, times its minutes.
 * - Metrics: the latest `value_metric {metric, value}` of each configured metric in the period
 *   against the latest in the period before; only improvements are stated (a value statement says
 *   what went well; the health score is where a worse metric shows).
 * - ROI: hours saved × hourly rate ÷ the price of the period (`pricePerMonth` × days ÷ 30).
 * A line with no data is left out; `text` is '' when there is nothing to say.
 * The period is the last `periodDays` account days (days d-N+1 … d, as every window of the engine).
 */
import type { ValueMetricLine, ValueStatement } from '../../sdk/wire'
import type { Ctx } from './context'
import { daysIn, eventsNamed } from './context'
import { roundTo, toIso, toNumber } from './time'
import { inLocale } from './texts'
import { LOCALES } from './vocabulary'

export { LOCALES }

export type { ValueStatement } from '../../sdk/wire'

/** Locales with texts (vocabulary.ts LOCALES); any other tag falls back by language (`pt-PT` → pt-BR), then to `en`. */
export type Locale = (typeof LOCALES)[number]

/** `pt…` → pt-BR, anything else → en. */
export function localeOf(tag: unknown): Locale {
  return typeof tag === 'string' && /^pt\b/i.test(tag.trim()) ? 'pt-BR' : 'en'
}

const TEXT = {
  en: {
    intro: (n: string) => `In the last ${n} days, you:`,
    saved: (h: string) => `saved ${h} hours of manual work`,
    up: (m: string, p: string) => `increased ${m} by ${p}`,
    down: (m: string, p: string) => `reduced ${m} by ${p}`,
    roi: (r: string) => `estimated ROI: ${r}x`,
  },
  'pt-BR': {
    intro: (n: string) => `Nos últimos ${n} dias, você:`,
    saved: (h: string) => `economizou ${h} horas de trabalho manual`,
    up: (m: string, p: string) => `aumentou ${m} em ${p}`,
    down: (m: string, p: string) => `reduziu ${m} em ${p}`,
    roi: (r: string) => `ROI estimado: ${r}x`,
  },
} as const

const round1 = (x: number) => roundTo(x, 1)

/** The latest numeric value of `metric` among `value_metric` facts on days `from…to`. */
function latestMetric(ctx: Ctx, metric: string, from: number, to: number): number | null {
  let v: number | null = null
  for (const e of eventsNamed(ctx, ['value_metric'], from, to)) {
    if (e.properties.metric !== metric) continue
    const n = toNumber(e.properties.value)
    if (n !== null) v = n
  }
  return v
}

/** The value statement of the last `periodDays` days at `ctx.at`, in `locale`. */
export function computeValue(ctx: Ctx, periodDays: number, locale: Locale): ValueStatement {
  const v = ctx.cfg.value
  const d = ctx.day
  const from = d - periodDays + 1

  let minutes = 0
  let any = false
  for (const [, day] of daysIn(ctx, from, d)) {
    for (const [name, per] of Object.entries(v.minutesSaved)) {
      const n = day.counts[name] ?? 0
      if (n > 0) {
        minutes += n * per
        any = true
      }
    }
  }
  const hoursSaved = any ? round1(minutes / 60) : null

  const metrics: ValueMetricLine[] = []
  for (const m of v.metrics) {
    const current = latestMetric(ctx, m.id, from, d)
    const previous = latestMetric(ctx, m.id, from - periodDays, from - 1)
    if (current === null || previous === null || previous === 0) continue
    const change = (current - previous) / Math.abs(previous)
    const better = m.better === 'higher' ? change > 0 : change < 0
    if (better)
      metrics.push({
        id: m.id,
        label: inLocale(m.label, locale) ?? m.id,
        better: m.better,
        previous,
        current,
        change: roundTo(change, 3),
      })
  }

  const moneySaved = hoursSaved !== null && v.hourlyRate !== null ? roundTo(hoursSaved * v.hourlyRate, 2) : null
  const price = v.pricePerMonth !== null ? (v.pricePerMonth * periodDays) / 30 : null
  const roi = moneySaved !== null && price !== null && price > 0 ? round1(moneySaved / price) : null

  const t = TEXT[locale]
  const num = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 })
  const pct = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 })
  const lines: string[] = []
  if (hoursSaved !== null && hoursSaved > 0) lines.push(t.saved(num.format(hoursSaved)))
  for (const m of metrics) lines.push((m.change > 0 ? t.up : t.down)(m.label, pct.format(Math.abs(m.change))))
  if (roi !== null && roi > 0) lines.push(t.roi(num.format(roi)))
  const text = lines.length > 0 ? `${t.intro(num.format(periodDays))}\n${lines.map((l) => `- ${l}`).join('\n')}` : ''

  return {
    periodDays,
    from: toIso(ctx.dateOf(from)),
    to: toIso(ctx.at),
    hoursSaved,
    metrics,
    roi,
    moneySaved,
    currency: v.currency,
    text,
    locale,
  }
}

/** True when the statement has something to say. */
export function hasValue(s: ValueStatement): boolean {
  return s.text !== ''
}
