/**
 * Content's model: the config's revisions, one revision with its document, the diff of two, the
 * draft being edited (its document and its JSON text, kept in step), and what an editor does: save
 * a draft with a message (POST, then PATCH), delete it, dry-run it, publish a revision (an older one
 * published again is the rollback). The server validates every document; its issues are kept by
 * path for the forms and the text view. Builder mode starts here too: a single-use token for a
 * guide's step of the saved draft, the app's URL opened with it, and the draft read again once the
 * editor saved a target there.
 */
import { batch, computed, signal } from '@preact/signals'
import { ApiError } from '../../api'
import type { Api } from '../../api'
import { createAction, createResource } from '../../resource'
import type { BuilderToken, ConfigDiff, ConfigRevision, ConfigRevisionWithConfig, DryRun } from '../../types'
import { docIssues, formatDoc, localeGaps, parseJsonText, setAt } from './config-doc'
import type { Doc, Issue, JsonSyntaxError } from './config-doc'
import type { Segment } from '../../../server/journey/vocabulary'
import type { Decision, Mount, UiController } from '../../../sdk/ui/host'

const revPath = (id: string) => `/v1/config/revisions/${encodeURIComponent(id)}`
const draftPath = (id: string) => `/v1/config/drafts/${encodeURIComponent(id)}`

/** The draft being edited: its stored id (null until first saved), document, text and message. */
export interface Editing {
  id: string | null
  doc: Doc
  text: string
  message: string
}

/** Builder mode opened from a step: the URL with its single-use token, for the step named. */
export interface BuilderOpened {
  url: string
  guideId: string
  step: number
}

/**
 * The app's page with builder mode's fragment: any fragment the page had is replaced (the SDK reads
 * `#jornada-builder=<token>` and removes it before anything else reads the URL). Null for anything
 * but an http(s) URL.
 */
