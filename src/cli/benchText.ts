// Shared parsing and wording of `hotpath bench` and `hotpath compare`.
import type { BenchRecord, BenchSample, MetricStats } from '../core/bench';
import type { Comparison } from '../core/stats';
import { pText } from '../core/stats';

export const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

export function positiveInt(flag: string, v: string, min = 1): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} needs a whole number, at least ${min}`);
  return n;
}

/** `--ok-exit 0,1`: the exit codes that count as a successful run (0 is not implied). */
export function exitCodes(flag: string, v: string): number[] {
  const codes = v.split(',').map((w) => w.trim());
  if (!codes.every((c) => /^\d+$/.test(c) && Number(c) <= 255)) throw new Error(`${flag} needs exit codes from 0 to 255 separated by commas (e.g. 0,1), not ${v}`);
  return [...new Set(codes.map(Number))];
}

export function seconds(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number of seconds`);
  return Math.round(n * 1000);
}

/** Splits `opts -- command...`; one word after `--` is a shell line, several are an argv. */
export function splitCommand(argv: string[]): { opts: string[]; command?: string; args?: string[] } {
  const dash = argv.indexOf('--');
  if (dash < 0) return { opts: argv };
  const cmd = argv.slice(dash + 1);
  return { opts: argv.slice(0, dash), ...(cmd.length === 1 ? { command: cmd[0] } : cmd.length > 1 ? { command: cmd[0], args: cmd.slice(1) } : {}) };
}

export function metricLine(name: string, s: MetricStats | null, unitNote = ''): string {
  if (!s) return `${name}: no successful runs`;
  return `${name}: median ${ms(s.median)} ms (95 % CI ${ms(s.medianCI.lo)}–${ms(s.medianCI.hi)}), IQR ${ms(s.q1)}–${ms(s.q3)}, MAD ${ms(s.mad)}, min ${ms(s.min)}, max ${ms(s.max)}, n = ${s.n}${unitNote}`;
}

export function codeLine(r: BenchRecord): string {
  const g = r.git ? `${r.git.commit.slice(0, 10)}${r.ref ? ` (${r.ref})` : r.git.dirty ? ' (working tree, uncommitted changes)' : r.git.branch ? ` (${r.git.branch})` : ''}` : 'not in git';
  const load = r.loadAverage ? `, load ${r.loadAverage.start[0].toFixed(1)}→${r.loadAverage.end[0].toFixed(1)}` : '';
  return `${r.label ? `${r.label}: ` : ''}${g}, ${r.nodeVersion}, ${r.createdAt}${load}`;
}

/** The lines about failed runs and outliers of a record (shown, never silently dropped). */
export function problemLines(r: BenchRecord): string[] {
  const out: string[] = [];
  const measured = r.samples.filter((s) => !s.warmup);
  const failed = measured.filter((s) => !s.ok);
  if (failed.length) {
    out.push(`failed runs (left out of the statistics): ${failed.length} of ${measured.length}`);
    for (const s of failed.slice(0, 5)) out.push(`  run ${measured.indexOf(s) + 1}: ${s.error ?? 'failed'}${s.outputTail ? ` — ${lastLine(s)}` : ''}`);
  }
  const good = measured.filter((s) => s.ok);
  const outliers = r.stats.wall?.outliers ?? [];
  if (outliers.length) out.push(`outliers (kept in the statistics): ${outliers.map((i) => `run ${measured.indexOf(good[i]) + 1} ${ms(good[i].wallMs)} ms`).join(', ')}`);
  return out;
}

function lastLine(s: BenchSample): string {
  return (s.outputTail ?? '').trim().split('\n').pop()!.slice(0, 200);
}

/** The comparison fields of `compare --json` (a contract: add, never rename). */
export function comparisonJson(c: Comparison) {
  return {
    verdict: c.verdict, sentence: c.sentence, ratio: c.ratio, ratioCI: c.ratioCI, changePct: c.changePct, changePctCI: c.changePctCI,
    p: c.test.p, test: c.test, alpha: c.alpha, reasons: c.reasons, before: c.before, after: c.after,
  };
}

/** A ratio with 3 decimals, or n/a when it cannot be computed (a side with no successful runs). */
const ratioText = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(3) : 'n/a');

export function comparisonLines(c: Comparison, metric: string): string[] {
  const ci = Number.isFinite(c.ratioCI?.lo) && Number.isFinite(c.ratioCI?.hi) ? ` (95 % CI ${ratioText(c.ratioCI.lo)}–${ratioText(c.ratioCI.hi)})` : '';
  return [
    `ratio after/before (${metric} median): ${ratioText(c.ratio)}${ci}; rank-sum test ${pText(c.test.p)} (${c.test.method}${c.test.ties ? ', ties' : ''})`,
    c.sentence,
  ];
}
