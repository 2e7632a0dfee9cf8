/**
 * The lazy UI's base (dist/sdk/jornada.ui.mjs): the core `import()`s it only when a decision has
 * something to show and calls `mount(host)` (contract: ./host.ts). It holds what every kind needs
 * (Preact, signals, the model, the stylesheet's base, i18n, the small controls); each kind's views,
 * styles and texts come in a chunk of its own beside it, imported when that kind is to be shown
 * (./kinds.ts).
 *
 * Every .tsx file here starts with `/** @jsxRuntime classic *\/ /** @jsx h *\/`: elements compile to
 * Preact's own `h(type, props, ...children)`, without the automatic runtime's `jsx()` wrapper and a
 * `children` prop per element (159 bytes gzip of the UI, every file of which has a ceiling).
 */
export { mount } from './mount'
