/**
 * A distribution as horizontal bars (accounts by phase, by band), or each item's part of one whole
 * (`outOf`: a checklist's items done of the accounts it reached), each item with a note when it has
 * one (a checklist item's median day). The SVG is a picture for those who look; the caption's
 * sentence and the table under it say the same for those who read or listen.
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
  /** Words about the item, after its number: in the picture, the sentence and a column of the table. */
  note?: string
  /** The note is a warning: drawn in red (its words say so too). */
  alert?: boolean
}

const pct = (value: number, total: number) => (total > 0 ? `${formatNumber((100 * value) / total)}%` : '0%')

/**
 * `Onboarding: 12 (17%), …. Total 70.`: the chart as one sentence; with `outOf`, each item's part of
 * it: `Setup: 3 of 5 (60%), ….`; with notes, each after its item, the items apart by semicolons:
 * `Setup: 3 of 5 (60%), median day 4 (window 3–7); ….`
 */
export function describeBars(items: readonly BarItem[], outOf?: number): string {
  if (outOf !== undefined) {
    const of = formatNumber(outOf)
    const noted = items.some((i) => i.note)
    const parts = items.map((i) => {
      const part = tch('bars.itemOf', { label: i.label, value: formatNumber(i.value), of, share: pct(i.value, outOf) })
      return i.note ? tch('bars.note', { item: part, note: i.note }) : part
    })
    return `${parts.join(noted ? '; ' : ', ')}.`
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
/** The notes' room, right of the numbers. */
const NOTE = 300

export function BarChart({
  title,
  items,
  valueLabel,
  outOf,
  noteLabel,
}: {
  title: string
  items: readonly BarItem[]
  valueLabel: string
  /** The whole each item is a part of: the bars' full length, and each share's denominator. */
  outOf?: number
  /** The heading of the table's column of notes (there when an item has a note). */
  noteLabel?: string
}) {
  const max = Math.max(1, outOf ?? 0, ...items.map((i) => i.value))
  const total = outOf ?? items.reduce((n, i) => n + i.value, 0)
  const height = items.length * ROW + 4
  const noted = items.some((i) => i.note)
  const width = LABEL + BAR + 60 + (noted ? NOTE : 0)
  return (
    <ChartFigure
      title={title}
      summary={describeBars(items, outOf)}
      columns={[
        { label: tch('col.label') },
        { label: valueLabel, num: true },
        { label: tch('col.share'), num: true },
        ...(noted ? [{ label: noteLabel ?? tch('col.note') }] : []),
      ]}
      rows={items.map((i) => ({
        key: i.id,
        cells: [i.label, formatNumber(i.value), pct(i.value, total), ...(noted ? [i.note ?? ''] : [])],
      }))}
    >
      <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} aria-hidden="true">
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
              {item.note && (
                <text class={item.alert ? 'note alert' : 'note'} x={LABEL + BAR + 60} y={y + 15}>
                  {item.note}
                </text>
              )}
            </g>
          )
        })}
      </svg>
    </ChartFigure>
  )
}
