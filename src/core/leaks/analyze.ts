// Turns one process's leak measurements into a growth rate with its interval, a verdict and the
// allocation sites whose live size grows.
//
// Verdict (per process):
// - not enough data: fewer than MIN_POINTS points after warm-up, or fewer than MIN_LATE in the
//   later half (the program ended too soon, or never yielded to its event loop in time mode);
// - growing: the slope's 95 % interval is above zero over all points AND over the later half of
//   them (by x), and the growth over the measured span is at least MIN_GROWTH_BYTES at both the
//   overall and the later half's rate. The later-half fit keeps a one-time step (a lazily built
//   singleton, a cache that filled up and stopped) from reading as a trend;
// - flat: otherwise.
import * as path from 'path';
import { fileURLToPath } from 'url';
import { linearFit } from '../stats/regression';
import { SourceMapper } from '../profile/sourceMaps';
import type { LeaksData, LeakSite } from './read';
import type { GrowthFit, LeakPointOut, LeakSuspectSite, LeakVerdict, ProcessLeaks } from './types';

export const MIN_POINTS = 6;
export const MIN_LATE = 4;
/** Growth smaller than this over the measured span is not called a leak (V8's own metadata drifts by tens of KB). */
export const MIN_GROWTH_BYTES = 64 * 1024;

/** The fields of a process's result that come from its measurements. */
export type SeriesAnalysis = Pick<ProcessLeaks, 'mode' | 'unit' | 'points' | 'growth' | 'lateGrowth' | 'verdict' | 'reason' | 'suspects' | 'measureMs'>;

const fit = (xs: number[], ys: number[]): GrowthFit | null => {
  if (xs.length < 3 || new Set(xs).size < 3) return null;
  const f = linearFit(xs, ys);
  return { slope: f.slope, lo: f.lo, hi: f.hi, level: f.level, n: f.n, r2: Number.isFinite(f.r2) ? f.r2 : null };
};

export function fmtBytes(b: number): string {
  const a = Math.abs(b);
  if (a >= 1048576) return `${(b / 1048576).toFixed(a >= 10485760 ? 1 : 2)} MB`;
  if (a >= 1024) return `${(b / 1024).toFixed(a >= 10240 ? 0 : 1)} KB`;
  return `${Math.round(b)} B`;
}

export function analyzeSeries(data: LeaksData, options: { root: string; mapper?: SourceMapper }): SeriesAnalysis {
  const iterationMode = data.points.some((p) => p.mode === 'iteration');
  const mode = iterationMode ? 'iteration' : 'time';
  // Iteration mode: the point at exit is after the loop (teardown, reporting): not an iteration.
  const used = data.points.filter((p) => (iterationMode ? p.mode === 'iteration' : true));
  const points: LeakPointOut[] = used.map((p) => ({
    x: iterationMode ? p.iteration : p.t / 1000, t: p.t, iteration: p.iteration,
    bytes: p.heapUsed + p.external - (p.code ?? 0), heapUsed: p.heapUsed, external: p.external, code: p.code ?? null, costMs: p.costMs,
  }));
  const measureMs = Math.round(data.points.reduce((s, p) => s + p.costMs, 0));
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.bytes);
  const growth = fit(xs, ys);
  const sortedX = [...xs].sort((a, b) => a - b);
  const midX = sortedX[Math.floor(sortedX.length / 2)] ?? 0;
  const late = points.filter((p) => p.x >= midX);
  const lateGrowth = fit(late.map((p) => p.x), late.map((p) => p.bytes));
  const unit = iterationMode ? 'iteration' : 'second';
  const base = { mode, unit, points, growth, lateGrowth, measureMs } as const;
  if (points.length < MIN_POINTS || !growth || late.length < MIN_LATE || !lateGrowth) {
    const why = iterationMode
      ? `${points.length} measurement(s) after the warm-up; at least ${MIN_POINTS} are needed: run more iterations (or lower --warmup)`
      : `${points.length} measurement(s) after the warm-up; at least ${MIN_POINTS} are needed: run longer (--duration), or mark iterations with globalThis.hotpathIteration?.()`;
    return { ...base, verdict: 'not enough data', reason: why, suspects: [] };
  }
  const span = sortedX[sortedX.length - 1] - sortedX[0];
  const fitted = growth.slope * span;
  const per = `/${unit === 'iteration' ? 'iteration' : 's'}`;
  let verdict: LeakVerdict = 'flat';
  let reason: string;
  const lateFitted = lateGrowth.slope * span;
  if (growth.lo > 0 && lateGrowth.lo > 0 && fitted >= MIN_GROWTH_BYTES && lateFitted >= MIN_GROWTH_BYTES) {
    verdict = 'growing';
    reason = `the heap grows ${fmtBytes(growth.slope)}${per} (95 % CI ${fmtBytes(growth.lo)} to ${fmtBytes(growth.hi)}), also over the later half (${fmtBytes(lateGrowth.lo)} to ${fmtBytes(lateGrowth.hi)}${per}): ${fmtBytes(fitted)} over the ${points.length} measurements`;
  } else if (growth.lo > 0 && lateGrowth.lo > 0 && fitted >= MIN_GROWTH_BYTES) {
    reason = `the heap rose ${fmtBytes(fitted)} over the measured span, but over the later half only ${fmtBytes(lateGrowth.slope)}${per} (${fmtBytes(lateFitted)} over the span, below the ${fmtBytes(MIN_GROWTH_BYTES)} threshold): mostly a step, not a steady growth`;
  } else if (growth.lo > 0 && lateGrowth.lo > 0) {
    reason = `a small rise (${fmtBytes(fitted)} over the measured span, below the ${fmtBytes(MIN_GROWTH_BYTES)} threshold)`;
  } else if (growth.lo > 0) {
    reason = `the heap rose early but not over the later half (${fmtBytes(lateGrowth.slope)}${per}, 95 % CI ${fmtBytes(lateGrowth.lo)} to ${fmtBytes(lateGrowth.hi)}): a step or a cache filling up, not a steady growth`;
  } else {
    reason = `no growth beyond the interval: ${fmtBytes(growth.slope)}${per} (95 % CI ${fmtBytes(growth.lo)} to ${fmtBytes(growth.hi)})`;
  }
  const suspects = verdict === 'growing' ? siteSuspects(data, points, xs, growth.slope, midX, options) : [];
  return { ...base, verdict, reason, suspects };
}

