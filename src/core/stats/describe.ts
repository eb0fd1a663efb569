// Descriptive statistics for timing samples: robust ones (median, quantiles, IQR, MAD) because
// run times are skewed (a few slow runs from GC, scheduling or a busy machine), and outliers are
// reported by index, never dropped.

/** Quantile of an ascending-sorted array, linear interpolation between order statistics (R type 7). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  if (q <= 0) return sorted[0];
  if (q >= 1) return sorted[sorted.length - 1];
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo);
}

const ascending = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);

/** Quantile (R type 7, as numpy's default); NaN for an empty sample. */
export function quantile(xs: readonly number[], q: number): number {
  return quantileSorted(ascending(xs), q);
}

export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/** Interquartile range Q3 - Q1. */
export function iqr(xs: readonly number[]): number {
  const s = ascending(xs);
  return quantileSorted(s, 0.75) - quantileSorted(s, 0.25);
}

/** Median absolute deviation from the median (raw, not scaled by 1.4826). */
export function mad(xs: readonly number[]): number {
  const m = median(xs);
  return median(xs.map((x) => Math.abs(x - m)));
}

export function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}

/** Sample standard deviation (n - 1). */
export function stdev(xs: readonly number[]): number {
  if (xs.length < 2) return NaN;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

export interface Summary {
  n: number;
  median: number;
  mean: number;
  stdev: number;
  min: number;
  max: number;
  q1: number;
  q3: number;
  iqr: number;
  mad: number;
  /**
   * Indexes (into the sample as given) of values outside Tukey's fences
   * [q1 - 1.5 IQR, q3 + 1.5 IQR]. Reported only: they stay in every statistic.
   */
  outliers: number[];
}

export function summarize(xs: readonly number[]): Summary {
  const s = ascending(xs);
  const q1 = quantileSorted(s, 0.25);
  const q3 = quantileSorted(s, 0.75);
  const spread = q3 - q1;
  const lo = q1 - 1.5 * spread;
  const hi = q3 + 1.5 * spread;
  const outliers: number[] = [];
  xs.forEach((x, i) => { if (x < lo || x > hi) outliers.push(i); });
  return {
    n: xs.length, median: quantileSorted(s, 0.5), mean: mean(xs), stdev: stdev(xs),
    min: s.length ? s[0] : NaN, max: s.length ? s[s.length - 1] : NaN, q1, q3, iqr: spread, mad: mad(xs), outliers,
  };
}
