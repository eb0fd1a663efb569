// Percentile bootstrap intervals of the median and of the ratio of two medians, with a seeded
// generator: deterministic for the same data and seed.
import { quantileSorted } from './describe';
import { seededRandom } from './random';

export interface Interval {
  lo: number;
  hi: number;
  /** Confidence level, e.g. 0.95. */
  level: number;
}

export interface BootstrapOptions {
  /** Resamples (default 5000). */
  rounds?: number;
  /** Confidence level (default 0.95). */
  level?: number;
  /** Seed of the generator (default 1). */
  seed?: number;
}

function medianOfResample(xs: readonly number[], rand: () => number, buf: Float64Array): number {
  const n = xs.length;
  for (let i = 0; i < n; i++) buf[i] = xs[Math.floor(rand() * n)];
  buf.sort();
  const m = n >> 1;
  return n % 2 ? buf[m] : (buf[m - 1] + buf[m]) / 2;
}

function percentiles(values: Float64Array, level: number): Interval {
  values.sort();
  const tail = (1 - level) / 2;
  const arr = Array.from(values);
  return { lo: quantileSorted(arr, tail), hi: quantileSorted(arr, 1 - tail), level };
}

/** Percentile bootstrap CI of the median; NaN bounds for an empty sample. */
export function bootstrapMedianCI(xs: readonly number[], options: BootstrapOptions = {}): Interval {
  const { rounds = 5000, level = 0.95, seed = 1 } = options;
  if (xs.length === 0) return { lo: NaN, hi: NaN, level };
  const rand = seededRandom(seed);
  const buf = new Float64Array(xs.length);
  const out = new Float64Array(rounds);
  for (let r = 0; r < rounds; r++) out[r] = medianOfResample(xs, rand, buf);
  return percentiles(out, level);
}

/**
 * Percentile bootstrap CI of median(after) / median(before): both samples are resampled
 * independently each round. NaN bounds when either sample is empty.
 */
export function bootstrapRatioCI(before: readonly number[], after: readonly number[], options: BootstrapOptions = {}): Interval {
  const { rounds = 5000, level = 0.95, seed = 1 } = options;
  if (before.length === 0 || after.length === 0) return { lo: NaN, hi: NaN, level };
  const rand = seededRandom(seed);
  const bufB = new Float64Array(before.length);
  const bufA = new Float64Array(after.length);
  const out = new Float64Array(rounds);
  for (let r = 0; r < rounds; r++) {
    const b = medianOfResample(before, rand, bufB);
    const a = medianOfResample(after, rand, bufA);
    out[r] = a / b;
  }
  return percentiles(out, level);
}
