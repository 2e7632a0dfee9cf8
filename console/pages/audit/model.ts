/**
 * The audit log's model: `GET /v1/audit` with the URL's filters, newest first; older pages appended
 * by `nextCursor`. `from` and `to` are days (the end of `to` included, as the API reads a day).
 */
import type { Api } from '../../api'
import { createResource } from '../../resource'
import type { AuditEntry, AuditPage } from '../../types'
import { day, text } from '../../url'
import type { Values } from '../../url'

export const AUDIT_FILTERS = { actor: text(200), action: text(100), from: day, to: day }
export type AuditFilters = Values<typeof AUDIT_FILTERS>

/** Entries per page. */
export const AUDIT_PAGE = 50

export function createAuditModel(api: Api) {
  const log = createResource(async (f: AuditFilters, cursor?: string, before: AuditEntry[] = []) => {
    const page = await api.get<AuditPage>('/v1/audit', { ...f, cursor, limit: AUDIT_PAGE })
    return { filters: f, items: [...before, ...page.items], nextCursor: page.nextCursor }
  })
  return {
    log,
    load: (f: AuditFilters) => log.load(f),
    more() {
      const d = log.data.value
      return d?.nextCursor ? log.load(d.filters, d.nextCursor, d.items) : Promise.resolve()
    },
  }
}
