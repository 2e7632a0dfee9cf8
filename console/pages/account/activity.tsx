/** The account's users (last seen), what each was shown, completed or dismissed, and its latest events. */
import { formatNumber, formatTime } from '../../format'
import type { Activity } from '../../types'
import { t } from './messages'
import { Section } from './sections'

export function ActivitySection({ activity }: { activity: Activity }) {
  const nameOf = new Map(activity.users.map((u) => [u.userId, u.name ?? u.email ?? u.userId]))
  return (
    <>
      <Section id="users" title={t('users')}>
        {activity.users.length === 0 ? (
          <p>{t('none')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('user')}</th>
                <th scope="col">{t('email')}</th>
                <th scope="col">{t('lastSeen')}</th>
              </tr>
            </thead>
            <tbody>
              {activity.users.map((u) => (
                <tr key={u.userId}>
                  <th scope="row">
                    {u.name ?? u.userId}
                    {u.name && <span class="hint"> {u.userId}</span>}
                  </th>
                  <td>{u.email ?? '–'}</td>
                  <td>{formatTime(u.lastSeenAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h3>{t('shownTo')}</h3>
        {activity.experiences.length === 0 ? (
          <p>{t('none')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('user')}</th>
                <th scope="col">{t('experience')}</th>
                <th scope="col">{t('kind')}</th>
                <th scope="col" class="num">
                  {t('shown')}
                </th>
                <th scope="col" class="num">
                  {t('completed')}
                </th>
                <th scope="col" class="num">
                  {t('dismissed')}
                </th>
                <th scope="col">{t('last')}</th>
              </tr>
            </thead>
            <tbody>
              {activity.experiences.map((x) => (
                <tr key={`${x.userId}-${x.experienceId}`}>
                  <th scope="row">{nameOf.get(x.userId) ?? x.userId}</th>
                  <td>
                    <code>{x.experienceId}</code>
                  </td>
                  <td>{x.kind}</td>
                  <td class="num">{formatNumber(x.shown)}</td>
                  <td class="num">{formatNumber(x.completed)}</td>
                  <td class="num">{formatNumber(x.dismissed)}</td>
                  <td>{formatTime(x.lastAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Section id="events" title={t('events')}>
        {activity.events.length === 0 ? (
          <p>{t('none')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('at')}</th>
                <th scope="col">{t('event')}</th>
                <th scope="col">{t('type')}</th>
                <th scope="col">{t('user')}</th>
              </tr>
            </thead>
            <tbody>
              {activity.events.map((e) => (
                <tr key={e.id}>
                  <th scope="row">{formatTime(e.at)}</th>
                  <td>
                    <code>{e.name}</code>
                  </td>
                  <td>{e.type}</td>
                  <td>{e.userId ? (nameOf.get(e.userId) ?? e.userId) : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </>
  )
}
