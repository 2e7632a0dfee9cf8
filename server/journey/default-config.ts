/**
 * The spec's defaults of every number and list of the journey model (journey.md; each marked there
 * as a default of the journey config). The root is the tech-touch (smb) configuration, the segment of
 * an account without one; `segments.enterprise` and `segments.mid_market` hold what differs for them.
 * Changing a value in the root does not reach a segment whose block sets that value: set it in the
 * segment's block.
 */
import type { BaseConfig, JourneyConfig } from './config-schema'
import type { Channel, Owner, TouchLevel } from './vocabulary'

const eventTp = (
  label: string,
  level: TouchLevel,
  channel: Channel,
  owner: Owner,
  when: {
    days?: number[]
    every?: number
    from?: number
    until?: number
    trigger?: BaseConfig['touchpoints']['plan']['qbr']['trigger']
  },
  deliveredBy: string[],
  tech: { label: string; channel: Channel; owner: Owner } | null = null,
): BaseConfig['touchpoints']['plan']['qbr'] => ({
  label,
  level,
  channel,
  owner,
  days: when.days ?? [],
  every: when.every ?? null,
  from: when.from ?? 0,
  until: when.until ?? null,
  trigger: when.trigger ?? null,
  tech,
  deliveredBy,
})

const FULL_RENEWAL_TASKS: BaseConfig['renewal']['tasks'] = [
  // Seed, "Timeline de Renovacao".
  {
    id: 'start_renewal',
    offset: -90,
    events: ['renewal_started'],
    channel: 'task',
    owner: 'csm',
    label: 'start the renewal process',
  },
  { id: 'renewal_qbr', offset: -60, events: ['qbr_held'], channel: 'meeting', owner: 'csm', label: 'renewal QBR' },
  {
    id: 'proposal_sent',
    offset: -45,
    events: ['renewal_proposal_sent'],
    channel: 'email',
    owner: 'csm',
    label: 'send the proposal',
  },
  {
    id: 'negotiation',
    offset: -30,
    events: ['negotiation_started'],
    channel: 'call',
    owner: 'csm',
    label: 'negotiation',
  },
  {
    id: 'contract_sent',
    offset: -14,
    events: ['contract_sent'],
    channel: 'email',
    owner: 'csm',
    label: 'contract for signature',
  },
  {
    id: 'final_follow_up',
    offset: -7,
    events: ['renewal_follow_up'],
    channel: 'call',
    owner: 'csm',
    label: 'final follow-up',
  },
  {
    id: 'renewal_or_churn',
    offset: 0,
    events: ['renewed', 'churned'],
    channel: 'task',
    owner: 'csm',
    label: 'renewal or churn',
  },
]

/** High- and mid-touch segments: every intervention is a CSM task (journey.md, "Interventions"). */
const HIGH_TOUCH_INTERVENTIONS = {
  channel: 'task',
  owner: 'csm',
  messages: {
    low_usage: 'CSM task: engagement call',
    feature_ignored: 'CSM task: focused training',
    single_user: 'CSM task: user expansion',
    usage_declining: 'CSM task: diagnosis',
  },
} as const

