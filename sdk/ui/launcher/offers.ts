import type { Experience } from '../../wire'
import type { Model } from '../model'

/**
 * What the launcher offers: the decision's `launcher` list and everything dismissed on this page,
 * once each, minus what is on screen inline.
 */
export function offers(m: Model): Experience[] {
  const d = m.decision.value
  const dismissed = m.dismissed.value
  const seen = new Set<string>()
  return [...d.launcher, ...d.experiences.filter((e) => dismissed.includes(e.id))].filter((e) => {
    const inline = e.lane == 'inline' && d.experiences.some((x) => x.id == e.id) && !dismissed.includes(e.id)
    if (seen.has(e.id) || inline) return false
    seen.add(e.id)
    return true
  })
}
