// Contracts of the profiling runner: what a caller asks for and what one run leaves behind.
import type { ThreadTimes } from './threadCpu';

export interface CaptureOptions {
  /** CPU sampling through the inspector. */
  cpu: boolean;
  /** Heap allocation sampling, including objects collected by GC (allocation churn). */
  heap: boolean;
  /** Per-module load time (CommonJS and ESM) with the parent -> child import tree. */
  imports: boolean;
  /**
   * V8 precise coverage with call counts (function granularity), taken at exit: which functions
   * of the program's own files (not node_modules) ran. Planning only: see CoverageFile.
   */
  coverage?: boolean;
  /** CPU sampling interval in microseconds (default DEFAULT_CPU_INTERVAL_US, 5000). */
  intervalUs?: number;
  /** Heap sampling interval in bytes (default DEFAULT_HEAP_INTERVAL_BYTES, 512 KiB). */
  heapIntervalBytes?: number;
  /**
   * Every this many ms each process writes what it has so far, so a process killed with SIGKILL
   * keeps its data up to the last flush (default DEFAULT_FLUSH_MS in run.ts, 30 s; 0: only at
   * exit). Independently, a stop or timeout asks every process to flush before it is signalled.
   */
  flushMs?: number;
  /**
   * ESM load-time hooks: 'auto' (default) registers them where ESM is certain (ESM entry,
   * --import/--loader, a worker started on an ES module file) and, lazily, just before a
   * CommonJS module whose source mentions `import(` is compiled; 'always' in every process and
   * worker from its start (also covers ES modules that eval'd code imports; registering costs
   * 30-1300 ms of start-up per process, measured here). On Node 24 both mean every process:
   * in-thread hooks (module.registerHooks) cost no loader thread.
   */
  esmHooks?: 'auto' | 'always';
  /** Leak hunting (preloadLeaks.ts): live heap measurements at iterations or over time; not with `heap`. */
  leaks?: import('./preloadLeaks').LeaksConfig;
  /** ms between live metric samples (heap, CPU, event-loop delay) of each process (default DEFAULT_LIVE_MS; 0: none). */
  liveMs?: number;
}

export type Engine = 'inspector' | '0x';

export interface RunOptions {
  /** A full shell command line (run through the platform shell) unless `args` is given. */
  command: string;
  /** When present, `command` is the executable and these are its arguments (no shell). */
  args?: string[];
  cwd: string;
  /** Folder the raw profiles are written to (created if missing). */
  outDir: string;
  capture: CaptureOptions;
  engine?: Engine;
  env?: NodeJS.ProcessEnv;
  /** Kill the whole process tree after this long; the run is marked timedOut. */
  timeoutMs?: number;
  /** Stop (gracefully, profiles flushed) after this long; not an error. */
  durationMs?: number;
  /** 'startup': stop once module loading settles or a server starts listening. */
  stopWhen?: 'exit' | 'startup';
  /**
   * Aborting ends the whole process tree; the run is marked cancelled. With the abort reason
   * 'stop' (`controller.abort('stop')`) the processes get the full grace period to write profiles.
   */
  signal?: AbortSignal;
  onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
  /** How long stopped processes get to write before SIGKILL (default 3000 ms; a heap snapshot needs more). */
  graceMs?: number;
  /** Path of dist/preload.js; found next to the running bundle (or in the source tree) when absent. */
  preloadPath?: string;
}

