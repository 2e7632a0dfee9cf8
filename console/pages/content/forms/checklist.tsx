/** The onboarding checklist: where it shows, its items in order, each item's title per locale and call to action. */
import { ONBOARDING_MILESTONES } from '../../../../server/journey/vocabulary'
import { labelOf } from '../../../i18n'
import { common } from '../../../i18n/common'
import { t } from '../messages'
import type { ContentModel } from '../model'
import { current, DocField, Group, LocalizedText, PhaseBoxes, setValue } from './fields'

const CHECKLIST = 'experiences.checklist'

export function ChecklistForm({ model }: { model: ContentModel }) {
  const items = (current(model, `${CHECKLIST}.items`) as string[] | undefined) ?? []
  const hidden = ONBOARDING_MILESTONES.filter((m) => !items.includes(m))
  const setItems = (next: string[]) => setValue(model, `${CHECKLIST}.items`, next)
  const move = (i: number, by: number) => {
    const next = [...items]
    const [m] = next.splice(i, 1)
    next.splice(i + by, 0, m!)
    setItems(next)
  }
  return (
    <>
      <PhaseBoxes model={model} path={`${CHECKLIST}.phases`} />
      <Group model={model} path={`${CHECKLIST}.items`} legend={t('items')}>
        <p class="hint">{t('itemTitleHint')}</p>
        <ol class="items">
          {[...items, ...hidden].map((id, i) => {
            const shown = i < items.length
            const name = labelOf(common, 'milestone', id)
            return (
              <li key={id} class="card">
                <div class="row">
                  <label class="row">
                    <input
                      type="checkbox"
                      checked={shown}
                      onChange={(e) =>
                        setItems(e.currentTarget.checked ? [...items, id] : items.filter((x) => x !== id))
                      }
                    />
                    <strong>{name}</strong> <code>{id}</code>
                  </label>
                  {shown && (
                    <>
                      <button
                        type="button"
                        disabled={i === 0}
                        aria-label={t('up', { name })}
                        onClick={() => move(i, -1)}
                      >
                        ↑
                      </button>
                      <button
                        type="button"
                        disabled={i === items.length - 1}
                        aria-label={t('down', { name })}
                        onClick={() => move(i, 1)}
                      >
                        ↓
                      </button>
                    </>
                  )}
                </div>
                {shown && (
                  <>
                    <LocalizedText
                      model={model}
                      path={`${CHECKLIST}.titles.${id}`}
                      label={`${t('itemTitle')}: ${name}`}
                    />
                    <div class="cards">
                      <DocField
                        model={model}
                        kind="text"
                        path={`${CHECKLIST}.cta.${id}.url`}
                        label={`${t('ctaUrl')}: ${name}`}
                      />
                      <DocField
                        model={model}
                        kind="text"
                        path={`${CHECKLIST}.cta.${id}.guide`}
                        label={`${t('ctaGuide')}: ${name}`}
                      />
                    </div>
                  </>
                )}
              </li>
            )
          })}
        </ol>
      </Group>
    </>
  )
}
