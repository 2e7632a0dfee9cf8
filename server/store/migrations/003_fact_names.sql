-- Jornada schema, version 3: facts are the events the engine may read (server/store/fact-names.ts).
--
-- 002 stored every `track` event of an account but `$login`, `$page` and `feature_used` as a fact.
-- Facts now are the reserved and engagement events, the names the default config refers to, and
-- the names the workspace's config refers to (server/store/fact-names.ts `isFactName`). This drops
-- the rows of other names, keeping any whose name appears as a JSON string in the workspace's
-- stored config (a superset of the names it refers to). The list below is FIXED_FACT_NAMES
-- (test/store/fact-names.test.ts holds the two together).
DELETE FROM account_facts f
WHERE f.name NOT IN (
  'access_granted', 'advisory_board_joined', 'advocacy_accepted', 'beta_joined', 'case_study_done',
  'check_in_held', 'checklist_item_clicked', 'churned', 'contract_sent', 'cross_sell_interest',
  'expansion_call_held', 'experience_completed', 'experience_dismissed', 'experience_shown',
  'first_value', 'guide_step_viewed', 'health_check_done', 'kickoff_held', 'kickoff_rescheduled',
  'kickoff_scheduled', 'negotiation_started', 'nps_response', 'onboarding_email_sent',
  'premium_feature_requested', 'qbr_held', 'referral_sent', 'renewal_follow_up',
  'renewal_notice_sent', 'renewal_proposal_sent', 'renewal_started', 'renewed', 'review_written',
  'setup_completed', 'setup_help_done', 'setup_started', 'speaking_done', 'ticket_closed',
  'ticket_opened', 'training_attended', 'training_no_show', 'training_scheduled', 'usage_limit',
  'value_email_sent', 'value_metric', 'welcome_email_sent'
)
AND f.name NOT LIKE 'experience\_%'
AND NOT EXISTS (
  SELECT 1 FROM workspace_config c
  WHERE c.workspace_id = f.workspace_id AND position(to_jsonb(f.name)::text IN c.doc::text) > 0
);
