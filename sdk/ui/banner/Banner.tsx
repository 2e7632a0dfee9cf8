/** @jsxRuntime classic */ /** @jsx h */
import { h } from 'preact'
import type { BannerExperience } from '../../wire'
import { Close, CtaButton, Reason } from '../controls'
import type { Model } from '../model'

/** The renewal notice (inline, top of the page): "Your plan renews on 24 Dec 2026, in 30 days." Dismissible; never takes focus. */
export function Banner({ m, exp }: { m: Model; exp: BannerExperience }) {
  const { t } = m.i18n
  const text = m.titleOf(exp)
  return (
    <section class="bn" part="banner" aria-label={text}>
      <p>{text}</p>
      {exp.cta && (
        <CtaButton
          m={m}
          url={exp.cta.url}
          guide={exp.cta.guide}
          label={t('banner.cta')}
          look="lk"
          onClick={() => m.complete(exp)}
        />
      )}
      <Reason m={m} exp={exp} />
      <Close label={t('dismiss')} onClick={() => m.dismiss(exp)} />
    </section>
  )
}
