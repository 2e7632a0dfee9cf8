/**
 * A health score's components as bars (the way Vitally shows a score's categories): each
 * component's value out of 100, its weight, the points it adds, and the engine's reason. The
 * caption says the sum in words; the SVG bars are only the picture of the values beside them.
 */
import { formatNumber } from '../format'
import { labelOf } from '../i18n'
import { common } from '../i18n/common'
import type { JourneyState } from '../types'

type Health = JourneyState['health']

/** `Score 62 = Adoption 14 + Usage trend 20 + …; left out: NPS.` (the last part only when data is missing). */
export function describeHealth(health: Health, leftOut: string): string {
  const parts = health.components.map((c) => `${labelOf(common, 'component', c.id)} ${formatNumber(c.contribution, 1)}`)
  const missing = health.missing.map((id) => labelOf(common, 'component', id))
  return `${formatNumber(health.score)} = ${parts.join(' + ')}${missing.length ? `; ${leftOut}: ${missing.join(', ')}` : ''}.`
}

const BAR = 160

export function HealthBars({
  title,
  health,
  line,
  leftOut,
}: {
  title: string
  health: Health
  /** `{value} of 100 × weight {weight} = {contribution} points`, filled per component. */
  line: (c: Health['components'][number]) => string
  leftOut: string
}) {
  return (
    <figure class="chart">
      <figcaption>
        <strong>{title}</strong> <span>{describeHealth(health, leftOut)}</span>
      </figcaption>
      <table>
        <tbody>
          {health.components.map((c) => (
            <tr key={c.id}>
              <th scope="row">{labelOf(common, 'component', c.id)}</th>
              <td>
                <svg width={BAR} height={14} viewBox={`0 0 ${BAR} 14`} aria-hidden="true">
                  <rect class="track" x={0} y={2} width={BAR} height={10} rx={3} />
                  <rect
                    class="bar"
                    x={0}
                    y={2}
                    width={Math.round((BAR * Math.max(0, Math.min(100, c.value))) / 100)}
                    height={10}
                    rx={3}
                  />
                </svg>
              </td>
              <td>
                <span>{line(c)}</span>
                <p class="reason">{c.reason}</p>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {health.missing.length > 0 && (
        <>
          <p>
            <strong>{leftOut}</strong>
          </p>
          <ul>
            {health.missing.map((id) => (
              <li key={id}>
                {labelOf(common, 'component', id)}
                {health.missingReasons[id] ? `: ${health.missingReasons[id]}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
    </figure>
  )
}
