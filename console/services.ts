/** What every page shares: the API client and the session, given to the tree once (tests give fakes). */
import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import type { Api } from './api'
import type { Session } from './session'

export interface Services {
  api: Api
  session: Session
}

export const ServicesContext = createContext<Services | null>(null)

export function useServices(): Services {
  const s = useContext(ServicesContext)
  if (!s) throw new Error('useServices outside <ServicesContext.Provider>')
  return s
}
