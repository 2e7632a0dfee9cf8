/**
 * The draft editor: a form for each part of the config (forms/), the whole document as JSON, the
 * translations missing, the dry run and the preview. Forms and text edit one document (the model
 * keeps them in step); the server validates it on save, and each of its issues is shown at its
 * field (forms) and at its line (text), tied to the input for screen readers. The forms edit the
 * workspace's values or one segment's overrides of them (the scope picker).
 */
import { Fragment } from 'preact'
import { SEGMENTS } from '../../../server/journey/vocabulary'
import type { Segment } from '../../../server/journey/vocabulary'
import { formatNumber } from '../../format'
import { labelOf } from '../../i18n'
import { common } from '../../i18n/common'
import { AccountLink, Select, TableWrap } from '../../ui/parts'
import { AdvocacyForm } from './forms/advocacy'
import { AttentionForm } from './forms/attention'
import { ChecklistForm } from './forms/checklist'
import { GuidesForm } from './forms/guides'
import { JsonView } from './forms/json'
import { BannerForm, MessagesForm } from './forms/messages'
import { NpsForm } from './forms/nps'
import { ValueForm } from './forms/value'
import { t, tk } from './messages'
import type { ContentModel } from './model'

export const TABS = [
  'checklist',
  'guides',
  'nps',
  'attention',
  'messages',
  'banner',
  'advocacy',
  'value',
  'json',
] as const
export type Tab = (typeof TABS)[number]

/** Whose values the forms edit: the workspace's, or one segment's overrides of them. */
export function ScopePicker({ model }: { model: ContentModel }) {
  return (
    <div>
      <Select
        label={t('scope')}
        value={model.scope.value}
        options={[
          { value: '', label: t('scope.workspace') },
          ...SEGMENTS.map((s) => ({ value: s, label: t('scope.segment', { segment: labelOf(common, 'segment', s) }) })),
        ]}
        onChange={(v) => (model.scope.value = v as Segment | '')}
      />
      <p class="hint">{model.scope.value === '' ? t('scope.workspaceHint') : t('scope.segmentHint')}</p>
    </div>
  )
}

export function TabBody({ model, tab }: { model: ContentModel; tab: Tab }) {
  switch (tab) {
    case 'checklist':
      return <ChecklistForm model={model} />
    case 'guides':
      return <GuidesForm model={model} />
    case 'nps':
      return <NpsForm model={model} />
    case 'attention':
      return <AttentionForm model={model} />
    case 'messages':
      return <MessagesForm model={model} />
    case 'banner':
      return <BannerForm model={model} />
    case 'advocacy':
      return <AdvocacyForm model={model} />
    case 'value':
      return <ValueForm model={model} />
    default:
      return <JsonView model={model} />
  }
}

/** The texts given per locale that lack one, as field × locale. */
export function Gaps({ model }: { model: ContentModel }) {
  const gaps = model.gaps.value
  return (
    <section aria-labelledby="gaps-h">
      <h2 id="gaps-h">{t('gaps')}</h2>
      {gaps.length === 0 ? (
        <p>{t('noGaps')}</p>
      ) : (
        <div class="notice notice-warning">
          <p>{t('gapsIntro')}</p>
          <ul>
            {gaps.map((g) => (
              <li key={`${g.path}:${g.missing}`}>
                <code>{g.path}</code>: {t('missingIn', { locale: g.missing })}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  )
}

const change = (b: unknown, a: unknown) =>
  `${Array.isArray(b) ? b.join(', ') || '–' : String(b ?? '–')} → ${Array.isArray(a) ? a.join(', ') || '–' : String(a ?? '–')}`

/** The dry run's answer: counts, whether it is partial, the accounts and the experiences. */
export function DryRunResult({ model }: { model: ContentModel }) {
  const r = model.dryRun.value
  if (!r) return null
  const kinds = ['accounts', 'phase', 'band', 'redFlags', 'milestones'] as const
  return (
    <div role="status">
      <p class={r.complete ? '' : 'notice notice-warning'}>
        {r.complete
          ? t('complete', { total: formatNumber(r.total) })
          : t('partial', { examined: formatNumber(r.examined), total: formatNumber(r.total) })}
      </p>
      <h3>{t('changedAccounts')}</h3>
      <dl class="facts">
        {kinds.map((k) => (
          <Fragment key={k}>
            <dt>{tk(`changed.${k}`)}</dt>
            <dd>{formatNumber(r.changed[k])}</dd>
          </Fragment>
        ))}
      </dl>
      {r.accounts.length === 0 ? (
        <p>{t('noAccountChange')}</p>
      ) : (
        <TableWrap label={t('changedAccounts')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('account')}</th>
                <th scope="col">{t('what')}</th>
              </tr>
            </thead>
            <tbody>
              {r.accounts.map((a) => (
                <tr key={a.accountId}>
                  <td>
                    <AccountLink id={a.accountId} />
                  </td>
                  <td>
                    <ul class="plain">
                      {a.phase && (
                        <li>
                          {t('changed.phase')}: {labelOf(common, 'phase', a.phase.before)} →{' '}
                          {labelOf(common, 'phase', a.phase.after)}
                        </li>
                      )}
                      {a.band && (
                        <li>
                          {t('changed.band')}: {labelOf(common, 'band', a.band.before)} →{' '}
                          {labelOf(common, 'band', a.band.after)}
                        </li>
                      )}
                      {a.redFlags && (
                        <li>
                          {t('changed.redFlags')}:{' '}
                          {change(
                            a.redFlags.before.map((f) => labelOf(common, 'flag', f)),
                            a.redFlags.after.map((f) => labelOf(common, 'flag', f)),
                          )}
                        </li>
                      )}
                      {a.milestones?.map((m) => (
                        <li key={m.id}>
                          {labelOf(common, 'milestone', m.id)}: {change(m.before, m.after)}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {r.truncated && <p class="hint">{t('truncated', { n: formatNumber(r.accounts.length) })}</p>}
      <h3>{t('offered')}</h3>
      {r.experiences.length === 0 ? (
        <p>{t('noneOffered')}</p>
      ) : (
        <TableWrap label={t('offered')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('experience')}</th>
                <th scope="col">{t('kind')}</th>
                <th scope="col">{t('users')}</th>
              </tr>
            </thead>
            <tbody>
              {r.experiences.map((x) => (
                <tr key={x.id}>
                  <td>
                    <code>{x.id}</code>
                  </td>
                  <td>{tk(`kind.${x.kind}`)}</td>
                  <td class="num">{formatNumber(x.users)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {r.usersSkipped > 0 && <p class="hint">{t('usersSkipped', { n: formatNumber(r.usersSkipped) })}</p>}
    </div>
  )
}
