// Which rows of a profile diff changed beyond the noise, when each side has several runs: a
// quasi-Poisson test on each row's sample counts, with the false discovery rate controlled across
// rows (Benjamini-Hochberg). Pure: numbers in, numbers out. The method is in docs/STATISTICS.md.
//
// Why counts: on a busy machine the time V8 attributes to a sample is the wall-clock gap since
// the previous one, which grows while the thread waits for a CPU; the number of samples a
// function gets follows the time it ran far more closely (measured in bench/proofCalibration).
// Why quasi-Poisson: counts vary from run to run by more than Poisson when the machine's load
// changes; the dispersion (variance / mean) is estimated from the runs themselves, per row and
// moderated towards a trend over all rows, so the test includes run-to-run variation with a few
// runs per side. The sides are compared by each process's measured CPU (the exposure) or, not
// measured, as raw counts with the runs' sampling-rate spread added (never against other rows).
import { studentTCdf, studentTQuantile } from './welch';

export interface CountRow {
  /** Samples per run, before and after (0 where the row was not sampled in that run). */
  before: number[];
  after: number[];
  /**
   * The process the row runs in (a key matching the same process across runs). Rows are
   * normalised and compared only with rows of their own process: a child process whose samples
   * were delayed differently from its parent's does not read as changed. Default: one group.
   */
  group?: string;
  /**
   * Exposure per run (before runs, then after runs): how many samples the row's process would
   * give per unit of work, e.g. its samples per ms of measured CPU. Given, rows are compared by
   * count / exposure (the process's own CPU), not against the other rows.
   */
  exposure?: number[];
}

export interface CountTest {
  /** Whether the row had enough samples to be tested (independent filtering: pooled mean per run >= minMean). */
  tested: boolean;
  /** Normalised mean count after / before (0.5 added to each side's sum, so a row absent on one side has a finite ratio). */
  ratio: number;
  /** Interval of the ratio at the level the verdict uses (false-coverage adjusted: wider when many rows are tested). */
  lo: number;
  hi: number;
  /** Standard error of log(ratio), dispersion included. */
  se: number;
  /** |log ratio| / se: the test statistic. */
  z: number;
  /** Two-sided p-value (Student t with the dispersion's degrees of freedom); NaN when not tested. */
  p: number;
  /** Benjamini-Hochberg adjusted p-value (q-value); NaN when not tested. */
  q: number;
  /** Changed beyond the noise: rejected by Benjamini-Hochberg at the false discovery rate. */
  changed: boolean;
  /** Degrees of freedom of this row's t statistic (Welch-Satterthwaite when the sides' rates are estimated); NaN when not tested. */
  df: number;
  /** The |z| this row needs (its t quantile at 1 - max(R, 1) * fdr / (2 m)); NaN when not tested. */
  critical: number;
  /** This row's dispersion after moderation towards the pooled one (>= minDispersion). */
  dispersion: number;
  /** Normalised mean samples per run, before and after (what `ratio` compares); NaN when not tested. */
  before: number;
  after: number;
}

export interface CountTestResult {
  tests: CountTest[];
  /** Run size factors (before runs, then after runs): median-of-ratios normalisation, geometric mean 1. */
  sizeFactors: number[];
  /** Pooled (prior) dispersion of the tested rows, at least minDispersion. */
  dispersion: number;
  /** Rows tested (m in Benjamini-Hochberg) and rows found changed (R). */
  tested: number;
  changed: number;
  /** Degrees of freedom of the t statistic. */
  df: number;
  /** The |z| a row without an estimated rate term needs: t quantile at 1 - max(R, 1) * fdr / (2 m) (each row's own: `critical` of its test). */
  critical: number;
  fdr: number;
}

export interface CountTestOptions {
  /** False discovery rate (default 0.05). */
  fdr?: number;
  /** Rows whose mean samples per run (both sides pooled) is below this are not tested (default 4). */
  minMean?: number;
  /** Prior degrees of freedom of the pooled dispersion; default: estimated from the rows (moderate). */
  priorDf?: number;
  /** Lowest dispersion a row is given (default 1: never less variable than Poisson). */
  minDispersion?: number;
}

