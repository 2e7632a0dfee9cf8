/** Where a guide's tooltip and beacon go: pure geometry over viewport coordinates. */

export interface Box {
  top: number
  left: number
  width: number
  height: number
}

/** Space kept between the tooltip and the target, and between the tooltip and the viewport's edges. */
const GAP = 12
const EDGE = 8

/**
 * The tooltip's top-left corner for a target `r`: below it when it fits, else above, else beside
 * the viewport's edge; centred on the target and kept inside the viewport horizontally.
 */
export function placeTip(r: Box, w: number, h: number, vw: number, vh: number): { x: number; y: number } {
  const below = r.top + r.height + GAP
  const above = r.top - GAP - h
  const y = below + h <= vh - EDGE ? below : above >= EDGE ? above : Math.max(EDGE, Math.min(below, vh - h - EDGE))
  const x = Math.max(EDGE, Math.min(r.left + r.width / 2 - w / 2, vw - w - EDGE))
  return { x, y }
}

/** The beacon (24 px) at the target's top end corner (`rtl`: top left), inside the viewport. */
export function placeBeacon(r: Box, rtl: boolean, vw: number, vh: number): { x: number; y: number } {
  return {
    x: Math.max(0, Math.min(rtl ? r.left - 8 : r.left + r.width - 16, vw - 24)),
    y: Math.max(0, Math.min(r.top - 8, vh - 24)),
  }
}

/** True when the box is (partly) inside the viewport. */
export function inView(r: Box, vw: number, vh: number): boolean {
  return r.top < vh && r.top + r.height > 0 && r.left < vw && r.left + r.width > 0
}
