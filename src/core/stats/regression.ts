// Ordinary least squares of y on x with the slope's Student-t confidence interval. A leak's
// growth rate is the slope over every measurement, never the difference of two of them.
import { studentTQuantile } from './welch';

export interface LinearFit {
  n: number;
  slope: number;
  intercept: number;
  /** Standard error of the slope (NaN with fewer than 3 points or no spread in x). */
  se: number;
  /** The slope's interval at `level` (NaN bounds when it cannot be computed). */
  lo: number;
  hi: number;
  level: number;
  /** Coefficient of determination (NaN when y does not vary). */
  r2: number;
}

export function linearFit(xs: readonly number[], ys: readonly number[], level = 0.95): LinearFit {
  const n = Math.min(xs.length, ys.length);
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) { mx += xs[i]; my += ys[i]; }
  mx /= n || 1;
  my /= n || 1;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - mx;
    const dy = ys[i] - my;
    sxx += dx * dx; sxy += dx * dy; syy += dy * dy;
  }
  const slope = sxx > 0 ? sxy / sxx : Number.NaN;
  const intercept = my - slope * mx;
  const sse = Math.max(0, syy - slope * sxy);
  const se = n > 2 && sxx > 0 ? Math.sqrt(sse / (n - 2) / sxx) : Number.NaN;
  const t = n > 2 ? studentTQuantile(1 - (1 - level) / 2, n - 2) : Number.NaN;
  return { n, slope, intercept, se, lo: slope - t * se, hi: slope + t * se, level, r2: syy > 0 ? 1 - sse / syy : Number.NaN };
}
