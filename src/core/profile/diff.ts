// Profile diff: which functions and modules got faster or slower between two profiles (or two
// sets of runs), and whether the change is more than noise. Pure: plain models in, plain data out.
//
// Noise, rows (functions, modules): with 2 or more runs on both sides, each row's sample counts
// get a quasi-Poisson test whose dispersion is estimated from the runs (run-to-run variation
// included), and the false discovery rate is controlled across rows (Benjamini-Hochberg,
// stats/counts.ts): an A/A comparison names no row. The row values are then per-run estimates
// from the counts (samples, normalised for run length, x the row's mean time per sample), so
// value, change, ± and verdict agree. Without sample counts (some heap profiles), Welch's
// interval on the per-run values, with the same correction. With one run per side the ± is the
// sampling error only (value / sqrt(samples), x 2), which leaves out run-to-run variation: no
// row gets a verdict ('not tested'). Totals: Welch's interval of the per-run totals (N >= 2).
import * as path from 'path';
import { aggregate, groupFrames } from './aggregate';
import { displayPath, OUTSIDE_PACKAGE } from './classify';
import type { ModelFrame, ModelTree, ProfileModel } from './types';
import type { BlockingCall } from './blocking';
import { measuredThreads, sampledWaiting } from './onCpu';
import { benjaminiHochberg, countTests, type CountTest } from '../stats/counts';
import { samplingError } from '../stats/sampling';
import { LAUNCHER_NOTE_PREFIX } from '../runner/launchers';
import { studentTCdf, studentTQuantile, welchInterval } from '../stats/welch';

export type DiffKind = 'cpu' | 'heap';
export type DiffMethod = 'sampling' | 'welch';
/** CPU: slower / faster; heap: more / less (bytes allocated); unknown: no sample counts to judge by. */
export type DiffVerdict = 'slower' | 'faster' | 'more' | 'less' | 'within noise' | 'unknown' | 'not tested';
export type DiffStatus = 'both' | 'added' | 'removed';

/** One side of a row: the mean per run (ms for CPU, bytes for heap). */
export interface DiffSide {
  self: number;
  total: number;
  /** Samples behind self / total, summed over the side's runs. */
  selfSamples: number;
  totalSamples: number;
  /** self / total as a share (0-1) of the side's whole sampled value (CPU without idle, or all bytes). */
  selfShare: number;
  totalShare: number;
  /** Line on this side when it differs from the row's (the function moved in its file). */
  line?: number;
}

/** A change with its noise band: delta ± margin; verdict from whether the band excludes 0. */
export interface DiffChange {
  delta: number;
  /** 1-sigma error of delta: the combined sampling error, or Welch's standard error. */
  error: number;
  /**
   * Half width the verdict uses: |delta| > margin exactly when the verdict is slower / faster.
   * Sampling: 2 x error; Welch: t(0.975, df) x error; counts: the critical value of the
   * FDR-corrected test, in the row's unit.
   */
  margin: number;
  verdict: DiffVerdict;
  /** The count test behind the verdict (2+ runs per side with sample counts): ratio after / before with its interval, p and q. */
  test?: CountTest;
}

export interface DiffRow {
  /** Function name, or module name (package or file) for module rows. */
  name: string;
  /** Display path (relative to the root when inside it). */
  file: string;
  /** Absolute path after source mapping, when the frame is a file on disk. */
  path?: string;
  /** 1-based, 0 when unknown (and for modules). */
  line: number;
  /** Frame category (workspace, dependency, node, native, gc, ...). */
  category: string;
  status: DiffStatus;
  before: DiffSide;
  after: DiffSide;
  self: DiffChange;
  total: DiffChange;
  /** after.selfShare - before.selfShare, in percentage points: a longer run is not "everything slower". */
  deltaSelfSharePts: number;
  /** The row's function is a known blocking call (blocking.ts): 'wait' means its self time is waiting, not CPU. */
  blocking?: BlockingCall;
}

export interface DiffTotal {
  before: number;
  after: number;
  beforeError: number;
  afterError: number;
  beforeSamples: number;
  afterSamples: number;
  change: DiffChange;
}

/** How the rows' verdicts were reached (2+ runs per side). */
export interface RowTestSummary {
  /** 'counts': quasi-Poisson on sample counts; 'welch': Welch's t on the per-run values (no counts). */
  name: 'counts' | 'welch';
  /** False discovery rate controlled across the rows (Benjamini-Hochberg). */
  fdr: number;
  /** Rows with enough samples to be tested, and rows found changed. */
  tested: number;
  changed: number;
  /** Pooled dispersion of the counts (1 = Poisson; more = run-to-run variation); NaN for welch. */
  dispersion: number;
}

/** Measured on-CPU and waiting time per run, beside the sampled totals (onCpu.ts); CPU diffs only. */
export interface OnCpuTotals {
  /** Measured CPU of the profiled threads per run (ms); absent when a run was not measured. */
  measuredCpu?: DiffTotal;
  /** Measured time the threads waited for a CPU (run queue, ms): other load on the machine. */
  runQueue?: DiffTotal;
  /** Sampled time in blocking calls the threads wait in (spawnSync, fs *Sync), ms per run. */
  waiting: DiffTotal;
  /** Where the measured times come from ('schedstat', 'stat', 'threadCpuUsage'). */
  source?: string;
}

