/**
 * Accounts at known points of the journey for report tests: the demo's scripted stages
 * (server/demo.ts) with traits changed and extra events, imported with the secret key.
 */
import { stageHistory } from '../../server/demo'
import type { Stage } from '../../server/demo'

export type Wire = Record<string, any>
const DAY_MS = 86_400_000

/** A stage's history at `now`, its account's traits changed and extra events added (day, hour, name, user, properties). */
export function history(
  stage: Stage,
  id: string,
  now: number,
  traits: Wire,
  extra: [number, number, string, string | null, Wire][] = [],
): Wire[] {
  const events = stageHistory(stage, id, now) as Wire[]
  const group = events.find((e) => e.type === 'group')!
  group.traits = { ...group.traits, ...traits }
  const start = Date.parse(group.traits.contractStart)
  extra.forEach(([day, hour, event, userId, properties], i) =>
    events.push({
      id: `${id}-x${i}`,
      type: 'track',
      event,
      ...(userId && { userId }),
      accountId: id,
      timestamp: new Date(start + day * DAY_MS + hour * 3_600_000).toISOString(),
      properties,
    }),
  )
  return events
}

/** POSTs `events` to `/v1/batch` of `app` with `secretKey`, 500 at a time; throws unless every event is accepted. */
export async function importEvents(
  app: { request(r: Request): Response | Promise<Response> },
  api: string,
  secretKey: string,
  events: Wire[],
): Promise<void> {
  for (let i = 0; i < events.length; i += 500) {
    const res = await app.request(
      new Request(api + '/v1/batch', {
        method: 'POST',
        headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ batch: events.slice(i, i + 500) }),
      }),
    )
    const body = (await res.json()) as { rejected?: unknown[] }
    if (res.status !== 200 || (body.rejected && body.rejected.length > 0))
      throw new Error(`import: ${res.status} ${JSON.stringify(body).slice(0, 300)}`)
  }
}