export function builderUrl(appUrl: string, token: string): string | null {
  let u: URL
  try {
    u = new URL(appUrl.trim())
  } catch {
    return null
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null
  u.hash = `jornada-builder=${encodeURIComponent(token)}`
  return u.href
}

/** What a preview shows: a kind (`checklist`, `nps`, `value`, `advocacy`, `banner`) or an experience id (`guide:<id>`, `message:<situation>`). */
export type PreviewChoice = string

/** Loads the SDK's UI chunk, the one end users download (served by this server under /sdk/). */
const loadSdkUi = () => import(/* @vite-ignore */ `${location.origin}/sdk/jornada.ui.mjs`) as Promise<{ mount: Mount }>

export function createContentModel(
  api: Api,
  open: (url: string) => void = openTab,
  loadUi: () => Promise<{ mount: Mount }> = loadSdkUi,
) {
  const revisions = createResource(() => api.get<ConfigRevision[]>('/v1/config/revisions'))
  /** The config in force, merged over the defaults: what an empty field of a form follows. */
  const inForce = createResource(() => api.get<Doc>('/v1/config'))
  const revision = createResource((id: string) => api.get<ConfigRevisionWithConfig>(revPath(id)))
  const diff = createResource((id: string, against?: string) => api.get<ConfigDiff>(`${revPath(id)}/diff`, { against }))
  const dryRun = signal<DryRun | null>(null)

  const editing = signal<Editing | null>(null)
  /** The text view's syntax error, when its text is not JSON (the document keeps its last good value). */
  const syntax = signal<JsonSyntaxError | null>(null)
  /** The server's issues of the last save, by the document's own paths. */
  const issues = signal<Issue[]>([])
  /** The document or message changed since it was opened or saved. */
  const dirty = signal(false)
  const gaps = computed(() => (editing.value ? localeGaps(editing.value.doc) : []))
  /** What the forms edit: the workspace's values ('') or one segment's overrides of them (`segments.<segment>`). */
  const scope = signal<Segment | ''>('')

  /** The preview on screen: the SDK's own UI mounted on this page, and what it shows. */
  let previewUi: UiController | null = null
  const previewing = signal<{ choice: PreviewChoice; locale: string } | null>(null)
  function closePreview() {
    previewUi?.destroy()
    previewUi = null
    previewing.value = null
  }
  /**
   * Shows `choice` of `doc` in `locale` as an end user would see it: the server builds the
   * experiences (POST /v1/config/preview, for the segment being edited), and the SDK's UI chunk
   * renders the one chosen on this page. Nothing is tracked or kept; a tooltip whose target is not
   * on this page shows as a dialog at once ("Pick on my app" previews it on the app itself).
   */
  async function preview(doc: Doc, choice: PreviewChoice, locale: string) {
    const segment = scope.value || undefined
    const [decision, { mount }] = await Promise.all([
      api.post<Decision>('/v1/config/preview', { config: doc, locale, ...(segment && { segment }) }),
      loadUi(),
    ])
    const guides = (decision.guides ?? []).map((g) => ({ ...g, waitMs: 0, missingTarget: 'modal' as const }))
    const chosen = decision.experiences.find((x) => x.id === choice || x.kind === choice)
    closePreview()
    const kept: Record<string, unknown> = {}
    previewUi = mount({
      decision: { ...decision, experiences: chosen ? [chosen] : [], launcher: [], guides },
      locale,
      debug: false,
      // Dismissing it (its close button, Escape) ends the preview; a completion keeps its thanks.
      track(event) {
        if (event === 'experience_dismissed') queueMicrotask(closePreview)
      },
      claim: async () => true,
      get: (k) => kept[k],
      set: (k, v) => {
        kept[k] = v
      },
      tab: 'console-preview',
      log() {},
    })
    if (choice.startsWith('guide:')) previewUi.show(choice)
    previewing.value = { choice, locale }
  }

  /** Starts editing a document (a stored draft, or a new one from a revision's document). */
  function edit(id: string | null, doc: Doc, message = '') {
    batch(() => {
      editing.value = { id, doc, text: formatDoc(doc), message }
      syntax.value = null
      issues.value = []
      dryRun.value = null
      dirty.value = id === null
    })
  }

  /** A form changed one value: the document and its text follow. */
  function setField(path: string, value: unknown) {
    const e = editing.value
    if (!e) return
    const doc = setAt(e.doc, path, value)
    batch(() => {
      editing.value = { ...e, doc, text: formatDoc(doc) }
      syntax.value = null
      dirty.value = true
    })
  }

  /** The text view changed: the document follows when the text is JSON of an object. */
  function setText(text: string) {
    const e = editing.value
    if (!e) return
    const parsed = parseJsonText(text)
    batch(() => {
      dirty.value = true
      if (!parsed.ok) {
        editing.value = { ...e, text }
        syntax.value = { message: parsed.message, line: parsed.line, column: parsed.column }
      } else if (parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
        editing.value = { ...e, text }
        syntax.value = { message: 'the document must be an object: { … }', line: 1, column: 1 }
      } else {
        editing.value = { ...e, text, doc: parsed.value as Doc }
        syntax.value = null
      }
    })
  }

  const setMessage = (message: string) => {
    if (!editing.value) return
    editing.value = { ...editing.value, message }
    dirty.value = true
  }

  /** The document of the published revision; `{}` when none is (the start config or the defaults apply). */
  async function publishedDoc(): Promise<Doc> {
    const list = revisions.data.value ?? (await api.get<ConfigRevision[]>('/v1/config/revisions'))
    const published = list.find((r) => r.status === 'published')
    return published ? ((await api.get<ConfigRevisionWithConfig>(revPath(published.id))).config as Doc) : {}
  }

  const save = createAction(async () => {
    const e = editing.value
    if (!e) return null
    if (syntax.value) throw new ApiError(0, 'syntax', syntax.value.message)
    const body = { config: e.doc, message: e.message }
    try {
      const saved =
        e.id === null
          ? await api.post<ConfigRevisionWithConfig>('/v1/config/drafts', body)
          : await api.patch<ConfigRevisionWithConfig>(draftPath(e.id), body)
      batch(() => {
        issues.value = []
        editing.value = { ...e, id: saved.id }
        dirty.value = false
        revision.data.value = saved
      })
      void revisions.load()
      return saved
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) issues.value = docIssues(err.issues)
      throw err
    }
  })

  /** The draft as stored, read again (after builder mode saved a target into it). */
  async function reload() {
    const id = editing.value?.id
    if (!id) return
    const r = await api.get<ConfigRevisionWithConfig>(revPath(id))
    batch(() => {
      revision.data.value = r
      edit(r.id, r.config as Doc, r.message)
    })
  }

  const builder = signal<BuilderOpened | null>(null)
  /** The step whose "Pick on my app" was pressed last: where its outcome is shown (a first save moves the page). */
  const pickFor = signal<{ guideId: string; step: number } | null>(null)

  /**
   * Opens builder mode on the app for one step: the draft is saved first when it changed (the
   * builder saves into the stored draft, and the step must be there under the same guide id), then
   * a token is made for it and the app's URL opened in a new tab with it.
   */
  const pickOnApp = createAction(async (appUrl: string, guideId: string, step: number) => {
    pickFor.value = { guideId, step }
    if (editing.value?.id === null || dirty.value) await save.run()
    if (save.error.value) throw save.error.value
    const draftId = editing.value?.id
    if (!draftId) return null
    const { token } = await api.post<BuilderToken>('/v1/builder/tokens', {
      draftId,
      guideId,
      step,
    })
    const url = builderUrl(appUrl, token)!
    open(url)
    builder.value = { url, guideId, step }
    return builder.value
  })

  return {
    revisions,
    inForce,
    revision,
    diff,
    dryRun,
    editing,
    syntax,
    issues,
    dirty,
    gaps,
    scope,
    previewing,
    preview: createAction(preview),
    closePreview,
    edit,
    setField,
    setText,
    setMessage,
    publishedDoc,
    save,
    reload: createAction(reload),
    builder,
    pickFor,
    pickOnApp,
    remove: createAction(async (id: string) => {
      await api.del(draftPath(id))
      await revisions.load()
    }),
    publish: createAction(async (id: string) => {
      const done = await api.post<ConfigRevisionWithConfig>(`${revPath(id)}/publish`)
      revision.data.value = done
      await Promise.all([revisions.load(), inForce.load()])
      return done
    }),
    runDryRun: createAction(async (id: string) => {
      dryRun.value = null
      dryRun.value = await api.post<DryRun>(`${draftPath(id)}/dry-run`)
    }),
  }
}
export type ContentModel = ReturnType<typeof createContentModel>

/**
 * A new tab that cannot reach back into the console (`noopener`). With `noopener` `window.open`
 * answers null whether or not a tab opened, so the page also shows the URL as a link: a browser
 * that blocked the tab (the token comes after a call, late for some pop-up blockers) still gets there.
 */
function openTab(url: string): void {
  window.open(url, '_blank', 'noopener')
}