export interface ProfileDiff {
  kind: DiffKind;
  unit: 'ms' | 'bytes';
  method: DiffMethod;
  /** Runs per side. */
  runs: { before: number; after: number };
  /** What the ± is, in words (also says what it leaves out). */
  noiseLabel: string;
  /** The multiplier of the error that makes the margin for the sampling method (2). */
  factor: number;
  totals: { cpu?: DiffTotal; heap?: DiffTotal };
  /** CPU diffs: measured CPU, run-queue and waiting time per run beside the sampled total. */
  onCpu?: OnCpuTotals;
  functions: DiffRow[];
  modules: DiffRow[];
  /** How the row verdicts were reached; absent with one run per side (no verdicts). */
  tests?: { functions: RowTestSummary; modules: RowTestSummary };
  notes: string[];
}

export interface DiffOptions {
  /** Which trees to compare; default cpu when both sides have CPU samples, else heap. */
  kind?: DiffKind;
  /** Sort rows by |delta| of self (default) or total. */
  sortBy?: 'self' | 'total';
  /** Margin = factor x combined sampling error (default 2). */
  factor?: number;
  /** Where each side's profiles came from (run folders or files): a source on both sides gets a note. */
  sources?: { before: string[]; after: string[] };
  /** False discovery rate across rows (default 0.05). */
  fdr?: number;
}

export class DiffError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DiffError';
  }
}

const isCode = (f: ModelFrame) => f.kind !== 'idle' && f.kind !== 'program';

export const NOISE_LABEL_SAMPLING = 'sampling error only: ± is 2 x the combined sampling error (value / √samples per side) of one run per side; it does not include run-to-run variation, so no function gets a verdict (record 2 or more runs per side, 3 by default in comparisons)';
export const noiseLabelWelch = (nb: number, na: number) => `± is the 95 % Welch interval of the difference of the per-run means (${nb} runs before, ${na} after): it includes run-to-run variation`;
/** The rows' noise with 2+ runs per side: the count test with its correction across rows. */
export const noiseLabelCounts = (nb: number, na: number, fdr: number) => `functions and modules: a test on each one's sample counts over ${nb} runs before and ${na} after, with the run-to-run variation estimated from the runs; ± is its interval, corrected for testing many rows at once (false discovery rate ${fdr * 100} %), so an unchanged program names no function; totals: the 95 % Welch interval of the per-run totals`;

function treeOf(model: ProfileModel, kind: DiffKind): ModelTree | undefined {
  return kind === 'cpu' ? model.cpu?.tree : model.alloc?.tree;
}

function hasKind(model: ProfileModel, kind: DiffKind): boolean {
  return kind === 'cpu' ? !!model.cpu && model.cpu.sampleCount > 0 : !!model.alloc && model.alloc.tree.count > 1;
}

interface RunValues { self: number[]; total: number[]; selfSamples: number[]; totalSamples: number[] }
interface Entry { key: string; loose: string; name: string; file: string; path?: string; line: number; category: string; blocking?: BlockingCall; sides: [RunValues | undefined, RunValues | undefined]; lines: [number, number]; processes: Map<string, number> }

const zeros = (n: number) => new Array<number>(n).fill(0);

/** How rows group frames: a key per frame (undefined leaves it out), and a row's labels from its first frame. */
interface Grouping {
  key(f: ModelFrame): string | undefined;
  describe(f: ModelFrame): { loose: string; name: string; file: string };
}

/** Totals per group in one model, keyed; values in the output unit. */
function collect(model: ProfileModel, tree: ModelTree, grouping: Grouping, scale: number, entries: Map<string, Entry>, side: 0 | 1, run: number, runs: number, withArgs: boolean): void {
  const groups = groupFrames(model.frames, grouping.key);
  const t = aggregate(tree, groups.groupOfFrame, groups.keys.length, { withTotalSamples: true });
  const totalSamples = t.totalSamples!;
  for (let g = 0; g < groups.keys.length; g++) {
    if (!(t.total[g] > 0) && !(t.self[g] > 0)) continue;
    const key = groups.keys[g];
    let e = entries.get(key);
    if (!e) {
      const frame = model.frames[groups.firstFrame[g]];
      const d = grouping.describe(frame);
      entries.set(key, (e = { key, loose: d.loose, name: d.name, file: d.file, path: frame.path, line: frame.line, category: frame.kind, ...(frame.blocking ? { blocking: frame.blocking } : {}), sides: [undefined, undefined], lines: [0, 0], processes: new Map() }));
    }
    if (!e.path) e.path = model.frames[groups.firstFrame[g]].path;
    const v = (e.sides[side] ??= { self: zeros(runs), total: zeros(runs), selfSamples: zeros(runs), totalSamples: zeros(runs) });
    v.self[run] += t.self[g] * scale;
    v.total[run] += t.total[g] * scale;
    v.selfSamples[run] += t.samples[g];
    v.totalSamples[run] += totalSamples[g];
  }
  // Which process each row's samples are in (its home process is where most of them are).
  const proc = processKeysOfNodes(model, tree, withArgs);
  for (let n = 1; n < tree.count; n++) {
    const key = grouping.key(model.frames[tree.frame[n]]);
    const e = key === undefined ? undefined : entries.get(key);
    if (e && proc[n]) e.processes.set(proc[n], (e.processes.get(proc[n]) ?? 0) + tree.samples[n] + 1e-9);
  }
}

