// Messages between the extension and the "prove" panel (benchmark history and before/after
// comparisons). Pure data: no `vscode`, no DOM. Every message that crosses the boundary is
// checked by the guards below; the page draws only what passed them.

export type ProveMetric = 'wall' | 'cpu';

/** One metric of one benchmark: the successful measured runs and their statistics. */
export interface MetricView {
  /** Successful measured runs (ms), in the order they ran; warm-ups and failures left out. */
  values: number[];
  n: number;
  median: number;
  /** 95 % (or `level`) bootstrap interval of the median. */
  lo: number;
  hi: number;
  level: number;
  q1: number;
  q3: number;
  iqr: number;
  min: number;
  max: number;
  mad: number;
  /** Indexes into `values` outside Tukey's fences (reported, kept in every statistic). */
  outliers: number[];
}

export interface FailedRunView {
  /** Position in the whole run sequence (0-based, warm-ups included). */
  order: number;
  error: string;
}

/** One stored benchmark, reduced to what the page shows. */
export interface BenchView {
  id: string;
  label?: string;
  command: string;
  /** ISO time. */
  createdAt: string;
  commit?: string;
  dirty?: boolean;
  branch?: string;
  /** Set when the code measured was a git ref (temporary worktree) or a checkpoint copy. */
  ref?: string;
  runs: number;
  warmup: number;
  /** Successful measured runs. */
  n: number;
  failed: number;
  failedRuns: FailedRunView[];
  wall: MetricView | null;
  /** null when CPU time is not measured on the platform (or some run lacked it). */
  cpu: MetricView | null;
  /** 'proc-stat' (Linux, 10 ms resolution) or 'none'. */
  cpuSource: string;
  nodeVersion: string;
  platform: string;
}

export interface ComparisonView {
  metric: ProveMetric;
  /** median(after) / median(before); below 1 means after is faster. */
  ratio: number;
  ratioLo: number;
  ratioHi: number;
  level: number;
  changePct: number;
  changePctLo: number;
  changePctHi: number;
  p: number;
  /** e.g. 'exact' or 'normal' (the rank test's method). */
  method: string;
  alpha: number;
  verdict: 'faster' | 'slower' | 'no significant difference' | 'inconclusive';
  reasons: string[];
  sentence: string;
}

/** One function of "Where the time moved": sampled CPU self time per run (ms), before and after. */
export interface ProfileRowView {
  name: string;
  /** Display path (relative to the workspace folder when inside it). */
  file: string;
  line: number;
  before: number;
  after: number;
  /** after - before, and the ± its verdict uses. */
  delta: number;
  margin: number;
  /** 'slower' | 'faster' | 'within noise' | 'unknown' | 'not tested' (one run per side). */
  verdict: string;
  /** 'both' | 'added' | 'removed'. */
  status: string;
  /** A blocking call: "waiting (child process)" (its self time is waiting, not CPU) or "blocking native work (zlib)". */
  blocking?: string;
  /** The function's file is one the change touched (listed first). */
  changedFile?: boolean;
  /** 'self' (default) or 'total': which time the row's numbers are (a function of a touched file whose total changed). */
  which?: 'self' | 'total';
  /** After / before of the normalised sample counts, with the interval the verdict uses (2+ runs per side). */
  ratio?: { value: number; lo: number; hi: number };
}

/** The profile diff of a comparison's profiled runs (recorded after its timed runs). */
export interface ProfileDiffView {
  /** Stored run folders per side (what "Open Profile Diff" passes to hotpath.compareProfiles). */
  runs: { before: string[]; after: string[] };
  /** Profiled runs requested per side. */
  requested: number;
  /** 'sampling' (one run per side) or 'welch'. */
  method: string;
  /** What the ± is, in words. */
  noiseLabel: string;
  /** Sampled time on the threads' stacks (idle excluded; not CPU time) per run, with the change's ± and verdict; null without a diff. */
  total: { before: number; after: number; delta: number; margin: number; verdict: string } | null;
  /** Functions whose self time changed beyond the noise. */
  changed: number;
  /** Measured CPU and run-queue time of the profiled threads, and sampled time in blocking waits, per run (ms); absent when not measured. */
  onCpu?: {
    cpu?: { before: number; after: number; delta: number; margin: number; verdict: string };
    runQueue?: { before: number; after: number };
    waiting: { before: number; after: number };
  };
  /** When the profiled totals disagree with the timed verdict: the one sentence that says so and why (core/bench/story.ts). */
  story?: string;
  /** Display paths of the files the change touched (their functions come first). */
  changedFiles?: string[];
  /** Functions tested, and the false discovery rate held across them (2+ runs per side). */
  tested?: number;
  fdr?: number;
  /** Sampling interval of the profiled runs, µs. */
  intervalUs?: number;
  /** The changed functions (at most 10, largest |delta| first), or the 3 largest changes when none changed. */
  rows: ProfileRowView[];
  notes: string[];
  /** Set when there is no diff (no profiled run succeeded on a side, cancelled...). */
  error?: string;
}

