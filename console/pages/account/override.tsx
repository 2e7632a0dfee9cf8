/**
 * The phase, the rules' phase beneath an override, the override form (CSMs and above: console.md,
 * "Roles"; the form is not offered to a viewer) and the list of override changes.
 */
import { useState } from 'preact/hooks'
import { formatDay, formatTime, utcDay } from '../../format'
import { labelOf } from '../../i18n'
import { common } from '../../i18n/common'
import type { JourneyState, OverrideResponse } from '../../types'
import { Field, FormError, Reason, Select, fieldError } from '../../ui/parts'
import { PHASES } from '../../vocabulary'
import { t } from './messages'
import type { AccountModel } from './model'
import { Section } from './sections'

const phaseLabel = (p: string) => labelOf(common, 'phase', p)
/** A new override's default length. */
const DEFAULT_DAYS = 30

function OverrideForm({ model, state }: { model: AccountModel; state: JourneyState }) {
  const [phase, setPhase] = useState<string>(state.phase.id)
  const [reason, setReason] = useState('')
  const [expiresAt, setExpiresAt] = useState(utcDay(Date.now() + DEFAULT_DAYS * 86_400_000))
  const [liftReason, setLiftReason] = useState('')
  const { setOverride, liftOverride } = model
  const error = setOverride.error.value
  return (
    <>
      <form
        class="card"
        aria-labelledby="override-form-h"
        onSubmit={async (e) => {
          e.preventDefault()
          await setOverride.run({ phase, reason: reason.trim(), expiresAt })
          if (!setOverride.error.value) setReason('')
        }}
      >
        <h3 id="override-form-h">{t('override')}</h3>
        <p class="hint">{t('overrideHint')}</p>
        <FormError error={error} fields={['phase', 'reason', 'expiresAt']} />
        <Select
          label={t('overridePhase')}
          value={phase}
          options={PHASES.map((p) => ({ value: p, label: phaseLabel(p) }))}
          onChange={setPhase}
          error={fieldError(error, 'phase')}
        />
        <Field
          label={t('overrideReason')}
          name="reason"
          required
          maxLength={500}
          value={reason}
          error={fieldError(error, 'reason')}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
        <Field
          label={t('overrideExpires')}
          type="date"
          name="expiresAt"
          required
          min={utcDay(Date.now())}
          value={expiresAt}
          error={fieldError(error, 'expiresAt')}
          onInput={(e) => setExpiresAt(e.currentTarget.value)}
        />
        <button type="submit" disabled={setOverride.busy.value}>
          {t('overrideSave')}
        </button>
      </form>
      {state.phase.override && (
        <form
          class="card"
          aria-labelledby="override-lift-h"
          onSubmit={async (e) => {
            e.preventDefault()
            await liftOverride.run(liftReason)
            if (!liftOverride.error.value) setLiftReason('')
          }}
        >
          <h3 id="override-lift-h">{t('overrideLift')}</h3>
          <FormError error={liftOverride.error.value} fields={['reason']} />
          <Field
            label={t('liftReason')}
            name="liftReason"
            maxLength={500}
            value={liftReason}
            error={fieldError(liftOverride.error.value, 'reason')}
            onInput={(e) => setLiftReason(e.currentTarget.value)}
          />
          <button type="submit" class="danger" disabled={liftOverride.busy.value}>
            {t('overrideLift')}
          </button>
        </form>
      )}
    </>
  )
}

function OverrideHistory({ data }: { data: OverrideResponse | null }) {
  if (!data) return null
  return (
    <>
      <h3>{t('overrideHistory')}</h3>
      {data.changes.length === 0 ? (
        <p>{t('noOverrideChanges')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('at')}</th>
              <th scope="col">{t('action')}</th>
              <th scope="col">{t('by')}</th>
              <th scope="col">{tcReason()}</th>
            </tr>
          </thead>
          <tbody>
            {data.changes.map((c) => (
              <tr key={`${c.at}-${c.action}`}>
                <th scope="row">{formatTime(c.at)}</th>
                <td>
                  {t(c.action === 'set' ? 'action.set' : 'action.lift')}
                  {c.override && ` → ${phaseLabel(c.override.phase)} (${formatDay(c.override.expiresAt)})`}
                </td>
                <td>{c.by}</td>
                <td>{c.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}

const tcReason = () => labelOf(common, 'common', 'reason')

export function PhaseSection({
  state,
  model,
  canOverride,
  asOfNow,
}: {
  state: JourneyState
  model: AccountModel
  canOverride: boolean
  /** Overrides are set on the account as it is now, not on a day in the past. */
  asOfNow: boolean
}) {
  const o = state.phase.override
  return (
    <Section id="phase" title={t('phase')}>
      <p class="big">{phaseLabel(state.phase.id)}</p>
      <Reason>{state.phase.reason}</Reason>
      {o && (
        <p>
          {o.expiresAt
            ? t('overriddenBy', {
                phase: phaseLabel(o.phase),
                by: o.by,
                until: formatDay(o.expiresAt),
                reason: o.reason,
              })
            : t('overriddenForever', { phase: phaseLabel(o.phase), by: o.by, reason: o.reason })}
          <br />
          {t('rulesSay', { phase: phaseLabel(state.phase.rules.id), reason: state.phase.rules.reason })}
        </p>
      )}
      {canOverride && asOfNow && <OverrideForm model={model} state={state} />}
      <OverrideHistory data={model.override.data.value} />
    </Section>
  )
}
