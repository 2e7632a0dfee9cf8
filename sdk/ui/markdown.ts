/**
 * The small markdown subset guides and messages may use (wire.ts `GuideStep.body`): `**bold**`,
 * `*italic*`, `[text](url)`, line breaks, `- ` lists, blank lines between paragraphs. It becomes
 * Preact elements and text nodes, never HTML: `<img onerror=…>` stays text. Links keep only
 * http(s) and relative URLs; any other scheme (`javascript:`, `data:`) leaves the link text alone.
 */
import { h, type ComponentChildren } from 'preact'
import { safeUrl } from './url'

/** `**bold**` | `*italic*` | `[text](url)`: one alternative per capture group. */
const INLINE = /\*\*(.+?)\*\*|\*(.+?)\*|\[([^\]]+)\]\(([^)\s]+)\)/g

function inline(text: string): ComponentChildren[] {
  const out: ComponentChildren[] = []
  let last = 0
  for (const m of text.matchAll(INLINE)) {
    if (m.index! > last) out.push(text.slice(last, m.index))
    if (m[1] != null) out.push(h('strong', null, inline(m[1])))
    else if (m[2] != null) out.push(h('em', null, inline(m[2])))
    else if (safeUrl(m[4])) {
      const external = /^\s*https?:/i.test(m[4])
      out.push(
        h(
          'a',
          {
            href: m[4],
            part: 'link',
            target: external ? '_blank' : undefined,
            rel: external ? 'noopener noreferrer' : undefined,
          },
          inline(m[3]),
        ),
      )
    } else out.push(inline(m[3]))
    last = m.index! + m[0].length
  }
  if (last < text.length) out.push(text.slice(last))
  return out
}

/** The markdown subset as Preact children: paragraphs (`<p>`, with `<br>` for single line breaks) and `<ul>` lists. */
export function markdown(src: string): ComponentChildren[] {
  const blocks: ComponentChildren[] = []
  let para: string[] = []
  let list: string[] = []
  const flush = () => {
    if (para.length)
      blocks.push(
        h(
          'p',
          null,
          para.flatMap((l, i) => (i ? [h('br', null), ...inline(l)] : inline(l))),
        ),
      )
    if (list.length)
      blocks.push(
        h(
          'ul',
          null,
          list.map((l) => h('li', null, inline(l))),
        ),
      )
    para = []
    list = []
  }
  for (const raw of String(src ?? '').split(/\r?\n/)) {
    const line = raw.trim()
    const item = /^- (.*)$/.exec(line)
    if (item) {
      if (para.length) flush()
      list.push(item[1])
    } else if (line) {
      if (list.length) flush()
      para.push(line)
    } else flush()
  }
  flush()
  return blocks
}
