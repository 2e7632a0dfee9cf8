/**
 * The ids the console filters and labels by: the journey's vocabulary (server/journey/vocabulary.ts,
 * constants only, so importing it brings no server code), and the few lists that live beside server
 * code, repeated here as `as const` lists the type checker holds to the server's own types.
 */
import type { Role } from '../server/http/access'
import type { RedFlagId } from '../server/journey/red-flags'
import type { Agree } from '../server/schemas/response-parts'
import type { JourneyState, NpsResults } from './types'

export { EXPERIENCE_KINDS, HEALTH_COMPONENTS, PHASES, SEGMENTS } from '../server/journey/vocabulary'

export const BANDS = ['green', 'yellow', 'red'] as const
export type Band = (typeof BANDS)[number]

export const RED_FLAGS = [
  'setup_late',
  'no_login',
  'kickoff_rescheduled',
  'training_no_show',
  'usage_declining',
] as const

/** The console's roles, least first (console.md, "Roles"): each may do what those before it may. */
export const ROLES = ['viewer', 'csm', 'editor', 'admin', 'owner'] as const

/** `sort` of `GET /v1/accounts` (docs/console.md): every column of the accounts page. */
export const ACCOUNT_SORTS = [
  'name',
  'accountId',
  'segment',
  'phase',
  'health',
  'band',
  'flags',
  'daysToRenewal',
  'nps',
  'lastActiveAt',
] as const
export type AccountSort = (typeof ACCOUNT_SORTS)[number]

/** `interval` of `GET /v1/results/nps` (docs/http-api.md, "Results"): the default first. */
export const NPS_INTERVALS = ['week', 'month'] as const

/** `reason` of `experience_dismissed` (sdk/wire.ts), and `none` for an event without one. */
export const DISMISS_REASONS = ['close', 'escape', 'later', 'target_missing', 'none'] as const

/** Does `role` include `least` (console.md: each role includes the ones before it)? */
export function roleReaches(role: Role, least: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(least)
}

// The lists above and the server's types agree: one added or dropped on either side fails `tsc`.
const agree = {
  bands: true satisfies Agree<Band, JourneyState['health']['band']>,
  flags: true satisfies Agree<(typeof RED_FLAGS)[number], RedFlagId>,
  roles: true satisfies Agree<(typeof ROLES)[number], Role>,
  intervals: true satisfies Agree<(typeof NPS_INTERVALS)[number], NpsResults['interval']>,
}
void agree
