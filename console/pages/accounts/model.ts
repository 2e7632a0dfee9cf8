/**
 * The accounts page's model: the page of the list the URL's view asks for, and the cursors of the
 * pages before it (the API pages forward only, by `cursor`), so "previous" goes back without
 * asking the API to count.
 */
import { signal } from '@preact/signals'
import type { Api } from '../../api'
import { createResource } from '../../resource'
import type { AccountsList } from '../../types'
import { listQuery } from './filters'
import type { AccountFilters } from './filters'

export function createAccountsModel(api: Api) {
  const list = createResource((f: AccountFilters) => api.get<AccountsList>('/v1/accounts', listQuery(f)))
  /** Cursors of the pages before the current one; `''` is the first page. */
  const previous = signal<string[]>([])
  let viewKey = ''

  return {
    list,
    previous,
    /** Loads the view; a view other than the last one's (another filter, sort or search) forgets the pages before. */
    load(f: AccountFilters) {
      const { cursor: _, ...view } = f
      const key = JSON.stringify(view)
      if (key !== viewKey) {
        viewKey = key
        previous.value = []
      } else if (previous.value.at(-1) === (f.cursor ?? '')) {
        // The browser's back button: the page before is the one shown now.
        previous.value = previous.value.slice(0, -1)
      }
      return list.load(f)
    },
    /** The view of the next page, remembering this one's cursor. */
    next(f: AccountFilters): AccountFilters | null {
      const cursor = list.data.value?.nextCursor
      if (!cursor) return null
      previous.value = [...previous.value, f.cursor ?? '']
      return { ...f, cursor }
    },
    /** The view of the page before, or null on the first page. */
    prev(f: AccountFilters): AccountFilters | null {
      const stack = previous.value
      if (stack.length === 0) return null
      const cursor = stack[stack.length - 1]!
      previous.value = stack.slice(0, -1)
      const out: AccountFilters = { ...f }
      if (cursor) out.cursor = cursor
      else delete out.cursor
      return out
    },
  }
}
export type AccountsModel = ReturnType<typeof createAccountsModel>
