/**
 * Structured request logs: one JSON object per request. Lines carry what an operator needs (route,
 * status, duration, workspace, counts) and never an event payload, a trait or a key.
 */

export interface LogLine {
  /** ISO-8601 time the request arrived. */
  t: string
  method: string
  path: string
  status: number
  /** Duration in milliseconds, one decimal. */
  ms: number
  workspace?: string
  accepted?: number
  duplicates?: number
  /** How many events of the batch were rejected. */
  rejected?: number
  /** Set on 500s: the error's name and message (never its payload). */
  error?: string
}

export type Log = (line: LogLine) => void

/** Writes each line as JSON to `write` (node.ts passes stdout). */
export function jsonLines(write: (text: string) => void): Log {
  return (line) => write(JSON.stringify(line) + '\n')
}

/**
 * The default when createApp gets no `log`: quiet for ordinary requests (tests and embedders), but a
 * 500 is never silent.
 */
export const errorsToConsole: Log = (line) => {
  if (line.status >= 500) console.error(JSON.stringify(line))
}
