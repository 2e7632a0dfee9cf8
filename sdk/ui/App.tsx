/** @jsxRuntime classic */ /** @jsx h */ /** @jsxFrag Fragment */
import { Fragment, h } from 'preact'
import { offers } from './launcher/offers'
import type { Model } from './model'

const inline = (kind: string) => kind == 'checklist' || kind == 'banner'

/**
 * Everything on screen: the live region, the inline lane, the launcher, and the one modal
 * experience. Each kind renders through its chunk's view (./kinds.ts); one not here yet renders
 * nothing, and appears when its chunk arrives.
 */
export function App({ m }: { m: Model }) {
  const d = m.decision.value
  const dismissed = m.dismissed.value
  const views = m.kinds.loaded.value
  const list = offers(m)
  const panel = m.panel.value && list.length > 0
  const exp = m.open.value
  // The launcher's chunk is asked for when it has something to offer.
  const Launcher = list.length > 0 && (views.launcher || m.kinds.use('launcher', m.host.log))?.view.launcher
  // A guide's view reads its tour (created with it when it opened). The checklist and the banner
  // are inline kinds, the others modal ones, whatever lane the config gave them.
  const Modal = exp && !inline(exp.kind) && views[exp.kind]?.view[exp.kind]
  return (
    <>
      <div class="sr" role="status" aria-live="polite">
        {m.announce.value}
      </div>
      {d.experiences.map((e) => {
        const View = e.lane == 'inline' && inline(e.kind) && !dismissed.includes(e.id) && views[e.kind]?.view[e.kind]
        // The checklist leaves the page while the launcher's panel shows it.
        return View && !(panel && e.kind == 'checklist') && <View key={e.id} m={m} exp={e} />
      })}
      {Launcher && <Launcher m={m} exp={list} />}
      {Modal && <Modal key={exp.id} m={m} exp={exp} />}
    </>
  )
}
