/** The intervention messages and the renewal banner: their texts per locale and calls to action. */
import { t, tk } from '../messages'
import type { ContentModel } from '../model'
import { DocField, Group, LocalizedText, PhaseBoxes } from './fields'

export function MessagesForm({ model }: { model: ContentModel }) {
  return (
    <>
      <PhaseBoxes model={model} path="experiences.messagePhases" />
      {(['low_usage', 'single_user', 'usage_declining'] as const).map((m) => {
        const base = `experiences.messages.${m}`
        const name = tk(`msg.${m}`)
        return (
          <Group key={m} model={model} path={base} legend={name}>
            <LocalizedText model={model} path={`${base}.title`} label={`${t('msgTitle')}: ${name}`} />
            <LocalizedText model={model} path={`${base}.body`} label={`${t('msgBody')}: ${name}`} rows={3} />
            <div class="cards">
              <DocField model={model} kind="text" path={`${base}.cta.url`} label={`${t('ctaUrl')}: ${name}`} />
              <DocField model={model} kind="text" path={`${base}.cta.guide`} label={`${t('ctaGuide')}: ${name}`} />
            </div>
          </Group>
        )
      })}
    </>
  )
}

export function BannerForm({ model }: { model: ContentModel }) {
  return (
    <Group model={model} path="experiences.banner" legend={t('tab.banner')}>
      <div class="cards">
        <DocField model={model} path="experiences.banner.daysBefore" label={t('banner.daysBefore')} />
        <DocField model={model} path="experiences.banner.snoozeDays" label={t('banner.snoozeDays')} />
      </div>
      <LocalizedText
        model={model}
        path="experiences.banner.texts.text"
        label={t('banner.text')}
        hint={t('banner.textHint')}
        rows={2}
      />
      <LocalizedText model={model} path="experiences.banner.texts.cta" label={t('banner.ctaLabel')} />
      <div class="cards">
        <DocField model={model} kind="text" path="experiences.banner.cta.url" label={t('ctaUrl')} />
        <DocField model={model} kind="text" path="experiences.banner.cta.guide" label={t('ctaGuide')} />
      </div>
    </Group>
  )
}
