/**
 * The lazy UI chunk (dist/sdk/jornada.ui.mjs): the core `import()`s it only when a decision has
 * something to show and calls `mount(host)` (contract: ./host.ts).
 *
 * Every .tsx file here starts with `/** @jsxRuntime classic *\/ /** @jsx h *\/`: elements compile to
 * Preact's own `h(type, props, ...children)`, without the automatic runtime's `jsx()` wrapper and a
 * `children` prop per element (159 bytes gzip of this chunk, which lives under a 16 KB ceiling).
 */
export { mount } from './mount'
