/**
 * A mid-market onboarding as the CS team logs it (journey.md's onboarding milestones, account
 * `acme`): welcome on day 0, the kickoff rescheduled twice then held on day 2, first value on day
 * 9, setup late on day 10 (window 3-7), training on day 20, the health check on day 30. The
 * fixtures of the HTTP tests that need a lived-in account start from it.
 */
import type { PlannedEvent } from '../bench/journey-data'

export const ONBOARDING_PLAN: readonly PlannedEvent[] = [
  { day: 0, event: 'welcome_email_sent', hour: 12 },
  { day: 1, event: 'kickoff_rescheduled', hour: 10 },
  { day: 1, event: 'kickoff_rescheduled', hour: 11 },
  { day: 2, event: 'kickoff_held', hour: 12 },
  { day: 9, event: 'first_value', hour: 12, userId: 'acme-u1' },
  { day: 10, event: 'setup_completed', hour: 12, userId: 'acme-u0' },
  { day: 20, event: 'training_attended', hour: 12 },
  { day: 30, event: 'health_check_done', hour: 12 },
]
