/**
 * One fetch a model owns: its data, its error and whether it is loading, as signals. A newer load
 * wins over an older one still in flight (a filter changed twice quickly shows the second answer).
 */
import { batch, signal } from '@preact/signals'
import type { Signal } from '@preact/signals'

export interface Resource<T, A extends unknown[] = []> {
  readonly data: Signal<T | null>
  readonly error: Signal<unknown>
  readonly loading: Signal<boolean>
  /** Loads with these arguments; resolves when done (errors land in `error`, never thrown). */
  load(...args: A): Promise<void>
}

export function createResource<T, A extends unknown[] = []>(fetcher: (...args: A) => Promise<T>): Resource<T, A> {
  const data = signal<T | null>(null)
  const error = signal<unknown>(null)
  const loading = signal(false)
  let seq = 0
  return {
    data,
    error,
    loading,
    async load(...args) {
      const mine = ++seq
      loading.value = true
      try {
        const value = await fetcher(...args)
        if (mine !== seq) return
        batch(() => {
          data.value = value
          error.value = null
          loading.value = false
        })
      } catch (err) {
        if (mine !== seq) return
        batch(() => {
          error.value = err
          loading.value = false
        })
      }
    },
  }
}

/** An action a form runs: busy while it runs, its last error kept for the form to show. */
export interface Action<A extends unknown[], R> {
  readonly busy: Signal<boolean>
  readonly error: Signal<unknown>
  /** Runs it; resolves with the result, or undefined when it failed (the error is in `error`). */
  run(...args: A): Promise<R | undefined>
}

export function createAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>): Action<A, R> {
  const busy = signal(false)
  const error = signal<unknown>(null)
  return {
    busy,
    error,
    async run(...args) {
      busy.value = true
      error.value = null
      try {
        return await fn(...args)
      } catch (err) {
        error.value = err
        return undefined
      } finally {
        busy.value = false
      }
    },
  }
}
