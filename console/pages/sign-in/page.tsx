/** Sign in (console.md, "Sign in"): email and password; a wrong pair and too many tries say so at the form. */
import { useMemo, useState } from 'preact/hooks'
import { defineMessages, translator } from '../../i18n'
import { createAction } from '../../resource'
import { useServices } from '../../services'
import { Field, FormError, PageTitle, fieldError } from '../../ui/parts'

const t = translator(
  defineMessages(
    {
      title: 'Sign in',
      email: 'Email',
      password: 'Password',
      submit: 'Sign in',
      busy: 'Signing in…',
      firstTime: 'First time? Use the setup link printed when the server started, or the invitation you received.',
    },
    {
      title: 'Entrar',
      email: 'E-mail',
      password: 'Senha',
      submit: 'Entrar',
      busy: 'Entrando…',
      firstTime:
        'Primeira vez? Use o link de configuração mostrado ao iniciar o servidor, ou o convite que você recebeu.',
    },
  ),
)

export default function SignInPage() {
  const { session } = useServices()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const signIn = useMemo(() => createAction((e: string, p: string) => session.signIn(e, p)), [session])
  const error = signIn.error.value
  return (
    <>
      <PageTitle title={t('title')}>{t('title')}</PageTitle>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          // The shell moves on to `next` once the session is there.
          void signIn.run(email.trim(), password)
        }}
      >
        <FormError error={error} fields={['email', 'password']} />
        <Field
          label={t('email')}
          type="email"
          name="email"
          autoComplete="username"
          required
          value={email}
          error={fieldError(error, 'email')}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
        <Field
          label={t('password')}
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          error={fieldError(error, 'password')}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <button type="submit" disabled={signIn.busy.value}>
          {signIn.busy.value ? t('busy') : t('submit')}
        </button>
      </form>
      <p class="hint">{t('firstTime')}</p>
    </>
  )
}
