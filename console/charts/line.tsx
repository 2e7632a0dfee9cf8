/**
 * A series over time as a line (an account's health by day, the NPS by week). Days without data
 * break the line instead of being drawn as zero. A dashed rule marks one day (the "as of" day).
 */
import { formatDay, formatDelta, formatNumber } from '../format'
import { ChartFigure } from './figure'
import { tch } from './messages'

export interface LinePoint {
  /** A UTC day, `YYYY-MM-DD`. */
  date: string
  value: number | null
  /** A band's colour for the point's dot. */
  tone?: 'green' | 'yellow' | 'red' | null
}

/** The series in words: the latest value and its change over the period, the lowest and the highest, the gaps. */
export function describeLine(points: readonly LinePoint[]): string {
  const known = points.filter((p): p is LinePoint & { value: number } => p.value !== null)
  if (known.length === 0) return tch('line.empty')
  const first = known[0]!
  const last = known[known.length - 1]!
  let min = first
  let max = first
  for (const p of known) {
    if (p.value < min.value) min = p
    if (p.value > max.value) max = p
  }
  let out = tch('line.last', { value: formatNumber(last.value), date: formatDay(last.date) })
  if (known.length > 1)
    out += `, ${tch('line.change', { first: formatNumber(first.value), firstDate: formatDay(first.date), delta: formatDelta(last.value - first.value) })}`
  out += `. ${tch('line.range', { min: formatNumber(min.value), minDate: formatDay(min.date), max: formatNumber(max.value), maxDate: formatDay(max.date) })}`
  const gaps = points.length - known.length
  if (gaps > 0) out += ` ${gaps === 1 ? tch('line.gap') : tch('line.gaps', { n: gaps })}`
  return out
}

const W = 560
const H = 180
const PAD = { left: 36, right: 12, top: 10, bottom: 24 }

export function LineChart({
  title,
  points,
  min,
  max,
  valueLabel,
  marker,
}: {
  title: string
  points: readonly LinePoint[]
  min: number
  max: number
  valueLabel: string
  marker?: string | undefined
}) {
  const n = points.length
  const x = (i: number) => PAD.left + (n <= 1 ? 0 : ((W - PAD.left - PAD.right) * i) / (n - 1))
  const y = (v: number) => PAD.top + ((H - PAD.top - PAD.bottom) * (max - v)) / (max - min || 1)
  // One path with a break (M) after each gap.
  let d = ''
  let pen = false
  points.forEach((p, i) => {
    if (p.value === null) {
      pen = false
      return
    }
    d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`
    pen = true
  })
  const markerIndex = marker ? points.findIndex((p) => p.date === marker) : -1
  const ticks = [min, (min + max) / 2, max]
  return (
    <ChartFigure
      title={title}
      summary={describeLine(points)}
      columns={[{ label: tch('col.date') }, { label: valueLabel, num: true }]}
      rows={points.map((p) => ({ key: p.date, cells: [formatDay(p.date), formatNumber(p.value)] }))}
    >
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} aria-hidden="true">
        {ticks.map((t) => (
          <g key={t}>
            <line class="axis" x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} />
            <text x={PAD.left - 6} y={y(t) + 4} text-anchor="end">
              {formatNumber(t)}
            </text>
          </g>
        ))}
        {n > 0 && (
          <>
            <text x={PAD.left} y={H - 6}>
              {formatDay(points[0]!.date)}
            </text>
            <text x={W - PAD.right} y={H - 6} text-anchor="end">
              {formatDay(points[n - 1]!.date)}
            </text>
          </>
        )}
        {markerIndex >= 0 && (
          <line class="today" x1={x(markerIndex)} x2={x(markerIndex)} y1={PAD.top} y2={H - PAD.bottom} />
        )}
        <path class="line" d={d} />
        {points.map((p, i) =>
          p.value === null ? null : (
            <circle
              key={p.date}
              class={p.tone ? `dot-${p.tone}` : 'bar'}
              cx={x(i)}
              cy={y(p.value)}
              r={n > 40 ? 2 : 3}
            />
          ),
        )}
      </svg>
    </ChartFigure>
  )
}
