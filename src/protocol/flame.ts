// The one message protocol between the extension (or the standalone HTML report) and the flame
// graph webview. Pure data: no `vscode`, no DOM. Both sides import this file; every message
// that crosses the boundary is checked with the guards below before use.

/** What a frame is, for colouring and the "my code only" filter. */
/**
 * 'waiting': frames of blocking calls the thread waits in (spawnSync, fs *Sync; see
 * src/core/profile/blocking.ts): time on the stack, not CPU time. Only the flame graphs use it.
 */
export type CategoryKind = 'workspace' | 'dependency' | 'node' | 'gc' | 'idle' | 'program' | 'native' | 'waiting';

export interface FlameCategory {
  kind: CategoryKind;
  /** Label for the legend: "Your code", a package name, "Node internals", "GC", "Idle"... */
  label: string;
}

export interface FlameFrame {
  name: string;
  /** Display path: relative to the workspace where possible. Empty when unknown. */
  file: string;
  /** Absolute path (after source mapping) used to open the source; absent when not on disk. */
  path?: string;
  /** 1-based; 0 when unknown. */
  line: number;
  /** 1-based; 0 when unknown. */
  column: number;
  /** Index into FlameGraphData.categories. */
  category: number;
  /** Import tree: the module's own load time was not measured; its self value is no figure (shown "not measured", never 0). */
  notMeasured?: boolean;
}

/**
 * A call tree (or import tree, or allocation tree) in pre-order: a node's subtree is the
 * contiguous range [i, i + size). Node 0 is the synthetic root. Values are in `unit`.
 */
export interface FlameGraphData {
  kind: 'cpu' | 'alloc' | 'imports';
  unit: 'us' | 'bytes';
  title: string;
  categories: FlameCategory[];
  frames: FlameFrame[];
  nodes: {
    frame: number[];
    parent: number[];
    self: number[];
    total: number[];
    /**
     * Samples behind each node's `self` value, when known: CPU samples ('cpu'), heap samples
     * ('alloc', from the .heapprofile's sample list). A subtree's count is the sum over it. The
     * sampling error of a sampled value is value / sqrt(count) (src/core/stats/sampling.ts).
     * Absent for 'imports' (times measured by the module timer, not sampled) and for data saved
     * before heap counts were kept.
     */
    samples?: number[];
  };
  /** Leaf node per sample and its duration, in time order: enables the time-ordered layout. */
  timeline?: { node: number[]; duration: number[] };
  /**
   * Root node of each captured process/thread (children of node 0). `launcher`: the name of a
   * package-manager launcher (npm, npx, yarn...) that only starts the program; the panel folds
   * those by default. `notes`: the entries of `notes` about this process alone.
   */
  processes?: { pid: number; threadId: number; label: string; node: number; launcher?: string; notes?: string[] }[];
  /** Things the user should know: missing source maps, truncated profile... */
  notes?: string[];
}

/**
 * The graph's per-node sample counts when they are usable: one finite count >= 0 per node.
 * Undefined otherwise (absent, wrong length, or a bad entry), so the view shows no ± rather
 * than a wrong one.
 */
export function sampleCounts(nodes: { frame: ArrayLike<number>; samples?: ArrayLike<number> }): ArrayLike<number> | undefined {
  const s = nodes.samples;
  if (!s || typeof s.length !== 'number' || s.length !== nodes.frame.length) return undefined;
  for (let i = 0; i < s.length; i++) {
    const v = s[i];
    if (typeof v !== 'number' || !(v >= 0) || v === Infinity) return undefined;
  }
  return s;
}

/** Whether the graph's values are sampled (they carry a sampling error) or measured. */
export function isSampledGraph(g: Pick<FlameGraphData, 'kind'>): boolean {
  return g.kind === 'cpu' || g.kind === 'alloc';
}

/** View state the webview persists (getState/setState) and the extension restores. */
export interface FlameViewState {
  graph: number;
  zoomNode?: number;
  focusFrame?: number;
  search?: string;
  layout?: 'left-heavy' | 'time-ordered';
  inverted?: boolean;
  myCodeOnly?: boolean;
  /** Show package-manager launcher processes (npm, npx...) instead of folding them. */
  showLaunchers?: boolean;
  /** The table below the graph: call tree, by function, or the sandwich of the selected function. */
  table?: 'tree' | 'functions' | 'sandwich';
}

export type ToWebviewMessage =
  /** `liveSeries`: the run kept a live series (heap, CPU, loop delay): the page offers to open it. */
  | { type: 'init'; graphs: FlameGraphData[]; state?: FlameViewState; liveSeries?: boolean }
  | { type: 'revealFrame'; path: string; line: number };

export type FromWebviewMessage =
  | { type: 'ready' }
  | { type: 'openSource'; path: string; line: number; column: number }
  | { type: 'state'; state: FlameViewState }
  /** Open the live panel of the run shown (only offered when init said liveSeries). */
  | { type: 'showLive' }
  | { type: 'error'; message: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** Validates a message coming from the webview; returns undefined for anything malformed. */
export function parseFromWebview(raw: unknown): FromWebviewMessage | undefined {
  if (!isObject(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'showLive':
      return { type: 'showLive' };
    case 'openSource':
      if (typeof raw.path === 'string' && raw.path.length > 0 && Number.isInteger(raw.line) && Number.isInteger(raw.column)) {
        return { type: 'openSource', path: raw.path, line: raw.line as number, column: raw.column as number };
      }
      return undefined;
    case 'state':
      return isObject(raw.state) && Number.isInteger(raw.state.graph) ? { type: 'state', state: raw.state as unknown as FlameViewState } : undefined;
    case 'error':
      return typeof raw.message === 'string' ? { type: 'error', message: raw.message } : undefined;
    default:
      return undefined;
  }
}

/** Validates a message coming from the extension host. */
export function parseToWebview(raw: unknown): ToWebviewMessage | undefined {
  if (!isObject(raw) || typeof raw.type !== 'string') return undefined;
  if (raw.type === 'init' && Array.isArray(raw.graphs)) return raw as unknown as ToWebviewMessage;
  if (raw.type === 'revealFrame' && typeof raw.path === 'string' && Number.isInteger(raw.line)) return raw as unknown as ToWebviewMessage;
  return undefined;
}
