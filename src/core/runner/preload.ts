// Injected with NODE_OPTIONS=--require into every Node process and worker thread of a profiled
// run (bundled to dist/preload.js, CommonJS, no dependencies). Configured by the HOTPATH_*
// variables in preloadEnv.ts. Writes `<pid>-<threadId>.{cpuprofile,heapprofile,imports.json,
// meta.json}` into HOTPATH_OUT_DIR: at exit, and also every HOTPATH_FLUSH_MS while it runs.
//
// Ending paths: normal end and process.exit(n) run the 'exit' handler; SIGINT/SIGTERM/SIGHUP are
// caught (only when the program has no handler of its own), written, then re-raised so the
// process dies the way it would have. SIGKILL (and a worker torn down with its process) runs
// nothing: what the last periodic flush wrote is kept, and the meta file (ending 'running',
// `flush.coveredMs`) lets the runner say that the process was killed and how much was kept.
//
// Periodic flush (an unref'd timer: it never keeps the target alive; a process that ends before
// the first tick pays nothing):
// - CPU: the inspector cannot read a running profile, and restarting the profiler is expensive
//   (Profiler.start re-logs every compiled function: 180-530 ms measured in a process running
//   tsc). So the profiler is never idle: a flush starts a second profile on the same profiler
//   (inspector.console.profile(title), 0.2 ms) and then stops the running one (Profiler.stop),
//   alternating between the two kinds. Each stop yields a chunk; cpuChunks.ts merges the chunks
//   (overlapping samples dropped by timestamp) and the merged profile is rewritten as the one
//   `<pid>-<tid>.cpuprofile` on every flush and at exit: readers never see chunks.
// - heap: HeapProfiler.getSamplingProfile (does not stop sampling), rewritten whole.
// - imports: the records so far.
// - who calls flush: in the main thread of an entry process (one not started by another Node
//   process) a helper worker thread (startFlushHelper), through the inspector, so that
//   synchronous code (tsc, a loop that hangs) is flushed too; in worker threads and in Node
//   processes started by Node, a timer (fires only when the thread yields; no ~50 ms helper).
// - cost: each kind is deferred after a flush by its cost / FLUSH_BUDGET (1 %), so a large
//   profile is flushed less often; `meta.flush` records counts, costs and what each file covers.
// - on request: the runner writes a number to `<outDir>/flush.request` before it stops the run
//   (duration, timeout, stop); the helper polls it and flushes at once, not deferred, and the
//   number is acknowledged in meta `flush.request`. A process computing synchronously cannot
//   handle SIGTERM, so this is how it keeps its profile up to the stop.
//
// Every failure in here is swallowed (the target must never break) and listed in meta.errors.
import { ENV, FLUSH_REQUEST_FILE, SUFFIX, fileBase, type MetaFile } from './preloadEnv';
import { DEFAULT_CPU_INTERVAL_US, DEFAULT_HEAP_INTERVAL_BYTES } from './types';
import { trackImports, type ImportTracker } from './preloadImports';
import { CpuChunkMerger, type ChunkProfile } from './cpuChunks';
import { connectInspector, type InspectorConn } from './inspectorConn';
import { startLeaks } from './preloadLeaks';
import { startLive } from './preloadLive';
import { readThreadTimes, threadTimesBetween } from './threadCpu';

/* eslint-disable @typescript-eslint/no-var-requires */
const fs = require('fs');
const path = require('path');
const workerThreads = require('worker_threads');
// Taken before preloadImports wraps the constructor.
const OriginalWorker = workerThreads.Worker;

function shouldRun(): boolean {
  const env = process.env;
  if (!env[ENV.outDir] || env[ENV.inLoader]) return false;
  // The ESM loader thread of Node 20: a worker without a parentPort.
  if (!workerThreads.isMainThread && !workerThreads.parentPort) return false;
  if (process.execArgv.includes('--prof-process')) return false;
  const script = process.argv[1] ? path.resolve(process.argv[1]) : '';
  const skip = [path.join(__dirname, 'cli.js'), ...(env[ENV.skipScripts] ?? '').split(path.delimiter).filter(Boolean)];
  return !skip.some((s) => script === path.resolve(s));
}

