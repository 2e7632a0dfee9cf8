/**
 * English catalog of the base: what it says whatever shows (the live region, the close and dismiss
 * buttons). Each kind's own texts are in its folder's `texts.ts` and come with its chunk. Keys use
 * the journey's ids (journey.md): milestones `milestone.<id>`, intervention situations
 * `situation.<id>.*`, advocacy programs `program.<id>`. `{name}` is filled by `t(key, { name })`.
 */
export default {
  close: 'Close',
  dismiss: 'Dismiss',
  shown: 'New: {title}',
}
