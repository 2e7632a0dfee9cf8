/** Settings (admins): keys, allowed origins, identity verification, members and roles. */
import { useEffect, useMemo, useState } from 'preact/hooks'
import { ApiError, fieldMessages } from '../../api'
import { formatTime } from '../../format'
import { defineMessages, translator } from '../../i18n'
import { common } from '../../i18n/common'
import { useServices } from '../../services'
import type { Member, Role } from '../../types'
import { Field, FormError, LoadError, Loading, PageTitle, Select, ShownOnce, fieldError } from '../../ui/parts'
import { assignableRoles, createSettingsModel, parseOrigins } from './model'
import type { SettingsModel } from './model'

const tc = translator(common)
const t = translator(
  defineMessages(
    {
      title: 'Settings',
      adminsOnly: 'Keys and members are for admins. Ask an admin of your workspace.',
      keys: 'Secret key',
      keysHint:
        'Servers use the secret key; the console never needs it. Rotating gives a new key; the old one keeps working for a grace period so your servers can move one by one.',
      rotate: 'Rotate the secret key',
      ownersRotate: 'Only an owner may rotate it: the secret key acts as an owner.',
      confirmRotate: 'Rotate the secret key now? The new key is shown once.',
      newKey: 'New secret key',
      newKeyNote: 'Shown this once. The previous key works until {until}.',
      retire: 'Retire the previous key now',
      retired: 'The previous key no longer works.',
      noPrevious: 'There was no previous key to retire.',
      origins: 'Allowed origins',
      originsHint:
        'Sites allowed to use the write key, one origin per line (https://app.example.com), or * for any. The server’s own origin always may.',
      originsLabel: 'Origins',
      saveOrigins: 'Save the origins',
      saved: 'Saved.',
      line: 'line {n}: {message}',
      identity: 'Identity verification',
      identityOn: 'On: events that name a user must carry a proof made with the identity secret.',
      identityOff: 'Off: anyone with the write key may name any user. Set JORNADA_IDENTITY_SECRET to turn it on.',
      identityUnknown: 'This server does not report it. It is on when the server starts with JORNADA_IDENTITY_SECRET.',
      members: 'Members',
      email: 'Email',
      role: 'Role',
      since: 'Since',
      state: 'State',
      pending: 'invited, no password yet',
      active: 'active',
      actions: 'Actions',
      you: '(you)',
      roleOf: 'Role of {email}',
      remove: 'Remove',
      confirmRemove: 'Remove {email}? Their sessions end at once.',
      invite: 'Invite a member',
      inviteSubmit: 'Invite',
      inviteLink: 'Invitation link for {email}',
      inviteNote: 'Send this link to them: it works once, for 7 days.',
      'roleHelp.viewer': 'reads everything but keys and members',
      'roleHelp.csm': '+ phase overrides and account notes',
      'roleHelp.editor': '+ the journey config and content',
      'roleHelp.admin': '+ webhooks, keys, origins, members',
      'roleHelp.owner': '+ owners',
    },
    {
      title: 'Configurações',
      adminsOnly: 'Chaves e membros são para administradores. Peça a um administrador do seu workspace.',
      keys: 'Chave secreta',
      keysHint:
        'Servidores usam a chave secreta; o console nunca precisa dela. Trocar gera uma chave nova; a antiga continua valendo por um período de carência para seus servidores mudarem um a um.',
      rotate: 'Trocar a chave secreta',
      ownersRotate: 'Só um proprietário pode trocá-la: a chave secreta age como um proprietário.',
      confirmRotate: 'Trocar a chave secreta agora? A nova chave é mostrada uma vez.',
      newKey: 'Nova chave secreta',
      newKeyNote: 'Mostrada só esta vez. A chave anterior vale até {until}.',
      retire: 'Desativar a chave anterior agora',
      retired: 'A chave anterior não vale mais.',
      noPrevious: 'Não havia chave anterior para desativar.',
      origins: 'Origens permitidas',
      originsHint:
        'Sites que podem usar a chave de escrita, uma origem por linha (https://app.exemplo.com.br), ou * para qualquer uma. A origem do próprio servidor sempre pode.',
      originsLabel: 'Origens',
      saveOrigins: 'Salvar as origens',
      saved: 'Salvo.',
      line: 'linha {n}: {message}',
      identity: 'Verificação de identidade',
      identityOn: 'Ligada: eventos que nomeiam um usuário precisam de uma prova feita com o segredo de identidade.',
      identityOff:
        'Desligada: quem tem a chave de escrita pode nomear qualquer usuário. Defina JORNADA_IDENTITY_SECRET para ligá-la.',
      identityUnknown:
        'Este servidor não informa. Ela está ligada quando o servidor inicia com JORNADA_IDENTITY_SECRET.',
      members: 'Membros',
      email: 'E-mail',
      role: 'Papel',
      since: 'Desde',
      state: 'Estado',
      pending: 'convidado, ainda sem senha',
      active: 'ativo',
      actions: 'Ações',
      you: '(você)',
      roleOf: 'Papel de {email}',
      remove: 'Remover',
      confirmRemove: 'Remover {email}? As sessões terminam na hora.',
      invite: 'Convidar um membro',
      inviteSubmit: 'Convidar',
      inviteLink: 'Link de convite para {email}',
      inviteNote: 'Envie este link: ele funciona uma vez, por 7 dias.',
      'roleHelp.viewer': 'lê tudo menos chaves e membros',
      'roleHelp.csm': '+ fases definidas à mão e notas de conta',
      'roleHelp.editor': '+ a configuração da jornada e o conteúdo',
      'roleHelp.admin': '+ webhooks, chaves, origens, membros',
      'roleHelp.owner': '+ proprietários',
    },
  ),
)

