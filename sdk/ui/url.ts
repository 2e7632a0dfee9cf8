/** Which link targets the UI follows: checked before any `href` it renders (markdown links, calls to action, programs). */

/** True for `https://…`, `http://…` and relative URLs (`/x`, `x/y`, `#a`, `?q`). */
export function safeUrl(url: string): boolean {
  // Browsers drop control characters and whitespace inside a scheme (`java\tscript:`): so do we before looking.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
  const u = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '')
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(u)
  return !scheme || /^https?$/i.test(scheme[1])
}
