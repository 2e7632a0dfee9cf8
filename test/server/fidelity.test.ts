/**
 * The journey as the API answers it, for histories where the engine once disagreed with
 * journey.md's plain text: replayed through ingest and the store, on PGlite and on PostgreSQL.
 */
import { beforeAll, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { describeEachStore } from '../support/each-store'
import { API, batchRequest, eid, newWorkspace } from './helpers'

const DAY = 86_400_000
/** "Now" of these tests: noon UTC, 40 days after a contract start. */
const NOW = Date.parse('2026-06-10T12:00:00Z')
const day = (d: number, hour = 10) => new Date(NOW - 40 * DAY + d * DAY + (hour - 12) * 3_600_000).toISOString()

describeEachStore('fidelity: journey.md "Advocacy levels": the ask follows a 9-10 answer from anywhere', (ctx) => {
  let app: ReturnType<typeof createApp>
  beforeAll(() => {
    app = createApp({ store: ctx.store, clock: () => NOW, log: () => {} })
  })

  it('FD01 a 10 imported by a server (not the in-app survey) on day 39: the promoter ask on day 40', async () => {
    const ws = await newWorkspace(ctx.store)
    const batch: object[] = [
      {
        id: eid(),
        type: 'group',
        userId: 'u1',
        accountId: 'acme',
        timestamp: day(0, 8),
        traits: { contractStart: day(0, 0).slice(0, 10), seats: 1, segment: 'smb' },
      },
    ]
    for (let d = 0; d <= 40; d++) {
      batch.push({ id: eid(), type: 'track', event: '$login', userId: 'u1', accountId: 'acme', timestamp: day(d, 9) })
      for (const feature of ['reports', 'alerts'])
        batch.push({
          id: eid(),
          type: 'track',
          event: 'feature_used',
          userId: 'u1',
          accountId: 'acme',
          timestamp: day(d),
          properties: { feature },
        })
    }
    batch.push({
      id: eid(),
      type: 'track',
      event: 'nps_response',
      userId: 'u1',
      accountId: 'acme',
      timestamp: day(39),
      properties: { score: 10, source: 'import' },
    })
    const res = await app.request(batchRequest({ batch }, { auth: { bearer: ws.secretKey } }))
    expect(await res.json()).toMatchObject({ rejected: [] })

    const journey = await app.request(`${API}/v1/accounts/acme/journey`, {
      headers: { authorization: `Bearer ${ws.secretKey}` },
    })
    expect(((await journey.json()) as { phase: { id: string } }).phase.id).toBe('adoption')
    const asked = await app.request(`${API}/v1/experience?debug=1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ws.writeKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'u1', accountId: 'acme', sessionId: 's1' }),
    })
    const body = (await asked.json()) as { experiences: { kind: string; level?: string }[]; notes: string[] }
    expect(
      body.experiences.find((e) => e.kind === 'advocacy'),
      body.notes.join('\n'),
    ).toMatchObject({ level: 'promoter' })
  })
})