const roleLabel = (r: Role) => `${tc(`role.${r}`)} (${t(`roleHelp.${r}`)})`

function Keys({ model, owner }: { model: SettingsModel; owner: boolean }) {
  const rotated = model.rotated.value
  return (
    <section aria-labelledby="keys-h">
      <h2 id="keys-h">{t('keys')}</h2>
      <p class="hint">{t('keysHint')}</p>
      {!owner && <p>{t('ownersRotate')}</p>}
      <FormError error={model.rotate.error.value ?? model.retire.error.value} />
      {rotated && (
        <ShownOnce
          label={t('newKey')}
          value={rotated.secretKey}
          note={t('newKeyNote', { until: formatTime(rotated.previousExpiresAt) })}
        />
      )}
      <div class="row" hidden={!owner}>
        <button
          type="button"
          disabled={model.rotate.busy.value}
          onClick={() => {
            if (confirm(t('confirmRotate'))) void model.rotate.run()
          }}
        >
          {t('rotate')}
        </button>
        {rotated && (
          <button
            type="button"
            class="secondary"
            disabled={model.retire.busy.value}
            onClick={() => void model.retire.run()}
          >
            {t('retire')}
          </button>
        )}
      </div>
      {model.retired.value !== null && <p role="status">{model.retired.value ? t('retired') : t('noPrevious')}</p>}
    </section>
  )
}

