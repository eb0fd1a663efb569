// The leak hunt's results: `hotpath leaks --json` and the panel. A contract: add, never rename.

export type LeakVerdict = 'growing' | 'flat' | 'not enough data';

export interface GrowthFit {
  /** Bytes per iteration (iteration mode) or per second (time mode): the OLS slope over every point. */
  slope: number;
  /** Its 95 % Student-t interval. */
  lo: number;
  hi: number;
  level: number;
  n: number;
  r2: number | null;
}

export interface LeakPointOut {
  /** Iteration number (iteration mode) or seconds since the process started (time mode). */
  x: number;
  /** ms since the process's preload started. */
  t: number;
  iteration: number;
  /** heapUsed + external - code after a full GC: what the growth is fitted on. */
  bytes: number;
  heapUsed: number;
  external: number;
  /** V8's code space (machine code of JIT-compiled functions; it moves with tiering, not with the program's data); null when not measured. */
  code: number | null;
  /** What the measurement cost inside the process (a forced full GC and the sampled profile). */
  costMs: number;
}

export interface LeakSuspectSite {
  name: string;
  /** Source-mapped file, relative to the root when inside it. */
  file: string;
  /** Absolute path, when on disk. */
  path: string | null;
  /** 1-based line and column of the function (V8 records the allocating function, not the statement). */
  line: number;
  column: number;
  /** The native or Node function that made the allocation on its behalf (e.g. `set`, `push`), or null. */
  via: string | null;
  /** Sampled live bytes per unit: slope and its 95 % interval. */
  slope: number;
  lo: number;
  hi: number;
  firstBytes: number;
  lastBytes: number;
  /** slope / the heap's slope (may exceed 1: sampled bytes are estimates). */
  share: number | null;
}

export interface RetainerStep {
  /** The edge from the previous object: property name, array index, closure variable... */
  edge: string;
  edgeType: string;
  /** The object reached: its type and name as the heap snapshot shows it. */
  type: string;
  name: string;
  /** For closures: where the function is defined (source-mapped), else null. */
  location: { file: string; path: string | null; line: number; column: number } | null;
  /** How many times this same step repeats in a row (a linked list such as the timers' _idlePrev chain). */
  repeat: number;
}

export interface LeakSuspectType {
  /** Snapshot node type (object, closure, array, string...) and constructor or class name. */
  type: string;
  name: string;
  /** Objects and self bytes in the baseline and final snapshots. */
  countBefore: number;
  countAfter: number;
  bytesBefore: number;
  bytesAfter: number;
  /** Objects allocated after the baseline and still alive at the final snapshot. */
  newCount: number;
  newBytes: number;
  /** Share of the sampled new objects (up to 400) whose retainer path has the representative's shape; null without one. */
  traceShare: number | null;
  /** From a GC root to a representative new object (one on the most common path), shortest path over strong edges. */
  retainers: RetainerStep[];
}

export interface ProcessLeaks {
  pid: number;
  threadId: number;
  commandLine: string;
  mode: 'iteration' | 'time';
  /** 'iteration' or 'second'. */
  unit: 'iteration' | 'second';
  warmup: number;
  points: LeakPointOut[];
  growth: GrowthFit | null;
  /** The same fit over the later half of the points (by x): a one-time step is not a trend. */
  lateGrowth: GrowthFit | null;
  verdict: LeakVerdict;
  /** Why this verdict, in words. */
  reason: string;
  suspects: LeakSuspectSite[];
  types: LeakSuspectType[];
  snapshots: { role: string; file: string; bytes: number; ms: number }[];
  /** Sum of the measurement costs inside the process (ms). */
  measureMs: number;
  /** Live metrics about once a second (heap, CPU, event-loop delay; runner/preloadLive.ts), at most 600 (evenly thinned). */
  live: import('../runner/liveSample').LiveSample[];
  notes: string[];
}

export interface LeaksReport {
  command: string;
  cwd: string;
  wallMs: number;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  outDir: string | null;
  /** growing if any process grows; flat if every measured process is flat; else not enough data. */
  verdict: LeakVerdict;
  processes: ProcessLeaks[];
  notes: string[];
}
