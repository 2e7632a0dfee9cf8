/**
 * Webhook detection: which typed events hold for an account now. A pure function of the
 * account's current state, its facts and the previous snapshot: no clock, no I/O.
 *
 * Each event carries a `causeKey` naming the occurrence ("setup_late raised since 2026-11-09"), not
 * the evaluation: running detection again while a condition holds gives the same keys, and the
 * outbox keeps one event per key (Store.webhooks.enqueue), so each fires once, on entry. No key is made from the
 * time of the evaluation (`at`, today's date): two processes evaluating one account on either side
 * of midnight derive the same keys from the same facts and the same previous snapshot. Only what
 * holds at `at` is listed, so the first evaluation of an old account does not replay its history: a
 * flag raised and cleared last year fires nothing. Causes that are moments rather than states (an
 * NPS answer, a milestone passing its window, a renewal task's due day) are news for `RECENT_DAYS`:
 * the evaluator sees them within the hour, a late one (a renewal date set after a task's day, an
 * evaluator down for a day) still fires, and older ones (an import, webhooks turned on over an old
 * install) are history, not a storm.
 *
 * Keys (`<acct>` the account id; dates are UTC `YYYY-MM-DD`, exact times ISO-8601):
 *
 * | type | key | fires |
 * |---|---|---|
 * | `phase.changed` | `:<acct>:<phase>:<entry date>` (from the rules, after the previous snapshot); else `:<acct>:<phase>:after:<previous phase>:<since when the snapshots showed it>`; with no snapshot and no date, `:<acct>:<phase>:first` | when the phase differs from the previous snapshot's (or there is none) |
 * | `red_flag.raised` | `:<acct>:<flag>:<since>` | each flag in the state |
 * | `red_flag.cleared` | `:<acct>:<flag>:<since of the raise>` | a flag of the previous snapshot that is gone |
 * | `milestone.overdue` | `:<acct>:<milestone>` | each milestone overdue for at most `RECENT_DAYS` (milestones happen once per account) |
 * | `renewal.task_due` | `:<acct>:<task>:<renewal date>` | each renewal task due today, or overdue for at most `RECENT_DAYS` (not done) |
 * | `intervention.created` | `:<acct>:<situation>[:<feature>]:<date it began to hold>` | each intervention that began to hold within `MAX_WALK_DAYS`, from the contract start on |
 * | `expansion.ready` | `:<acct>:<renewal cycle start date>` | readiness, once per renewal cycle |
 * | `nps.detractor` / `nps.promoter` | `:<acct>:<nps_response event id>` | each answer 0-6 / 9-10 (config `nps`) of the last `RECENT_DAYS` |
 * | `value.statement_ready` | `:<acct>:<period end date>` | the latest `value_email` period (day 90, 120, …) with something to say |
 *
 * A churned account gets `phase.changed` only: its milestones, flags and asks are no one's work.
 */
import type { AccountFacts, FactEvent, JourneyConfig, JourneyState, Phase } from '../journey'
import { journeyContext, journeyState } from '../journey'
import type { Ctx } from '../journey/context'
import { activeUsersIn, eventsNamed, featuresIn } from '../journey/context'
import { computeAdoption } from '../journey/adoption'
import { TOUCH_LEVELS } from '../journey/config'
import { toIso, toNumber } from '../journey/time'
import { computeValue, hasValue, localeOf } from '../journey/value'
import { renderValueEmail } from '../reports/value-email'
import type { WebhookEvent, WebhookEventType } from './types'

/** What the evaluator stored for the account last time (AccountSnapshot), null/absent when nothing. */
export interface PreviousSnapshot {
  phase: string
  flags: string[]
  /** The `at` it was computed for (epoch ms). */
  computedAt: number
  /** Since when the snapshots show `phase` (the first one's computedAt): the same in all of them. */
  phaseSince?: number
}

export interface DetectOptions {
  previous?: PreviousSnapshot | null
  /** The context `state` was computed from (journeyContext(config, facts, at)); built here when absent. */
  ctx?: Ctx
  /** Who sends the value email (the workspace's name): in its subject, header and footer. */
  vendorName?: string | null
}

/** How far back (days) "since when does it hold" is looked for; the red flags' walk uses the same bound. */
const MAX_WALK_DAYS = 366
/**
 * Days a moment stays news (an NPS answer, a milestone becoming overdue): an SDK may deliver an
 * answer a week late, and an evaluator may be down a while; older than this is an import or history.
 */
export const RECENT_DAYS = 30

/** UTC date `YYYY-MM-DD` for a midnight, the full ISO-8601 otherwise (an event's own time). */
function stamp(t: number): string {
  const s = toIso(t)
  return s.endsWith('T00:00:00.000Z') ? s.slice(0, 10) : s
}

