/** @jsxRuntime classic */ /** @jsx h */
import { h } from 'preact'
import type { MessageExperience } from '../../wire'
import { CtaButton } from '../controls'
import { Dialog } from '../Dialog'
import { markdown } from '../markdown'
import type { Model } from '../model'

/**
 * An intervention's in-app message (journey.md, "Interventions"): `low_usage` re-engagement,
 * `single_user` "invite your team", `usage_declining` a one-question diagnosis whose answer id goes
 * with `experience_completed`. The catalog's text unless the config gave `title`/`body`.
 */
export function Message({ m, exp }: { m: Model; exp: MessageExperience }) {
  const { t } = m.i18n
  const k = 'situation.' + exp.situation
  if (m.draft.value.answered)
    return (
      <Dialog key="a" m={m} exp={exp} title={t('thanks')}>
        <p>{t('nps.thanks_body')}</p>
      </Dialog>
    )
  const answer = (id: string) => {
    m.complete(exp, { answer: id })
    m.draft.value = { answered: true }
  }
  return (
    <Dialog key="q" m={m} exp={exp} title={exp.title || t(k + '.title', undefined, '')}>
      {exp.body ? markdown(exp.body) : <p>{t(k + '.body', undefined, '')}</p>}
      <div class="row">
        {exp.options?.map((o) => (
          <button key={o} class="btn" part="button" onClick={() => answer(o)}>
            {t('option.' + o, undefined, o.replace(/_/g, ' '))}
          </button>
        ))}
        {exp.cta && (
          <CtaButton
            m={m}
            url={exp.cta.url}
            guide={exp.cta.guide}
            label={t(k + '.cta', undefined, t('open'))}
            onClick={() => m.complete(exp)}
          />
        )}
      </div>
    </Dialog>
  )
}
