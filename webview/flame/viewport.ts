// The visible window over a laid-out tree: which value range maps to the canvas width and how
// far the rows are scrolled. Pure arithmetic so zoom and pan can be tested without a browser.
export interface Viewport {
  /** Left edge, in the graph's unit. */
  x0: number;
  /** Value range across the canvas width. */
  span: number;
  /** Vertical scroll, CSS px. */
  y0: number;
}

export function fullView(total: number): Viewport {
  return { x0: 0, span: total > 0 ? total : 1, y0: 0 };
}

/** Zoom so [x, x + w) fills the width. */
export function zoomToRange(x: number, w: number, total: number, y0: number): Viewport {
  return clampView({ x0: x, span: Math.max(w, minSpan(total)), y0 }, total, Infinity);
}

/** Wheel zoom keeping the value under the cursor fixed; factor < 1 zooms in. */
export function zoomAround(v: Viewport, cursorFraction: number, factor: number, total: number): Viewport {
  const span = Math.min(total, Math.max(minSpan(total), v.span * factor));
  const anchor = v.x0 + cursorFraction * v.span;
  return clampView({ x0: anchor - cursorFraction * span, span, y0: v.y0 }, total, Infinity);
}

/** Pan by pixels: dx moves the content right, dy down. */
export function panBy(v: Viewport, dxPx: number, dyPx: number, widthPx: number, total: number, contentHeight: number, viewHeight: number): Viewport {
  const x0 = v.x0 - (dxPx / widthPx) * v.span;
  const maxY = Math.max(0, contentHeight - viewHeight);
  return clampView({ x0, span: v.span, y0: Math.min(maxY, Math.max(0, v.y0 - dyPx)) }, total, maxY);
}

export function clampView(v: Viewport, total: number, maxY: number): Viewport {
  const span = Math.min(Math.max(v.span, minSpan(total)), total > 0 ? total : 1);
  const x0 = Math.min(Math.max(0, v.x0), Math.max(0, total - span));
  return { x0, span, y0: Math.min(Math.max(0, v.y0), maxY) };
}

/** Deeper than this a double can no longer place frames reliably. */
function minSpan(total: number): number {
  return total > 0 ? total * 1e-9 : 1;
}