/**
 * A key per process that names the same process in another run of the same command: its command
 * line with paths reduced to file names (the "before" side runs in a temporary tree), its thread
 * id, and its place among processes with the same name and thread. Without `withArgs`, the
 * command line stops at the script (the first argument that is not an option): the same program
 * run with other arguments (a changed benchmark's parameters, a random seed) is the same process.
 */
export function processKeys(model: ProfileModel, withArgs = true): string[] {
  const seen = new Map<string, number>();
  return model.processes.map((p) => {
    const tokens = p.commandLine.split(/\s+/).filter(Boolean).map((t) => (/[\\/]/.test(t) ? t.split(/[\\/]/).pop()! : t));
    const script = tokens.findIndex((t, i) => i > 0 && !t.startsWith('-'));
    const name = `${(withArgs || script < 0 ? tokens : tokens.slice(0, script + 1)).join(' ')} #${p.threadId}`;
    const k = seen.get(name) ?? 0;
    seen.set(name, k + 1);
    return `${name} ${k}`;
  });
}

/**
 * Whether the runs' processes are matched with their arguments: yes when every run has the same
 * processes by full command line; otherwise (the sides ran with other arguments) by script only.
 */
export function matchWithArgs(models: readonly ProfileModel[]): boolean {
  const sets = models.map((m) => processKeys(m).sort().join('\n'));
  return sets.every((s) => s === sets[0]);
}

/** Per tree node, the key of the process it belongs to ('' for the synthetic root). */
function processKeysOfNodes(model: ProfileModel, tree: ModelTree, withArgs: boolean): string[] {
  const keys = processKeys(model, withArgs);
  const rootOf = new Map<number, string>();
  model.processes.forEach((p, i) => {
    const node = tree === model.cpu?.tree ? p.cpuNode : tree === model.alloc?.tree ? p.allocNode : undefined;
    if (node !== undefined) rootOf.set(node, keys[i]);
  });
  const out = new Array<string>(tree.count).fill('');
  for (let n = 1; n < tree.count; n++) out[n] = tree.parent[n] === 0 ? (rootOf.get(n) ?? `node ${n}`) : out[tree.parent[n]];
  return out;
}

/**
 * Per process key, its samples per ms of its own measured CPU in every run of both sides
 * (before runs, then after runs), scaled to geometric mean 1: how many samples a unit of its work
 * gives in that run. Samples of idle frames and of blocking calls the thread waits in are off
 * CPU and left out. A process not measured (or not present) in every run has none.
 */
function processExposures(before: ProfileModel[], after: ProfileModel[], withArgs: boolean): Map<string, number[]> {
  const runs = [...before, ...after];
  const per = runs.map((model) => {
    const out = new Map<string, { samples: number; cpuMs?: number }>();
    const tree = model.cpu?.tree;
    if (!tree) return out;
    const keys = processKeys(model, withArgs);
    model.processes.forEach((p, i) => out.set(keys[i], { samples: 0, cpuMs: p.threadTime?.cpuMs }));
    const proc = processKeysOfNodes(model, tree, withArgs);
    for (let n = 1; n < tree.count; n++) {
      const f = model.frames[tree.frame[n]];
      if (f.kind === 'idle' || f.blocking?.kind === 'wait') continue;
      const e = out.get(proc[n]);
      if (e) e.samples += tree.samples[n];
    }
    return out;
  });
  const result = new Map<string, number[]>();
  for (const key of per[0]?.keys() ?? []) {
    const rates = per.map((m) => { const e = m.get(key); return e && e.cpuMs && e.cpuMs > 0 && e.samples > 0 ? e.samples / e.cpuMs : Number.NaN; });
    if (!rates.every((r) => Number.isFinite(r))) continue;
    const g = Math.exp(sum(rates.map(Math.log)) / rates.length);
    result.set(key, rates.map((r) => r / g));
  }
  return result;
}

/** The process holding most of a row's samples (over all runs); '' when unknown. */
function homeProcess(e: Entry): string {
  let best = '';
  let most = -1;
  for (const [k, v] of e.processes) if (v > most) { most = v; best = k; }
  return best;
}

/**
 * Pairs functions that exist on one side only under the same name and file but another line
 * (code above them was edited): one row, with each side's line. Only unique pairs are joined.
 */
