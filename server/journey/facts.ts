/**
 * The engine's input: what is known about one account at a time `at`, and nothing after it.
 * The store builds it from rollups (server/store, `loadFacts`); a slow reference path builds the
 * same value from raw events (test/support/reference-facts.ts); the engine never reads events.
 *
 * Times are epoch ms. Days are UTC days: `date` is the UTC midnight that starts the day. The
 * account's day numbers count from the UTC day of its contract start (journey.md, "Entities").
 */

/** One user of the account, with traits merged (timestamp order) from `identify` events at or before `at`. */
export interface UserFacts {
  userId: string
  traits: Record<string, unknown>
}

/** One user's activity on one day. */
export interface UserDay {
  userId: string
  /** `$login` events. */
  logins: number
  /** `track` and `page` events (any name, `$login` and `$page` included). */
  events: number
}

/** The account's activity on one UTC day: only days with at least one event appear. */
export interface DayActivity {
  /** UTC midnight starting the day (epoch ms). */
  date: number
  /** Users with events that day, sorted by userId. */
  users: UserDay[]
  /** Distinct `feature` values of `feature_used` that day, sorted. */
  features: string[]
  /** `track` events by name that day (every name, reserved ones included). */
  counts: Record<string, number>
}

/**
 * A fact event, in full: a `track` event whose name the engine may read (server/store/fact-names.ts
 * `isFactName`): the reserved events of journey.md but `$login`, `$page` and `feature_used`
 * (milestones, tickets, NPS answers, renewal steps, advocacy, value metrics …), engagement events
 * (`experience_*` …), the names the default config refers to (touchpoint deliveries …) and those the
 * workspace's config refers to. Other product events (`report_generated` …) are not facts unless
 * that config names them.
 */
export interface FactEvent {
  id: string
  name: string
  at: number
  userId: string | null
  properties: Record<string, unknown>
}

/** A manual phase override (journey.md, "Phases"): wins over every rule until `expiresAt`. */
export interface PhaseOverride {
  phase: string
  reason: string
  expiresAt: number
  /** Who set it (free text from the API caller), and when. */
  by: string
  setAt: number
}

export interface AccountFacts {
  accountId: string
  /** Account traits merged in timestamp order from `group` events at or before `at`. */
  traits: Record<string, unknown>
  /**
   * When each account trait got its value (epoch ms of the `group` event): a trait and an event that
   * both set something (a `renewed` event's `renewalDate`) are merged in time order. A key without
   * a time counts as set before every event.
   */
  traitTimes?: Record<string, number>
  /** The account's earliest event at or before `at` (the default contract start), or null. */
  firstEventAt: number | null
  /** Users who belong to the account (their events carry its id) at or before `at`, sorted by userId. */
  users: UserFacts[]
  /** Daily activity, ascending by date, up to the day of `at` (that day: events at or before `at` only). */
  days: DayActivity[]
  /** Fact events at or before `at`, ascending by (at, id). */
  facts: FactEvent[]
  /** Distinct features used anywhere in the workspace in the 90 days before `at` (adoption's denominator when the config lists none), sorted. */
  workspaceFeatures: string[]
  /** The override in force at `at` (set at or before `at`, not expired), or null. */
  override: PhaseOverride | null
}
