// Contracts of the profiling runner: what a caller asks for and what one run leaves behind.

export interface CaptureOptions {
  /** CPU sampling through the inspector. */
  cpu: boolean;
  /** Heap allocation sampling, including objects collected by GC (allocation churn). */
  heap: boolean;
  /** Per-module load time (CommonJS and ESM) with the parent -> child import tree. */
  imports: boolean;
  /** CPU sampling interval in microseconds (default DEFAULT_CPU_INTERVAL_US, 2000). */
  intervalUs?: number;
  /** Heap sampling interval in bytes (default DEFAULT_HEAP_INTERVAL_BYTES, 128 KiB). */
  heapIntervalBytes?: number;
  /**
   * Every this many ms each process writes what it has so far, so a process killed with SIGKILL
   * keeps its data up to the last flush (default DEFAULT_FLUSH_MS in run.ts, 30 s; 0: only at
   * exit). Independently, a stop or timeout asks every process to flush before it is signalled.
   */
  flushMs?: number;
  /**
   * ESM load-time hooks: 'auto' (default) registers them only where ESM is certain (ESM entry,
   * --import/--loader, a worker started on an ES module file); 'always' in every process and
   * worker (also covers import() from CommonJS; costs 30-400 ms of start-up per process).
   */
  esmHooks?: 'auto' | 'always';
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
  /** How it ended: 'exit' (exit handler ran), 'signal:SIGTERM', 'killed' (no exit handler ran) ... */
  ending: string;
  /** Killed processes: the wall time (ms from start) covered by the last periodic flush, i.e. what its files hold. */
  flushedMs?: number;
  /**
   * Measured ms the preload spent stopping the profilers and writing files, at the end and in
   * periodic flushes: time the capture added to this process's run (sampling costs come on top).
   */
  writeMs?: number;
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
  /** Inclusive load time (resolve + load + evaluate, children included); -1 if not measured. */
  totalUs: number;
  /** Exclusive time (totalUs minus children's totalUs); -1 if not measured. */
  selfUs: number;
  /** ESM only: resolve + load (fetch/read) time, without evaluation, which is in the CPU profile. */
  loadUs?: number;
}

/**
 * Heap sampling interval. bench/overhead.bench.ts --heap-sweep (tsc type-check, 3 interleaved
 * rounds, same run): CPU-time ratio to plain 1.085x at 32 KiB, 0.99x at 128 KiB, 1.015x at
 * 512 KiB (Node's --heap-prof default). 128 KiB costs nothing measurable and still gives ~8
 * samples per MiB allocated.
 */
export const DEFAULT_HEAP_INTERVAL_BYTES = 128 * 1024;

/**
 * CPU sampling interval. V8's sampler costs a roughly fixed amount per sample (a signal, a stack
 * walk, symbolisation on the profiler thread): a steady 1.2 s loop on these VMs took 20-150 µs
 * of extra CPU per sample (+2-13 % CPU at 1 ms, +0.7-5 % at 4 ms, ~0 at 20 ms), so the overhead
 * follows the sample rate. At 1 ms, CPU profiling alone measured 1.16x plain on the tsc
 * workload of bench/overhead.bench.ts (5 rounds), over the 1.10x budget for CPU + heap + imports.
 * 2 ms halves that cost and still gives 500 samples per second of run time (Go's pprof and
 * async-profiler default to 10 ms); `intervalUs` / --interval / hotpath.sampling.intervalUs
 * give finer sampling at its measured cost.
 */
export const DEFAULT_CPU_INTERVAL_US = 2000;
