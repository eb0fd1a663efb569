// The environment contract between the runner (run.ts) and the preload (preload.ts).
// The preload is configured only through these variables because NODE_OPTIONS and the
// environment are the one thing every child process and worker thread inherits.

export const ENV = {
  /** Folder the preload writes `<pid>-<threadId>.*` files into. Unset: the preload does nothing. */
  outDir: 'HOTPATH_OUT_DIR',
  /** '1' / '0': CPU sampling, heap sampling, module load timing. */
  cpu: 'HOTPATH_CPU',
  heap: 'HOTPATH_HEAP',
  imports: 'HOTPATH_IMPORTS',
  /** '1': V8 precise coverage (function call counts), written at exit: which functions ran (startup plans). */
  coverage: 'HOTPATH_COVERAGE',
  /** CPU sampling interval in microseconds. */
  intervalUs: 'HOTPATH_INTERVAL_US',
  /** Heap sampling interval in bytes. */
  heapIntervalBytes: 'HOTPATH_HEAP_INTERVAL',
  /** When set (ms): write a `<pid>-<tid>.startup` marker once a server listens or module loading is quiet this long. */
  startupQuietMs: 'HOTPATH_STARTUP_QUIET_MS',
  /** Path-delimited list of main scripts that must not be profiled (the Hotpath CLI, 0x itself). */
  skipScripts: 'HOTPATH_SKIP',
  /** A per-run tag: lets the runner find every process of the run in /proc, even re-parented ones. */
  runId: 'HOTPATH_RUN_ID',
  /** Path-delimited folders whose modules (and what they load) are another profiler's, not the program's: left out of the import records (0x's preloads). */
  skipModules: 'HOTPATH_SKIP_MODULES',
  /** '1': no ESM loader hooks (under 0x: the hooks thread's isolate log would be taken for the main one). */
  noEsmHooks: 'HOTPATH_NO_ESM_HOOKS',
  /** Periodic flush interval in ms (0 or unset: write only at exit). Kept data survives SIGKILL. */
  flushMs: 'HOTPATH_FLUSH_MS',
  /** 'always': ESM loader hooks in every process and worker; otherwise only where ESM is certain. */
  esmHooks: 'HOTPATH_ESM_HOOKS',
  /** 'session': use inspector.Session, not the raw binding (see inspectorConn.ts); for tests and benchmarks. */
  inspector: 'HOTPATH_INSPECTOR',
  /** Set only while the preload registers its ESM hooks, so the loader thread skips the preload. */
  inLoader: 'HOTPATH_IN_LOADER',
  /** JSON LeaksConfig (preloadLeaks.ts): measure live heap growth at iterations or over time. */
  leaks: 'HOTPATH_LEAKS',
  /** ms between live metric lines (preloadLive.ts); unset or 0: none. */
  liveMs: 'HOTPATH_LIVE_MS',
} as const;

/** File names inside the out dir. */
export function fileBase(pid: number, threadId: number): string {
  return `${pid}-${threadId}`;
}

/**
 * In the out dir: the runner writes a number here before it stops the run; each process's flush
 * helper flushes once per new number and records it in meta `flush.request`.
 */
export const FLUSH_REQUEST_FILE = 'flush.request';

export const SUFFIX = {
  cpu: '.cpuprofile',
  heap: '.heapprofile',
  imports: '.imports.json',
  coverage: '.coverage.json',
  meta: '.meta.json',
  startup: '.startup',
  leaks: '.leaks.jsonl',
  live: '.live.jsonl',
} as const;

export interface FlushKinds { cpu?: number; heap?: number; imports?: number }

/** What `<pid>-<tid>.meta.json` holds. Written at start (ending 'running') and again at the end. */
export interface MetaFile {
  version: 1;
  pid: number;
  ppid: number;
  threadId: number;
  argv: string[];
  execArgv: string[];
  cwd: string;
  nodeVersion: string;
  /** The run's HOTPATH_RUN_ID: tells this run's files from an earlier run's in a reused folder. */
  runId?: string;
  /** Epoch ms when the preload started. */
  startedAt: number;
  wallMs: number;
  /** 'running' (never finished: killed, e.g. SIGKILL), 'exit', 'signal:SIGTERM', ... */
  ending: string;
  files: { cpu?: string; heap?: string; imports?: string; leaks?: string; coverage?: string };
  /**
   * Periodic flushes so far: how many, the wall time (ms since start) that every flushed file
   * covers at least, their total cost (ms), the last cost and coverage per kind.
   */
  /** What drives the periodic flush: the helper thread (entry processes) or a timer (workers, Node-started processes). */
  flushBy?: 'helper' | 'timer';
  flush?: { count: number; coveredMs: number; costMs: number; lastMs: FlushKinds; covered: FlushKinds; request?: number };
  /**
   * This thread's measured CPU time (and run-queue time) from the preload's start to its exit
   * handler, before the profiles were written (threadCpu.ts); absent when not measured or the
   * process was killed.
   */
  threadTime?: import('./threadCpu').ThreadTimes;
  /** Milliseconds the preload spent at the end (stopping the profilers, writing the files): part of the process's wall time. */
  finishMs?: number;
  /** The in-process inspector connection: the raw binding (profiles written as V8 serialised them) or inspector.Session. */
  inspector?: 'raw' | 'session';
  /** Failures inside the preload: swallowed so the target never breaks, reported here. */
  errors: string[];
}