/** `ctx` read as of the end of account day `d`, for rules that only ask day ranges (adoption, activity). */
function endOfDay(ctx: Ctx, d: number): Ctx {
  return d === ctx.day ? ctx : { ...ctx, day: d, at: ctx.dateOf(d + 1) - 1 }
}

/**
 * The first day of the run of days ending today on which `holds` is true, walking back no further
 * than the contract start (day 0: a situation that already held then is keyed by it). Null when
 * the run began more than `MAX_WALK_DAYS` ago (its day cannot be found within the bound, and a key
 * from the bound would move every day: it was news a year ago), before the contract start (the
 * situation is keyed by day 0 once the contract starts) and when the account's day 0 is the day of
 * the evaluation itself (no contract start and no first event: a date that moves every day).
 */
function holdingSince(ctx: Ctx, holds: (d: number) => boolean): number | null {
  if (ctx.day < 0 || ctx.startSource === 'at') return null
  const bound = ctx.day - MAX_WALK_DAYS
  let from = ctx.day
  while (from > 0 && holds(from - 1)) {
    if (from - 1 < bound) return null
    from--
  }
  return from
}

/**
 * When the account entered its current phase, from the rules (and the override), as a time; NaN
 * when the rules do not date it (never today's date: that would differ between two evaluations on
 * either side of midnight). The rules give it directly: onboarding day 0, adoption day 30, renewal
 * when the window opened, advocacy at the renewal (or the day after the renewal date, when the
 * renewal phase held until then), churned at the event, an override when it was set; value and
 * growth from day 90 or the end of the renewal or advocacy phase before them. Undated: an override
 * without its time, a phase the override gives that its own rule cannot date (advocacy without a
 * renewal, renewal without a date), day numbers when day 0 is the evaluation's own day (no contract
 * start and no first event). Before the contract start, day 0 (onboarding's entry, and the earliest
 * renewal entry) is still to come: the caller takes an entry after `at` as undated.
 */
function phaseEntry(state: JourneyState, ctx: Ctx): number {
  const p = ctx.cfg.phases
  const ev = ctx.cfg.events
  if (state.phase.override !== null) return Number.isFinite(ctx.override?.setAt) ? ctx.override!.setAt : Number.NaN
  const dateOf = (d: number) => (ctx.startSource === 'at' ? Number.NaN : ctx.dateOf(d))
  const rd = state.renewal.renewalDay
  const lastRenewed = ctx.facts.filter((e) => e.name === ev.renewed).pop()
  switch (state.phase.id) {
    case 'churned':
      return ctx.facts.find((e) => e.name === ev.churned)?.at ?? Number.NaN
    case 'renewal':
      return rd === null ? Number.NaN : dateOf(Math.max(rd - state.renewal.windowDays, 0))
    case 'advocacy': {
      if (!lastRenewed) return Number.NaN
      const r = ctx.dayOf(lastRenewed.at)
      // Renewed inside the window without a new date: renewal held until the renewal date.
      return dateOf(rd !== null && rd < ctx.day && rd + 1 > r ? rd + 1 : r)
    }
    case 'onboarding':
      return dateOf(0)
    case 'adoption':
      return dateOf(p.onboardingDays)
    case 'value':
    case 'growth': {
      let from = p.adoptionDays
      if (lastRenewed) {
        const end = ctx.dayOf(lastRenewed.at) + p.advocacyAfterRenewalDays
        if (end <= ctx.day) from = Math.max(from, end)
      }
      if (rd !== null && rd < ctx.day) from = Math.max(from, rd + 1)
      return dateOf(from)
    }
  }
}

/** Valid NPS answers (nps.ts: a user and an integer score 0-10) of the last `days` days. */
function recentAnswers(ctx: Ctx, days: number): { e: FactEvent; score: number }[] {
  const out: { e: FactEvent; score: number }[] = []
  for (const e of eventsNamed(ctx, [ctx.cfg.events.nps], ctx.day - days + 1, ctx.day)) {
    const score = toNumber(e.properties.score)
    if (e.userId === null || score === null || !Number.isInteger(score) || score < 0 || score > 10) continue
    out.push({ e, score })
  }
  return out
}

/**
 * Every webhook event whose condition holds for the account at `at` (see the table above), in a
 * stable order. `state` is `journeyState(config, facts, at)`; `previous` the snapshot stored by the
 * last evaluation (for `red_flag.cleared` and the `from` of `phase.changed`).
 */