/** Digamma ψ(x), x > 0 (recurrence to x >= 6, then the asymptotic series). */
export function digamma(x: number): number {
  let r = 0;
  while (x < 6) { r -= 1 / x; x += 1; }
  const f = 1 / (x * x);
  return r + Math.log(x) - 0.5 / x - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))));
}

/** Trigamma ψ'(x), x > 0. */
export function trigamma(x: number): number {
  let r = 0;
  while (x < 6) { r += 1 / (x * x); x += 1; }
  const f = 1 / (x * x);
  return r + 1 / x + f / 2 + (f / x) * (1 / 6 - f * (1 / 30 - f * (1 / 42 - f / 30)));
}

/** x with trigamma(x) = y (Newton's method, as limma's trigammaInverse). */
function trigammaInverse(y: number): number {
  if (y > 1e7) return 1 / Math.sqrt(y);
  if (y < 1e-6) return 1 / y;
  let x = 0.5 + 1 / y;
  for (let i = 0; i < 50; i++) {
    const t = trigamma(x);
    const dif = (t * (1 - t / y)) / psi2(x);
    x += dif;
    if (-dif / x < 1e-8) break;
  }
  return x;
}

/** ψ''(x) by a central difference of trigamma (only Newton's step uses it). */
function psi2(x: number): number {
  const h = Math.max(1e-5, x * 1e-5);
  return (trigamma(x + h) - trigamma(x - h)) / (2 * h);
}

/**
 * Empirical-Bayes moderation of per-row dispersions (Smyth 2004, limma's squeezeVar): a prior
 * (scale, degrees of freedom) fitted to the rows' log dispersions; each row's dispersion is then
 * the df-weighted mean of the prior and its own. Rows alike: large prior df (pooling); rows that
 * differ: small prior df (each keeps its own).
 */
