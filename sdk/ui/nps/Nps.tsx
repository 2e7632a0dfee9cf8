/** @jsxRuntime classic */ /** @jsx h */
import { h } from 'preact'
import type { NpsExperience } from '../../wire'
import { Programs, Recovery } from '../advocacy/Advocacy'
import { Dialog } from '../Dialog'
import type { Model } from '../model'
import { pickFollowUp } from './follow-up'

const SCORES = [...Array(11).keys()]

/**
 * The NPS survey (modal): 0-10 as native radio buttons (arrow keys move along the scale), an
 * optional comment, "ask me later". After the answer, the follow-up decided beforehand: the
 * advocacy programs for promoters, a recovery message for detractors, thanks for the others.
 */
export function Nps({ m, exp }: { m: Model; exp: NpsExperience }) {
  const { t } = m.i18n
  const draft = m.draft.value

  if (typeof draft.answered == 'number') {
    const f = pickFollowUp(exp.followUps, draft.answered)
    if (f?.recovery) return <Recovery key="f" m={m} exp={exp} />
    if (f?.programs?.length)
      return (
        <Dialog key="f" m={m} exp={exp} title={t('advocacy.title')}>
          <Programs m={m} exp={exp} programs={f.programs} />
        </Dialog>
      )
    return (
      <Dialog key="f" m={m} exp={exp} title={t('thanks')}>
        <p>{t('nps.thanks_body')}</p>
      </Dialog>
    )
  }

  const submit = (e: Event) => {
    e.preventDefault()
    const s = draft.score
    if (s == null) return
    const c = String(new FormData(e.currentTarget as HTMLFormElement).get('comment') || '').trim()
    m.send('nps_response', exp, c ? { score: s, comment: c } : { score: s })
    m.complete(exp)
    m.draft.value = { answered: s }
  }

  return (
    <Dialog key="q" m={m} exp={exp} title={t('nps.title')}>
      <form onSubmit={submit}>
        <fieldset part="scale" aria-describedby="jn-ends">
          <legend>{t('nps.question')}</legend>
          <div class="sc">
            {SCORES.map((n) => (
              <label key={n}>
                <input
                  type="radio"
                  name="score"
                  value={n}
                  checked={draft.score == n}
                  onChange={() => (m.draft.value = { score: n })}
                />
                <span>{n}</span>
              </label>
            ))}
          </div>
          <div class="ends" id="jn-ends">
            <span>{t('nps.low')}</span>
            <span>{t('nps.high')}</span>
          </div>
        </fieldset>
        <label for="jn-comment">{t('nps.comment')}</label>
        <textarea id="jn-comment" name="comment" maxLength={2000} />
        <div class="row">
          <button type="button" class="btn" part="button" onClick={() => m.close('later')}>
            {t('later')}
          </button>
          <button type="submit" class="btn pri" part="button primary" disabled={draft.score == null}>
            {t('nps.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
