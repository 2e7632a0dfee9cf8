/** The charts' text equivalents: what a screen reader or a reader of the table gets instead of the picture. */
import { h, render } from 'preact'
import type { VNode } from 'preact'
import { afterEach, describe, expect, it } from 'vitest'
import { BarChart, describeBars } from '../../console/charts/bars'
import { describeHealth } from '../../console/charts/health'
import { describeLine, LineChart } from '../../console/charts/line'
import { axisDays, describeTimeline, MilestoneTimeline } from '../../console/charts/timeline'
import { setLocale } from '../../console/i18n'
import { journey } from './fixtures'

const bars = [
  { id: 'onboarding', label: 'Onboarding', value: 12 },
  { id: 'adoption', label: 'Adoption', value: 30 },
  { id: 'value', label: 'Value', value: 0 },
]

let root: HTMLElement
const mount = (vnode: VNode<any>) => {
  root = document.createElement('div')
  document.body.append(root)
  render(vnode, root)
  return root
}
afterEach(() => {
  if (root) render(null, root)
  root?.remove()
  setLocale('en')
})

describe('charts: a picture and its text equivalent', () => {
  it('CC01 a distribution in words: each item, its share, the total; in Portuguese too', () => {
    setLocale('en')
    expect(describeBars(bars)).toBe('Onboarding: 12 (29%), Adoption: 30 (71%), Value: 0 (0%). Total 42.')
    setLocale('pt-BR')
    expect(describeBars([{ id: 'a', label: 'Adoção', value: 1500 }])).toBe('Adoção: 1.500 (100%). Total 1.500.')
  })

  it('CC02 the bar chart: the SVG is hidden from assistive tech; a table with headers says the same', () => {
    const el = mount(h(BarChart, { title: 'Accounts by phase', items: bars, valueLabel: 'Accounts' }))
    expect(el.querySelector('svg')?.getAttribute('aria-hidden')).toBe('true')
    expect(el.querySelectorAll('svg rect.bar')).toHaveLength(3)
    expect(el.querySelector('figcaption')?.textContent).toContain('Total 42.')
    expect([...el.querySelectorAll('thead th')].map((th) => th.getAttribute('scope'))).toEqual(['col', 'col', 'col'])
    expect([...el.querySelectorAll('tbody th[scope="row"]')].map((th) => th.textContent)).toEqual([
      'Onboarding',
      'Adoption',
      'Value',
    ])
  })

  it('CC03 a line in words: latest value, change over the period, lowest, highest, gaps', () => {
    const points = [
      { date: '2026-03-01', value: null },
      { date: '2026-03-02', value: 70 },
      { date: '2026-03-03', value: 55 },
      { date: '2026-03-04', value: 62 },
    ]
    expect(describeLine(points)).toBe(
      'Latest 62 on Mar 4, 2026, from 70 on Mar 2, 2026 (−8). Lowest 55 on Mar 3, 2026, highest 70 on Mar 2, 2026. 1 point without data.',
    )
    expect(describeLine([{ date: '2026-03-01', value: null }])).toBe('No data in this period.')
  })

  it('CC04 the line chart breaks at days without data, marks the as-of day, and lists every point', () => {
    const points = [
      { date: '2026-03-01', value: 50 },
      { date: '2026-03-02', value: null },
      { date: '2026-03-03', value: 60 },
      { date: '2026-03-04', value: 65 },
    ]
    const el = mount(
      h(LineChart, { title: 'Health', points, min: 0, max: 100, valueLabel: 'Score', marker: '2026-03-03' }),
    )
    const d = el.querySelector('path.line')?.getAttribute('d') ?? ''
    expect(d.match(/M/g)).toHaveLength(2)
    expect(el.querySelector('line.today')).not.toBeNull()
    expect(el.querySelectorAll('tbody tr')).toHaveLength(4)
    expect(el.querySelectorAll('tbody td')[1]?.textContent).toBe('–')
  })

  it('CC05 the milestone timeline: done and overdue counted in words; each window in the table', () => {
    const state = journey(20)
    const text = describeTimeline(state.milestones, state.day)
    const done = state.milestones.filter((m) => m.status.startsWith('done')).length
    expect(text).toBe(
      `${done} of ${state.milestones.length} milestones done, ${state.milestones.filter((m) => m.status === 'overdue').length} overdue; account day ${state.day}.`,
    )
    const el = mount(h(MilestoneTimeline, { title: 'Milestones', milestones: state.milestones, day: state.day }))
    const rows = [...el.querySelectorAll('tbody tr')]
    expect(rows).toHaveLength(state.milestones.length)
    const first = state.milestones[0]!
    expect(rows[0]?.querySelectorAll('td')[0]?.textContent).toBe(`${first.window[0]}–${first.window[1]}`)
  })

  it('CC06 health in words: the score as the sum of each component’s points, missing ones named', () => {
    const h0 = journey(20).health
    const text = describeHealth(h0, 'left out')
    expect(text.startsWith(`${h0.score} = `)).toBe(true)
    expect(text.split(' + ')).toHaveLength(h0.components.length)
    if (h0.missing.length) expect(text).toContain('; left out: ')
  })

  it('CC07 the timeline axis names days: the start, the account day, the middle and end when apart', () => {
    expect(axisDays(200, 203)).toEqual([0, 102, 200])
    expect(axisDays(12, 93)).toEqual([0, 12, 47, 93])
    expect(axisDays(45, 93)).toEqual([0, 45, 93])
    expect(axisDays(0, 93)).toEqual([0, 47, 93])
  })
})
