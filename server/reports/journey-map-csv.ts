/** The journey map as CSV, one record per phase. */
import type { JourneyMap, JourneyMapRow } from './journey-map'
import { toCsv } from './html'

const pctOf = (delivered: number, planned: number) =>
  planned === 0 ? '' : `${Math.round((delivered * 100) / planned)}%`
const touchText = (r: JourneyMapRow) =>
  r.touchpoints.items.map((i) => `${i.label} ${i.delivered}/${i.planned}`).join('; ')

/** The map as RFC 4180 CSV (CRLF records, a header row; gaps and actions joined by "; "). */
export function journeyMapCsv(m: JourneyMap): string {
  const rows: unknown[][] = [
    [
      'phase',
      'objective',
      'accounts',
      'touchpoints_planned',
      'touchpoints_delivered',
      'delivered_share',
      'touchpoints',
      'emotion_nps',
      'nps_answers',
      'gap',
      'action',
    ],
  ]
  for (const r of m.rows) {
    rows.push([
      r.phase,
      r.objective,
      r.accounts,
      r.touchpoints.planned,
      r.touchpoints.delivered,
      pctOf(r.touchpoints.delivered, r.touchpoints.planned),
      touchText(r),
      r.emotion.nps ?? '',
      r.emotion.responses,
      r.gaps.join('; '),
      r.actions.join('; '),
    ])
  }
  return toCsv(rows)
}
