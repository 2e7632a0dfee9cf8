/**
 * Adoption level (journey.md, "Adoption level"; seed "Indicadores de Adocao": Basico, Regular,
 * Power User). Each level's three criteria are tested on their own (levels are not nested); the level
 * is the highest one whose criteria all hold, `none` when none does.
 */
import type { AdoptionLevel } from './vocabulary'
import type { Ctx } from './context'
import { activeUsersIn, daysIn, featuresIn, loginDaysIn } from './context'
import { atLeastShare, fmt } from './time'

export interface Criterion {
  id: 'logins' | 'features' | 'active_users'
  met: boolean
  reason: string
}

export interface LevelCheck {
  level: Exclude<AdoptionLevel, 'none'>
  met: boolean
  criteria: Criterion[]
}

export interface AdoptionState {
  level: AdoptionLevel
  reason: string
  /** Each level's criteria, as tested. */
  checks: LevelCheck[]
  /** Distinct features used in the period (of the denominator list), its size, and active users. */
  featuresUsed: string[]
  featureCount: number
  activeUsers: number
}

/** The adoption level of the account at `ctx.at`. */
export function computeAdoption(ctx: Ctx): AdoptionState {
  const a = ctx.cfg.adoption
  const d = ctx.day
  const periodFrom = d - a.periodDays + 1

  // Feature denominator: the config's list, else what the workspace used in the last 90 days.
  const listed = ctx.cfg.features.map((f) => f.id)
  const used30 = featuresIn(ctx, periodFrom, d)
  const denominator = listed.length > 0 ? new Set(listed) : new Set([...ctx.workspaceFeatures, ...used30])
  const featuresUsed = [...used30].filter((f) => denominator.has(f)).sort()
  const featureCount = denominator.size
  const featureText = `${featuresUsed.length} of ${featureCount} features used in the last ${a.periodDays} days`
  const active = activeUsersIn(ctx, periodFrom, d).size
  const activeText = `${active} active users in the last ${a.periodDays} days`

  // basic: a $login in each of the last N 7-day periods.
  const b = a.basic
  const periodsWithLogin: boolean[] = []
  for (let k = 0; k < b.loginPeriods; k++) {
    const to = d - k * b.loginPeriodDays
    periodsWithLogin.push(loginDaysIn(ctx, to - b.loginPeriodDays + 1, to).length > 0)
  }
  const basic: LevelCheck = {
    level: 'basic',
    met: false,
    criteria: [
      {
        id: 'logins',
        met: periodsWithLogin.every(Boolean),
        reason: `$login in ${periodsWithLogin.filter(Boolean).length} of the last ${b.loginPeriods} ${b.loginPeriodDays}-day periods (needs all)`,
      },
      { id: 'features', met: featuresUsed.length >= b.minFeatures, reason: `${featureText} (needs ${b.minFeatures})` },
      { id: 'active_users', met: active >= b.minActiveUsers, reason: `${activeText} (needs ${b.minActiveUsers})` },
    ],
  }

  // regular: $login on N of the last 7 days.
  const r = a.regular
  const loginDays7 = loginDaysIn(ctx, d - r.loginOfDays + 1, d).length
  const regular: LevelCheck = {
    level: 'regular',
    met: false,
    criteria: [
      {
        id: 'logins',
        met: loginDays7 >= r.loginDays,
        reason: `$login on ${loginDays7} of the last ${r.loginOfDays} days (needs ${r.loginDays})`,
      },
      {
        id: 'features',
        met: atLeastShare(featuresUsed.length, featureCount, r.minFeatureShare),
        reason: `${featureText} (needs ${fmt(r.minFeatureShare * 100)}%)`,
      },
      { id: 'active_users', met: active >= r.minActiveUsers, reason: `${activeText} (needs ${r.minActiveUsers})` },
    ],
  }

  // power: logins per active user-day (a day on which that user logged in), averaged over the last 7 days.
  const p = a.power
  let userDays = 0
  let logins = 0
  for (const [, day] of daysIn(ctx, d - p.loginOfDays + 1, d)) {
    for (const u of day.users) {
      if (u.logins > 0) {
        userDays++
        logins += u.logins
      }
    }
  }
  const perUserDay = userDays > 0 ? logins / userDays : 0
  const seatsOk = ctx.seats === null || atLeastShare(active, ctx.seats, p.minSeatShare)
  const power: LevelCheck = {
    level: 'power',
    met: false,
    criteria: [
      {
        id: 'logins',
        met: userDays > 0 && perUserDay >= p.loginsPerUserDay,
        reason: `${fmt(perUserDay)} $login per active user-day over the last ${p.loginOfDays} days (needs ${fmt(p.loginsPerUserDay)})`,
      },
      {
        id: 'features',
        met: atLeastShare(featuresUsed.length, featureCount, p.minFeatureShare),
        reason: `${featureText} (needs ${fmt(p.minFeatureShare * 100)}%)`,
      },
      {
        id: 'active_users',
        met: active >= p.minActiveUsers && seatsOk,
        reason:
          ctx.seats === null
            ? `${activeText}, seats unset (needs ${p.minActiveUsers})`
            : `${activeText} of ${ctx.seats} seats (needs ${fmt(p.minSeatShare * 100)}% and at least ${p.minActiveUsers})`,
      },
    ],
  }

  const checks = [basic, regular, power]
  for (const c of checks) c.met = c.criteria.every((x) => x.met)
  const best = [...checks].reverse().find((c) => c.met)
  const level: AdoptionLevel = best ? best.level : 'none'
  const reason = best
    ? `${level}: ${best.criteria.map((c) => c.reason).join('; ')}`
    : `none: basic not met (${basic.criteria
        .filter((c) => !c.met)
        .map((c) => c.reason)
        .join('; ')})`
  return { level, reason, checks, featuresUsed, featureCount, activeUsers: active }
}
