// "Did this code run?" from V8 precise coverage (function granularity): the innermost function
// around a source offset, and its call count. V8 lists every function its enclosing function's
// compilation created, so a function that is absent sits inside one that never ran.
import type { CoverageFunction } from './facts';

export interface RanFunction { name: string; line: number }

/**
 * `text` is the file as it is on disk; V8 compiled CommonJS without a leading byte order mark,
 * so offsets after one are shifted by one. The script itself (the function at offset 0 that
 * spans the file) is top-level code: offsets only it covers answer undefined here, since
 * top-level uses are the static analysis' business (they are eager by construction).
 */
export function executedLookup(functions: CoverageFunction[], text: string): (offset: number) => RanFunction | undefined {
  const shift = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const fns = functions.filter((f) => !(f.start === 0 && f.name === '' && f.end >= text.length - shift - 1));
  let lineStarts: number[] | undefined;
  const lineOf = (offset: number) => {
    if (!lineStarts) {
      lineStarts = [0];
      for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
    }
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  return (offset: number) => {
    const at = offset - shift;
    let inner: CoverageFunction | undefined;
    for (const f of fns) {
      if (f.start <= at && at < f.end && (!inner || f.end - f.start < inner.end - inner.start)) inner = f;
    }
    if (!inner || inner.count === 0) return undefined;
    return { name: inner.name, line: lineOf(inner.start + shift) };
  };
}