function writeAtomic(file: string, data: string): void {
  const tmp = `${file}.${process.pid}.${workerThreads.threadId}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

function start(): void {
  const env = process.env;
  const outDir = env[ENV.outDir] as string;
  const threadId: number = workerThreads.threadId;
  const base = path.join(outDir, fileBase(process.pid, threadId));
  const startedAt = Date.now();
  // This thread's real CPU time at the start, for meta.threadTime (see threadCpu.ts).
  const threadStart = readThreadTimes();
  const startEpochUs = (performance.timeOrigin + performance.now()) * 1000;
  const want = { cpu: env[ENV.cpu] !== '0', heap: env[ENV.heap] === '1', imports: env[ENV.imports] === '1', coverage: env[ENV.coverage] === '1' };
  const meta: MetaFile = {
    version: 1, pid: process.pid, ppid: process.ppid, threadId, argv: process.argv.slice(), execArgv: process.execArgv.slice(),
    cwd: safeCwd(), nodeVersion: process.version, startedAt, wallMs: 0, ending: 'running', files: {}, errors: [],
    ...(env[ENV.runId] ? { runId: env[ENV.runId] } : {}),
  };
  const guard = (what: string, fn: () => void) => {
    try { fn(); } catch (err) { meta.errors.push(`${what}: ${(err as Error)?.message ?? String(err)}`); }
  };
  guard('out dir', () => fs.mkdirSync(outDir, { recursive: true }));
  guard('meta', () => writeAtomic(base + SUFFIX.meta, JSON.stringify(meta)));

  let session: InspectorConn | undefined;
  guard('inspector', () => { session = connectInspector(env[ENV.inspector]); meta.inspector = session.kind; });
  let cpu: CpuRotation | undefined;
  if (session && want.cpu) {
    guard('cpu start', () => {
      session!.post('Profiler.enable');
      session!.post('Profiler.setSamplingInterval', { interval: Number(env[ENV.intervalUs]) || DEFAULT_CPU_INTERVAL_US });
      session!.post('Profiler.start');
      cpu = new CpuRotation(session!);
    });
  }
  if (session && want.heap) {
    guard('heap start', () => {
      session!.post('HeapProfiler.enable');
      session!.post('HeapProfiler.startSampling', {
        samplingInterval: Number(env[ENV.heapIntervalBytes]) || DEFAULT_HEAP_INTERVAL_BYTES,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
    });
  }
  let leaks: { finish(): void } | undefined;
  if (session && env[ENV.leaks] && !want.heap) {
    guard('leaks start', () => { leaks = startLeaks(session!, base, JSON.parse(env[ENV.leaks]!)); meta.files.leaks = path.basename(base + SUFFIX.leaks); });
  }
  let coverage = false;
  if (session && want.coverage) {
    guard('coverage start', () => {
      // Before the program's first line, so every function's calls are counted (detailed: false
      // keeps it to one counter per function).
      session!.post('Profiler.enable');
      session!.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
      coverage = true;
    });
  }
  let live: { stop(): void } | undefined;
  if (Number(env[ENV.liveMs]) > 0) guard('live start', () => { live = startLive(base, Number(env[ENV.liveMs]), performance.now()); });
  const startup = env[ENV.startupQuietMs] ? watchStartup(base, Number(env[ENV.startupQuietMs]), guard) : undefined;
  let imports: ImportTracker | undefined;
  // Startup mode needs to see module loads even when their timing is not captured.
  if (want.imports || startup) guard('imports', () => { imports = trackImports(startEpochUs, () => startup?.moduleLoaded(), meta.errors); });

  const writeImports = () => {
    const file: Record<string, unknown> = { version: 1, pid: process.pid, threadId, modules: imports!.records(), edges: imports!.edges() };
    const untimed = imports!.untimedEsm();
    if (untimed) file.esmUntimed = untimed;
    const hooks = imports!.esmHooks();
    if (hooks) file.esmHooks = hooks;
    writeAtomic(base + SUFFIX.imports, JSON.stringify(file));
    meta.files.imports = path.basename(base + SUFFIX.imports);
  };

  let finished = false;
  let merger: CpuChunkMerger | undefined;
  let timer: NodeJS.Timeout | undefined;
  const flushMs = Number(env[ENV.flushMs]) || 0;
  let flushing = false;
  /** `request`: a flush the runner asked for before stopping the run (not deferred; acknowledged in meta). */
  const flush = (request?: number) => {
    if (finished || flushing) return;
    flushing = true;
    try { flushNow(request); } finally { flushing = false; }
  };
  // Budget: each kind of flush may take at most FLUSH_BUDGET of the process's time. A CPU flush
  // that cost c ms defers the next CPU flush by c / FLUSH_BUDGET (likewise heap, imports): a
  // big profile is flushed less often, never at more than that cost.
  const nextAt: { cpu: number; heap: number; imports: number } = { cpu: 0, heap: 0, imports: 0 };
  let helperWorker: any;
  const flushNow = (request?: number) => {
    const t0 = performance.now();
    const f = (meta.flush ??= { count: 0, coveredMs: 0, costMs: 0, lastMs: {}, covered: {} });
    let any = false;
    const timed = (what: 'cpu' | 'heap' | 'imports', fn: () => void) => {
      const s = performance.now();
      if (s < nextAt[what] && request === undefined) return;
      any = true;
      guard(`${what} flush`, fn);
      const e = performance.now();
      f.lastMs[what] = Math.round((e - s) * 10) / 10;
      f.covered[what] = Date.now() - startedAt;
      nextAt[what] = e + (e - s) / FLUSH_BUDGET;
    };
    if (cpu) timed('cpu', () => {
      const chunk = cpu!.take(false);
      (merger ??= new CpuChunkMerger()).add(chunk);
      writeAtomic(base + SUFFIX.cpu, JSON.stringify(merger.profile()));
      meta.files.cpu = path.basename(base + SUFFIX.cpu);
    });
    if (session && want.heap) timed('heap', () => {
      // Written as V8 serialised it (no parse and stringify: see inspectorConn.ts).
      writeAtomic(base + SUFFIX.heap, session!.postRaw('HeapProfiler.getSamplingProfile', 'profile'));
      meta.files.heap = path.basename(base + SUFFIX.heap);
    });
    if (imports && want.imports) timed('imports', writeImports);
    if (request !== undefined) f.request = request;
    if (!any && request === undefined) return;
    f.count++;
    // What every file holds at least (a deferred kind's file is older than the others).
    f.coveredMs = Math.min(...Object.values(f.covered) as number[]);
    f.costMs = Math.round((f.costMs + performance.now() - t0) * 10) / 10;
    meta.wallMs = f.coveredMs;
    guard('meta', () => writeAtomic(base + SUFFIX.meta, JSON.stringify(meta)));
  };
  if (flushMs > 0) {
    const safeFlush = (request?: number) => { try { flush(typeof request === 'number' ? request : undefined); } catch { /* never break the target */ } };
    let helper = false;
    // The helper thread costs ~50 ms of CPU per process (measured, see CHANGELOG): only entry
    // processes (started by a shell or the runner, not by another Node process) get it; a Node
    // process started by Node (worker pools, forks) flushes on a timer, like worker threads.
    if (workerThreads.isMainThread && !parentIsNode()) {
      guard('flush helper', () => {
        Object.defineProperty(globalThis, FLUSH_SYMBOL, { value: safeFlush, configurable: true });
        helperWorker = startFlushHelper(flushMs, path.join(outDir, FLUSH_REQUEST_FILE));
        helper = true;
        meta.flushBy = 'helper';
      });
    }
    if (!helper) {
      // Worker threads (the helper can only reach the main thread) and Node-started processes:
      // a timer, which fires only when the thread returns to its event loop. Unref'd: never
      // keeps the target alive.
      timer = setInterval(safeFlush, flushMs);
      timer.unref();
      meta.flushBy = 'timer';
    }
  }

  const finish = (ending: string) => {
    if (finished) return;
    finished = true;
    const finishStart = performance.now();
    meta.ending = ending;
    meta.wallMs = Date.now() - startedAt;
    // Read before the profilers stop: writing the profiles is not the program's time.
    guard('thread time', () => { meta.threadTime = threadTimesBetween(threadStart, readThreadTimes()); });
    if (timer) clearInterval(timer);
    // Its inspector session on this thread would make Node print "Waiting for the debugger to disconnect...".
    if (helperWorker) guard('flush helper stop', () => helperWorker.terminate());
    if (cpu) guard('cpu stop', () => {
      if (merger) {
        merger.add(cpu!.take(true));
        writeAtomic(base + SUFFIX.cpu, JSON.stringify(merger.profile()));
      } else {
        // Never flushed: the one profile is written as V8 serialised it (see inspectorConn.ts).
        writeAtomic(base + SUFFIX.cpu, cpu!.takeLastRaw());
      }
      meta.files.cpu = path.basename(base + SUFFIX.cpu);
    });
    if (session && want.heap) guard('heap stop', () => {
      writeAtomic(base + SUFFIX.heap, session!.postRaw('HeapProfiler.stopSampling', 'profile'));
      meta.files.heap = path.basename(base + SUFFIX.heap);
    });
    if (imports && want.imports) guard('imports write', writeImports);
    if (leaks) guard('leaks finish', () => leaks!.finish());
    if (coverage) guard('coverage write', () => {
      const scripts = (session!.post('Profiler.takePreciseCoverage').result as { url: string }[])
        .filter((s) => s.url.startsWith('file:') && !s.url.includes('/node_modules/'));
      writeAtomic(base + SUFFIX.coverage, JSON.stringify({ version: 1, pid: process.pid, threadId, scripts }));
      meta.files.coverage = path.basename(base + SUFFIX.coverage);
    });
    if (live) guard('live stop', () => live!.stop());
    guard('disconnect', () => session?.disconnect());
    // Measured: what writing the profiles at the end added to the process's own time.
    meta.finishMs = Math.round((performance.now() - finishStart) * 10) / 10;
    guard('meta', () => writeAtomic(base + SUFFIX.meta, JSON.stringify(meta)));
  };
  process.on('exit', () => finish('exit'));
  if (workerThreads.isMainThread) for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) handleSignal(sig, finish);
}

const FLUSH_SYMBOL = Symbol.for('hotpath.flush');
const FLUSH_REQUEST_POLL_MS = 200;
/** Share of a process's time each kind of periodic flush (CPU, heap, imports) may take (see flushNow). */
const FLUSH_BUDGET = 0.01;

/**
 * A timer in the main thread never fires while the program computes synchronously (tsc, a hang
 * in a loop): exactly the processes that run long. So the main thread's flush is driven by a
 * helper worker thread: its inspector session on the main thread (connectToMainThread) sends
 * Runtime.evaluate every `flushMs`, which V8 runs on the main thread at the next interrupt
 * check, also in the middle of synchronous code, and which calls the flush function above. The
 * helper is unref'd (never keeps the process alive), gets an empty environment (the preload does
 * not run in it) and is made with the original Worker constructor (not the wrapped one).
 */
/**
 * Linux: the parent is a Node process of this run (its executable is Node and it carries the
 * run's HOTPATH_RUN_ID). The runner itself is Node but not of the run. Elsewhere: false.
 */
function parentIsNode(): boolean {
  try {
    const exe = fs.readlinkSync(`/proc/${process.ppid}/exe`);
    if (exe !== process.execPath && !/[\\/](node|nodejs)$/.test(exe)) return false;
    const tag = `${ENV.runId}=${process.env[ENV.runId] ?? ''}`;
    return !!process.env[ENV.runId] && fs.readFileSync(`/proc/${process.ppid}/environ`, 'latin1').split('\0').includes(tag);
  } catch {
    return false;
  }
}

function startFlushHelper(flushMs: number, requestFile: string): any {
  // Also polls the runner's flush request file (written before it stops the run, see run.ts): a
  // process busy in synchronous code cannot handle SIGTERM, so this is its only way to save.
  const code = `
    const fs = require('fs');
    const { Session } = require('inspector');
    const session = new Session();
    session.connectToMainThread();
    const call = (arg) => session.post('Runtime.evaluate', { expression: 'globalThis[Symbol.for("hotpath.flush")]?.(' + arg + ')', silent: true }, () => {});
    setInterval(() => call(''), ${Number(flushMs)});
    let seen = '';
    setInterval(() => {
      let id = '';
      try { id = fs.readFileSync(${JSON.stringify(requestFile)}, 'utf8').trim(); } catch {}
      if (/^\\d+$/.test(id) && id !== seen) { seen = id; call(id); }
    }, ${FLUSH_REQUEST_POLL_MS});
  `;
  const helper = new OriginalWorker(code, { eval: true, env: {}, stdout: true, stderr: true, name: 'hotpath flush' });
  helper.on('error', () => undefined);
  helper.unref();
  return helper;
}

/**
 * The CPU profiler, rotated without ever being idle (an idle profiler is expensive to restart):
 * the protocol's own profile (Profiler.start/stop) alternates with a console profile
 * (inspector.console.profile/profileEnd, finished through Profiler.consoleProfileFinished).
 */
class CpuRotation {
  private onConsole = false;
  private seq = 0;
  private title = '';
  private finished: ChunkProfile | undefined;
  private inspectorConsole = require('inspector').console;

  constructor(private session: InspectorConn) {
    session.on('Profiler.consoleProfileFinished', (p: { title?: string; profile: ChunkProfile }) => {
      if (p.title === this.title) this.finished = p.profile;
    });
  }

  /** The last profile of a thread that never rotated (still the protocol's own), as JSON text. */
  takeLastRaw(): string {
    if (this.onConsole) throw new Error('takeLastRaw after a rotation');
    return this.session.postRaw('Profiler.stop', 'profile');
  }

  /** The running profile's samples so far; unless `last`, the other kind is started first. */
  take(last: boolean): ChunkProfile {
    const wasConsole = this.onConsole;
    if (!last) {
      if (wasConsole) this.session.post('Profiler.start');
      else this.inspectorConsole.profile(`hotpath-${process.pid}-${++this.seq}`);
      this.onConsole = !wasConsole;
    }
    if (!wasConsole) {
      const chunk = this.session.post('Profiler.stop').profile;
      if (this.onConsole) this.title = `hotpath-${process.pid}-${this.seq}`;
      return chunk;
    }
    this.finished = undefined;
    this.inspectorConsole.profileEnd(this.title);
    const chunk = this.finished;
    this.finished = undefined;
    if (!chunk) throw new Error('the console profile did not finish synchronously');
    return chunk;
  }
}

function handleSignal(sig: NodeJS.Signals, finish: (ending: string) => void): void {
  const onSignal = () => {
    // The program has its own handler: it decides whether to exit; the 'exit' handler writes then.
    if (process.listenerCount(sig) > 1) return;
    finish(`signal:${sig}`);
    process.removeListener(sig, onSignal);
    process.kill(process.pid, sig);
  };
  process.on(sig, onSignal);
}

/**
 * Startup mode: tell the runner (through `<pid>-<tid>.startup`) that this process has finished
 * loading: `{"reason":"listening"}` once a server listens (final), `{"reason":"quiet"}` while no
 * module has loaded for `quietMs` (withdrawn when loading resumes). The runner stops on any
 * 'listening', or once every running process is quiet: a launcher such as npm, quiet while its
 * child is still loading, does not end the run on its own.
 */
function watchStartup(base: string, quietMs: number, guard: (what: string, fn: () => void) => void) {
  const file = base + SUFFIX.startup;
  let listening = false;
  let quiet = false;
  let timer: NodeJS.Timeout | undefined;
  const write = (reason: string) => guard('startup marker', () => writeAtomic(file, JSON.stringify({ reason, at: Date.now() })));
  const arm = () => {
    if (listening) return;
    if (quiet) {
      quiet = false;
      guard('startup marker', () => fs.rmSync(file, { force: true }));
    }
    if (timer) clearTimeout(timer);
    // Unref'd: it only fires while the program keeps the event loop alive for other reasons.
    timer = setTimeout(() => { quiet = true; write('quiet'); }, quietMs);
    timer.unref();
  };
  guard('listen hook', () => {
    const net = require('net');
    const origListen = net.Server.prototype.listen;
    // An object-literal method: its name survives minification (the profile model elides it).
    const wrappers = {
      hotpathListen(this: any, ...args: unknown[]) {
        this.once('listening', () => {
          if (listening) return;
          listening = true;
          if (timer) clearTimeout(timer);
          write('listening');
        });
        return origListen.apply(this, args);
      },
    };
    net.Server.prototype.listen = wrappers.hotpathListen;
  });
  arm();
  return { moduleLoaded: arm };
}

function safeCwd(): string {
  try { return process.cwd(); } catch { return ''; }
}

try {
  if (shouldRun()) start();
} catch {
  // Never break the target.
}
