/** The journey map as one printable HTML page. */
import type { JourneyMap } from './journey-map'
import { escapeHtml, formatDate, plural } from './html'

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:13px/1.45 Arial,Helvetica,sans-serif;color:#14201c;background:#fff}
main{padding:24px 28px}
h1{font-size:22px;margin:0 0 4px}
.meta{color:#5b6b65;margin-bottom:14px}
table{border-collapse:collapse;width:100%}
th{text-align:left;font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:#5b6b65;border-bottom:2px solid #cfdad6;padding:6px 8px}
td{border-bottom:1px solid #e3e8e6;padding:8px;vertical-align:top}
td.phase{font-weight:bold;white-space:nowrap}
td.phase .n{display:block;font-weight:normal;color:#5b6b65;font-size:12px}
.bar{height:6px;background:#e3e8e6;border-radius:3px;margin:4px 0 6px;width:120px}
.bar i{display:block;height:6px;border-radius:3px;background:#0b6e4f}
.items{font-size:12px;color:#3d4a45}
.nps{font-size:18px;font-weight:bold}
.nps.neg{color:#9b1c10}.nps.pos{color:#0b6e4f}.nps.none{color:#7a8a84;font-size:13px;font-weight:normal}
ul{margin:0;padding-left:16px}
li{margin:1px 0}
.muted{color:#7a8a84}
@page{size:A4 landscape;margin:12mm}
@media print{main{padding:0}tr{break-inside:avoid}}
`

/** The map as an HTML table (the seed's template columns), no scripts, every datum escaped. */
export function renderJourneyMapHtml(m: JourneyMap): string {
  const e = escapeHtml
  const title = `Journey map · ${m.segment ?? 'all segments'}`
  const list = (xs: string[]) =>
    xs.length === 0 ? '<span class="muted">—</span>' : `<ul>${xs.map((x) => `<li>${e(x)}</li>`).join('')}</ul>`
  const body = m.rows
    .map((r) => {
      const t = r.touchpoints
      const share = t.planned === 0 ? 0 : Math.round((t.delivered * 100) / t.planned)
      const touch =
        t.planned === 0
          ? '<span class="muted">none</span>'
          : `<b>${e(t.delivered)} of ${e(t.planned)}</b> delivered (${e(share)}%)<div class="bar"><i style="width:${share}%"></i></div>` +
            `<div class="items">${t.items.map((i) => `${e(i.label)} ${e(i.delivered)}/${e(i.planned)}`).join('<br>')}</div>`
      const em = r.emotion
      const emotion =
        em.nps === null
          ? '<span class="nps none">no answers</span>'
          : `<span class="nps ${em.nps < 0 ? 'neg' : 'pos'}">${e(em.nps > 0 ? `+${em.nps}` : em.nps)}</span><div class="items">${e(plural(em.responses, 'answer'))}: ${e(plural(em.promoters, 'promoter'))}, ${e(plural(em.passives, 'passive'))}, ${e(plural(em.detractors, 'detractor'))}</div>`
      return (
        `<tr><td class="phase">${e(r.phase)}<span class="n">${e(r.accounts)} account${r.accounts === 1 ? '' : 's'} now</span></td>` +
        `<td>${e(r.objective)}</td><td>${touch}</td><td>${emotion}</td><td>${list(r.gaps)}</td><td>${list(r.actions)}</td></tr>`
      )
    })
    .join('\n')
  return [
    '<!DOCTYPE html>',
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${e(title)}</title><style>${CSS}</style></head><body><main>`,
    `<h1>${e(title)}</h1>`,
    `<div class="meta">${e(m.accounts)} account${m.accounts === 1 ? '' : 's'} (${e(m.churned)} churned) · as of ${e(formatDate(m.at, 'en'))} · emotion: NPS of the answers given in each phase</div>`,
    `<table><thead><tr><th>Phase</th><th>Objective</th><th>Touchpoints (delivered of planned)</th><th>Emotion (NPS)</th><th>Gap</th><th>Action</th></tr></thead><tbody>`,
    body,
    '</tbody></table></main></body></html>',
  ].join('\n')
}
