/** @jsxRuntime classic */ /** @jsx h */ /** @jsxFrag Fragment */
import { Fragment, h } from 'preact'
import type { Experience } from '../wire'
import { Advocacy } from './advocacy/Advocacy'
import { Banner } from './banner/Banner'
import { Checklist } from './checklist/Checklist'
import { Guide } from './guide/Guide'
import { Launcher, offers } from './launcher/Launcher'
import { Message } from './message/Message'
import type { Model } from './model'
import { Nps } from './nps/Nps'
import { Value } from './value/Value'

/** Everything on screen: the live region, the inline lane, the launcher, and the one modal experience. */
export function App({ m }: { m: Model }) {
  const d = m.decision.value
  const dismissed = m.dismissed.value
  const list = offers(m)
  const panel = m.panel.value && list.length > 0
  const inline = d.experiences.filter((e) => e.lane == 'inline' && !dismissed.includes(e.id))
  return (
    <>
      <div class="sr" role="status" aria-live="polite">
        {m.announce.value}
      </div>
      {inline.map((e) =>
        e.kind == 'banner' ? (
          <Banner key={e.id} m={m} exp={e} />
        ) : e.kind == 'checklist' && !panel ? (
          <Checklist key={e.id} m={m} exp={e} />
        ) : null,
      )}
      {list.length > 0 && <Launcher m={m} list={list} />}
      <Modal m={m} exp={m.open.value} />
    </>
  )
}

function Modal({ m, exp }: { m: Model; exp: Experience | null }) {
  const tour = m.tour.value
  switch (exp?.kind) {
    case 'guide':
      return tour && <Guide key={exp.id} m={m} tour={tour} />
    case 'value':
      return <Value key={exp.id} m={m} exp={exp} />
    case 'nps':
      return <Nps key={exp.id} m={m} exp={exp} />
    case 'advocacy':
      return <Advocacy key={exp.id} m={m} exp={exp} />
    case 'message':
      return <Message key={exp.id} m={m} exp={exp} />
  }
  return null
}
