/** @jsxRuntime classic */ /** @jsx h */
import { h } from 'preact'
import type { Experience } from '../../wire'
import type { Model } from '../model'

/**
 * The resource center: a button in the bottom corner (disclosure pattern: focus stays on it) and a
 * panel with the checklist and a link per guide, value statement or dismissed experience.
 */
export function Launcher({ m, exp: list }: { m: Model; exp: Experience[] }) {
  const { t } = m.i18n
  const open = m.panel.value
  const Checklist = m.kinds.loaded.value.checklist?.view.checklist
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
        onClick={() =>
          // A checklist it lists comes with the panel: it opens once the chunk is here (or failed).
          open
            ? (m.panel.value = false)
            : list.some((e) => e.kind == 'checklist')
              ? m.kinds.use('checklist', m.host.log, () => (m.panel.value = true))
              : (m.panel.value = true)
        }
      >
        {t('launcher')}
      </button>
      {open && (
        <div id="jl-panel" class="c ck" part="panel">
          <h2 part="title">{t('launcher')}</h2>
          {list.map((e) =>
            e.kind == 'checklist' && Checklist ? <Checklist key={e.id} m={m} exp={e} inPanel /> : null,
          )}
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