export function detectWebhookEvents(
  state: JourneyState,
  facts: AccountFacts,
  config: JourneyConfig,
  at: number,
  opts: DetectOptions = {},
): WebhookEvent[] {
  const ctx = opts.ctx ?? journeyContext(config, facts, at)
  const previous = opts.previous ?? null
  const acct = state.accountId
  const name = typeof ctx.traits.name === 'string' && ctx.traits.name.trim() !== '' ? ctx.traits.name.trim() : acct
  const phase = state.phase.id
  const base = {
    accountId: acct,
    accountName: name,
    segment: state.segment,
    phase,
    health: state.health.score,
    band: state.health.band,
  }
  const out: WebhookEvent[] = []
  const add = (
    type: WebhookEventType,
    key: string,
    occurredAt: number,
    summary: string,
    data: Record<string, unknown> = {},
  ) =>
    // occurredAt is stored NOT NULL: a time the engine could not make (never on sane data) is `at`.
    out.push({
      type,
      accountId: acct,
      causeKey: `${type}:${acct}:${key}`,
      occurredAt: Number.isFinite(occurredAt) ? occurredAt : at,
      data: { ...base, summary, ...data },
    })

  // phase.changed: only against the previous snapshot (a phase that holds is not news). The key is
  // the entry the rules give, when it is after the previous snapshot: the same for every process,
  // whichever snapshot it read and whenever it runs. When the rules do not date it, or the previous
  // snapshot contradicts them (it showed another phase after that entry: value ↔ growth, an
  // override lifted, late events), the change happened since that snapshot, and the key is that
  // transition: the previous phase and since when the snapshots showed it, which every process
  // evaluating this change reads alike (whichever snapshot of that stretch it read), and which
  // differ for a phase left and entered again the same day.
  if (previous === null || previous.phase !== phase) {
    const ruled = phaseEntry(state, ctx)
    const dated = Number.isFinite(ruled) && ruled <= at && (previous === null || ruled > previous.computedAt)
    const from = previous?.phase as Phase | undefined
    const key = dated
      ? stamp(ruled)
      : previous !== null
        ? `after:${previous.phase}:${toIso(previous.phaseSince ?? previous.computedAt)}`
        : 'first'
    add(
      'phase.changed',
      `${phase}:${key}`,
      dated ? ruled : at,
      `${name} ${from ? `moved from ${from} to ${phase}` : `is in the ${phase} phase`}: ${state.phase.reason}`,
      { ...(from !== undefined && { from }), to: phase, reason: state.phase.reason },
    )
  }
  if (phase === 'churned') return out

  // red_flag.cleared: the raise's `since` is read from the state at the previous snapshot's time
  // (same facts), so that the clear pairs with its raise; only computed when a flag is gone.
  const now = new Set<string>(state.redFlags.map((f) => f.id))
  const gone = (previous?.flags ?? []).filter((f) => !now.has(f))
  if (gone.length > 0) {
    const before = journeyState(config, facts, previous!.computedAt).redFlags
    for (const id of gone) {
      const raised = before.find((f) => f.id === id)
      const since = raised ? Date.parse(raised.since) : previous!.computedAt
      const why =
        state.phase.rules.id !== 'onboarding' && id !== 'usage_declining'
          ? `onboarding ended (${state.phase.rules.id})`
          : 'the condition no longer holds'
      add('red_flag.cleared', `${id}:${stamp(since)}`, at, `${name}: red flag ${id} cleared: ${why}`, {
        flag: id,
        since: toIso(since),
        reason: why,
      })
    }
  }
  for (const f of state.redFlags) {
    const since = Date.parse(f.since)
    add('red_flag.raised', `${f.id}:${stamp(since)}`, since, `${name}: red flag ${f.id}: ${f.reason}`, {
      flag: f.id,
      since: f.since,
      reason: f.reason,
    })
  }

  for (const m of state.milestones) {
    if (m.status !== 'overdue' || m.window[1] + 1 <= ctx.day - RECENT_DAYS) continue
    add('milestone.overdue', m.id, ctx.dateOf(m.window[1] + 1), `${name}: milestone ${m.id} is overdue: ${m.reason}`, {
      milestone: m.id,
      stage: m.stage,
      window: m.window,
      reason: m.reason,
    })
  }

  // renewal.task_due: on entry into its due day, or when found overdue (not done) within RECENT_DAYS
  // of it, as milestone.overdue: a renewal date set late, or an evaluator that missed the whole due
  // day, still fires it. Keyed by the renewal date (each renewal is one cycle of tasks), not by the
  // status: a task seen due and later overdue is one event.
  if (state.renewal.renewalDate !== null) {
    const rdate = stamp(ctx.dateOf(state.renewal.renewalDay!))
    for (const t of state.renewal.tasks) {
      if (t.status !== 'due' && (t.status !== 'overdue' || t.dueDay + 1 <= ctx.day - RECENT_DAYS)) continue
      const when = t.status === 'due' ? 'is due today' : `is overdue (due ${t.due.slice(0, 10)})`
      add(
        'renewal.task_due',
        `${t.id}:${rdate}`,
        Date.parse(t.due),
        `${name}: renewal task "${t.label}" ${when} (${t.channel}, ${t.owner})`,
        {
          task: t.id,
          label: t.label,
          due: t.due,
          status: t.status,
          renewalDate: state.renewal.renewalDate,
          channel: t.channel,
          owner: t.owner,
          reason: t.reason,
        },
      )
    }
  }

  // intervention.created: keyed by the day the situation began to hold, walked back over the days
  // with the same rule (the adoption rules and activity windows only read day ranges); a situation
  // that began before the bound, or before the contract start, has no such day and is not listed.
  const iv = ctx.cfg.interventions
  for (const i of state.interventions) {
    let start: number | null
    switch (i.situation) {
      case 'low_usage':
        start = holdingSince(ctx, (d) => computeAdoption(endOfDay(ctx, d)).level === 'none')
        break
      case 'feature_ignored':
        start = holdingSince(
          ctx,
          (d) => d >= iv.featureIgnoredFromDay && !featuresIn(ctx, d - iv.periodDays + 1, d).has(i.feature!),
        )
        break
      case 'single_user': {
        const p = ctx.cfg.adoption.periodDays
        start = holdingSince(ctx, (d) => activeUsersIn(ctx, d - p + 1, d).size === 1)
        break
      }
      case 'usage_declining': {
        const flag = state.redFlags.find((f) => f.id === 'usage_declining')
        start = flag ? ctx.dayOf(Date.parse(flag.since)) : null
        break
      }
    }
    if (start === null) continue
    const what = i.feature !== undefined ? `${i.situation}:${i.feature}` : i.situation
    const since = ctx.dateOf(start)
    add(
      'intervention.created',
      `${what}:${stamp(since)}`,
      since,
      `${name}: ${i.action} (${i.situation}${i.feature ? ` ${i.feature}` : ''}) by ${i.owner} via ${i.channel}: ${i.reason}`,
      {
        situation: i.situation,
        ...(i.feature !== undefined && { feature: i.feature }),
        action: i.action,
        channel: i.channel,
        owner: i.owner,
        message: i.message,
        reason: i.reason,
        since: toIso(since),
      },
    )
  }

  // expansion.ready: once per renewal cycle (readiness that comes and goes within a cycle is one
  // opportunity; the journey API shows the rest).
  if (state.expansion.ready) {
    const cycle = state.renewal.cycleStart !== null ? Date.parse(state.renewal.cycleStart) : ctx.start
    add('expansion.ready', stamp(cycle), at, `${name} is ready for expansion: ${state.expansion.reason}`, {
      cycleStart: toIso(cycle),
      reason: state.expansion.reason,
      signals: state.expansion.signals.filter((s) => s.met).map((s) => s.id),
      opportunities: state.expansion.opportunities,
    })
  }

  // nps.*: one event per answer (each one is feedback someone should read, comment included).
  for (const { e, score } of recentAnswers(ctx, Math.min(RECENT_DAYS, ctx.cfg.nps.windowDays))) {
    const type =
      score < ctx.cfg.nps.passiveMin ? 'nps.detractor' : score >= ctx.cfg.nps.promoterMin ? 'nps.promoter' : null
    if (type === null) continue
    const comment = typeof e.properties.comment === 'string' ? e.properties.comment : null
    add(type, e.id, e.at, `${name}: ${e.userId} answered NPS ${score}${comment ? `: "${comment}"` : ''}`, {
      score,
      comment,
      userId: e.userId,
      responseId: e.id,
      answeredAt: toIso(e.at),
    })
  }

  // value.statement_ready: the latest period of the value_email touchpoint (day 90, 120, …), over
  // the `every` days before it, as of the end of the day before: the same statement whenever read.
  const tp = ctx.cfg.touchpoints.plan.value_email
  const reached = TOUCH_LEVELS.indexOf(ctx.cfg.touch) >= TOUCH_LEVELS.indexOf(tp.level) || tp.tech !== null
  if (reached && tp.trigger === null && tp.every !== null && ctx.day >= tp.from) {
    const end = tp.from + Math.floor((ctx.day - tp.from) / tp.every) * tp.every
    if (tp.until === null || end <= tp.until) {
      const locale = localeOf(ctx.traits.locale)
      const statement = computeValue(endOfDay(ctx, end - 1), tp.every, locale)
      if (hasValue(statement)) {
        const email = renderValueEmail({ statement, accountName: name, locale, vendorName: opts.vendorName ?? null })
        add(
          'value.statement_ready',
          stamp(ctx.dateOf(end)),
          ctx.dateOf(end),
          `${name}: value statement of the last ${tp.every} days is ready`,
          { periodEnd: toIso(ctx.dateOf(end)), statement, email },
        )
      }
    }
  }
  return out
}
