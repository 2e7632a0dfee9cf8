/**
 * A distribution as horizontal bars (accounts by phase, by band). The SVG is a picture for those who
 * look; the caption's sentence and the table under it say the same for those who read or listen.
 */
import { formatNumber } from '../format'
import { tch } from './messages'

export interface BarItem {
  id: string
  label: string
  value: number
  /** A band's colour for the bar (the label says the band too). */
  tone?: 'green' | 'yellow' | 'red'
}

const pct = (value: number, total: number) => (total > 0 ? `${formatNumber((100 * value) / total)}%` : '0%')

/** `Onboarding: 12 (17%), …. Total 70.`: the chart as one sentence. */
export function describeBars(items: readonly BarItem[]): string {
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
}: {
  title: string
  items: readonly BarItem[]
  valueLabel: string
}) {
  const max = Math.max(1, ...items.map((i) => i.value))
  const total = items.reduce((n, i) => n + i.value, 0)
  const height = items.length * ROW + 4
  return (
    <figure class="chart">
      <figcaption>
        <strong>{title}</strong> <span>{describeBars(items)}</span>
      </figcaption>
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
      <details>
        <summary>{tch('table', { title })}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{tch('col.label')}</th>
              <th scope="col" class="num">
                {valueLabel}
              </th>
              <th scope="col" class="num">
                {tch('col.share')}
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id}>
                <th scope="row">{i.label}</th>
                <td class="num">{formatNumber(i.value)}</td>
                <td class="num">{pct(i.value, total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  )
}
