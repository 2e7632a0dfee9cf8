/**
 * What a failed call says to the member (console/ui/errors.ts): the API's known codes in the
 * member's language, a validation error in the API's own words, and an answer without the API's
 * error shape (a proxy's 503, an empty body) never as the HTTP status text, which is English.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { ApiError } from '../../console/api'
import { setLocale } from '../../console/i18n'
import { errorMessage } from '../../console/ui/errors'

afterEach(() => setLocale('en'))

describe('error messages', () => {
  it('CE-M01 a known code is said in the member language', () => {
    setLocale('pt-BR')
    expect(errorMessage(new ApiError(403, 'forbidden_role', 'role csm or above required'))).toBe(
      'Seu papel não permite isto.',
    )
  })

  it('CE-M02 a validation error keeps the API message (its fields show the details)', () => {
    expect(errorMessage(new ApiError(400, 'invalid_body', 'the body is invalid'))).toBe('the body is invalid')
  })

  it('CE-M03 a 5xx without the API error shape is the server error, translated, not the status text', () => {
    setLocale('pt-BR')
    expect(errorMessage(new ApiError(503, 'http_503', 'Service Unavailable'))).toBe('Algo deu errado no servidor.')
    setLocale('en')
    expect(errorMessage(new ApiError(502, 'bad_gateway', 'Bad Gateway'))).toBe('Something went wrong on the server.')
  })

  it('CE-M04 a 4xx without the API error shape names its status in the member language', () => {
    setLocale('pt-BR')
    expect(errorMessage(new ApiError(405, 'http_405', 'Method Not Allowed'))).toBe(
      'O servidor não conseguiu responder a isto (HTTP 405).',
    )
  })
})
