// Number and label formatting of the prove panel. Every time is shown with its spread.
import type { BenchView, MetricView } from '../../src/protocol/prove';

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Milliseconds with a precision that fits the size: 1234 ms, 123 ms, 12.3 ms, 1.23 ms. */
export function ms(x: number | null | undefined): string {
  if (!isNum(x)) return 'n/a';
  const a = Math.abs(x);
  return `${a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : x.toFixed(2)} ms`;
}

export function pct(x: number | null | undefined): string {
  if (!isNum(x)) return 'n/a';
  return `${x >= 0 ? '+' : ''}${Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2)} %`;
}

export function ratio(x: number | null | undefined): string {
  return isNum(x) ? `${x.toFixed(3)}×` : 'n/a';
}

export function pValue(p: number | null | undefined): string {
  if (!isNum(p)) return 'n/a';
  if (p < 0.0001) return '< 0.0001';
  return p >= 0.01 ? p.toFixed(3) : p.toFixed(4);
}

/** "median 123 ms (95 % CI 118 ms–130 ms)". */
export function medianWithCI(m: MetricView): string {
  return `median ${ms(m.median)} (${Math.round((m.level || 0.95) * 100)} % CI ${ms(m.lo)}–${ms(m.hi)})`;
}

/** The spread lines of a benchmark, as shown in tooltips and tables. */
export function spreadLines(b: BenchView, m: MetricView | null): string[] {
  const lines = [`n = ${b.n} successful run(s)${b.failed ? `, ${b.failed} failed` : ''} (of ${b.runs}; ${b.warmup} warm-up not counted)`];
  if (!m) return [...lines, 'no successful run: no statistics'];
  lines.push(medianWithCI(m));
  lines.push(`IQR ${ms(m.iqr)} (Q1 ${ms(m.q1)} – Q3 ${ms(m.q3)})`);
  lines.push(`range ${ms(m.min)} – ${ms(m.max)}, MAD ${ms(m.mad)}`);
  if (m.outliers.length) lines.push(`${m.outliers.length} outlier run(s) beyond Tukey's fences (kept in the statistics)`);
  return lines;
}

/** Axis label of a benchmark: commit short hash with '*' when the working tree was dirty, else the time. */
export function pointLabel(b: Pick<BenchView, 'commit' | 'dirty' | 'createdAt'>): string {
  if (b.commit) return `${b.commit.slice(0, 7)}${b.dirty ? '*' : ''}`;
  return shortTime(b.createdAt);
}

export function shortTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** Deterministic horizontal jitter in [-0.5, 0.5) for the i-th point of a strip plot. */
export function jitter(i: number): number {
  // Van der Corput sequence in base 2: well spread, no randomness, the same on every render.
  let x = 0;
  let f = 0.5;
  for (let k = i + 1; k > 0; k >>= 1, f /= 2) if (k & 1) x += f;
  return x - 0.5;
}
