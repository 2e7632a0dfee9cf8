/**
 * A distribution as horizontal bars (accounts by phase, by band), or each item's part of one whole
 * (`outOf`: a checklist's items done of the accounts it reached). The SVG is a picture for those who
 * look; the caption's sentence and the table under it say the same for those who read or listen.
 */
import { formatNumber } from '../format'
import { ChartFigure } from './figure'
import { tch } from './messages'

export interface BarItem {
  id: string
  label: string
  value: number
  /** A band's colour for the bar (the label says the band too). */
  tone?: 'green' | 'yellow' | 'red'
}

const pct = (value: number, total: number) => (total > 0 ? `${formatNumber((100 * value) / total)}%` : '0%')

/**
 * `Onboarding: 12 (17%), …. Total 70.`: the chart as one sentence; with `outOf`, each item's part of
 * it: `Setup: 3 of 5 (60%), ….`
 */
export function describeBars(items: readonly BarItem[], outOf?: number): string {
  if (outOf !== undefined) {
    const of = formatNumber(outOf)
    const parts = items.map((i) =>
      tch('bars.itemOf', { label: i.label, value: formatNumber(i.value), of, share: pct(i.value, outOf) }),
    )
    return `${parts.join(', ')}.`
  }
  const total = items.reduce((n, i) => n + i.value, 0)
  const parts = items.map((i) =>
    tch('bars.item', { label: i.label, value: formatNumber(i.value), share: pct(i.value, total) }),
  )
  return `${parts.join(', ')}. ${tch('bars.total', { total: formatNumber(total) })}`
}

const ROW = 24
const LABEL = 130
const BAR = 300

export function BarChart({
  title,
  items,
  valueLabel,
  outOf,
}: {
  title: string
  items: readonly BarItem[]
  valueLabel: string
  /** The whole each item is a part of: the bars' full length, and each share's denominator. */
  outOf?: number
}) {
  const max = Math.max(1, outOf ?? 0, ...items.map((i) => i.value))
  const total = outOf ?? items.reduce((n, i) => n + i.value, 0)
  const height = items.length * ROW + 4
  return (
    <ChartFigure
      title={title}
      summary={describeBars(items, outOf)}
      columns={[{ label: tch('col.label') }, { label: valueLabel, num: true }, { label: tch('col.share'), num: true }]}
      rows={items.map((i) => ({ key: i.id, cells: [i.label, formatNumber(i.value), pct(i.value, total)] }))}
    >
      <svg viewBox={`0 0 ${LABEL + BAR + 60} ${height}`} width={LABEL + BAR + 60} height={height} aria-hidden="true">
        {items.map((item, i) => {
          const y = i * ROW + 2
          const w = Math.round((BAR * item.value) / max)
          return (
            <g key={item.id}>
              <text x={LABEL - 8} y={y + 15} text-anchor="end">
                {item.label}
              </text>
              <rect class="track" x={LABEL} y={y + 3} width={BAR} height={ROW - 8} rx={3} />
              <rect
                class={item.tone ? `bar bar-${item.tone}` : 'bar'}
                x={LABEL}
                y={y + 3}
                width={w}
                height={ROW - 8}
                rx={3}
              />
              <text x={LABEL + BAR + 6} y={y + 15}>
                {formatNumber(item.value)}
              </text>
            </g>
          )
        })}
      </svg>
    </ChartFigure>
  )
}
