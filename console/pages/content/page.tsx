/** Content (console.md, "Content"): authoring, publishing and results come here; the place is kept for them. */
import { defineMessages, translator } from '../../i18n'
import { PageTitle } from '../../ui/parts'

const t = translator(
  defineMessages(
    {
      title: 'Content',
      soon: 'Checklists, guides, surveys and messages will be written, previewed on your app, dry-run and published here, with their results.',
      meanwhile: 'Until then, the journey config holds the content: GET and PUT /v1/config.',
    },
    {
      title: 'Conteúdo',
      soon: 'Checklists, guias, pesquisas e mensagens serão escritos, pré-visualizados no seu app, testados e publicados aqui, com seus resultados.',
      meanwhile: 'Até lá, o conteúdo fica na configuração da jornada: GET e PUT /v1/config.',
    },
  ),
)

export default function ContentPage() {
  return (
    <>
      <PageTitle title={t('title')}>{t('title')}</PageTitle>
      <p>{t('soon')}</p>
      <p class="hint">{t('meanwhile')}</p>
    </>
  )
}