/** The spec's defaults (journey.md). The root is the tech-touch (smb) configuration. */
export const defaultConfig: JourneyConfig = {
  features: [],
  value: { minutesSaved: {}, metrics: [], hourlyRate: null, pricePerMonth: null, currency: 'USD' },
  guides: [],
  experiences: {
    budget: { perSession: 1, perDay: 1, gapMinutes: 10 },
    priority: { nps: 60, advocacy: 50, guide: 40, message: 30, value: 20, checklist: 10, banner: 10 },
    lanes: {
      checklist: 'inline',
      banner: 'inline',
      guide: 'modal',
      value: 'modal',
      nps: 'modal',
      advocacy: 'modal',
      message: 'modal',
    },
    caps: {
      guide: { max: 1, days: 7 },
      value: { max: 1, days: 30 },
      advocacy: { max: 1, days: 30 },
      message: { max: 1, days: 7 },
    },
    checklist: {
      phases: ['onboarding'],
      items: ['welcome', 'kickoff', 'setup', 'first_value', 'training', 'health_check'],
      titles: {},
      cta: {},
    },
    value: { periodDays: 30, phases: ['value', 'growth', 'renewal', 'advocacy'] },
    advocacy: {
      phases: ['advocacy'],
      links: {},
      // The end user's words for the seed's benefits (`advocacy.programs`: visibility, early access,
      // discount/credit, exposure, influence), which stay the CSM's labels in the journey state.
      benefits: {
        review: {
          en: 'Help teams like yours choose well, and get your company seen.',
          'pt-BR': 'Ajude times como o seu a escolher bem e dê visibilidade à sua empresa.',
        },
        beta_program: {
          en: 'Early access to new features, shaped by your feedback.',
          'pt-BR': 'Acesso antecipado a novos recursos, moldados pelo seu feedback.',
        },
        referral: {
          en: 'A discount or credit on your plan for each friend who joins.',
          'pt-BR': 'Um desconto ou crédito no seu plano para cada amigo que entrar.',
        },
        case_study: {
          en: 'Exposure for your company and your team’s results.',
          'pt-BR': 'Exposição para a sua empresa e os resultados do seu time.',
        },
        advisory_board: {
          en: 'Influence over what we build next.',
          'pt-BR': 'Influência sobre o que vamos construir a seguir.',
        },
        speaking: { en: 'Visibility on stage at our events.', 'pt-BR': 'Visibilidade no palco dos nossos eventos.' },
      },
      names: {},
      texts: {},
    },
    banner: { daysBefore: 30, snoozeDays: 7, texts: {} },
    nps: { texts: {} },
    messages: {
      low_usage: {},
      single_user: {},
      usage_declining: { options: ['too_complex', 'missing_feature', 'no_time', 'switched_tool', 'other'] },
    },
    messagePhases: ['adoption', 'value', 'growth', 'renewal', 'advocacy'],
    guides: { waitMs: 5000, missingTarget: 'modal' },
  },
  events: {
    nps: 'nps_response',
    ticketOpened: 'ticket_opened',
    ticketClosed: 'ticket_closed',
    usageLimit: 'usage_limit',
    premiumRequested: 'premium_feature_requested',
    crossSell: 'cross_sell_interest',
    referral: 'referral_sent',
    renewed: 'renewed',
    churned: 'churned',
    engagement: 'experience_shown',
  },
  touch: 'tech',
  // smb is auto-renewal: a 30-day window (default; the seed gives 90 enterprise, 60 mid_market).
  renewalWindowDays: 30,
  phases: { onboardingDays: 30, adoptionDays: 90, advocacyAfterRenewalDays: 90 },
  milestones: {
    welcome: { window: [0, 0], events: ['welcome_email_sent'] },
    kickoff: { window: [1, 3], events: ['kickoff_held'] },
    setup: { window: [3, 7], events: ['setup_completed'] },
    first_value: { window: [7, 14], events: ['first_value'] },
    training: { window: [14, 21], events: ['training_attended'] },
    health_check: { window: [30, 30], events: ['health_check_done'] },
    weekly_use: { window: [30, 45], weeks: 2 },
    core_feature: { window: [45, 60] },
    workflow: { window: [60, 75], weeks: 4, minWeeks: 3 },
    engaged_team: { window: [75, 90], users: 3, periodDays: 30 },
  },
  redFlags: {
    setup_late: { afterDay: 7, events: ['setup_completed'] },
    no_login: { days: 3, fromDay: 3 },
    kickoff_rescheduled: { min: 2, events: ['kickoff_rescheduled'] },
    training_no_show: { min: 1, events: ['training_no_show'] },
    usage_declining: { fromDay: 28, periodDays: 14, ratio: 0.7, minActiveDaysBefore: 4 },
  },
  adoption: {
    periodDays: 30,
    basic: { loginPeriods: 2, loginPeriodDays: 7, minFeatures: 1, minActiveUsers: 1 },
    regular: { loginDays: 5, loginOfDays: 7, minFeatureShare: 0.5, minActiveUsers: 3 },
    power: { loginsPerUserDay: 2, loginOfDays: 7, minFeatureShare: 0.8, minActiveUsers: 5, minSeatShare: 0.8 },
  },
  interventions: {
    channel: 'in_app',
    owner: 'product',
    periodDays: 30,
    featureIgnoredFromDay: 45,
    actions: {
      low_usage: 'engagement_call',
      feature_ignored: 'focused_training',
      single_user: 'user_expansion',
      usage_declining: 'diagnosis',
    },
    messages: {
      low_usage: 'in-app re-engagement message',
      feature_ignored: 'in-app guide for the feature',
      single_user: 'in-app "invite your team" prompt',
      usage_declining: 'in-app feedback question',
    },
  },
  health: {
    weights: { adoption: 0.35, trend: 0.15, milestones: 0.15, nps: 0.2, support: 0.1, sponsor: 0.05 },
    adoption: { none: 0, basic: 40, regular: 75, power: 100 },
    trend: {
      periodDays: 14,
      points: [
        [0.5, 0],
        [1, 70],
        [1.5, 100],
      ],
    },
    support: [100, 70, 40, 10],
    sponsorDays: 30,
    bands: { green: 80, yellow: 60 },
  },
  nps: {
    windowDays: 180,
    promoterMin: 9,
    passiveMin: 7,
    survey: {
      everyDays: 90,
      notBeforeDay: 14,
      healthCheckDay: 30,
      fromDay: 90,
      afterRenewalDays: 30,
      dismissRetryDays: 7,
      maxDismissals: 2,
    },
  },
  expansion: {
    minSignals: 3,
    healthOver: 80,
    healthUnder: 60,
    minAdvocacyScore: 9,
    nearLimitShare: 0.8,
    premiumDays: 30,
    referralDays: 90,
    stakeholderDays: 30,
    lowUsageLevels: ['none', 'basic'],
    moreUsersSeatShare: 0.9,
    newTeamsHealthOver: 80,
    newTeamsLevel: 'power',
  },
  renewal: {
    tasks: [
      {
        id: 'renewal_notice',
        offset: -30,
        events: ['renewal_notice_sent'],
        channel: 'email',
        owner: 'system',
        label: 'auto-renewal notice',
      },
      {
        id: 'renewal_or_churn',
        offset: 0,
        events: ['renewed', 'churned'],
        channel: 'task',
        owner: 'system',
        label: 'auto-renewal or churn',
      },
    ],
  },
  advocacy: {
    windowDays: 180,
    satisfiedMin: 7,
    loyalMin: 9,
    promoterMin: 10,
    marketingEvents: ['case_study_done', 'speaking_done', 'advisory_board_joined'],
    // Seed, "Programas de Advocacy" (benefits); `review` is the spec's addition.
    programs: {
      satisfied: [],
      loyal: [
        { id: 'review', benefit: 'visibility' },
        { id: 'beta_program', benefit: 'early access' },
      ],
      promoter: [
        { id: 'referral', benefit: 'discount/credit' },
        { id: 'case_study', benefit: 'exposure' },
      ],
      evangelist: [
        { id: 'advisory_board', benefit: 'influence' },
        { id: 'speaking', benefit: 'visibility' },
      ],
    },
  },
  touchpoints: {
    overdueDays: 30,
    plan: {
      welcome_email: eventTp('welcome email', 'tech', 'email', 'system', { days: [0] }, ['welcome_email_sent']),
      access_granted: eventTp('access granted', 'tech', 'in_app', 'product', { days: [0] }, ['access_granted']),
      kickoff_call: eventTp(
        'kickoff call',
        'mid',
        'meeting',
        'csm',
        { days: [1] },
        ['kickoff_held', 'experience_shown'],
        { label: 'in-app kickoff checklist item', channel: 'in_app', owner: 'product' },
      ),
      setup_help: eventTp('setup help', 'mid', 'call', 'csm', { days: [3] }, ['setup_help_done', 'experience_shown'], {
        label: 'in-app setup guide',
        channel: 'in_app',
        owner: 'product',
      }),
      training: eventTp(
        'training',
        'mid',
        'meeting',
        'csm',
        { days: [14] },
        ['training_attended', 'experience_shown'],
        { label: 'in-app training guide', channel: 'in_app', owner: 'product' },
      ),
      onboarding_emails: eventTp('onboarding email', 'tech', 'email', 'marketing', { days: [1, 3, 7, 14, 21] }, [
        'onboarding_email_sent',
      ]),
      check_in: eventTp('check-in', 'mid', 'call', 'csm', { days: [21] }, ['check_in_held', 'experience_shown'], {
        label: 'in-app check-in message',
        channel: 'in_app',
        owner: 'product',
      }),
      health_check: eventTp(
        'health check',
        'mid',
        'meeting',
        'csm',
        { days: [30] },
        ['health_check_done', 'experience_shown'],
        { label: 'automated NPS + health check', channel: 'in_app', owner: 'product' },
      ),
      monthly_check_in: eventTp('monthly check-in', 'mid', 'call', 'csm', { every: 30, from: 30, until: 89 }, [
        'check_in_held',
      ]),
      in_app_guides: eventTp('in-app guide', 'tech', 'in_app', 'product', { trigger: 'interventions' }, [
        'experience_shown',
      ]),
      value_email: eventTp('value email', 'tech', 'email', 'marketing', { every: 30, from: 90 }, ['value_email_sent']),
      qbr: eventTp('QBR', 'mid', 'meeting', 'csm', { every: 90, from: 90 }, ['qbr_held']),
      expansion_call: eventTp(
        'expansion call',
        'mid',
        'call',
        'csm',
        { trigger: 'expansion_ready' },
        ['expansion_call_held', 'experience_shown'],
        { label: 'in-app expansion prompt', channel: 'in_app', owner: 'product' },
      ),
      renewal_tasks: eventTp('renewal task', 'tech', 'task', 'csm', { trigger: 'renewal_tasks' }, []),
      advocacy_ask: eventTp('advocacy ask', 'tech', 'in_app', 'product', { trigger: 'advocacy' }, [
        'experience_shown',
        'referral_sent',
        'review_written',
      ]),
    },
  },
  qbr: { goals: [] },
  moments: {
    // Seed, "Momentos da Verdade": risk and opportunity of each.
    kickoff: { events: ['kickoff_held'], risk: 'wrong expectations', opportunity: 'alignment' },
    first_value: { events: ['first_value'], risk: 'giving up', opportunity: 'engagement' },
    first_bug: { events: ['ticket_opened'], risk: 'frustration', opportunity: 'excellent support' },
    qbr: { events: ['qbr_held'], risk: 'losing the sponsor', opportunity: 'early renewal' },
    renewal: { events: ['renewed', 'churned'], risk: 'churn', opportunity: 'expansion' },
  },
  segments: {
    enterprise: {
      touch: 'high',
      renewalWindowDays: 90,
      interventions: HIGH_TOUCH_INTERVENTIONS,
      renewal: { tasks: FULL_RENEWAL_TASKS },
      // Seed: enterprise onboarding trains twice ("Train x2").
      touchpoints: { plan: { training: { days: [14, 21] } } },
    },
    mid_market: {
      touch: 'mid',
      renewalWindowDays: 60,
      interventions: HIGH_TOUCH_INTERVENTIONS,
      renewal: { tasks: FULL_RENEWAL_TASKS },
      // Seed: mid-market adoption check-ins are bimonthly, QBRs half-yearly.
      touchpoints: { plan: { monthly_check_in: { every: 60 }, qbr: { every: 180 } } },
    },
  },
}
