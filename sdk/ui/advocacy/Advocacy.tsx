/** @jsxRuntime classic */ /** @jsx h */
import { h } from 'preact'
import type { AdvocacyExperience, AdvocacyProgramOffer, Experience } from '../../wire'
import { Dialog } from '../Dialog'
import { safeUrl } from '../url'
import type { Model } from '../model'

/** The advocacy ask (modal): programs with their benefits; or, for a detractor, the recovery message. */
export function Advocacy({ m, exp }: { m: Model; exp: AdvocacyExperience }) {
  if (exp.recovery || !exp.programs?.length) return <Recovery m={m} exp={exp} />
  return (
    <Dialog m={m} exp={exp} title={m.i18n.t('advocacy.title')}>
      <Programs m={m} exp={exp} programs={exp.programs} />
    </Dialog>
  )
}

/** "Sorry — what should we improve? Someone from our team will reach out." */
export function Recovery({ m, exp }: { m: Model; exp: Experience }) {
  const { t } = m.i18n
  return (
    <Dialog m={m} exp={exp} title={t('recovery.title')}>
      <p>{t('recovery.body')}</p>
    </Dialog>
  )
}

/** The programs on offer; accepting sends `advocacy_accepted` and opens the program's page. */
export function Programs({ m, exp, programs }: { m: Model; exp: Experience; programs: AdvocacyProgramOffer[] }) {
  const { t } = m.i18n
  const accepted = m.draft.value.accepted || []
  const accept = (p: AdvocacyProgramOffer) => {
    if (accepted.includes(p.id)) return
    m.send('advocacy_accepted', exp, { program: p.id })
    // The ask is answered (an NPS follow-up's survey was completed by its answer already).
    if (exp.kind == 'advocacy') m.complete(exp, { answer: p.id })
    m.draft.value = { ...m.draft.value, accepted: [...accepted, p.id] }
    if (p.url && safeUrl(p.url)) open(p.url, '_blank', 'noopener')
  }
  return (
    <ul class="ls pg">
      {programs.map((p) => {
        const name = t('program.' + p.id, undefined, p.id.replace(/_/g, ' '))
        const done = accepted.includes(p.id)
        return (
          <li key={p.id} part="item">
            <div>
              <b>{name}</b>
              <p>{p.benefit}</p>
              {/* Stays a button once accepted (focus stays where it was), and says so. */}
              <button
                class="btn pri"
                part="button primary"
                aria-label={done ? undefined : `${t('advocacy.accept')}: ${name}`}
                aria-disabled={done}
                onClick={() => accept(p)}
              >
                {done ? t('advocacy.accepted') : t('advocacy.accept')}
              </button>
            </div>
          </li>
        )
      })}
    </ul>
  )
}
