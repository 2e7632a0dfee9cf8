/**
 * The lazy UI chunk (dist/sdk/jornada.ui.mjs): the core `import()`s it only when a decision has
 * something to show and calls `mount(host)` (contract: ./host.ts).
 */
export { mount } from './mount'
