/**
 * Content (console.md, "Content: drafts, dry runs, publishing, results"): the journey config's
 * revisions; one revision with its document and its diff against any other; for editors, a draft's
 * forms and JSON, its missing translations, its dry run, publishing (with a confirmation when texts
 * lack a locale), rolling back to an older revision and deleting a draft. Viewers read. Which
 * revision and part are open lives in the URL (`?rev=…&tab=…&against=…`, `?new=1`).
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { useLocation } from 'preact-iso/router'
import { formatTime } from '../../format'
import { paths } from '../../paths'
import { useServices } from '../../services'
import type { ConfigRevision } from '../../types'
import { Field, FormError, LoadError, Loading, PageTitle, Select, TableWrap } from '../../ui/parts'
import { oneOf, readQuery, text, toQuery } from '../../url'
import { DryRunResult, Gaps, ScopePicker, TABS, TabBody } from './editor'
import { Preview } from './preview'
import { formatDoc } from './config-doc'
import type { Doc } from './config-doc'
import { t, tk } from './messages'
import { createContentModel } from './model'
import type { ContentModel } from './model'

const VIEW = { rev: text(64), new: oneOf(['1'] as const), tab: oneOf(TABS), against: text(64) }
type View = ReturnType<typeof readQuery<typeof VIEW>>
const href = (view: View) => `${paths.content}${toQuery(VIEW, view)}`

function StatusBadge({ status }: { status: string }) {
  return <span class={`status status-${status}`}>{tk(`status.${status}`)}</span>
}

function RevisionList({ model, editor }: { model: ContentModel; editor: boolean }) {
  const list = model.revisions
  if (list.error.value) return <LoadError error={list.error.value} retry={() => void list.load()} />
  if (!list.data.value) return <Loading />
  const items = list.data.value
  return (
    <div>
      <h2>{t('revisions')}</h2>
      {editor && (
        <p>
          <a href={href({ new: '1' })}>{t('newDraft')}</a>
        </p>
      )}
      {items.length === 0 ? (
        <p>{t('none')}</p>
      ) : (
        <TableWrap label={t('revisions')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('message')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col">{t('author')}</th>
                <th scope="col">{t('created')}</th>
                <th scope="col">{t('published')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id}>
                  <td>
                    <a href={href({ rev: r.id })}>{r.message || t('noMessage')}</a> <code class="hint">{r.id}</code>
                  </td>
                  <td>
                    <StatusBadge status={r.status} />
                  </td>
                  <td>{r.author ?? '–'}</td>
                  <td>{formatTime(r.createdAt)}</td>
                  <td>{formatTime(r.publishedAt) || '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </div>
  )
}

/** The diff of the open revision against another (default: the published one). */
function Compare({ model, id, against, view }: { model: ContentModel; id: string; against?: string; view: View }) {
  const { route } = useLocation()
  useEffect(() => {
    void model.diff.load(id, against)
    // A save or a publish gives a new revision object: the diff is of the stored document.
  }, [id, against, model.revision.data.value])
  const others = (model.revisions.data.value ?? []).filter((r) => r.id !== id)
  const d = model.diff.data.value
  const show = (v: unknown) => (v === undefined ? t('absent') : JSON.stringify(v))
  return (
    <section aria-labelledby="compare-h">
      <h2 id="compare-h">{t('compare')}</h2>
      <Select
        label={t('compareWith')}
        value={against ?? ''}
        empty={t('inForce')}
        options={others.map((r) => ({ value: r.id, label: `${r.message || r.id} (${tk(`status.${r.status}`)})` }))}
        onChange={(v) => route(href({ ...view, against: v || undefined }), true)}
      />
      {model.diff.error.value ? (
        <LoadError error={model.diff.error.value} retry={() => void model.diff.load(id, against)} />
      ) : !d || model.diff.loading.value ? (
        <Loading />
      ) : d.changes.length === 0 ? (
        <p>{t('noChanges')}</p>
      ) : (
        <TableWrap label={t('differences')}>
          <table class="diff">
            <thead>
              <tr>
                <th scope="col">{t('path')}</th>
                <th scope="col">{t('before')}</th>
                <th scope="col">{t('after')}</th>
              </tr>
            </thead>
            <tbody>
              {d.changes.map((c) => (
                <tr key={c.path}>
                  <th scope="row">
                    <code>{c.path}</code>
                  </th>
                  <td>
                    <code>{show(c.before)}</code>
                  </td>
                  <td>
                    <code>{show(c.after)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  )
}

/** Asks, then publishes: a rollback says so, and texts missing a locale ask once more. */
async function publish(model: ContentModel, r: ConfigRevision, gaps: number): Promise<boolean> {
  const rollback = r.status === 'superseded'
  if (!confirm(rollback ? t('confirmRollback', { id: r.id }) : t('confirmPublish'))) return false
  if (gaps > 0 && !confirm(t('confirmGaps', { n: gaps }))) return false
  if (!rollback && model.dirty.value && !(await model.save.run())) return false
  return (await model.publish.run(r.id)) !== undefined
}

function DraftEditor({ model, view }: { model: ContentModel; view: View }) {
  const { route } = useLocation()
  const e = model.editing.value
  if (!e) return <Loading />
  const tab = view.tab ?? 'checklist'
  const issues = model.issues.value
  const saveError = model.save.error.value
  return (
    <>
      <form
        class="card"
        aria-labelledby="save-h"
        onSubmit={async (ev) => {
          ev.preventDefault()
          const saved = await model.save.run()
          if (saved && e.id === null) route(href({ rev: saved.id, tab: view.tab }), true)
        }}
      >
        <h2 id="save-h">{t('save')}</h2>
        <Field
          label={t('message')}
          hint={t('messageHint')}
          value={e.message}
          maxLength={1000}
          error={messageAt(model.save.error.value, 'message')}
          onInput={(ev) => model.setMessage(ev.currentTarget.value)}
        />
        {saveError !== null && issues.length > 0 ? (
          <div class="notice notice-error" role="alert">
            <p>{t('errorsTitle', { n: issues.length })}</p>
            <ul>
              {issues.map((i) => (
                <li key={`${i.path}:${i.message}`}>
                  <code>{i.path || '(document)'}</code>: {i.message}
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <FormError error={saveError} fields={['message']} />
        )}
        <p role="status" class="hint">
          {model.dirty.value ? t('unsaved') : t('saved')}
        </p>
        <button type="submit" disabled={model.save.busy.value}>
          {t('save')}
        </button>
      </form>
      <nav aria-label={t('sections')} class="tabs">
        <ul>
          {TABS.map((x) => (
            <li key={x}>
              <a href={href({ ...view, tab: x })} aria-current={x === tab ? 'page' : undefined}>
                {tk(`tab.${x}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <section aria-labelledby="tab-h">
        <h2 id="tab-h">{tk(`tab.${tab}`)}</h2>
        {tab !== 'json' && (
          <>
            <ScopePicker model={model} />
            <p class="hint">{t('followsHint')}</p>
          </>
        )}
        <TabBody model={model} tab={tab} />
      </section>
      <Gaps model={model} />
      <Preview model={model} doc={e.doc} />
      {e.id !== null && (
        <section aria-labelledby="dry-run-h">
          <h2 id="dry-run-h">{t('dryRun')}</h2>
          <p class="hint">{t('dryRunHint')}</p>
          <FormError error={model.runDryRun.error.value} />
          <button
            type="button"
            disabled={model.runDryRun.busy.value}
            aria-describedby={model.dirty.value ? 'dry-run-save' : undefined}
            onClick={async () => {
              if (model.dirty.value && !(await model.save.run())) return
              await model.runDryRun.run(e.id!)
            }}
          >
            {t('runDryRun')}
          </button>
          {model.dirty.value && (
            <span class="hint" id="dry-run-save">
              {' '}
              {t('saveFirst')}
            </span>
          )}
          {model.runDryRun.busy.value && <Loading />}
          <DryRunResult model={model} />
        </section>
      )}
    </>
  )
}

const messageAt = (error: unknown, path: string) =>
  (error as { issues?: { path: string; message: string }[] } | null)?.issues?.find((i) => i.path === path)?.message

function RevisionView({ model, view, editor }: { model: ContentModel; view: View; editor: boolean }) {
  const { route } = useLocation()
  const id = view.rev!
  const [notice, setNotice] = useState<string | null>(null)
  useEffect(() => {
    setNotice(null)
    void model.revision.load(id)
  }, [id])
  const r = model.revision.data.value
  useEffect(() => {
    if (r && r.id === id && r.status === 'draft' && editor && model.editing.value?.id !== id)
      model.edit(r.id, r.config as Doc, r.message)
  }, [r, editor])
  if (model.revision.error.value)
    return <LoadError error={model.revision.error.value} retry={() => void model.revision.load(id)} />
  if (!r || r.id !== id) return <Loading />
  const draft = r.status === 'draft'
  const busy = model.publish.busy.value || model.remove.busy.value
  return (
    <>
      <dl class="facts">
        <dt>{t('status')}</dt>
        <dd>
          <StatusBadge status={r.status} />
        </dd>
        <dt>{t('message')}</dt>
        <dd>{r.message || t('noMessage')}</dd>
        <dt>{t('author')}</dt>
        <dd>{r.author ?? '–'}</dd>
        <dt>{t('created')}</dt>
        <dd>{formatTime(r.createdAt)}</dd>
        <dt>{t('published')}</dt>
        <dd>{formatTime(r.publishedAt) || '–'}</dd>
      </dl>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {!editor && <p class="hint">{t('readOnly')}</p>}
      {editor && r.status !== 'published' && (
        <div class="row actions">
          <button
            type="button"
            disabled={busy}
            onClick={async () => {
              if (await publish(model, r, draft ? model.gaps.value.length : 0)) setNotice(t('publishedNow'))
            }}
          >
            {draft ? t('publish') : t('publishAgain')}
          </button>
          {draft && (
            <button
              type="button"
              class="danger"
              disabled={busy}
              onClick={async () => {
                if (!confirm(t('confirmDelete'))) return
                await model.remove.run(r.id)
                if (!model.remove.error.value) route(paths.content)
              }}
            >
              {t('deleteDraft')}
            </button>
          )}
        </div>
      )}
      <FormError error={model.publish.error.value ?? model.remove.error.value} />
      {draft && editor ? (
        <DraftEditor model={model} view={view} />
      ) : (
        <section aria-labelledby="doc-h">
          <h2 id="doc-h">{t('document')}</h2>
          <pre class="json">{formatDoc(r.config)}</pre>
        </section>
      )}
      {!(draft && editor) && <Preview model={model} doc={r.config as Doc} />}
      <Compare model={model} id={id} against={view.against} view={view} />
    </>
  )
}

function NewDraft({ model, view }: { model: ContentModel; view: View }) {
  const { route } = useLocation()
  const [error, setError] = useState<unknown>(null)
  // The new draft saved (the form, or "Pick on my app" saving first): it now has its address. Only
  // once this page's draft was started: a draft open before it keeps its id until then.
  const savedId = model.editing.value?.id
  const started = useRef(false)
  useEffect(() => {
    if (savedId === null) started.current = true
    else if (savedId && started.current) route(href({ rev: savedId, tab: view.tab }), true)
  }, [savedId])
  const load = () => {
    setError(null)
    model.publishedDoc().then(
      (doc) => model.edit(null, doc),
      (err) => setError(err),
    )
  }
  useEffect(load, [])
  if (error) return <LoadError error={error} retry={load} />
  if (model.editing.value?.id !== null) return <Loading />
  return <DraftEditor model={model} view={view} />
}

export default function ContentPage() {
  const { api, session } = useServices()
  const { query } = useLocation()
  const model = useMemo(() => createContentModel(api), [api])
  const view = readQuery(VIEW, query)
  const editor = session.can('editor')
  useEffect(() => {
    void model.revisions.load()
    void model.inForce.load()
  }, [model])
  const title = view.new && editor ? t('newTitle') : view.rev ? t('revisionTitle', { id: view.rev }) : t('title')
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      {view.rev || view.new ? (
        <p>
          <a href={paths.content}>{t('back')}</a>
        </p>
      ) : (
        <p>{t('intro')}</p>
      )}
      {view.rev ? (
        <RevisionView model={model} view={view} editor={editor} />
      ) : view.new && editor ? (
        <NewDraft model={model} view={view} />
      ) : (
        <RevisionList model={model} editor={editor} />
      )}
    </>
  )
}
