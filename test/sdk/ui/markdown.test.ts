import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { render } from 'preact'
import { describe, expect, it } from 'vitest'
import { markdown } from '../../../sdk/ui/markdown'
import { safeUrl } from '../../../sdk/ui/url'

/** Renders the markdown subset into a detached element and returns it. */
function html(src: string): HTMLElement {
  const el = document.createElement('div')
  render(markdown(src), el)
  return el
}

describe('markdown subset', () => {
  it('MD01 bold, italic, links, line breaks, lists and paragraphs become elements', () => {
    const el = html(
      'Click **New report**, *then* [the docs](https://example.com/docs).\nSecond line\n\n- one\n- two **bold**',
    )
    expect(el.innerHTML).toBe(
      '<p>Click <strong>New report</strong>, <em>then</em> <a href="https://example.com/docs" part="link" target="_blank" rel="noopener noreferrer">the docs</a>.<br>Second line</p>' +
        '<ul><li>one</li><li>two <strong>bold</strong></li></ul>',
    )
  })

  it('MD02 hostile HTML stays text: <img onerror>, <script>, <a href=javascript:>', () => {
    const el = html('<img src=x onerror="alert(1)"> <script>alert(2)</script> <a href="javascript:alert(3)">x</a>')
    expect(el.querySelectorAll('img, script, a')).toHaveLength(0)
    expect(el.textContent).toBe(
      '<img src=x onerror="alert(1)"> <script>alert(2)</script> <a href="javascript:alert(3)">x</a>',
    )
  })

  it.each([
    ['javascript:alert`1`'],
    ['JaVaScRiPt:alert`1`'],
    ['java\tscript:alert`1`'],
    [' javascript:alert`1`'],
    ['data:text/html;base64,PHNjcmlwdD4='],
    ['vbscript:msgbox'],
    ['\u0001javascript:alert`1`'],
    ['javascript:alert(1)'],
  ])('MD03 a link to %j never becomes a link (its text stays)', (url) => {
    const el = html(`[click me](${url})`)
    expect(el.querySelector('a')).toBeNull()
    expect(el.textContent).toContain('click me')
    expect(safeUrl(url)).toBe(false)
  })

  it.each([
    ['https://example.com'],
    ['http://example.com/a?b=1'],
    ['/reports'],
    ['reports/new'],
    ['#top'],
    ['?tab=2'],
    ['//cdn.example.com/x'],
  ])('MD04 %j is a safe URL (http(s) or relative)', (url) => expect(safeUrl(url)).toBe(true))

  it('MD05 relative links open in the same tab; nested markup inside link text', () => {
    const el = html('[**Reports**](/reports)')
    const a = el.querySelector('a')!
    expect(a.getAttribute('href')).toBe('/reports')
    expect(a.hasAttribute('target')).toBe(false)
    expect(a.innerHTML).toBe('<strong>Reports</strong>')
  })

  it('MD06 odd input never throws: empty, unclosed markers, lone brackets', () => {
    for (const s of ['', '**', '*a', '[a](', '[a]()', '- ', '\n\n\n', '**a *b** c*'])
      expect(() => html(s)).not.toThrow()
    expect(html('**a').textContent).toBe('**a')
  })

  // No innerHTML, outerHTML, insertAdjacentHTML, dangerouslySetInnerHTML, document.write.
  it('MD07 no file of sdk/ui writes HTML', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
      )
    for (const f of files('sdk/ui')) {
      const code = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
      expect(code, f).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|dangerouslySetInnerHTML|document\.write/)
    }
  })
})