/** One Node process or worker thread that the target started and that wrote profiles. */
export interface ProcessRecord {
  pid: number;
  ppid: number;
  threadId: number;
  /** process.argv of the process, joined for display. */
  commandLine: string;
  argv: string[];
  cwd: string;
  nodeVersion: string;
  /** Wall time from preload start to exit, ms. */
  wallMs: number;
  cpuProfile?: string;
  heapProfile?: string;
  importsFile?: string;
  /** Leak hunting: `<pid>-<tid>.leaks.jsonl` (see preloadLeaks.ts). */
  leaksFile?: string;
  /** `<pid>-<tid>.coverage.json` (capture.coverage), written at exit only. */
  coverageFile?: string;
  /** Live metrics, one line a second: `<pid>-<tid>.live.jsonl` (see preloadLive.ts). */
  liveFile?: string;
  /** How it ended: 'exit' (exit handler ran), 'signal:SIGTERM', 'killed' (no exit handler ran) ... */
  ending: string;
  /** Killed processes: the wall time (ms from start) covered by the last periodic flush, i.e. what its files hold. */
  flushedMs?: number;
  /**
   * Measured ms the preload spent stopping the profilers and writing files, at the end and in
   * periodic flushes: time the capture added to this process's run (sampling costs come on top).
   */
  writeMs?: number;
  /**
   * Measured CPU time of this process's (or worker thread's) own thread from the preload's start
   * to its exit, and on Linux the time it waited for a CPU (run queue): see threadCpu.ts. Absent
   * when not measured (killed process, platform without it).
   */
  threadTime?: ThreadTimes;
}

export interface RunResult {
  exitCode: number | null;
  signal: string | null;
  wallMs: number;
  timedOut: boolean;
  cancelled: boolean;
  /** The target ended by itself (not stopped by duration/startup/cancel/timeout). */
  completed: boolean;
  outDir: string;
  processes: ProcessRecord[];
  /** Set when the run could not start (spawn error): the message to show. */
  error?: string;
  /** Last part of the target's output, kept for error messages. */
  outputTail: string;
  /** Things to tell the user: no Node process started, processes killed before writing, 0x problems... */
  notes?: string[];
  /** Unique id of the run (also tags its processes in their environment). */
  runId?: string;
  /** Epoch ms when the run started. */
  startedAt?: number;
}

/**
 * `<pid>-<threadId>.imports.json`, written by the preload when `capture.imports` is on.
 * Times are microseconds since the process's preload started (performance.now based).
 */
export interface ImportsFile {
  version: 1;
  pid: number;
  threadId: number;
  modules: ImportRecord[];
  /** True when the process evaluated ES modules without load-time hooks (import() from CommonJS): they are missing here. */
  esmUntimed?: boolean;
  /**
   * Present when this process or thread registered the ESM loader hooks: when (µs since the
   * preload started), how long registering blocked it (the loader thread's start-up: the
   * profiler's cost, charged to no module) and whether it happened lazily, just before a
   * CommonJS module whose source mentions `import(` was compiled.
   */
  esmHooks?: { atUs: number; registerUs: number; lazy: boolean };
  /**
   * Every importer -> module edge that ran, once per importer and specifier: later requires of
   * a cached module too, which `modules` (first loads only) leaves out. Absent in files written
   * before edges were recorded.
   */
  edges?: ImportEdge[];
}

/**
 * `<pid>-<threadId>.coverage.json`, written at exit by the preload when `capture.coverage` is
 * on: V8's precise coverage (`Profiler.takePreciseCoverage`, call counts, function granularity)
 * of the scripts loaded from files outside node_modules. A function that is absent ran no more
 * than the innermost listed function around it (V8 lists every function its enclosing function's
 * compilation created). Offsets are UTF-16 offsets into the file as V8 compiled it (CommonJS
 * without a leading byte order mark).
 */
export interface CoverageFile {
  version: 1;
  pid: number;
  threadId: number;
  scripts: { url: string; functions: { functionName: string; ranges: { startOffset: number; endOffset: number; count: number }[] }[] }[];
}

/** One importer -> module edge that ran (a `require` or an ES module import). */
export interface ImportEdge {
  /** Absolute path of the importer. */
  from: string;
  /** Absolute path of the module, or `node:<name>` for built-ins. */
  to: string;
  /** The specifier as written by the importer. */
  request: string;
  /** It ran while the importer's top level was evaluating (its load on the stack). */
  eager: boolean;
  /** It ran after the importer had loaded (a function called later): deferring the import cannot remove it. */
  late: boolean;
  /** Reported by the ES module loader, which does not tell a static import from import(): both flags are a guess (eager). */
  esm?: boolean;
}