function joinMoved(entries: Map<string, Entry>): Entry[] {
  const onlyBefore = new Map<string, Entry[]>();
  const onlyAfter = new Map<string, Entry[]>();
  for (const e of entries.values()) {
    if (e.sides[0] && !e.sides[1]) (onlyBefore.get(e.loose) ?? onlyBefore.set(e.loose, []).get(e.loose)!).push(e);
    else if (!e.sides[0] && e.sides[1]) (onlyAfter.get(e.loose) ?? onlyAfter.set(e.loose, []).get(e.loose)!).push(e);
  }
  const dropped = new Set<Entry>();
  for (const [loose, bs] of onlyBefore) {
    const as = onlyAfter.get(loose);
    if (bs.length !== 1 || as?.length !== 1) continue;
    const [b] = bs;
    const [a] = as;
    a.sides[0] = b.sides[0];
    a.lines = [b.line, a.line];
    dropped.add(b);
  }
  return [...entries.values()].filter((e) => !dropped.has(e));
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function judge(delta: number, error: number, margin: number, kind: DiffKind): DiffVerdict {
  if (Number.isNaN(margin)) return 'unknown';
  if (Math.abs(delta) <= margin) return 'within noise';
  if (kind === 'cpu') return delta > 0 ? 'slower' : 'faster';
  return delta > 0 ? 'more' : 'less';
}

/** Sampling error of a per-run mean: the mean / sqrt(all samples); exactly 0 for an absent value. */
function meanError(values: number[], samples: number[]): { mean: number; error: number; samples: number } {
  const n = values.length;
  const m = sum(values) / n;
  const s = sum(samples);
  return { mean: m, error: m === 0 ? 0 : samplingError(m, s), samples: s };
}

function change(before: number[], beforeSamples: number[], after: number[], afterSamples: number[], method: DiffMethod, factor: number, kind: DiffKind): DiffChange & { b: ReturnType<typeof meanError>; a: ReturnType<typeof meanError> } {
  const b = meanError(before, beforeSamples);
  const a = meanError(after, afterSamples);
  const delta = a.mean - b.mean;
  if (method === 'welch') {
    const w = welchInterval(before, after);
    return { delta, error: w.se, margin: w.margin, verdict: judge(delta, w.se, w.margin, kind), b, a };
  }
  const error = Math.hypot(b.error, a.error);
  return { delta, error, margin: factor * error, verdict: judge(delta, error, factor * error, kind), b, a };
}

function models(x: ProfileModel | ProfileModel[]): ProfileModel[] {
  return Array.isArray(x) ? x : [x];
}

/** The npm package of a frame, for module rows; files outside the workspace and node_modules have none. */
function packageName(f: ModelFrame): string | undefined {
  return f.pkg && f.pkg !== OUTSIDE_PACKAGE ? f.pkg : undefined;
}

/** Module rows: one per npm package, else per file (its display path, relative to the root). */
function moduleGrouping(root: string): Grouping {
  const folders = new Map<string, string>();
  return {
    key(f) {
      if (!isCode(f) || f.kind === 'gc') return undefined;
      const pkg = packageName(f);
      if (pkg) return `pkg\0${pkg}`;
      return f.file ? `file\0${f.file}` : undefined;
    },
    describe(f) {
      const pkg = packageName(f);
      if (!pkg) return { loose: `file\0${f.file}`, name: f.file, file: f.file };
      let folder = folders.get(pkg);
      if (folder === undefined) folders.set(pkg, (folder = moduleFolder(root, f, pkg)));
      return { loose: `pkg\0${pkg}`, name: pkg, file: folder };
    },
  };
}

function moduleFolder(root: string, f: ModelFrame, pkg: string): string {
  if (!f.path) return pkg;
  const norm = f.path.split('\\').join('/');
  const at = norm.lastIndexOf(`/node_modules/${pkg}/`);
  return at >= 0 ? displayPath(root, norm.slice(0, at + `/node_modules/${pkg}`.length)) : pkg;
}

/** Function rows: name + display file + line after source maps (as the profile tables group them). */
const functionGrouping: Grouping = {
  key: (f) => (isCode(f) ? `${f.name}\0${f.file}\0${f.line}` : undefined),
  describe: (f) => ({ loose: `${f.name}\0${f.file}`, name: f.name, file: f.file }),
};

/** Sampled value of a whole model (CPU without idle, or all heap bytes) in the output unit, and its samples. */
function wholeOf(model: ProfileModel, kind: DiffKind): { value: number; samples: number } {
  const tree = kind === 'cpu' ? model.cpu?.tree : model.alloc?.tree;
  if (!tree) return { value: 0, samples: 0 };
  let value = 0;
  let samples = 0;
  for (let n = 1; n < tree.count; n++) {
    if (kind === 'cpu' && model.frames[tree.frame[n]].kind === 'idle') continue;
    value += tree.self[n];
    samples += tree.samples[n];
  }
  return { value: kind === 'cpu' ? value / 1000 : value, samples };
}

function totalDiff(before: ProfileModel[], after: ProfileModel[], kind: DiffKind, method: DiffMethod, factor: number): DiffTotal {
  const b = before.map((m) => wholeOf(m, kind));
  const a = after.map((m) => wholeOf(m, kind));
  const c = change(b.map((x) => x.value), b.map((x) => x.samples), a.map((x) => x.value), a.map((x) => x.samples), method, factor, kind);
  return {
    before: c.b.mean, after: c.a.mean, beforeError: c.b.error, afterError: c.a.error, beforeSamples: c.b.samples, afterSamples: c.a.samples,
    change: { delta: c.delta, error: c.error, margin: c.margin, verdict: method === 'welch' || c.verdict === 'unknown' ? c.verdict : 'not tested' },
  };
}

/** Which verdict a change gets in this kind's words. */
function direction(delta: number, kind: DiffKind): DiffVerdict {
  if (kind === 'cpu') return delta > 0 ? 'slower' : 'faster';
  return delta > 0 ? 'more' : 'less';
}

interface RowSides { e: Entry; b: RunValues; a: RunValues }

const emptyRun = (n: number): RunValues => ({ self: zeros(n), total: zeros(n), selfSamples: zeros(n), totalSamples: zeros(n) });

/**
 * Self or total of every row, 2+ runs per side: count-based values, change and verdict (see the
 * file comment). `which` picks self or total; returns per row the sides' values and the change.
 */
function testedChanges(list: RowSides[], which: 'self' | 'total', kind: DiffKind, fdr: number, exposures?: Map<string, number[]>): { values: [number, number][]; changes: DiffChange[]; summary: RowTestSummary } {
  const samplesOf = (v: RunValues) => (which === 'self' ? v.selfSamples : v.totalSamples);
  const valuesOf = (v: RunValues) => (which === 'self' ? v.self : v.total);
  const counted = list.some((r) => sum(samplesOf(r.b)) + sum(samplesOf(r.a)) > 0);
  if (!counted) return welchChanges(list, valuesOf, kind, fdr);
  const result = countTests(list.map((r) => {
    const group = homeProcess(r.e);
    // A row that waits (spawnSync, Atomics.wait...) is sampled by wall time, not its process's CPU.
    const exposure = r.e.blocking?.kind === 'wait' ? undefined : exposures?.get(group);
    return { before: samplesOf(r.b), after: samplesOf(r.a), group, ...(exposure ? { exposure } : {}) };
  }), { fdr });
  const nb = list[0]?.b.self.length ?? 0;
  const na = list[0]?.a.self.length ?? 0;
  const values: [number, number][] = [];
  const changes = list.map((r, i): DiffChange => {
    const sb = sum(samplesOf(r.b));
    const sa = sum(samplesOf(r.a));
    // The row's mean value per sample over both sides: one scale for both, so only counts differ.
    const perSample = sb + sa > 0 ? (sum(valuesOf(r.b)) + sum(valuesOf(r.a))) / (sb + sa) : 0;
    const t = result.tests[i];
    // Tested rows: the test's normalised counts; the others: plain mean counts per run.
    const before = (t.tested ? t.before : sb / nb) * perSample;
    const after = (t.tested ? t.after : sa / na) * perSample;
    values.push([before, after]);
    const delta = after - before;
    if (!t.tested) return { delta, error: Number.NaN, margin: Number.NaN, verdict: 'within noise', test: t };
    // |delta| > margin exactly when |z| > critical: the margin is the critical value in this unit.
    const scale = t.z > 0 && delta !== 0 ? Math.abs(delta) / t.z : Math.max(before, after) * t.se;
    const margin = t.critical * scale;
    return { delta, error: scale, margin, verdict: t.changed ? direction(delta, kind) : 'within noise', test: t };
  });
  return { values, changes, summary: { name: 'counts', fdr, tested: result.tested, changed: result.changed, dispersion: result.dispersion } };
}

/** Rows without sample counts: Welch's t per row on the per-run values, Benjamini-Hochberg across rows. */
function welchChanges(list: RowSides[], valuesOf: (v: RunValues) => number[], kind: DiffKind, fdr: number): { values: [number, number][]; changes: DiffChange[]; summary: RowTestSummary } {
  const ws = list.map((r) => welchInterval(valuesOf(r.b), valuesOf(r.a)));
  const ps = ws.map((w) => (w.se > 0 ? 2 * (1 - studentTCdf(Math.abs(w.delta) / w.se, w.df)) : w.delta === 0 ? 1 : 0));
  const tested = ws.map((w) => Number.isFinite(w.delta));
  const idx = ps.map((_, i) => i).filter((i) => tested[i]);
  const bh = benjaminiHochberg(idx.map((i) => ps[i]), fdr);
  const level = idx.length ? 1 - (Math.max(bh.count, 1) * fdr) / (2 * idx.length) : 0.975;
  const rejected = new Set(idx.filter((_, k) => bh.rejected[k]));
  const values = list.map((r): [number, number] => [sum(valuesOf(r.b)) / r.b.self.length, sum(valuesOf(r.a)) / r.a.self.length]);
  const changes = list.map((r, i): DiffChange => {
    const w = ws[i];
    const delta = values[i][1] - values[i][0];
    if (!tested[i]) return { delta, error: Number.NaN, margin: Number.NaN, verdict: 'unknown' };
    const margin = w.se > 0 ? studentTQuantile(level, w.df) * w.se : 0;
    return { delta, error: w.se, margin, verdict: rejected.has(i) ? direction(delta, kind) : 'within noise' };
  });
  return { values, changes, summary: { name: 'welch', fdr, tested: idx.length, changed: bh.count, dispersion: Number.NaN } };
}

function rows(
  before: ProfileModel[], after: ProfileModel[], kind: DiffKind, groupingOf: (m: ProfileModel) => Grouping,
  method: DiffMethod, factor: number, sortBy: 'self' | 'total', withLines: boolean, fdr: number,
): { rows: DiffRow[]; summary?: RowTestSummary } {
  const scale = kind === 'cpu' ? 1 / 1000 : 1;
  const entries = new Map<string, Entry>();
  const withArgs = matchWithArgs([...before, ...after]);
  before.forEach((m, i) => collect(m, treeOf(m, kind)!, groupingOf(m), scale, entries, 0, i, before.length, withArgs));
  after.forEach((m, i) => collect(m, treeOf(m, kind)!, groupingOf(m), scale, entries, 1, i, after.length, withArgs));
  const list: RowSides[] = (withLines ? joinMoved(entries) : [...entries.values()]).map((e) => ({ e, b: e.sides[0] ?? emptyRun(before.length), a: e.sides[1] ?? emptyRun(after.length) }));
  // Shares of each side's samples (or values without counts), so a longer run is not "everything slower".
  const wholeOf = (side: 'b' | 'a', which: 'self' | 'total') => {
    let s = 0;
    let v = 0;
    for (const r of list) { s += sum(r[side].selfSamples); v += sum(r[side].self); }
    return (x: RunValues) => (s > 0 ? sum(which === 'self' ? x.selfSamples : x.totalSamples) / s : v > 0 ? sum(which === 'self' ? x.self : x.total) / v : 0);
  };
  const share = { b: { self: wholeOf('b', 'self'), total: wholeOf('b', 'total') }, a: { self: wholeOf('a', 'self'), total: wholeOf('a', 'total') } };
  let self: { values: [number, number][]; changes: DiffChange[]; summary?: RowTestSummary };
  let total: { values: [number, number][]; changes: DiffChange[] };
  if (method === 'welch') {
    // CPU: each process's rows by its own samples per ms of measured CPU, when measured in every run.
    const exposures = kind === 'cpu' ? processExposures(before, after, withArgs) : undefined;
    self = testedChanges(list, 'self', kind, fdr, exposures);
    total = testedChanges(list, 'total', kind, fdr, exposures);
  } else {
    // One run on a side: the sampling error of the per-run means, and no verdict.
    const one = (which: 'self' | 'total') => {
      const values: [number, number][] = [];
      const changes = list.map((r): DiffChange => {
        const c = change(which === 'self' ? r.b.self : r.b.total, which === 'self' ? r.b.selfSamples : r.b.totalSamples, which === 'self' ? r.a.self : r.a.total, which === 'self' ? r.a.selfSamples : r.a.totalSamples, 'sampling', factor, kind);
        values.push([c.b.mean, c.a.mean]);
        return { delta: c.delta, error: c.error, margin: c.margin, verdict: c.verdict === 'unknown' ? 'unknown' : 'not tested' };
      });
      return { values, changes };
    };
    self = one('self');
    total = one('total');
  }
  const out: DiffRow[] = list.map((r, i) => {
    const { e } = r;
    const side = (v: RunValues, values: [number, number], k: 0 | 1, shares: typeof share.b): DiffSide => ({
      self: values[k], total: total.values[i][k], selfSamples: sum(v.selfSamples), totalSamples: sum(v.totalSamples),
      selfShare: shares.self(v), totalShare: shares.total(v),
      ...(withLines && e.lines[k] && e.lines[k] !== e.line ? { line: e.lines[k] } : {}),
    });
    const before_ = side(r.b, self.values[i], 0, share.b);
    const after_ = side(r.a, self.values[i], 1, share.a);
    return {
      name: e.name, file: e.file, path: e.path, line: withLines ? e.line : 0, category: e.category,
      status: e.sides[0] && e.sides[1] ? 'both' : e.sides[0] ? 'removed' : 'added',
      before: before_, after: after_, self: self.changes[i], total: total.changes[i],
      deltaSelfSharePts: (after_.selfShare - before_.selfShare) * 100,
      ...(withLines && e.blocking ? { blocking: e.blocking } : {}),
    };
  });
  const mag = (r: DiffRow) => Math.abs(sortBy === 'self' ? r.self.delta : r.total.delta);
  const other = (r: DiffRow) => Math.abs(sortBy === 'self' ? r.total.delta : r.self.delta);
  out.sort((x, y) => mag(y) - mag(x) || other(y) - other(x) || x.name.localeCompare(y.name));
  return { rows: out, ...(self.summary ? { summary: self.summary } : {}) };
}

/**
 * Compares two profiles, or two sets of runs of the same command (N >= 2 per side: Welch's
 * interval on the per-run values). Throws DiffError when a side lacks the kind compared.
 */
export function diffProfiles(beforeIn: ProfileModel | ProfileModel[], afterIn: ProfileModel | ProfileModel[], options: DiffOptions = {}): ProfileDiff {
  const before = models(beforeIn);
  const after = models(afterIn);
  if (!before.length || !after.length) throw new DiffError('Give at least one profile per side.');
  const factor = options.factor ?? 2;
  const all = (ms: ProfileModel[], k: DiffKind) => ms.every((m) => hasKind(m, k));
  const kind: DiffKind = options.kind ?? (all(before, 'cpu') && all(after, 'cpu') ? 'cpu' : all(before, 'heap') && all(after, 'heap') ? 'heap' : describeKinds(before, after));
  for (const [ms, side] of [[before, 'before'], [after, 'after']] as const) {
    if (!all(ms, kind)) {
      const has = ms.map((m) => kindsOf(m)).find((k) => !k.includes(kind)) ?? [];
      throw new DiffError(`The ${side} side has no ${kind === 'cpu' ? 'CPU samples' : 'heap allocation samples'} (it holds ${has.length ? has.join(' and ') : 'no CPU or heap profile'}); both sides need the kind compared.${unreadable(ms)}`);
    }
  }
  const method: DiffMethod = before.length >= 2 && after.length >= 2 ? 'welch' : 'sampling';
  const totals: ProfileDiff['totals'] = {};
  if (all(before, 'cpu') && all(after, 'cpu')) totals.cpu = totalDiff(before, after, 'cpu', method, factor);
  if (all(before, 'heap') && all(after, 'heap')) totals.heap = totalDiff(before, after, 'heap', method, factor);
  const whole = totals[kind]!;
  const sortBy = options.sortBy ?? 'self';
  const fdr = options.fdr ?? 0.05;
  const fn = rows(before, after, kind, () => functionGrouping, method, factor, sortBy, true, fdr);
  const mod = rows(before, after, kind, (m) => moduleGrouping(m.root), method, factor, sortBy, false, fdr);
  const functions = fn.rows;
  const modules = mod.rows;
  const onCpu = kind === 'cpu' ? onCpuTotals(before, after, method, factor) : undefined;
  const notes: string[] = [];
  const same = options.sources ? options.sources.before.filter((b) => options.sources!.after.some((a) => path.resolve(a) === path.resolve(b))) : [];
  if (same.length) notes.push(`The same ${same.length === 1 ? 'profile' : 'profiles'} on both sides (${same.join(', ')}): ${same.length === options.sources!.before.length && same.length === options.sources!.after.length ? 'every difference is 0 by construction; compare two different runs' : 'the shared runs make the sides look more alike than they are'}.`);
  // A profile left out of a run (missing, truncated) changes what is compared: say so first.
  notes.push(...unreadableNotes([...before, ...after]));
  // Launchers left out of a run (one note per run; bench/profiled.ts's launcherNotes merges them).
  notes.push(...[...before, ...after].flatMap((m) => m.notes.filter((n) => n.startsWith(LAUNCHER_NOTE_PREFIX))));
  if (method === 'sampling' && (before.length > 1 || after.length > 1)) {
    notes.push(`Several runs on one side only (${before.length} before, ${after.length} after): the ± is the sampling error of the per-run means and no function gets a verdict; give 2 or more runs on both sides.`);
  }
  if (onCpu && !onCpu.measuredCpu && [...before, ...after].some((m) => measuredThreads(m))) notes.push('Measured CPU is left out: not every run measured all of its threads (a thread killed before its exit handler, or runs recorded before Hotpath measured it).');
  const moved = functions.filter((r) => r.before.line !== undefined || r.after.line !== undefined).length;
  if (moved) notes.push(`${moved} function(s) moved to another line in the same file; they are matched by name and file (each side's line is shown).`);
  for (const r of memoizedPairs(functions)) {
    notes.push(`${r.name} (${r.file}) runs its body as _${r.name}_impl after Hotpath's memoize fix (${r.name} is now the cache in front of it): read ${r.name}'s Δ total, ${signed(r.total.delta, kind)} ±${fmt(r.total.margin, kind)} (${r.total.verdict}), which includes _${r.name}_impl, rather than the two Δ self rows.`);
  }
  const gaps = [before, after].map(meanGapMs);
  if (gaps.every((g) => g > 0) && Math.max(...gaps) > 1.25 * Math.min(...gaps)) {
    if (method === 'welch') notes.push(`CPU samples were further apart on the ${gaps[1] > gaps[0] ? 'after' : 'before'} side: one per ${gaps[0].toFixed(1)} ms before, ${gaps[1].toFixed(1)} ms after (another interval, or a busy machine delayed samples). The function and module rows are built from sample counts, which such delays do not inflate; the sampled totals are.`);
    else notes.push(`CPU samples were further apart on the ${gaps[1] > gaps[0] ? 'after' : 'before'} side: one per ${gaps[0].toFixed(1)} ms before, ${gaps[1].toFixed(1)} ms after. Either the sampling intervals differ, or a busy machine delayed samples: a delayed sample's time goes to whatever runs when sampling resumes, so the differences may be larger than the ± says. Record both sides with the same interval on a quieter machine, or several runs per side.`);
  }
  if (kind === 'heap' && whole.beforeSamples + whole.afterSamples === 0) notes.push('The heap profiles list no samples, so there is no sampling error and no verdict (record them with a Node that writes the samples list, or with hotpath profile --heap).');
  const ratio = whole.before > 0 ? whole.after / whole.before : Number.NaN;
  if (Number.isFinite(ratio) && (ratio > 1.25 || ratio < 0.8)) {
    notes.push(`The sides differ in length: ${fmt(whole.after, kind)} after vs ${fmt(whole.before, kind)} before (x${ratio.toFixed(2)}); compare the shares of each side's total as well as the absolute values.`);
  }
  return {
    kind, unit: kind === 'cpu' ? 'ms' : 'bytes', method, runs: { before: before.length, after: after.length },
    noiseLabel: method === 'sampling' ? NOISE_LABEL_SAMPLING : fn.summary?.name === 'counts' ? noiseLabelCounts(before.length, after.length, fdr) : noiseLabelWelch(before.length, after.length),
    factor, totals, ...(onCpu ? { onCpu } : {}), functions, modules,
    ...(fn.summary && mod.summary ? { tests: { functions: fn.summary, modules: mod.summary } } : {}),
    notes,
  };
}

/** A total of plain per-run values (no samples): Welch with 2+ runs per side, else no spread and no verdict. */
function plainTotal(b: number[], a: number[], method: DiffMethod, kind: DiffKind): DiffTotal {
  const mb = sum(b) / b.length;
  const ma = sum(a) / a.length;
  const delta = ma - mb;
  const sd = (xs: number[], m: number) => (xs.length > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1) / xs.length) : Number.NaN);
  if (method !== 'welch') {
    return { before: mb, after: ma, beforeError: Number.NaN, afterError: Number.NaN, beforeSamples: 0, afterSamples: 0, change: { delta, error: Number.NaN, margin: Number.NaN, verdict: 'not tested' } };
  }
  const w = welchInterval(b, a);
  return {
    before: mb, after: ma, beforeError: sd(b, mb), afterError: sd(a, ma), beforeSamples: 0, afterSamples: 0,
    change: { delta, error: w.se, margin: w.margin, verdict: judge(delta, w.se, w.margin, kind) },
  };
}

