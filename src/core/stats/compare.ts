// Before/after comparison of two timing samples: medians with bootstrap intervals, the ratio of
// medians (after / before) with its interval, a rank test, and a verdict in plain words.
import { bootstrapMedianCI, bootstrapRatioCI, type Interval } from './bootstrap';
import { summarize, type Summary } from './describe';
import { seedFrom } from './random';
import { mannWhitney, type RankTestResult } from './rankTest';

export type Verdict = 'faster' | 'slower' | 'no significant difference' | 'inconclusive';

export interface CompareOptions {
  /** Significance level (default 0.05). */
  alpha?: number;
  /** Fewer successful runs than this on either side makes the verdict inconclusive (default 5). */
  minRuns?: number;
  /** Failed runs per side (kept out of the samples); any makes the verdict inconclusive. */
  failed?: { before: number; after: number };
  /** Bootstrap resamples (default 5000). */
  rounds?: number;
  /** Bootstrap seed; default derived from the data, so the same data gives the same interval. */
  seed?: number;
}

export interface SideStats extends Summary {
  /** 95 % bootstrap interval of the median. */
  medianCI: Interval;
}

export interface Comparison {
  before: SideStats;
  after: SideStats;
  /** median(after) / median(before): below 1 means after is faster. */
  ratio: number;
  ratioCI: Interval;
  /** (ratio - 1) * 100: negative means after takes less time. */
  changePct: number;
  changePctCI: { lo: number; hi: number; level: number };
  test: RankTestResult;
  alpha: number;
  verdict: Verdict;
  /** Why the verdict is what it is (too few runs, failures, disagreement of test and interval). */
  reasons: string[];
  /** One line for people, e.g. "after is 23.4 % faster (95 % CI 18.0–28.1 %), p = 0.0002, n = 15+15". */
  sentence: string;
}

function sideStats(xs: readonly number[], rounds: number, seed: number): SideStats {
  return { ...summarize(xs), medianCI: bootstrapMedianCI(xs, { rounds, seed }) };
}

export function formatP(p: number): string {
  if (!Number.isFinite(p)) return 'n/a';
  if (p < 0.0001) return '< 0.0001';
  return p >= 0.01 ? p.toFixed(3) : p.toFixed(4);
}

/** "p = 0.012" or "p < 0.0001". */
export function pText(p: number): string {
  const f = formatP(p);
  return f.startsWith('<') ? `p ${f}` : `p = ${f}`;
}

const pct = (x: number) => (Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));

/** Compares two samples of the same measurement (e.g. wall ms), before and after a change. */
export function compareSamples(before: readonly number[], after: readonly number[], options: CompareOptions = {}): Comparison {
  const alpha = options.alpha ?? 0.05;
  const minRuns = options.minRuns ?? 5;
  const rounds = options.rounds ?? 5000;
  const seed = options.seed ?? seedFrom([...before, -1, ...after]);
  const b = sideStats(before, rounds, seed);
  const a = sideStats(after, rounds, seed ^ 0x9e3779b9);
  const ratio = a.median / b.median;
  const ratioCI = bootstrapRatioCI(before, after, { rounds, seed: seed ^ 0x85ebca6b });
  const changePct = (ratio - 1) * 100;
  const changePctCI = { lo: (ratioCI.lo - 1) * 100, hi: (ratioCI.hi - 1) * 100, level: ratioCI.level };
  const test = mannWhitney(before, after);

  const reasons: string[] = [];
  if (before.length < minRuns || after.length < minRuns) reasons.push(`too few successful runs (${before.length}+${after.length}; at least ${minRuns} each are needed)`);
  const failed = options.failed ?? { before: 0, after: 0 };
  if (failed.before || failed.after) reasons.push(`failed runs: ${failed.before} before, ${failed.after} after (left out of the statistics)`);
  if (before.length && after.length && !(b.median > 0)) reasons.push('the before median is 0 (below the measurement resolution), so no ratio can be formed');
  let verdict: Verdict;
  if (reasons.length) verdict = 'inconclusive';
  else if (!(test.p < alpha)) {
    verdict = 'no significant difference';
    reasons.push(`${pText(test.p)} is not below alpha = ${alpha}`);
  } else if (ratioCI.hi < 1) verdict = 'faster';
  else if (ratioCI.lo > 1) verdict = 'slower';
  else {
    verdict = 'no significant difference';
    reasons.push(`the rank test is significant (${pText(test.p)}) but the ${ratioCI.level * 100} % interval of the median ratio includes 1`);
  }

  const n = `n = ${before.length}+${after.length}`;
  const p = pText(test.p);
  const ci = (lo: number, hi: number) => `${Math.round(ratioCI.level * 100)} % CI ${pct(lo)}–${pct(hi)} %`;
  let sentence: string;
  if (verdict === 'faster') sentence = `after is ${pct(-changePct)} % faster (${ci(-changePctCI.hi, -changePctCI.lo)}), ${p}, ${n}`;
  else if (verdict === 'slower') sentence = `after is ${pct(changePct)} % slower (${ci(changePctCI.lo, changePctCI.hi)}), ${p}, ${n}`;
  else if (verdict === 'no significant difference') sentence = `no significant difference: change ${changePct >= 0 ? '+' : ''}${pct(changePct)} % (${ci(changePctCI.lo, changePctCI.hi)}), ${p}, ${n}`;
  else sentence = `inconclusive: ${reasons.join('; ')}${Number.isFinite(changePct) ? ` (measured change ${changePct >= 0 ? '+' : ''}${pct(changePct)} %, ${p}, ${n})` : ''}`;
  return { before: b, after: a, ratio, ratioCI, changePct, changePctCI, test, alpha, verdict, reasons, sentence };
}