function siteSuspects(data: LeaksData, points: LeakPointOut[], xs: number[], heapSlope: number, midX: number, options: { root: string; mapper?: SourceMapper }): LeakSuspectSite[] {
  const used = new Set(points.map((p) => p.t));
  const rows = data.points.filter((p) => used.has(p.t));
  const out: LeakSuspectSite[] = [];
  data.sites.forEach((site, i) => {
    if (!site) return;
    const ys = rows.map((p) => p.sites.find(([s]) => s === i)?.[1] ?? 0);
    const f = fit(xs, ys);
    if (!f || !(f.lo > 0)) return;
    const lateIdx = xs.map((x, k) => (x >= midX ? k : -1)).filter((k) => k >= 0);
    const lf = fit(lateIdx.map((k) => xs[k]), lateIdx.map((k) => ys[k]));
    if (!lf || !(lf.slope > 0)) return;
    // Below 2 % of the heap's growth: noise of the sampling, not a cause.
    if (heapSlope > 0 && f.slope < 0.02 * heapSlope) return;
    out.push({ ...locate(site, options), via: site.via || null, slope: f.slope, lo: f.lo, hi: f.hi, firstBytes: ys[0], lastBytes: ys[ys.length - 1],
      share: heapSlope > 0 ? f.slope / heapSlope : null });
  });
  return out.sort((a, b) => b.slope - a.slope).slice(0, 20);
}

/** The site's source position, through source maps when the file has one. 1-based. */
export function locate(site: Pick<LeakSite, 'name' | 'url' | 'line' | 'column'>, options: { root: string; mapper?: SourceMapper }) {
  const abs = toPath(site.url);
  let file = abs ?? site.url;
  let line = site.line + 1;
  let column = site.column + 1;
  let p: string | null = abs ?? null;
  if (abs && options.mapper) {
    const m = options.mapper.map(abs, line, column, site.name);
    if (m) { file = m.path ?? m.source; p = m.path ?? null; line = m.line; column = m.column; }
  }
  const rel = p ? path.relative(options.root, p) : '';
  return { name: site.name || '(anonymous)', file: p && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file, path: p, line, column };
}

function toPath(url: string): string | undefined {
  if (url.startsWith('file://')) { try { return fileURLToPath(url); } catch { return undefined; } }
  return path.isAbsolute(url) ? url : undefined;
}
