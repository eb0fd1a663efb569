// Wilcoxon rank-sum / Mann-Whitney U test, two-sided, with mid-ranks for ties.
// Small samples: the exact permutation distribution of the rank sum, conditional on the tie
// pattern, counted by dynamic programming (no enumeration, no random permutations).
// Larger samples: the normal approximation with the tie correction of the variance and a
// continuity correction.

export interface RankTestResult {
  /** U of the first sample: pairs (x, y) with x > y, ties counted 1/2. */
  u: number;
  /** Rank sum of the first sample (mid-ranks). */
  rankSum: number;
  /** Two-sided p-value. */
  p: number;
  method: 'exact' | 'normal';
  /** Standardized statistic (normal method only; continuity-corrected, signed like U - mean). */
  z?: number;
  /** Whether the samples share values (handled with mid-ranks and the tie correction). */
  ties: boolean;
}

export interface RankTestOptions {
  /** Use the exact distribution when n1 + n2 <= this (default 80). */
  exactMaxN?: number;
}

/** Mid-ranks (1-based) of the pooled sample, and the sizes of the tie groups. */
export function midRanks(values: readonly number[]): { ranks: number[]; tieSizes: number[] } {
  const order = values.map((v, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Array<number>(values.length);
  const tieSizes: number[] = [];
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]] === values[order[i]]) j++;
    const r = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[order[k]] = r;
    tieSizes.push(j - i + 1);
    i = j + 1;
  }
  return { ranks, tieSizes };
}

/** Complementary error function; fractional error below 1.2e-7 (Numerical Recipes' erfcc). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/**
 * Exact two-sided p-value of the rank sum of `n1` items drawn from `ranks` (all C(N, n1) subsets
 * equally likely under the null): P(|S - E[S]| >= |observed - E[S]|).
 */
function exactP(ranks: readonly number[], n1: number, observed: number): number {
  // Mid-ranks are multiples of 1/2: count with doubled ranks, which are integers.
  const r2 = ranks.map((r) => Math.round(r * 2));
  const maxSum = r2.reduce((a, b) => a + b, 0);
  // ways[k][s]: subsets of size k (of the items seen so far) with doubled rank sum s.
  const ways: Float64Array[] = Array.from({ length: n1 + 1 }, () => new Float64Array(maxSum + 1));
  ways[0][0] = 1;
  let seenSum = 0;
  for (let i = 0; i < r2.length; i++) {
    const v = r2[i];
    seenSum += v;
    for (let k = Math.min(n1, i + 1); k >= 1; k--) {
      const from = ways[k - 1];
      const to = ways[k];
      for (let s = seenSum; s >= v; s--) if (from[s - v]) to[s] += from[s - v];
    }
  }
  const dist = ways[n1];
  const N = ranks.length;
  const mean2 = n1 * (N + 1);
  const obsDev = Math.abs(Math.round(observed * 2) - mean2);
  let total = 0;
  let extreme = 0;
  for (let s = 0; s <= maxSum; s++) {
    if (!dist[s]) continue;
    total += dist[s];
    if (Math.abs(s - mean2) >= obsDev) extreme += dist[s];
  }
  return Math.min(1, extreme / total);
}

/** Two-sided Wilcoxon rank-sum (Mann-Whitney U) test of x against y. NaN p for an empty sample. */
export function mannWhitney(x: readonly number[], y: readonly number[], options: RankTestOptions = {}): RankTestResult {
  const n1 = x.length;
  const n2 = y.length;
  const N = n1 + n2;
  if (n1 === 0 || n2 === 0) return { u: NaN, rankSum: NaN, p: NaN, method: 'exact', ties: false };
  const { ranks, tieSizes } = midRanks([...x, ...y]);
  let rankSum = 0;
  for (let i = 0; i < n1; i++) rankSum += ranks[i];
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  const ties = tieSizes.some((t) => t > 1);
  if (N <= (options.exactMaxN ?? 80)) return { u, rankSum, p: exactP(ranks, n1, rankSum), method: 'exact', ties };
  const mu = (n1 * n2) / 2;
  const tieTerm = tieSizes.reduce((a, t) => a + (t * t * t - t), 0) / (N * (N - 1));
  const variance = ((n1 * n2) / 12) * (N + 1 - tieTerm);
  if (variance <= 0) return { u, rankSum, p: 1, method: 'normal', z: 0, ties };
  const dev = u - mu;
  const z = Math.sign(dev) * Math.max(0, Math.abs(dev) - 0.5) / Math.sqrt(variance);
  return { u, rankSum, p: Math.min(1, erfc(Math.abs(z) / Math.SQRT2)), method: 'normal', z, ties };
}
