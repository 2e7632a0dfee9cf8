/**
 * Milestones on a timeline of their windows (journey.md, "Milestones"): each row is a milestone's
 * window in account days, a filled dot the day it was done (amber when late), a ring at today for
 * an open one that is overdue, and a dashed rule at the account's current day.
 */
import { labelOf } from '../i18n'
import { common } from '../i18n/common'
import { formatDay } from '../format'
import type { Milestone } from '../types'
import { ChartFigure } from './figure'
import { tch } from './messages'

/** `4 of 10 milestones done, 1 overdue; account day 12.` */
export function describeTimeline(milestones: readonly Milestone[], day: number): string {
  const done = milestones.filter((m) => m.status === 'done' || m.status === 'done_late').length
  const overdue = milestones.filter((m) => m.status === 'overdue').length
  return tch('timeline.summary', { done, total: milestones.length, overdue, day })
}

/**
 * The axis's labelled days: the start, the account's day (under the dashed rule), and the middle and
 * the end when they are far enough from it not to overlap.
 */
export function axisDays(day: number, last: number): number[] {
  const apart = (a: number) => Math.abs(a - day) > last * 0.15
  const out = [0, day]
  if (apart(Math.round(last / 2)) && Math.round(last / 2) > last * 0.15) out.push(Math.round(last / 2))
  if (apart(last)) out.push(last)
  return out.sort((a, b) => a - b).filter((d, i, all) => i === 0 || d !== all[i - 1])
}

const ROW = 26
const LABEL = 140
const PLOT = 640

export function MilestoneTimeline({
  title,
  milestones,
  day,
}: {
  title: string
  milestones: readonly Milestone[]
  day: number
}) {
  const last = Math.max(day, ...milestones.flatMap((m) => [m.window[1], m.completedDay ?? 0])) + 3
  const x = (d: number) => LABEL + (PLOT * Math.max(0, d)) / last
  const height = milestones.length * ROW + 22
  return (
    <ChartFigure
      title={title}
      summary={describeTimeline(milestones, day)}
      columns={[
        { label: tch('timeline.milestone') },
        { label: tch('timeline.window') },
        { label: tch('timeline.status') },
        { label: tch('timeline.completed') },
      ]}
      rows={milestones.map((m) => ({
        key: m.id,
        cells: [
          labelOf(common, 'milestone', m.id),
          `${m.window[0]}–${m.window[1]}`,
          labelOf(common, 'status', m.status),
          m.completedAt ? formatDay(m.completedAt) : '–',
        ],
      }))}
    >
      <svg viewBox={`0 0 ${LABEL + PLOT + 20} ${height}`} width={LABEL + PLOT + 20} height={height} aria-hidden="true">
        {milestones.map((m, i) => {
          const y = i * ROW + 2
          const done = m.completedDay !== null
          return (
            <g key={m.id}>
              <text x={LABEL - 8} y={y + ROW / 2 + 4} text-anchor="end">
                {labelOf(common, 'milestone', m.id)}
              </text>
              <rect
                class="window"
                x={x(m.window[0])}
                y={y + 5}
                width={Math.max(3, x(m.window[1]) - x(m.window[0]))}
                height={ROW - 10}
                rx={3}
              />
              {done && (
                <circle
                  class={m.status === 'done_late' ? 'late' : 'done'}
                  cx={x(m.completedDay!)}
                  cy={y + ROW / 2}
                  r={5}
                />
              )}
              {!done && m.status === 'overdue' && <circle class="open" cx={x(day)} cy={y + ROW / 2} r={5} />}
            </g>
          )
        })}
        <line class="today" x1={x(day)} x2={x(day)} y1={0} y2={height - 18} />
        {axisDays(day, last).map((d) => (
          <text key={d} x={x(d)} y={height - 4} text-anchor={d === 0 ? 'start' : 'middle'}>
            {tch('timeline.day', { n: d })}
          </text>
        ))}
      </svg>
    </ChartFigure>
  )
}
