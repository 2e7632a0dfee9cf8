/** The charts' text equivalents: what a screen reader or a reader of the table gets instead of the picture. */
import { h, render } from 'preact'
import type { VNode } from 'preact'
import { afterEach, describe, expect, it } from 'vitest'
import { BarChart, describeBars } from '../../console/charts/bars'
import { describeFunnel, FunnelChart } from '../../console/charts/funnel'
import { describeHealth } from '../../console/charts/health'
import { describeLine, LineChart } from '../../console/charts/line'
import { axisDays, describeTimeline, MilestoneTimeline } from '../../console/charts/timeline'
import { setLocale } from '../../console/i18n'
import { experienceResults, journey } from './fixtures'

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

  it('CC08 a guide funnel in words: views first to last, who left and where most, targets missing', () => {
    const steps = experienceResults().experiences.find((x) => x.kind === 'guide')!.steps!
    expect(describeFunnel(steps)).toBe(
      'Views from 11 at step 1 to 7 at step 2; 4 people left before the end, most at step 1 (3); target missing 2 times.',
    )
    expect(describeFunnel([{ step: 0, viewed: 5, left: 1, targetMissing: 1 }])).toBe(
      'Views of step 1: 5; 1 person left before the end, at step 1; target missing once.',
    )
    expect(describeFunnel([{ step: 0, viewed: 2, left: 0, targetMissing: 0 }])).toBe(
      'Views of step 1: 2; nobody left before the end.',
    )
    expect(describeFunnel([])).toBe('No step was viewed in this period.')
    setLocale('pt-BR')
    expect(describeFunnel(steps)).toBe(
      'Visualizações de 11 no passo 1 a 7 no passo 2; 4 pessoas saíram antes do fim, a maioria no passo 1 (3); alvo não encontrado 2 vezes.',
    )
  })

  it('CC09 the funnel chart: a hidden SVG, and each step’s views, left and target missing in its table', () => {
    const steps = experienceResults().experiences.find((x) => x.kind === 'guide')!.steps!
    const el = mount(h(FunnelChart, { title: 'Guide “tour”', steps }))
    expect(el.querySelector('svg')?.getAttribute('aria-hidden')).toBe('true')
    expect(el.querySelector('.legend')?.getAttribute('aria-hidden')).toBe('true')
    expect(el.querySelector('summary')?.textContent).toBe('Guide “tour”: as a table')
    expect([...el.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual([
      'Step',
      'Views',
      'Left here',
      'Target missing',
    ])
    const rows = [...el.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent))
    expect(rows).toEqual(steps.map((s) => [`Step ${s.step + 1}`, `${s.viewed}`, `${s.left}`, `${s.targetMissing}`]))
    // The longest bar is the most viewed step; the others are in proportion.
    const views = [...el.querySelectorAll('svg rect.bar:not(.bar-red)')].map((r) => Number(r.getAttribute('width')))
    expect(views).toEqual([300, Math.round((300 * 7) / 11)])
  })

  it('CC10 bars out of one whole: each item’s part of it in words, bars and shares against it', () => {
    const checklist = experienceResults().experiences.find((x) => x.kind === 'checklist')!
    const items = checklist.items!.map((i) => ({ id: i.id, label: i.id, value: i.done }))
    expect(describeBars(items.slice(0, 2), 5)).toBe('welcome: 5 of 5 (100%), kickoff: 4 of 5 (80%).')
    const el = mount(h(BarChart, { title: 'Items done', items, valueLabel: 'Accounts done', outOf: 5 }))
    const widths = [...el.querySelectorAll('svg rect.bar')].map((r) => Number(r.getAttribute('width')))
    expect(widths).toEqual([300, 240, 120, 60, 0, 0])
    expect([...el.querySelectorAll('tbody tr')].map((tr) => tr.lastElementChild?.textContent)).toEqual([
      '100%',
      '80%',
      '40%',
      '20%',
      '0%',
      '0%',
    ])
  })

  it('CC11 bars with notes: each after its item in words, in a column of its own, a warning in red', () => {
    const items = [
      { id: 'kickoff', label: 'Kickoff', value: 4, note: 'median day 2' },
      { id: 'setup', label: 'Setup', value: 2, note: 'median day 9: late', alert: true },
      { id: 'training', label: 'Training', value: 0 },
    ]
    expect(describeBars(items, 5)).toBe(
      'Kickoff: 4 of 5 (80%), median day 2; Setup: 2 of 5 (40%), median day 9: late; Training: 0 of 5 (0%).',
    )
    const el = mount(h(BarChart, { title: 'Items done', items, valueLabel: 'Done', outOf: 5 }))
    expect([...el.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual(['Item', 'Done', 'Share', 'Note'])
    expect([...el.querySelectorAll('tbody tr')].map((tr) => tr.lastElementChild?.textContent)).toEqual([
      'median day 2',
      'median day 9: late',
      '',
    ])
    expect(
      [...el.querySelectorAll('svg text.note')].map((t) => [t.textContent, t.classList.contains('alert')]),
    ).toEqual([
      ['median day 2', false],
      ['median day 9: late', true],
    ])
    // Wider by the notes' room; without notes, as before.
    const plain = document.createElement('div')
    render(h(BarChart, { title: 'Items', items: items.slice(2), valueLabel: 'Done', outOf: 5 }), plain)
    const width = (e: HTMLElement) => Number(e.querySelector('svg')?.getAttribute('width'))
    expect(width(el)).toBeGreaterThan(width(plain))
    expect(plain.querySelectorAll('thead th')).toHaveLength(3)
    render(null, plain)
  })
})
