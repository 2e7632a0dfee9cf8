/**
 * The preview: the in-app UI that end users download (the SDK's UI chunk), mounted on this page
 * with what the server builds from the document for a made-up account, in the locale chosen, for
 * the segment being edited. Every kind can be shown; it closes with its own close button, Escape,
 * or "Close the preview", and when the page changes.
 */
import { useEffect, useState } from 'preact/hooks'
import { LOCALES } from '../../../server/journey/vocabulary'
import { locale } from '../../i18n'
import { FormError, Select } from '../../ui/parts'
import { getAt } from './config-doc'
import type { Doc, Locale } from './config-doc'
import { t, tk } from './messages'
import type { ContentModel } from './model'

const SITUATIONS = ['low_usage', 'single_user', 'usage_declining'] as const

/** What can be previewed in `doc`: every kind, each message, each guide (the document's, else the config in force's). */
function choices(model: ContentModel, doc: Doc): { value: string; label: string }[] {
  const guides = (getAt(doc, 'guides') ?? getAt(model.inForce.data.value, 'guides') ?? []) as { id?: string }[]
  return [
    { value: 'checklist', label: tk('kind.checklist') },
    ...guides.filter((g) => g.id).map((g) => ({ value: `guide:${g.id}`, label: t('guideN', { id: g.id! }) })),
    { value: 'nps', label: tk('kind.nps') },
    { value: 'value', label: tk('kind.value') },
    { value: 'advocacy', label: tk('kind.advocacy') },
    ...SITUATIONS.map((s) => ({ value: `message:${s}`, label: `${tk('kind.message')}: ${tk(`msg.${s}`)}` })),
    { value: 'banner', label: tk('kind.banner') },
  ]
}

export function Preview({ model, doc }: { model: ContentModel; doc: Doc }) {
  const options = choices(model, doc)
  const [what, setWhat] = useState(options[0]!.value)
  const [loc, setLoc] = useState<Locale>(locale.value)
  useEffect(() => () => model.closePreview(), [])
  const showing = model.previewing.value
  return (
    <section aria-labelledby="preview-h">
      <h2 id="preview-h">{t('previewTitle')}</h2>
      <p class="hint">{t('previewHint')}</p>
      <div class="cards">
        <Select label={t('previewWhat')} value={what} options={options} onChange={setWhat} />
        <Select
          label={t('previewLocale')}
          value={loc}
          options={LOCALES.map((l) => ({ value: l, label: l }))}
          onChange={(v) => setLoc(v as Locale)}
        />
      </div>
      <div class="row">
        <button
          type="button"
          disabled={model.preview.busy.value}
          onClick={() => void model.preview.run(doc, what, loc)}
        >
          {t('showPreview')}
        </button>
        {showing && (
          <button type="button" onClick={() => model.closePreview()}>
            {t('closePreview')}
          </button>
        )}
      </div>
      <p role="status" class="hint">
        {showing
          ? t('previewShowing', {
              what: options.find((o) => o.value === showing.choice)?.label ?? showing.choice,
              locale: showing.locale,
            })
          : ''}
      </p>
      <FormError error={model.preview.error.value} />
    </section>
  )
}
