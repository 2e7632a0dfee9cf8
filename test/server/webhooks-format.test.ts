/**
 * Webhook formats and the retry schedule, without a store: the Slack message of every event type
 * (data shaped as server/webhooks/detect.ts sends it), the signature, and the backoff.
 */
import { describe, expect, it } from 'vitest'
import { MAX_ATTEMPTS, retryDelay, RETRY_JITTER, RETRY_SCHEDULE_MS } from '../../server/webhooks/dispatcher'
import { generateSecret, sign, signedHeaders } from '../../server/webhooks/sign'
import { slackMessage } from '../../server/webhooks/slack'
import type { WebhookBody, WebhookEventType } from '../../server/webhooks/types'
import { WEBHOOK_EVENT_TYPES } from '../../server/webhooks/types'
import { prng } from '../support/prng'
import { verifyStandardWebhook } from '../support/webhook-receiver'

const body = (type: WebhookEventType, data: Record<string, unknown>): WebhookBody => ({
  id: 'evt_1',
  type,
  timestamp: '2026-11-24T10:00:00.000Z',
  accountId: 'acme',
  data: { accountName: 'Acme', ...data },
})

const CASES: [WebhookEventType, Record<string, unknown>, string][] = [
  ['phase.changed', { from: 'value', to: 'renewal' }, '*Acme* (acme) entered phase *renewal* (was value)'],
  [
    'red_flag.raised',
    { flag: 'setup_late', reason: 'day 12 > 7 and no setup_completed' },
    '*Acme* (acme) raised red flag *setup late*: day 12 &gt; 7 and no setup_completed',
  ],
  ['red_flag.cleared', { flag: 'no_login' }, '*Acme* (acme) cleared red flag *no login*'],
  ['milestone.overdue', { milestone: 'first_value' }, '*Acme* (acme) is overdue on milestone *first value*'],
  ['nps.detractor', { score: 3, userId: 'u1' }, '*Acme* (acme) got an NPS answer of *3* (detractor) from u1'],
  ['nps.promoter', { score: 10, userId: 'u2' }, '*Acme* (acme) got an NPS answer of *10* (promoter) from u2'],
  ['expansion.ready', {}, '*Acme* (acme) is *ready for expansion*'],
  [
    'renewal.task_due',
    { task: 'proposal_sent', label: 'Send the proposal', due: '2027-09-17T00:00:00.000Z' },
    '*Acme* (acme) has renewal task *Send the proposal* due 2027-09-17',
  ],
  [
    'intervention.created',
    { action: 'user_expansion', channel: 'in_app', owner: 'product' },
    '*Acme* (acme) needs *user expansion* (by in app, owner product)',
  ],
  [
    'value.statement_ready',
    { periodEnd: '2027-01-30T00:00:00.000Z' },
    '*Acme* (acme) has a value statement ready (period ending 2027-01-30)',
  ],
]

describe('webhooks: slack format', () => {
  it('SL00 every event type has a case below', () => {
    expect(CASES.map((c) => c[0]).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort())
  })
  it.each(CASES)('SL %s: %s', (type, data, text) => {
    const msg = slackMessage(body(type, data))
    expect(msg.text).toBe(text)
    expect(msg.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text } })
  })
  it('SL11 an account without a name is named once, by its id', () => {
    expect(slackMessage(body('expansion.ready', { accountName: 'acme' })).text).toBe('*acme* is *ready for expansion*')
  })
})

describe('webhooks: signature and retries', () => {
  it('SG01 sign() agrees with the independent verifier; secrets are whsec_ + 24 bytes', () => {
    const secret = generateSecret()
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(24)
    const sig = sign(secret, 'evt_1', 1_795_000_000, '{"a":1}')
    expect(sig).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/)
    expect(
      verifyStandardWebhook(secret, { id: 'evt_1', timestamp: '1795000000', signature: sig }, '{"a":1}', 1_795_000_000),
    ).toBeNull()
  })
  it('SG02 sign() gives the Standard Webhooks reference vector (its secret, id, timestamp, payload)', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
    const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek'
    const payload = '{"test": 2432232314}'
    const expected = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
    expect(sign(secret, id, 1614265330, payload)).toBe(expected)
    expect(signedHeaders(secret, id, 1614265330, payload)).toMatchObject({
      'webhook-id': id,
      'webhook-timestamp': '1614265330',
      'webhook-signature': expected,
    })
    // The tests' independent verifier agrees with the vector, and a payload off by one byte does not.
    expect(
      verifyStandardWebhook(secret, { id, timestamp: '1614265330', signature: expected }, payload, 1614265330),
    ).toBeNull()
    expect(
      verifyStandardWebhook(
        secret,
        { id, timestamp: '1614265330', signature: expected },
        '{"test":2432232314}',
        1614265330,
      ),
    ).not.toBeNull()
  })
  it('RT01 backoff: 10 s, 30 s, 2 min … 24 h, at least a day in all, then dead', () => {
    expect(RETRY_SCHEDULE_MS.map((ms) => ms / 1000)).toEqual([10, 30, 120, 600, 1800, 3600, 10800, 21600, 43200, 86400])
    expect(RETRY_SCHEDULE_MS.reduce((a, b) => a + b, 0)).toBeGreaterThan(24 * 3600_000)
    // random() = 0.5 is the middle of the jitter: the schedule itself.
    const middle = () => 0.5
    expect(retryDelay(1, middle)).toBe(10_000)
    expect(retryDelay(MAX_ATTEMPTS - 1, middle)).toBe(86_400_000)
    expect(retryDelay(MAX_ATTEMPTS, middle)).toBeNull()
    expect(retryDelay(MAX_ATTEMPTS)).toBeNull()
  })

  const waits = (random: () => number) => Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => retryDelay(i + 1, random)!)
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

  it('RT02 jitter: every wait within ±20% of the schedule, the extremes reached at random() = 0 and 1', () => {
    expect(RETRY_JITTER).toBe(0.2)
    expect(waits(() => 0)).toEqual(RETRY_SCHEDULE_MS.map((ms) => Math.round(ms * 0.8)))
    expect(waits(() => 1)).toEqual(RETRY_SCHEDULE_MS.map((ms) => Math.round(ms * 1.2)))
    const random = prng(7)
    for (let round = 0; round < 200; round++) {
      waits(random).forEach((w, i) => {
        expect(w).toBeGreaterThanOrEqual(Math.floor(RETRY_SCHEDULE_MS[i]! * 0.8))
        expect(w).toBeLessThanOrEqual(Math.ceil(RETRY_SCHEDULE_MS[i]! * 1.2))
      })
    }
  })

  it('RT03 jitter spreads a herd: 100 deliveries failing at once get (nearly) 100 different first retries', () => {
    const random = prng(11)
    const first = new Set(Array.from({ length: 100 }, () => retryDelay(1, random)))
    expect(first.size).toBeGreaterThan(90) // 4,001 possible ms values
    // A pinned source gives one answer: the tests that need a fixed schedule pin it.
    expect(new Set(Array.from({ length: 10 }, () => retryDelay(3, () => 0.25))).size).toBe(1)
  })

  it('RT04 the whole schedule spans at least a day even at the shortest jitter', () => {
    expect(sum(waits(() => 0))).toBeGreaterThanOrEqual(24 * 3600_000)
    expect(sum(waits(prng(3)))).toBeGreaterThanOrEqual(24 * 3600_000)
  })
})