function Origins({ model }: { model: SettingsModel }) {
  const current = model.origins.data.value
  const [text, setText] = useState('')
  const [saved, setSaved] = useState(false)
  useEffect(() => {
    if (current) setText(current.origins.join('\n'))
  }, [current])
  const error = model.saveOrigins.error.value
  // Issues name `origins.N`: each is shown as a line of the text box.
  const byLine = Object.entries(fieldMessages(error instanceof ApiError ? error.issues : [])).filter(([p]) =>
    /^origins\.\d+$/.test(p),
  )
  const lines = byLine.map(([p, m]) => t('line', { n: Number(p.split('.')[1]) + 1, message: m }))
  return (
    <section aria-labelledby="origins-h">
      <h2 id="origins-h">{t('origins')}</h2>
      {model.origins.error.value ? (
        <LoadError error={model.origins.error.value} retry={() => void model.origins.load()} />
      ) : (
        <form
          onSubmit={async (e) => {
            e.preventDefault()
            setSaved(false)
            await model.saveOrigins.run(parseOrigins(text))
            setSaved(!model.saveOrigins.error.value)
          }}
        >
          <FormError error={error} fields={byLine.map(([p]) => p)} />
          <div class="field">
            <label for="origins">{t('originsLabel')}</label>
            <p class="hint" id="origins-hint">
              {t('originsHint')}
            </p>
            <textarea
              id="origins"
              rows={4}
              value={text}
              aria-describedby={lines.length ? 'origins-hint origins-error' : 'origins-hint'}
              aria-invalid={lines.length ? true : undefined}
              onInput={(e) => setText(e.currentTarget.value)}
            />
            {lines.length > 0 && (
              <ul class="field-error" id="origins-error">
                {lines.map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
            )}
          </div>
          <button type="submit" disabled={model.saveOrigins.busy.value}>
            {t('saveOrigins')}
          </button>
          {saved && <span role="status"> {t('saved')}</span>}
        </form>
      )}
    </section>
  )
}

function Identity({ model }: { model: SettingsModel }) {
  const { data, error, loading } = model.identity
  return (
    <section aria-labelledby="identity-h">
      <h2 id="identity-h">{t('identity')}</h2>
      {error.value ? (
        <LoadError error={error.value} />
      ) : loading.value ? (
        <Loading />
      ) : (
        <p>{data.value === null ? t('identityUnknown') : data.value.enabled ? t('identityOn') : t('identityOff')}</p>
      )}
    </section>
  )
}

function MemberRow({ m, model, me, actor }: { m: Member; model: SettingsModel; me: boolean; actor: Role }) {
  const roles = assignableRoles(actor)
  // An admin manages members other than owners; no one changes their own role here.
  const editable = !me && roles.includes(m.role)
  return (
    <tr>
      <th scope="row">
        {m.email} {me && <span class="hint">{t('you')}</span>}
      </th>
      <td>
        {editable ? (
          <select
            aria-label={t('roleOf', { email: m.email })}
            value={m.role}
            disabled={model.changeRole.busy.value}
            onChange={(e) => void model.changeRole.run(m.id, e.currentTarget.value as Role)}
          >
            {roles.map((r) => (
              <option key={r} value={r}>
                {tc(`role.${r}`)}
              </option>
            ))}
          </select>
        ) : (
          tc(`role.${m.role}`)
        )}
      </td>
      <td>{m.pending ? t('pending') : t('active')}</td>
      <td>{formatTime(m.createdAt)}</td>
      <td>
        {editable && (
          <button
            type="button"
            class="danger"
            onClick={() => {
              if (confirm(t('confirmRemove', { email: m.email }))) void model.remove.run(m.id)
            }}
          >
            {t('remove')} <span class="visually-hidden">{m.email}</span>
          </button>
        )}
      </td>
    </tr>
  )
}

function Members({ model, actor, meId }: { model: SettingsModel; actor: Role; meId: string }) {
  const { data, error } = model.members
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('viewer')
  const inviteError = model.invite.error.value
  const invited = model.invited.value
  return (
    <section aria-labelledby="members-h">
      <h2 id="members-h">{t('members')}</h2>
      <FormError error={model.changeRole.error.value ?? model.remove.error.value} />
      {error.value ? (
        <LoadError error={error.value} retry={() => void model.members.load()} />
      ) : !data.value ? (
        <Loading />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('email')}</th>
              <th scope="col">{t('role')}</th>
              <th scope="col">{t('state')}</th>
              <th scope="col">{t('since')}</th>
              <th scope="col">{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {data.value.items.map((m) => (
              <MemberRow key={m.id} m={m} model={model} me={m.id === meId} actor={actor} />
            ))}
          </tbody>
        </table>
      )}
      {invited && (
        <ShownOnce
          label={t('inviteLink', { email: invited.member.email })}
          value={new URL(invited.inviteUrl, location.origin).href}
          note={t('inviteNote')}
        />
      )}
      <form
        class="card"
        aria-labelledby="invite-h"
        onSubmit={async (e) => {
          e.preventDefault()
          await model.invite.run(email.trim(), role)
          if (!model.invite.error.value) setEmail('')
        }}
      >
        <h3 id="invite-h">{t('invite')}</h3>
        <FormError error={inviteError} fields={['email', 'role']} />
        <Field
          label={t('email')}
          type="email"
          name="email"
          required
          value={email}
          error={fieldError(inviteError, 'email')}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
        <Select
          label={t('role')}
          value={role}
          options={assignableRoles(actor).map((r) => ({ value: r, label: roleLabel(r) }))}
          onChange={(v) => setRole(v as Role)}
          error={fieldError(inviteError, 'role')}
        />
        <button type="submit" disabled={model.invite.busy.value}>
          {t('inviteSubmit')}
        </button>
      </form>
    </section>
  )
}

export default function SettingsPage() {
  const { api, session } = useServices()
  const model = useMemo(() => createSettingsModel(api), [api])
  const member = session.member.value
  const admin = session.can('admin')
  useEffect(() => {
    if (admin) void model.load()
  }, [model, admin])
  return (
    <>
      <PageTitle title={t('title')}>{t('title')}</PageTitle>
      {!admin || !member ? (
        <p>{t('adminsOnly')}</p>
      ) : (
        <>
          <Keys model={model} owner={session.can('owner')} />
          <Origins model={model} />
          <Identity model={model} />
          <Members model={model} actor={member.role} meId={member.id} />
        </>
      )}
    </>
  )
}