/** Measured CPU and run-queue time per run (when every thread of every run was measured) and sampled waiting time. */
function onCpuTotals(before: ProfileModel[], after: ProfileModel[], method: DiffMethod, factor: number): OnCpuTotals {
  const m = (ms: ProfileModel[]) => ms.map(measuredThreads);
  const mb = m(before);
  const ma = m(after);
  const complete = [...mb, ...ma].every((x) => x && x.measured === x.threads);
  const queued = complete && [...mb, ...ma].every((x) => x!.runQueueMs !== undefined);
  const wb = before.map(sampledWaiting);
  const wa = after.map(sampledWaiting);
  const w = change(wb.map((x) => x.ms), wb.map((x) => x.samples), wa.map((x) => x.ms), wa.map((x) => x.samples), method, factor, 'cpu');
  const waiting: DiffTotal = {
    before: w.b.mean, after: w.a.mean, beforeError: w.b.error, afterError: w.a.error, beforeSamples: w.b.samples, afterSamples: w.a.samples,
    change: { delta: w.delta, error: w.error, margin: w.margin, verdict: method === 'welch' ? w.verdict : 'not tested' },
  };
  return {
    ...(complete ? { measuredCpu: plainTotal(mb.map((x) => x!.cpuMs), ma.map((x) => x!.cpuMs), method, 'cpu') } : {}),
    ...(queued ? { runQueue: plainTotal(mb.map((x) => x!.runQueueMs!), ma.map((x) => x!.runQueueMs!), method, 'cpu') } : {}),
    waiting,
    ...(complete ? { source: mb[0]!.source } : {}),
  };
}

