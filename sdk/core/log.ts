/** Prints only in debug mode, prefixed `[jornada]`: the SDK is silent in a host page otherwise. */
export type Log = (...args: unknown[]) => void

export function createLog(debug?: boolean): Log {
  return (...args) => {
    if (debug)
      try {
        console.log('[jornada]', ...args)
      } catch {
        /* a host page may stub console */
      }
  }
}