export function moderate(dispersions: number[], df: number): { scale: number; priorDf: number } {
  const z = dispersions.map((d) => Math.log(Math.max(d, 1e-6)));
  const m = z.length;
  if (m < 3) return { scale: dispersions.length ? dispersions.reduce((a, b) => a + b, 0) / m : Number.NaN, priorDf: df };
  const e = z.map((x) => x - digamma(df / 2) + Math.log(df / 2));
  const mean = e.reduce((a, b) => a + b, 0) / m;
  const v = e.reduce((a, x) => a + (x - mean) ** 2, 0) / (m - 1) - trigamma(df / 2);
  if (!(v > 0)) return { scale: Math.exp(mean), priorDf: Infinity };
  const priorDf = 2 * trigammaInverse(v);
  return { scale: Math.exp(mean + digamma(priorDf / 2) - Math.log(priorDf / 2)), priorDf };
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * Moderation with a trend (limma-trend): extra run-to-run variation grows a row's dispersion
 * with its size (variance ~ mean + a mean², so dispersion ~ 1 + a mean), so the prior is a line in
 * log dispersion against log mean instead of one value; each row is moderated towards the line
 * at its own mean. Returns the prior scale per row and the prior df.
 */
export function moderateTrend(dispersions: number[], means: number[], df: number): { scales: number[]; priorDf: number } {
  const m = dispersions.length;
  const z = dispersions.map((d) => Math.log(Math.max(d, 1e-6)) - digamma(df / 2) + Math.log(df / 2));
  const x = means.map((v) => Math.log(Math.max(v, 1e-6)));
  if (m < 5) { const flat = moderate(dispersions, df); return { scales: means.map(() => flat.scale), priorDf: flat.priorDf }; }
  const mx = sum(x) / m;
  const mz = sum(z) / m;
  const sxx = x.reduce((a, v) => a + (v - mx) ** 2, 0);
  const b = sxx > 0 ? x.reduce((a, v, i) => a + (v - mx) * (z[i] - mz), 0) / sxx : 0;
  const fit = x.map((v) => mz + b * (v - mx));
  const v = z.reduce((a, zi, i) => a + (zi - fit[i]) ** 2, 0) / (m - 2) - trigamma(df / 2);
  const priorDf = v > 0 ? 2 * trigammaInverse(v) : Infinity;
  const shift = Number.isFinite(priorDf) ? digamma(priorDf / 2) - Math.log(priorDf / 2) : 0;
  return { scales: fit.map((f) => Math.exp(f + shift)), priorDf };
}


function median(xs: number[]): number {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** The weighted median (the value where half the total weight lies on either side; the mean of two at a tie). */
export function weightedMedian(values: readonly number[], weights: readonly number[]): number {
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  const half = sum(weights) / 2;
  let acc = 0;
  for (let k = 0; k < order.length; k++) {
    acc += weights[order[k]];
    if (Math.abs(acc - half) < 1e-12 * half && k + 1 < order.length) return (values[order[k]] + values[order[k + 1]]) / 2;
    if (acc > half) return values[order[k]];
  }
  return values[order[order.length - 1]];
}

/** Benjamini-Hochberg: which p-values are rejected at false discovery rate `fdr`, the adjusted p-values and R. */
export function benjaminiHochberg(ps: readonly number[], fdr = 0.05): { rejected: boolean[]; adjusted: number[]; count: number } {
  const m = ps.length;
  const order = ps.map((p, i) => i).sort((x, y) => ps[x] - ps[y]);
  let count = 0;
  order.forEach((i, k) => { if (ps[i] <= ((k + 1) * fdr) / m) count = k + 1; });
  const rejected = new Array<boolean>(m).fill(false);
  for (let k = 0; k < count; k++) rejected[order[k]] = true;
  const adjusted = new Array<number>(m).fill(Number.NaN);
  let min = 1;
  for (let k = m - 1; k >= 0; k--) {
    min = Math.min(min, (ps[order[k]] * m) / (k + 1));
    adjusted[order[k]] = min;
  }
  return { rejected, adjusted, count };
}

/**
 * Size factor per run (before runs, then after runs): the median over rows sampled in every run
 * of count / the row's geometric mean count. Robust to a few rows that really changed; with
 * fewer than 3 such rows, the runs' total counts are used. Scaled to geometric mean 1.
 */
export function sizeFactors(rows: readonly CountRow[]): number[] {
  const runs = rows.length ? rows[0].before.length + rows[0].after.length : 0;
  const everywhere = rows.map((r) => [...r.before, ...r.after]).filter((c) => c.every((x) => x > 0));
  let f: number[];
  if (everywhere.length >= 3) {
    const logMeans = everywhere.map((c) => sum(c.map(Math.log)) / runs);
    f = Array.from({ length: runs }, (_, i) => median(everywhere.map((c, k) => Math.log(c[i]) - logMeans[k]))).map(Math.exp);
  } else {
    f = Array.from({ length: runs }, (_, i) => sum(rows.map((r) => [...r.before, ...r.after][i])));
  }
  return geometricScaled(f);
}

/**
 * How much a run's samples per unit of work vary (variance of log), from the per-run size factors
 * (before runs, then after runs): their within-side variance, pooled over both sides, less the
 * sampling (Poisson) variance the factors carry themselves (about 1 / the run's total count), so
 * a process of a few rows whose runs sample alike gets ~0, not its rows' own noise twice.
 */
export function rateVariance(factors: readonly number[], nb: number, totals?: readonly number[]): number {
  const logs = factors.map(Math.log);
  const side = (xs: number[]) => { const m = sum(xs) / xs.length; return xs.reduce((a, x) => a + (x - m) ** 2, 0); };
  const df = factors.length - 2;
  if (df <= 0) return 0;
  const poisson = totals && totals.every((t) => t > 0) ? sum(totals.map((t) => 1 / t)) / totals.length : 0;
  return Math.max(0, (side(logs.slice(0, nb)) + side(logs.slice(nb))) / df - poisson);
}

/** Values scaled to geometric mean 1 (all ones when any is not positive). */
function geometricScaled(xs: readonly number[]): number[] {
  if (!xs.length || !xs.every((x) => x > 0)) return xs.map(() => 1);
  const g = Math.exp(sum(xs.map(Math.log)) / xs.length);
  return xs.map((x) => x / g);
}

/** Tests every row; needs at least 2 runs per side (else every row is untested). */
export function countTests(rows: readonly CountRow[], options: CountTestOptions = {}): CountTestResult {
  const fdr = options.fdr ?? 0.05;
  const minMean = options.minMean ?? 4;
  const minDispersion = options.minDispersion ?? 1;
  const nb = rows[0]?.before.length ?? 0;
  const na = rows[0]?.after.length ?? 0;
  const untested = (): CountTest => ({ tested: false, ratio: Number.NaN, lo: Number.NaN, hi: Number.NaN, se: Number.NaN, z: Number.NaN, p: Number.NaN, q: Number.NaN, changed: false, df: Number.NaN, critical: Number.NaN, dispersion: Number.NaN, before: Number.NaN, after: Number.NaN });
  const empty = { sizeFactors: new Array<number>(nb + na).fill(1), dispersion: Number.NaN, tested: 0, changed: 0, df: Number.NaN, critical: Number.NaN, fdr };
  if (nb < 2 || na < 2) return { tests: rows.map(untested), ...empty };
  const isTested = rows.map((r) => (sum(r.before) + sum(r.after)) / (nb + na) >= minMean);
  // Per process: the exposure when measured, else size factors from its runs' total counts (a
  // run that sampled more gets more samples everywhere; totals, not the rows' median, because a
  // process of a few rows has small rows too noisy to take a median over).
  const groupOf = rows.map((r) => r.group ?? '');
  const groups = [...new Set(groupOf)];
  const runTotals = (g: string) => Array.from({ length: nb + na }, (_, k) => sum(rows.filter((_, i) => isTested[i] && groupOf[i] === g).map((r) => (k < nb ? r.before[k] : r.after[k - nb]))));
  const totalsOf = new Map(groups.map((g) => [g, runTotals(g)]));
  const countSf = new Map(groups.map((g) => [g, geometricScaled(totalsOf.get(g)!)]));
  // A row's own exposure when given (a row that waits, e.g. spawnSync, has none: its samples
  // follow wall time, not its process's CPU), else its process's count factors.
  const sfOfRow = (i: number) => rows[i].exposure ?? countSf.get(groupOf[i])!;
  // The runs' size factors over all processes (reported; per process they are countSf's).
  const sf = geometricScaled(Array.from({ length: nb + na }, (_, k) => sum(groups.map((g) => totalsOf.get(g)![k]))));
  const df = nb + na - 2;
  // Within each side, runs are compared after the per-run size factors (a run on a slower moment gets more samples everywhere).
  // Pearson dispersion per row, each side with its own mean (a real change does not inflate it).
  const raw = rows.map((r, i) => {
    if (!isTested[i]) return Number.NaN;
    const sf = sfOfRow(i);
    const pb = sum(r.before) / sum(sf.slice(0, nb));
    const pa = sum(r.after) / sum(sf.slice(nb));
    let chi = 0;
    r.before.forEach((y, k) => { const mu = pb * sf[k]; if (mu > 0) chi += (y - mu) ** 2 / mu; });
    r.after.forEach((y, k) => { const mu = pa * sf[nb + k]; if (mu > 0) chi += (y - mu) ** 2 / mu; });
    return chi / df;
  });
  // The prior is fitted on rows sampled in every run (a row absent from a run has a degenerate fit),
  // as a trend against the row's mean count (see moderateTrend).
  const meanOf = (i: number) => (sum(rows[i].before) + sum(rows[i].after)) / (nb + na);
  const everyRun = rows.map((r, i) => isTested[i] && r.before.every((y) => y > 0) && r.after.every((y) => y > 0));
  const fitIdx = rows.map((_, i) => i).filter((i) => (everyRun.filter(Boolean).length >= 3 ? everyRun[i] : isTested[i]));
  const trend = moderateTrend(fitIdx.map((i) => raw[i]), fitIdx.map(meanOf), df);
  const priorDf = options.priorDf ?? Math.min(trend.priorDf, 1000);
  // Each tested row's prior: the trend at its mean (interpolated in log mean between fitted rows' values).
  const fitted = fitIdx.map((i, k) => ({ x: Math.log(meanOf(i)), s: trend.scales[k] })).sort((a, b) => a.x - b.x);
  const priorAt = (mean: number) => {
    if (!fitted.length) return 1;
    const x = Math.log(mean);
    if (x <= fitted[0].x) return fitted[0].s;
    if (x >= fitted[fitted.length - 1].x) return fitted[fitted.length - 1].s;
    let k = 1;
    while (fitted[k].x < x) k++;
    const a = fitted[k - 1];
    const c = fitted[k];
    return c.x > a.x ? a.s + ((c.s - a.s) * (x - a.x)) / (c.x - a.x) : a.s;
  };
  const priorOf = rows.map((_, i) => (isTested[i] ? priorAt(meanOf(i)) : Number.NaN));
  const pooledValues = priorOf.filter((x) => Number.isFinite(x));
  const pooled = pooledValues.length ? Math.exp(sum(pooledValues.map(Math.log)) / pooledValues.length) : 1;
  const tdf = df + priorDf;
  const dispersion = rows.map((_, i) => (isTested[i] ? Math.max(minDispersion, (priorDf * priorOf[i] + df * raw[i]) / (priorDf + df)) : Number.NaN));
  // Between the sides: each row's log ratio of mean counts per run, against its process's
  // exposure where measured. Without it, sample counts are time on the stack in units of the
  // sampling interval and are compared as they are: the sides' samples per unit of work are taken
  // as equal (runs interleaved), and their uncertainty, the spread of the per-run size factors
  // within each side, is added to every row's. (Normalising by the other rows' median, the old
  // way, made an unchanged function "faster" whenever a few large rows changed together.)
  const sums = rows.map((r) => ({ sb: sum(r.before), sa: sum(r.after) }));
  const logRatio = sums.map(({ sb, sa }) => Math.log((sa + 0.5) / na) - Math.log((sb + 0.5) / nb));
  const variance = sums.map(({ sb, sa }, i) => dispersion[i] * (1 / (sa + 0.5) + 1 / (sb + 0.5)));
  const rateVar = new Map(groups.map((g) => [g, rateVariance(countSf.get(g)!, nb, totalsOf.get(g))]));
  const tests = rows.map((r, i): CountTest => {
    if (!isTested[i]) return untested();
    const exposure = r.exposure;
    let norm = 0;
    let normVar = 0;
    if (exposure) {
      // Each run's counts over its exposure (the process's samples per ms of its own CPU).
      norm = Math.log(sum(exposure.slice(nb)) / na) - Math.log(sum(exposure.slice(0, nb)) / nb);
    } else {
      normVar = rateVar.get(groupOf[i])! * (1 / nb + 1 / na);
    }
    const log = logRatio[i] - norm;
    const se = Math.sqrt(variance[i] + normVar);
    // Welch-Satterthwaite: the rate term is estimated from the runs' size factors (nb + na - 2 df).
    const rowDf = normVar > 0 ? (variance[i] + normVar) ** 2 / (variance[i] ** 2 / tdf + normVar ** 2 / df) : tdf;
    const z = Math.abs(log) / se;
    // The normalisation split evenly between the sides, so both stay near their raw means.
    const before = (sums[i].sb / nb) * Math.exp(norm / 2);
    const after = (sums[i].sa / na) * Math.exp(-norm / 2);
    return { tested: true, ratio: Math.exp(log), lo: Number.NaN, hi: Number.NaN, se, z, p: 2 * (1 - studentTCdf(z, rowDf)), q: Number.NaN, changed: false, df: rowDf, critical: Number.NaN, dispersion: dispersion[i], before, after };
  });
  const idx = tests.map((t, i) => i).filter((i) => tests[i].tested);
  const bh = benjaminiHochberg(idx.map((i) => tests[i].p), fdr);
  const m = idx.length;
  // False-coverage-adjusted level (Benjamini-Yekutieli): |z| > critical exactly for the rejected rows.
  const level = 1 - (Math.max(bh.count, 1) * fdr) / (2 * Math.max(m, 1));
  const critical = m ? studentTQuantile(level, tdf) : Number.NaN;
  idx.forEach((i, k) => {
    const t = tests[i];
    t.q = bh.adjusted[k];
    t.changed = bh.rejected[k];
    const log = Math.log(t.ratio);
    t.critical = t.df === tdf ? critical : studentTQuantile(level, t.df);
    t.lo = Math.exp(log - t.critical * t.se);
    t.hi = Math.exp(log + t.critical * t.se);
  });
  return { tests, sizeFactors: sf, dispersion: Math.max(minDispersion, pooled), tested: m, changed: bh.count, df: tdf, critical, fdr };
}