export interface HistoryView {
  kind: 'history';
  /** One series per command line, oldest benchmark first. */
  series: { command: string; points: BenchView[] }[];
  /** Store entries that could not be read (skipped). */
  warnings: string[];
}

export interface CompareView {
  kind: 'compare';
  title: string;
  before: BenchView;
  after: BenchView;
  /** Names of the two sides, e.g. "HEAD (abc1234)" and "working tree". */
  beforeLabel: string;
  afterLabel: string;
  /** Whether the two sides ran interleaved in one session (A/B) or are two stored benchmarks. */
  interleaved: boolean;
  wall: ComparisonView | null;
  cpu: ComparisonView | null;
  /** "Where the time moved", when the comparison recorded profiled runs. */
  profile?: ProfileDiffView;
}

export type ProveView = HistoryView | CompareView;

/** What the panel shows, by reference: the extension re-reads the store after a reload. */
export type ProveSource = { kind: 'history' } | { kind: 'compare'; before: string; after: string; beforeLabel?: string; afterLabel?: string; profile?: ProfileDiffView };

/** View state the page persists (getState/setState) and the serializer restores. */
export interface ProveViewState {
  source: ProveSource;
  metric?: ProveMetric;
  /** History: the command whose series is shown. */
  command?: string;
}

export type ToProveMessage = { type: 'show'; view: ProveView; state?: ProveViewState };

export type FromProveMessage =
  | { type: 'ready' }
  | { type: 'state'; state: ProveViewState }
  /** "Open Profile Diff": the host runs hotpath.compareProfiles with the view's profiled runs. */
  | { type: 'openProfileDiff' }
  | { type: 'error'; message: string };

// ---- guards -------------------------------------------------------------------------------

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
/** A number or NaN (JSON turns NaN into null, which is accepted and read as NaN). */
const isNum = (v: unknown): boolean => typeof v === 'number' || v === null;
const isInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const optStr = (v: unknown) => v === undefined || isStr(v);
const optBool = (v: unknown) => v === undefined || typeof v === 'boolean';
const numArray = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));
const isMetric = (v: unknown): v is ProveMetric => v === 'wall' || v === 'cpu';
const VERDICTS = ['faster', 'slower', 'no significant difference', 'inconclusive'];

function isMetricView(v: unknown): boolean {
  if (v === null) return true;
  if (!isObject(v) || !numArray(v.values) || !isInt(v.n) || (v.values as number[]).length !== v.n) return false;
  if (!['median', 'lo', 'hi', 'level', 'q1', 'q3', 'iqr', 'min', 'max', 'mad'].every((k) => isNum(v[k]))) return false;
  return Array.isArray(v.outliers) && v.outliers.every((i) => isInt(i) && i < (v.n as number));
}

export function isBenchView(v: unknown): v is BenchView {
  if (!isObject(v)) return false;
  if (!isStr(v.id) || !isStr(v.command) || !isStr(v.createdAt) || !optStr(v.label) || !optStr(v.commit) || !optBool(v.dirty) || !optStr(v.branch) || !optStr(v.ref)) return false;
  if (!isInt(v.runs) || !isInt(v.warmup) || !isInt(v.n) || !isInt(v.failed)) return false;
  if (!Array.isArray(v.failedRuns) || v.failedRuns.length !== v.failed || !v.failedRuns.every((f) => isObject(f) && isInt(f.order) && isStr(f.error))) return false;
  if (!isStr(v.cpuSource) || !isStr(v.nodeVersion) || !isStr(v.platform)) return false;
  if (!isMetricView(v.wall) || !isMetricView(v.cpu)) return false;
  // n is the number of successful runs: the wall sample must hold exactly that many values.
  return v.wall === null ? v.n === 0 : (v.wall as Obj).n === v.n;
}

export function isComparisonView(v: unknown): v is ComparisonView {
  if (!isObject(v) || !isMetric(v.metric)) return false;
  if (!['ratio', 'ratioLo', 'ratioHi', 'level', 'changePct', 'changePctLo', 'changePctHi', 'p', 'alpha'].every((k) => isNum(v[k]))) return false;
  return isStr(v.method) && VERDICTS.includes(v.verdict as string) && Array.isArray(v.reasons) && v.reasons.every(isStr) && isStr(v.sentence);
}

