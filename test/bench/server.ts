/**
 * The benchmark's server process (run pinned to one core by run.ts): the real API over the chosen
 * store, plus the two ceilings measured in the same process and store:
 * - `POST /bare/v1/batch`: Hono + the same zod validation, answers 202 and stores nothing;
 * - `POST /__raw?rows=N`: N generated rows written straight into the same store with the store's
 *   own multi-row INSERT (1,000 rows per statement, one connection), timed here.
 * Prints one JSON line `{ port, secretKey }` when ready.
 */
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { createApp } from '../../server/app'
import { BatchBodySchema } from '../../server/ingest/schema'
import { validateBatch } from '../../server/ingest/validate-batch'
import { createPgliteStore, createPostgresStore, eventsDocument, INSERT_EVENTS } from '../../server/store'
import { makeBatch } from './data'

const [kind, url] = process.argv.slice(2)
const store =
  kind === 'postgres' ? await createPostgresStore({ url: url! }) : await createPgliteStore({ dataDir: 'memory://' })
const secretKey = 'sk_bench_' + Math.random().toString(36).slice(2)
await store.createWorkspace({
  id: 'bench',
  name: 'Bench',
  writeKey: 'pk_bench_' + Math.random().toString(36).slice(2),
  secretKey,
})

const root = new Hono()
root.post('/bare/v1/batch', async (c) => {
  const body = BatchBodySchema.safeParse(JSON.parse(await c.req.text()))
  if (!body.success) return c.json({ error: { code: 'invalid_body', message: 'bad' } }, 400)
  const { events, rejected } = validateBatch(body.data.batch, 'secret', Date.now())
  return c.json({ accepted: events.length, duplicates: 0, rejected }, 202)
})
root.post('/__raw', async (c) => {
  const rows = Number(c.req.query('rows') ?? '100000')
  const now = Date.now()
  const all = []
  while (all.length < rows) all.push(...makeBatch(1000, now))
  const t0 = performance.now()
  for (let i = 0; i < rows; i += 1000) {
    const part = all.slice(i, i + 1000)
    await store.db.query(INSERT_EVENTS, [
      eventsDocument(
        part.map((e) => ({
          ws: 'raw',
          e: {
            id: e.id,
            type: e.type,
            name: e.type === 'page' ? '$page' : (e.event ?? null),
            userId: e.userId ?? null,
            anonymousId: e.anonymousId ?? null,
            accountId: e.accountId ?? null,
            timestamp: Date.parse(e.timestamp),
            receivedAt: now,
            properties: {},
            traits: null,
            context: null,
          },
          accountId: e.accountId ?? null,
          props: JSON.stringify(e.properties ?? {}),
          traits: null,
          ctx: JSON.stringify(e.context ?? null),
        })),
      ),
    ])
  }
  const ms = performance.now() - t0
  return c.json({ rows, ms, rowsPerSecond: rows / (ms / 1000) })
})
// CPU profile of a window of this process (test/bench/profile.ts): start, then stop writes it to `file`.
const inspector = new Session()
root.post('/__profile/start', async (c) => {
  inspector.connect()
  await new Promise<void>((resolve, reject) =>
    inspector.post('Profiler.enable', () => inspector.post('Profiler.start', (err) => (err ? reject(err) : resolve()))),
  )
  return c.json({ ok: true })
})
root.post('/__profile/stop', async (c) => {
  const profile = await new Promise<unknown>((resolve, reject) =>
    inspector.post('Profiler.stop', (err, r) => (err ? reject(err) : resolve(r.profile))),
  )
  inspector.disconnect()
  writeFileSync(c.req.query('file')!, JSON.stringify(profile))
  return c.json({ ok: true })
})
root.get('/__count', async (c) => c.json({ events: await store.countEvents('bench'), stats: store.stats() }))
root.route('/', createApp({ store, log: () => {} }))

const server = serve({ fetch: root.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(JSON.stringify({ port: info.port, secretKey }) + '\n')
})
process.on('SIGTERM', () => server.close(() => store.close().then(() => process.exit(0))))
