/** The draft as JSON, for those who prefer it: a syntax error and the server's issues listed with their lines. */
import { useId, useRef } from 'preact/hooks'
import { lineOf, parseJsonText } from '../config-doc'
import { t } from '../messages'
import type { ContentModel } from '../model'

/** The whole document as text; a syntax error and the server's issues listed with their lines. */
export function JsonView({ model }: { model: ContentModel }) {
  const id = useId()
  const area = useRef<HTMLTextAreaElement>(null)
  const e = model.editing.value!
  const syntax = model.syntax.value
  const parsed = syntax ? null : parseJsonText(e.text)
  const lines = parsed?.ok ? parsed.lines : new Map<string, number>()
  const problems = syntax
    ? [{ line: syntax.line, text: t('syntaxError', { ...syntax }) }]
    : model.issues.value.map((i) => ({ line: lineOf(lines, i.path), text: `${i.path || '(document)'}: ${i.message}` }))
  const goTo = (line: number) => {
    const el = area.current
    if (!el) return
    const start =
      e.text
        .split('\n')
        .slice(0, line - 1)
        .join('\n').length + (line > 1 ? 1 : 0)
    el.focus()
    el.setSelectionRange(start, start + (e.text.split('\n')[line - 1]?.length ?? 0))
  }
  return (
    <div class="field">
      <label for={id}>{t('jsonLabel')}</label>
      <p class="hint" id={`${id}-hint`}>
        {t('jsonHint')}
      </p>
      <textarea
        id={id}
        ref={area}
        class="json-text"
        rows={24}
        spellcheck={false}
        value={e.text}
        aria-invalid={problems.length > 0 ? true : undefined}
        aria-describedby={`${id}-hint${problems.length > 0 ? ` ${id}-error` : ''}`}
        onInput={(ev) => model.setText(ev.currentTarget.value)}
      />
      {problems.length > 0 && (
        <ul class="field-error" id={`${id}-error`}>
          {problems.map((p) => (
            <li key={p.text}>
              <button type="button" class="link" onClick={() => goTo(p.line)}>
                {t('atLine', { line: p.line })}
              </button>{' '}
              {p.text}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
