// Messages between the extension and the profile diff panel ("Compare Profiles…"). Pure data: no
// `vscode`, no DOM. The shapes mirror src/core/profile/diff.ts (a ProfileDiff fits DiffTableView);
// every message that crosses the boundary is checked by the guards below.

export type DiffKindView = 'cpu' | 'heap';

export interface DiffSideView {
  self: number;
  total: number;
  selfSamples: number;
  totalSamples: number;
  selfShare: number;
  totalShare: number;
  line?: number;
}

export interface DiffChangeView {
  delta: number;
  error: number;
  margin: number;
  verdict: string;
  /** The count test behind the verdict (2+ runs per side): ratio after / before with its interval, p, q. */
  test?: { tested: boolean; ratio: number; lo: number; hi: number; p: number; q: number };
}

export interface DiffRowView {
  name: string;
  file: string;
  path?: string;
  line: number;
  category: string;
  status: 'both' | 'added' | 'removed';
  before: DiffSideView;
  after: DiffSideView;
  self: DiffChangeView;
  total: DiffChangeView;
  deltaSelfSharePts: number;
  /** A known blocking call ('wait': its self time is waiting, not CPU). */
  blocking?: { kind: 'wait' | 'cpu'; what: string };
}

export interface DiffTotalView {
  before: number;
  after: number;
  beforeError: number;
  afterError: number;
  beforeSamples: number;
  afterSamples: number;
  change: DiffChangeView;
}

/**
 * The after side's call tree (its first run), pre-order with contiguous subtrees like
 * FlameGraphData, small nodes pruned; each frame points at its function row (or -1) so the page
 * can colour it by that function's Δ self and verdict: a differential flame graph.
 */
export interface DiffFlameView {
  frames: { name: string; file: string; path?: string; line: number; row: number; waiting?: boolean }[];
  nodes: { frame: number[]; parent: number[]; total: number[] };
  /** Nodes left out (narrower than the pruning threshold, or beyond the node cap). */
  omitted: number;
}

/** One kind's diff (CPU or heap), rows capped by the host. */
export interface DiffTableView {
  kind: DiffKindView;
  unit: 'ms' | 'bytes';
  method: 'sampling' | 'welch';
  runs: { before: number; after: number };
  noiseLabel: string;
  factor: number;
  totals: { cpu?: DiffTotalView; heap?: DiffTotalView };
  /** Measured CPU, run-queue and (sampled) blocking-call waiting time per run, beside the sampled total (CPU tables). */
  onCpu?: { measuredCpu?: DiffTotalView; runQueue?: DiffTotalView; waiting: DiffTotalView; source?: string };
  /** How the row verdicts were reached (2+ runs per side). */
  tests?: { functions: { name: string; fdr: number; tested: number; changed: number; dispersion: number }; modules: { name: string; fdr: number; tested: number; changed: number; dispersion: number } };
  functions: DiffRowView[];
  modules: DiffRowView[];
  notes: string[];
  /** Rows left out by the cap (functions, modules). */
  omitted?: { functions: number; modules: number };
  flame?: DiffFlameView;
}

export interface DiffView {
  title: string;
  beforeLabel: string;
  afterLabel: string;
  /** The kinds both sides hold; cpu first. */
  tables: DiffTableView[];
  /** When the runs are a comparison's and its profiled totals disagree with the timed verdict: the sentence (core/bench/story.ts). */
  story?: string;
  /** Launcher processes (npm, npx...): whether they are in the diff, and whether any were left out (the page's switch). */
  launchers?: { included: boolean; leftOut: boolean };
}

export type DiffSortKey = 'name' | 'file' | 'before' | 'after' | 'deltaSelf' | 'deltaTotal' | 'share' | 'verdict';

/** What the page keeps across reloads (and reports back to the host). */
export interface DiffPageState {
  kind: DiffKindView;
  table: 'functions' | 'modules';
  sort: { key: DiffSortKey; desc: boolean };
  filter: string;
  /** Table (default) or the differential flame graph. */
  view?: 'table' | 'flame';
  /** What the panel compares (set by the host), so a reload can diff the same inputs again. */
  source?: DiffSource;
}

/** Inputs of a diff: run folders or profile files per side, and the workspace root for paths. */
export interface DiffSource {
  before: string[];
  after: string[];
  root: string;
  /** Keep launcher processes (npm, npx, yarn, pnpm, corepack); default: the hotpath.diff.includeLaunchers setting. */
  includeLaunchers?: boolean;
  /** The timed comparison the runs belong to (from the prove panel), for the story sentence. */
  timed?: { verdict: 'faster' | 'slower' | 'no significant difference' | 'inconclusive'; changePct: number; n: { before: number; after: number }; metric: 'wall' | 'cpu' };
}

export type ToDiffMessage = { type: 'show'; view: DiffView; state?: DiffPageState } | { type: 'error'; message: string };

export type FromDiffMessage =
  | { type: 'ready' }
  | { type: 'open'; path: string; line: number }
  | { type: 'state'; state: DiffPageState; rendered: number }
  /** The page's "Include launchers" switch: diff again with or without them. */
  | { type: 'launchers'; include: boolean }
  | { type: 'error'; message: string };

const SORT_KEYS: readonly DiffSortKey[] = ['name', 'file', 'before', 'after', 'deltaSelf', 'deltaTotal', 'share', 'verdict'];

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number';
const isStr = (x: unknown): x is string => typeof x === 'string';

