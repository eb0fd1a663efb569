// Shortening a name or path in the middle, where the least is lost ("src/…/deep/file.ts:12").
// DOM-free (tested in Node); webview/shared/fit.ts measures with a canvas.

/** Shortens `text` in the middle to at most `maxPx` wide as `measure` measures it. */
export function middleEllipsis(text: string, maxPx: number, measure: (s: string) => number): string {
  if (measure(text) <= maxPx) return text;
  const ell = '…';
  // Longest shortened text that fits: binary search on how many characters are kept.
  let lo = 0;
  let hi = text.length - 1;
  let best = ell;
  while (lo <= hi) {
    const keep = (lo + hi) >> 1;
    const head = Math.ceil(keep / 2);
    const candidate = text.slice(0, head) + ell + text.slice(text.length - (keep - head));
    if (measure(candidate) <= maxPx) { best = candidate; lo = keep + 1; } else hi = keep - 1;
  }
  return best;
}