const strArray = (v: unknown) => Array.isArray(v) && v.every(isStr);

function isProfileRowView(v: unknown): boolean {
  const ratio = v && (v as Obj).ratio;
  return isObject(v) && isStr(v.name) && isStr(v.file) && isInt(v.line) && ['before', 'after', 'delta', 'margin'].every((k) => isNum(v[k])) && isStr(v.verdict) && isStr(v.status)
    && optStr(v.blocking) && optBool(v.changedFile) && (v.which === undefined || v.which === 'self' || v.which === 'total')
    && (ratio === undefined || (isObject(ratio) && ['value', 'lo', 'hi'].every((k) => isNum(ratio[k]))));
}

function isPair(v: unknown): boolean {
  return isObject(v) && isNum(v.before) && isNum(v.after);
}

export function isProfileDiffView(v: unknown): v is ProfileDiffView {
  if (!isObject(v) || !isObject(v.runs) || !strArray(v.runs.before) || !strArray(v.runs.after)) return false;
  if (!isInt(v.requested) || !isStr(v.method) || !isStr(v.noiseLabel) || !isInt(v.changed) || !optStr(v.error)) return false;
  const t = v.total;
  if (t !== null && !(isObject(t) && ['before', 'after', 'delta', 'margin'].every((k) => isNum(t[k])) && isStr(t.verdict))) return false;
  const on = v.onCpu;
  if (on !== undefined && !(isObject(on) && isPair(on.waiting) && (on.runQueue === undefined || isPair(on.runQueue))
    && (on.cpu === undefined || (isObject(on.cpu) && ['before', 'after', 'delta', 'margin'].every((k) => isNum((on.cpu as Obj)[k])) && isStr((on.cpu as Obj).verdict))))) return false;
  if (!optStr(v.story) || (v.changedFiles !== undefined && !strArray(v.changedFiles))) return false;
  if ((v.tested !== undefined && !isInt(v.tested)) || (v.fdr !== undefined && !isNum(v.fdr)) || (v.intervalUs !== undefined && !isNum(v.intervalUs))) return false;
  return Array.isArray(v.rows) && v.rows.length <= 10 && v.rows.every(isProfileRowView) && strArray(v.notes);
}

export function isProveView(v: unknown): v is ProveView {
  if (!isObject(v)) return false;
  if (v.kind === 'history') {
    return Array.isArray(v.series) && v.series.every((s) => isObject(s) && isStr(s.command) && Array.isArray(s.points) && s.points.every(isBenchView))
      && Array.isArray(v.warnings) && v.warnings.every(isStr);
  }
  if (v.kind === 'compare') {
    return isStr(v.title) && isBenchView(v.before) && isBenchView(v.after) && isStr(v.beforeLabel) && isStr(v.afterLabel) && typeof v.interleaved === 'boolean'
      && (v.wall === null || isComparisonView(v.wall)) && (v.cpu === null || isComparisonView(v.cpu)) && (v.profile === undefined || isProfileDiffView(v.profile));
  }
  return false;
}

export function isProveSource(v: unknown): v is ProveSource {
  if (!isObject(v)) return false;
  if (v.kind === 'history') return true;
  return v.kind === 'compare' && isStr(v.before) && v.before.length > 0 && isStr(v.after) && v.after.length > 0 && optStr(v.beforeLabel) && optStr(v.afterLabel)
    && (v.profile === undefined || isProfileDiffView(v.profile));
}

export function isProveViewState(v: unknown): v is ProveViewState {
  return isObject(v) && isProveSource(v.source) && (v.metric === undefined || isMetric(v.metric)) && optStr(v.command);
}

/** Validates a message from the page; undefined for anything malformed. */
export function parseFromProve(raw: unknown): FromProveMessage | undefined {
  if (!isObject(raw)) return undefined;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'state':
      return isProveViewState(raw.state) ? { type: 'state', state: raw.state } : undefined;
    case 'error':
      return isStr(raw.message) ? { type: 'error', message: raw.message.slice(0, 2000) } : undefined;
    case 'openProfileDiff':
      return { type: 'openProfileDiff' };
    default:
      return undefined;
  }
}

/** Validates a message from the extension (or the data embedded in a standalone page). */
export function parseToProve(raw: unknown): ToProveMessage | undefined {
  if (!isObject(raw) || raw.type !== 'show' || !isProveView(raw.view)) return undefined;
  if (raw.state !== undefined && !isProveViewState(raw.state)) return undefined;
  return raw as unknown as ToProveMessage;
}
