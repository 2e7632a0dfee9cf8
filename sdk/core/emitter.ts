/** Events the SDK emits to `on()` listeners. */
export interface JornadaEvents {
  /** An event was accepted and persisted (it counts as queued). */
  track: { id: string; type: string; event?: string; name?: string }
  /** The server acknowledged `count` events. */
  sent: { count: number }
  /** `count` events were given up: `cap` (queue full, oldest first), `rejected` (invalid), or `http_<status>`. */
  drop: { count: number; reason: string }
}

export type Listener<T> = (data: T) => void

export function createEmitter() {
  const map: { [K in keyof JornadaEvents]?: Set<Listener<JornadaEvents[K]>> } = {}
  return {
    on<K extends keyof JornadaEvents>(ev: K, fn: Listener<JornadaEvents[K]>): () => void {
      const set = (map[ev] ||= new Set() as never) as Set<Listener<JornadaEvents[K]>>
      set.add(fn)
      return () => void set.delete(fn)
    },
    emit<K extends keyof JornadaEvents>(ev: K, data: JornadaEvents[K]): void {
      // A listener's error is the host's bug; it must not break delivery.
      map[ev]?.forEach((fn) => {
        try {
          ;(fn as Listener<JornadaEvents[K]>)(data)
        } catch {
          /* ignored */
        }
      })
    },
  }
}

export type Emitter = ReturnType<typeof createEmitter>
