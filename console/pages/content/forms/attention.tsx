/** The attention budget, the priorities of the kinds and the frequency caps. */
import { EXPERIENCE_KINDS } from '../../../../server/journey/vocabulary'
import { t, tk } from '../messages'
import type { ContentModel } from '../model'
import { DocField, Group } from './fields'

const CAPPED = ['guide', 'value', 'advocacy', 'message'] as const

export function AttentionForm({ model }: { model: ContentModel }) {
  return (
    <>
      <Group model={model} path="experiences.budget" legend={t('budget')}>
        <div class="cards">
          {(['perSession', 'perDay', 'gapMinutes'] as const).map((f) => (
            <DocField
              key={f}
              model={model}
              kind={f === 'gapMinutes' ? 'number' : 'int'}
              path={`experiences.budget.${f}`}
              label={tk(`budget.${f}`)}
            />
          ))}
        </div>
      </Group>
      <Group model={model} path="experiences.priority" legend={t('priority')}>
        <div class="cards">
          {EXPERIENCE_KINDS.map((k) => (
            <DocField key={k} model={model} kind="number" path={`experiences.priority.${k}`} label={tk(`kind.${k}`)} />
          ))}
        </div>
      </Group>
      <Group model={model} path="experiences.caps" legend={t('caps')}>
        <div class="cards">
          {CAPPED.map((k) => (
            <div key={k}>
              <DocField
                model={model}
                path={`experiences.caps.${k}.max`}
                label={t('capMax', { kind: tk(`kind.${k}`) })}
              />
              <DocField
                model={model}
                path={`experiences.caps.${k}.days`}
                label={t('capDays', { kind: tk(`kind.${k}`) })}
              />
            </div>
          ))}
        </div>
      </Group>
    </>
  )
}
