/**
 * The few Workers runtime types the edge entry uses (the full set is @cloudflare/workers-types,
 * whose globals would clash with the DOM's in this project's one tsconfig), and the module the edge
 * build makes of the migrations' SQL (server/edge/build.ts).
 */
declare module 'cloudflare:workers' {
  export abstract class DurableObject<Env = unknown> {
    protected ctx: DurableObjectState
    protected env: Env
    constructor(ctx: DurableObjectState, env: Env)
  }
}

interface DurableObjectState {
  storage: {
    getAlarm(): Promise<number | null>
    setAlarm(at: number): Promise<void>
  }
  waitUntil(promise: Promise<unknown>): void
  blockConcurrencyWhile<T>(fn: () => Promise<T>): Promise<T>
}

interface DurableObjectId {
  toString(): string
}

interface DurableObjectNamespace<T = unknown> {
  idFromName(name: string): DurableObjectId
  get(id: DurableObjectId): DurableObjectStub<T>
}

type DurableObjectStub<T> = { fetch(request: Request): Promise<Response> } & {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never
}

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void
}

interface ScheduledController {
  cron: string
  scheduledTime: number
}

declare module 'jornada:migrations' {
  const migrations: { version: string; sql: string }[]
  export default migrations
}
