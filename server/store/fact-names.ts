/**
 * Which `track` events are facts (server/journey/facts.ts, `FactEvent`): stored in full in
 * `account_facts` at ingest and returned by loadFacts. The engine only reads facts by the names its
 * config refers to, so a fact is a `track` event of an account whose name is
 * - a reserved event of journey.md ("Reserved events"), except the activity `$login`, `$page` and
 *   `feature_used` (those are rolled up, never facts);
 * - an engagement event: `experience_*`, `checklist_item_clicked`, `guide_step_viewed`, `advocacy_accepted`;
 * - an event name the default config (server/journey/config.ts `defaultConfig`) refers to;
 * - an event name the workspace's stored config refers to (Store.setConfig; naming one later
 *   backfills its facts from the stored events). Facts of a name the config no longer names stay.
 * Product events (`report_generated` …) are facts only when the workspace's config names them
 * (e.g. `value.minutesSaved`). test/support/reference-facts.ts uses this same rule.
 */
import { defaultConfig } from '../journey/config'

const RESERVED = [
  'welcome_email_sent',
  'access_granted',
  'kickoff_scheduled',
  'kickoff_rescheduled',
  'kickoff_held',
  'setup_started',
  'setup_completed',
  'first_value',
  'training_scheduled',
  'training_attended',
  'training_no_show',
  'health_check_done',
  'nps_response',
  'ticket_opened',
  'ticket_closed',
  'usage_limit',
  'premium_feature_requested',
  'cross_sell_interest',
  'referral_sent',
  'review_written',
  'case_study_done',
  'advisory_board_joined',
  'beta_joined',
  'speaking_done',
  'value_metric',
  'qbr_held',
  'renewal_started',
  'renewal_proposal_sent',
  'negotiation_started',
  'contract_sent',
  'renewal_follow_up',
  'renewed',
  'churned',
  'renewal_notice_sent',
  // Engagement (the SDK's experiences, checklists, guides and advocacy asks).
  'experience_shown',
  'experience_completed',
  'experience_dismissed',
  'checklist_item_clicked',
  'guide_step_viewed',
  'advocacy_accepted',
  'guide_target_missing',
  // Derived by the server (server/derived.ts): a detractor's NPS answer, for the CSM.
  'detractor',
]

/** Activity: rolled up by day, never a fact, whatever a config says. */
const ACTIVITY: ReadonlySet<string> = new Set(['$login', '$page', 'feature_used'])

/**
 * The event names a config document refers to (a stored, possibly partial document with
 * `segments`, or a resolved config): `events` (a list, or the map of named events), `deliveredBy`,
 * `marketingEvents`, and the keys of `value.minutesSaved`, at any depth. Anything else is ignored.
 */
export function configEventNames(doc: unknown, out: Set<string> = new Set()): Set<string> {
  const strings = (v: unknown) => {
    if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') out.add(x)
  }
  const walk = (v: unknown, depth: number): void => {
    if (depth > 12 || typeof v !== 'object' || v === null) return
    if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1)
      return
    }
    for (const [k, x] of Object.entries(v)) {
      if (k === 'events' || k === 'deliveredBy' || k === 'marketingEvents') {
        strings(x)
        if (k === 'events' && x && typeof x === 'object' && !Array.isArray(x)) {
          for (const n of Object.values(x)) if (typeof n === 'string') out.add(n)
        }
      } else if (k === 'minutesSaved' && x && typeof x === 'object' && !Array.isArray(x)) {
        for (const n of Object.keys(x)) out.add(n)
      }
      walk(x, depth + 1)
    }
  }
  walk(doc, 0)
  for (const a of ACTIVITY) out.delete(a)
  return out
}

/** The fact names of every workspace: reserved and engagement events, and what defaultConfig names. */
export const FIXED_FACT_NAMES: ReadonlySet<string> = configEventNames(defaultConfig, new Set(RESERVED))

/**
 * Whether a `track` event named `name` is a fact, given the names the workspace's stored config
 * refers to (`configEventNames` of it; none when it has no config).
 */
export function isFactName(name: string, configured?: ReadonlySet<string> | null): boolean {
  if (ACTIVITY.has(name)) return false
  return FIXED_FACT_NAMES.has(name) || name.startsWith('experience_') || (configured?.has(name) ?? false)
}
