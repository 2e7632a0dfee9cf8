export interface BackoffParams {
  /** 0 for the first retry. */
  attempt: number
  /** ms; default 500. */
  minTimeout?: number
  /** default 2. */
  factor?: number
  /** ms; default 60 s. */
  maxTimeout?: number
  /** default Math.random. */
  random?: () => number
}

/**
 * Delay before retry number `attempt` (Segment analytics-next `backoff`): `minTimeout × factor^attempt`,
 * times a jitter in [1, 2) so that tabs or pages failing together do not retry together, capped at
 * `maxTimeout`.
 */
export function backoff({
  attempt,
  minTimeout = 500,
  factor = 2,
  maxTimeout = 60_000,
  random = Math.random,
}: BackoffParams): number {
  return Math.min(Math.round((1 + random()) * minTimeout * factor ** attempt), maxTimeout)
}
