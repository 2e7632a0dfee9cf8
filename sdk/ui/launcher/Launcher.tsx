/** @jsxRuntime classic */ /** @jsx h */
import { h } from 'preact'
import type { Experience } from '../../wire'
import { Checklist } from '../checklist/Checklist'
import type { Model } from '../model'

/**
 * What the launcher offers: the decision's `launcher` list and everything dismissed on this page,
 * once each, minus what is on screen inline.
 */
export function offers(m: Model): Experience[] {
  const d = m.decision.value
  const dismissed = m.dismissed.value
  const seen = new Set<string>()
  return [...d.launcher, ...d.experiences.filter((e) => dismissed.includes(e.id))].filter((e) => {
    const inline = e.lane == 'inline' && d.experiences.some((x) => x.id == e.id) && !dismissed.includes(e.id)
    if (seen.has(e.id) || inline) return false
    seen.add(e.id)
    return true
  })
}

/**
 * The resource center: a button in the bottom corner (disclosure pattern: focus stays on it) and a
 * panel with the checklist and a link per guide, value statement or dismissed experience.
 */
export function Launcher({ m, list }: { m: Model; list: Experience[] }) {
  const { t } = m.i18n
  const open = m.panel.value
  const pick = (e: Experience) => {
    // Focus returns to the launcher button when what it opens closes (this entry goes away with the panel).
    m.root.querySelector<HTMLElement>('.ln')?.focus()
    m.panel.value = false
    m.show(e.id)
  }
  return (
    <aside aria-label={t('launcher')}>
      <button
        class="ln"
        part="launcher"
        aria-expanded={open}
        aria-controls={open ? 'jl-panel' : undefined}
        onClick={() => (m.panel.value = !open)}
      >
        {t('launcher')}
      </button>
      {open && (
        <div id="jl-panel" class="c ck" part="panel">
          <h2 part="title">{t('launcher')}</h2>
          {list.map((e) => (e.kind == 'checklist' ? <Checklist key={e.id} m={m} exp={e} inPanel /> : null))}
          <ul class="ls">
            {list
              .filter((e) => e.kind != 'checklist')
              .map((e) => (
                <li key={e.id} part="item">
                  <button class="lk" part="link" onClick={() => pick(e)}>
                    {m.titleOf(e)}
                  </button>
                </li>
              ))}
          </ul>
        </div>
      )}
    </aside>
  )
}
