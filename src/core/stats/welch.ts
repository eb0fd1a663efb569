// Welch's interval for the difference of two means with unequal variances, and the Student t
// quantile it needs. Pure, no imports beyond this folder: the profile diff uses it when each side
// has several runs (per-run values instead of the one-run sampling error).
import { mean } from './describe';

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; ~15 digits). */
function lnGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaCf(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d; if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c; if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d; h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d; if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c; if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaCf(a, b, x)) / a : 1 - (front * betaCf(b, a, 1 - x)) / b;
}

/** P(T <= t) for Student's t with `df` degrees of freedom (df may be fractional, as Welch's). */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0) || Number.isNaN(t)) return Number.NaN;
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t (0 < p < 1), by bisection on the CDF. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return Number.NaN;
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface WelchResult {
  /** mean(after) - mean(before). */
  delta: number;
  /** Standard error of the difference: sqrt(varA / nA + varB / nB). */
  se: number;
  /** Welch-Satterthwaite degrees of freedom (NaN when both variances are 0). */
  df: number;
  /** Half width of the interval: t(1 - (1 - level) / 2, df) * se (0 when se is 0). */
  margin: number;
  lo: number;
  hi: number;
  level: number;
}

function variance(xs: readonly number[], m: number): number {
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
}

/** Welch's interval of mean(after) - mean(before); needs at least 2 values per side (else NaN). */
export function welchInterval(before: readonly number[], after: readonly number[], level = 0.95): WelchResult {
  const nb = before.length;
  const na = after.length;
  if (nb < 2 || na < 2) return { delta: Number.NaN, se: Number.NaN, df: Number.NaN, margin: Number.NaN, lo: Number.NaN, hi: Number.NaN, level };
  const mb = mean(before);
  const ma = mean(after);
  const vb = variance(before, mb) / nb;
  const va = variance(after, ma) / na;
  const se = Math.sqrt(va + vb);
  const delta = ma - mb;
  if (se === 0) return { delta, se, df: Number.NaN, margin: 0, lo: delta, hi: delta, level };
  const df = (va + vb) ** 2 / ((va * va) / (na - 1) + (vb * vb) / (nb - 1));
  const margin = studentTQuantile(1 - (1 - level) / 2, df) * se;
  return { delta, se, df, margin, lo: delta - margin, hi: delta + margin, level };
}