/** Mean time per CPU sample over a side's runs (ms); 0 without CPU samples. */
function meanGapMs(ms: ProfileModel[]): number {
  let us = 0;
  let n = 0;
  for (const m of ms) {
    us += m.cpu?.totalUs ?? 0;
    n += m.cpu?.sampleCount ?? 0;
  }
  return n > 0 ? us / n / 1000 : 0;
}

/** Rows of functions that Hotpath's memoize fix split into a cache (same name) and `_<name>_impl` (added), same file. */
function memoizedPairs(functions: DiffRow[]): DiffRow[] {
  const added = new Set(functions.filter((r) => r.status === 'added').map((r) => `${r.file}\0${r.name}`));
  return functions.filter((r) => r.status !== 'added' && added.has(`${r.file}\0_${r.name}_impl`));
}

function signed(v: number, kind: DiffKind): string {
  return `${v > 0 ? '+' : v < 0 ? '-' : ''}${fmt(Math.abs(v), kind)}`;
}

/** As the tables round (whole ms from 100 ms up), so a note's numbers read like the rows'. */
function fmt(v: number, kind: DiffKind): string {
  return kind === 'cpu' ? `${Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1)} ms` : `${(v / 1048576).toFixed(2)} MB`;
}

function kindsOf(m: ProfileModel): string[] {
  const out: string[] = [];
  if (hasKind(m, 'cpu')) out.push('CPU samples');
  else if (m.cpu) out.push('a CPU profile without samples');
  if (hasKind(m, 'heap')) out.push('heap allocations');
  else if (m.alloc) out.push('a heap profile without samples');
  if (m.imports) out.push('module load times');
  return out;
}

function describeKinds(before: ProfileModel[], after: ProfileModel[]): never {
  const b = [...new Set(before.flatMap(kindsOf))];
  const a = [...new Set(after.flatMap(kindsOf))];
  throw new DiffError(`The profiles cannot be compared: before holds ${b.join(' and ') || 'no CPU or heap profile'}, after holds ${a.join(' and ') || 'no CPU or heap profile'}; both sides need CPU samples, or both heap allocation samples.${unreadable([...before, ...after])}`);
}

/** The loader's notes on profile files of these runs it could not read (missing, truncated), once each. */
function unreadableNotes(ms: ProfileModel[]): string[] {
  return [...new Set(ms.flatMap((m) => m.notes.filter((n) => /could not be read/.test(n))))];
}

/** Why a run lacks a kind it was recorded with, for an error message ('' when nothing was unreadable). */
function unreadable(ms: ProfileModel[]): string {
  const why = unreadableNotes(ms);
  return why.length ? ` ${why.join(' ')}` : '';
}
