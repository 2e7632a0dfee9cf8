/** The NPS survey: its texts per locale (each empty one is the in-app UI's own) and when it is asked. */
import { t, tk } from '../messages'
import type { ContentModel } from '../model'
import { DocField, Group, LocalizedText } from './fields'

const TIMING = [
  'everyDays',
  'notBeforeDay',
  'healthCheckDay',
  'fromDay',
  'afterRenewalDays',
  'dismissRetryDays',
  'maxDismissals',
] as const

/** `experiences.nps.texts`, in the order the survey shows them. */
const TEXTS = ['title', 'question', 'low', 'high', 'comment', 'submit', 'thanks'] as const

export function NpsForm({ model }: { model: ContentModel }) {
  return (
    <>
      <Group model={model} path="experiences.nps.texts" legend={t('npsTexts')}>
        <p class="hint">{t('npsTextsNote')}</p>
        {TEXTS.map((f) => (
          <LocalizedText
            key={f}
            model={model}
            path={`experiences.nps.texts.${f}`}
            label={tk(`npsText.${f}`)}
            rows={f === 'thanks' || f === 'question' ? 2 : undefined}
          />
        ))}
      </Group>
      <Group model={model} path="nps.survey" legend={t('npsTiming')}>
        <div class="cards">
          {TIMING.map((f) => (
            <DocField key={f} model={model} path={`nps.survey.${f}`} label={tk(`nps.${f}`)} />
          ))}
        </div>
      </Group>
    </>
  )
}
