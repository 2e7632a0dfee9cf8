/** @jsxRuntime classic */ /** @jsx h */ /** @jsxFrag Fragment */
import { Fragment, h } from 'preact'
import type { ValueExperience } from '../../wire'
import { Dialog } from '../Dialog'
import type { I18n } from '../i18n'
import type { Model } from '../model'

/** The statement's lines in the locale: hours saved, metric changes as %, money saved, ROI (journey.md, "Value statement"). */
export function valueLines(exp: ValueExperience, { t, num }: I18n): string[] {
  const s = exp.statement
  const lines: string[] = []
  if (s.hoursSaved != null)
    lines.push(
      t('value.hours', {
        hours: num(s.hoursSaved, { style: 'unit', unit: 'hour', unitDisplay: 'long', maximumFractionDigits: 1 }),
      }),
    )
  for (const l of s.metrics || [])
    lines.push(
      t(l.better == 'lower' ? 'value.lower' : 'value.higher', {
        metric: l.label,
        change: num(Math.abs(l.change), { style: 'percent', maximumFractionDigits: 1 }),
      }),
    )
  if (s.moneySaved != null)
    lines.push(
      t('value.money', {
        money: num(s.moneySaved, { style: 'currency', currency: s.currency || 'USD', maximumFractionDigits: 0 }),
      }),
    )
  // ROI is a ratio (value ÷ price): 3.2 reads "3.2×".
  if (s.roi != null) lines.push(t('value.roi', { roi: num(s.roi, { maximumFractionDigits: 1 }) + '×' }))
  return lines
}

/** The value statement (modal). */
export function Value({ m, exp }: { m: Model; exp: ValueExperience }) {
  const { t, num } = m.i18n
  const lines = valueLines(exp, m.i18n)
  return (
    <Dialog m={m} exp={exp} title={t('value.title')}>
      {lines.length ? (
        <>
          <p>{t('value.period', { days: num(exp.statement.periodDays) })}</p>
          <ul>
            {lines.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        </>
      ) : (
        <p>{exp.statement.text}</p>
      )}
    </Dialog>
  )
}
