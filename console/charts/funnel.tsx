/**
 * A guide's funnel (docs/http-api.md, "Results"): for each step, its views as a bar, the people who
 * left the guide at it as a thinner red bar under it, and how often its target was missing. Views
 * count events and "left" counts people, so each bar says its own number; both share one scale.
 */
import { formatNumber } from '../format'
import { ChartFigure } from './figure'
import { tch } from './messages'

export interface FunnelStep {
  /** From 0, as the API counts; shown from 1. */
  step: number
  viewed: number
  left: number
  targetMissing: number
}

const stepName = (s: FunnelStep) => tch('funnel.step', { n: s.step + 1 })

/**
 * `Views from 12 at step 1 to 7 at step 2; 5 people left before the end, most at step 1 (3); target
 * missing 2 times.`: the funnel as one sentence.
 */
export function describeFunnel(steps: readonly FunnelStep[]): string {
  if (steps.length === 0) return tch('funnel.empty')
  const first = steps[0]!
  const last = steps[steps.length - 1]!
  const parts = [
    steps.length === 1
      ? tch('funnel.viewsOne', { n: formatNumber(first.viewed), step: first.step + 1 })
      : tch('funnel.views', {
          first: formatNumber(first.viewed),
          firstStep: first.step + 1,
          last: formatNumber(last.viewed),
          lastStep: last.step + 1,
        }),
  ]
  const left = steps.reduce((n, s) => n + s.left, 0)
  // The step most left at; the earliest of equals.
  const most = steps.reduce((a, s) => (s.left > a.left ? s : a), first)
  if (left === 0) parts.push(tch('funnel.leftNone'))
  else if (left === 1) parts.push(tch('funnel.leftOne', { step: most.step + 1 }))
  else parts.push(tch('funnel.left', { n: formatNumber(left), step: most.step + 1, most: formatNumber(most.left) }))
  const missing = steps.reduce((n, s) => n + s.targetMissing, 0)
  if (missing === 1) parts.push(tch('funnel.missingOne'))
  else if (missing > 1) parts.push(tch('funnel.missing', { n: formatNumber(missing) }))
  return `${parts.join('; ')}.`
}

const ROW = 44
const LABEL = 80
const BAR = 300
const NOTE = 190

export function FunnelChart({ title, steps }: { title: string; steps: readonly FunnelStep[] }) {
  const max = Math.max(1, ...steps.map((s) => Math.max(s.viewed, s.left)))
  const w = (n: number) => Math.round((BAR * n) / max)
  const height = steps.length * ROW + 4
  return (
    <ChartFigure
      title={title}
      summary={describeFunnel(steps)}
      columns={[
        { label: tch('funnel.col.step') },
        { label: tch('funnel.col.viewed'), num: true },
        { label: tch('funnel.col.left'), num: true },
        { label: tch('funnel.col.missing'), num: true },
      ]}
      rows={steps.map((s) => ({
        key: String(s.step),
        cells: [stepName(s), formatNumber(s.viewed), formatNumber(s.left), formatNumber(s.targetMissing)],
      }))}
    >
      {steps.length > 0 && (
        // A key to the picture, hidden with it: the caption and the table name every number.
        <ul class="legend" aria-hidden="true">
          <li>
            <span class="swatch swatch-views" /> {tch('funnel.col.viewed')}
          </li>
          <li>
            <span class="swatch swatch-left" /> {tch('funnel.col.left')}
          </li>
        </ul>
      )}
      <svg
        viewBox={`0 0 ${LABEL + BAR + NOTE} ${height}`}
        width={LABEL + BAR + NOTE}
        height={height}
        aria-hidden="true"
      >
        {steps.map((s, i) => {
          const y = i * ROW + 2
          return (
            <g key={s.step}>
              <text x={LABEL - 8} y={y + 15} text-anchor="end">
                {stepName(s)}
              </text>
              <rect class="track" x={LABEL} y={y + 3} width={BAR} height={16} rx={3} />
              <rect class="bar" x={LABEL} y={y + 3} width={w(s.viewed)} height={16} rx={3} />
              <text x={LABEL + BAR + 6} y={y + 15}>
                {formatNumber(s.viewed)}
              </text>
              <rect class="bar bar-red" x={LABEL} y={y + 23} width={w(s.left)} height={8} rx={2} />
              <text x={LABEL + BAR + 6} y={y + 32}>
                {formatNumber(s.left)}
                {s.targetMissing > 0 && ` · ${tch('funnel.missingShort', { n: formatNumber(s.targetMissing) })}`}
              </text>
            </g>
          )
        })}
      </svg>
    </ChartFigure>
  )
}
