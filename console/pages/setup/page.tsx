/**
 * Setting a password from a one-time link: the owner's setup link (`/console/setup?token=`) and an
 * invitation (`/console/invite?token=`). Both go to `POST /v1/invites/accept` and sign the member in.
 */
import { useMemo, useState } from 'preact/hooks'
import { useLocation } from 'preact-iso/router'
import { defineMessages, translator } from '../../i18n'
import { paths } from '../../paths'
import { createAction } from '../../resource'
import { useServices } from '../../services'
import { Field, FormError, PageTitle, fieldError } from '../../ui/parts'

/** console.md, "Members": passwords of at least 10 characters. */
export const MIN_PASSWORD = 10

const t = translator(
  defineMessages(
    {
      setupTitle: 'Set the owner’s password',
      inviteTitle: 'Join the workspace',
      intro: 'Choose a password of at least {min} characters. This link works once.',
      password: 'New password',
      confirm: 'The same password again',
      submit: 'Set the password and sign in',
      busy: 'Saving…',
      tooShort: 'At least {min} characters.',
      mismatch: 'The two passwords differ.',
      noToken: 'This link has no token. Open the link exactly as you received it.',
    },
    {
      setupTitle: 'Defina a senha do proprietário',
      inviteTitle: 'Entrar no workspace',
      intro: 'Escolha uma senha com pelo menos {min} caracteres. Este link funciona uma vez.',
      password: 'Nova senha',
      confirm: 'A mesma senha de novo',
      submit: 'Definir a senha e entrar',
      busy: 'Salvando…',
      tooShort: 'Pelo menos {min} caracteres.',
      mismatch: 'As duas senhas são diferentes.',
      noToken: 'Este link não tem token. Abra o link exatamente como você o recebeu.',
    },
  ),
)

export default function SetupPage() {
  const { session } = useServices()
  const { path, query, route } = useLocation()
  const token = query.token ?? ''
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [checked, setChecked] = useState(false)
  const accept = useMemo(() => createAction((tk: string, p: string) => session.accept(tk, p)), [session])
  const title = path === paths.setup ? t('setupTitle') : t('inviteTitle')
  const error = accept.error.value
  const short = password.length < MIN_PASSWORD ? t('tooShort', { min: MIN_PASSWORD }) : undefined
  const mismatch = confirm !== password ? t('mismatch') : undefined

  if (!token)
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <p class="notice notice-error" role="alert">
          {t('noToken')}
        </p>
      </>
    )

  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <p>{t('intro', { min: MIN_PASSWORD })}</p>
      <form
        onSubmit={async (e) => {
          e.preventDefault()
          setChecked(true)
          if (short || mismatch) return
          await accept.run(token, password)
          if (!accept.error.value) route(paths.overview, true)
        }}
      >
        <FormError error={error} fields={['password']} />
        <Field
          label={t('password')}
          type="password"
          name="password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD}
          value={password}
          error={(checked ? short : undefined) ?? fieldError(error, 'password')}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <Field
          label={t('confirm')}
          type="password"
          name="confirm"
          autoComplete="new-password"
          required
          value={confirm}
          error={checked ? mismatch : undefined}
          onInput={(e) => setConfirm(e.currentTarget.value)}
        />
        <button type="submit" disabled={accept.busy.value}>
          {accept.busy.value ? t('busy') : t('submit')}
        </button>
      </form>
    </>
  )
}
