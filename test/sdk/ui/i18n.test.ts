import { beforeAll, describe, expect, it } from 'vitest'
import { texts as banner } from '../../../sdk/ui/banner/texts'
import { texts as checklist } from '../../../sdk/ui/checklist/texts'
import { texts as guide } from '../../../sdk/ui/guide/texts'
import en from '../../../sdk/ui/i18n/en'
import { createI18n, dirOf, pickLocale, type Texts } from '../../../sdk/ui/i18n'
import ptBR from '../../../sdk/ui/i18n/pt-BR'
import { texts as launcher } from '../../../sdk/ui/launcher/texts'
import { texts as message } from '../../../sdk/ui/message/texts'
import { texts as nps } from '../../../sdk/ui/nps/texts'
import { texts as value } from '../../../sdk/ui/value/texts'
import { loadKinds } from './helpers'

/** A kind's texts (`[en, pt-BR]` by key) as one catalog per locale, the way its chunk merges them in. */
const byLocale = (t: Texts) => ({
  en: Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v[0]])),
  'pt-BR': Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v[1]])),
})
/** The base's catalogs and each kind's own texts (its chunk merges them in when it arrives). */
const CATALOGS = {
  base: { en, 'pt-BR': ptBR },
  ...Object.fromEntries(
    Object.entries({ banner, checklist, guide, launcher, message, nps, value }).map(([n, t]) => [n, byLocale(t)]),
  ),
}

// The milestones' and the banner's texts travel with their kinds' chunks.
beforeAll(loadKinds)

describe('locales', () => {
  it.each([
    ['L01', 'pt', 'pt-BR'],
    ['L02', 'pt-PT', 'pt-BR'],
    ['L03', 'pt_br', 'pt-BR'],
    ['L04', 'pt-BR', 'pt-BR'],
    ['L05', 'en-GB', 'en'],
    ['L06', 'fr', 'en'],
    ['L07', '', 'en'],
    ['L08', undefined, 'en'],
    ['L09', 'not a locale!', 'en'],
  ])('%s %j → %s', (_id, tag, want) => expect(pickLocale(tag)).toBe(want))

  it('L10 dir: Arabic, Hebrew, Persian are right to left; the rest left to right', () => {
    expect(['ar', 'he-IL', 'fa', 'ur-PK'].map(dirOf)).toEqual(['rtl', 'rtl', 'rtl', 'rtl'])
    expect(['en', 'pt-BR', 'ja', undefined].map(dirOf)).toEqual(['ltr', 'ltr', 'ltr', 'ltr'])
  })

  it('L11 both catalogs have the same keys, none empty: the base and every kind', () => {
    for (const [name, c] of Object.entries(CATALOGS)) {
      expect(Object.keys(c['pt-BR']).sort(), name).toEqual(Object.keys(c.en).sort())
      for (const v of [...Object.values(c.en), ...Object.values(c['pt-BR'])]) expect(v.trim(), name).not.toBe('')
    }
  })

  // A title the launcher lists is also its kind's own (the live region says it when it shows).
  it('L16 a key two chunks both carry has the same text in both', () => {
    const seen: Record<string, string> = {}
    for (const [name, c] of Object.entries(CATALOGS))
      for (const [locale, texts] of Object.entries(c))
        for (const [k, v] of Object.entries(texts as Record<string, string>))
          expect((seen[`${locale} ${k}`] ??= v), `${name} ${locale} ${k}`).toBe(v)
  })

  it('L12 milestone titles by journey id in pt-BR', () => {
    const { t } = createI18n('pt-BR')
    expect(
      ['welcome', 'kickoff', 'setup', 'first_value', 'training', 'health_check'].map((id) => t('milestone.' + id)),
    ).toEqual([
      'Boas-vindas',
      'Reunião de kickoff',
      'Configuração',
      'Primeiro resultado',
      'Treinamento',
      'Check-up de saúde',
    ])
  })

  it('L13 numbers, currencies and dates through Intl in the host locale; placeholders filled', () => {
    const pt = createI18n('pt-BR')
    expect(pt.num(1234.5, { style: 'currency', currency: 'BRL' })).toBe('R$\u00a01.234,50')
    expect(pt.date('2026-12-24')).toBe('24 de dez. de 2026')
    expect(pt.inDays(30)).toBe('em 30 dias')
    expect(pt.t('banner.renewal', { date: pt.date('2026-12-24'), when: pt.inDays(30) })).toBe(
      'Seu plano será renovado em 24 de dez. de 2026, em 30 dias.',
    )
    const enGB = createI18n('en-GB')
    expect(enGB.locale).toBe('en')
    expect(enGB.date('2026-12-24')).toBe('24 Dec 2026')
    expect(enGB.inDays(1)).toBe('tomorrow')
  })

  it('L14 a malformed locale falls back to the catalog locale for Intl instead of throwing', () => {
    const x = createI18n('pt-!!')
    expect(x.locale).toBe('pt-BR')
    expect(x.num(0.12, { style: 'percent' })).toBe('12%')
    expect(createI18n('en').num(5, { style: 'currency', currency: 'NOT A CURRENCY' })).toBe('5')
  })

  it('L15 unknown keys fall back, then show the key', () => {
    const { t } = createI18n('en')
    expect(t('milestone.custom_step', undefined, 'custom step')).toBe('custom step')
    expect(t('nope')).toBe('nope')
  })
})
