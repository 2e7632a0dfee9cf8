/**
 * The ids the console filters and labels by, each defined once on the server in a module of
 * constants and types only, so importing it brings no server code: the journey's vocabulary
 * (server/journey/vocabulary.ts), and the console's roles and the accounts listing's sorts, every
 * column of the accounts page (server/store/types.ts).
 */
import { ROLES } from '../server/store/types'
import type { Role } from '../server/store/types'

export {
  BANDS,
  EXPERIENCE_KINDS,
  HEALTH_COMPONENTS,
  NPS_INTERVALS,
  PHASES,
  RED_FLAGS,
  SEGMENTS,
} from '../server/journey/vocabulary'
export { SNAPSHOT_SORTS } from '../server/store/types'
export type { SnapshotSort } from '../server/store/types'

/** Does `role` include `least` (console.md, "Roles": each role includes the ones before it)? */
export function roleReaches(role: Role, least: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(least)
}