export function isDiffPageState(x: unknown): x is DiffPageState {
  if (!isObj(x) || !isObj(x.sort)) return false;
  return (x.kind === 'cpu' || x.kind === 'heap') && (x.table === 'functions' || x.table === 'modules')
    && SORT_KEYS.includes(x.sort.key as DiffSortKey) && typeof x.sort.desc === 'boolean' && isStr(x.filter) && (x.source === undefined || isDiffSource(x.source)) && (x.view === undefined || x.view === 'table' || x.view === 'flame');
}

export function isDiffSource(x: unknown): x is DiffSource {
  const list = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every(isStr);
  const t = isObj(x) ? x.timed : undefined;
  const timed = t === undefined || (isObj(t) && isStr(t.verdict) && isNum(t.changePct) && isObj(t.n) && isNum(t.n.before) && isNum(t.n.after) && (t.metric === 'wall' || t.metric === 'cpu'));
  return isObj(x) && list(x.before) && list(x.after) && isStr(x.root) && (x.includeLaunchers === undefined || typeof x.includeLaunchers === 'boolean') && timed;
}

function isSide(x: unknown): x is DiffSideView {
  return isObj(x) && isNum(x.self) && isNum(x.total) && isNum(x.selfShare) && isNum(x.totalShare) && (x.line === undefined || isNum(x.line));
}

function isChange(x: unknown): x is DiffChangeView {
  // NaN (no sample counts) travels as null through JSON: accepted and shown as '?'.
  const n = (v: unknown) => isNum(v) || v === null;
  return isObj(x) && n(x.delta) && n(x.error) && n(x.margin) && isStr(x.verdict);
}

function isRow(x: unknown): x is DiffRowView {
  return isObj(x) && isStr(x.name) && isStr(x.file) && isNum(x.line) && isStr(x.category) && (x.path === undefined || isStr(x.path))
    && (x.status === 'both' || x.status === 'added' || x.status === 'removed') && isSide(x.before) && isSide(x.after) && isChange(x.self) && isChange(x.total);
}

function isFlame(x: unknown): x is DiffFlameView {
  if (!isObj(x) || !isObj(x.nodes) || !Array.isArray(x.frames) || !isNum(x.omitted)) return false;
  const { frame, parent, total } = x.nodes;
  if (!Array.isArray(frame) || !Array.isArray(parent) || !Array.isArray(total) || frame.length === 0 || parent.length !== frame.length || total.length !== frame.length) return false;
  const nf = x.frames.length;
  if (!x.frames.every((f) => isObj(f) && isStr(f.name) && isStr(f.file) && isNum(f.line) && isNum(f.row) && (f.path === undefined || isStr(f.path)))) return false;
  // Pre-order: every parent comes before its child (node 0 is the root).
  for (let i = 0; i < frame.length; i++) {
    const p = parent[i];
    if (!isNum(frame[i]) || frame[i] < 0 || frame[i] >= nf || !isNum(total[i]) || !isNum(p) || (i === 0 ? p !== -1 : p < 0 || p >= i)) return false;
  }
  return true;
}

function isTable(x: unknown): x is DiffTableView {
  return isObj(x) && (x.kind === 'cpu' || x.kind === 'heap') && (x.unit === 'ms' || x.unit === 'bytes') && (x.method === 'sampling' || x.method === 'welch')
    && isObj(x.runs) && isStr(x.noiseLabel) && isObj(x.totals) && Array.isArray(x.functions) && x.functions.every(isRow)
    && Array.isArray(x.modules) && x.modules.every(isRow) && Array.isArray(x.notes) && x.notes.every(isStr)
    && (x.flame === undefined || isFlame(x.flame));
}

export function isDiffView(x: unknown): x is DiffView {
  const l = isObj(x) ? x.launchers : undefined;
  return isObj(x) && isStr(x.title) && isStr(x.beforeLabel) && isStr(x.afterLabel) && Array.isArray(x.tables) && x.tables.length > 0 && x.tables.every(isTable)
    && (x.story === undefined || isStr(x.story)) && (l === undefined || (isObj(l) && typeof l.included === 'boolean' && typeof l.leftOut === 'boolean'));
}

export function parseToDiff(x: unknown): ToDiffMessage | undefined {
  if (!isObj(x)) return undefined;
  if (x.type === 'show' && isDiffView(x.view) && (x.state === undefined || isDiffPageState(x.state))) return x as ToDiffMessage;
  if (x.type === 'error' && isStr(x.message)) return x as ToDiffMessage;
  return undefined;
}

export function parseFromDiff(x: unknown): FromDiffMessage | undefined {
  if (!isObj(x)) return undefined;
  if (x.type === 'ready') return { type: 'ready' };
  if (x.type === 'open' && isStr(x.path) && isNum(x.line)) return { type: 'open', path: x.path, line: x.line };
  if (x.type === 'state' && isDiffPageState(x.state) && isNum(x.rendered)) return { type: 'state', state: x.state, rendered: x.rendered };
  if (x.type === 'launchers' && typeof x.include === 'boolean') return { type: 'launchers', include: x.include };
  if (x.type === 'error' && isStr(x.message)) return { type: 'error', message: x.message };
  return undefined;
}
