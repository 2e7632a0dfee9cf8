/** The console's entry: one API client, one session, the shell. */
import { render } from 'preact'
import { createApi } from './api'
import { App } from './app'
import { locale } from './i18n'
import { createSession } from './session'
import './styles.css'

const api = createApi({ onUnauthorized: () => session.ended() })
const session = createSession(api)
document.documentElement.lang = locale.value
render(<App services={{ api, session }} />, document.getElementById('app')!)
void session.restore()
