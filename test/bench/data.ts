import { randomUUID } from 'node:crypto'
import type { WireEvent } from '../../sdk/wire'

/**
 * Synthetic ingest traffic: `size`-event batches as the SDK sends them (a mix of $page, $login,
 * feature_used and product events from 200 users of 20 accounts, or `accounts`), each event with a fresh id.
 */
export function makeBatch(size = 20, now = Date.now(), accounts = 20): WireEvent[] {
  const batch: WireEvent[] = []
  const user = Math.floor(Math.random() * 200)
  for (let i = 0; i < size; i++) {
    const kind = i % 10
    const base = {
      id: randomUUID(),
      userId: `user-${user}`,
      accountId: `account-${user % accounts}`,
      anonymousId: `anon-${user}`,
      timestamp: new Date(now - (size - i) * 1000).toISOString(),
      context: {
        library: { name: 'jornada', version: '0.1.0' },
        page: { path: '/reports', url: 'https://app.example/reports' },
        locale: 'pt-BR',
      },
    }
    if (kind === 0) batch.push({ ...base, type: 'page', name: 'Reports', properties: { path: '/reports' } })
    else if (kind === 1) batch.push({ ...base, type: 'track', event: '$login', properties: {} })
    else if (kind < 6)
      batch.push({
        ...base,
        type: 'track',
        event: 'feature_used',
        properties: { feature: ['reports', 'alerts', 'export'][kind % 3] },
      })
    else batch.push({ ...base, type: 'track', event: 'report_generated', properties: { rows: i * 10, format: 'csv' } })
  }
  return batch
}

const CONTEXT = JSON.stringify({
  library: { name: 'jornada', version: '0.1.0' },
  page: { path: '/reports', url: 'https://app.example/reports' },
  locale: 'pt-BR',
})
const FEATURES = ['reports', 'alerts', 'export']

/**
 * `{ batch: makeBatch(size), sentAt }` (200 users over `accounts` accounts, 20 unless told) as JSON text (the same text JSON.stringify makes of it), built
 * from templates: the load generator calls it for every request, and it shares a core with
 * PostgreSQL in the benchmark, so it should take as little of it as it can (~10 µs a body, not
 * ~100 µs through objects and JSON.stringify).
 */
export function makeBody(
  size = 20,
  accounts = 20,
  user = Math.floor(Math.random() * 200),
  account = `account-${user % accounts}`,
): string {
  const now = Date.now()
  const who = `"userId":"user-${user}","accountId":"${account}","anonymousId":"anon-${user}"`
  let out = '{"batch":['
  for (let i = 0; i < size; i++) {
    const kind = i % 10
    const base = `{"id":"${randomUUID()}",${who},"timestamp":"${new Date(now - (size - i) * 1000).toISOString()}","context":${CONTEXT}`
    if (i > 0) out += ','
    if (kind === 0) out += `${base},"type":"page","name":"Reports","properties":{"path":"/reports"}}`
    else if (kind === 1) out += `${base},"type":"track","event":"$login","properties":{}}`
    else if (kind < 6)
      out += `${base},"type":"track","event":"feature_used","properties":{"feature":"${FEATURES[kind % 3]}"}}`
    else out += `${base},"type":"track","event":"report_generated","properties":{"rows":${i * 10},"format":"csv"}}`
  }
  return `${out}],"sentAt":"${new Date(now).toISOString()}"}`
}
