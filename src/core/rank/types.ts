// Contracts of the ranking engine. Plain data only: the scanner produces `FileSignals`, the
// scorer turns them (plus optional measured data) into `ModuleRank`s. Field names of
// `ModuleRank` and `RankResult` are the `hotpath rank --json` contract of issue 5.

export type FactorName = 'startupImpact' | 'heavyDependencies' | 'memory' | 'initComplexity' | 'cpu';
export const FACTOR_NAMES: FactorName[] = ['startupImpact', 'heavyDependencies', 'memory', 'initComplexity', 'cpu'];

export interface Factor {
  /** 0 to 10. */
  score: number;
  evidence: string[];
  /** True when the score rests on a profile run, false when it is a static estimate. */
  measured: boolean;
  /**
   * Set when a profile run is used but did not capture what this factor measures (memory: no heap
   * sampling): the score is the static estimate, and views say "not captured" instead of a figure.
   */
  notCaptured?: true;
}

export type PatternKind = 'lazy-load' | 'memoize' | 'pool' | 'dependency-reduction' | 'async-init';
export type Risk = 'low' | 'medium' | 'high';

export interface Site {
  /** 1-based. */
  line: number;
  detail: string;
}

export interface Pattern {
  kind: PatternKind;
  sites: Site[];
}

/** What a file is for (roles.ts): only 'product' modules are ranked unless asked (`all`). */
export type ModuleRole = 'product' | 'test' | 'fixture' | 'example' | 'benchmark' | 'script';
export const MODULE_ROLES: ModuleRole[] = ['product', 'test', 'fixture', 'example', 'benchmark', 'script'];

export interface ModuleRank {
  /** Path relative to the ranked root, with forward slashes. */
  file: string;
  /** Absolute path, for opening the file. */
  path: string;
  score: number;
  risk: Risk;
  riskReasons: string[];
  factors: Record<FactorName, Factor>;
  patterns: Pattern[];
  /** What the file is for, from its path. */
  role: ModuleRole;
  /**
   * What orders modules of equal score, in this order: the score before the estimate cap and
   * rounding; whether an entry point (package.json main, bin, exports) loads it at startup
   * through top-level imports (null: no entry point known); how many ranked modules import it.
   * Set by rankResult.
   */
  tieBreak?: { uncapped: number; startup: boolean | null; importedBy: number };
}

export interface Skipped {
  file: string;
  reason: string;
}

export interface RankResult {
  root: string;
  modules: ModuleRank[];
  skipped: Skipped[];
  /** Files ranked but not listed, by role (tests, fixtures, examples, benchmarks, scripts); empty with `all`. */
  leftOut: Partial<Record<ModuleRole, number>>;
  /** Where measured data came from (a run id, a profile file), when any was given. */
  measuredFrom?: string;
  stats: { files: number; parsed: number; skipped: number; ms: number };
}

/** One import/require of a module, found statically. */
export interface ImportSite {
  specifier: string;
  /** npm package name for bare specifiers (`@scope/name` or `name`), undefined otherwise. */
  pkg?: string;
  line: number;
  kind: 'import' | 'require' | 'dynamic-import' | 'export-from';
  /** Evaluated when the module loads (not inside a function body). */
  topLevel: boolean;
  /** `import type` / `export type`: erased, costs nothing. */
  typeOnly: boolean;
  /** Inside a loop body (a require in a loop re-resolves on each pass). */
  inLoop: boolean;
  /** Local names bound by the import, used to count uses. */
  bindings: string[];
}

export interface TopLevelWork {
  kind: 'sync-io' | 'json-parse' | 'large-literal' | 'instantiation' | 'loop' | 'require-in-loop' | 'call';
  line: number;
  detail: string;
}

export interface LoopAllocation {
  line: number;
  /** Loop nesting (1 = one loop): an allocation in an inner loop runs far more often. */
  depth: number;
  detail: string;
}

export interface MemoCandidate {
  line: number;
  detail: string;
}

/** Everything the static scan knows about one file. Serialisable (crosses worker boundaries). */
export interface FileSignals {
  /** Absolute path. */
  path: string;
  lines: number;
  bytes: number;
  imports: ImportSite[];
  topLevelWork: TopLevelWork[];
  loopAllocations: LoopAllocation[];
  memoCandidates: MemoCandidate[];
  /** Uses of each imported binding: at load (top), inside functions (fn), in type positions. */
  bindingUses: Record<string, { top: number; fn: number; type: number }>;
  functions: number;
}

/** Measured data per file, already normalised to absolute paths. */
export interface MeasuredFile {
  /** Module evaluation time, inclusive of what it imports, ms. */
  loadTotalMs?: number;
  loadSelfMs?: number;
  cpuSelfMs?: number;
  /** CPU samples behind cpuSelfMs, when known (for the ± sampling error). */
  cpuSamples?: number;
  cpuTotalMs?: number;
  allocBytes?: number;
  /** Hottest lines, for sites. */
  hotLines?: { line: number; selfMs?: number; bytes?: number; name: string }[];
}

/**
 * Measured input in the shape of engineer B's ProfileSummary (`summarize(model)`), plus the
 * optional import times. Files may be absolute paths, `file://` URLs or root-relative paths.
 */
export interface MeasuredData {
  /** Shown in evidence: "run 2026-11-25T15:00" or a profile file name. */
  label?: string;
  /** `samples`: CPU samples behind selfMs; the sampling error of selfMs is about selfMs / sqrt(samples). */
  topFunctions?: { name: string; file: string; line: number; selfMs: number; totalMs: number; samples?: number }[];
  modules?: { name?: string; file: string; selfMs: number; totalMs: number }[];
  allocations?: { name: string; file: string; line: number; bytes: number }[];
  /**
   * Module load times (from the runner's imports files), ms. `request`: the specifier the
   * importer wrote; `startMs`: when it began loading (orders the loads of one process).
   */
  imports?: { file: string; selfMs: number; totalMs: number; parent?: string | null; request?: string; startMs?: number }[];
  /** Total CPU time of the run, ms; used to express CPU as a share. */
  totalMs?: number;
}

export interface RankOptions {
  measured?: MeasuredData;
  /** List tests, fixtures, examples, benchmarks and scripts too (default: the product's modules only). */
  all?: boolean;
  /** Extra gitignore-style globs (the `hotpath.exclude` setting, `--exclude`). */
  exclude?: string[];
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /**
   * Threads that parse, this one included (default 1: inline; 'auto': this one plus one per free
   * core, from the load average, see pool.ts autoWorkers). Used from 400 files on.
   */
  workers?: number | 'auto';
  /** Path of the bundled rankWorker.js, when `workers` > 0 and it is not next to this bundle. */
  workerScript?: string;
}
