/** The advocacy asks: where they show, their words, and each program's name, benefit per locale and link. */
import { t, tk } from '../messages'
import type { ContentModel } from '../model'
import { current, DocField, Group, LocalizedText, PhaseBoxes } from './fields'

export function AdvocacyForm({ model }: { model: ContentModel }) {
  const programs = (current(model, 'advocacy.programs') ?? {}) as Record<string, { id: string }[]>
  const ids = [...new Set(Object.values(programs).flatMap((list) => list.map((p) => p.id)))]
  return (
    <>
      <PhaseBoxes model={model} path="experiences.advocacy.phases" />
      <Group model={model} path="experiences.advocacy.texts" legend={t('advocacyTexts')}>
        <p class="hint">{t('advocacyTextsNote')}</p>
        {(['title', 'accept', 'accepted'] as const).map((f) => (
          <LocalizedText
            key={f}
            model={model}
            path={`experiences.advocacy.texts.${f}`}
            label={tk(`advocacyText.${f}`)}
          />
        ))}
      </Group>
      <Group model={model} path="experiences.advocacy.benefits" legend={t('benefits')}>
        {ids.map((program) => (
          <div key={program} class="card">
            <h3>
              <code>{program}</code>
            </h3>
            <LocalizedText
              model={model}
              path={`experiences.advocacy.names.${program}`}
              label={t('nameOf', { program })}
            />
            <LocalizedText
              model={model}
              path={`experiences.advocacy.benefits.${program}`}
              label={t('benefitOf', { program })}
            />
            <DocField
              model={model}
              kind="text"
              path={`experiences.advocacy.links.${program}`}
              label={t('linkOf', { program })}
            />
          </div>
        ))}
      </Group>
    </>
  )
}