export interface ImportRecord {
  /** Absolute file path, or `node:<name>` for built-ins. */
  file: string;
  /** Absolute path of the importing module; null for the entry point. */
  parent: string | null;
  kind: 'cjs' | 'esm' | 'builtin' | 'json' | 'wasm';
  /** The specifier as written by the importer. */
  request: string;
  startUs: number;
  /**
   * Inclusive load time, children included; -1 if not measured. CommonJS: the wall time of
   * Module._load. ES modules (and built-ins, JSON loaded through the ESM loader): selfUs plus the
   * totalUs of every module it loaded first (see src/core/runner/preloadEsm.ts).
   */
  totalUs: number;
  /**
   * Exclusive time; -1 if not measured. CommonJS: totalUs minus the children's totalUs. ES
   * modules: the main thread's time charged to this module: its compile (compileUs) and
   * evaluation (evalUs), plus its share of the time the main thread waited for its resolve and
   * load; the hooks' own message passing is charged to no module. -1 for an ES module whose
   * evaluation was not seen (still loading at a flush, or it threw).
   */
  selfUs: number;
  /** ESM only: resolve + load (fetch/read) time on the loader thread, as measured there (overlaps other modules' loads). */
  loadUs?: number;
  /** ESM only: compile (and link) time on the main thread, part of selfUs. */
  compileUs?: number;
  /** ESM only: evaluation of the module's own body (children excluded), part of selfUs. */
  evalUs?: number;
  /** ESM only: when its evaluation ended, µs since the preload started (startUs is its first resolve). */
  evalEndUs?: number;
  /**
   * ESM only: true when the process exited (process.exit, e.g. a CLI's `--version`) while this
   * module's body ran: its evaluation is timed up to the exit. Absent otherwise.
   */
  evalEndedByExit?: boolean;
}

/**
 * Heap sampling interval: 512 KiB, Node's --heap-prof default (2 samples per MiB allocated; a
 * function that allocates a few MiB or more is seen). Most of the heap profile's cost is paid at
 * the end: every read of the profile makes V8 run a full GC first (the inspector always asks for
 * kSamplingForceGC), 200-250 ms on the tsc workload whatever the interval; the interval sets the
 * rest (fewer stack walks, a smaller profile). In the same 12 interleaved rounds (tsc, see
 * docs/ARCHITECTURE.md "Sampling defaults"), CPU + heap + imports at 2 ms measured 1.165x plain
 * with 128 KiB and 1.148x with 512 KiB.
 */
export const DEFAULT_HEAP_INTERVAL_BYTES = 512 * 1024;

/** Live metrics: one sample a second per process and thread (an unref'd timer; a JSON line appended). */
export const DEFAULT_LIVE_MS = 1000;

/**
 * CPU sampling interval: 5 ms, 200 samples per second of run time (Go's pprof and async-profiler
 * default to 10 ms). V8's sampler costs a roughly fixed amount per sample (a signal and a stack
 * walk on the sampled thread, symbolisation on the profiler thread): a steady 1.2 s loop on these
 * VMs took 20-150 µs of extra CPU per sample (+2-13 % CPU at 1 ms, +0.7-5 % at 4 ms, ~0 at 20 ms).
 * On the tsc workload (12 interleaved rounds, see docs/ARCHITECTURE.md "Sampling defaults"),
 * CPU + heap + imports measured 1.078x plain at 5 ms / 512 KiB against 1.148x at 2 ms / 512 KiB
 * and 1.165x at 2 ms / 128 KiB (four more batches of 5 ms / 512 KiB: 1.092x, 1.115x, and on the
 * quietest machine 1.183x and 1.173x, V8's own --cpu-prof alone 1.12-1.17x). A run with fewer
 * than FEW_SAMPLES samples gets a note (sampling.ts); `intervalUs` / --interval /
 * hotpath.sampling.intervalUs give finer sampling at its measured cost.
 */
export const DEFAULT_CPU_INTERVAL_US = 5000;
