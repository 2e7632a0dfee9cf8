import type { ChecklistExperience, ChecklistItem } from '../../wire'

/** Done on the server's word (`done`, `done_late`), or since this user tracked one of the item's `events`. */
export function isDone(item: ChecklistItem, tracked: readonly string[]): boolean {
  return item.status == 'done' || item.status == 'done_late' || (item.events || []).some((e) => tracked.includes(e))
}

/** Every item of the checklist is done. */
export function allDone(exp: ChecklistExperience, tracked: readonly string[]): boolean {
  return (exp.items || []).every((i) => isDone(i, tracked))
}
