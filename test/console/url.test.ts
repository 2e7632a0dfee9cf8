import { describe, expect, it } from 'vitest'
import {
  ACCOUNT_FILTERS,
  accountsHref,
  csvUrl,
  listQuery,
  withFilter,
  withSort,
} from '../../console/pages/accounts/filters'
import { ACCOUNT_VIEW } from '../../console/pages/account/model'
import {
  csvUrls,
  experiencesQuery,
  npsQuery,
  RESULTS_FILTERS,
  rangeOf,
  resultsHref,
  withFilter as withResultsFilter,
} from '../../console/pages/results/filters'
import { AUDIT_FILTERS } from '../../console/pages/audit/model'
import { createApi } from '../../console/api'
import { day, intIn, oneOf, readQuery, text, toQuery } from '../../console/url'

describe('filters held in the URL (a shared link shows the same view)', () => {
  it('CU01 the accounts view reads back what it wrote, in a stable order', () => {
    const f = {
      q: 'acme',
      phase: 'onboarding',
      band: 'red',
      flag: 'no_login',
      segment: 'smb',
      renewalWithin: 90,
      sort: 'health',
      order: 'desc',
      cursor: 'c2',
    } as const
    const href = accountsHref('/console/accounts', f)
    expect(href).toBe(
      '/console/accounts?q=acme&phase=onboarding&band=red&flag=no_login&segment=smb&renewalWithin=90&sort=health&order=desc&cursor=c2',
    )
    expect(readQuery(ACCOUNT_FILTERS, href.split('?')[1]!)).toEqual(f)
  })

  it('CU02 values the API would refuse are dropped, not sent (stale or edited links)', () => {
    expect(
      readQuery(
        ACCOUNT_FILTERS,
        'phase=onboardingx&band=blue&flag=nope&renewalWithin=-3&sort=color&order=up&q=%20%20&segment=smb',
      ),
    ).toEqual({ segment: 'smb' })
    expect(readQuery(ACCOUNT_FILTERS, { renewalWithin: '99999', q: 'x'.repeat(201) })).toEqual({})
    expect(readQuery(ACCOUNT_VIEW, 'at=2026-02-30&from=2026-02-01&to=2026-13-01')).toEqual({ from: '2026-02-01' })
    expect(readQuery(AUDIT_FILTERS, 'actor=ana%40example.com&from=2026-03-01&bogus=1')).toEqual({
      actor: 'ana@example.com',
      from: '2026-03-01',
    })
  })

  it('CU03 a filter or sort change starts again from the first page; a second click flips the order', () => {
    const f = { band: 'red', cursor: 'c9' } as const
    expect(withFilter(f, { phase: 'value' })).toEqual({ band: 'red', phase: 'value' })
    const byHealth = withSort(f, 'health')
    expect(byHealth).toEqual({ band: 'red', sort: 'health', order: 'asc' })
    expect(withSort(byHealth, 'health').order).toBe('desc')
    expect(withSort({}, 'lastActiveAt').order).toBe('desc')
  })

  it('CU04 the list asks a page of 50; the CSV link has the filters and format=csv, never the cursor', () => {
    expect(listQuery({ band: 'red' })).toEqual({ band: 'red', limit: 50 })
    expect(csvUrl(createApi(), { band: 'red', sort: 'nps', cursor: 'c2' })).toBe(
      '/v1/accounts?band=red&sort=nps&format=csv',
    )
  })

  it('CU05 the readers: oneOf, text, intIn, day; toQuery leaves out empty values', () => {
    const spec = { a: oneOf(['x', 'y'] as const), b: text(3), c: intIn(1, 10), d: day }
    expect(readQuery(spec, 'a=y&b=abc&c=10&d=2024-02-29')).toEqual({ a: 'y', b: 'abc', c: 10, d: '2024-02-29' })
    expect(readQuery(spec, 'a=z&b=abcd&c=0&d=2023-02-29')).toEqual({})
    expect(readQuery(spec, 'c=1.5')).toEqual({})
    expect(toQuery(spec, { a: 'x', b: '' })).toBe('?a=x')
    expect(toQuery(spec, {})).toBe('')
  })

  it('CU06 the results view: days, segment, phase and interval read back; what the API refuses is dropped', () => {
    const f = { from: '2026-03-01', to: '2026-03-31', segment: 'smb', phase: 'adoption', interval: 'month' } as const
    const href = resultsHref('/console/results', f)
    expect(href).toBe('/console/results?from=2026-03-01&to=2026-03-31&segment=smb&phase=adoption&interval=month')
    expect(readQuery(RESULTS_FILTERS, href.split('?')[1]!)).toEqual(f)
    expect(readQuery(RESULTS_FILTERS, 'from=2026-02-30&to=tomorrow&segment=big&phase=x&interval=day')).toEqual({})
    // A field emptied drops its filter; a day the form cannot have is dropped too.
    expect(withResultsFilter(f, { segment: '', interval: 'week', to: '31/03/2026' })).toEqual({
      from: '2026-03-01',
      phase: 'adoption',
      interval: 'week',
    })
  })

  it('CU07 results: the last 30 days by default; from counts its whole day; the CSV links add format=csv', () => {
    expect(rangeOf({}, '2026-03-31')).toEqual({ from: '2026-03-01', to: '2026-03-31' })
    expect(rangeOf({ to: '2026-01-10' }, '2026-03-31')).toEqual({ from: '2025-12-11', to: '2026-01-10' })
    // A day alone is the end of that UTC day to the API: `from` goes as the start of its day.
    expect(experiencesQuery({ from: '2026-03-05', segment: 'smb' }, '2026-03-31')).toEqual({
      from: '2026-03-05T00:00:00.000Z',
      to: '2026-03-31',
      segment: 'smb',
      phase: undefined,
    })
    expect(npsQuery({ interval: 'month' }, '2026-03-31')).toMatchObject({ interval: 'month' })
    expect(csvUrls(createApi(), { phase: 'value', interval: 'month' }, '2026-03-31')).toEqual({
      experiences: '/v1/results/experiences?from=2026-03-01T00%3A00%3A00.000Z&to=2026-03-31&phase=value&format=csv',
      nps: '/v1/results/nps?from=2026-03-01T00%3A00%3A00.000Z&to=2026-03-31&phase=value&interval=month&format=csv',
    })
  })
})
